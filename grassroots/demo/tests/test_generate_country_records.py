"""The national generator's records of the units at a tiny scale: the "4 good" frameworks and
monthly self-assessments, a year of cell meetings, the inspection plans and inspections, the
communes' feedback — no orphan rows, the same rows for the same seed, and the apps' own
selectors (a province's board, its meeting findings, its inspection execution, its feedback
board, a commune's classification) give sane figures over them."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.db.models import Count

from grassroots.accounts.models import User
from grassroots.assessments.choices import Status
from grassroots.assessments.models import Framework, MonthlyAssessment, Registration
from grassroots.assessments.selectors import board, year_summary
from grassroots.classifications.choices import Subject
from grassroots.classifications.models import Classification, Review
from grassroots.classifications.services import classifications_compute, review_members_write
from grassroots.demo.country import orphan_counts
from grassroots.feedback.choices import Status as FeedbackStatus
from grassroots.feedback.models import Feedback, FeedbackEvent
from grassroots.feedback.selectors import feedback_board
from grassroots.inspections.models import InspectedUnit, Inspection, InspectionPlan, PlanItem
from grassroots.inspections.selectors import inspection_execution
from grassroots.meetings.choices import MeetingKind
from grassroots.meetings.findings import unit_findings
from grassroots.meetings.models import Meeting, MeetingYear
from grassroots.meetings.tallies import tally_rebuild
from grassroots.organizations.choices import CELL_KINDS, UnitKind
from grassroots.organizations.models import Unit

from .country import TODAY, assert_the_seed_decides, generate


def admin():
    return User.objects.create_superuser("records-admin", "", "not-a-password")


def digest() -> str:
    # Ids come from the sequences (they differ between runs on PostgreSQL): compare contents.
    rows = [
        *Framework.objects.order_by("code").values_list("code", "issuing_unit__code", "name"),
        *MonthlyAssessment.objects.order_by(
            "registration__unit__code", "registration__year", "month"
        ).values_list(
            "registration__unit__code",
            "registration__year",
            "month",
            "status",
            "total",
            "band_key",
            "late",
            "submitted_at",
        ),
        *Meeting.objects.order_by("unit__code", "date", "kind").values_list(
            "unit__code", "date", "kind", "expected_count", "present_count", "signed_on"
        ),
        *Inspection.objects.order_by("unit__code", "start_date", "kind", "form").values_list(
            "unit__code", "start_date", "kind", "form", "plan_item__planned_count", "concluded_on"
        ),
        *Feedback.objects.order_by("code").values_list(
            "code", "origin_unit__code", "unit__code", "category", "received_on", "status"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_every_unit_files_its_months_and_every_cell_meets_with_no_orphans():
    report = generate()
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE)
    assert Framework.objects.count() == provinces.count() == report.counts["assessment_frameworks"]
    assert all(f.groups.count() == 4 and f.bands.count() == 4 for f in Framework.objects.all())
    # Every open cell, grassroots cell and grassroots organization registers for both years.
    registering = Unit.objects.filter(
        kind__in=(UnitKind.CELL, UnitKind.GRASSROOTS_CELL, UnitKind.GRASSROOTS),
        valid_to__isnull=True,
        valid_from__lte=dt.date(2025, 1, 1),
    )
    for year in (2025, 2026):
        assert set(registering.values_list("pk", flat=True)) <= set(
            Registration.objects.filter(year=year).values_list("unit_id", flat=True)
        )
    months = MonthlyAssessment.objects
    assert months.count() == report.counts["assessment_months"]
    assert not months.filter(registration__year=2026, month__gt=10).exists()
    statuses = dict(months.values_list("status").annotate(n=Count("id")))
    assert statuses[Status.ACCEPTED] > 0.85 * months.count()
    assert {Status.SUBMITTED, Status.RETURNED, Status.DRAFT} <= set(statuses)
    # Only the last month is a draft, and nothing older is a draft.
    assert (
        not months.filter(status=Status.DRAFT).exclude(registration__year=2026, month=10).exists()
    )
    assert months.filter(late=True).exists() and report.counts["assessment_months_missing"] > 0
    assert not months.filter(status=Status.ACCEPTED, reviewed_at__isnull=True).exists()
    # A band for every total, the total within the framework's 100 points.
    assert not months.filter(band_key="").exists()
    assert not months.filter(total__gt=100).exists()

    # Meetings: a regular one most months of every cell, a thematic one most quarters.
    cells = Unit.objects.filter(kind__in=CELL_KINDS, valid_to__isnull=True)
    regular = Meeting.objects.filter(kind=MeetingKind.REGULAR)
    assert regular.count() > 0.9 * 12 * cells.count()
    assert set(regular.values_list("unit_id", flat=True)) == set(cells.values_list("pk", flat=True))
    assert Meeting.objects.filter(kind=MeetingKind.THEMATIC).count() > 2 * cells.count()
    assert not Meeting.objects.filter(date__gte=TODAY).exists()
    assert not Meeting.objects.filter(date__lt=dt.date(2025, 11, 1)).exists()
    assert Meeting.objects.filter(signed_on__isnull=True).exists()

    # Inspections: two plans a year for every open grassroots organization, each carried out.
    orgs = Unit.objects.filter(kind=UnitKind.GRASSROOTS, valid_to__isnull=True)
    assert InspectionPlan.objects.count() == 2 * orgs.count()
    assert PlanItem.objects.count() == 4 * InspectionPlan.objects.count()
    assert (
        Inspection.objects.filter(plan_item__isnull=True).count()
        == (report.counts["inspection_unplanned"])
    )
    assert not Inspection.objects.filter(start_date__gte=TODAY).exists()
    assert InspectedUnit.objects.filter(unit__kind=UnitKind.CELL).count() == (
        InspectedUnit.objects.count()
    )

    # Feedback: every open commune, its history in events.
    communes = set(Feedback.objects.values_list("origin_unit_id", flat=True))
    assert communes and all(
        u.kind == UnitKind.GRASSROOTS for u in Unit.objects.filter(pk__in=communes)
    )
    assert FeedbackEvent.objects.count() == report.counts["feedback_events"]
    assert not Feedback.objects.filter(received_on__gte=TODAY).exists()
    escalated = Feedback.objects.filter(escalation_level__gt=0)
    assert all(f.unit.kind == UnitKind.PROVINCE for f in escalated)
    assert not Feedback.objects.filter(
        status__in=[FeedbackStatus.RECEIVED, FeedbackStatus.IN_PROGRESS], due_date__lt=TODAY
    ).exists()  # overdue at a commune means escalated by the daily job

    orphans = orphan_counts()  # the records' foreign keys among them
    assert "assessment.registration" in orphans and "feedback_event.feedback" in orphans
    assert all(n == 0 for n in orphans.values()), orphans


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    assert_the_seed_decides(digest)


@pytest.mark.django_db
def test_the_apps_selectors_give_sane_figures_for_a_province():
    generate()
    user = admin()
    province = (
        Unit.objects.filter(kind=UnitKind.PROVINCE)
        .annotate(n=Count("children"))
        .order_by("-n", "code")
        .first()
    )
    # The "4 good" board: the province's and its children's own months one by one, and each
    # child's registered units below it summed (the generator's rebuild made the tallies).
    found = board(unit=province, year=2025, user=user, today=TODAY)
    registered = Registration.objects.filter(year=2025, unit__path__startswith=province.path)
    below = sum(row.registered for row in found.subtrees)
    assert len(found.rows) + below == registered.count() > 0
    assert all(len(row.months) == 12 for row in [*found.rows, *found.subtrees])
    assert (
        sum(found.band_counts.values())
        == MonthlyAssessment.objects.filter(
            registration__in=registered, status=Status.ACCEPTED
        ).count()
    )
    # Some months were never filed or are still drafts.
    assert found.not_submitted or found.overdue_below

    # Meeting findings of 2026 (January to October are over).
    cells = Unit.objects.filter(
        path__startswith=province.path, kind__in=CELL_KINDS, valid_to__isnull=True
    )
    findings = unit_findings(province, 2026, TODAY)
    assert findings.cells == cells.count()
    # The findings count from the year tallies the generator's roll-up step built.
    tallies = sorted(MeetingYear.objects.values_list("unit_id", "year", "unsigned_days"))
    assert tallies and tally_rebuild() == len(tallies)
    assert sorted(MeetingYear.objects.values_list("unit_id", "year", "unsigned_days")) == tallies
    counts = findings.counts
    assert 0 < counts["no_regular"] < 0.15 * 10 * cells.count()
    assert counts["no_thematic"] < 3 * cells.count()
    assert counts["low_attendance"] > 0 and counts["unsigned"] > 0

    # Inspection execution of 2025: about 90–100 % of the plans carried out.
    execution = inspection_execution(
        user=user, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), unit=province
    )
    assert execution.total.planned > 0
    assert Decimal(85) <= execution.total.rate <= Decimal(105)
    assert execution.total.organizations > 0 and execution.total.members > 0

    # The feedback board of the province over its communes.
    fb = feedback_board(
        user=user,
        today=TODAY,
        unit=province,
        date_from=dt.date(2025, 1, 1),
        date_to=TODAY,
    )
    assert (
        fb.total.received
        == Feedback.objects.filter(origin_unit__path__startswith=province.path).count()
    )
    assert fb.by_unit and fb.total.answered > 0.7 * fb.total.received
    assert 70 <= fb.total.on_time_rate <= 100

    # A commune's classification of 2025 reads its cells' twelve months.
    commune = (
        Unit.objects.filter(parent=province, kind=UnitKind.GRASSROOTS, valid_to__isnull=True)
        .annotate(n=Count("children"))
        .filter(n__gt=0)
        .order_by("-n", "code")
        .first()
    )
    result = classifications_compute(actor=user, unit=commune, year=2025)
    assert result.reviews >= 1 and result.created > 0
    collectives = Classification.objects.filter(subject=Subject.COLLECTIVE, unit__parent=commune)
    assert collectives.count() == commune.children.filter(valid_to__isnull=True).count()
    cell = collectives.first().unit
    summary = year_summary(unit=cell, year=2025, today=TODAY)
    assert collectives.first().suggested_points == summary.value
    assert result.deferred > 0  # written when the commune's review is opened:
    for review in Review.objects.filter(unit__path__startswith=commune.path, year=2025):
        review_members_write(review)
    assert Classification.objects.filter(subject=Subject.MEMBER, unit__parent=commune).count() == (
        result.deferred
    )
