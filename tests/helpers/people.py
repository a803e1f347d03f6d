"""The people pages' messages and response text."""
import re
from html import unescape

LAST_ADMIN = "เป็นผู้ดูแลระบบคนสุดท้ายของหน่วยงาน"


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
