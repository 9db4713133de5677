"""Step 60 (after the load, when the members can be queried): the inspection commissions' yearly
plans of every open grassroots organization (communes, wards, agencies, enterprises) for the
previous year and the current one, and the inspections and supervisions carried out.

- A plan, adopted in the December before its year, has four items: regular inspection of
  members, thematic inspection of cells (one half of the year), thematic supervision of cells
  and regular supervision of members, a few of each.
- About 96 % of each planned number is carried out within the item's period (now and then one
  more than planned), on days before `ctx.today`; each has its subjects (a cell of the
  organization, or one or two of its members), and once concluded its conclusion: mostly no
  violation, a few violations with their gravity and the discipline proposed.
- Some organizations carry out an unplanned inspection on signs of violation, which finds a
  violation more often; a cell concluded to have violated is sometimes disciplined
  (reprimanded) by the organization's standing committee.

Member discipline events are not written (the member ledger is the members step's). Everything
is drawn from one random stream per province.
"""

from __future__ import annotations

import datetime as dt

from grassroots.inspections.choices import (
    Body,
    Conclusion,
    Form,
    Gravity,
    Kind,
    OrganizationDisciplineLevel,
    Subjects,
)
from grassroots.inspections.models import (
    InspectedMember,
    InspectedUnit,
    Inspection,
    InspectionPlan,
    OrganizationDiscipline,
    PlanItem,
)
from grassroots.members.choices import ACTIVE_STATUSES, DisciplineLevel
from grassroots.members.models import Member
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit

from ..registry import Context, generator_step

# (kind, form, subjects, planned between, content)
ITEMS = [
    (
        Kind.INSPECTION,
        Form.REGULAR,
        Subjects.MEMBERS,
        (2, 5),
        "Kiểm tra đảng viên chấp hành Điều lệ Đảng, nghị quyết, chỉ thị của Đảng",
    ),
    (
        Kind.INSPECTION,
        Form.THEMATIC,
        Subjects.ORGANIZATIONS,
        (1, 3),
        "Kiểm tra chi bộ thực hiện chế độ sinh hoạt đảng và công tác thu, nộp đảng phí",
    ),
    (
        Kind.SUPERVISION,
        Form.THEMATIC,
        Subjects.ORGANIZATIONS,
        (1, 3),
        "Giám sát chuyên đề việc lãnh đạo thực hiện nhiệm vụ chính trị của chi bộ",
    ),
    (
        Kind.SUPERVISION,
        Form.REGULAR,
        Subjects.MEMBERS,
        (2, 6),
        "Giám sát thường xuyên việc thực hiện nhiệm vụ của đảng viên",
    ),
]
FINDINGS = {
    Conclusion.NO_VIOLATION: "Chấp hành tốt; không phát hiện vi phạm.",
    Conclusion.VIOLATION: "Có vi phạm; đề nghị xem xét, xử lý theo quy định.",
}


def _plan_items(year: int, r) -> list[tuple]:
    """(kind, form, subjects, planned, start, end, content) of a year's plan."""
    items = []
    for kind, form, subjects, (low, high), content in ITEMS:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if kind == Kind.INSPECTION and form == Form.THEMATIC:
            start, end = (
                (dt.date(year, 1, 1), dt.date(year, 6, 30))
                if r.random() < 0.5
                else (dt.date(year, 7, 1), dt.date(year, 12, 31))
            )
        items.append((kind, form, subjects, r.randint(low, high), start, end, content))
    return items


