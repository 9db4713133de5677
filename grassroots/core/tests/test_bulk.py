"""The bulk writer hands out ids no other row takes, and writes its rows through the
backend's bulk path (COPY on PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection

from grassroots.core.bulk import BulkWriter
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create

COLUMNS = [
    "id",
    "code",
    "name",
    "name_folded",
    "kind",
    "cell_subtype",
    "parent_id",
    "path",
    "depth",
    "valid_from",
    "address",
    "created_at",
    "updated_at",
]


def central():
    return unit_create(
        actor=None,
        code="TW",
        name="Trung ương",
        kind=UnitKind.CENTRAL,
        valid_from=dt.date(2015, 1, 1),
    )


def write_provinces(writer, parent, ids):
    writer.declare(Unit, COLUMNS)
    for i, pk in enumerate(ids):
        writer.add(
            Unit,
            (
                pk,
                f"T{i}",
                f"Tỉnh {i}",
                f"tinh {i}",
                UnitKind.PROVINCE,
                "",
                parent.pk,
                f"{parent.path}{pk}/",
                1,
                parent.valid_from,
                "",
                parent.created_at,
                parent.created_at,
            ),
        )
    writer.flush_all()


@pytest.mark.django_db
def test_rows_are_written_with_ids_after_those_already_there():
    root = central()
    writer = BulkWriter(batch_size=2)
    ids = [writer.next_id(Unit) for _ in range(5)]
    assert ids == sorted(ids) and len(set(ids)) == 5 and min(ids) > root.pk
    write_provinces(writer, root, ids)
    assert set(Unit.objects.filter(parent=root).values_list("pk", flat=True)) == set(ids)
    assert writer.written == {Unit._meta.db_table: 5}


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_ids_taken_ahead_never_meet_those_of_rows_saved_meanwhile():
    if connection.vendor != "postgresql":
        pytest.skip("On SQLite there is one writer at a time: ids follow the largest one.")
    writer = BulkWriter()
    taken = [writer.next_id(Unit) for _ in range(3)]
    root = central()  # saved by another path, between two ids taken ahead
    taken += [writer.next_id(Unit) for _ in range(3)]
    assert taken == sorted(taken) and len(set(taken)) == 6 and root.pk not in taken
    write_provinces(writer, root, taken)
    assert set(Unit.objects.filter(parent=root).values_list("pk", flat=True)) == set(taken)
