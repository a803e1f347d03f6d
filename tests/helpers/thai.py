"""Finding English words left in the Thai interface."""
import re
from html.parser import HTMLParser

ALLOWED = {
    "ITA", "IIT", "EIT", "OIT", "PDF", "CSV", "XLSX", "SHA", "PNG", "JPEG", "JPG", "DOCX", "HTML", "PKCS", "QR",
    "IP", "PAdES", "URL", "English", "Excel", "JavaScript", "Google", "Microsoft", "Authenticator", "FreeOTP",
}


# Words of the seed documents and test data (typed by people, not the interface).
DATA = {"Integrity", "and", "Transparency", "Assessment", "E-Service", "E-service", "Survey", "Public", "Facebook",
        "service", "Service", "Line", "www", "http", "https", "go", "th", "com",
        "admin", "staff", "mayor", "clerk", "khok", "ma",  # the personas' user names (tests/conftest.py)
        "SERVICE", "Gift", "Policy"}  # OIT item titles as NACC writes them (data/oit: "E-SERVICE", "No Gift Policy")


ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")


class VisibleText(HTMLParser):
    """The text a reader (or a screen reader) meets: text nodes outside script/style/svg, option texts, and the
    ``placeholder``, ``title``, ``alt`` and ``aria-label`` attributes."""

    SKIP = {"script", "style", "svg", "code", "textarea"}

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "alt", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(page: str, also_allowed: set[str]) -> set[str]:
    reader = VisibleText()
    reader.feed(page)
    return set(ENGLISH.findall(" ".join(reader.parts))) - ALLOWED - DATA - also_allowed
