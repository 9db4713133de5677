"""The computation of a whole subtree (a province) for a year as background work: a
`ClassificationRun` row for the unit's pages, and a job of the jobs app (`jobs.services`) that
the task worker runs, with its progress written as it goes. Running it again is safe: the
services never change a decision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.access import Access, Action
from grassroots.jobs.models import Job
from grassroots.jobs.services import RUNNERS, job_create, job_progress, job_read_progress

from .choices import RunStatus
from .models import ClassificationRun
from .selectors import ruleset_in_force
from .services import classifications_compute

JOB_KIND = "classifications_run"


def register() -> None:
    """Offer the run to the jobs app's worker (called from `ClassificationsConfig.ready()`)."""
    RUNNERS.setdefault(JOB_KIND, "grassroots.classifications.runs.run_job")


@transaction.atomic
def run_start(*, actor, unit, year: int) -> ClassificationRun:
    """Queue the computation of `unit`'s subtree for `year`; while one is waiting or running
    for the same unit and year, that one is returned instead of a second."""
    if actor is not None and not Access.of(actor).may(Action.CHANGE, unit):
        raise ValidationError({"unit": _("You may not act for %(unit)s.") % {"unit": unit}})
    if ruleset_in_force(year) is None:
        raise ValidationError({"year": _("No rule set is in force for %(year)s.") % {"year": year}})
    running = ClassificationRun.objects.filter(
        unit=unit, year=year, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if running is not None:
        return running
    run = ClassificationRun.objects.create(unit=unit, year=year, created_by=actor)
    run.job = job_create(actor=actor, kind=JOB_KIND, params={"run": run.pk})
    run.save(update_fields=["job"])
    return run


def run_job(job: Job) -> dict:
    """The job's work: the run's status kept on its row, the progress in the job's file."""
    run = ClassificationRun.objects.select_related("unit", "created_by").get(pk=job.params["run"])
    ClassificationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    try:
        result = classifications_compute(
            actor=run.created_by,
            unit=run.unit,
            year=run.year,
            progress=lambda **values: job_progress(job, **values),
        )
    except Exception as exc:
        ClassificationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, result={"error": str(exc)}, finished_at=timezone.now()
        )
        raise
    values = result.as_dict()
    ClassificationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, result=values, finished_at=timezone.now()
    )
    return values


def run_progress(run: ClassificationRun) -> dict:
    """How far the run has come: reviews done of the total, rows written so far."""
    progress = job_read_progress(run.job) if run.job_id else {}
    return {**run.result, **progress} if run.status != RunStatus.DONE else dict(run.result)
