"""Pages of country-wide lists that cost the same at any depth (issue 23 §2).

Two shapes, for what an index can and cannot serve:

- ``NullsLastRows``: a list sorted by a column of a LEFT JOINed row (the overview by ITA, level, change: the
  organization's result of the year, missing for some) cannot be read in the order of an index on that column,
  because PostgreSQL reads a LEFT JOIN from the organizations' side. Sorted "nulls last", the rows with a value come
  first: they are an inner join (the value ``IS NOT NULL``), which the index on (fiscal year, value) serves in
  order (a page reads its 50 rows, not the whole year); the rows without a value follow, by name.
- ``DeferredPageQuerySet``: a deep page (``OFFSET`` 24,950 of the national measure list) reads the keys of the
  rows it skips, not the rows: the page's primary keys come from a narrow query that an index-only scan can serve,
  then the page's 50 rows by key.
"""
from collections.abc import Iterator

from django.db.models import QuerySet


class NullsLastRows:
    """``with_value`` (the rows whose sort value is not NULL, in the sort's order) followed by ``without_value``
    (the others, in theirs), as one sequence that django-tables2 pages and exports like a queryset: slicing reads
    only the part(s) the slice covers — the first page one query; a later page the first part's count, then the
    rows of the part(s) it shows, so a page past the first part never reads the rows it skips there —,
    ``count()`` is ``whole.count()`` (one query over the filtered rows), ``iterator()`` chains both.

    ``whole`` is the filtered, unsorted queryset both parts come from; ``query`` and ``model`` are the first
    part's, for django-tables2's inspection of the ordering."""

    def __init__(self, *, whole: QuerySet, with_value: QuerySet, without_value: QuerySet):
        self.whole, self.with_value, self.without_value = whole, with_value, without_value
        self.model, self.query = with_value.model, with_value.query
        self._first_count: int | None = None

    def first_count(self) -> int:
        if self._first_count is None:
            self._first_count = self.with_value.count()
        return self._first_count

    def count(self) -> int:
        return self.whole.count()

    def order_by(self, *fields) -> QuerySet:
        """A plain sort of every row (django-tables2 calls it when a second column is sorted after this one)."""
        return self.whole.order_by(*fields)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key:key + 1][0]
        start, stop = key.start or 0, key.stop
        if stop is not None and stop <= start:
            return []
        if start:  # a later page: where the first part ends decides what to read (one COUNT, served by the index)
            self.first_count()
        passed = self._first_count is not None and start >= self._first_count
        first = [] if passed else list(self.with_value[start:stop])  # never read the first part's rows to skip them
        if stop is not None and len(first) == stop - start:
            return first
        if first:  # the first part ended inside the slice: it has start + len(first) rows
            self._first_count = start + len(first)
        offset = max(0, start - self.first_count())
        second = self.without_value[offset:stop - self.first_count()] if stop is not None else \
            self.without_value[offset:]
        return first + list(second)

    def __iter__(self) -> Iterator:
        return self.iterator()

    def iterator(self, chunk_size: int = 2000) -> Iterator:
        yield from self.with_value.iterator(chunk_size=chunk_size)
        yield from self.without_value.iterator(chunk_size=chunk_size)


class DeferredPageQuerySet(QuerySet):
    """A queryset whose slices with an offset read their rows in two steps: ``pk IN (the page's primary keys,
    sorted and sliced)``, then the page's rows in the same order. The inner query names only the sort's columns and
    the filters', so an index that holds them (e.g. ``measure_list_walk``) serves it without visiting the skipped
    rows; the outer one reads the page's rows by primary key. Page 1 (no offset) is one plain query.

    Make one with ``DeferredPageQuerySet.of(queryset)``; filters, ``values()`` and sorts keep the class."""

    @classmethod
    def of(cls, queryset: QuerySet) -> "DeferredPageQuerySet":
        clone = queryset._chain()
        clone.__class__ = cls
        return clone

    def __getitem__(self, key):
        if isinstance(key, slice) and key.start and self._result_cache is None:
            keys = QuerySet.__getitem__(self.values_list("pk", flat=True), key)
            return self.filter(pk__in=keys)
        return super().__getitem__(key)
