"""`manage.py purge_job_files`: delete the uploaded files of background jobs that ended more
than GRASSROOTS_UPLOAD_KEEP_DAYS days ago (run it daily when the setting keeps files)."""

from django.core.management.base import BaseCommand

from grassroots.jobs.services import job_files_purge


class Command(BaseCommand):
    help = (
        "Delete the uploaded files of jobs that ended more than "
        "GRASSROOTS_UPLOAD_KEEP_DAYS days ago."
    )

    def handle(self, *args, **options):
        count = job_files_purge()
        self.stdout.write(f"{count} uploaded files deleted.")
