"""OIT item codes: one canonical spelling, so codes typed in any year's style compare equal.

NACC wrote O1…O43 (2563–2566), o1… (2567) and O1…O26 (2568–2569); documents print them with Thai digits
(seed 003: "O๒๘"). The canonical form is upper-case "O" and Arabic digits: ``code_normalise("o๒๘") == "O28"``.
"""
import re

from core.thai import to_arabic_digits

_CODE = re.compile(r"^\s*[oO]\s*[-.]?\s*(\d{1,3})\s*$")


def code_normalise(code: str) -> str | None:
    """``code`` as stored on ``Item.code`` ("O" + Arabic digits, no leading zeros), or None when it is not an OIT
    code (e.g. an IIT question "i13")."""
    match = _CODE.match(to_arabic_digits(code or ""))
    return f"O{int(match.group(1))}" if match else None
