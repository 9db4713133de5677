"""The synthetic national dataset: `generate_country(scale=…, seed=…)`.

One transaction for the whole load: an interrupted or failed run leaves nothing behind, and a
second run on a database that already holds a generated country is refused unless `replace=True`
(which empties the unit and member tables first, in the same transaction). Generated rows are
written through bulk paths and have no audit entries: they were never changed by anyone.
"""

from __future__ import annotations

import datetime as dt
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from grassroots.core.bulk import BulkWriter, DeferredIndexes

from .registry import Context, generator_step, ordered_steps

__all__ = ["CountryExists", "GenerationReport", "generate_country", "generator_step"]


class CountryExists(Exception):
    """The database already holds a generated country."""


@dataclass
class GenerationReport:
    scale: float
    seed: int
    seconds: float
    peak_rss_mb: float
    counts: dict[str, int] = field(default_factory=dict)
    rows_written: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _tables():
    from grassroots.assessments import models as assessments
    from grassroots.classifications import models as classifications
    from grassroots.committees.models import Committee, CommitteeSeat, Term
    from grassroots.feedback.models import Feedback, FeedbackEvent
    from grassroots.inspections import models as inspections
    from grassroots.meetings import models as meetings
    from grassroots.members.models import Candidate, Member, MemberEvent, Membership
    from grassroots.organizations.models import Lineage, Reorganization, Unit, UnitPlacement
    from grassroots.targets.models import (
        AdoptedReview,
        AdoptedReviewRow,
        DataValue,
        DataValueTransition,
        Resolution,
        Target,
        TargetMilestone,
    )

    # Referring tables first (SQLite deletes in this order); the indicator catalogue and the
    # classification rule sets are kept.
    models = [
        classifications.QuotaException,
        classifications.ClassificationStep,
        classifications.Classification,
        classifications.Review,
        classifications.Circumstance,
        classifications.ClassificationRun,
        assessments.BoardTally,
        assessments.Score,
        assessments.Evidence,
        assessments.ReviewStep,
        assessments.MonthlyAssessment,
        assessments.Criterion,
        assessments.Registration,
        assessments.Band,
        assessments.CriterionGroup,
        assessments.Framework,
        meetings.FollowUp,
        meetings.Assignment.members.through,
        meetings.Assignment,
        meetings.Decision,
        meetings.MeetingCorrection,
        meetings.MeetingDocument,
        meetings.Attendance,
        meetings.Meeting,
        meetings.Liaison,
        inspections.OrganizationDiscipline,
        inspections.InspectedMember,
        inspections.InspectedUnit,
        inspections.Inspection,
        inspections.PlanItem,
        inspections.InspectionPlan,
        FeedbackEvent,
        Feedback,
        AdoptedReviewRow,
        AdoptedReview,
        DataValueTransition,
        DataValue,
        TargetMilestone,
        Target,
        Resolution,
        CommitteeSeat,
        Committee,
        Term,
        Candidate,
        MemberEvent,
        Membership,
        Member,
        Lineage,
        Reorganization,
        UnitPlacement,
        Unit,
    ]
    try:
        from grassroots.rollups.models import SubtreeCount

        models.insert(0, SubtreeCount)
    except ImportError:
        pass
    return models


