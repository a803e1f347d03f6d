"""The dashboards' SVG charts: values → coordinates, the target line, the below-target highlight, escaping and
accessibility (dashboards/charts.py)."""
import re
from decimal import Decimal

import pytest
from django.utils import translation

from dashboards.charts import bar_chart, count_bars, line_chart, number, signed

D = Decimal


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def attributes(svg: str, tag: str, css_class: str) -> list[dict[str, str]]:
    """The attributes of every ``<tag class="css_class" …>`` of ``svg``."""
    found = []
    for element in re.findall(rf'<{tag} class="{css_class}"[^>]*>', svg):
        found.append(dict(re.findall(r'([\w-]+)="([^"]*)"', element)))
    return found


def test_line_chart_puts_values_on_the_scale_with_a_dashed_target_line():
    svg = line_chart(points=[("2567", D("93.99")), ("2568", D("99.54"))], target=D(85),
                     point_labels=["ผ่านดี", "ผ่านดีเยี่ยม"], title="คะแนน ITA รายปี")
    # Scale 80–100 over 170 units from y=28; points at the middle of two 156-unit slots from x=38.
    assert '<polyline points="116.0,79.1 272.0,31.9"' in svg
    (target,) = attributes(svg, "line", "target")
    assert (target["y1"], target["y2"], target["stroke-dasharray"]) == ("155.5", "155.5", "6 4")
    assert ">เป้าหมาย 85</text>" in svg
    assert re.search(r'class="value">93.99</text>.*class="x-label">2567</text>.*class="point-label">ผ่านดี</text>', svg)
    assert 'viewBox="0 0 360 ' in svg and 'width="100%"' in svg


def test_line_chart_marks_points_below_the_target_and_breaks_at_missing_values():
    svg = line_chart(points=[("2562", D("67.87")), ("2563", None), ("2564", D("80.00")), ("2565", D("90.00"))],
                     target=D(85), title="t")
    assert ">▼ 67.87</text>" in svg and ">▼ 80.00</text>" in svg and ">90.00</text>" in svg
    assert svg.count("<polyline") == 1  # 2562 stands alone; 2564–2565 are joined
    assert svg.count("<circle") == 3
    assert ">60</text>" in svg  # the scale starts below the lowest value


def test_charts_are_images_named_by_their_title_and_described_by_their_values():
    svg = line_chart(points=[("2567", D("93.99"))], target=D(85), point_labels=["ผ่านดี"], title="คะแนน ITA")
    labelled_by = re.search(r'role="img" aria-labelledby="([^"]+)"', svg).group(1).split()
    assert [f'id="{id_}"' in svg for id_ in labelled_by] == [True, True]
    assert f'<title id="{labelled_by[0]}">คะแนน ITA</title>' in svg
    assert f'<desc id="{labelled_by[1]}">2567: 93.99 (ผ่านดี). เป้าหมาย 85</desc>' in svg


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & co'
    for svg in (line_chart(points=[(evil, D(90))], point_labels=[evil], title=evil),
                bar_chart(bars=[(evil, D(90))], annotations=[evil], title=evil),
                count_bars(rows=[(evil, 3)], annotations=[evil], title=evil)):
        assert "<script>" not in svg
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg


def test_bar_chart_scales_bars_to_100_and_highlights_those_below_the_target_by_pattern_and_mark():
    svg = bar_chart(bars=[("9. การเปิดเผยข้อมูล", D("76.79")), ("10. การป้องกันการทุจริต", D("100.00"))],
                    target=D(85), annotations=["+5.55", "0.00"], title="ตัวชี้วัด")
    # Bars run over 252 units from x=4: 76.79 → 193.5, 100 → 252; the target at 85 → x 218.2.
    below, = attributes(svg, "rect", "bar below")
    full, = attributes(svg, "rect", "bar")
    assert (below["width"], full["width"]) == ("193.5", "252.0")
    assert below["fill"].startswith("url(#") and below["fill"] != full["fill"]
    assert f'<pattern id="{below["fill"][5:-1]}"' in svg
    (target,) = attributes(svg, "line", "target")
    assert target["x1"] == target["x2"] == "218.2"
    assert ">▼ 76.79</text>" in svg and ">100.00</text>" in svg  # the mark, not colour alone
    assert ">+5.55</text>" in svg and ">▼ ต่ำกว่าเป้าหมาย</text>" in svg  # annotation and legend


def test_bar_chart_without_highlight_or_value():
    svg = bar_chart(bars=[("a", D("50")), ("b", None)], target=D(85), highlight_below_target=False, title="t")
    assert 'class="bar below"' not in svg and "▼" not in svg
    assert len(attributes(svg, "rect", "bar")) == 1
    assert 'class="value">–</text>' in svg


def test_count_bars_scale_to_the_largest_count():
    svg = count_bars(rows=[("ดำเนินการแล้วเสร็จ", 14), ("อยู่ระหว่างดำเนินการ", 7), ("ยังไม่ดำเนินการ", 0)],
                     annotations=["56%", "28%", "0%"], title="สถานะ")
    assert [bar["width"] for bar in attributes(svg, "rect", "bar")] == ["252.0", "126.0"]
    assert ">14</text>" in svg and ">56%</text>" in svg and ">0</text>" in svg
    assert "<desc" in svg and "ดำเนินการแล้วเสร็จ: 14 (56%)" in svg


def test_a_label_list_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        line_chart(points=[("2567", D(90))], point_labels=[], title="t")
    with pytest.raises(ValueError):
        bar_chart(bars=[("a", D(90))], annotations=["+1", "+2"], title="t")
    with pytest.raises(ValueError):
        count_bars(rows=[("a", 1)], annotations=[], title="t")


def test_numbers_as_printed():
    assert [number(D("93.9")), number(7), number(None)] == ["93.90", "7", "–"]
    assert [signed(D("5.55")), signed(D("-0.64")), signed(D("0")), signed(None)] == ["+5.55", "-0.64", "0.00", "–"]
