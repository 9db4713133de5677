"""Step 30: congress terms and committees — executive and standing committees of each province,
executive committees of grassroots organizations for 2020–2025 and 2025–2030, and a cell
committee for the 2025–2030 term wherever a cell has 9 or more official members."""

from __future__ import annotations

import datetime as dt

from grassroots.committees.choices import CommitteeKind
from grassroots.committees.models import Committee, Term

from ..registry import Context, generator_step


@generator_step("committees", order=30)
def generate_committees(ctx: Context) -> None:
    w = ctx.writer
    rng = ctx.rng("committees")
    w.declare(
        Committee,
        ["id", "unit_id", "term_id", "kind", "elected_size", "approved_next_size", "elected_on"],
    )
    old, _ = Term.objects.get_or_create(
        start_year=2020, end_year=2025, defaults={"name": "2020–2025"}
    )
    new, _ = Term.objects.get_or_create(
        start_year=2025, end_year=2030, defaults={"name": "2025–2030"}
    )
    n = 0

    def add(unit_id, term, kind, size, next_size, day):
        nonlocal n
        w.add(Committee, (w.next_id(Committee), unit_id, term.pk, kind, size, next_size, day))
        n += 1

    for province in ctx.tree.provinces:
        add(
            province["id"],
            old,
            CommitteeKind.EXECUTIVE,
            rng.randint(45, 55),
            rng.randint(50, 60),
            dt.date(2020, 10, 15),
        )
        add(
            province["id"],
            old,
            CommitteeKind.STANDING,
            rng.randint(13, 17),
            None,
            dt.date(2020, 10, 15),
        )
        add(
            province["id"],
            new,
            CommitteeKind.EXECUTIVE,
            rng.randint(50, 60),
            None,
            dt.date(2025, 10, 12),
        )
        add(
            province["id"],
            new,
            CommitteeKind.STANDING,
            rng.randint(15, 19),
            None,
            dt.date(2025, 10, 12),
        )
    for unit_id in ctx.tree.closed_grassroots_ids:
        add(
            unit_id,
            old,
            CommitteeKind.EXECUTIVE,
            rng.randint(9, 15),
            None,
            dt.date(2020, 6, rng.randint(1, 28)),
        )
    merged = set(ctx.tree.merged_successor_ids)
    cell_ids = {c.id for c in ctx.tree.cells}
    for unit_id in ctx.tree.grassroots_ids:
        if unit_id in cell_ids:
            continue  # a grassroots cell elects a cell committee (below)
        if unit_id not in merged:
            add(
                unit_id,
                old,
                CommitteeKind.EXECUTIVE,
                rng.randint(9, 15),
                rng.randint(9, 15),
                dt.date(2020, 6, rng.randint(1, 28)),
            )
        add(
            unit_id,
            new,
            CommitteeKind.EXECUTIVE,
            rng.randint(11, 19),
            None,
            dt.date(2025, 8, rng.randint(1, 28)),
        )
    for unit_id, officials in ctx.extra.get("officials_by_cell", {}).items():
        if officials >= 9:
            add(
                unit_id,
                new,
                CommitteeKind.CELL,
                5 if officials >= 30 else 3,
                None,
                dt.date(2025, 5, rng.randint(1, 28)),
            )
    w.flush_all()
    ctx.counts["committees"] = n
