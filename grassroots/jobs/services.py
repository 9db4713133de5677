"""Creating background jobs, reporting their progress and recording their outcome."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job

# kind → the function (dotted path) that does the work of a job and returns its result. Apps
# that offer background work add their kind here; the worker imports the function when needed.
RUNNERS: dict[str, str] = {
    "members_import": "grassroots.members.imports.run_import_job",
}


def job_create(*, actor, kind: str, upload=None, params: dict | None = None) -> Job:
    """Record a job and queue it for the worker once the transaction commits."""
    from .tasks import run_job

    job = Job.objects.create(
        kind=kind,
        created_by=actor,
        params=params or {},
        file_name=getattr(upload, "name", "") or "",
    )
    if upload is not None:
        job.file.save(os.path.basename(upload.name), upload, save=True)
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def job_progress(job: Job, **values) -> None:
    """Write the job's progress (rows=…, valid=…, errors=…) where the page can read it while
    the work runs; replaced atomically, so that a reader never sees half a file."""
    path = job.progress_path
    path.parent.mkdir(parents=True, exist_ok=True)
    values["updated"] = timezone.now().isoformat()
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
        json.dump(values, handle)
    os.replace(handle.name, path)


def job_read_progress(job: Job) -> dict:
    try:
        return json.loads(job.progress_path.read_text())
    except (OSError, ValueError):
        return {}


def job_run(job_id: int) -> Job:
    """Run a queued job (called by the task worker); its status, result and end time are saved
    whatever happens."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        result = import_string(RUNNERS[job.kind])(job)
    except Exception as exc:  # recorded for the user; the worker logs the traceback
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, result={"error": str(exc)}, finished_at=timezone.now()
        )
        raise
    else:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE, result=result, finished_at=timezone.now()
        )
    finally:
        # An uploaded file holds personal data (a member import): it goes with the job's end.
        if settings.GRASSROOTS_UPLOAD_KEEP_DAYS <= 0:
            job_file_delete(job)
        job_files_purge()
    job.refresh_from_db()
    return job


def job_file_delete(job: Job) -> None:
    """Delete the file uploaded with `job` (its name stays, for the page)."""
    if job.file:
        job.file.delete(save=False)
    Job.objects.filter(pk=job.pk).exclude(file="").update(file="")


def job_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the uploaded files of jobs that ended more than GRASSROOTS_UPLOAD_KEEP_DAYS days
    ago (every ended job's file with the default of 0); the number of files deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(
        days=max(settings.GRASSROOTS_UPLOAD_KEEP_DAYS, 0)
    )
    ended = Job.objects.filter(
        status__in=[Job.Status.DONE, Job.Status.FAILED],
        finished_at__lte=cutoff,
    ).exclude(file="")
    count = 0
    for job in ended:
        job_file_delete(job)
        count += 1
    return count