class _Writer:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        w = self.w = ctx.writer
        w.declare(InspectionPlan, ["id", "unit_id", "body", "year", "title", "adopted_on"])
        w.declare(
            PlanItem,
            [
                "id",
                "plan_id",
                "kind",
                "form",
                "subjects",
                "planned_count",
                "period_start",
                "period_end",
                "content",
            ],
        )
        w.declare(
            Inspection,
            [
                "id",
                "unit_id",
                "body",
                "plan_item_id",
                "kind",
                "form",
                "content",
                "team",
                "start_date",
                "end_date",
                "findings",
                "concluded_on",
                "created_at",
            ],
        )
        w.declare(
            InspectedUnit,
            ["id", "conclusion", "gravity", "inspection_id", "unit_id", "proposed_discipline"],
        )
        w.declare(
            InspectedMember,
            [
                "id",
                "conclusion",
                "gravity",
                "inspection_id",
                "member_id",
                "proposed_discipline",
                "discipline_event_id",
            ],
        )
        w.declare(
            OrganizationDiscipline,
            [
                "id",
                "unit_id",
                "subject_id",
                "level",
                "decided_on",
                "decision_number",
                "issuer",
                "reason",
            ],
        )
        self.counts = {
            "plans": 0,
            "items": 0,
            "planned": 0,
            "inspections": 0,
            "unplanned": 0,
            "violations": 0,
            "disciplines": 0,
        }

    def inspection(self, r, org, item_id, kind, form, subjects, content, start, cells, members):
        """One inspection started on `start` with its subjects and, once over, its conclusion."""
        w, today = self.w, self.ctx.today
        end = start + dt.timedelta(days=r.randint(5, 30))
        concluded = end + dt.timedelta(days=r.randint(2, 15))
        if concluded >= today:
            concluded = None
        chance = 0.45 if form == Form.SIGNS else 0.06 if kind == Kind.INSPECTION else 0.02
        iid = w.next_id(Inspection)
        violated = concluded is not None and r.random() < chance
        conclusion = (
            ""
            if concluded is None
            else Conclusion.VIOLATION
            if violated
            else Conclusion.NO_VIOLATION
        )
        w.add(
            Inspection,
            (
                iid,
                org,
                Body.COMMISSION,
                item_id,
                kind,
                form,
                content,
                "Ủy ban Kiểm tra Đảng ủy",
                start,
                end,
                FINDINGS.get(conclusion, ""),
                concluded,
                self.ctx.now,
            ),
        )
        self.counts["inspections"] += 1
        self.counts["unplanned"] += item_id is None
        gravity = ""
        if violated:
            gravity = Gravity.MINOR if r.random() < 0.8 else Gravity.SERIOUS
            self.counts["violations"] += 1
        if subjects == Subjects.ORGANIZATIONS and cells:
            cell = r.choice(cells)
            sid = w.next_id(InspectedUnit)
            proposed = OrganizationDisciplineLevel.REPRIMAND if gravity == Gravity.SERIOUS else ""
            w.add(InspectedUnit, (sid, conclusion, gravity, iid, cell, proposed))
            decided = concluded + dt.timedelta(days=r.randint(10, 20)) if proposed else None
            if decided is not None and decided < today:
                w.add(
                    OrganizationDiscipline,
                    (
                        w.next_id(OrganizationDiscipline),
                        cell,
                        sid,
                        proposed,
                        decided,
                        f"{r.randint(10, 400)}-QĐ/ĐU",
                        "Ban Thường vụ Đảng ủy",
                        "Vi phạm trong thực hiện chế độ sinh hoạt đảng.",
                    ),
                )
                self.counts["disciplines"] += 1
        elif members:
            for member in r.sample(members, min(len(members), r.randint(1, 2))):
                proposed = DisciplineLevel.REPRIMAND if gravity == Gravity.SERIOUS else ""
                w.add(
                    InspectedMember,
                    (w.next_id(InspectedMember), conclusion, gravity, iid, member, proposed, None),
                )


@generator_step("inspections", order=60, phase="derive")
def generate_inspections(ctx: Context) -> None:
    out = _Writer(ctx)
    w, today = ctx.writer, ctx.today
    years = [today.year - 1, today.year]
    for pi, province in enumerate(ctx.tree.provinces):
        r = ctx.rng("inspections", pi)
        path = "/" + "/".join(map(str, province["path"])) + "/"
        orgs = list(
            Unit.objects.filter(
                path__startswith=path, kind=UnitKind.GRASSROOTS, valid_to__isnull=True
            )
            .order_by("code")
            .values_list("id", flat=True)
        )
        cells: dict[int, list[int]] = {}
        for cell, parent in (
            Unit.objects.filter(parent_id__in=orgs, kind=UnitKind.CELL, valid_to__isnull=True)
            .order_by("code")
            .values_list("id", "parent_id")
        ):
            cells.setdefault(parent, []).append(cell)
        parent_of = {c: p for p, ids in cells.items() for c in ids}
        members: dict[int, list[int]] = {}
        for member, unit in (
            Member.objects.filter(unit_id__in=list(parent_of), status__in=ACTIVE_STATUSES)
            .order_by("id")
            .values_list("id", "unit_id")
        ):
            members.setdefault(parent_of[unit], []).append(member)
        for org in orgs:
            for year in years:
                pid = w.next_id(InspectionPlan)
                w.add(
                    InspectionPlan,
                    (
                        pid,
                        org,
                        Body.COMMISSION,
                        year,
                        f"Chương trình kiểm tra, giám sát năm {year}",
                        dt.date(year - 1, 12, r.randint(15, 28)),
                    ),
                )
                out.counts["plans"] += 1
                for kind, form, subjects, planned, start, end, content in _plan_items(year, r):
                    item = w.next_id(PlanItem)
                    w.add(
                        PlanItem,
                        (item, pid, kind, form, subjects, planned, start, end, content),
                    )
                    out.counts["items"] += 1
                    out.counts["planned"] += planned
                    carried = sum(1 for _ in range(planned) if r.random() < 0.96)
                    carried += r.random() < 0.03
                    for _ in range(carried):
                        day = start + dt.timedelta(days=r.randrange((end - start).days - 20))
                        if day < today:
                            out.inspection(
                                r,
                                org,
                                item,
                                kind,
                                form,
                                subjects,
                                content,
                                day,
                                cells.get(org),
                                members.get(org),
                            )
                if r.random() < 0.15:
                    day = dt.date(year, 1, 1) + dt.timedelta(days=r.randrange(340))
                    if day < today:
                        out.inspection(
                            r,
                            org,
                            None,
                            Kind.INSPECTION,
                            Form.SIGNS,
                            Subjects.MEMBERS,
                            "Kiểm tra đảng viên khi có dấu hiệu vi phạm",
                            day,
                            cells.get(org),
                            members.get(org),
                        )
        w.flush_all()
        ctx.progress(
            f"  inspections: {province['name']} — {out.counts['inspections']:,} inspections so far"
        )
    ctx.counts.update({f"inspection_{k}": v for k, v in out.counts.items()})
