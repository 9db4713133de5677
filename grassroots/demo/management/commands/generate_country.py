"""`manage.py generate_country --scale S --seed N`: the synthetic national dataset."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Generate and load a synthetic country (scale 1.0: 34 provinces, ~3,300 communes, ~52,000 "
        "grassroots organizations, ~270,000 cells, ~5.9 million members) in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01, help="1.0 is the national size.")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same country."
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Generate histories up to this day (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the unit and member tables first (benchmark databases only).",
        )
        parser.add_argument(
            "--check", action="store_true", help="Count orphan rows after the load."
        )
        parser.add_argument(
            "--database-url",
            default="",
            help="Load into this database instead of the configured one.",
        )

    def handle(self, *args, scale, seed, today, replace, check, database_url, **options):
        if database_url:
            _use_database(database_url)
        from grassroots.demo.country import CountryExists, generate_country, orphan_counts

        if scale <= 0:
            raise CommandError("The scale must be positive.")
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {message}")
            self.stdout.flush()

        try:
            report = generate_country(
                scale=scale, seed=seed, today=today, replace=replace, progress=progress
            )
        except CountryExists as exc:
            raise CommandError(
                "This database already holds a generated country: use --replace to load a new one."
            ) from exc
        except KeyboardInterrupt as exc:
            raise CommandError(
                "Interrupted: nothing was saved (the load is one transaction)."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated scale {scale} seed {seed} in {report.seconds:.1f} s, "
                f"peak RSS {report.peak_rss_mb:.0f} MB"
            )
        )
        for key, value in sorted(report.counts.items()):
            self.stdout.write(f"  {key:24} {value:>12,}")
        for key, value in report.timings.items():
            self.stdout.write(f"  time {key:19} {value:>10.1f} s")
        if check:
            orphans = orphan_counts()
            bad = {k: v for k, v in orphans.items() if v}
            if bad:
                raise CommandError(f"Orphan rows: {bad}")
            self.stdout.write("  no orphan rows")


def _use_database(url: str) -> None:
    """Point the default connection at `url` for this command only."""
    import dj_database_url
    from django.db import connections

    config = dj_database_url.parse(url)
    settings_dict = {k: v for k, v in connections.settings["default"].items() if k != "OPTIONS"}
    settings_dict.update(config, OPTIONS=config.get("OPTIONS", {}), CONN_MAX_AGE=0)
    connections["default"].close()
    connections.settings["default"] = settings_dict
    del connections["default"]
