"""Peak memory of reading an uploaded member-import workbook of about 1 MB.

    .venv/bin/python -m bench.upload_memory [--rows 13000]

Builds the workbook the way a spreadsheet program saves it (shared strings), then reads it in
separate processes so that each figure has its own peak: openpyxl's plain `load_workbook` (the
raw baseline: the whole workbook in memory), the bounded reader of uploads
(`core.spreadsheets.read_rows`: archive checks, read-only mode, rows streamed), and the reader
with the import's parsing of every cell (`members.imports`: header, dates, choices; the unit
lookup answered without the database). Each is run twice: once for the wall time and the
process's peak RSS, once under tracemalloc for the peak of Python allocations (started once
Django and the app are loaded, which is neither timed nor traced). Target: the
reader and the parse under 100 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

TARGET_MB = 100
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
FAMILIES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
GIVEN = [
    "An",
    "Bình",
    "Cúc",
    "Dũng",
    "Giang",
    "Hà",
    "Hùng",
    "Lan",
    "Minh",
    "Nam",
    "Sơn",
    "Thu",
    "Tuấn",
    "Yến",
]


def build_workbook(path: Path, rows: int, seed: int = 1) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(rows):
        decision = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randint(0, 6000))
        sheet.append(
            [
                f"CB-{rng.randint(1, 300):03d}",
                f"{rng.choice(FAMILIES)} {rng.choice(['Văn', 'Thị', 'Đức', 'Ngọc'])} "
                f"{rng.choice(GIVEN)}",
                rng.choice(["male", "female"]),
                (decision - dt.timedelta(days=rng.randint(19 * 366, 45 * 365))).strftime(
                    "%d/%m/%Y"
                ),
                "kinh",
                "none",
                "upper_secondary",
                rng.choice(["none", "university", "college"]),
                rng.choice(["none", "elementary"]),
                "Nông dân",
                f"8{i:09d}",
                decision.strftime("%d/%m/%Y"),
                (decision + dt.timedelta(days=rng.randint(1, 20))).strftime("%d/%m/%Y"),
                "",
                f"{rng.randint(1, 999)}-QĐ/ĐU",
            ]
        )
    book.save(path)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def run_baseline(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path)
    count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return count


def run_reader(path: Path) -> int:
    _setup_django()
    from grassroots.core.spreadsheets import read_rows

    with open(path, "rb") as handle:
        return sum(1 for _row in read_rows(handle, path.name))


def run_parse(path: Path) -> int:
    _setup_django()
    from grassroots.core.spreadsheets import read_rows
    from grassroots.members.imports import _Importer
    from grassroots.organizations.choices import UnitKind
    from grassroots.organizations.models import Unit

    class Importer(_Importer):
        def unit(self, code: str) -> Unit:  # no database: every code is a cell
            return self.units.setdefault(code, Unit(code=code, kind=UnitKind.CELL))

    importer = Importer(actor=None, dry_run=True)
    parsed = 0
    with open(path, "rb") as handle:
        rows = read_rows(handle, path.name)
        for number, values in rows:
            if importer.read_header(number, values):
                break
        for number, values in rows:
            if importer.parse(number, values) is not None:
                parsed += 1
    assert not importer.result.errors, importer.result.errors[:3]
    return parsed


def run_idle(path: Path) -> int:
    _setup_django()
    import openpyxl  # noqa: F401
    import openpyxl.reader.excel  # noqa: F401

    from grassroots.members import imports  # noqa: F401

    return 0


RUNS = {"idle": run_idle, "baseline": run_baseline, "reader": run_reader, "parse": run_parse}
LABELS = {
    "idle": "nothing read (Django, openpyxl and the app loaded)",
    "baseline": "openpyxl load_workbook (plain, the raw baseline)",
    "reader": "bounded reader (core.spreadsheets.read_rows)",
    "parse": "bounded reader + the import's parse of every cell",
}


def one(name: str, path: Path, traced: bool) -> dict:
    if name != "baseline":  # loading Django and the app is neither timed nor traced
        run_idle(path)
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    rows = RUNS[name](path)
    seconds = time.perf_counter() - started
    result = {
        "rows": rows,
        "seconds": seconds,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if traced:
        result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=13_000, help="data rows (13,000 make about 1 MB)"
    )
    parser.add_argument("--one", choices=list(RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, Path(args.file), args.traced)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "members.xlsx"
        build_workbook(path, args.rows)
        size = path.stat().st_size
        print(
            f"Workbook: {args.rows:,} members, {size / 1024 / 1024:.2f} MB "
            "(shared strings, as saved by a "
            f"spreadsheet program); Python {sys.version.split()[0]}, {os.cpu_count()} cores"
        )
        print(f"{'read by':<52} {'rows':>7} {'time':>7} {'peak RSS':>9} {'tracemalloc peak':>17}")
        worst = 0.0
        for name in RUNS:
            figures = {}
            for traced in (False, True):
                command = [
                    sys.executable,
                    "-m",
                    "bench.upload_memory",
                    "--one",
                    name,
                    "--file",
                    str(path),
                ]
                output = subprocess.run(
                    command + (["--traced"] if traced else []),
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=Path(__file__).resolve().parent.parent,
                ).stdout
                figures.update(
                    {k: v for k, v in json.loads(output).items() if not traced or k == "traced_mb"}
                )
            if name in ("reader", "parse"):
                worst = max(worst, figures["rss_mb"])
            print(
                f"{LABELS[name]:<52} {figures['rows']:>7,} {figures['seconds']:>6.2f}s "
                f"{figures['rss_mb']:>6.0f} MB {figures['traced_mb']:>14.1f} MB"
            )
        verdict = "within" if worst < TARGET_MB else "OVER"
        print(
            f"Peak RSS of the reader and the parse: {worst:.0f} MB, "
            f"{verdict} the {TARGET_MB} MB target "
            "(RSS includes Python, Django and openpyxl themselves)."
        )


if __name__ == "__main__":
    main()
