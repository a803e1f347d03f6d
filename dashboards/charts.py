"""Charts of the dashboards: SVG drawn on the server, put inline into the page.

Why server-drawn SVG and not a JavaScript chart library (issue 9 asks to say which and why):

- **One rule, on the server.** The numbers, the target (85, the year's ``Framework.target``) and what counts as
  below it come from the selectors; the browser computes nothing, so the chart cannot disagree with the table.
- **Works without JavaScript and prints.** An inline ``<svg>`` is part of the HTML: it shows with scripts off,
  in a printed page and in a saved page.
- **Nothing to vendor, no CDN.** No library to keep up to date under ``static/``, no licence to carry and no
  request to a third party from an organization's intranet.

Browsers shape Thai inside inline SVG, so the labels here may be Thai (``reports/charts.py`` writes only digits
because WeasyPrint does not shape SVG text). Numbers use Arabic digits, as the pages and the tables beside the
charts do.

Every chart:

- is responsive: a ``viewBox`` about as wide as a phone's screen (360 user units), drawn at ``width="100%"`` and
  scaled by CSS to the width of its box, so its text stays readable at 390 px;
- is accessible: ``role="img"`` and ``aria-labelledby`` naming its ``<title>`` and a ``<desc>`` that lists every
  value; the page also shows the same numbers in a table next to it (for screen readers and printing);
- escapes every text it is given.

The functions are generic (labels and values in, markup out) so that the overview of many organizations draws its
charts with them too.
"""
import hashlib
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 360  # user units: about the width a chart gets on a 390 px phone, so that its text keeps its size there
FONT_SIZE = 15
SMALL = 13
INK, MUTED, GRID = "#1d2433", "#5a6475", "#d9dee7"
BAR, BELOW, BELOW_LIGHT = "#1f4e8c", "#b3261e", "#f6d4d0"
BELOW_MARK = "▼"  # marks a value below the target in text too: the highlight is never colour alone


def number(value: Decimal | int | float | None) -> str:
    """A value as the charts and tables print it: scores with two decimals ("93.99"), counts as integers,
    "–" when missing."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{Decimal(value):.2f}"


def signed(value: Decimal | None) -> str:
    """A change with its sign, as the dashboards print it: "+5.55", "-1.20", "0.00"; "–" when missing."""
    if value is None:
        return "–"
    return f"{Decimal(value):+.2f}" if value else "0.00"


def _chart_id(kind: str, title: str, data: object) -> str:
    """A stable id for the chart's ``<title>``, ``<desc>`` and patterns (ids are global in an HTML page)."""
    return f"chart-{kind}-{hashlib.sha1(repr((title, data)).encode()).hexdigest()[:10]}"


def _open(chart_id: str, height: float, title: str, desc: str, css_class: str) -> list[str]:
    return [
        f'<svg class="chart {css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="{FONT_SIZE}" '
        f'fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int | None = None, fill: str | None = None,
          weight: str | None = None, css_class: str = "", transform: str = "") -> str:
    attributes = [f'x="{x:.1f}"', f'y="{y:.1f}"']
    if anchor != "start":
        attributes.append(f'text-anchor="{anchor}"')
    if size:
        attributes.append(f'font-size="{size}"')
    if fill:
        attributes.append(f'fill="{fill}"')
    if weight:
        attributes.append(f'font-weight="{weight}"')
    if css_class:
        attributes.append(f'class="{css_class}"')
    if transform:
        attributes.append(f'transform="{transform}"')
    return f'<text {" ".join(attributes)}>{escape(text)}</text>'


def _text_width(text: str, size: int) -> float:
    """A rough width of ``text`` in user units, to place what follows it: Thai vowel and tone marks above and
    below the line take no width."""
    spacing = sum(0 if unicodedata.category(c) == "Mn" else 1 for c in text)
    return spacing * size * 0.56


def _target_label(target: Decimal) -> str:
    """"เป้าหมาย 85" (a whole target without decimals)."""
    value = f"{target:.0f}" if target == target.to_integral_value() else number(target)
    return _("Target %(value)s") % {"value": value}


# --- line chart ----------------------------------------------------------------------------------------------

