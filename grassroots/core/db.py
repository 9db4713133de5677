"""Database helpers shared by the apps."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Collate


@contextmanager
def working_memory(megabytes: int = 64, *, parallel: bool = True) -> Iterator[None]:
    """Run the statements inside with more working memory on PostgreSQL (`work_mem`).

    A statement over a whole subtree's raw rows — the members, intervals or events under a
    province or the root — hashes hundreds of thousands of unit ids and groups millions of rows.
    With PostgreSQL's default of 4 MB it sorts them on disk and, worse, tests each row against
    a subquery it can no longer hash: minutes at national scale where 64 MB takes seconds. The
    setting is `SET LOCAL`, so it ends with the transaction opened here (or with the caller's,
    when already inside one). Nothing to do on other databases.

    `parallel=False` keeps the statements in one process: for a small subtree (a commune's
    few thousand rows) starting the workers costs more than they save, and their start-up
    waits made the slowest of its reads twice the median."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{int(megabytes)}MB'")
            if not parallel:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def byte_order(field: str) -> Collate:
    """`field` compared and sorted byte by byte ("C" on PostgreSQL, BINARY on SQLite), whatever
    the database's collation: what an index range over a prefix (`LIKE 'nguyen van%'`) needs."""
    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


def count_per_row(queryset: QuerySet, by: str) -> Coalesce:
    """The number of `queryset`'s rows for each outer row, as an annotation: `queryset` is
    filtered on `OuterRef` by the caller and `by` names the field it is filtered on (0, not
    NULL, where there is none). A correlated count walks the index of `by` once per outer row,
    where a join and a GROUP BY over both tables would hash them whole."""
    counts = queryset.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


@functools.cache
def _prepared_class():
    """A psycopg cursor that prepares every statement it runs (made once: psycopg is imported
    only where PostgreSQL is used)."""
    import psycopg

    class Prepared(psycopg.Cursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return Prepared


def prepared_cursor():
    """A cursor for a statement run at every event with the same text (a member's share of the
    counters): on PostgreSQL it binds its parameters on the server and has psycopg prepare each
    statement once per connection, so that each later run skips the planning — most of such a
    statement's time. Django's own cursors send their statements as text (client-side binding),
    which is never prepared. Elsewhere, a plain cursor. Through Django's cursor wrapper: logged
    and counted like any other statement."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns preparing off for the connection; Django's own cursors never prepare
        # (their statements go as text), so turning it back on reaches only these.
        raw.prepare_threshold = 5
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_class()(raw))
