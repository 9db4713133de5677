"""`manage.py load_demo [--today YYYY-MM-DD] [--reset]`: the demo dataset and its logins.

Loads the units of the source articles in their real places in the tree (Mường Hum in Lào
Cai, Pa Ủ in Lai Châu, Đồng Thái in Ninh Bình, the Biểu Nghi cell in Quảng Ninh, the Hà
Giang agencies' bloc) with synthetic members whose histories are recorded through the
services, relative to `--today`. Decision numbers and issuing bodies of the reorganizations
and of member decisions are illustrative, not the real documents. Village, school and agency
cell names are plausible, not taken from a register; nobody in the demo is a real person.

Idempotent: when the demo is already loaded it prints the logins and stops. `--reset` wipes
the database and loads again, only when the database holds nothing but the demo.
"""

from __future__ import annotations

import datetime as dt
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.models import RuleSetting
from grassroots.demo import data
from grassroots.demo.builder import (
    DEMO_USERNAMES,
    EARLIEST_TODAY,
    LOGINS,
    DemoBuilder,
    build_summary,
)
from grassroots.demo.extensions import demo_loaders
from grassroots.demo.targets_demo import load_targets_demo
from grassroots.organizations.models import Unit


def demo_loaded() -> bool:
    """The demo's successor unit and its manager login exist."""
    return (
        Unit.objects.filter(code=data.DONG_THAI_CODE).exists()
        and User.objects.filter(username="manager").exists()
    )


def foreign_data() -> list[str]:
    """What in the database is not the demo's (a reset must not wipe it)."""
    found = []
    extra_units = Unit.objects.exclude(code__in=data.demo_codes())
    if extra_units.exists():
        found.append(
            f"{extra_units.count()} unit(s) not in the demo, e.g. {extra_units.first().code}"
        )
    extra_users = User.objects.exclude(username__in=DEMO_USERNAMES)
    if extra_users.exists():
        found.append(
            f"{extra_users.count()} user(s) not in the demo, e.g. {extra_users.first().username}"
        )
    if RuleSetting.objects.exists():
        found.append("rule settings changed by an administrator")
    return found


class Command(BaseCommand):
    help = (
        "Load the demo dataset (units of the source articles, synthetic members) "
        "and print the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Build the history up to this day (YYYY-MM-DD; default: today).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Wipe the database and load again (refused when it holds anything but the demo).",
        )

    def handle(self, *args, today: dt.date | None, reset: bool, **options) -> None:
        today = today or timezone.localdate()
        if today > timezone.localdate():
            raise CommandError("--today cannot be in the future: the services refuse future dates.")
        if today < EARLIEST_TODAY:
            raise CommandError(
                f"--today must be {EARLIEST_TODAY:%d/%m/%Y} or later "
                "(after the 2025 reorganization)."
            )
        if not reset and demo_loaded():
            self.stdout.write("The demo is already loaded (use --reset to load it again).")
            self.print_logins()
            return
        started = time.monotonic()
        # The wipe and the load are one transaction: a failed load leaves the database as it was.
        with transaction.atomic():
            if reset:
                found = foreign_data()
                if found:
                    raise CommandError(
                        "Refusing to reset: the database holds more than the demo: "
                        + "; ".join(found)
                    )
                call_command("flush", interactive=False, verbosity=0)
                # flush recreated the content types: drop the ids cached before it.
                ContentType.objects.clear_cache()
                self.stdout.write("Database wiped.")
            elif Unit.objects.exists() or User.objects.exists():
                raise CommandError(
                    "The database already holds units or users that are not the demo: "
                    "load the demo into an empty database."
                )
            builder = DemoBuilder(today=today, log=lambda m: self.stdout.write(m))
            builder.plan()
            summary = builder.load()
            targets = load_targets_demo(log=lambda m: self.stdout.write(m))
            extra = [loader(log=lambda m: self.stdout.write(m)) for loader in demo_loaders()]
            if connection.vendor == "postgresql":
                # Fresh statistics, so the first pages are planned for the data just loaded.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded in {elapsed:.1f} s (history up to {today:%d/%m/%Y}).")
        )
        self.print_summary(summary)
        self.stdout.write(
            f"Resolutions: {targets.resolutions} ({targets.targets} targets); "
            f"indicators: {targets.indicators}; "
            f"approved figures: {targets.values}"
        )
        for line in extra:
            self.stdout.write(line)
        self.print_logins()

    def print_summary(self, summary=None) -> None:
        summary = summary or build_summary()
        self.stdout.write(
            f"Units: {summary.units} ({summary.units_open} open, "
            f"{summary.reorganizations} reorganizations)\n"
            f"Members: {summary.members_active} active "
            f"({summary.members_probationary} probationary), "
            f"{summary.members_inactive} removed or deceased\n"
            f"Events: {sum(summary.events.values())} ("
            + ", ".join(
                f"{label}: {n}" for label, n in sorted(summary.events.items(), key=lambda i: -i[1])
            )
            + f")\nCandidates: {summary.candidates}; committees: {summary.committees}"
        )

    def print_logins(self) -> None:
        def unit_name(code: str) -> str | None:
            return Unit.objects.filter(code=code).values_list("name", flat=True).first()

        rows = [("username", "password", "role", "sees")]
        seen: set[str] = set()
        for login in LOGINS:
            if login.username in seen:
                continue
            seen.add(login.username)
            units = [
                f"{x.role} of {unit_name(x.unit_code)}"
                for x in LOGINS
                if x.username == login.username and x.unit_code
            ]
            role = "; ".join(units) or "system administrator"
            rows.append((login.username, data.DEMO_PASSWORD, role, login.sees))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("\nDemo logins:")
        for i, row in enumerate(rows):
            self.stdout.write(
                "  "
                + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
