"""`manage.py unit_stats <code or name> [--as-of YYYY-MM-DD] [--present-extent] [--json]`: a
unit's member statistics for scripts and operators, the same figures as the statistics page and
the API. For a past day, the unit as the tree stood then, or with `--present-extent` everything
that makes it up now (what later merged into it, a split part's share); a unit that did not
exist that day has only the second."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from grassroots.core.text import fold
from grassroots.members.selectors import EXTENT_PRESENT, unit_stats
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit


def find_unit(text: str) -> Unit:
    """The unit whose code is `text`, else the one whose name matches it with or without
    diacritics ("muong hum" finds "Xã Mường Hum"); several matches are an error listing them."""
    text = (text or "").strip()
    exact = Unit.objects.filter(code__iexact=text).first()
    if exact is not None:
        return exact
    folded = fold(text)
    if not folded:
        raise CommandError("Give a unit code or name.")
    same = list(Unit.objects.filter(name_folded=folded).order_by("path"))
    matches = same or list(
        Unit.objects.filter(Q(name_folded__contains=folded)).order_by("path")[:200]
    )
    if not matches:
        raise CommandError(f"No unit has the code or name “{text}”.")
    # "muong hum" names the commune, not the cells whose names also hold "Mường Hum":
    # take the highest open unit in the tree when it is the only one at its level.
    # The highest kind of unit wins (a commune over its cells); a merged commune stays findable
    # by its name after it closed; among units of the same kind an open one is preferred.
    level = {kind: i for i, kind in enumerate(UnitKind.values)}
    top_level = min(level[u.kind] for u in matches)
    top = [u for u in matches if level[u.kind] == top_level]
    top_open = [u for u in top if u.valid_to is None]
    if len(top) == 1:
        return top[0]
    if len(top_open) == 1:
        return top_open[0]
    matches = top
    if len(matches) > 1:
        listing = "\n".join(
            f"  {u.code}\t{u.name}" + (f"\t(closed {u.valid_to:%d/%m/%Y})" if u.valid_to else "")
            for u in matches[:20]
        )
        more = "\n  …" if len(matches) > 20 else ""
        raise CommandError(
            f"“{text}” matches several units; give one of these codes:\n{listing}{more}"
        )
    return matches[0]


class Command(BaseCommand):
    help = "Member statistics of a unit and its subtree, today or as of a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", help="unit code, or name with or without diacritics")
        parser.add_argument("--as-of", dest="as_of", help="date YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument(
            "--no-subtree", action="store_true", help="the unit only, not its sub-units"
        )
        parser.add_argument(
            "--present-extent",
            action="store_true",
            help="for a past day, the unit's present extent then (what later merged into it, a "
            "split part's share) instead of the unit as the tree stood",
        )

    def handle(self, *args, **options) -> None:
        unit = find_unit(options["unit"])
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError("--as-of takes a date as YYYY-MM-DD.") from exc
        try:
            stats = unit_stats(
                unit=unit,
                as_of=as_of,
                subtree=not options["no_subtree"],
                extent=EXTENT_PRESENT if options["present_extent"] else None,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        data = stats.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._table(data))

    def _table(self, data: dict) -> str:
        answer = (
            "its present extent on that day"
            if data["extent"] == EXTENT_PRESENT
            else "as the tree stood that day"
        )
        day = dt.date.fromisoformat(data["as_of"])
        lines = [
            f"{data['unit_name']} ({data['unit_code']}) — {day:%d/%m/%Y}, {answer}",
            "",
        ]
        width = 28

        def row(label: str, value) -> None:
            lines.append(f"  {label:<{width}}{value:>8}")

        row("members (total)", data["members_total"])
        row("official", data["members_official"])
        row("probationary", data["members_probationary"])
        row("in transit", data["members_in_transit"])
        row("cells", data["cells"])
        sections = [
            ("by gender", "by_gender"),
            ("by age", "by_age_band"),
            ("by ethnicity", "by_ethnicity"),
            ("by religion", "by_religion"),
            ("general education", "by_general_education"),
            ("professional education", "by_professional_education"),
            ("political theory", "by_theory_level"),
        ]
        for title, key in sections:
            lines += ["", title]
            for code, count in data[key].items():
                row(code, count)
        start = dt.date.fromisoformat(data["period_start"])
        end = dt.date.fromisoformat(data["period_end"])
        lines += ["", f"events {start:%d/%m/%Y} – {end:%d/%m/%Y}"]
        for code, count in data["events_in_period"].items():
            row(code.replace("_", " "), count)
        return "\n".join(lines)
