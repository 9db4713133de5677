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
    context = {"job": job, "progress": job_read_progress(job), "running": running,
               "errors": (job.result.get("errors") or [])[:500]}
    template = "jobs/_job_status.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, context)
