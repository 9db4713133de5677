import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry
from grassroots.members.choices import CandidateStage, MemberStatus
from grassroots.members.models import Candidate
from grassroots.members.services import (
    candidate_admit,
    candidate_advance,
    candidate_drop,
    candidate_propose,
    candidate_reassign,
)

from .ledger_helpers import admit, counts, official


def propose(tree, actor=None, **overrides) -> Candidate:
    data = dict(
        actor=actor,
        unit=tree.cell_a1,
        full_name="Sần Thị Mai",
        gender="female",
        birth_date=dt.date(2000, 2, 2),
        ethnicity="ha_nhi",
        proposed_by="youth_union",
        proposed_on=dt.date(2023, 1, 9),
    )
    data.update(overrides)
    return candidate_propose(**data)


def through_vote(tree) -> Candidate:
    candidate = propose(tree)
    first, second = (
        official(tree.cell_a1, full_name="Lý A Tủa"),
        official(tree.cell_a1, full_name="Hầu A Lử"),
    )
    candidate_advance(
        actor=None, candidate=candidate, stage="course_completed", date=dt.date(2023, 2, 1)
    )
    candidate_advance(
        actor=None, candidate=candidate, stage="application_filed", date=dt.date(2023, 3, 1)
    )
    candidate_advance(
        actor=None,
        candidate=candidate,
        stage="introducers_assigned",
        date=dt.date(2023, 3, 2),
        introducer_1=first,
        introducer_2=second,
    )
    candidate_advance(
        actor=None,
        candidate=candidate,
        stage="cell_voted",
        date=dt.date(2023, 4, 3),
        votes_for=2,
        votes_total=2,
    )
    return candidate


def test_a_candidate_goes_through_every_stage_and_is_admitted(tree, manager_a):
    candidate = through_vote(tree)
    assert (candidate.stage, candidate.cell_vote_on, candidate.votes_for) == (
        CandidateStage.CELL_VOTED,
        dt.date(2023, 4, 3),
        2,
    )
    member = candidate_admit(
        actor=manager_a,
        candidate=candidate,
        decision_date=dt.date(2023, 5, 2),
        ceremony_date=dt.date(2023, 5, 19),
        decision_number="55-QĐ/ĐU",
    )
    candidate.refresh_from_db()
    assert candidate.stage == CandidateStage.ADMITTED and candidate.member == member
    assert (member.status, member.unit, member.full_name, member.ethnicity) == (
        MemberStatus.PROBATIONARY,
        tree.cell_a1,
        "Sần Thị Mai",
        "ha_nhi",
    )
    assert member.events.get().created_by == manager_a


def test_proposal_is_audited_with_the_actor(tree, editor_a):
    candidate = propose(tree, actor=editor_a)
    assert AuditEntry.objects.for_object(candidate).get(action="create").actor == editor_a


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit": "commune"}, "unit"),
        ({"proposed_by": "nobody"}, "proposed_by"),
        ({"proposed_on": dt.date(2099, 1, 1)}, "proposed_on"),
        ({"full_name": ""}, "full_name"),
        ({"gender": "x"}, "gender"),
    ],
)
def test_proposal_refusals_write_nothing(tree, overrides, field):
    if overrides.get("unit") == "commune":
        overrides["unit"] = tree.commune_a
    before = counts()
    with pytest.raises(ValidationError) as info:
        propose(tree, **overrides)
    assert field in info.value.message_dict
    assert counts() == before


def test_a_stage_cannot_be_skipped_or_repeated(tree):
    candidate = propose(tree)
    before = counts()
    for stage in ("application_filed", "proposed", "admitted", "cell_voted"):
        with pytest.raises(ValidationError) as info:
            candidate_advance(
                actor=None, candidate=candidate, stage=stage, date=dt.date(2023, 2, 1)
            )
        assert "stage" in info.value.message_dict
    candidate_advance(
        actor=None, candidate=candidate, stage="course_completed", date=dt.date(2023, 2, 1)
    )
    with pytest.raises(ValidationError):
        candidate_advance(
            actor=None, candidate=candidate, stage="course_completed", date=dt.date(2023, 2, 2)
        )
    assert counts()[3] == before[3]


def test_a_step_dated_before_the_previous_one_is_refused(tree):
    candidate = propose(tree)
    with pytest.raises(ValidationError) as info:
        candidate_advance(
            actor=None, candidate=candidate, stage="course_completed", date=dt.date(2022, 12, 1)
        )
    assert "date" in info.value.message_dict


def _to_introducers(tree) -> Candidate:
    candidate = propose(tree)
    candidate_advance(
        actor=None, candidate=candidate, stage="course_completed", date=dt.date(2023, 2, 1)
    )
    candidate_advance(
        actor=None, candidate=candidate, stage="application_filed", date=dt.date(2023, 3, 1)
    )
    return candidate


