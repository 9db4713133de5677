"""The periodic escalation as a background task (`manage.py db_worker` runs it); a scheduler
(cron, a systemd timer) enqueues it daily, or runs `manage.py escalate_feedback` directly."""

from django_tasks import task


@task()
def escalate_feedback() -> int:
    from .services import feedback_escalate_overdue

    return len(feedback_escalate_overdue())
