"""Demo year-end classifications: 2024 under Regulation 124 and 2025 under 366 for the Biểu
Nghi (Đông Mai ward) and Bình Lục Hạ (Hồng Phong ward) cells and every cell of Mường Hum
commune, with their members. Each member's self-review, the cell's proposal and the
committee's decision are recorded through the services; where the cells propose more
"excellent" than the quota allows the committee lowers the extra ones to "well" (the quota
binds), and a member admitted in September 2025 is not reviewed that year. The members are the
demo's own synthetic ones."""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Callable
from decimal import Decimal

from grassroots.members.services import member_admit
from grassroots.organizations.choices import CellSubtype
from grassroots.organizations.models import Unit

from . import services
from .choices import CircumstanceKind, FormCode, Level, StepKind, Subject
from .models import Classification
from .selectors import review_rules

# grassroots/demo/data.py
REVIEWED = {"QNI-DMA": ["QNI-DMA-01"], "QNI-HPH": ["QNI-HPH-01"], "LCA-MHU": None}  # None: all
BIEU_NGHI_CODE = "QNI-DMA-01"
MUONG_HUM_VILLAGE_CODE = "LCA-MHU-01"
REVIEW_DAYS = {2024: dt.date(2024, 12, 20), 2025: dt.date(2025, 12, 19)}
STAFF_CELLS = {CellSubtype.SCHOOL, CellSubtype.HEALTH, CellSubtype.POLICE}


def _draw(*parts) -> int:
    """A fixed pseudo-random number 0–99 for the parts (the demo is the same on every load)."""
    return zlib.crc32("|".join(str(p) for p in parts).encode()) % 100


def _proposed_level(c: Classification) -> str:
    n = _draw(c.member_id or c.unit_id, c.year)
    if n < 22:
        return Level.EXCELLENT
    if n < 80:
        return Level.WELL
    if n < 97:
        return Level.COMPLETED
    return Level.NOT_COMPLETED


def _inputs(c: Classification, level: str, points_set: bool) -> dict:
    """Task results that give `level` under the set (points under 366)."""
    n = _draw("pts", c.member_id or c.unit_id, c.year)
    if points_set:
        points = {
            Level.EXCELLENT: 90 + n % 8,
            Level.WELL: 72 + n % 17,
            Level.COMPLETED: 55 + n % 14,
            Level.NOT_COMPLETED: 40 + n % 9,
        }[level]
        inputs = {"points": Decimal(points), "exceeded_pct": Decimal(30 + n % 40)}
        if level == Level.COMPLETED:
            inputs.update(on_time=False, late_pct=Decimal(n % 20))
        return inputs
    inputs = {"level": level, "on_time": True, "exceeded_pct": Decimal(50 + n % 40)}
    if level in (Level.COMPLETED, Level.NOT_COMPLETED):
        inputs["on_time"] = False
    return inputs


def _within_quota(rows: list[tuple[Classification, str]], rate: Decimal) -> set[int]:
    """Which proposed "excellent" the committee keeps: as many as the quota of the scope
    allows once the others are lowered to "well" (those with the lower draw first)."""
    excellent = [c for c, lv in rows if lv == Level.EXCELLENT]
    well = sum(1 for _c, lv in rows if lv == Level.WELL)
    keep = len(excellent)
    while keep and keep > math.floor((well + len(excellent) - keep) * rate / 100):
        keep -= 1
    excellent.sort(key=lambda c: -_draw("rank", c.member_id or c.unit_id, c.year))
    return {c.pk for c in excellent[:keep]}


def _classify(rows: list[Classification], rules, log) -> tuple[int, int]:
    """Self-review and proposal for each row, then the committee's decisions together; the
    number decided and the number of "excellent" proposals lowered by the quota."""
    points_set = rules.judging == "points"
    proposed = []
    for c in rows:
        level = _proposed_level(c)
        outcome_cap = c.cap_level
        if outcome_cap and Level.values.index(level) < Level.values.index(outcome_cap):
            level = outcome_cap
        inputs = _inputs(c, level, points_set)
        if c.subject == Subject.MEMBER:
            services.classification_step(
                actor=None,
                classification=c,
                kind=StepKind.SELF_REVIEW,
                inputs=inputs,
                note="Tự kiểm điểm, đánh giá cuối năm.",
                form_code=_form_code(c),
            )
        services.classification_step(
            actor=None,
            classification=c,
            kind=StepKind.PROPOSAL,
            inputs=inputs,
            note="Chi bộ thảo luận, đề xuất." if c.subject == Subject.MEMBER else "",
        )
        proposed.append((c, level, inputs))
    keep = _within_quota([(c, lv) for c, lv, _i in proposed], rules.quota_rate_pct)
    lowered = 0
    decisions = []
    for c, level, inputs in proposed:
        note = ""
        if level == Level.EXCELLENT and c.pk not in keep:
            level, lowered = Level.WELL, lowered + 1
            inputs = {**inputs, "level": Level.WELL}
            note = "Vượt số lượng được xếp loại hoàn thành xuất sắc (20% số hoàn thành tốt)."
        decisions.append(services.Decision(c, level, inputs, note))
    services.classifications_decide(actor=None, decisions=decisions)
    return len(decisions), lowered


