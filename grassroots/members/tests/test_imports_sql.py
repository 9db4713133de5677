"""The import's SQL path (PostgreSQL: staged with COPY, checked set-wise) and its Python path give
the same result on the same file: the same errors, by row and column, with the same messages,
the same counts, and the same rows written."""

import csv
import datetime as dt
import io
import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from grassroots.core.dates import add_months, add_working_days
from grassroots.core.models import AuditEntry
from grassroots.members.imports import COLUMNS, _members_import_bulk
from grassroots.members.imports_sql import WHITESPACE
from grassroots.members.models import Member, MemberEvent, Membership
from grassroots.members.tests.ledger_helpers import admit
from grassroots.organizations import services as org
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.rollups.models import SubtreeCount

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL path runs on PostgreSQL"
)

TODAY = timezone.localdate()
KEYS = [c.key for c in COLUMNS]


class _Rollback(Exception):
    pass


def test_the_whitespace_trimmed_is_what_python_strips():
    assert WHITESPACE == "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())


@pytest.fixture
def place(tree):
    """The persona tree, a cell opened recently, and a member holding party card 930001."""
    tree.late_cell = org.unit_create(
        actor=None,
        code="XA-9",
        name="Chi bộ mới",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=tree.commune_a,
        valid_from=TODAY - dt.timedelta(days=200),
    )
    admit(tree.cell_a1, party_card_number="930001")
    return tree


def fmt(day: dt.date, style: int = 0) -> str:
    return [
        f"{day:%d/%m/%Y}",
        day.isoformat(),
        f"{day.day}.{day.month}.{day.year}",
        f"{day:%d-%m-%Y}",
    ][style]


def good_row(rng: random.Random, i: int) -> dict:
    decision = TODAY - dt.timedelta(days=rng.randint(400, 3000))
    ceremony = add_working_days(decision, rng.randint(0, 30))
    official = ""
    if rng.random() < 0.5 and add_months(ceremony, 12) < TODAY:
        official = fmt(add_months(ceremony, 12) + dt.timedelta(days=rng.randint(0, 30)))
    return {
        "unit_code": rng.choice(["XA-1", "XA-2", "XB-1"]),
        "full_name": f"Nguyễn Văn {i}",
        "gender": rng.choice(["male", "Nam", "Nữ", "female", " nữ "]),
        "birth_date": fmt(decision - dt.timedelta(days=rng.randint(19 * 366, 50 * 365))),
        "ethnicity": rng.choice(["Kinh", "kinh", "Thái", "thai", "Mường", "La Hủ"]),
        "religion": rng.choice(["", "none", "Phật giáo", "catholic"]),
        "general_education": rng.choice(["", "upper_secondary", "Upper secondary"]),
        "professional_education": rng.choice(["", "university", "Đại học"]),
        "theory_level": rng.choice(["", "Sơ cấp", "none"]),
        "occupation": rng.choice(["", "Nông dân", "  Giáo viên "]),
        "party_card_number": rng.choice(["", f"77{i:06d}"]),
        "decision_date": fmt(decision),
        "ceremony_date": fmt(ceremony, rng.choice([0, 0, 1, 2])),
        "official_date": official,
        "decision_number": rng.choice(["", f"{i}-QĐ/ĐU"]),
        "age_exception": rng.choice(["", "", " 12-QĐ/TU "]),
    }


