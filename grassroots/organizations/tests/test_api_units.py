import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.models import AuditEntry
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Committee, CommitteeSeat, Reorganization, Unit
from grassroots.organizations.services import unit_create

from .helpers import admit, propose, snapshot_counts

DECISION = {
    "effective_date": "2025-07-01",
    "decision_number": "15-QĐ/TU",
    "decision_date": "2025-06-20",
    "issuer": "Ban Thường vụ Tỉnh ủy",
}


def codes(response):
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"TW", "T01", "XA", "XA-1", "XA-2", "XB", "XB-1"}),
        ("manager_a", {"XA", "XA-1", "XA-2"}),
        ("viewer_a", {"XA", "XA-1", "XA-2"}),
        ("outsider", {"XB", "XB-1"}),
    ],
)
def test_the_unit_list_is_scoped(tree, as_persona, persona, expected):
    assert codes(as_persona(persona).get("/api/v1/units/")) == expected


def test_anonymous_callers_are_refused(tree, as_persona):
    assert as_persona("anonymous").get("/api/v1/units/").status_code in (401, 403)


def test_unit_filters_match_the_pages(tree, as_persona):
    client = as_persona("admin")
    assert codes(client.get("/api/v1/units/", {"q": "muong hum"})) == {"XA", "XA-1"}
    assert codes(client.get("/api/v1/units/", {"kind": "grassroots"})) == {"XA", "XB"}
    assert codes(client.get("/api/v1/units/", {"parent": tree.commune_a.pk})) == {"XA-1", "XA-2"}
    assert codes(client.get("/api/v1/units/", {"code": "xa-1"})) == {"XA-1"}
    assert codes(client.get("/api/v1/units/", {"as_of": "2010-01-01"})) == set()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("viewer_a", 200),
        ("outsider", 404),
    ],
)
def test_retrieve_and_children_are_scoped(tree, as_persona, persona, status):
    client = as_persona(persona)
    assert client.get(f"/api/v1/units/{tree.commune_a.pk}/").status_code == status
    response = client.get(f"/api/v1/units/{tree.commune_a.pk}/children/")
    assert response.status_code == status
    if status == 200:
        assert {n["code"] for n in response.json()["results"]} == {"XA-1", "XA-2"}


NEW = {"code": "XA-9", "name": "Chi bộ thôn Chín", "kind": "cell", "valid_from": "2020-01-01"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("manager_a", 201),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 400),
    ],
)
def test_creating_a_unit_over_the_api(tree, personas, as_persona, persona, status):
    response = as_persona(persona).post(
        "/api/v1/units/", {**NEW, "parent": tree.commune_a.pk}, content_type="application/json"
    )
    assert response.status_code == status, response.content
    unit = Unit.objects.filter(code="XA-9").first()
    if status == 201:
        assert AuditEntry.objects.for_object(unit).get(action="create").actor == personas[persona]
    else:
        assert unit is None


def test_a_refusal_of_the_service_names_the_field(tree, as_persona):
    response = as_persona("manager_a").post(
        "/api/v1/units/",
        {**NEW, "code": "XA-1", "parent": tree.commune_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "code" in response.json()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager_a", 200),
        ("editor_a", 200),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_editing_a_unit_over_the_api(tree, personas, as_persona, persona, status):
    response = as_persona(persona).patch(
        f"/api/v1/units/{tree.cell_a1.pk}/",
        {"address": "Bản Mường Hum"},
        content_type="application/json",
    )
    assert response.status_code == status
    tree.cell_a1.refresh_from_db()
    if status == 200:
        assert tree.cell_a1.address == "Bản Mường Hum"
        assert (
            AuditEntry.objects.for_object(tree.cell_a1).get(action="update").actor
            == personas[persona]
        )
    else:
        assert tree.cell_a1.address == ""


def merge_body(tree, **extra):
    return {
        **DECISION,
        "kind": "merge",
        "sources": [tree.cell_a1.pk, tree.cell_a2.pk],
        "new_code": "XA-M",
        "new_name": "Chi bộ mới",
        **extra,
    }


def test_a_dry_run_returns_the_preview_and_writes_nothing(tree, as_persona):
    admit(tree.cell_a1, "Lò Văn Một")
    before = snapshot_counts()
    response = as_persona("manager_a").post(
        "/api/v1/reorganizations/", merge_body(tree, dry_run=True), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["members_moved"] == 1 and response.json()["units_closed"] == 2
    assert snapshot_counts() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("manager_a", 201),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 400),
    ],
)
def test_recording_a_merge_over_the_api(tree, personas, as_persona, persona, status):
    before = snapshot_counts()
    response = as_persona(persona).post(
        "/api/v1/reorganizations/", merge_body(tree), content_type="application/json"
    )
    assert response.status_code == status, response.content
    if status == 201:
        reorg = Reorganization.objects.get()
        assert {row["predecessor"] for row in response.json()["lineage"]} == {
            tree.cell_a1.pk,
            tree.cell_a2.pk,
        }
        assert AuditEntry.objects.for_object(reorg).get().actor == personas[persona]
    else:
        assert snapshot_counts() == before


