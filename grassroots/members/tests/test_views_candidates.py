import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.core.models import AuditEntry
from grassroots.members.choices import CandidateStage, MemberStatus
from grassroots.members.models import Candidate, Member
from grassroots.members.services import candidate_advance, candidate_propose, member_recognize

from .page_helpers import admit

BOARD = reverse("members:candidate_board")


def recently(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def propose(unit, name="Vàng A Dình", **over) -> Candidate:
    data = dict(
        actor=None,
        unit=unit,
        full_name=name,
        gender="male",
        birth_date=dt.date(2000, 1, 1),
        ethnicity="mong",
        proposed_by="youth_union",
        proposed_on=recently(200),
    )
    data.update(over)
    return candidate_propose(**data)


def board(unit) -> str:
    return f"{BOARD}?unit={unit.pk}"


def test_the_board_redirects_anonymous_visitors_to_login(tree, as_persona):
    response = as_persona("anonymous").get(board(tree.cell_a1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("manager_a", 200), ("viewer_a", 200), ("outsider", 404)],
)
def test_the_board_is_scoped_to_the_users_subtrees(tree, personas, as_persona, persona, status):
    propose(tree.cell_a1)
    response = as_persona(persona).get(board(tree.commune_a))
    assert response.status_code == status
    if status == 200:
        assert "Vàng A Dình" in response.content.decode()


def test_the_board_shows_columns_by_stage_with_counts(tree, personas, as_persona):
    first = propose(tree.cell_a1, "Một")
    propose(tree.cell_a2, "Hai")
    candidate_advance(
        actor=None, candidate=first, stage=CandidateStage.COURSE_COMPLETED, date=recently(150)
    )
    columns = {
        c["stage"]: c for c in as_persona("viewer_a").get(board(tree.commune_a)).context["columns"]
    }
    assert columns[CandidateStage.PROPOSED]["count"] == 1
    assert [c.full_name for c in columns[CandidateStage.COURSE_COMPLETED]["candidates"]] == ["Một"]


def test_a_column_lists_its_candidates_by_given_name_then_surname(tree, personas, as_persona):
    for name in ("Vàng A Dình", "Lò Thị Ánh", "Giàng A Dình", "Sùng Thị Mỷ"):
        propose(tree.cell_a1, name)
    columns = as_persona("viewer_a").get(board(tree.cell_a1)).context["columns"]
    proposed = next(c for c in columns if c["stage"] == CandidateStage.PROPOSED)
    assert [c.full_name for c in proposed["candidates"]] == [
        "Lò Thị Ánh",
        "Giàng A Dình",
        "Vàng A Dình",
        "Sùng Thị Mỷ",
    ]


def test_a_viewer_sees_no_actions_and_may_not_propose(tree, personas, as_persona):
    candidate = propose(tree.cell_a1)
    client = as_persona("viewer_a")
    html = client.get(board(tree.cell_a1)).content.decode()
    assert reverse("members:candidate_advance", args=[candidate.pk]) not in html
    propose_url = f"{reverse('members:candidate_propose')}?unit={tree.cell_a1.pk}"
    assert client.post(propose_url, {"full_name": "X"}).status_code == 403
    url = reverse("members:candidate_advance", args=[candidate.pk])
    assert (
        client.post(url, {"stage": "course_completed", "date": recently(1).isoformat()}).status_code
        == 403
    )
    assert Candidate.objects.get().stage == CandidateStage.PROPOSED


def test_an_outsider_cannot_reach_a_candidate(tree, personas, as_persona):
    candidate = propose(tree.cell_a1)
    url = reverse("members:candidate_drop", args=[candidate.pk])
    assert as_persona("outsider").post(url, {"reason": "x"}).status_code == 404
    assert Candidate.objects.get().stage == CandidateStage.PROPOSED


def test_a_manager_proposes_a_candidate(tree, personas, as_persona):
    url = f"{reverse('members:candidate_propose')}?unit={tree.cell_a1.pk}"
    response = as_persona("manager_a").post(
        url,
        {
            "full_name": "Hầu Thị Mỷ",
            "gender": "female",
            "birth_date": "02/02/2001",
            "ethnicity": "mong",
            "religion": "none",
            "occupation": "",
            "proposed_by": "women_union",
            "proposed_on": recently(3).isoformat(),
        },
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.unit, candidate.stage) == (tree.cell_a1, CandidateStage.PROPOSED)
    assert (
        AuditEntry.objects.for_object(candidate).get(action="create").actor == personas["manager_a"]
    )


def test_advancing_with_htmx_moves_the_card_to_the_next_column(tree, personas, as_persona):
    candidate = propose(tree.cell_a1)
    url = reverse("members:candidate_advance", args=[candidate.pk]) + f"?board={tree.commune_a.pk}"
    response = as_persona("editor_a").post(
        url,
        {"stage": "course_completed", "date": recently(100).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#candidate-board"
    columns = {c["stage"]: c for c in response.context["columns"]}
    assert [c.pk for c in columns[CandidateStage.COURSE_COMPLETED]["candidates"]] == [candidate.pk]
    assert Candidate.objects.get().stage == CandidateStage.COURSE_COMPLETED
    assert (
        AuditEntry.objects.for_object(candidate)
        .filter(action="update", actor=personas["editor_a"])
        .exists()
    )


def test_a_refused_step_comes_back_with_the_message_on_the_field(tree, personas, as_persona):
    candidate = propose(tree.cell_a1)
    url = reverse("members:candidate_advance", args=[candidate.pk])
    response = as_persona("manager_a").post(
        url, {"stage": "cell_voted", "date": recently(1).isoformat()}, HTTP_HX_REQUEST="true"
    )
    assert "stage" in response.context["form"].errors
    assert Candidate.objects.get().stage == CandidateStage.PROPOSED


def test_the_action_forms_work_as_full_pages_without_htmx(tree, personas, as_persona):
    candidate = propose(tree.cell_a1)
    url = reverse("members:candidate_drop", args=[candidate.pk])
    client = as_persona("manager_a")
    assert "<html" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Chuyển đi nơi khác"})
    assert response.status_code == 302 and response["Location"] == board(tree.cell_a1)
    assert Candidate.objects.get().stage == CandidateStage.DROPPED


def test_a_voted_candidate_is_admitted_from_the_board(tree, personas, as_persona):
    introducers = [admit(tree.cell_a1, full_name=f"Giới thiệu {i}") for i in (1, 2)]
    for member in introducers:
        member_recognize(actor=None, member=member, decision_date=recently(20))
        member.refresh_from_db()
    candidate = propose(tree.cell_a1)
    candidate_advance(actor=None, candidate=candidate, stage="course_completed", date=recently(150))
    candidate_advance(
        actor=None, candidate=candidate, stage="application_filed", date=recently(120)
    )
    candidate_advance(
        actor=None,
        candidate=candidate,
        stage="introducers_assigned",
        date=recently(110),
        introducer_1=introducers[0],
        introducer_2=introducers[1],
    )
    candidate_advance(
        actor=None,
        candidate=candidate,
        stage="cell_voted",
        date=recently(100),
        votes_for=2,
        votes_total=2,
    )
    response = as_persona("manager_a").post(
        reverse("members:candidate_admit", args=[candidate.pk]),
        {"decision_date": recently(30).isoformat(), "ceremony_date": recently(25).isoformat()},
    )
    assert response.status_code == 302
    member = Member.objects.get(full_name="Vàng A Dình")
    assert member.status == MemberStatus.PROBATIONARY
    assert Candidate.objects.get(pk=candidate.pk).member == member
