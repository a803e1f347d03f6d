"""Bar charts drawn as SVG, which WeasyPrint draws as vectors in the PDF and browsers show in the preview.

Only digits are written inside the SVG: WeasyPrint's SVG text is not shaped, so Thai vowels and tone marks
would print on dotted circles. Titles, legends and axis names are HTML around the drawing (``Chart``).
"""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.thai import to_thai_digits

COLOURS = ("#9db4d3", "#1f4e8c", "#e0a040", "#6a9f58")  # light then dark: the older year reads lighter
FONT = '"ITA Laksaman", "Sarabun", sans-serif'


@dataclass(frozen=True)
class Chart:
    """A drawing and the words that go with it: ``legend`` is ``[(label, colour)]``."""

    title: str
    svg: SafeString
    legend: list[tuple[str, str]]
    x_label: str = ""


def bar_chart(*, categories: list[str], series: list[tuple[str, list[Decimal | None]]], title: str = "",
              x_label: str = "", maximum: int = 100, step: int = 20, width: int = 600, height: int = 400) -> Chart:
    """The grouped bar chart of ``bar_chart_svg`` with its title, legend and x-axis name."""
    svg = bar_chart_svg(categories=categories, series=series, maximum=maximum, step=step, width=width, height=height)
    legend = [(label, COLOURS[s % len(COLOURS)]) for s, (label, _) in enumerate(series)]
    return Chart(title, svg, legend, x_label)


def bar_chart_svg(*, categories: list[str], series: list[tuple[str, list[Decimal | None]]],
                  maximum: int = 100, step: int = 20, width: int = 600, height: int = 400) -> SafeString:
    """Grouped bars: one group per category (x axis), one bar per series, values on a 0–``maximum`` scale with
    grid lines every ``step``; categories and the scale in Thai digits. Missing values draw no bar. Returns an
    ``<svg>`` element sized in user units (``viewBox``), scaled by CSS to the width of its box.

    ``series`` is ``[(label, values)]`` with ``len(values) == len(categories)``; raises ValueError otherwise.
    """
    if any(len(values) != len(categories) for _, values in series):
        raise ValueError("every series needs one value per category")
    left, right, top, bottom = 40, 6, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'aria-hidden="true" font-family=\'{FONT}\' font-size="16">']
    for tick in range(0, maximum + 1, step):
        y = top + plot_h - plot_h * tick / maximum
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ccc" '
                   f'stroke-width="0.8"/>')
        out.append(f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end">{to_thai_digits(tick)}</text>')
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for c, category in enumerate(categories):
        x0 = left + c * group_w + group_w * 0.1
        for s, (_, values) in enumerate(series):
            value = values[c]
            if value is None:
                continue
            h = plot_h * float(value) / maximum
            x, y = x0 + s * bar_w, top + plot_h - h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                       f'fill="{COLOURS[s % len(COLOURS)]}"/>')
        out.append(f'<text x="{x0 + group_w * 0.4:.1f}" y="{top + plot_h + 20}" text-anchor="middle">'
                   f'{escape(to_thai_digits(category))}</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#000"/>')
    out.append("</svg>")
    return mark_safe("".join(out))
