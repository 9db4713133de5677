"""The member ledger's rules of Regulation 232-QĐ/TW and the Statute, as DOMAIN.md states them:
admission age in months on the day the cell considers it, the cell's vote by two thirds of its
official members, readmission's waiting time and excluding reasons, discipline of a probationary
member, committee seats ended by leaving, and temporary transfers received and overdue."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.committees.choices import CommitteeKind, Position
from grassroots.committees.models import CommitteeSeat
from grassroots.committees.services import (
    cell_committee_warning,
    committee_create,
    seat_add,
    term_get_or_create,
)
from grassroots.core.models import AuditEntry, RuleSetting
from grassroots.members.choices import EventKind, LeavingReason, MemberStatus
from grassroots.members.models import Candidate, MemberEvent
from grassroots.members.selectors import member_flags, overdue_temporary_stays
from grassroots.members.services import (
    candidate_admit,
    candidate_advance,
    candidate_propose,
    member_death,
    member_discipline,
    member_readmit,
    member_recognize,
    member_remove,
    member_temporary_arrival,
    member_temporary_return,
    member_transfer_out,
)

from .ledger_helpers import admit, counts, official

DECISION = dt.date(2021, 5, 10)


def born(years: int, months: int, before: dt.date = DECISION) -> dt.date:
    """The birth date of someone exactly `years` and `months` old on `before`."""
    total = before.year * 12 + before.month - 1 - years * 12 - months
    return dt.date(total // 12, total % 12 + 1, before.day)


# --- admission age, in months, on the day the cell considers it ------------------------------


def test_admission_age_of_sixty_years_and_no_month_is_accepted(tree):
    member = admit(tree.cell_a1, birth_date=born(60, 0))
    assert member.status == MemberStatus.PROBATIONARY


def test_admission_age_of_sixty_years_and_one_month_needs_the_recorded_exception(tree):
    before = counts()
    with pytest.raises(ValidationError) as info:
        admit(tree.cell_a1, birth_date=born(60, 1))
    message = info.value.message_dict["age_exception"][0]
    assert (
        "60 years and 1 month old" in message
        and "committee directly under the Central Committee" in message
    )
    assert counts() == before
    member = admit(tree.cell_a1, birth_date=born(60, 1), age_exception="15-QĐ/TU ngày 02/04/2021")
    assert member.events.get().details["age_exception"] == "15-QĐ/TU ngày 02/04/2021"


def test_admission_age_of_seventeen_years_and_eleven_months_is_refused(tree):
    before = counts()
    with pytest.raises(ValidationError) as info:
        admit(
            tree.cell_a1, birth_date=born(17, 11), age_exception="no exception lowers the minimum"
        )
    assert "17 years and 11 months old" in info.value.message_dict["birth_date"][0]
    assert counts() == before
    assert admit(tree.cell_a1, birth_date=born(18, 0)).status == MemberStatus.PROBATIONARY


def _introduced(tree, introducers, *, birth_date: dt.date, steps) -> Candidate:
    """A candidate of cell A1 taken through the pipeline up to the cell's vote: proposed, course
    completed, application filed and introducers assigned on the four dates of `steps`."""
    proposed, course, filed, introduced = steps
    candidate = candidate_propose(
        actor=None,
        unit=tree.cell_a1,
        full_name="Sần Thị Mai",
        gender="female",
        birth_date=birth_date,
        ethnicity="ha_nhi",
        proposed_by="youth_union",
        proposed_on=proposed,
    )
    candidate_advance(actor=None, candidate=candidate, stage="course_completed", date=course)
    candidate_advance(actor=None, candidate=candidate, stage="application_filed", date=filed)
    candidate_advance(
        actor=None,
        candidate=candidate,
        stage="introducers_assigned",
        date=introduced,
        introducer_1=introducers[0],
        introducer_2=introducers[1],
    )
    return candidate


def _voted_candidate(tree, birth_date: dt.date, vote_on: dt.date) -> Candidate:
    one, two = (
        official(tree.cell_a1, full_name="Lý A Tủa"),
        official(tree.cell_a1, full_name="Hầu A Lử"),
    )
    official(tree.cell_a1, full_name="Vàng A Sử")
    candidate = _introduced(
        tree,
        (one, two),
        birth_date=birth_date,
        steps=(
            dt.date(2022, 8, 1),
            dt.date(2022, 9, 1),
            dt.date(2022, 10, 1),
            dt.date(2022, 10, 2),
        ),
    )
    candidate_advance(
        actor=None,
        candidate=candidate,
        stage="cell_voted",
        date=vote_on,
        votes_for=2,
        votes_total=3,
    )
    return candidate


def test_a_candidates_age_is_counted_on_the_cells_vote_date_not_the_decision_date(tree):
    vote_on, decision = dt.date(2023, 1, 16), dt.date(2023, 3, 20)
    # 60 years and 0 months on the vote, 60 years and 2 months on the decision: accepted.
    older = _voted_candidate(tree, born(60, 0, before=vote_on), vote_on)
    member = candidate_admit(
        actor=None, candidate=older, decision_date=decision, ceremony_date=dt.date(2023, 3, 24)
    )
    assert member.status == MemberStatus.PROBATIONARY


def test_a_candidate_too_young_on_the_cells_vote_date_is_refused_though_of_age_on_the_decision(
    tree,
):
    vote_on, decision = dt.date(2023, 1, 16), dt.date(2023, 3, 20)
    young = _voted_candidate(tree, born(17, 11, before=vote_on), vote_on)
    before = counts()
    with pytest.raises(ValidationError) as info:
        candidate_admit(
            actor=None, candidate=young, decision_date=decision, ceremony_date=dt.date(2023, 3, 24)
        )
    assert "cell's vote date (16/01/2023)" in info.value.message_dict["birth_date"][0]
    assert counts() == before


# --- the cell's vote: two thirds of its official members ---------------------------------------


def _to_vote(tree, officials: int) -> Candidate:
    members = [official(tree.cell_a1, full_name=f"Đảng viên {i}") for i in range(officials)]
    admit(tree.cell_a1, full_name="Dự bị không biểu quyết")  # a probationary member does not count
    return _introduced(
        tree,
        members[:2],
        birth_date=dt.date(2000, 2, 2),
        steps=(dt.date(2023, 1, 9), dt.date(2023, 2, 1), dt.date(2023, 3, 1), dt.date(2023, 3, 2)),
    )


def test_the_cell_vote_carries_with_two_thirds_of_its_official_members_not_a_majority_of_votes_cast(
    tree,
):
    candidate = _to_vote(tree, 9)
    # 5 of the 6 votes cast is a majority, but not 6 of the cell's 9 official members.
    with pytest.raises(ValidationError) as info:
        candidate_advance(
            actor=None,
            candidate=candidate,
            stage="cell_voted",
            date=dt.date(2023, 4, 3),
            votes_for=5,
            votes_total=6,
        )
    assert info.value.message_dict["votes_for"] == [
        "The vote carries with at least 6 of the cell's 9 official members on 03/04/2023 agreeing."
    ]
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.votes_for) == ("introducers_assigned", None)
    candidate_advance(
        actor=None,
        candidate=candidate,
        stage="cell_voted",
        date=dt.date(2023, 4, 3),
        votes_for=6,
        votes_total=7,
    )
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.votes_for) == ("cell_voted", 6)


def test_the_vote_share_is_a_rule_setting(tree):
    RuleSetting.objects.create(key="cell_vote_share", value="3/4")
    candidate = _to_vote(tree, 8)
    with pytest.raises(ValidationError) as info:
        candidate_advance(
            actor=None,
            candidate=candidate,
            stage="cell_voted",
            date=dt.date(2023, 4, 3),
            votes_for=5,
            votes_total=8,
        )
    assert "at least 6 of the cell's 8" in info.value.message_dict["votes_for"][0]


def test_the_recognition_vote_needs_two_thirds_of_the_cells_official_members(tree):
    for i in range(3):
        official(tree.cell_a1, full_name=f"Đảng viên {i}")
    member = admit(tree.cell_a1, full_name="Dự bị", ceremony_date=dt.date(2021, 5, 19))
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_recognize(
            actor=None,
            member=member,
            decision_date=dt.date(2022, 6, 20),
            cell_vote_date=dt.date(2022, 6, 1),
            votes_for=1,
            votes_total=1,
        )
    assert "at least 2 of the cell's 3 official members" in info.value.message_dict["votes_for"][0]
    for kwargs, field in (
        ({"cell_vote_date": dt.date(2022, 6, 1)}, "votes_for"),
        ({"votes_for": 3}, "cell_vote_date"),
    ):
        with pytest.raises(ValidationError) as info:
            member_recognize(
                actor=None, member=member, decision_date=dt.date(2022, 6, 20), **kwargs
            )
        assert field in info.value.message_dict
    assert counts() == before
    event = member_recognize(
        actor=None,
        member=member,
        decision_date=dt.date(2022, 6, 20),
        cell_vote_date=dt.date(2022, 6, 1),
        votes_for=2,
        votes_total=3,
    )
    assert (
        event.details["votes_for"],
        event.details["votes_total"],
        event.details["official_members"],
    ) == (2, 3, 3)


# --- readmission (Regulation 232-QĐ/TW, 3.5) -------------------------------------------------

LEFT = dt.date(2022, 6, 1)


def _removed(tree, reason: str = "", **kwargs):
    member = official(tree.cell_a1)
    member_remove(
        actor=None, member=member, date=LEFT, reason="Ra khỏi Đảng", leaving_reason=reason, **kwargs
    )
    return member


def test_readmission_comes_at_least_36_months_after_leaving(tree):
    member = _removed(tree, LeavingReason.OTHER)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_readmit(
            actor=None,
            member=member,
            unit=tree.cell_a1,
            decision_date=dt.date(2025, 5, 30),
            ceremony_date=dt.date(2025, 6, 5),
        )
    assert "not before 01/06/2025" in info.value.message_dict["decision_date"][0]
    assert counts() == before
    member_readmit(
        actor=None,
        member=member,
        unit=tree.cell_a1,
        decision_date=dt.date(2025, 6, 2),
        ceremony_date=dt.date(2025, 6, 5),
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY


def test_readmission_after_a_minor_offence_comes_60_months_after_the_record_was_cleared(tree):
    member = _removed(tree, LeavingReason.MINOR_OFFENCE)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_readmit(
            actor=None,
            member=member,
            unit=tree.cell_a1,
            decision_date=dt.date(2025, 6, 2),
            ceremony_date=dt.date(2025, 6, 5),
        )
    assert "record_cleared_on" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        member_readmit(
            actor=None,
            member=member,
            unit=tree.cell_a1,
            decision_date=dt.date(2025, 6, 2),
            ceremony_date=dt.date(2025, 6, 5),
            record_cleared_on=dt.date(2021, 1, 4),
        )
    assert "not before 04/01/2026" in info.value.message_dict["decision_date"][0]
    assert counts() == before
    event = member_readmit(
        actor=None,
        member=member,
        unit=tree.cell_a1,
        decision_date=dt.date(2026, 1, 5),
        ceremony_date=dt.date(2026, 1, 9),
        record_cleared_on=dt.date(2021, 1, 4),
    )
    assert event.details["record_cleared_on"] == "2021-01-04"


@pytest.mark.parametrize(
    "reason",
    [
        LeavingReason.QUIT_ACTIVITIES,
        LeavingReason.ASKED_TO_LEAVE,
        LeavingReason.SERIOUS_DISUNITY,
        LeavingReason.CORRUPTION,
        LeavingReason.SERIOUS_CRIME,
    ],
)
@pytest.mark.parametrize("how", ["removal", "expulsion"])
def test_readmission_is_refused_for_each_reason_of_leaving_that_excludes_it(tree, reason, how):
    member = official(tree.cell_a1)
    if how == "removal":
        member_remove(
            actor=None, member=member, date=LEFT, reason="Ra khỏi Đảng", leaving_reason=reason
        )
    else:
        member_discipline(
            actor=None,
            member=member,
            level="expulsion",
            date=LEFT,
            decision_number="9-QĐ/UBKT",
            issuer="UBKT",
            reason="Vi phạm",
            leaving_reason=reason,
        )
    assert MemberEvent.objects.get(member=member, date=LEFT).leaving_reason == reason
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_readmit(
            actor=None,
            member=member,
            unit=tree.cell_a1,
            decision_date=dt.date(2026, 6, 2),
            ceremony_date=dt.date(2026, 6, 5),
        )
    assert "excludes readmission" in info.value.message_dict["member"][0]
    assert counts() == before


def test_readmission_is_open_to_a_member_who_asked_to_leave_for_extreme_family_hardship(tree):
    member = _removed(tree, LeavingReason.FAMILY_HARDSHIP)
    member_readmit(
        actor=None,
        member=member,
        unit=tree.cell_a1,
        decision_date=dt.date(2026, 6, 2),
        ceremony_date=dt.date(2026, 6, 5),
    )
    member.refresh_from_db()
    assert member.readmission_count == 1


def test_a_reason_for_leaving_is_recorded_with_an_expulsion_or_a_removal_only(tree):
    member = official(tree.cell_a1)
    before = counts()
    for kwargs in (
        {"level": "reprimand", "leaving_reason": LeavingReason.OTHER},
        {"level": "expulsion", "leaving_reason": "nonsense"},
    ):
        with pytest.raises(ValidationError) as info:
            member_discipline(
                actor=None,
                member=member,
                date=LEFT,
                decision_number="1",
                issuer="UBKT",
                reason="Vi phạm",
                **kwargs,
            )
        assert "leaving_reason" in info.value.message_dict
    assert counts() == before


# --- discipline of a probationary member; seats ended by leaving -------------------------------


@pytest.mark.parametrize("level", ["dismissal", "expulsion"])
def test_a_probationary_member_can_only_be_reprimanded_or_warned(tree, level):
    member = admit(tree.cell_a1)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_discipline(
            actor=None,
            member=member,
            level=level,
            date=LEFT,
            decision_number="1",
            issuer="UBKT",
            reason="Vi phạm",
        )
    assert "leads to removal" in info.value.message_dict["level"][0]
    assert counts() == before
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY
    for allowed in ("reprimand", "warning"):
        member_discipline(
            actor=None,
            member=member,
            level=allowed,
            date=LEFT,
            decision_number="1",
            issuer="UBKT",
            reason="Vi phạm",
        )
    assert member.events.filter(kind=EventKind.DISCIPLINE).count() == 2


def _seated(tree, member, *, on_commune: bool = True) -> tuple[CommitteeSeat, CommitteeSeat | None]:
    term = term_get_or_create(start_year=2020, end_year=2025)
    cell = committee_create(
        actor=None, unit=tree.cell_a1, term=term, kind=CommitteeKind.CELL, elected_size=2
    )
    cell_seat = seat_add(
        actor=None,
        committee=cell,
        member=member,
        position=Position.SECRETARY,
        from_date=dt.date(2020, 9, 1),
    )
    commune_seat = None
    if on_commune:
        executive = committee_create(
            actor=None,
            unit=tree.commune_a,
            term=term,
            kind=CommitteeKind.EXECUTIVE,
            elected_size=15,
        )
        commune_seat = seat_add(
            actor=None,
            committee=executive,
            member=member,
            position=Position.MEMBER,
            from_date=dt.date(2020, 9, 1),
        )
    return cell_seat, commune_seat


@pytest.mark.parametrize("how", ["expulsion", "removal", "death"])
def test_expulsion_removal_and_death_end_every_committee_seat_on_the_day(tree, manager_a, how):
    member = official(tree.cell_a1)
    seats = _seated(tree, member)
    if how == "expulsion":
        member_discipline(
            actor=manager_a,
            member=member,
            level="expulsion",
            date=LEFT,
            decision_number="9",
            issuer="UBKT",
            reason="Vi phạm",
        )
    elif how == "removal":
        member_remove(actor=manager_a, member=member, date=LEFT, reason="Bỏ sinh hoạt")
    else:
        member_death(actor=manager_a, member=member, date=LEFT)
    for seat in seats:
        seat.refresh_from_db()
        assert seat.to_date == LEFT
        assert AuditEntry.objects.for_object(seat).get(action="update").actor == manager_a


def test_an_official_transfer_out_ends_the_seats_of_the_units_left_only(tree, manager_a):
    member = official(tree.cell_a1)
    cell_seat, commune_seat = _seated(tree, member)
    member_transfer_out(actor=manager_a, member=member, to_unit=tree.cell_a2, date=LEFT)
    cell_seat.refresh_from_db()
    commune_seat.refresh_from_db()
    # The member left cell A1 but stays in commune A, on its executive committee.
    assert (cell_seat.to_date, commune_seat.to_date) == (LEFT, None)


def test_a_temporary_transfer_ends_no_seat(tree):
    member = official(tree.cell_a1)
    cell_seat, _commune = _seated(tree, member, on_commune=False)
    member_transfer_out(
        actor=None,
        member=member,
        to_unit=tree.cell_b1,
        date=LEFT,
        mode="temporary",
        until=dt.date(2022, 12, 1),
    )
    cell_seat.refresh_from_db()
    assert cell_seat.to_date is None


def test_dismissal_from_post_ends_the_seat_it_names(tree, manager_a):
    member = official(tree.cell_a1)
    cell_seat, commune_seat = _seated(tree, member)
    event = member_discipline(
        actor=manager_a,
        member=member,
        level="dismissal",
        date=LEFT,
        decision_number="9",
        issuer="UBKT",
        reason="Vi phạm",
        seat=cell_seat,
    )
    cell_seat.refresh_from_db()
    commune_seat.refresh_from_db()
    assert (cell_seat.to_date, commune_seat.to_date) == (LEFT, None)
    assert event.details["seat"] == cell_seat.pk
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL


def test_dismissal_from_post_needs_a_seat_the_member_holds(tree):
    member = official(tree.cell_a1)
    other = official(tree.cell_a1, full_name="Người khác")
    _cell, _commune = _seated(tree, member)
    term = term_get_or_create(start_year=2020, end_year=2025)
    others_seat = seat_add(
        actor=None, committee=_commune.committee, member=other, position=Position.DEPUTY
    )
    before = counts()
    for seat in (None, others_seat):
        with pytest.raises(ValidationError) as info:
            member_discipline(
                actor=None,
                member=member,
                level="dismissal",
                date=LEFT,
                decision_number="9",
                issuer="UBKT",
                reason="Vi phạm",
                seat=seat,
            )
        assert "seat" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        member_discipline(
            actor=None,
            member=member,
            level="warning",
            date=LEFT,
            decision_number="9",
            issuer="UBKT",
            reason="Vi phạm",
            seat=_cell,
        )
    assert "seat" in info.value.message_dict
    assert counts() == before
    assert not CommitteeSeat.objects.filter(to_date__isnull=False).exists()
    assert term.committees.count() == 2


def test_the_cell_committee_warning_counts_only_the_seats_still_held(tree):
    members = [official(tree.cell_a1, full_name=f"Đảng viên {i}") for i in range(10)]
    term = term_get_or_create(start_year=2025, end_year=2030)
    committee = committee_create(
        actor=None,
        unit=tree.cell_a1,
        term=term,
        kind=CommitteeKind.CELL,
        elected_size=3,
        elected_on=dt.date(2025, 8, 1),
    )
    for member, position in zip(
        members, (Position.SECRETARY, Position.DEPUTY, Position.MEMBER), strict=False
    ):
        seat_add(
            actor=None,
            committee=committee,
            member=member,
            position=position,
            from_date=dt.date(2025, 8, 1),
        )
    assert cell_committee_warning(tree.cell_a1) == ""
    member_transfer_out(
        actor=None, member=members[0], to_unit=tree.cell_a2, date=dt.date(2026, 1, 5)
    )
    warning = cell_committee_warning(tree.cell_a1)
    assert "holds 2 seats" in warning and "9 official members" in warning


# --- temporary transfers: arrival recorded, a stay past its end flagged -------------------------


def test_the_receiving_cell_records_a_temporary_arrival(tree, manager_a):
    member = official(tree.cell_b1)
    member_transfer_out(
        actor=None,
        member=member,
        to_unit=tree.cell_a1,
        date=dt.date(2023, 3, 1),
        mode="temporary",
        until=dt.date(2023, 9, 1),
    )
    member.refresh_from_db()
    assert (member.attending_unit, member.attending_until, member.attending_since) == (
        tree.cell_a1,
        dt.date(2023, 9, 1),
        None,
    )
    event = member_temporary_arrival(actor=manager_a, member=member, date=dt.date(2023, 3, 8))
    member.refresh_from_db()
    assert (member.unit, member.attending_since) == (
        tree.cell_b1,
        dt.date(2023, 3, 8),
    )  # the records stay
    assert (event.kind, event.unit, event.other_unit, event.created_by) == (
        EventKind.TEMP_TRANSFER_IN,
        tree.cell_a1,
        tree.cell_b1,
        manager_a,
    )
    assert AuditEntry.objects.for_object(event).get(action="create").actor == manager_a
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_temporary_arrival(actor=manager_a, member=member, date=dt.date(2023, 3, 9))
    assert "was recorded on 08/03/2023" in info.value.message_dict["member"][0]
    assert counts() == before
    member_temporary_return(actor=None, member=member, date=dt.date(2023, 9, 1))
    member.refresh_from_db()
    assert (member.attending_unit, member.attending_until, member.attending_since) == (
        None,
        None,
        None,
    )


def test_a_temporary_arrival_is_refused_for_a_member_not_on_a_temporary_transfer(tree):
    member = official(tree.cell_a1)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_temporary_arrival(actor=None, member=member, date=dt.date(2023, 3, 8))
    assert "member" in info.value.message_dict
    assert counts() == before


def test_a_temporary_stay_past_its_end_is_flagged_like_an_overdue_transfer(
    tree, manager_a, outsider
):
    member = official(tree.cell_b1)
    member_transfer_out(
        actor=None,
        member=member,
        to_unit=tree.cell_a1,
        date=dt.date(2023, 3, 1),
        mode="temporary",
        until=dt.date(2023, 9, 1),
    )
    member.refresh_from_db()
    assert member_flags(member, today=dt.date(2023, 9, 1)) == []
    flags = member_flags(member, today=dt.date(2023, 9, 2))
    assert [(f.code, f.due) for f in flags] == [("temporary_stay_overdue", dt.date(2023, 9, 1))]
    assert "ended on 01/09/2023" in flags[0].message
    # Both the cell attended and the member's own organization see it.
    assert list(overdue_temporary_stays(tree.commune_a, manager_a, today=dt.date(2023, 9, 2))) == [
        member
    ]
    assert list(overdue_temporary_stays(tree.commune_b, outsider, today=dt.date(2023, 9, 2))) == [
        member
    ]
    assert list(overdue_temporary_stays(tree.commune_a, manager_a, today=dt.date(2023, 9, 1))) == []
