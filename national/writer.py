"""Writing millions of generated rows fast, and deleting them again.

``RowWriter.write(model, columns, rows)`` takes rows as tuples of plain values in the order of ``columns`` (field
attnames): ``str``, ``int``, ``Decimal``, ``date``/``datetime``, ``None``, ``list``/``dict`` for JSON fields. On
PostgreSQL it streams them with ``COPY … FROM STDIN`` (psycopg2 ``copy_expert``, text format); elsewhere (SQLite, for
tests and small runs) it calls ``bulk_create``. Fields not in ``columns`` get their model default (a constant);
a model's ``id`` may be left out, the database then numbers the rows. No ``save()``, no signals, no history rows.

``ids_reserve``, ``sequences_reset`` and ``generated_delete`` are the other bulk operations the generator needs.
"""
import io
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.contrib.contenttypes.fields import GenericRelation
from django.core.management.color import no_style
from django.db import connection, models, transaction

# COPY text format: backslash, tab, newline and carriage return are escaped; \N is NULL.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_cell(value) -> str:
    """``value`` as one cell of PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):  # most text needs no escape: str.translate is slow on Thai, test first
        return value if "\\" not in value and value.isprintable() else value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)
    return str(value)  # int, Decimal, date, datetime (ISO, with its UTC offset)


class RowWriter:
    """Writes rows in bulk and keeps, per table, the rows written and the seconds it took (``stats``), and the
    seconds spent committing (``commit_seconds``: PostgreSQL checks the deferred foreign keys then)."""

    def __init__(self, *, batch_size: int = 5000):
        self.copy = connection.vendor == "postgresql"
        self.batch_size = batch_size
        self.stats: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])  # db_table → [rows, seconds]
        self.commit_seconds = 0.0

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction whose commit is timed into ``commit_seconds``."""
        with transaction.atomic():
            yield
            ending = time.perf_counter()
        self.commit_seconds += time.perf_counter() - ending

    def write(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
        """Insert ``rows`` (tuples in ``columns`` order) into ``model``'s table; times it in ``stats``."""
        if not rows:
            return
        started = time.perf_counter()
        if self.copy:
            self._copy(model, columns, rows)
        else:
            objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            model._base_manager.bulk_create(objects, batch_size=self.batch_size)
        entry = self.stats[model._meta.db_table]
        entry[0] += len(rows)
        entry[1] += time.perf_counter() - started

    def _copy(self, model, columns: Sequence[str], rows: list[tuple]) -> None:
        given = set(columns)
        defaults = [f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key]
        names = [*columns, *(f.attname for f in defaults)]
        fields = {f.attname: f for f in model._meta.concrete_fields}
        suffix = "".join("\t" + copy_cell(f.get_default()) for f in defaults) + "\n"
        buffer = io.StringIO()
        buffer.writelines("\t".join(map(copy_cell, row)) + suffix for row in rows)
        buffer.seek(0)
        quoted = ", ".join(connection.ops.quote_name(fields[name].column) for name in names)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN",
                                      buffer)


def ids_reserve(model: type[models.Model]) -> int:
    """The first id above every existing row of ``model``: the generator numbers its rows from there (the rows of
    parents, so that children can point at them before they are written). Run on a quiet database."""
    return (model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def sequences_reset(model_list: Iterable[type[models.Model]]) -> None:
    """Move the id sequences of ``model_list`` past the ids written explicitly (PostgreSQL; a no-op on SQLite,
    whose AUTOINCREMENT follows the largest id)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _dependents(model) -> list[tuple[type[models.Model], str]]:
    """(model, field name pointing at ``model``) for each table whose rows go when a row of ``model`` goes: CASCADE
    foreign keys, the many-to-many tables on either side, and generic relations (the approval log's rows of a plan,
    report or memo, by the relation's query name)."""
    found = []
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            found.append((through, next(f.name for f in through._meta.fields if f.related_model is model)))
        elif relation.on_delete is models.CASCADE:
            found.append((relation.related_model, relation.field.name))
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        found.append((through, next(f.name for f in through._meta.fields if f.related_model is model)))
    for field in model._meta.private_fields:
        if isinstance(field, GenericRelation):
            found.append((field.related_model, field.related_query_name()))
    return found


def _cascade(model, lookup: str, paths: dict, order: list) -> None:
    """Record ``lookup`` as one way from ``model`` to the rows to delete, then go on to its dependents; ``order``
    gets every model after all of its dependents (depth first, post order)."""
    paths.setdefault(model, [])
    if lookup not in paths[model]:
        paths[model].append(lookup)
    for dependent, field_name in _dependents(model):
        if dependent is not model:
            _cascade(dependent, f"{field_name}__{lookup}", paths, order)
    if model not in order:
        order.append(model)


def generated_delete(root: type[models.Model], lookup: str, value) -> dict[str, int]:
    """Delete the rows of ``root`` matching ``{lookup: value}`` and every row that depends on them (CASCADE foreign
    keys and many-to-many rows, found from the models' metadata, so tables added later are covered): per table, one
    ``DELETE … WHERE … IN (subquery)`` per way it hangs from ``root`` (a membership by its organization and by its
    department), dependents before what they depend on, with no per-row signal or history. Returns db_table →
    rows deleted. Call inside a transaction."""
    paths: dict[type[models.Model], list[str]] = {}
    order: list[type[models.Model]] = []
    _cascade(root, lookup, paths, order)
    deleted: dict[str, int] = defaultdict(int)
    for model in order:
        for path in paths[model]:
            queryset = model._base_manager.filter(**{path: value})
            deleted[model._meta.db_table] += queryset._raw_delete(connection.alias)
    return dict(deleted)
