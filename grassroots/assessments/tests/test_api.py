"""The API over the same services: a month saved, submitted and accepted; refusals by persona;
the twelve months of a registration; list endpoints with a fixed query count."""

from decimal import Decimal as D

import pytest

from grassroots.assessments import services
from grassroots.assessments.models import MonthlyAssessment
from grassroots.core.models import AuditEntry

from .helpers import fill, make_framework, register


@pytest.fixture
def registration(tree):
    return register(tree, make_framework(tree))


def _scores(registration, **by_code):
    return [
        {"criterion": c.pk, "score": str(by_code.get(c.code, c.max_points)), "note": ""}
        for c in services.registration_criteria(registration)
    ]


def test_a_month_is_saved_submitted_and_accepted_through_the_api(
    registration, api, editor_a, manager_a
):
    client = api("editor_a")
    response = client.post(
        "/api/v1/monthly-assessments/",
        {"registration": registration.pk, "month": 11, "scores": _scores(registration)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["total"] == "95.00"
    response = client.patch(
        f"/api/v1/monthly-assessments/{pk}/",
        {"scores": _scores(registration, **{"1.1": 10}), "note": "Bão số 3"},
        format="json",
    )
    assert response.json()["total"] == "85.00"
    assert client.post(f"/api/v1/monthly-assessments/{pk}/submit/").status_code == 200
    response = api("manager_a").post(f"/api/v1/monthly-assessments/{pk}/accept/")
    assert response.status_code == 200
    assert [s["kind"] for s in response.json()["steps"]] == ["submit", "accept"]
    month = MonthlyAssessment.objects.get(pk=pk)
    assert (month.status, month.total, month.note) == ("accepted", D(85), "Bão số 3")
    assert AuditEntry.objects.for_object(month).first().actor == manager_a


def test_the_viewer_cannot_write_and_the_outsider_does_not_see(registration, api):
    month = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=month)
    url = f"/api/v1/monthly-assessments/{month.pk}/"
    assert api("viewer_a").post(url + "accept/").status_code == 403
    assert api("viewer_a").patch(url, {"note": "x"}, format="json").status_code == 403
    assert api("outsider").get(url).status_code == 404
    assert api("outsider").post(url + "accept/").status_code == 404
    month.refresh_from_db()
    assert month.status == "submitted"


def test_return_and_reopen_need_a_reason(registration, api):
    month = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=month)
    client = api("manager_a")
    url = f"/api/v1/monthly-assessments/{month.pk}/"
    assert client.post(url + "return/", {"reason": ""}, format="json").status_code == 400
    response = client.post(url + "return/", {"reason": "Thiếu minh chứng"}, format="json")
    assert response.json()["status"] == "returned"
    response = client.post(url + "submit/")
    assert response.status_code == 200
    client.post(url + "accept/")
    # Locked: the unit's edit is refused with the reason, nothing changes.
    response = api("editor_a").patch(url, {"note": "sửa"}, format="json")
    assert response.status_code == 400 and "locked" in str(response.json())
    response = client.post(url + "reopen/", {"reason": "Sai điểm 2.1"}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "returned")


def test_the_twelve_months_of_a_registration(registration, api):
    services.assessment_submit(actor=None, assessment=fill(registration, 1))
    response = api("viewer_a").get(f"/api/v1/assessment-registrations/{registration.pk}/months/")
    months = response.json()
    assert len(months) == 12
    assert (months[0]["status"], months[0]["total"], months[0]["band"]) == (
        "submitted",
        "95.00",
        "excellent",
    )
    assert months[1]["status"] == "missing"


def test_a_registration_and_a_framework_version_through_the_api(tree, registration, api):
    response = api("manager_a").post(
        "/api/v1/assessment-registrations/",
        {"unit": tree.cell_a2.pk, "year": 2024, "framework": registration.framework.pk},
        format="json",
    )
    assert response.status_code == 201
    framework = registration.framework
    # The framework is the province's: commune A's manager reads it but cannot version it.
    assert api("manager_a").get(f"/api/v1/assessment-frameworks/{framework.pk}/").status_code == 200
    url = f"/api/v1/assessment-frameworks/{framework.pk}/new-version/"
    assert api("manager_a").post(url).status_code == 403
    response = api("admin").post(url)
    assert (response.status_code, response.json()["version"]) == (201, 2)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/monthly-assessments/",
        "/api/v1/assessment-registrations/",
        "/api/v1/assessment-frameworks/",
    ],
)
def test_list_endpoints_keep_their_query_count(
    url, tree, registration, api, django_assert_max_num_queries
):
    client = api("manager_a")
    fill(registration, 1)
    with django_assert_max_num_queries(15) as before:
        client.get(url)
    other = register(tree, make_framework(tree, code="second"), unit=tree.cell_a2)
    fill(other, 1)
    fill(registration, 2)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url).json()["count"] >= 2