def empty_register() -> None:
    """Delete every unit, member, committee, resolution, figure and roll-up row, the records
    kept on them ("4 good" months, meetings, inspections, feedback, classifications) (and, on
    PostgreSQL, the rows that refer to units, such as role assignments: TRUNCATE … CASCADE).
    For benchmark databases: the audit log is kept."""
    tables = [m._meta.db_table for m in _tables()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks still pending in an enclosing transaction (a test's) must run before TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
            )
            # … and then wait for the commit again, as Django's foreign keys do: a generator's
            # step writes a batch of rows before the rows they refer to may be flushed.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            from grassroots.accounts.models import RoleAssignment

            cursor.execute(f"DELETE FROM {RoleAssignment._meta.db_table}")
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def _superuser() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def generate_country(
    *,
    scale: float,
    seed: int,
    today: dt.date | None = None,
    replace: bool = False,
    progress: Callable[[str], None] = print,
    batch_size: int = 20_000,
) -> GenerationReport:
    """Generate and load the synthetic country at `scale` (1.0 = national size), the same for
    the same seed and day. Raises CountryExists when one is loaded and `replace` is false."""
    from grassroots.assessments.models import MonthlyAssessment
    from grassroots.meetings.models import Meeting
    from grassroots.members.models import Member, MemberEvent, Membership
    from grassroots.organizations.models import Unit, UnitPlacement
    from grassroots.targets.models import DataValue, DataValueTransition

    from .steps.tree import ROOT_CODE

    started = time.monotonic()
    timings: dict[str, float] = {}
    ctx = Context(
        scale=scale,
        seed=seed,
        today=today or timezone.localdate(),
        now=timezone.now(),
        writer=BulkWriter(batch_size=batch_size),
        progress=progress,
    )
    with transaction.atomic():
        if replace:
            progress("emptying the unit and member tables")
            empty_register()
        elif Unit.objects.filter(code=ROOT_CODE).exists():
            raise CountryExists(ROOT_CODE)
        bulk = connection.vendor == "postgresql" and not Member.objects.exists()
        deferred = DeferredIndexes(
            [
                Member,
                MemberEvent,
                Membership,
                UnitPlacement,
                DataValue,
                DataValueTransition,
                MonthlyAssessment,
                Meeting,
            ]
        )
        if bulk:
            if _superuser():
                # Foreign keys are checked by the no-orphan checks of the tests and `--check`,
                # not row by row: the deferred checks of 30 million rows would queue in memory.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            deferred.drop()
        for step in ordered_steps("load"):
            t0 = time.monotonic()
            progress(f"step {step.name}")
            step.run(ctx)
            ctx.writer.flush_all()
            timings[step.name] = time.monotonic() - t0
        t0 = time.monotonic()
        progress("rebuilding indexes" if deferred.saved else "finishing the load")
        deferred.restore(progress)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                for model in (
                    Unit,
                    UnitPlacement,
                    Member,
                    MemberEvent,
                    Membership,
                    DataValue,
                    DataValueTransition,
                    MonthlyAssessment,
                    Meeting,
                ):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        timings["indexes"] = time.monotonic() - t0
        for step in ordered_steps("derive"):
            t0 = time.monotonic()
            progress(f"step {step.name}")
            step.run(ctx)
            timings[step.name] = time.monotonic() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return GenerationReport(
        scale=scale,
        seed=seed,
        seconds=time.monotonic() - started,
        peak_rss_mb=peak,
        counts=dict(ctx.counts),
        rows_written=dict(ctx.writer.written),
        timings=timings,
    )


def orphan_counts() -> dict[str, int]:
    """Rows whose foreign keys point nowhere (expected: all zero)."""
    from grassroots.assessments.models import Framework, MonthlyAssessment, Registration
    from grassroots.feedback.models import Feedback, FeedbackEvent
    from grassroots.inspections.models import (
        InspectedMember,
        InspectedUnit,
        Inspection,
        InspectionPlan,
        OrganizationDiscipline,
        PlanItem,
    )
    from grassroots.meetings.models import Meeting
    from grassroots.members.models import Member, MemberEvent, Membership
    from grassroots.organizations.models import Lineage, Unit, UnitPlacement
    from grassroots.targets.models import (
        DataValue,
        DataValueTransition,
        Indicator,
        Resolution,
        Target,
        TargetMilestone,
    )

    checks = {
        "unit.parent": (Unit, "parent_id", Unit),
        "placement.unit": (UnitPlacement, "unit_id", Unit),
        "placement.parent": (UnitPlacement, "parent_id", Unit),
        "lineage.predecessor": (Lineage, "predecessor_id", Unit),
        "lineage.successor": (Lineage, "successor_id", Unit),
        "member.unit": (Member, "unit_id", Unit),
        "member.transit_to": (Member, "transit_to_id", Unit),
        "membership.member": (Membership, "member_id", Member),
        "membership.unit": (Membership, "unit_id", Unit),
        "event.member": (MemberEvent, "member_id", Member),
        "event.unit": (MemberEvent, "unit_id", Unit),
        "event.other_unit": (MemberEvent, "other_unit_id", Unit),
        "resolution.unit": (Resolution, "unit_id", Unit),
        "target.resolution": (Target, "resolution_id", Resolution),
        "target.unit": (Target, "unit_id", Unit),
        "target.indicator": (Target, "indicator_id", Indicator),
        "milestone.target": (TargetMilestone, "target_id", Target),
        "value.unit": (DataValue, "unit_id", Unit),
        "value.indicator": (DataValue, "indicator_id", Indicator),
        "value.approved_level": (DataValue, "approved_level_id", Unit),
        "transition.value": (DataValueTransition, "value_id", DataValue),
        "framework.issuing_unit": (Framework, "issuing_unit_id", Unit),
        "registration.unit": (Registration, "unit_id", Unit),
        "registration.framework": (Registration, "framework_id", Framework),
        "assessment.registration": (MonthlyAssessment, "registration_id", Registration),
        "meeting.unit": (Meeting, "unit_id", Unit),
        "plan.unit": (InspectionPlan, "unit_id", Unit),
        "item.plan": (PlanItem, "plan_id", InspectionPlan),
        "inspection.unit": (Inspection, "unit_id", Unit),
        "inspection.item": (Inspection, "plan_item_id", PlanItem),
        "inspected.unit": (InspectedUnit, "unit_id", Unit),
        "inspected.inspection": (InspectedUnit, "inspection_id", Inspection),
        "inspected.member": (InspectedMember, "member_id", Member),
        "discipline.subject": (OrganizationDiscipline, "subject_id", InspectedUnit),
        "feedback.unit": (Feedback, "unit_id", Unit),
        "feedback.origin_unit": (Feedback, "origin_unit_id", Unit),
        "feedback_event.feedback": (FeedbackEvent, "feedback_id", Feedback),
    }
    q = connection.ops.quote_name
    result = {}
    with connection.cursor() as cursor:
        for name, (model, column, target) in checks.items():
            cursor.execute(
                f"SELECT COUNT(*) FROM {q(model._meta.db_table)} a "
                f"LEFT JOIN {q(target._meta.db_table)} b "
                f"ON b.id = a.{q(column)} WHERE a.{q(column)} IS NOT NULL AND b.id IS NULL"
            )
            result[name] = cursor.fetchone()[0]
    return result
