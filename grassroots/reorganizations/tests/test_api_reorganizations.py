"""The reorganizations endpoint: a dry run that writes nothing, each persona recording a merge,
each kind's arguments, a split that gives members and candidates to parts, and a list whose
queries do not grow with its rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.models import AuditEntry
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Reorganization
from grassroots.organizations.services import unit_create
from grassroots.reorganizations.services import unit_dissolve

from .helpers import admit, propose, snapshot_counts

DECISION = {
    "effective_date": "2025-07-01",
    "decision_number": "15-QĐ/TU",
    "decision_date": "2025-06-20",
    "issuer": "Ban Thường vụ Tỉnh ủy",
}


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


def test_the_list_does_not_grow_queries_with_rows(tree, as_persona):
    client = as_persona("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/reorganizations/").status_code == 200
        return len(ctx.captured_queries)

    def add(n, start):
        for i in range(start, start + n):
            cell = unit_create(
                actor=None,
                code=f"Q{i}",
                name=f"Chi bộ {i}",
                kind=UnitKind.CELL,
                parent=tree.commune_a,
                valid_from=dt.date(2016, 1, 1),
            )
            unit_dissolve(
                actor=None,
                unit=cell,
                effective_date=dt.date(2025, 7, 1),
                decision_number="1",
                decision_date=dt.date(2025, 6, 1),
                issuer="Đảng ủy",
            )

    add(2, 0)
    few = count()
    add(12, 2)
    assert count() == few
