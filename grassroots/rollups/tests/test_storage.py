"""How the counter tables are stored: an event's updates stay in place (no index written), and
no index is kept twice."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from grassroots.members import services as ms
from grassroots.rollups.models import PastCount, SubtreeCount
from grassroots.rollups.tests.ledger import admit_thai_woman

COUNTERS = (PastCount, SubtreeCount)


@pytest.mark.django_db
@pytest.mark.parametrize("model", COUNTERS, ids=lambda m: m.__name__)
def test_the_unit_has_no_index_of_its_own_beside_the_key_that_starts_with_it(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    indexed = [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]
    assert ["unit_id"] not in indexed
    assert any(columns[0] == "unit_id" for columns in indexed if len(columns) > 1)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's page fill")
def test_a_back_dated_recognition_updates_its_counters_in_place(country):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN (%s, %s)",
            [m._meta.db_table for m in COUNTERS],
        )
        assert dict(cursor.fetchall()) == {
            "rollups_pastcount": ["fillfactor=90"],
            "rollups_subtreecount": ["fillfactor=80"],
        }
    today = timezone.localdate()
    admitted = today - dt.timedelta(days=800)
    first, second = (
        admit_thai_woman(country.cell_a1, name, admitted) for name in ("Lò Thị Ánh", "Lò Thị Bình")
    )
    recognized = today - dt.timedelta(days=425)
    ms.member_recognize(actor=None, member=first, decision_date=recognized)
    with connection.cursor() as cursor:
        # This transaction's (the test's) statistics, before and after the second recognition:
        # it moves the rows the first one wrote.
        counts = "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s"
        cursor.execute(counts, ["rollups_pastcount"])
        updated, in_place = cursor.fetchone()
        ms.member_recognize(actor=None, member=second, decision_date=recognized)
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # not the figures read above
        cursor.execute(counts, ["rollups_pastcount"])
        updated_after, in_place_after = cursor.fetchone()
    assert updated_after - updated > 0
    assert in_place_after - in_place == updated_after - updated
