"""The classification API by persona: the same services and access as the pages, with the
saved rows and the query count of the list asserted."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.classifications import services
from grassroots.classifications.choices import Level, StepKind
from grassroots.classifications.models import Circumstance, Classification, ClassificationStep
from grassroots.core.models import AuditEntry

from .helpers import computed_review, members_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(tree):
    members_of(tree.cell_a1, 6)
    return computed_review(tree.commune_a, 2024)


def _members(review):
    return list(Classification.objects.filter(review=review, subject="member").order_by("id"))


def test_the_list_reads_in_a_fixed_number_of_queries_and_only_the_subtree(tree, review, api):
    client = api("viewer_a")
    client.get("/api/v1/classifications/?subject=member")
    with CaptureQueriesContext(connection) as few:
        response = client.get("/api/v1/classifications/?subject=member")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 6
    members_of(tree.cell_a1, 4, prefix="C ")
    computed_review(tree.commune_a, 2024)
    client = api("viewer_a")
    client.get("/api/v1/classifications/?subject=member")
    with CaptureQueriesContext(connection) as more:
        client.get("/api/v1/classifications/?subject=member")
    assert len(more) == len(few)
    assert api("outsider").get("/api/v1/classifications/").json()["results"] == []


def test_decisions_through_the_api_meet_the_same_quota(review, api, manager_a):
    rows = _members(review)
    body = {
        "decisions": [{"classification": c.pk, "level": "well"} for c in rows[2:]]
        + [{"classification": c.pk, "level": "excellent"} for c in rows[:2]]
    }
    response = api("manager_a").post("/api/v1/classifications/decide/", body, format="json")
    assert response.status_code == 400
    assert "exception_reason" in response.json()
    assert not ClassificationStep.objects.filter(kind=StepKind.DECISION).exists()
    body["decisions"][-1]["level"] = "well"
    response = api("manager_a").post("/api/v1/classifications/decide/", body, format="json")
    assert response.status_code == 200
    assert len(response.json()) == 6
    assert ClassificationStep.objects.filter(kind=StepKind.DECISION, actor=manager_a).count() == 6


def test_a_viewer_cannot_decide_through_the_api(review, api):
    c = _members(review)[0]
    body = {"decisions": [{"classification": c.pk, "level": "well"}]}
    assert (
        api("viewer_a").post("/api/v1/classifications/decide/", body, format="json").status_code
        == 403
    )
    response = api("outsider").post("/api/v1/classifications/decide/", body, format="json")
    assert response.status_code == 400 and "does not exist" in response.content.decode()
    c.refresh_from_db()
    assert c.decided_level == ""


def test_a_self_review_with_points_under_366(tree, api, editor_a):
    members_of(tree.cell_a1, 1)
    review = computed_review(tree.commune_a, 2025)
    c = _members(review)[0]
    response = api("editor_a").post(
        f"/api/v1/classifications/{c.pk}/step/",
        {"kind": "self_review", "points": "91", "exceeded_pct": "35"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["level"] == "excellent"
    detail = api("viewer_a").get(f"/api/v1/classifications/{c.pk}/").json()
    assert detail["self_level"] == "excellent"
    assert [s["kind"] for s in detail["steps"]] == ["computed", "self_review"]


def test_the_result_statistics(tree, review, api):
    Classification.objects.filter(review=review, subject="member").update(decided_level="well")
    response = api("viewer_a").get(
        f"/api/v1/classification-results/?unit={tree.commune_a.pk}&year=2024"
    )
    assert response.status_code == 200
    assert response.json()["members"]["well"] == 6
    response = api("outsider").get(
        f"/api/v1/classification-results/?unit={tree.commune_a.pk}&year=2024"
    )
    assert response.status_code == 400 and "does not exist" in response.content.decode()


def test_a_review_opens_under_the_set_in_force(tree, api):
    response = api("editor_a").post(
        "/api/v1/classification-reviews/", {"unit": tree.commune_a.pk, "year": 2025}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["rule_set"] == "366"
    assert response.json()["rules"]["excellent_min_points"] == "90.00"


def test_a_circumstance_recorded_through_the_api_caps_the_members_next_computation(
    tree, api, editor_a
):
    member = members_of(tree.cell_a1, 1)[0]
    response = api("editor_a").post(
        "/api/v1/classification-circumstances/",
        {"kind": "sick_leave", "member": member.pk, "start": "2024-01-15", "end": "2024-06-30"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    circumstance = Circumstance.objects.get()
    assert (circumstance.unit, circumstance.member, circumstance.kind) == (
        tree.cell_a1,
        member,
        "sick_leave",
    )
    assert AuditEntry.objects.for_object(circumstance).first().actor == editor_a
    review = computed_review(tree.commune_a, 2024)
    row = Classification.objects.get(review=review, member=member)
    assert row.cap_level == Level.COMPLETED  # sick leave of 3 months or more caps below "well"
    listed = api("viewer_a").get(f"/api/v1/classification-circumstances/?member={member.pk}")
    assert [c["kind"] for c in listed.json()["results"]] == ["sick_leave"]
    assert api("outsider").get("/api/v1/classification-circumstances/").json()["results"] == []


def test_an_organizations_discipline_is_recorded_on_the_organization(tree, api):
    response = api("manager_a").post(
        "/api/v1/classification-circumstances/",
        {"kind": "org_disciplined", "unit": tree.cell_a2.pk, "start": "2024-05-02"},
        format="json",
    )
    assert response.status_code == 201
    assert Circumstance.objects.get().unit == tree.cell_a2


@pytest.mark.parametrize(
    ("persona", "body", "status", "says"),
    [
        ("editor_a", {"kind": "sick_leave", "start": "2024-03-01"}, 400, "member"),
        (
            "editor_a",
            {"kind": "sick_leave", "start": "2024-03-01", "end": "2024-02-01"},
            400,
            "end",
        ),
        ("editor_a", {"kind": "org_disciplined", "start": "2024-03-01"}, 400, "unit"),
        ("viewer_a", {"kind": "sick_leave", "start": "2024-03-01"}, 403, ""),
        ("outsider", {"kind": "sick_leave", "start": "2024-03-01"}, 400, "does not exist"),
    ],
)
def test_a_refused_circumstance_writes_nothing(tree, api, persona, body, status, says):
    member = members_of(tree.cell_a1, 1)[0]
    if persona != "editor_a" or "end" in body:
        body = {**body, "member": member.pk}
    response = api(persona).post("/api/v1/classification-circumstances/", body, format="json")
    assert response.status_code == status
    assert says in response.content.decode()
    assert not Circumstance.objects.exists()


def test_a_circumstance_is_removed_by_the_units_staff_only(tree, api, manager_a):
    member = members_of(tree.cell_a1, 1)[0]
    circumstance = services.circumstance_record(
        actor=None, kind="exempted", member=member, start=dt.date(2024, 1, 1)
    )
    url = f"/api/v1/classification-circumstances/{circumstance.pk}/"
    assert api("outsider").delete(url).status_code == 404
    assert api("viewer_a").delete(url).status_code == 403
    assert Circumstance.objects.exists()
    assert api("manager_a").delete(url).status_code == 204
    assert not Circumstance.objects.exists()
    deleted = AuditEntry.objects.filter(action="delete", actor=manager_a)
    assert deleted.filter(object_repr__contains=member.full_name).exists()


def test_the_circumstance_list_reads_in_a_fixed_number_of_queries(tree, api):
    for member in members_of(tree.cell_a1, 2):
        services.circumstance_record(
            actor=None, kind="sick_leave", member=member, start=dt.date(2024, 1, 1)
        )
    client = api("viewer_a")
    client.get("/api/v1/classification-circumstances/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/classification-circumstances/")
    for member in members_of(tree.cell_a2, 3, prefix="B "):
        services.circumstance_record(
            actor=None, kind="maternity_leave", member=member, start=dt.date(2024, 1, 1)
        )
    with CaptureQueriesContext(connection) as more:
        response = client.get("/api/v1/classification-circumstances/")
    assert response.json()["count"] == 5
    assert len(more) == len(few)
