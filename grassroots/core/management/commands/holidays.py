"""`manage.py holidays list|add|remove|seed`: the holiday table that working-day rules count,
for the operator who applies the government's yearly decision on the days off.

    manage.py holidays list --year 2024
    manage.py holidays add 20/02/2026 "Nghỉ Tết Nguyên Đán" --kind tet --source "Thông báo …"
    manage.py holidays remove 20/02/2026
    manage.py holidays seed --from 2000 --to 2035
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from grassroots.core.models import Holiday
from grassroots.core.services import holiday_add, holiday_remove, holidays_seed


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy, as dates are written here, or yyyy-mm-dd."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise CommandError(f"“{text}” is not a date: write dd/mm/yyyy or yyyy-mm-dd.")


def _refusal(error: ValidationError) -> CommandError:
    return CommandError(" ".join(m for messages in error.message_dict.values() for m in messages))


class Command(BaseCommand):
    help = "List, add, remove or seed the days off that working-day rules skip."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="the days off of a year")
        listing.add_argument("--year", type=int, help="default: this year")
        add = sub.add_parser("add", help="add a day off")
        add.add_argument("date", help="dd/mm/yyyy or yyyy-mm-dd")
        add.add_argument("name", help="its name, in Vietnamese")
        add.add_argument("--kind", choices=Holiday.Kind.values, default=Holiday.Kind.PUBLIC)
        add.add_argument("--source", default="", help="the decision it comes from")
        remove = sub.add_parser("remove", help="remove a day off")
        remove.add_argument("date", help="dd/mm/yyyy or yyyy-mm-dd")
        seed = sub.add_parser(
            "seed",
            help="fill the years that hold no day off yet from the holiday calendar "
            "(a year already in the table is left as it is)",
        )
        seed.add_argument("--from", dest="first", type=int, required=True)
        seed.add_argument("--to", dest="last", type=int, required=True)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        try:
            if action == "list":
                self.list(options["year"] or timezone.localdate().year)
            elif action == "add":
                day = parse_date(options["date"])
                holiday_add(
                    actor=None,
                    date=day,
                    name=options["name"],
                    kind=options["kind"],
                    source=options["source"],
                )
                self.stdout.write(f"Added {day:%d/%m/%Y}.")
            elif action == "remove":
                day = parse_date(options["date"])
                holiday_remove(actor=None, date=day)
                self.stdout.write(f"Removed {day:%d/%m/%Y}.")
            else:
                result = holidays_seed(
                    actor=None, first_year=options["first"], last_year=options["last"]
                )
                kept = (
                    f"; kept as they are: {_years(result.years_kept)}" if result.years_kept else ""
                )
                self.stdout.write(
                    f"Added {result.added} days off to {_years(result.years_filled)}{kept}."
                )
        except ValidationError as error:
            raise _refusal(error) from error

    def list(self, year: int) -> None:
        rows = Holiday.objects.filter(date__year=year)
        for holiday in rows:
            self.stdout.write(
                f"{holiday.date:%d/%m/%Y}\t{holiday.date:%a}\t{holiday.kind}\t{holiday.name}\t{holiday.source}"
            )
        self.stdout.write(f"{len(rows)} days off in {year}.")


def _years(years: list[int]) -> str:
    """2000–2023, 2025 for the years given in order."""
    if not years:
        return "no year"
    spans: list[list[int]] = []
    for year in years:
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
