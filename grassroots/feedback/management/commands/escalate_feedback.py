"""Hand overdue feedback to the unit above: run once a day (cron or a systemd timer)."""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from grassroots.feedback.services import feedback_escalate_overdue


class Command(BaseCommand):
    help = "Escalate every open feedback past its due date to the unit above."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to count from (YYYY-MM-DD); today by default.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the escalation for the background worker instead of running it here.",
        )

    def handle(self, *args, today=None, enqueue=False, **options):
        if enqueue:
            from grassroots.feedback.tasks import escalate_feedback

            result = escalate_feedback.enqueue()
            self.stdout.write(f"Queued: {result.id}")
            return
        day = parse_date(today) if today else None
        if today and day is None:
            self.stderr.write("--today takes a date as YYYY-MM-DD.")
            raise SystemExit(2)
        escalated = feedback_escalate_overdue(today=day)
        for feedback in escalated:
            self.stdout.write(f"{feedback.display_code} → {feedback.unit.name}")
        self.stdout.write(f"Escalated: {len(escalated)}")
