"""Demo inspections: the plans of Hà Giang's Agencies & Enterprises bloc (its standing
committee, its inspection commission, its grassroots committees and grassroots cells) from the
start of the 23rd term (October 2020) to the mid-term review of 2 June 2023, and the
inspections and supervisions carried out under them, recorded and concluded through the
services, so that the execution board computes the review's figures from the records: 294
organizations and 959 members inspected or supervised, 891 of 934 planned times = 95.4%.

How the figures are counted (as the review counts them): an organization is counted once per
inspection or supervision of it ("294 organizations" — the bloc holds about 116 organizations
below it, several inspected more than once in the term); the 959 members are 959 different
members of the bloc's synthetic ledger, each inspected or supervised once. A few subjects are
found in violation: some members are reprimanded or warned (written into their records by the
member services) and a few organizations are reprimanded. Contents, teams and decisions are
illustrative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from grassroots.members.models import Member, Membership
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit

from . import services
from .choices import Body, Form, Kind, Subjects
from .selectors import inspection_execution

BLOC_CODE = "HGI-KCQ"  # grassroots/demo/data.py
WINDOW = (dt.date(2020, 10, 1), dt.date(2023, 6, 2))


@dataclass(frozen=True)
class Figures:
    planned: int = 934
    carried_out: int = 891
    organizations: int = 294
    members: int = 959


# The plan years of the window: (year, first day, last day of the items' periods, weight).
YEARS = [
    (2020, dt.date(2020, 10, 1), dt.date(2020, 12, 31), 1),
    (2021, dt.date(2021, 1, 1), dt.date(2021, 12, 31), 4),
    (2022, dt.date(2022, 1, 1), dt.date(2022, 12, 31), 4),
    (2023, dt.date(2023, 1, 1), dt.date(2023, 5, 31), 2),
]

CONTENTS = {
    (Kind.INSPECTION, Subjects.ORGANIZATIONS): [
        "Việc lãnh đạo, chỉ đạo thực hiện Nghị quyết Đại hội Đảng bộ Khối lần thứ XXIII",
        "Việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật trong Đảng",
        "Việc thực hiện quy chế làm việc và nguyên tắc tập trung dân chủ",
        "Việc quản lý, sử dụng tài chính đảng và thu, nộp đảng phí",
    ],
    (Kind.SUPERVISION, Subjects.ORGANIZATIONS): [
        "Việc duy trì sinh hoạt chi bộ và nâng cao chất lượng sinh hoạt",
        "Việc học tập, quán triệt và triển khai các nghị quyết, chỉ thị của Đảng",
    ],
    (Kind.INSPECTION, Subjects.MEMBERS): [
        "Việc chấp hành Điều lệ Đảng và những điều đảng viên không được làm",
        "Việc kê khai tài sản, thu nhập theo quy định",
        "Việc thực hiện nhiệm vụ đảng viên và giữ mối liên hệ với nơi cư trú",
    ],
    (Kind.SUPERVISION, Subjects.MEMBERS): [
        "Việc tu dưỡng, rèn luyện đạo đức, lối sống của đảng viên",
        "Việc thực hiện trách nhiệm nêu gương của cán bộ, đảng viên",
        "Việc thực hiện chức trách, nhiệm vụ được giao",
    ],
}


@dataclass
class _Item:
    unit: Unit
    body: str
    year: tuple
    kind: str
    form: str
    subjects: str
    weight: float
    carried_out: int = 0
    planned: int = 0
    member_slots: list[int] = field(default_factory=list)


def _share(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, by the largest remainder (the parts add up)."""
    if not weights:
        return []
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _items(bloc: Unit, committees: list[Unit], cells: list[Unit]) -> list[_Item]:
    """The plan items of the window, weighted by how much each body inspects."""
    items: list[_Item] = []
    for year in YEARS:
        w = year[3]
        items += [
            _Item(
                bloc,
                Body.COMMISSION,
                year,
                Kind.INSPECTION,
                Form.REGULAR,
                Subjects.ORGANIZATIONS,
                3 * w,
            ),
            _Item(
                bloc,
                Body.STANDING,
                year,
                Kind.SUPERVISION,
                Form.THEMATIC,
                Subjects.ORGANIZATIONS,
                2 * w,
            ),
            _Item(
                bloc, Body.COMMISSION, year, Kind.INSPECTION, Form.THEMATIC, Subjects.MEMBERS, 3 * w
            ),
            _Item(
                bloc, Body.STANDING, year, Kind.SUPERVISION, Form.REGULAR, Subjects.MEMBERS, 3 * w
            ),
        ]
        for unit in committees:
            items += [
                _Item(
                    unit,
                    Body.COMMITTEE,
                    year,
                    Kind.INSPECTION,
                    Form.REGULAR,
                    Subjects.ORGANIZATIONS,
                    w,
                ),
                _Item(
                    unit, Body.COMMITTEE, year, Kind.SUPERVISION, Form.THEMATIC, Subjects.MEMBERS, w
                ),
            ]
        for unit in cells:
            items.append(
                _Item(
                    unit,
                    Body.COMMITTEE,
                    year,
                    Kind.SUPERVISION,
                    Form.REGULAR,
                    Subjects.MEMBERS,
                    0.4 * w,
                )
            )
    return items


