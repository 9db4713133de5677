"""Sweep entries for the background job page (see grassroots/core/testing/routes.py)."""

from grassroots.core.testing.routes import HIDDEN, Call, page


def job(w):
    from grassroots.jobs.services import job_create

    return w.once("job", lambda: job_create(actor=w.personas["manager_a"], kind="member_import"))


ROUTES = [
    page(
        "jobs:job_detail",
        lambda w: Call({"pk": job(w).pk}),
        expect={"viewer_a": HIDDEN, "editor_a": HIDDEN},
        note="a job shows its file and errors to the person who asked for it (and the admin)",
    ),
]
