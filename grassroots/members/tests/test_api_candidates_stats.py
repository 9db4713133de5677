import datetime as dt

import pytest

from grassroots.core.models import AuditEntry
from grassroots.members.choices import CandidateStage, MemberStatus
from grassroots.members.models import Candidate
from grassroots.members.services import candidate_propose

from .ledger_helpers import admit, counts, official

PROPOSAL = {
    "full_name": "Sần Thị Mai",
    "gender": "female",
    "birth_date": "2000-02-02",
    "ethnicity": "ha_nhi",
    "proposed_by": "youth_union",
    "proposed_on": "2023-01-09",
}


def _candidate(tree, unit=None) -> Candidate:
    return candidate_propose(
        actor=None,
        unit=unit or tree.cell_a1,
        full_name="Sần Thị Mai",
        gender="female",
        birth_date=dt.date(2000, 2, 2),
        ethnicity="ha_nhi",
        proposed_by="cell",
        proposed_on=dt.date(2023, 1, 9),
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("manager_a", 201),
        ("editor_a", 201),
        ("viewer_a", 403),
        ("outsider", 400),
        ("anonymous", 403),
    ],
)
def test_proposing_a_candidate(api, tree, personas, persona, status):
    before = counts()
    response = api(persona).post(
        "/api/v1/candidates/", {**PROPOSAL, "unit": tree.cell_a1.pk}, format="json"
    )
    assert response.status_code in ((401, 403) if persona == "anonymous" else (status,)), (
        response.content
    )
    if status == 201:
        candidate = Candidate.objects.get()
        assert candidate.stage == CandidateStage.PROPOSED
        assert (
            AuditEntry.objects.for_object(candidate).get(action="create").actor == personas[persona]
        )
    else:
        assert counts() == before


@pytest.mark.parametrize(
    ("persona", "visible"), [("admin", 2), ("manager_a", 1), ("viewer_a", 1), ("outsider", 1)]
)
def test_candidates_are_listed_within_the_subtree(
    api, tree, persona, visible, django_assert_max_num_queries
):
    _candidate(tree)
    _candidate(tree, tree.cell_b1)
    with django_assert_max_num_queries(6):
        response = api(persona).get("/api/v1/candidates/")
    assert response.json()["count"] == visible


def test_a_candidate_advances_is_admitted_through_the_actions(api, tree, manager_a):
    candidate = _candidate(tree)
    one, two = (
        official(tree.cell_a1, full_name="Lý A Tủa"),
        official(tree.cell_a1, full_name="Hầu A Lử"),
    )
    client = api("manager_a")
    url = f"/api/v1/candidates/{candidate.pk}"
    steps = [
        {"stage": "course_completed", "date": "2023-02-01"},
        {"stage": "application_filed", "date": "2023-03-01"},
        {
            "stage": "introducers_assigned",
            "date": "2023-03-02",
            "introducer_1": one.pk,
            "introducer_2": two.pk,
        },
        {"stage": "cell_voted", "date": "2023-04-03", "votes_for": 2, "votes_total": 2},
    ]
    skipped = client.post(f"{url}/advance/", steps[1], format="json")
    assert skipped.status_code == 400 and "stage" in skipped.json()
    for step in steps:
        response = client.post(f"{url}/advance/", step, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["stage"] == step["stage"]
    admitted = client.post(
        f"{url}/admit/",
        {"decision_date": "2023-05-02", "ceremony_date": "2023-05-19"},
        format="json",
    )
    assert admitted.status_code == 201, admitted.content
    candidate.refresh_from_db()
    assert candidate.stage == CandidateStage.ADMITTED
    assert candidate.member.status == MemberStatus.PROBATIONARY
    assert candidate.member.events.get().created_by == manager_a


@pytest.mark.parametrize(
    ("persona", "status"), [("manager_a", 200), ("viewer_a", 403), ("outsider", 404)]
)
def test_dropping_a_candidate(api, tree, persona, status):
    candidate = _candidate(tree)
    response = api(persona).post(
        f"/api/v1/candidates/{candidate.pk}/drop/", {"reason": "Chuyển đi"}, format="json"
    )
    assert response.status_code == status
    candidate.refresh_from_db()
    assert candidate.stage == (CandidateStage.DROPPED if status == 200 else CandidateStage.PROPOSED)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("manager_a", 200), ("viewer_a", 200), ("outsider", 404)],
)
def test_unit_statistics_are_scoped(api, tree, persona, status):
    official(tree.cell_a1, full_name="Lò Thị Mai", gender="female")
    admit(
        tree.cell_a2,
        full_name="Vàng A Páo",
        decision_date=dt.date(2024, 3, 4),
        ceremony_date=dt.date(2024, 3, 8),
    )
    response = api(persona).get(f"/api/v1/unit-stats/{tree.commune_a.pk}/")
    assert response.status_code == status
    if status == 200:
        data = response.json()
        assert (
            data["members_total"],
            data["members_official"],
            data["members_probationary"],
            data["cells"],
        ) == (2, 1, 1, 2)
        assert data["by_gender"] == {"male": 1, "female": 1}


def test_unit_statistics_as_of_a_date(api, tree):
    official(tree.cell_a1)
    client = api("viewer_a")
    data = client.get(f"/api/v1/unit-stats/{tree.commune_a.pk}/?as_of=2022-01-01").json()
    assert (data["as_of"], data["members_total"], data["members_probationary"]) == (
        "2022-01-01",
        1,
        1,
    )
    assert client.get(f"/api/v1/unit-stats/{tree.commune_a.pk}/?as_of=01-2022").status_code == 400
    future = client.get(f"/api/v1/unit-stats/{tree.commune_a.pk}/?as_of=2099-01-01")
    assert future.status_code == 400 and "as_of" in future.json()
    assert api("anonymous").get(f"/api/v1/unit-stats/{tree.commune_a.pk}/").status_code in (
        401,
        403,
    )