def _line_scale(values: Sequence[Decimal], target: Decimal | None) -> tuple[int, int, int]:
    """(bottom, top, tick step) of the value axis: from the lowest value or target rounded down to ten, to 100
    (or the highest value rounded up to ten)."""
    considered = [float(v) for v in values] + ([float(target)] if target is not None else [])
    low = min(considered, default=0.0)
    high = max(considered, default=100.0)
    bottom = max(0, int(low // 10) * 10)
    if low - bottom < 2 and bottom > 0:  # leave room under the lowest point
        bottom -= 10
    top = max(100, -(-int(high) // 10) * 10)
    step = 10 if top - bottom <= 50 else 20
    return bottom, top, step


def line_chart(*, points: list[tuple[str, Decimal | None]], target: Decimal | None = None,
               point_labels: list[str] | None = None, title: str, chart_id: str | None = None) -> SafeString:
    """A line through ``points`` ``[(x label, value)]`` in order (e.g. fiscal year → ITA score), each value
    written over its point, with a dashed horizontal ``target`` line labelled "เป้าหมาย 85" and, under each x
    label, its ``point_labels`` entry (e.g. the level "ผ่านดีเยี่ยม"). A missing value (None) draws no point and
    breaks the line. The value axis runs from the lowest value or the target, rounded down to ten, to 100.

    Returns an inline ``<svg>`` (see the module docstring); raises ValueError when ``point_labels`` does not
    have one entry per point."""
    if point_labels is not None and len(point_labels) != len(points):
        raise ValueError("point_labels needs one entry per point")
    labels = point_labels or [""] * len(points)
    chart_id = chart_id or _chart_id("line", title, (points, target, labels))
    values = [v for _label, v in points if v is not None]
    bottom, top, step = _line_scale(values, target)
    left, right, top_margin = 38, 10, 28
    spacing = (WIDTH - left - right) / max(len(points), 1)
    crowded = any(labels) and spacing < 70  # long pass labels would overlap: write them slanted
    bottom_margin = 28 + (52 if crowded else 20 if any(labels) else 0)
    plot_h = 170
    height = top_margin + plot_h + bottom_margin

    def y_of(value: Decimal | float) -> float:
        return top_margin + plot_h - plot_h * (float(value) - bottom) / (top - bottom)

    def x_of(index: int) -> float:
        return left + spacing * (index + 0.5)

    desc = "; ".join(f"{label}: {number(value)}" + (f" ({extra})" if extra else "")
                     for (label, value), extra in zip(points, labels, strict=True))
    if target is not None:
        desc += ". " + _target_label(target)
    out = _open(chart_id, height, title, desc, "line-chart")
    for tick in range(bottom, top + 1, step):
        y = y_of(tick)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_text(left - 5, y + 4, str(tick), anchor="end", size=SMALL, fill=MUTED))
    if target is not None:
        y = y_of(target)
        out.append(f'<line class="target" x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
                   f'stroke="{BELOW}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        out.append(_text(left + 4, y - 5, _target_label(target), size=SMALL, fill=BELOW, css_class="target-label"))
    segments: list[list[str]] = [[]]
    for index, (_label, value) in enumerate(points):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(f"{x_of(index):.1f},{y_of(value):.1f}")
    for segment in segments:
        if len(segment) > 1:
            out.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{BAR}" stroke-width="2.5"/>')
    for index, ((label, value), extra) in enumerate(zip(points, labels, strict=True)):
        x = x_of(index)
        if value is not None:
            y = y_of(value)
            below = target is not None and value < target
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{BELOW if below else BAR}" '
                       f'stroke="#fff" stroke-width="1.5"/>')
            out.append(_text(x, y - 9, (BELOW_MARK + " " if below else "") + number(value), anchor="middle",
                             weight="700", css_class="value"))
        axis_y = top_margin + plot_h + 20
        out.append(_text(x, axis_y, label, anchor="middle", css_class="x-label"))
        if extra and crowded:
            out.append(_text(x + 4, axis_y + 14, extra, anchor="end", size=SMALL, fill=MUTED, css_class="point-label",
                             transform=f"rotate(-35 {x + 4:.1f} {axis_y + 14:.1f})"))
        elif extra:
            out.append(_text(x, axis_y + 18, extra, anchor="middle", size=SMALL, fill=MUTED, css_class="point-label"))
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


# --- horizontal bars -----------------------------------------------------------------------------------------

def _horizontal_bars(*, kind: str, rows: list[tuple[str, float | None, str, str, bool]], maximum: float,
                     target: Decimal | None, title: str, desc: str, legend: bool, chart_id: str | None) -> SafeString:
    """Rows ``(label, value, value text, annotation, highlighted)``: the label on its own line, the bar under it
    from 0 to ``value`` on a 0–``maximum`` scale, the value and annotation at the right; highlighted bars are
    hatched in another colour and their value marked "▼"."""
    chart_id = chart_id or _chart_id(kind, title, (rows, maximum, target))
    left, value_column, row_h, bar_h = 4, 104, 44, 14
    plot_w = WIDTH - left - value_column
    head = 4 + (22 if legend else 0) + (22 if target is not None else 0)
    height = head + row_h * len(rows) + 6
    out = _open(chart_id, height, title, desc, f"bar-chart {kind}")
    pattern = f"{chart_id}-below"
    out.append(f'<defs><pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse" '
               f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{BELOW_LIGHT}"/>'
               f'<rect width="3" height="6" fill="{BELOW}"/></pattern></defs>')

    def x_of(value: float) -> float:
        return left + plot_w * min(max(value, 0.0), maximum) / maximum if maximum else left

    if legend:
        meets = _("At or above the target")
        second = left + 16 + _text_width(meets, SMALL) + 14
        out.append(f'<rect x="{left}" y="5" width="12" height="12" fill="{BAR}"/>')
        out.append(_text(left + 16, 16, meets, size=SMALL))
        out.append(f'<rect x="{second:.1f}" y="5" width="12" height="12" fill="url(#{pattern})"/>')
        out.append(_text(second + 16, 16, f"{BELOW_MARK} " + _("Below the target"), size=SMALL, fill=BELOW))
    for index, (label, value, value_text, annotation, highlighted) in enumerate(rows):
        y = head + index * row_h
        out.append(_text(left, y + 15, label, css_class="bar-label"))
        bar_y = y + 22
        out.append(f'<rect x="{left}" y="{bar_y}" width="{plot_w}" height="{bar_h}" fill="#eef2f8"/>')
        if value is not None and value > 0:
            fill = f"url(#{pattern})" if highlighted else BAR
            css = "bar below" if highlighted else "bar"
            out.append(f'<rect class="{css}" x="{left}" y="{bar_y}" width="{x_of(value) - left:.1f}" '
                       f'height="{bar_h}" fill="{fill}"/>')
        shown = (f"{BELOW_MARK} " if highlighted else "") + value_text
        out.append(_text(left + plot_w + 6, bar_y + 12, shown, weight="700", fill=BELOW if highlighted else None,
                         css_class="value"))
        if annotation:
            out.append(_text(WIDTH - 2, bar_y + 12, annotation, anchor="end", size=SMALL, fill=MUTED,
                             css_class="annotation"))
    if target is not None and maximum:
        x = x_of(float(target))
        out.append(f'<line class="target" x1="{x:.1f}" y1="{head - 16}" x2="{x:.1f}" y2="{height - 4}" '
                   f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="5 3"/>')
        out.append(_text(x - 4, head - 8, _target_label(target), anchor="end", size=SMALL, css_class="target-label"))
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def bar_chart(*, bars: list[tuple[str, Decimal | None]], target: Decimal | None = None,
              maximum: Decimal = Decimal(100), title: str, highlight_below_target: bool = True,
              annotations: list[str] | None = None, chart_id: str | None = None) -> SafeString:
    """Horizontal bars ``[(label, value)]`` on a 0–``maximum`` scale (scores: 0–100), e.g. the ten indicators,
    with a dashed vertical ``target`` line (85). With ``highlight_below_target``, a bar below the target is
    hatched in red and its value marked "▼" (colour and pattern and a mark, never colour alone; a legend says
    which is which). ``annotations`` (one per bar, "" for none) are written at the right, e.g. the change from
    the previous year "+5.55". A missing value draws no bar and reads "–".

    Returns an inline ``<svg>`` (see the module docstring); raises ValueError when ``annotations`` does not have
    one entry per bar."""
    if annotations is not None and len(annotations) != len(bars):
        raise ValueError("annotations needs one entry per bar")
    notes = annotations or [""] * len(bars)
    rows = []
    descriptions = []
    for (label, value), note in zip(bars, notes, strict=True):
        below = highlight_below_target and target is not None and value is not None and value < target
        rows.append((label, None if value is None else float(value), number(value), note, below))
        descriptions.append(f"{label}: {number(value)}" + (f" ({note})" if note else "")
                            + (f" – {_('Below the target')}" if below else ""))
    desc = "; ".join(descriptions) + (f". {_target_label(target)}" if target is not None else "")
    legend = highlight_below_target and target is not None
    return _horizontal_bars(kind="bars", rows=rows, maximum=float(maximum), target=target, title=title, desc=desc,
                            legend=legend, chart_id=chart_id)


def count_bars(*, rows: list[tuple[str, int]], title: str, annotations: list[str] | None = None,
               chart_id: str | None = None) -> SafeString:
    """Horizontal bars of counts ``[(label, count)]`` (a distribution: statuses, departments, levels), scaled to
    the largest count, each count written at the right with its ``annotations`` entry (e.g. the share "56%").

    Returns an inline ``<svg>``; raises ValueError when ``annotations`` does not have one entry per row."""
    if annotations is not None and len(annotations) != len(rows):
        raise ValueError("annotations needs one entry per row")
    notes = annotations or [""] * len(rows)
    largest = max((count for _label, count in rows), default=0)
    desc = "; ".join(f"{label}: {count}" + (f" ({note})" if note else "")
                     for (label, count), note in zip(rows, notes, strict=True))
    bars = [(label, float(count), str(count), note, False) for (label, count), note in zip(rows, notes, strict=True)]
    return _horizontal_bars(kind="counts", rows=bars, maximum=float(largest or 1), target=None, title=title,
                            desc=desc, legend=False, chart_id=chart_id)