FAULTS = {
    "unit_code": ["", "NOPE", "XA", "xa-1", "XC-1", " XB-1 ", "XA-9"],
    "full_name": ["", "   ", "\u00a0Lò Văn Tab\t"],
    "gender": ["", "X", "Nam\u00a0"],
    "birth_date": [
        "",
        "31/02/1990",
        "1990-13-01",
        fmt(TODAY + dt.timedelta(days=3)),
        fmt(TODAY - dt.timedelta(days=365 * 17)),
        fmt(TODAY - dt.timedelta(days=365 * 75)),
        "abc",
        "1/2/1990",
        " 1.2.1990 ",
    ],
    "ethnicity": ["", "Không rõ", "Ê Đê"],
    "religion": ["x", "Tin lành"],
    "general_education": ["nope"],
    "theory_level": ["nope", "Cao cấp"],
    "party_card_number": ["930001", "770000001", "770000002"],
    "decision_date": [
        "",
        "32/01/2020",
        fmt(TODAY + dt.timedelta(days=1)),
        fmt(TODAY - dt.timedelta(days=30)),
    ],
    "ceremony_date": ["", fmt(TODAY - dt.timedelta(days=5000)), fmt(TODAY + dt.timedelta(days=2))],
    "official_date": [
        "bad",
        fmt(TODAY + dt.timedelta(days=1)),
        fmt(TODAY - dt.timedelta(days=4000)),
        fmt(TODAY - dt.timedelta(days=10)),
    ],
}


def file_of(rows: list[dict], rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c.label) for c in COLUMNS] + ["Extra"])
    for row in rows:
        if rng.random() < 0.03:
            writer.writerow([])  # a blank line
        writer.writerow([row[k] for k in KEYS] + [rng.choice(["", "x"])])
    return out.getvalue().encode()


def run(actor, content: bytes, engine: str, dry_run: bool):
    return _members_import_bulk(
        actor=actor,
        file=io.BytesIO(content),
        file_name="m.csv",
        dry_run=dry_run,
        within=None,
        progress=None,
        engine=engine,
    )


def outcome(result) -> tuple:
    return (
        result.rows,
        result.valid_rows,
        result.error_count,
        result.created,
        [(e.row, e.column, e.message) for e in result.errors],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(8))
def test_both_paths_refuse_the_same_rows_with_the_same_messages(place, admin_user, manager_a, seed):
    rng = random.Random(seed)
    rows = [good_row(rng, i) for i in range(150)]
    for row in rng.sample(rows, 40):
        for key in rng.sample(list(FAULTS), rng.choice([1, 1, 2])):
            row[key] = rng.choice(FAULTS[key])
    content = file_of(rows, rng)
    actor = manager_a if seed % 2 else admin_user
    python, sql = (
        outcome(run(actor, content, "python", True)),
        outcome(run(actor, content, "sql", True)),
    )
    assert sql == python
    assert python[2] > 0  # the faults were noticed


def written() -> dict:
    """The rows an import wrote (ids and times aside), in a comparable form."""
    members = {
        m["party_card_number"] or m["full_name"]: m
        for m in Member.objects.filter(full_name__startswith="Nguyễn Văn").values(
            "id",
            "full_name",
            "name_folded",
            "gender",
            "birth_date",
            "ethnicity",
            "religion",
            "general_education",
            "professional_education",
            "theory_level",
            "occupation",
            "party_card_number",
            "unit_id",
            "status",
            "first_admission_decision_date",
            "admission_decision_date",
            "ceremony_date",
            "official_date",
            "readmission_count",
        )
    }
    key_of = {m.pop("id"): k for k, m in members.items()}
    events = sorted(
        (
            key_of[e["member_id"]],
            e["kind"],
            e["date"],
            e["unit_id"],
            e["decision_number"],
            e["decision_date"],
            str(e["details"]),
            e["created_by_id"],
        )
        for e in MemberEvent.objects.filter(member_id__in=key_of).values()
    )
    intervals = sorted(
        (key_of[i["member_id"]], i["unit_id"], i["status"], i["standing"], i["start"], i["end"])
        for i in Membership.objects.filter(member_id__in=key_of).values()
    )
    audit = sorted(
        (
            key_of[int(a.object_id)],
            a.actor_id,
            a.action,
            a.object_repr,
            a.unit_path,
            a.note,
            str({k: v for k, v in a.after.items() if k not in {"id", "created_at"}}),
        )
        for a in AuditEntry.objects.filter(
            content_type__model="member", object_id__in=[str(i) for i in key_of]
        )
    )
    counters = set(
        SubtreeCount.objects.exclude(dimension="version")
        .exclude(n=0)
        .values_list("unit_id", "dimension", "value", "n")
    )
    versions = dict(SubtreeCount.objects.filter(dimension="version").values_list("unit_id", "n"))
    return {
        "members": members,
        "events": events,
        "intervals": intervals,
        "audit": audit,
        "counters": counters,
        "versions": versions,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(3))
