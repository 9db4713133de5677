"""Bulk row writer: PostgreSQL COPY (psycopg 3) or batched executemany on SQLite.

Used where rows come by the hundred thousand (the national generator, big imports). Rows are
tuples in the order of the columns declared for each model; ids are taken ahead (so that
members, their intervals and their events can refer to each other without a round trip): on
PostgreSQL in blocks from the table's own sequence, so concurrent writers never collide; on
SQLite (one writer at a time) after the largest id. Nothing here sends a signal: callers write
the audit entries they need themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Max, Model


class BulkWriter:
    """Buffers rows per table and flushes them in batches through the fastest path of the
    backend. Call `flush_all()` before reading what was written."""

    def __init__(self, *, batch_size: int = 20_000):
        self.vendor = connection.vendor
        self.batch_size = batch_size
        self._columns: dict[type[Model], list[str]] = {}
        self._buffers: dict[type[Model], list[tuple]] = {}
        self._next_id: dict[type[Model], int] = {}
        self._id_blocks: dict[type[Model], list[int]] = {}
        self._sequences: dict[type[Model], str] = {}
        self.written: dict[str, int] = {}

    # --- ids --------------------------------------------------------------------------

    def next_id(self, model: type[Model]) -> int:
        """A free primary key of `model`."""
        if self.vendor == "postgresql":
            block = self._id_blocks.get(model)
            if not block:
                block = self._id_blocks[model] = self._reserve(model)
            return block.pop()
        if model not in self._next_id:
            self._next_id[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        value = self._next_id[model]
        self._next_id[model] = value + 1
        return value

    def _reserve(self, model: type[Model], count: int = 10_000) -> list[int]:
        with connection.cursor() as cursor:
            sequence = self._sequences.get(model)
            if sequence is None:
                # Looked up once: inside nextval() the lookup would run for every id (six
                # times the cost of the ids themselves).
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)",
                    [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column],
                )
                sequence = self._sequences[model] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
            )
            ids = [row[0] for row in cursor.fetchall()]
        ids.reverse()  # pop() hands them out in increasing order
        return ids

    # --- rows -------------------------------------------------------------------------

    def declare(self, model: type[Model], fields: Sequence[str]) -> None:
        """The fields (attnames, e.g. `unit_id`) of the tuples that will be written for `model`."""
        self._columns[model] = [model._meta.get_field(_field_name(model, f)).column for f in fields]
        self._buffers.setdefault(model, [])

    def add(self, model: type[Model], row: tuple) -> None:
        buffer = self._buffers[model]
        buffer.append(row)
        if len(buffer) >= self.batch_size:
            self.flush(model)

    def add_many(self, model: type[Model], rows: Iterable[tuple]) -> None:
        for row in rows:
            self.add(model, row)

    def flush(self, model: type[Model]) -> None:
        rows = self._buffers.get(model)
        if not rows:
            return
        table = model._meta.db_table
        columns = self._columns[model]
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(
                    f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",
                    rows,
                )
        self.written[table] = self.written.get(table, 0) + len(rows)
        rows.clear()

    def flush_all(self) -> None:
        for model in list(self._buffers):
            self.flush(model)


def _field_name(model: type[Model], attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise LookupError(f"{model.__name__} has no column {attname}")


class DeferredIndexes:
    """On PostgreSQL, drops the secondary indexes of big tables before a load and rebuilds
    them after it, inside the same transaction (building an index once is several times
    cheaper than maintaining it row by row). Indexes backing constraints are kept."""

    def __init__(self, models: Sequence[type[Model]]):
        self.tables = [m._meta.db_table for m in models]
        self.saved: list[tuple[str, str]] = []

    def drop(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c
                    WHERE c.conindid
                      = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
                  )
                """,
                [self.tables],
            )
            self.saved = list(cursor.fetchall())
            for name, _definition in self.saved:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    def restore(self, progress=None) -> None:
        if not self.saved:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for name, definition in self.saved:
                if progress:
                    progress(f"  index {name}")
                cursor.execute(definition)
        self.saved = []
