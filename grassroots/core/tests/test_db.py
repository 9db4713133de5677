"""Database settings the statements over big subtrees rely on (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from grassroots.core.db import working_memory

pytestmark = pytest.mark.django_db


def _show(setting: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings")
@pytest.mark.django_db(transaction=True)  # no test transaction around: the block's is the outermost
def test_working_memory_is_raised_inside_and_restored_after():
    before = _show("work_mem")
    assert before != "64MB"
    with working_memory(64):
        assert _show("work_mem") == "64MB"
    assert _show("work_mem") == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings")
def test_connections_run_without_jit():
    assert _show("jit") == "off"


def test_working_memory_runs_the_block_on_any_database():
    with working_memory(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
