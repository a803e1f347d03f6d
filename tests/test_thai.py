import datetime as dt

from core.thai import (
    fiscal_year_bounds,
    fiscal_year_of,
    thai_date,
    thai_date_range,
    to_arabic_digits,
    to_thai_digits,
)


def test_it_converts_digits_both_ways():
    assert to_thai_digits("96.55") == "๙๖.๕๕"
    assert to_arabic_digits("๙๖.๕๕ e๑๕") == "96.55 e15"
    assert to_thai_digits(2568) == "๒๕๖๘"


def test_it_formats_the_memo_date_of_seed_004():
    assert thai_date(dt.date(2021, 3, 31)) == "๓๑ มีนาคม ๒๕๖๔"
    assert thai_date(dt.date(2023, 12, 28), thai_digits=False) == "28 ธันวาคม 2566"
    assert thai_date(None) == ""


def test_it_formats_a_timeframe_like_seed_002():
    assert thai_date_range(dt.date(2025, 10, 1), dt.date(2026, 9, 30)) == "๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙"


def test_october_belongs_to_the_next_fiscal_year():
    assert fiscal_year_of(dt.date(2024, 9, 30)) == 2567
    assert fiscal_year_of(dt.date(2024, 10, 1)) == 2568
    assert fiscal_year_bounds(2568) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))


def test_it_writes_a_moment_in_bangkok_time_with_the_official_hour_format():
    from core.thai import thai_datetime

    moment = dt.datetime(2026, 11, 26, 16, 8, tzinfo=dt.UTC)  # 23.08 in Bangkok
    assert thai_datetime(moment) == "๒๖ พฤศจิกายน ๒๕๖๙ เวลา ๒๓.๐๘ น."
    assert thai_datetime(moment, thai_digits=False) == "26 พฤศจิกายน 2569 เวลา 23.08 น."
    assert thai_datetime(None) == ""