def _members_on(bloc: Unit, day: dt.date) -> list[tuple[str, int]]:
    """(unit path, member id) of the bloc's members on `day`."""
    rows = (
        Membership.objects.filter(unit__path__startswith=bloc.path, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values_list("unit__path", "member_id")
        .order_by("member_id")
    )
    return list(rows)


def build(bloc: Unit, *, figures: Figures = Figures(), actor=None, log=print) -> int:
    """Plans and inspections under `bloc` that give `figures` over the window; returns the
    number of violations found."""
    below = list(
        Unit.objects.filter(path__startswith=bloc.path).exclude(pk=bloc.pk).order_by("path")
    )
    committees = [u for u in below if u.kind == UnitKind.GRASSROOTS]
    cells = [u for u in below if u.kind == UnitKind.GRASSROOTS_CELL]
    items = _items(bloc, committees, cells)

    # Carried out: organizations items share the organization inspections, members items the
    # rest; the shortfall (planned − carried out) falls on the items of the bloc and of the
    # grassroots committees.
    org_items = [i for i in items if i.subjects == Subjects.ORGANIZATIONS]
    member_items = [i for i in items if i.subjects == Subjects.MEMBERS]
    member_inspections = figures.carried_out - figures.organizations
    for group, total in ((org_items, figures.organizations), (member_items, member_inspections)):
        for i, n in zip(group, _share(total, [i.weight for i in group]), strict=True):
            i.carried_out = n
    short = [i for i in items if i.unit.kind != UnitKind.GRASSROOTS_CELL]
    for i, n in zip(
        short, _share(figures.planned - figures.carried_out, [i.weight for i in short]), strict=True
    ):
        i.planned = n
    for i in items:
        i.planned += i.carried_out
    items = [i for i in items if i.planned]
    # The committees and cells pick their members first; the bloc's own supervisions then
    # pick among the members left, so no small unit runs out of members to inspect.
    items.sort(key=lambda i: i.unit.pk == bloc.pk)
    # Members per member inspection: two for the first ones, one for the others, 959 in all.
    pairs = figures.members - member_inspections
    slots = [2] * pairs + [1] * (member_inspections - pairs)
    slots.reverse()
    for i in (i for i in items if i.subjects == Subjects.MEMBERS):
        i.member_slots = [slots.pop() for _ in range(i.carried_out)]

    used: set[int] = set()
    snapshots: dict[dt.date, list[tuple[str, int]]] = {}
    plans: dict[tuple, object] = {}
    org_turn: dict[int, int] = {}
    violations = 0
    # A unit keeps one member not yet inspected for each of its member inspections still to
    # come (the demo's ledger moves with today's date, so a small cell may have few): a second
    # member it cannot spare is owed to the bloc's own supervisions, which come last and pick
    # among all its members.
    owed = 0
    to_come: dict[int, int] = {}
    for i in items:
        if i.subjects == Subjects.MEMBERS:
            to_come[i.unit.pk] = to_come.get(i.unit.pk, 0) + i.carried_out
    for n_item, i in enumerate(items):
        year, first, last, _w = i.year
        key = (i.unit.pk, i.body, year)
        if key not in plans:
            plans[key] = services.plan_create(
                actor=actor,
                unit=i.unit,
                body=i.body,
                year=year,
                title=f"Kế hoạch kiểm tra, giám sát năm {year}",
                adopted_on=first,
            )
        contents = CONTENTS[(i.kind, i.subjects)]
        item = services.plan_item_add(
            actor=actor,
            plan=plans[key],
            kind=i.kind,
            form=i.form,
            subjects=i.subjects,
            planned_count=i.planned,
            period_start=first,
            period_end=last,
            content=contents[n_item % len(contents)],
        )
        span = (last - first).days
        pool = [u for u in below if u.path.startswith(i.unit.path) and u.pk != i.unit.pk]
        for k in range(i.carried_out):
            start = first + dt.timedelta(days=(span * (k + 1)) // (i.carried_out + 1))
            start -= dt.timedelta(days=start.weekday() // 5 * (start.weekday() - 4))
            end = min(start + dt.timedelta(days=4), last)
            units, members = [], []
            if i.subjects == Subjects.ORGANIZATIONS:
                turn = org_turn.get(i.unit.pk, 0)
                org_turn[i.unit.pk] = turn + 1
                units = [pool[turn % len(pool)]]
            else:
                if start not in snapshots:
                    snapshots[start] = _members_on(bloc, start)
                free = [
                    member_id
                    for path, member_id in snapshots[start]
                    if member_id not in used and path.startswith(i.unit.path)
                ]
                to_come[i.unit.pk] -= 1
                want = i.member_slots[k]
                if i.unit.pk == bloc.pk:
                    want, owed = want + owed, 0
                else:
                    spare = max(1, len(free) - to_come[i.unit.pk])
                    owed += max(want - spare, 0)
                    want = min(want, spare)
                members = free[:want]
                if len(members) < want:
                    raise RuntimeError(f"Too few members left in {i.unit} on {start}.")
                used.update(members)
            inspection = services.inspection_record(
                actor=actor,
                unit=i.unit,
                body=i.body,
                kind=i.kind,
                form=i.form,
                content=item.content,
                team="Đoàn kiểm tra, giám sát của "
                + ("Ủy ban Kiểm tra" if i.body == Body.COMMISSION else "cấp ủy"),
                start_date=start,
                end_date=end,
                plan_item=item,
                units=units,
                members=list(Member.objects.filter(pk__in=members).order_by("pk")),
            )
            violations += _conclude(inspection, actor=actor, seed=n_item * 1000 + k)
        if n_item % 40 == 0:
            log(f"  inspections: {n_item + 1}/{len(items)} plan items")
    return violations


def bloc_figures(bloc: Unit, user) -> dict:
    """The execution of the bloc's plans over the window, as the board computes it."""
    found = inspection_execution(user=user, start=WINDOW[0], end=WINDOW[1], unit=bloc)
    return {
        "planned": found.total.planned,
        "carried_out": found.total.carried_out,
        "rate": found.total.rate,
        "organizations": found.total.organizations,
        "members": found.total.members,
        "distinct_organizations": found.distinct_organizations,
        "distinct_members": found.distinct_members,
    }


def _conclude(inspection, *, actor, seed: int) -> int:
    """Conclude every subject (about one in forty in violation) and the inspection; decide the
    discipline proposed. Returns the number of violations found."""
    violations = 0
    subjects = [
        *inspection.subject_units.select_related("unit"),
        *inspection.subject_members.select_related("member"),
    ]
    decided = inspection.end_date + dt.timedelta(days=10)
    for n, subject in enumerate(subjects):
        is_member = hasattr(subject, "member_id")
        # About one organization in forty and one member in thirteen inspected are in violation.
        guilty = inspection.kind == Kind.INSPECTION and (seed + n) % (13 if is_member else 41) == 7
        proposed = ""
        if guilty:
            proposed = ("reprimand", "warning")[(seed // 41) % 2] if is_member else "reprimand"
        services.subject_conclude(
            actor=actor,
            subject=subject,
            conclusion="violation" if guilty else "no_violation",
            gravity="minor" if guilty else "",
            proposed_discipline=proposed,
        )
        violations += guilty
    services.inspection_conclude(
        actor=actor,
        inspection=inspection,
        concluded_on=inspection.end_date,
        findings=(
            "Cơ bản chấp hành tốt; một số hạn chế đã được chỉ ra và yêu cầu khắc phục."
            if not violations
            else "Có vi phạm; đề nghị thi hành kỷ luật theo thẩm quyền."
        ),
    )
    for subject in subjects:
        subject.refresh_from_db()
        if not subject.proposed_discipline:
            continue
        try:
            if hasattr(subject, "member_id"):
                services.member_discipline_decide(
                    actor=actor,
                    subject=subject,
                    level=subject.proposed_discipline,
                    date=decided,
                    decision_number=f"{seed % 900 + 10}-QĐ/UBKTĐUK",
                    issuer="Ủy ban Kiểm tra Đảng ủy Khối",
                )
            else:
                services.organization_discipline_decide(
                    actor=actor,
                    subject=subject,
                    level=subject.proposed_discipline,
                    decided_on=decided,
                    decision_number=f"{seed % 900 + 10}-QĐ/ĐUK",
                    issuer="Ban Thường vụ Đảng ủy Khối",
                )
        except ValidationError:
            # The ledger refuses a decision dated before the member's later events: the
            # proposal then stays undecided, as it would in a register.
            continue
    return violations


def load_demo(*, log: Callable[[str], None]) -> str:
    """Create the bloc's plans and inspections through the services; one line for the summary."""
    bloc = Unit.objects.filter(code=BLOC_CODE).first()
    if bloc is None:
        return "inspections: the Hà Giang bloc is not in the tree"
    actor = get_user_model().objects.filter(username="admin").first()
    violations = build(bloc, actor=actor, log=log)
    got = bloc_figures(bloc, actor)
    expected = Figures()
    if (got["planned"], got["carried_out"], got["organizations"], got["members"]) != (
        expected.planned,
        expected.carried_out,
        expected.organizations,
        expected.members,
    ):
        raise RuntimeError(f"The bloc's inspection figures came out as {got}.")
    return (
        f"inspections: Hà Giang bloc {WINDOW[0]:%d/%m/%Y}–{WINDOW[1]:%d/%m/%Y}: "
        f"{got['organizations']} organizations, {got['members']} members, "
        f"{got['carried_out']} of {got['planned']} = {got['rate']}% of the plan; "
        f"{violations} violations found"
    )
