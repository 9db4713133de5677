"""`manage.py rebuild_rollups`: recompute every subtree counter from the raw rows."""

import time

from django.core.management.base import BaseCommand

from grassroots.rollups.services import rollup_rebuild


class Command(BaseCommand):
    help = "Rebuild the subtree counters of the top units from the members and their ledger."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rollup_rebuild(progress=lambda message: self.stdout.write(message))
        self.stdout.write(
            self.style.SUCCESS(f"{rows:,} counters in {time.monotonic() - started:.1f} s")
        )
