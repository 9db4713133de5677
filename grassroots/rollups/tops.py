"""Which units hold counters (the top of the tree), and the ids on a path: what the counters
of today (`services`) and of past days (`past`) both need."""

from __future__ import annotations

from django.db import connection

from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit

ROLLUP_KINDS = frozenset({UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.BLOC, UnitKind.DISTRICT})


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def _temp_tops(cursor, table: str, rows_of, *, every: bool = False) -> None:
    """A temporary table key → the counter-holding units on the key's path (`every`: every
    unit on it)."""
    tops = (
        None
        if every
        else set(Unit.objects.filter(kind__in=ROLLUP_KINDS).values_list("pk", flat=True))
    )
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"CREATE TEMPORARY TABLE {table} (key_id bigint, top_id bigint)")
    rows = []
    for pk, path in rows_of.values_list("pk", "path").iterator(chunk_size=20000):
        rows.extend((pk, i) for i in _ids(path) if tops is None or i in tops)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} (key_id, top_id) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s)", rows)
    cursor.execute(f"CREATE INDEX {table}_idx ON {table} (key_id, top_id)")
    cursor.execute(f"ANALYZE {table}")
