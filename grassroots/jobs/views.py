"""The page of a background job: its progress while it runs (HTMX polls it), then its result."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import Job
from .services import job_read_progress


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(Job, pk=pk)
    # A job shows the file and the errors of the person who asked for it: nobody else's.
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    running = job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
    progress = job_read_progress(job)
    result = job.result or {}
    figures = {
        "rows": progress.get("rows", result.get("rows", 0)),
        "valid": progress.get("valid", result.get("valid_rows", 0)),
        "errors": progress.get("errors", result.get("error_count", 0)),
        "created": result.get("created", 0),
        "total": progress.get("total"),
    }
    context = {
        "job": job,
        "figures": figures,
        "running": running,
        "errors": (result.get("errors") or [])[:500],
    }
    template = "jobs/_job_status.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, context)