def test_each_kind_needs_its_own_arguments_and_refusals_name_fields(tree, as_persona):
    client = as_persona("manager_a")
    response = client.post(
        "/api/v1/reorganizations/", {**DECISION, "kind": "rename"}, content_type="application/json"
    )
    assert (
        response.status_code == 400 and "unit" in response.json() and "new_name" in response.json()
    )
    response = client.post(
        "/api/v1/reorganizations/",
        {**DECISION, "kind": "move", "unit": tree.commune_a.pk, "new_parent": tree.cell_a1.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "cycle" in response.json()["new_parent"][0]
    response = client.post(
        "/api/v1/reorganizations/",
        {**DECISION, "kind": "dissolve", "unit": tree.cell_a2.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get("/api/v1/reorganizations/", {"unit": tree.cell_a2.pk}).json()["count"] == 1


def test_a_split_over_the_api(tree, as_persona):
    from grassroots.members.models import Candidate

    m = admit(tree.cell_a1, "Lò Văn Một")
    c = propose(tree.cell_a1, "Lò Thị Chờ")
    body = {
        **DECISION,
        "kind": "split",
        "source": tree.cell_a1.pk,
        "parts": [
            {"code": "XA-1A", "name": "Một", "members": [m.pk]},
            {"code": "XA-1B", "name": "Hai"},
        ],
    }
    response = as_persona("admin").post(
        "/api/v1/reorganizations/", {**body, "dry_run": True}, content_type="application/json"
    )
    assert response.status_code == 400 and "Lò Thị Chờ" in response.json()["candidates"][0]
    body["parts"][1]["candidates"] = [c.pk]
    response = as_persona("admin").post(
        "/api/v1/reorganizations/", {**body, "dry_run": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["candidates_moved"] == 1
    response = as_persona("admin").post(
        "/api/v1/reorganizations/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert {row["share"] for row in response.json()["lineage"]} == {"1.000000", "0.000000"}
    assert Candidate.objects.get(pk=c.pk).unit.code == "XA-1B"


def test_a_split_over_the_api_cannot_name_a_candidate_outside_ones_subtree(tree, as_persona):
    from grassroots.members.models import Candidate

    admit(tree.cell_a1, "Lò Văn Một")
    elsewhere = propose(tree.cell_b1, "Lò Thị Xa")
    body = {
        **DECISION,
        "kind": "split",
        "source": tree.cell_a1.pk,
        "parts": [
            {"code": "XA-1A", "name": "Một", "candidates": [elsewhere.pk]},
            {"code": "XA-1B", "name": "Hai"},
        ],
    }
    response = as_persona("manager_a").post(
        "/api/v1/reorganizations/", body, content_type="application/json"
    )
    assert (
        response.status_code == 400
        and "does not exist" in response.json()["parts"]["0"]["candidates"][0]
    )
    assert (
        Candidate.objects.get(pk=elsewhere.pk).unit == tree.cell_b1
        and not Reorganization.objects.exists()
    )


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


def test_list_endpoints_do_not_grow_queries_with_rows(tree, as_persona):
    client = as_persona("admin")
    urls = [
        "/api/v1/units/",
        f"/api/v1/units/{tree.commune_a.pk}/children/",
        "/api/v1/reorganizations/",
        "/api/v1/committees/",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    from grassroots.organizations.services import (
        committee_create,
        term_get_or_create,
        unit_dissolve,
    )

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
            unit_dissolve(
                actor=None,
                unit=cell,
                effective_date=dt.date(2025, 7, 1),
                decision_number="1",
                decision_date=dt.date(2025, 6, 1),
                issuer="Đảng ủy",
            )

    add(2, 0)
    few = counts()
    add(12, 2)
    assert counts() == few
