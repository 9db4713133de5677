"""The committee API: the same roles as the pages, and list queries that do not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.committees.models import Committee, CommitteeSeat
from grassroots.committees.services import committee_create, term_get_or_create
from grassroots.core.models import AuditEntry
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.services import unit_create


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("editor_a", 201),
        ("viewer_a", 403),
        ("outsider", 400),
    ],
)
def test_committees_and_seats_over_the_api(tree, personas, as_persona, persona, status):
    client = as_persona(persona)
    response = client.post(
        "/api/v1/committees/",
        {
            "unit": tree.commune_a.pk,
            "term_start_year": 2020,
            "term_end_year": 2025,
            "kind": "executive",
            "elected_size": 15,
        },
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    if status != 201:
        assert not Committee.objects.exists()
        return
    committee = Committee.objects.get()
    assert AuditEntry.objects.for_object(committee).get().actor == personas[persona]
    response = client.patch(
        f"/api/v1/committees/{committee.pk}/",
        {"approved_next_size": 17},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["approved_next_size"] == 17
    response = client.post(
        "/api/v1/committee-seats/",
        {"committee": committee.pk, "person_name": "Vàng A Sử", "position": "secretary"},
        content_type="application/json",
    )
    assert response.status_code == 201
    seat = CommitteeSeat.objects.get()
    response = client.post(
        f"/api/v1/committee-seats/{seat.pk}/end/",
        {"to_date": "2023-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["to_date"] == "2023-01-01"
    assert as_persona("viewer_a").get("/api/v1/committees/").json()["count"] == 1
    assert as_persona("outsider").get(f"/api/v1/committees/{committee.pk}/").status_code == 404
    assert (
        as_persona("viewer_a")
        .post(
            f"/api/v1/committee-seats/{seat.pk}/end/",
            {"to_date": "2023-01-02"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_the_committee_list_does_not_grow_queries_with_rows(tree, as_persona):
    client = as_persona("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/committees/").status_code == 200
        return len(ctx.captured_queries)

    def add(n, start):
        term = term_get_or_create(start_year=2020, end_year=2025)
        for i in range(start, start + n):
            cell = unit_create(
                actor=None,
                code=f"Q{i}",
                name=f"Chi bộ {i}",
                kind=UnitKind.CELL,
                parent=tree.commune_a,
                valid_from=dt.date(2016, 1, 1),
            )
            committee_create(actor=None, unit=cell, term=term, kind="cell", elected_size=1)

    add(2, 0)
    few = count()
    add(12, 2)
    assert count() == few
