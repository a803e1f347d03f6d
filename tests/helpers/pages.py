"""Reading rendered HTML: text, tables, sections and the audit log's rows."""
import re
from html import unescape


def rows(page: str) -> list[list[str]]:
    """The body rows of the log table, each a list of its cells' texts."""
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", page, re.S).group(1)
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def text(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it: tags replaced by spaces, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """The rows of the table ``table_id`` (header row included), each a list of its cells' texts."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    assert table, f"no table {table_id}"
    return [[text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)]


def section(page: str, heading_id: str) -> str:
    """The HTML of the ``<section>`` whose heading has ``heading_id``."""
    found = re.search(rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', page, re.S)
    assert found, f"no section {heading_id}"
    return found.group(1)
