"""Member import files for benchmarks and tests: N valid rows (admissions into existing open
cells, a share with a recognition date), optionally one bad row at a given position."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from grassroots.core.dates import add_months
from grassroots.demo.country import data
from grassroots.members.choices import ETHNICITY_CHOICES

HEADER = [
    "unit_code",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "general_education",
    "professional_education",
    "theory_level",
    "occupation",
    "party_card_number",
    "decision_date",
    "ceremony_date",
    "official_date",
    "decision_number",
]


def write_import_csv(
    path: Path,
    *,
    rows: int,
    cells: list[tuple[str, dt.date]],
    seed: int = 1,
    today: dt.date | None = None,
    bad_row: int | None = None,
    card_prefix: str = "8",
) -> Path:
    """Write `rows` data rows into cells given as (code, day the cell opened) (row numbers in
    messages count the header as row 1, so data row k is spreadsheet row k + 1). With
    `bad_row`, that data row has its ceremony before its decision, which the admission rules
    refuse."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    ethnicities = [code for code, _name in ETHNICITY_CHOICES[:12]]
    families = [n for n, _w in data.FAMILY_NAMES]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(1, rows + 1):
            female = rng.random() < 0.4
            code, opened = cells[rng.randrange(len(cells))]
            first = max(opened, today - dt.timedelta(days=9000))
            decision = first + dt.timedelta(days=rng.randint(0, max(0, (today - first).days - 30)))
            birth = decision - dt.timedelta(days=rng.randint(19 * 366, 45 * 365))
            ceremony = decision + dt.timedelta(days=rng.randint(1, 20))
            if i == bad_row:
                ceremony = decision - dt.timedelta(days=3)
            official = ""
            probation_end = add_months(ceremony, 12)
            if probation_end + dt.timedelta(days=40) < today and rng.random() < 0.7:
                official = (probation_end + dt.timedelta(days=rng.randint(1, 30))).strftime(
                    "%d/%m/%Y"
                )
            writer.writerow(
                [
                    code,
                    f"{rng.choice(families)} {'Thị' if female else 'Văn'} "
                    f"{rng.choice(data.FEMALE_GIVEN if female else data.MALE_GIVEN)}",
                    "female" if female else "male",
                    birth.strftime("%d/%m/%Y"),
                    rng.choice(ethnicities),
                    "none",
                    "upper_secondary",
                    rng.choice(["none", "university", "college"]),
                    rng.choice(["none", "elementary", "intermediate"]),
                    "Nông dân",
                    f"{card_prefix}{i:09d}",
                    decision.strftime("%d/%m/%Y"),
                    ceremony.strftime("%d/%m/%Y"),
                    official,
                    f"{rng.randint(1, 999)}-QĐ/ĐU",
                ]
            )
    return path
