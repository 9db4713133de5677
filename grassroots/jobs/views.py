"""The page of a background job: its progress while it runs (HTMX polls it), then its result."""

from django.views.generic import DetailView

from grassroots.core.views import ScopedViewMixin, vary_on_htmx

from .models import Job
from .services import job_read_progress


class JobDetailView(ScopedViewMixin, DetailView):
    """A job's progress and result. A page that shows one object, neither a form over a service
    nor a filtered list, so neither of the generic form and list views; who may open it is the
    jobs' `visible_to` (the person who asked for it, and the administrator)."""

    model = Job
    context_object_name = "job"
    template_name = "jobs/job_detail.html"
    partial_template_name = "jobs/_job_status.html"

    def get_template_names(self) -> list[str]:
        return [self.partial_template_name if self.request.htmx else self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        progress = job_read_progress(job)
        result = job.result or {}
        context.update(
            figures={
                "rows": progress.get("rows", result.get("rows", 0)),
                "valid": progress.get("valid", result.get("valid_rows", 0)),
                "errors": progress.get("errors", result.get("error_count", 0)),
                "created": result.get("created", 0),
                "total": progress.get("total"),
            },
            running=job.status in (Job.Status.QUEUED, Job.Status.RUNNING),
            errors=(result.get("errors") or [])[:500],
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        return vary_on_htmx(super().render_to_response(context, **response_kwargs))


job_detail = JobDetailView.as_view()
