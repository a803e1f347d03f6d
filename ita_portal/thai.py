"""Thai digits, Buddhist-era dates and fiscal years (thai-documents.md §3).

Django's ``th`` locale gives Thai month names with a Christian-era year and Babel has no Buddhist
calendar, so these few rules are written here and tested in ``tests/test_thai.py``.
"""
import datetime as dt

BE_OFFSET = 543  # BE year = CE year + 543
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"  # U+0E50–U+0E59
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)


def to_thai_digits(value: object) -> str:
    """Return ``str(value)`` with Arabic digits 0–9 replaced by Thai digits ๐–๙."""
    return str(value).translate(_TO_THAI)


def to_arabic_digits(value: str) -> str:
    """Return ``value`` with Thai digits ๐–๙ replaced by Arabic digits 0–9 (for parsing user input)."""
    return value.translate(_TO_ARABIC)


def be_year(ce_year: int) -> int:
    """Buddhist-era year of a Christian-era year (2024 → 2567)."""
    return ce_year + BE_OFFSET


def fiscal_year_of(day: dt.date) -> int:
    """BE fiscal year containing ``day``: Oct–Dec belong to the next year (1 Oct 2024 → 2568)."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a BE fiscal year: 2568 → (2024-10-01, 2025-09-30)."""
    ce_end = fiscal_year - BE_OFFSET
    return dt.date(ce_end - 1, 10, 1), dt.date(ce_end, 9, 30)


def thai_date(day: dt.date | None, *, abbreviated: bool = False, thai_digits: bool = True) -> str:
    """Format ``day`` as "๓๑ มีนาคม ๒๕๖๔" (day, month name, BE year; no "พ.ศ."); "" for None."""
    if day is None:
        return ""
    months = MONTHS_ABBR if abbreviated else MONTHS
    text = f"{day.day} {months[day.month - 1]} {be_year(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def thai_datetime(moment: dt.datetime | None, *, thai_digits: bool = True) -> str:
    """Format an aware ``moment`` in the current time zone (Asia/Bangkok) as "๒๖ พฤศจิกายน ๒๕๖๙ เวลา ๒๓.๐๑ น."
    (the official way of writing a time: hours.minutes and "น."); "" for None."""
    if moment is None:
        return ""
    from django.utils import timezone

    local = timezone.localtime(moment)
    text = f"{thai_date(local.date(), thai_digits=False)} เวลา {local:%H.%M} น."
    return to_thai_digits(text) if thai_digits else text


def thai_date_range(start: dt.date | None, end: dt.date | None, *, thai_digits: bool = True) -> str:
    """Format a timeframe as "๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙"; one side may be missing."""
    parts = [thai_date(d, abbreviated=True, thai_digits=thai_digits) for d in (start, end) if d]
    return " – ".join(parts)


class ThaiDateError(ValueError):
    """A typed date that cannot be read; ``code`` is "invalid" or "christian_era"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_thai_date(text: str) -> dt.date:
    """Read a Buddhist-era date typed by a user: "1/10/2567", "๑-๑๐-๒๕๖๗", "1 ต.ค. 2567", "1 ตุลาคม 2567",
    or the ISO form of the Christian-era date that HTML date pickers send ("2024-10-01").

    Raises ``ThaiDateError("christian_era")`` when a d/m/y year looks Christian-era (below 2400) and
    ``ThaiDateError("invalid")`` for anything else that is not a real date.
    """
    value = " ".join(to_arabic_digits(text).split())
    iso = value.split("-")
    if len(iso) == 3 and len(iso[0]) == 4 and iso[0].isdecimal() and int(iso[0]) < 2400:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ThaiDateError("invalid") from None
    parts = value.replace("/", " ").replace("-", " ").split(" ")
    if len(parts) != 3:
        raise ThaiDateError("invalid")
    day, month, year = parts
    month_names = {name: number for number, name in enumerate(MONTHS, start=1)}
    month_names |= {abbr: number for number, abbr in enumerate(MONTHS_ABBR, start=1)}
    month_names |= {abbr.replace(".", ""): number for number, abbr in enumerate(MONTHS_ABBR, start=1)}
    # isdecimal, not isdigit: "²" is a digit that int() cannot read.
    month_number = int(month) if month.isdecimal() else month_names.get(month)
    if not (day.isdecimal() and year.isdecimal() and month_number):
        raise ThaiDateError("invalid")
    if int(year) < 2400:
        raise ThaiDateError("christian_era")
    try:
        return dt.date(int(year) - BE_OFFSET, month_number, int(day))
    except (ValueError, OverflowError):  # OverflowError: a 20-digit year or month
        raise ThaiDateError("invalid") from None


def short_thai_date(day: dt.date | None) -> str:
    """The typing form of ``day``: "1/10/2567" (BE, Arabic digits); "" for None."""
    return f"{day.day}/{day.month}/{be_year(day.year)}" if day else ""
