"""Every relative link in README.md and docs/**/*.md leads somewhere: the file (or folder) exists and, when the link
names a heading (``file.md#heading`` or ``#heading``), that heading is in the file, slugged as GitHub slugs it.

Links to other sites (http, https, mailto) are not followed. Pure Python: no Django, no database."""
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
# [text](target) and ![alt](target), with an optional "title"; the target has no spaces.
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
EXTERNAL = ("http:", "https:", "mailto:")


def _prose(text: str) -> str:
    """The text without code blocks and code spans, where a bracket is not a link."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text (links and emphasis reduced to their words), lower case, without
    punctuation and symbols (letters, marks — Thai vowels and tone marks —, digits, ``_`` and ``-`` kept), each space
    a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = unicodedata.normalize("NFC", text).strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings; a repeated heading gets -1, -2… as on GitHub."""
    seen: dict[str, int] = {}
    result = set()
    for match in HEADING.finditer(FENCE.sub("", path.read_text(encoding="utf-8"))):
        slug = github_slug(match.group(1))
        if slug in seen:
            seen[slug] += 1
            slug = f"{slug}-{seen[slug]}"
        else:
            seen[slug] = 0
        result.add(slug)
    return result


def links(path: Path) -> list[str]:
    return LINK.findall(_prose(path.read_text(encoding="utf-8")))


def broken_links(path: Path) -> list[str]:
    """The links of ``path`` that lead nowhere, each with the reason."""
    problems = []
    for target in links(path):
        if target.lower().startswith(EXTERNAL):
            continue
        file_part, _, anchor = target.partition("#")
        destination = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not destination.exists():
            problems.append(f"{target}: no such file {_shown(destination)}")
            continue
        if anchor and destination.is_file() and destination.suffix == ".md":
            if unquote(anchor).lower() not in anchors(destination):
                problems.append(f"{target}: no heading #{anchor} in {_shown(destination)}")
    return problems


def test_the_documents_are_found_and_have_links():
    """Guard against a check that passes because it reads nothing."""
    assert ROOT / "README.md" in DOCUMENTS
    assert len(DOCUMENTS) > 10
    assert len(links(ROOT / "README.md")) > 10


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document):
    problems = broken_links(document)
    assert not problems, "broken links:\n" + "\n".join(problems)


def test_github_slugs():
    assert github_slug("Executives and the people on a memo's route") == "executives-and-the-people-on-a-memos-route"
    assert github_slug("Signing PDFs (PAdES)") == "signing-pdfs-pades"
    assert github_slug("The ITA rules, as data") == "the-ita-rules-as-data"
    assert github_slug("Thai documents: what to know") == "thai-documents-what-to-know"
    assert github_slug("ผู้ใช้และบทบาท") == "ผู้ใช้และบทบาท"


def test_a_broken_link_is_reported(tmp_path):
    (tmp_path / "there.md").write_text("# A heading\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok](there.md#a-heading) [ok](#top) [web](https://example.org/x)\n"
        "![missing](nowhere.png) [bad anchor](there.md#no-such-heading) `[in code](nowhere.md)`\n\n# Top\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        f"nowhere.png: no such file {tmp_path / 'nowhere.png'}",
        "there.md#no-such-heading: no heading #no-such-heading in " + str(tmp_path / "there.md"),
    ]
