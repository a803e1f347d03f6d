"""Pages of country-wide lists that cost the same at any depth (issue 23 §2).

Two shapes, for what an index can and cannot serve:

- ``NullsLastRows``: a list sorted by a column of a LEFT JOINed row (the overview by ITA, level, change: the
  organization's result of the year, missing for some) cannot be read in the order of an index on that column,
  because PostgreSQL reads a LEFT JOIN from the organizations' side. Sorted "nulls last", the rows with a value come
  first: they are an inner join (the value ``IS NOT NULL``), which the index on (fiscal year, value) serves in
  order (a page reads its 50 rows, not the whole year); the rows without a value follow, by name.
- ``DeferredPageQuerySet``: a deep page (``OFFSET`` 24,950 of the national measure list) reads the keys of the
  rows it skips, not the rows: the page's primary keys come from a narrow query that an index-only scan can serve,
  then the page's 50 rows by key. With ``remembering(seconds)``, a page read again or the page after one read
  starts after a remembered row (keyset pagination) and skips nothing at all.
"""
import datetime as dt
import hashlib
from collections.abc import Iterator

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone


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

    ``remembering(seconds)`` adds remembered positions (keyset, "seek" pagination, for lists of the whole country):
    each slice remembers, in the cache, the sort values of the row before it (read with it) and of its last row but
    one (with django-tables2's ``LazyPaginator``, which reads one row ahead, the last row of the page: the row
    before the next page); a later slice that starts at a remembered position reads the rows after that row —
    ``WHERE (sort columns) > (those values) … LIMIT`` — instead of skipping the rows before it, so page 500, or page
    N + 1 after page N, costs what page 1 costs. The rows are read fresh (one deleted since is not shown, the next
    row takes its place; one added since after the remembered row is shown, never skipped); only the position is
    remembered. The position is the query's own: its key is a digest of the query's SQL and parameters (scope,
    filters, sort, today's date) and the offset, so two queries share one only when they are the same query. When
    the data did not change, a slice from a remembered position is exactly the ``OFFSET`` slice
    (``tests/measures/test_measure_list_positions.py``); when
    rows were added or deleted before it since, its page number is off by as many rows, at most for ``seconds``
    from when the position was first read by ``OFFSET`` (positions remembered from remembered ones keep that time).
    The slice that read from a remembered position sets ``remembered_at`` (aware) on the queryset sliced, for the
    page to say so. Only sorts that end with the primary key and name non-null columns of the rows read
    (``values()``) are remembered; any other sort reads by ``OFFSET`` as above.

    Make one with ``DeferredPageQuerySet.of(queryset)``; filters, ``values()`` and sorts keep the class."""

    _remember_seconds: int | None = None
    remembered_at: dt.datetime | None = None

    @classmethod
    def of(cls, queryset: QuerySet) -> "DeferredPageQuerySet":
        clone = queryset._chain()
        clone.__class__ = cls
        return clone

    def remembering(self, seconds: int) -> "DeferredPageQuerySet":
        """This queryset, its slices' positions remembered for ``seconds`` (see the class)."""
        clone = self._chain()
        clone._remember_seconds = seconds
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._remember_seconds = self._remember_seconds
        return clone

    def __getitem__(self, key):
        if not isinstance(key, slice) or self._result_cache is not None:
            return super().__getitem__(key)
        if self._remember_seconds and key.stop is not None and key.step is None:
            sort = self._seek_sort()
            if sort is not None:
                return self._remembered_slice(key.start or 0, key.stop, sort)
        if key.start:
            return self._deferred(key)
        return super().__getitem__(key)

    def _deferred(self, key: slice):
        keys = QuerySet.__getitem__(self.values_list("pk", flat=True), key)
        return self.filter(pk__in=keys)

    def _seek_sort(self) -> list[tuple[str, bool]] | None:
        """``[(field path, descending)]`` of this queryset's sort when a position can be remembered in it: plain
        field names, the last the primary key, every one a non-null column (through non-null relations) that the
        rows carry (``values()``); else None."""
        ordering = self.query.order_by
        if not ordering or self._fields is None or ordering[-1].lstrip("-") not in ("pk", "id"):
            return None
        sort = []
        for item in ordering:
            if not isinstance(item, str) or item.startswith("?"):
                return None
            name = item.lstrip("-")
            if name not in ("pk", "id") and (name not in self._fields or not _non_null_path(self.model, name)):
                return None
            sort.append((name, item.startswith("-")))
        if "pk" not in self._fields and "id" not in self._fields:
            return None
        return sort

    def _positions_key(self) -> str:
        """The prefix of the cache keys of this query's positions: a digest of its SQL and parameters."""
        sql, params = self.query.get_compiler(using=self.db).as_sql()
        return "position:" + hashlib.sha256(f"{self.db}\x1f{sql}\x1f{params!r}".encode()).hexdigest()

    def _remembered_slice(self, start: int, stop: int, sort: list[tuple[str, bool]]) -> list:
        """The rows ``start:stop``: after the row remembered for ``start`` when there is one, else by ``OFFSET``
        (reading the row before ``start`` as well); then remembers the row before ``start`` for ``start`` and the
        slice's last row but one (the last row of a page read one row ahead) for ``stop - 1``."""
        key = self._positions_key()
        found = cache.get(f"{key}:{start}") if start else None
        if found is not None:
            values, at = found
            rows = list(QuerySet.__getitem__(self.filter(_after(sort, values)), slice(0, stop - start)))
            before = None
            self.remembered_at = at
        else:
            at = timezone.now()
            if start:
                rows = list(self._deferred(slice(start - 1, stop)))
                before, rows = (rows[0], rows[1:]) if rows else (None, [])
            else:
                rows, before = list(QuerySet.__getitem__(self, slice(0, stop))), None
        left = self._remember_seconds - (timezone.now() - at).total_seconds()
        remembered = {start: before} if before is not None else {}
        if len(rows) == stop - start and len(rows) > 1:
            remembered[stop - 1] = rows[-2]
        if remembered and left >= 1:
            cache.set_many({f"{key}:{offset}": ([_value(row, name) for name, _desc in sort], at)
                            for offset, row in remembered.items()}, timeout=int(left))
        return rows


def _value(row: dict, name: str):
    """The value of the sort column ``name`` in ``row`` (a ``values()`` dict; the primary key as "pk" or "id")."""
    return row["pk" if "pk" in row else "id"] if name in ("pk", "id") else row[name]


def _non_null_path(model, path: str) -> bool:
    """Whether the field ``path`` (``plan__organization__name``) of ``model`` is never NULL: every relation on the
    way and the column itself are ``null=False``."""
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if getattr(field, "null", True) or field.many_to_many or field.one_to_many:
            return False
        model = field.related_model or model
    return True


def _after(sort: list[tuple[str, bool]], values: list) -> Q:
    """The rows after the row whose sort values are ``values`` in the order ``sort`` (each column ascending, or
    descending when its flag is set; the last the primary key, so the order is total): ``c1 > v1 OR (c1 = v1 AND
    (c2 > v2 OR (… AND pk > v)))``, with ``c1 ≥ v1`` alone as well, which an index on the first column serves as the
    start of a range. A row added since right after that row is read; none is skipped."""
    last, last_desc = sort[-1]
    condition = Q(**{f"{last}__{'lt' if last_desc else 'gt'}": values[-1]})
    for (name, descending), value in reversed(list(zip(sort[:-1], values[:-1], strict=True))):
        condition = Q(**{f"{name}__{'lt' if descending else 'gt'}": value}) | (Q(**{name: value}) & condition)
    first, first_desc = sort[0]
    return Q(**{f"{first}__{'lte' if first_desc else 'gte'}": values[0]}) & condition