def test_both_paths_write_the_same_rows_and_counters(place, admin_user, seed):
    rng = random.Random(100 + seed)
    content = file_of([good_row(rng, i) for i in range(120)], rng)
    before = written()
    results = {}
    for engine in ("python", "sql"):
        try:
            with transaction.atomic():
                results[engine] = (outcome(run(admin_user, content, engine, False)), written())
                raise _Rollback
        except _Rollback:
            pass
    (python, rows_python), (sql, rows_sql) = results["python"], results["sql"]
    assert python == sql and python[3] == 120
    for name in ("members", "events", "intervals", "audit", "counters"):
        assert rows_sql[name] == rows_python[name], name
    # Both moved the figures version of every top unit above the cells.
    for engine_rows in (rows_python, rows_sql):
        assert all(
            engine_rows["versions"][u] != before["versions"].get(u) for u in before["versions"]
        )


@pytest.mark.django_db
def test_a_big_file_is_checked_and_written_a_chunk_at_a_time(place, admin_user, monkeypatch):
    from grassroots.members import imports_sql

    monkeypatch.setattr(imports_sql, "CHUNK", 40)
    rng = random.Random(7)
    rows = [good_row(rng, i) for i in range(130)]
    rows[95]["party_card_number"] = rows[10]["party_card_number"] = (
        "771234567"  # a duplicate across chunks
    )
    content = file_of(rows, rng)
    seen = []
    result = _members_import_bulk(
        actor=admin_user,
        file=io.BytesIO(content),
        file_name="m.csv",
        dry_run=True,
        within=None,
        progress=lambda **values: seen.append(values),
        engine="sql",
    )
    python = run(admin_user, content, "python", True)
    assert outcome(result) == outcome(python)
    assert [(e.column, e.message) for e in result.errors] == [
        ("Party card number", "Another member holds this party card number.")
    ]
    assert [v["rows"] for v in seen if not v.get("finished")] == [40, 80, 120, 130]
    assert seen[-1] == {"rows": 130, "valid": 129, "errors": 1, "finished": True}


@pytest.mark.django_db
def test_both_paths_count_the_admission_age_in_months_and_accept_the_recorded_exception(
    place, admin_user
):
    decision = dt.date(2024, 6, 15)
    rng = random.Random(3)
    base = good_row(rng, 0)
    rows = []
    for i, (birth, exception) in enumerate(
        [
            (dt.date(1964, 6, 15), ""),  # 60 years 0 months: accepted
            (dt.date(1964, 5, 15), ""),  # 60 years 1 month: refused without the exception
            (dt.date(1964, 5, 15), "7-QĐ/TU"),  # … accepted with it
            (dt.date(2006, 7, 15), ""),  # 17 years 11 months: refused
            (dt.date(2006, 6, 16), "7-QĐ/TU"),  # a day short of 18: refused, exception or not
        ]
    ):
        rows.append(
            {
                **base,
                "unit_code": "XA-1",
                "full_name": f"Nguyễn Văn {i}",
                "party_card_number": "",
                "birth_date": fmt(birth),
                "decision_date": fmt(decision),
                "ceremony_date": fmt(decision + dt.timedelta(days=3)),
                "official_date": "",
                "age_exception": exception,
            }
        )
    content = file_of(rows, random.Random(0))
    python, sql = run(admin_user, content, "python", True), run(admin_user, content, "sql", True)
    assert outcome(sql) == outcome(python)
    assert [(e.row, e.column) for e in python.errors] == [
        (3, "Age exception"),
        (5, "Date of birth"),
        (6, "Date of birth"),
    ]
    assert "60 years and 1 month old" in python.errors[0].message
