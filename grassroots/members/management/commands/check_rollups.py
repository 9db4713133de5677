"""`manage.py check_rollups`: compare the counters with the raw count for a sample of units and
days, and report every difference (exit status 1 when there is one)."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.utils import timezone

from grassroots.members.models import Membership
from grassroots.members.selectors import unit_stats
from grassroots.organizations.models import Unit, UnitPlacement
from grassroots.rollups.past import days_since
from grassroots.rollups.services import ROLLUP_KINDS


def _differences(fast, raw) -> list[str]:
    a, b = fast.as_dict(), raw.as_dict()
    return [f"{key}: counters {a[key]} ≠ raw {b[key]}" for key in a if a[key] != b[key]]


class Command(BaseCommand):
    help = (
        "Compare the counters (today's and past days') with the raw count of the members and "
        "events for a sample of top units and days; report every difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=5, help="top units sampled (default 5)")
        parser.add_argument(
            "--days", type=int, default=4, help="past days sampled per unit (default 4)"
        )
        parser.add_argument("--unit", action="append", default=[], help="a unit code to check")
        parser.add_argument("--day", action="append", default=[], help="a day (YYYY-MM-DD)")
        parser.add_argument("--seed", type=int, default=None, help="repeat a sample")

    def handle(self, *args, units: int, days: int, unit: list, day: list, seed, **options):
        rng = random.Random(seed)
        today = timezone.localdate()
        tops = list(Unit.objects.filter(kind__in=ROLLUP_KINDS).order_by("pk"))
        chosen = [u for u in tops if u.code in unit] if unit else []
        if unit and len(chosen) != len(set(unit)):
            raise CommandError("Unknown or not a top unit: " + ", ".join(unit))
        if not chosen:
            chosen = rng.sample(tops, min(units, len(tops)))
        try:
            asked = [dt.date.fromisoformat(d) for d in day]
        except ValueError as error:
            raise CommandError(f"--day: {error}") from error
        checked = differing = 0
        started = time.monotonic()
        for top in chosen:
            first = top.valid_from
            last = min(top.valid_to - dt.timedelta(days=1), today) if top.valid_to else today
            span = (last - first).days
            sample = asked or sorted(
                {first + dt.timedelta(days=rng.randint(0, max(span, 0))) for _ in range(days)}
                # and a day of the recent years, which the provinces keep per day
                | {
                    recent + dt.timedelta(days=rng.randint(0, (last - recent).days))
                    for recent in [max(first, days_since())]
                    if recent <= last
                }
            )
            if top.valid_to is None:
                sample = [today, *sample]
            for when in sample:
                if when < first or when > last:
                    continue
                fast = unit_stats(unit=top, as_of=when)
                raw = unit_stats(unit=top, as_of=when, use_rollups=False)
                checked += 1
                found = _differences(fast, raw)
                if found:
                    differing += 1
                    self.stdout.write(self.style.ERROR(f"{top.code} {top.name} on {when}:"))
                    for line in found:
                        self.stdout.write(f"  {line}")
                else:
                    self.stdout.write(f"{top.code} on {when}: equal ({fast.members_total:,})")
        # The intervals' copies of their member's date of birth, which the past days' ages are
        # read by: the services keep them equal.
        copies = Membership.objects.exclude(birth_date=F("member__birth_date")).count()
        if copies:
            differing += 1
            self.stdout.write(
                self.style.ERROR(
                    f"{copies:,} membership intervals hold another date of birth than their "
                    "member's."
                )
            )
        # The places' copies of their unit's kind, which the cells of a past day are counted by.
        kinds = UnitPlacement.objects.exclude(unit_kind=F("unit__kind")).count()
        if kinds:
            differing += 1
            self.stdout.write(
                self.style.ERROR(f"{kinds:,} unit placements hold another kind than their unit's.")
            )
        elapsed = time.monotonic() - started
        if differing:
            self.stdout.write(
                self.style.ERROR(
                    f"{differing} of {checked} figures differ from the raw count "
                    f"({elapsed:.1f} s): run manage.py rebuild_rollups."
                )
            )
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS(f"{checked} figures equal to the raw count ({elapsed:.1f} s).")
        )
