"""How people write organization kinds, names and provinces, and the keys that match them (score import,
issue 9 §3).

Kinds are written as abbreviations (อบต., ทต., ทม., ทน., อบจ.), in full (องค์การบริหารส่วนตำบล …), as the portal's
codes (``OrganizationKind`` values) or as "อื่น ๆ"/other. Names come with or without the kind prefix
("เทศบาลตำบลโคกม้า", "ทต.โคกม้า", "โคกม้า"), with Thai or Arabic digits and any spacing; provinces with or without
"จังหวัด"/"จ.". ``name_key`` and ``province_key`` reduce both to what is compared.
"""
import re
import unicodedata

from core.thai import to_arabic_digits

from .choices import OrganizationKind

# The full prefix of each kind, as names are written in the seeds and by NACC (ita-framework.md §1).
KIND_PREFIXES: dict[str, str] = {
    OrganizationKind.SAO: "องค์การบริหารส่วนตำบล",
    OrganizationKind.TAMBON_MUNICIPALITY: "เทศบาลตำบล",
    OrganizationKind.TOWN_MUNICIPALITY: "เทศบาลเมือง",
    OrganizationKind.CITY_MUNICIPALITY: "เทศบาลนคร",
    OrganizationKind.PAO: "องค์การบริหารส่วนจังหวัด",
}
KIND_ABBREVIATIONS: dict[str, str] = {
    OrganizationKind.SAO: "อบต.",
    OrganizationKind.TAMBON_MUNICIPALITY: "ทต.",
    OrganizationKind.TOWN_MUNICIPALITY: "ทม.",
    OrganizationKind.CITY_MUNICIPALITY: "ทน.",
    OrganizationKind.PAO: "อบจ.",
}
OTHER_WORDS = ("อื่นๆ", "อื่น", "other")

# Every written form of a kind, compacted (``_compact``, without dots) → the kind's code.
_KIND_WORDS: dict[str, str] = {}
for _kind in OrganizationKind.values:
    _KIND_WORDS[_kind] = _kind
for _kind, _prefix in KIND_PREFIXES.items():
    _KIND_WORDS[_prefix] = _kind
for _kind, _abbreviation in KIND_ABBREVIATIONS.items():
    _KIND_WORDS[_abbreviation.replace(".", "")] = _kind
for _word in OTHER_WORDS:
    _KIND_WORDS[_word] = OrganizationKind.OTHER

# Prefixes a name may begin with, longest first ("เทศบาลตำบล" before "เทศบาล…" never matters, but
# "องค์การบริหารส่วนจังหวัด" and "องค์การบริหารส่วนตำบล" share their first 18 letters).
_NAME_PREFIXES: list[tuple[str, str]] = sorted(
    [(prefix, kind) for kind, prefix in KIND_PREFIXES.items()]
    + [(abbreviation, kind) for kind, abbreviation in KIND_ABBREVIATIONS.items()]
    + [(abbreviation.replace(".", " "), kind) for kind, abbreviation in KIND_ABBREVIATIONS.items()],
    key=lambda item: -len(item[0]),
)
_PROVINCE_PREFIX = re.compile(r"^(จังหวัด|จ\.)\s*")


def _clean(text: str) -> str:
    """Arabic digits, NFC, sara am as one letter (ํ + า typed apart), single spaces, no spaces around."""
    text = unicodedata.normalize("NFC", to_arabic_digits(str(text))).replace("\u0e4d\u0e32", "\u0e33")
    return " ".join(text.split())


def _compact(text: str) -> str:
    return "".join(_clean(text).split()).casefold()


def kind_from_text(text: str) -> str | None:
    """The ``OrganizationKind`` value of a kind as written ("อบต.", "อบต", "องค์การบริหารส่วนตำบล", "sao",
    "อื่น ๆ", "Other" …), or None when the text names no kind."""
    return _KIND_WORDS.get(_compact(text).replace(".", ""))


def split_kind_prefix(name: str) -> tuple[str | None, str]:
    """``(kind of the prefix, rest of the name)``: "ทต. โคกม้า" → ("tambon_municipality", "โคกม้า");
    a name without a kind prefix → (None, the name). Spaces are collapsed."""
    cleaned = _clean(name)
    for prefix, kind in _NAME_PREFIXES:
        if cleaned.startswith(prefix):
            rest = cleaned[len(prefix):].strip()
            if rest:
                return kind, rest
    return None, cleaned


def full_name(*, kind: str, name: str) -> str:
    """The name as the portal stores it: the full kind prefix and the bare name ("อบต.บ้านพราน" →
    "องค์การบริหารส่วนตำบลบ้านพราน"); a name of kind "other" is kept as written (spaces collapsed)."""
    prefix_kind, bare = split_kind_prefix(name)
    if kind not in KIND_PREFIXES:
        return _clean(name)
    return KIND_PREFIXES[kind] + bare if prefix_kind in (None, kind) else _clean(name)


def name_key(name: str) -> str:
    """What two names of the same organization have in common: no kind prefix, Arabic digits, no spaces,
    case folded ("เทศบาลตำบล โคกม้า", "ทต.โคกม้า" and "โคกม้า" → "โคกม้า")."""
    return _compact(split_kind_prefix(name)[1])


def clean_province(province: str) -> str:
    """A province as stored: without "จังหวัด"/"จ.", spaces collapsed ("จ. บุรีรัมย์" → "บุรีรัมย์")."""
    return _PROVINCE_PREFIX.sub("", _clean(province))


def province_key(province: str) -> str:
    """What two spellings of a province have in common (``clean_province`` without spaces, case folded)."""
    return _compact(clean_province(province))
