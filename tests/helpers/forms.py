"""Reading a page's form as a browser would submit it, and the errors shown next to fields and above forms."""
import html
import re
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collects the fields of the page's main form (the first POST form without ``action``; the language and
    log-out forms have one), skipping <template> blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.in_form = self.done = False
        self.template_depth = 0
        self.textarea: str | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.template_depth += tag == "template"
        if self.done or self.template_depth:
            return
        if tag == "form" and a.get("method") == "post" and "action" not in a:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind not in ("file", "submit", "button"):
                self._add(a["name"], a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self._add(self.textarea, "")
        elif tag == "select" and a.get("name"):
            self.select, self.options = a["name"], []

    def handle_endtag(self, tag):
        if tag == "template":
            self.template_depth -= 1
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected] or [v for v, _ in self.options[:1]]
            for value in chosen:
                self._add(self.select, value)
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def form_data(page: str) -> dict:
    """The fields of the page's main form as the browser would post them (lists for repeated names)."""
    reader = _FormReader()
    reader.feed(page)
    data = {}
    for name, values in reader.data.items():
        values = [v[1:] if v.startswith("\n") else v for v in values]  # browsers drop a textarea's first newline
        data[name] = values if len(values) > 1 else values[0]
    data.pop("csrfmiddlewaretoken", None)
    return data


def get_form(client, url: str) -> dict:
    """The fields of the form on ``url`` as the browser would post them; fails if the page shows no form."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = form_data(response.content.decode())
    assert data, "the page shows no form fields"
    return data


def error_next_to(page: str, name: str) -> str:
    """The error text in the field block (``inc/field.html``) of the input named ``name``; "" if none."""
    for block in page.split('<div class="field')[1:]:
        if re.search(rf'name="{re.escape(name)}"', block):
            found = re.search(r'<p class="error" role="alert">(.*?)</p>', block, re.S)
            return html.unescape(found.group(1)) if found else ""
    raise AssertionError(f"the page has no field {name}")


def form_errors(page: str) -> str:
    """The text of the form-wide error boxes (``<div class="error">``)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", box))
                    for box in re.findall(r'<div class="error" role="alert">(.*?)</div>', page, re.S))
