"""Thai digits, Buddhist-era dates and fiscal years (thai-documents.md §3), and the rules for reading what users
type: plain numbers (``plain_number``) and names and codes without invisible characters (``normalise_text``).

Django's ``th`` locale gives Thai month names with a Christian-era year and Babel has no Buddhist
calendar, so these few rules are written here and tested in ``tests/test_thai.py`` and ``tests/test_bad_input.py``.
"""
import calendar
import datetime as dt
import re
import unicodedata

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


# Plain numbers (issue 12 §7): ASCII digits after Thai digits are turned into Arabic ones, an optional minus, at most
# one decimal point; a comma only between groups of three digits ("1,234.5"). Python's int() and Decimal() also take
# "1_0" (= 10), "1e2", other scripts' digits ("٩٦", "９６") and surrounding "+"; none of these is a plain number.
_PLAIN_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_PLAIN_INTEGER = re.compile(r"-?[0-9]+")
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def plain_number(text: str, *, decimals: bool = True) -> str | None:
    """The number ``text`` as ASCII digits ready for ``int()``/``Decimal()`` ("๙๖.๕๕" → "96.55", " 1,234 " →
    "1234"), or None when it is not a plain number: digits (Thai or Arabic), an optional leading minus, one decimal
    point (only if ``decimals``), thousands commas between groups of three. The one rule of every score and
    whole-number field and of the score import (issue 12 §7: "1_0" was stored as 10)."""
    value = to_arabic_digits(text).strip()
    if _GROUPED.fullmatch(value):
        value = value.replace(",", "")
    pattern = _PLAIN_DECIMAL if decimals else _PLAIN_INTEGER
    return value if pattern.fullmatch(value) else None


# Invisible characters that make two equal-looking names different (issue 12 §7): zero-width space, non-joiner and
# joiner (U+200B–U+200D), word joiner (U+2060), byte order mark / zero-width no-break space (U+FEFF), and the
# bidirectional controls — marks (U+200E, U+200F), embeddings and overrides (U+202A–U+202E), isolates
# (U+2066–U+2069). Thai needs none of them (Unicode Standard ch. 16.2, 23.2; UAX #9).
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def normalise_text(value: str) -> str:
    """``value`` in Unicode Normalization Form C (UAX #15: a decomposed "e" + U+0301 becomes "é"; Thai is
    unchanged) with the zero-width and bidi-control characters removed, so that a name equals the same name typed
    without them and the uniqueness checks see the duplicate. Applied to names and codes (``core.forms``
    ``NameField``, ``QuestionCodesField``), not to free text."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", value))


def is_blank(value: str) -> bool:
    """True when ``value`` holds nothing visible: only white space and format characters (Unicode category Cf: the
    zero-width space U+200B, non-joiner and joiner U+200C/U+200D, word joiner U+2060, byte order mark U+FEFF, soft
    hyphen, bidi marks …). A reason "given" as zero-width spaces is no reason (issue 18 §8)."""
    return all(character.isspace() or unicodedata.category(character) == "Cf" for character in value)


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
    """A typed date that cannot be read; ``code`` is "invalid", "christian_era", "invalid_month" (no such month)
    or "invalid_day" (the month has no such day); ``params`` name the wrong part for the message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def parse_thai_date(text: str) -> dt.date:
    """Read a Buddhist-era date typed by a user: "1/10/2567", "๑-๑๐-๒๕๖๗", "1 ต.ค. 2567", "1 ตุลาคม 2567",
    or the ISO form of the Christian-era date that HTML date pickers send ("2024-10-01").

    A two-digit year is the short Buddhist-era year people write ("30/9/69" is 30 ก.ย. 2569).

    Raises ``ThaiDateError("christian_era")`` when a d/m/y year looks Christian-era (below 2400),
    ``ThaiDateError("invalid_month")`` for a month that is not 1–12 or a Thai month name,
    ``ThaiDateError("invalid_day")`` for a day the month does not have ("31/2/2569"; params ``day``, ``month``
    (its Thai name), ``year`` (BE) and ``days``), and ``ThaiDateError("invalid")`` for anything else.
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
    # At most two digits of day and month and four of the year, before any int(): int() refuses more than 4,300
    # digits with a ValueError of its own (a 5,000-digit date was a server error, issue 12).
    if len(day) > 2 or (month.isdecimal() and len(month) > 2) or len(year) > 4:
        raise ThaiDateError("invalid")
    month_names = {name: number for number, name in enumerate(MONTHS, start=1)}
    month_names |= {abbr: number for number, abbr in enumerate(MONTHS_ABBR, start=1)}
    month_names |= {abbr.replace(".", ""): number for number, abbr in enumerate(MONTHS_ABBR, start=1)}
    # isdecimal, not isdigit: "²" is a digit that int() cannot read.
    month_number = int(month) if month.isdecimal() else month_names.get(month)
    if not (day.isdecimal() and year.isdecimal()) or len(year) not in (2, 4):
        raise ThaiDateError("invalid")
    if not month_number or not 1 <= month_number <= 12:
        if not (month.isdecimal() or re.fullmatch(r"[\u0e00-\u0e7f.]+", month)):  # digits or a Thai word
            raise ThaiDateError("invalid")
        raise ThaiDateError("invalid_month", month=month)
    be = 2500 + int(year) if len(year) == 2 else int(year)  # "69" is 2569: the short BE year
    if be < 2400:
        raise ThaiDateError("christian_era")
    days = calendar.monthrange(be - BE_OFFSET, month_number)[1]
    if not 1 <= int(day) <= days:
        raise ThaiDateError("invalid_day", day=int(day), month=MONTHS[month_number - 1], year=be, days=days)
    return dt.date(be - BE_OFFSET, month_number, int(day))


def short_thai_date(day: dt.date | None) -> str:
    """The typing form of ``day``: "1/10/2567" (BE, Arabic digits); "" for None."""
    return f"{day.day}/{day.month}/{be_year(day.year)}" if day else ""
