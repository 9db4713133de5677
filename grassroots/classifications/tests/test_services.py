"""The review and classification services over the persona tree: the set in force, the facts
read from the records, re-runs, steps, decisions, the quota and its exception, publication and
the flag of two years running."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from grassroots.classifications.choices import CircumstanceKind, Level, NotReviewed, StepKind
from grassroots.classifications.models import (
    Circumstance,
    Classification,
    ClassificationStep,
    QuotaException,
    Review,
    RuleSet,
)
from grassroots.classifications.selectors import classification_results
from grassroots.classifications.services import (
    Decision,
    circumstance_record,
    circumstance_remove,
    classification_decide,
    classification_step,
    classifications_compute,
    classifications_decide,
    review_compute,
    review_open,
    review_publish,
    ruleset_update,
)
from grassroots.core.models import AuditEntry
from grassroots.members.services import member_discipline
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.services import unit_create

from .helpers import computed_review, members_of, members_written

pytestmark = pytest.mark.django_db


def of(member, year=2024) -> Classification:
    return Classification.objects.get(member=member, year=year, quarter__isnull=True)


def test_a_review_runs_under_the_set_in_force_for_its_year(tree):
    assert review_open(actor=None, unit=tree.commune_a, year=2024).rule_set.code == "124"
    assert review_open(actor=None, unit=tree.commune_a, year=2025).rule_set.code == "366"
    assert review_open(actor=None, unit=tree.commune_a, year=2020).rule_set.code == "132"


def test_a_review_keeps_the_values_it_was_opened_with(tree, admin_user):
    review = review_open(actor=None, unit=tree.commune_a, year=2025)
    rule_set = RuleSet.objects.get(code="366")
    ruleset_update(actor=admin_user, rule_set=rule_set, quota_rate_pct=25)
    review.refresh_from_db()
    assert review.rules["quota_rate_pct"] == "20.00"
    later = review_open(actor=None, unit=tree.commune_b, year=2025)
    assert later.rules["quota_rate_pct"] == "25.00"


def test_a_rule_set_is_corrected_only_by_an_administrator(tree, manager_a):
    rule_set = RuleSet.objects.get(code="366")
    with pytest.raises(ValidationError):
        ruleset_update(actor=manager_a, rule_set=rule_set, quota_rate_pct=25)
    with pytest.raises(ValidationError):
        ruleset_update(actor=None, rule_set=rule_set, quota_rate_pct=125)
    rule_set.refresh_from_db()
    assert str(rule_set.quota_rate_pct) == "20.00"


def test_a_cell_holds_no_review_of_its_own(tree):
    with pytest.raises(ValidationError) as error:
        review_open(actor=None, unit=tree.cell_a1, year=2024)
    assert "unit" in error.value.message_dict


def _sick_and_disciplined(sick, disciplined) -> None:
    """Four months of sick leave for one member, a reprimand in April for the other."""
    circumstance_record(
        actor=None,
        kind=CircumstanceKind.SICK_LEAVE,
        member=sick,
        start=dt.date(2024, 2, 1),
        end=dt.date(2024, 5, 31),
    )
    member_discipline(
        actor=None,
        member=disciplined,
        level="reprimand",
        date=dt.date(2024, 4, 2),
        decision_number="1-QĐ/UBKT",
        issuer="UBKT",
        reason="Vi phạm",
    )


def test_the_computation_reads_admission_leave_and_discipline_from_the_records(tree):
    old, sick, disciplined = members_of(tree.cell_a1, 3)
    (new,) = members_of(tree.cell_a1, 1, day=dt.date(2024, 9, 1), prefix="Mới ")
    _sick_and_disciplined(sick, disciplined)
    result = classifications_compute(actor=None, unit=tree.province, year=2024)
    # The cells A1, A2 and B1, the communes A and B (by the province); the four members of A1
    # counted, their rows written when commune A's review is opened.
    assert result.created == 3 + 2 and result.deferred == 4
    assert result.reviews == 3
    members_written(tree.province, 2024)
    assert of(new).not_reviewed == NotReviewed.NEW_MEMBER
    assert of(sick).cap_level == Level.COMPLETED
    assert of(disciplined).cap_level == Level.NOT_COMPLETED
    assert of(old).cap_level == "" and of(old).not_reviewed == ""
    assert of(old).review.unit == tree.commune_a


def test_running_again_changes_nothing_decided(tree, manager_a):
    members = members_of(tree.cell_a1, 3)
    review = computed_review(tree.commune_a, 2024)
    c = of(members[0])
    classification_decide(actor=manager_a, classification=c, level=Level.WELL)
    circumstance_record(
        actor=None,
        kind=CircumstanceKind.SICK_LEAVE,
        member=members[0],
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 6, 30),
    )
    again = classifications_compute(actor=manager_a, unit=tree.commune_a, year=2024)
    c.refresh_from_db()
    assert c.decided_level == Level.WELL
    assert c.cap_level == Level.COMPLETED  # the computation's own fields follow the records
    assert again.updated == 1 and again.created == 0
    assert c.steps.filter(kind=StepKind.DECISION).count() == 1
    assert c.steps.filter(kind=StepKind.COMPUTED).count() == 2
    third = classifications_compute(actor=manager_a, unit=tree.commune_a, year=2024)
    assert third.updated == 0 and third.created == 0
    assert review.classifications.count() == 3 + 2


def test_a_self_review_and_a_proposal_are_recorded_with_who_and_what(tree, manager_a):
    (m,) = members_of(tree.cell_a1, 1)
    computed_review(tree.commune_a, 2025)
    c = of(m, 2025)
    step = classification_step(
        actor=manager_a,
        classification=c,
        kind=StepKind.SELF_REVIEW,
        inputs={"points": "92", "exceeded_pct": "40"},
        note="Tự đánh giá",
    )
    assert (step.level, step.actor, step.points) == (Level.EXCELLENT, manager_a, 92)
    proposal = classification_step(
        actor=manager_a, classification=c, kind=StepKind.PROPOSAL, inputs={"points": "85"}
    )
    c.refresh_from_db()
    assert (c.self_level, c.proposed_level) == (Level.EXCELLENT, Level.WELL)
    assert proposal.inputs == {"points": "85"}


def test_a_level_above_what_the_rules_allow_is_refused(tree, manager_a):
    (m,) = members_of(tree.cell_a1, 1)
    member_discipline(
        actor=None,
        member=m,
        level="reprimand",
        date=dt.date(2024, 4, 2),
        decision_number="1",
        issuer="UBKT",
        reason="Vi phạm",
    )
    computed_review(tree.commune_a, 2024)
    c = of(m)
    with pytest.raises(ValidationError) as error:
        classification_decide(actor=manager_a, classification=c, level=Level.WELL)
    assert f"level_{c.pk}" in error.value.message_dict
    assert not c.steps.filter(kind=StepKind.DECISION).exists()
    classification_decide(actor=manager_a, classification=c, level=Level.NOT_COMPLETED)


def test_a_member_not_reviewed_cannot_be_classified(tree, manager_a):
    (m,) = members_of(tree.cell_a1, 1, day=dt.date(2024, 10, 1))
    computed_review(tree.commune_a, 2024)
    with pytest.raises(ValidationError):
        classification_decide(actor=manager_a, classification=of(m), level=Level.WELL)


def test_the_cell_cannot_decide_what_the_committee_decides(tree, personas):
    (m,) = members_of(tree.cell_a1, 1)
    computed_review(tree.commune_a, 2024)
    with pytest.raises(ValidationError):
        classification_decide(actor=personas["viewer_a"], classification=of(m), level="well")
    with pytest.raises(ValidationError):
        classification_decide(actor=personas["outsider"], classification=of(m), level="well")
    assert of(m).decided_level == ""


def _decide_all(actor, members, levels, reason=""):
    return classifications_decide(
        actor=actor,
        decisions=[Decision(of(m), lv) for m, lv in zip(members, levels, strict=True)],
        exception_reason=reason,
    )


def test_the_quota_of_excellent_is_checked_over_the_grassroots_organization(tree, manager_a):
    members = members_of(tree.cell_a1, 5) + members_of(tree.cell_a2, 2, prefix="B ")
    computed_review(tree.commune_a, 2024)
    # 5 rated "well" give one place (20%); a second "excellent" is beyond the quota.
    levels = ["well"] * 5 + ["excellent", "excellent"]
    before = ClassificationStep.objects.filter(kind=StepKind.DECISION).count()
    with pytest.raises(ValidationError) as error:
        _decide_all(manager_a, members, levels)
    assert "exception_reason" in error.value.message_dict
    assert "1 beyond" in error.value.message_dict["exception_reason"][0]
    assert ClassificationStep.objects.filter(kind=StepKind.DECISION).count() == before
    _decide_all(manager_a, members, ["well"] * 5 + ["excellent", "well"])
    assert of(members[5]).decided_level == Level.EXCELLENT


def test_the_quota_exception_is_granted_only_by_the_committee_above(tree, manager_a, admin_user):
    members = members_of(tree.cell_a1, 4)
    computed_review(tree.commune_a, 2024)
    levels = ["well", "well", "well", "excellent"]  # 3 "well" give no place
    with pytest.raises(ValidationError) as error:
        _decide_all(manager_a, members, levels, reason="Thành tích đột xuất")
    assert "committee above" in error.value.message_dict["exception_reason"][0]
    assert not QuotaException.objects.exists()
    _decide_all(admin_user, members, levels, reason="Thành tích đột xuất trong bão số 3")
    exception = QuotaException.objects.get()
    assert exception.classification == of(members[3])
    assert (exception.allowed, exception.used, exception.granted_by) == (0, 1, admin_user)
    assert exception.reason == "Thành tích đột xuất trong bão số 3"
    assert AuditEntry.objects.for_object(exception).get().actor == admin_user


def test_the_quota_counts_an_exception_granted_as_a_place(tree, manager_a, admin_user):
    members = members_of(tree.cell_a1, 4)
    computed_review(tree.commune_a, 2024)
    _decide_all(admin_user, members, ["well", "well", "well", "excellent"], reason="Lý do")
    # Deciding again the same levels needs no new exception.
    _decide_all(manager_a, members[:3], ["well", "well", "well"])
    assert QuotaException.objects.count() == 1


def test_a_decision_is_a_new_step_and_the_earlier_one_stays(tree, manager_a):
    (m,) = members_of(tree.cell_a1, 1)
    computed_review(tree.commune_a, 2024)
    classification_decide(actor=manager_a, classification=of(m), level="completed")
    classification_decide(actor=manager_a, classification=of(m), level="well", note="Sửa")
    steps = list(of(m).steps.filter(kind=StepKind.DECISION).values_list("level", "actor"))
    assert steps == [("completed", manager_a.pk), ("well", manager_a.pk)]
    assert of(m).decided_level == "well"
    with pytest.raises(ValidationError):
        of(m).steps.first().delete()


def test_publication_waits_for_every_decision_then_records_a_step_each(tree, manager_a):
    members = members_of(tree.cell_a1, 2)
    review = computed_review(tree.commune_a, 2024)
    classification_decide(actor=manager_a, classification=of(members[0]), level="well")
    with pytest.raises(ValidationError):
        review_publish(actor=manager_a, review=review, unit=tree.cell_a1)
    classification_decide(actor=manager_a, classification=of(members[1]), level="completed")
    assert review_publish(actor=manager_a, review=review, unit=tree.cell_a1) == 2
    assert of(members[0]).published_at is not None
    assert of(members[0]).steps.filter(kind=StepKind.PUBLICATION).count() == 1
    assert review_publish(actor=manager_a, review=review, unit=tree.cell_a1) == 0


def test_did_not_complete_two_years_running_flags_and_removes_nobody(tree, manager_a):
    (m,) = members_of(tree.cell_a1, 1)
    computed_review(tree.commune_a, 2024)
    classification_decide(actor=manager_a, classification=of(m), level="not_completed")
    assert of(m).flagged is False
    computed_review(tree.commune_a, 2025)
    classification_decide(
        actor=manager_a,
        classification=of(m, 2025),
        level="not_completed",
        inputs={"points": "40"},
    )
    c = of(m, 2025)
    assert c.flagged is True
    assert "not_completed_two_years_running_flag" in [f["rule"] for f in c.findings]
    m.refresh_from_db()
    assert m.status == "official" or m.status == "probationary"


def test_a_cell_whose_leader_was_disciplined_did_not_complete_under_124(tree, manager_a):
    from grassroots.committees.services import committee_create, seat_add, term_get_or_create

    (leader,) = members_of(tree.cell_a1, 1)
    term = term_get_or_create(start_year=2020, end_year=2025)
    committee = committee_create(actor=None, unit=tree.cell_a1, term=term, kind="cell")
    seat_add(actor=None, committee=committee, member=leader, position="secretary")
    member_discipline(
        actor=None,
        member=leader,
        level="reprimand",
        date=dt.date(2024, 4, 2),
        decision_number="1",
        issuer="UBKT",
        reason="Vi phạm",
    )
    computed_review(tree.commune_a, 2024)
    cell = Classification.objects.get(unit=tree.cell_a1, subject="collective", year=2024)
    assert cell.cap_level == Level.NOT_COMPLETED
    assert "collective_leadership_disciplined_fails" in [f["rule"] for f in cell.findings]


def test_results_count_each_level_and_the_share_of_cells_good_or_better(tree, manager_a):
    members = members_of(tree.cell_a1, 5) + members_of(tree.cell_a2, 1, prefix="B ")
    members_of(tree.cell_a2, 1, day=dt.date(2024, 11, 1), prefix="Mới ")
    computed_review(tree.commune_a, 2024)
    _decide_all(manager_a, members, ["well"] * 5 + ["excellent"])
    cells = Classification.objects.filter(subject="collective", year=2024).order_by("unit__code")
    classifications_decide(
        actor=manager_a,
        decisions=[Decision(cells[0], "well"), Decision(cells[1], "completed")],
    )
    results = classification_results(unit=tree.province, year=2024)
    assert results.members == {"well": 5, "excellent": 1}
    assert results.members_not_reviewed == 1
    assert results.collectives == {"well": 1, "completed": 1}
    assert (results.cells_decided, results.cells_good_or_better) == (2, 1)
    assert str(results.cells_good_share) == "50.0"
    own = classification_results(unit=tree.commune_a, year=2024, subtree=False)
    assert own.members == {"well": 5, "excellent": 1}
    assert classification_results(unit=tree.commune_b, year=2024).members == {}


def test_a_quarterly_review_only_under_a_set_that_has_them(tree):
    with pytest.raises(ValidationError) as error:
        review_open(actor=None, unit=tree.commune_a, year=2024, quarter=1)
    assert "quarter" in error.value.message_dict
    with pytest.raises(ValidationError):
        review_open(actor=None, unit=tree.commune_a, year=2025, quarter=4)
    review = review_open(actor=None, unit=tree.commune_a, year=2025, quarter=2)
    assert review.period == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert review.review_date == dt.date(2025, 6, 30)
    assert review_open(actor=None, unit=tree.commune_a, year=2025).quarter is None


def test_quarterly_results_feed_the_year_end_review_and_meet_no_quota(tree, manager_a):
    from grassroots.classifications.services import review_compute

    members = members_of(tree.cell_a1, 2)
    quarter = review_open(actor=None, unit=tree.commune_a, year=2025, quarter=1)
    review_compute(actor=None, review=quarter)
    q1 = {c.member_id: c for c in quarter.classifications.filter(subject="member")}
    classifications_decide(  # no place in a quota of the year: none applies to a quarter
        actor=manager_a,
        decisions=[Decision(q1[m.pk], "excellent", {"points": "95"}) for m in members],
    )
    computed_review(tree.commune_a, 2025)
    year_end = of(members[0], 2025)
    assert year_end.quarter is None and year_end.facts["quarters"] == {"1": "excellent"}
    assert "quarters_feed_the_year" in [f["rule"] for f in year_end.findings]
    assert classification_results(unit=tree.commune_a, year=2025).members == {}


def test_a_circumstance_is_removed_only_by_who_may_change_its_unit(tree, viewer_a, outsider):
    member = members_of(tree.cell_a1, 1)[0]
    circumstance = circumstance_record(
        actor=None, kind=CircumstanceKind.SUSPENDED, member=member, start=dt.date(2024, 1, 1)
    )
    for actor in (viewer_a, outsider):
        with pytest.raises(ValidationError, match="You may not act"):
            circumstance_remove(actor=actor, circumstance=circumstance)
    assert Circumstance.objects.filter(pk=circumstance.pk).exists()
    circumstance_remove(actor=None, circumstance=circumstance)
    assert not Circumstance.objects.exists()


def _computed_rows() -> list[tuple]:
    return list(
        Classification.objects.order_by("subject", "unit_id", "member_id").values_list(
            "review__unit_id",
            "subject",
            "unit_id",
            "member_id",
            "not_reviewed",
            "cap_level",
            "suggested_level",
            "facts",
            "findings",
        )
    )


def _records_of_a_year(tree):
    old, sick, disciplined = members_of(tree.cell_a1, 3)
    members_of(tree.cell_a1, 1, day=dt.date(2024, 9, 1), prefix="Mới ")
    members_of(tree.cell_a2, 2, prefix="A2 ")
    _sick_and_disciplined(sick, disciplined)
    circumstance_record(
        actor=None,
        kind=CircumstanceKind.ORGANIZATION_DISCIPLINED,
        unit=tree.cell_a2,
        start=dt.date(2024, 3, 1),
    )


def test_a_run_over_a_subtree_gives_what_each_review_gives_alone(tree):
    _records_of_a_year(tree)
    with transaction.atomic():
        classifications_compute(actor=None, unit=tree.province, year=2024)
        members_written(tree.province, 2024)
        together = _computed_rows()
        transaction.set_rollback(True)
    for unit in (tree.commune_a, tree.commune_b, tree.province):
        review_compute(actor=None, review=review_open(actor=None, unit=unit, year=2024))
    assert _computed_rows() == together
    assert len(together) == 6 + 3 + 2
    commune_a = next(row for row in together if row[2] == tree.commune_a.pk)
    assert commune_a[7]["subordinates"] == 2 and commune_a[7]["subordinates_disciplined"] == 1


def _queries_to_compute(unit, year: int) -> int:
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            classifications_compute(actor=None, unit=unit, year=year)
        transaction.set_rollback(True)
    return len(queries.captured_queries)


def test_a_subtree_is_computed_in_as_many_queries_whatever_its_size(tree):
    _records_of_a_year(tree)
    small = _queries_to_compute(tree.province, 2024)
    for i in range(3):
        cell = unit_create(
            actor=None,
            code=f"B{i + 2}",
            name=f"Chi bộ B{i + 2}",
            kind=UnitKind.CELL,
            valid_from=dt.date(2015, 1, 1),
            parent=tree.commune_b,
        )
        members_of(cell, 3, prefix=f"B{i + 2} ")
    members_of(tree.cell_a2, 4, prefix="Thêm ")
    assert _queries_to_compute(tree.province, 2024) == small


def test_the_reviews_a_run_opens_are_audited(tree, manager_a):
    members_of(tree.cell_a1, 1)
    classifications_compute(actor=manager_a, unit=tree.commune_a, year=2024)
    review = review_open(actor=None, unit=tree.commune_a, year=2024)
    entry = AuditEntry.objects.get(
        action="create",
        content_type=ContentType.objects.get_for_model(Review),
        object_id=str(review.pk),
    )
    assert entry.actor == manager_a and entry.after["rule_set_id"] == review.rule_set_id
    assert entry.unit_path == tree.commune_a.path
