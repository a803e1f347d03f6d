"""A lighter body for django-tables2 tables that can list the whole country.

django-tables2 renders each cell through ``BoundRow``: it inspects the signature of the render method, builds the
cell's attributes and calls the template engine, for every cell. On the overview and the measure list (50 rows ×
9–11 columns) that was 60 ms of a 110 ms page (issue 9, national dataset). ``LeanTable`` keeps everything
django-tables2 does for a list — the column declarations, headers, sorting (``order_by``/``order_<column>``),
pagination and ``paginated_rows`` for tests — and renders the body itself, with the table's own ``render_<column>``
methods, and the header's sort links and the page links in Python as well (``lean_head``, ``lean_pagination``: the
same markup as django-tables2's ``table.html``, 0.6 of the measure list's 1.7 ms of table template, issue 23 §6):
``{% render_table table "inc/lean_table.html" %}``.

A ``render_<column>`` method of a ``LeanTable`` takes ``record`` and/or ``value``, as in django-tables2 (its
signature is read once per column and page, not once per cell).
"""
import html
import inspect
from collections.abc import Callable

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django_tables2.templatetags.django_tables2 import table_page_range


def _escape(value) -> str:
    """``conditional_escape(value)`` without its lazy-argument wrapper (450 cells a page): safe strings as they are,
    anything else through ``html.escape`` (what ``django.utils.html.escape`` does)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _resolver(accessor: str) -> Callable[[object], object]:
    """``record`` → the value at ``accessor`` ("plan__organization__name"); None when a step is None."""
    key = str(accessor)
    names = key.replace("__", ".").split(".")

    def resolve(record):
        if isinstance(record, dict) and key in record:  # a row of ``values()``: "plan__organization__name" is a key
            return record[key]
        value = record
        for name in names:
            if value is None:
                return None
            value = value.get(name) if isinstance(value, dict) else getattr(value, name, None)
        return value() if callable(value) and not hasattr(value, "all") else value

    return resolve


class LeanTable(tables.Table):
    """A django-tables2 table whose page body is rendered by ``lean_rows`` (see the module docstring)."""

    def url_for(self, name: str, *args) -> str:
        """``reverse(name, args=args)``, resolved once per table and URL name: a pattern with placeholders is
        reversed on first use and filled in for each row (``reverse`` costs about 50 µs, once per row and link
        on a page of 50). Arguments are slugs and numbers, which need no quoting."""
        patterns = self.__dict__.setdefault("_url_patterns", {})
        if name not in patterns:
            placeholders = [str(9_876_543_210 + i) if isinstance(arg, int) else f"zz-arg{i}-zz"
                            for i, arg in enumerate(args)]  # valid for the int and slug converters
            patterns[name] = (reverse(name, args=placeholders), placeholders)
        url, placeholders = patterns[name]
        for placeholder, value in zip(placeholders, args, strict=True):
            url = url.replace(placeholder, str(value))
        return url

    def _choices_of(self, bound_column) -> dict:
        """The display labels of the model field behind ``bound_column`` when it has choices (``kind`` →
        "เทศบาลตำบล"), as django-tables2 shows them; {} otherwise."""
        model = getattr(self._meta, "model", None)
        try:
            field = None
            for name in str(bound_column.accessor).replace("__", ".").split("."):
                field = model._meta.get_field(name)
                model = field.related_model
        except (AttributeError, FieldDoesNotExist):  # not a model field (a computed column): no choices
            return {}
        return {value: label for value, label in (field.flatchoices or [])} if field is not None else {}

    def _cell_renderer(self, bound_column) -> Callable[[object, object], str]:
        """As django-tables2 renders a cell: the column's default ("—") for an empty value (the column's
        ``empty_values``), else ``render_<column>`` when the table has one, else the value (a choice field's
        label); escaped."""
        method = getattr(self, f"render_{bound_column.name}", None)
        default, empty = conditional_escape(bound_column.default), bound_column.column.empty_values
        if method is None:
            labels = self._choices_of(bound_column)
            if labels:
                return lambda record, value: default if value in empty else _escape(labels.get(value, value))
            return lambda record, value: default if value in empty else _escape(value)
        wanted = set(inspect.signature(method).parameters)
        if wanted == {"record", "value"}:
            return lambda record, value: default if value in empty else _escape(method(record=record, value=value))
        if wanted == {"record"}:
            return lambda record, value: default if value in empty else _escape(method(record=record))
        if wanted == {"value"}:
            return lambda record, value: default if value in empty else _escape(method(value=value))

        def render(record, value):
            if value in empty:
                return default
            given = {"record": record, "value": value}
            return _escape(method(**{name: given[name] for name in wanted if name in given}))

        return render

    def lean_rows(self) -> list[SafeString]:
        """The ``<tr>`` of each row of the current page, as HTML."""
        columns = [(format_html(" {}", bound_column.attrs["td"].as_html()) if bound_column.attrs["td"] else "",
                    _resolver(bound_column.accessor), self._cell_renderer(bound_column))
                   for bound_column in self.columns]
        rows = []
        for record in (row.record for row in self.paginated_rows):
            cells = "".join(f"<td{attrs}>{render(record, resolve(record))}</td>"
                            for attrs, resolve, render in columns)
            rows.append(SafeString(f"<tr>{cells}</tr>"))  # every cell escaped above
        return rows

    def _query(self, field: str, value) -> str:
        """The page's query string with ``field`` set to ``value``, escaped for an attribute: what django-tables2's
        ``{% querystring_replace field=value %}`` gives."""
        params = dict(self.request.GET)
        params[field] = value
        return escape("?" + urlencode(params, doseq=True))

    def lean_head(self) -> SafeString:
        """The ``<thead>`` of django-tables2's ``table.html``: each column's header, a sort link on the orderable
        ones (the sort the next click gives), "" when the table shows no header."""
        if not self.show_header:
            return mark_safe("")
        field = self.prefixed_order_by_field
        cells = []
        for column in self.columns:
            header = conditional_escape(column.header)
            if column.orderable:
                header = f'<a href="{self._query(field, column.order_by_alias.next)}">{header}</a>'
            cells.append(f"<th {column.attrs['th'].as_html()}>{header}</th>")
        thead = self.attrs.get("thead")  # as the template: written only when it is an AttributeDict
        attrs = f" {thead.as_html()}" if hasattr(thead, "as_html") else ""
        return mark_safe(f"<thead{attrs}><tr>{''.join(cells)}</tr></thead>")  # noqa: S308 (headers escaped above)

    def lean_pagination(self) -> SafeString:
        """The page links of django-tables2's ``table.html`` (previous, a range of numbers with "…" gaps, next;
        ``table_page_range``), "" on a table of one page or none."""
        page = getattr(self, "page", None)
        if not page or self.paginator.num_pages <= 1:
            return mark_safe("")
        field = self.prefixed_page_field
        items = []
        if page.has_previous():
            items.append(f'<li class="previous"><a href="{self._query(field, page.previous_page_number())}">'
                         f"{escape(gettext('previous'))}</a></li>")
        if page.has_previous() or page.has_next():
            for number in table_page_range(page, self.paginator):
                active = ' class="active"' if number == page.number else ""
                link = "#" if number == "..." else self._query(field, number)
                items.append(f'<li{active}><a href="{link}">{number}</a></li>')
        if page.has_next():
            items.append(f'<li class="next"><a href="{self._query(field, page.next_page_number())}">'
                         f"{escape(gettext('next'))}</a></li>")
        return mark_safe(f'<ul class="pagination">{"".join(items)}</ul>')  # noqa: S308 (values escaped above)