def _form_code(c: Classification) -> str:
    return FormCode.F2B if c.unit.cell_subtype in STAFF_CELLS else FormCode.F2C


def _new_member(cell: Unit) -> None:
    """A member admitted in September 2025: not reviewed in the 2025 review."""
    member_admit(
        actor=None,
        unit=cell,
        full_name="Vũ Thị Thanh Hương",
        gender="female",
        birth_date=dt.date(1998, 7, 14),
        ethnicity="kinh",
        decision_date=dt.date(2025, 9, 8),
        ceremony_date=dt.date(2025, 9, 20),
        decision_number="412-QĐ/ĐU",
        issuer="Đảng ủy phường Đông Mai",
        occupation="Nhân viên văn phòng",
    )


def _leave(cell: Unit, year: int) -> None:
    """One member's sick leave of four months and another's maternity leave in the year."""
    from grassroots.members.models import Member

    members = list(Member.objects.filter(unit=cell, status__in=["official", "probationary"])[:6])
    if len(members) < 2:
        return
    services.circumstance_record(
        actor=None,
        kind=CircumstanceKind.SICK_LEAVE,
        member=members[0],
        start=dt.date(year, 3, 1),
        end=dt.date(year, 6, 30),
        decision="Giấy ra viện và xác nhận của trạm y tế",
    )
    women = [m for m in members if m.gender == "female"]
    if women:
        services.circumstance_record(
            actor=None,
            kind=CircumstanceKind.MATERNITY_LEAVE,
            member=women[-1],
            start=dt.date(year, 5, 1),
            end=dt.date(year, 10, 31),
        )


def load_demo(*, log: Callable[[str], None]) -> str:
    """Create the demo classifications through the services; one line for the summary."""
    units = {u.code: u for u in Unit.objects.filter(code__in=list(REVIEWED))}
    if not units:
        return "classifications: the Đông Mai, Hồng Phong and Mường Hum units are not in the tree"
    cells = {
        u.code: u for u in Unit.objects.filter(code__in=[BIEU_NGHI_CODE, MUONG_HUM_VILLAGE_CODE])
    }
    if MUONG_HUM_VILLAGE_CODE in cells:
        _leave(cells[MUONG_HUM_VILLAGE_CODE], 2024)
    if BIEU_NGHI_CODE in cells:
        _new_member(cells[BIEU_NGHI_CODE])
    decided = lowered = not_reviewed = 0
    for year in (2024, 2025):
        for code, unit in units.items():
            review = services.review_open(
                actor=None, unit=unit, year=year, review_date=REVIEW_DAYS[year]
            )
            services.review_compute(actor=None, review=review)
            rules = review_rules(review)
            rows = Classification.objects.filter(review=review).select_related("unit", "member")
            if REVIEWED[code] is not None:
                rows = rows.filter(unit__code__in=REVIEWED[code])
            for subject in (Subject.MEMBER, Subject.COLLECTIVE):
                group = [c for c in rows.filter(subject=subject) if not c.not_reviewed]
                not_reviewed += rows.filter(subject=subject).exclude(not_reviewed="").count()
                if not group:
                    continue
                # The members first: a collective's level reads its members' decisions.
                if subject == Subject.COLLECTIVE:
                    services.review_compute(actor=None, review=review)
                    group = list(
                        Classification.objects.filter(pk__in=[c.pk for c in group]).select_related(
                            "unit"
                        )
                    )
                n, low = _classify(group, rules, log)
                decided += n
                lowered += low
            if year == 2024 or code == "LCA-MHU":
                for cell in {c.unit for c in rows.filter(subject=Subject.MEMBER)}:
                    services.review_publish(actor=None, review=review, unit=cell)
        log(f"classifications {year}: {decided} decided so far")
    return (
        f"classifications: {decided} decisions in 2024 (124) and 2025 (366), "
        f"{lowered} “excellent” proposals lowered by the quota, {not_reviewed} not reviewed"
    )