def test_introducers_must_be_two_different_official_members(tree):
    candidate = _to_introducers(tree)
    full = official(tree.cell_a1, full_name="Lý A Tủa")
    probationary = admit(tree.cell_a1, full_name="Mới Kết Nạp")
    for one, two, field in (
        (full, full, "introducer_2"),
        (full, probationary, "introducer_2"),
        (None, full, "introducer_1"),
    ):
        with pytest.raises(ValidationError) as info:
            candidate_advance(
                actor=None,
                candidate=candidate,
                stage="introducers_assigned",
                date=dt.date(2023, 3, 2),
                introducer_1=one,
                introducer_2=two,
            )
        assert field in info.value.message_dict
    candidate.refresh_from_db()
    assert candidate.stage == CandidateStage.APPLICATION_FILED and candidate.introducer_1 is None


@pytest.mark.parametrize(
    ("votes_for", "votes_total", "field"),
    [(3, 2, "votes_for"), (None, 2, "votes_for"), (2, 0, "votes_total"), (3, 3, "votes_total")],
)
def test_the_cell_vote_needs_the_numbers_of_votes_within_the_cells_official_members(
    tree, votes_for, votes_total, field
):
    candidate = _to_introducers(tree)
    candidate_advance(
        actor=None,
        candidate=candidate,
        stage="introducers_assigned",
        date=dt.date(2023, 3, 2),
        introducer_1=official(tree.cell_a1, full_name="A"),
        introducer_2=official(tree.cell_a1, full_name="B"),
    )
    with pytest.raises(ValidationError) as info:
        candidate_advance(
            actor=None,
            candidate=candidate,
            stage="cell_voted",
            date=dt.date(2023, 4, 3),
            votes_for=votes_for,
            votes_total=votes_total,
        )
    assert field in info.value.message_dict


def test_admission_before_the_cell_vote_is_refused(tree):
    candidate = _to_introducers(tree)
    before = counts()
    with pytest.raises(ValidationError) as info:
        candidate_admit(
            actor=None,
            candidate=candidate,
            decision_date=dt.date(2023, 5, 2),
            ceremony_date=dt.date(2023, 5, 19),
        )
    assert "stage" in info.value.message_dict
    assert counts() == before


def test_admission_refused_by_the_member_rules_leaves_the_candidate_voted(tree):
    candidate = through_vote(tree)
    before = counts()
    with pytest.raises(ValidationError) as info:
        candidate_admit(
            actor=None,
            candidate=candidate,
            decision_date=dt.date(2023, 5, 2),
            ceremony_date=dt.date(2023, 9, 1),
        )
    assert "ceremony_delay_approval" in info.value.message_dict
    assert counts() == before
    candidate.refresh_from_db()
    assert candidate.stage == CandidateStage.CELL_VOTED


def test_a_dropped_candidate_leaves_the_pipeline(tree):
    candidate = propose(tree)
    with pytest.raises(ValidationError) as info:
        candidate_drop(actor=None, candidate=candidate, reason=" ")
    assert "reason" in info.value.message_dict
    candidate_drop(actor=None, candidate=candidate, reason="Chuyển đi nơi khác")
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.dropped_reason) == (
        CandidateStage.DROPPED,
        "Chuyển đi nơi khác",
    )
    with pytest.raises(ValidationError):
        candidate_advance(
            actor=None, candidate=candidate, stage="course_completed", date=dt.date(2023, 2, 1)
        )
    with pytest.raises(ValidationError):
        candidate_drop(actor=None, candidate=candidate, reason="again")


def test_a_candidate_moves_to_another_cell_keeping_every_step_so_far(tree, manager_a):
    candidate = through_vote(tree)
    candidate_reassign(
        actor=manager_a, candidate=candidate, unit=tree.cell_a2, date=dt.date(2025, 7, 1)
    )
    candidate.refresh_from_db()
    assert (candidate.unit, candidate.stage, candidate.votes_for) == (
        tree.cell_a2,
        CandidateStage.CELL_VOTED,
        2,
    )
    assert (
        AuditEntry.objects.for_object(candidate).filter(action="update", actor=manager_a).exists()
    )


def test_a_candidate_out_of_the_pipeline_or_a_closed_cell_cannot_take_a_move(tree):
    from grassroots.reorganizations.services import unit_dissolve

    dropped = candidate_drop(actor=None, candidate=propose(tree), reason="Chuyển đi")
    with pytest.raises(ValidationError) as info:
        candidate_reassign(
            actor=None, candidate=dropped, unit=tree.cell_a2, date=dt.date(2025, 7, 1)
        )
    assert "no longer in the pipeline" in info.value.message_dict["candidate"][0]
    unit_dissolve(
        actor=None,
        unit=tree.cell_a2,
        effective_date=dt.date(2025, 7, 1),
        decision_number="1-QĐ",
        decision_date=dt.date(2025, 6, 20),
        issuer="Đảng ủy xã",
    )
    tree.cell_a2.refresh_from_db()
    waiting = propose(tree, full_name="Giàng Thị Chờ")
    with pytest.raises(ValidationError) as info:
        candidate_reassign(
            actor=None, candidate=waiting, unit=tree.cell_a2, date=dt.date(2025, 8, 1)
        )
    assert "is not open on 01/08/2025" in info.value.message_dict["unit"][0]
    assert Candidate.objects.get(pk=waiting.pk).unit == tree.cell_a1
