"""Step 20: members with their ledger — the same rows the member services write.

Each member gets an admission (decision and ceremony within the allowed working days, aged 18
and over on the decision), probation of 12 months from the ceremony and, once it has ended, a
recognition decided up to 45 days later but official from the end of probation (the
`Membership` interval splits on that day, as `member_recognize` does). Some members transferred
once (an official transfer out, an in-transit interval held by the lowest common ancestor of
that day's tree, the arrival); a few are still in transit or temporarily attend another cell;
some were disciplined, expelled or removed, and the oldest have died. Derived fields of
`Member` (status, unit, transit, admission dates, official date) are those the ledger implies.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools

from grassroots.core.dates import add_months
from grassroots.core.text import fold
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.imports import INTERVAL_COLUMNS
from grassroots.members.models import Member, MemberEvent, Membership

from .. import data
from ..registry import Context, generator_step
from .tree import CellInfo

MEMBER_FIELDS = [
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
    "transit_to_id",
    "transit_since",
    "attending_unit_id",
    "attending_since",
    "attending_until",
    "first_admission_decision_date",
    "admission_decision_date",
    "ceremony_date",
    "official_date",
    "readmission_count",
    "created_at",
    "updated_at",
]
EVENT_FIELDS = [
    "id",
    "member_id",
    "kind",
    "date",
    "unit_id",
    "other_unit_id",
    "transfer_mode",
    "discipline_level",
    "decision_number",
    "decision_date",
    "issuer",
    "reason",
    "details",
    "reorganization_id",
    "created_by_id",
    "created_at",
]
# The interval rows as the bulk import writes them.
INTERVAL_FIELDS = INTERVAL_COLUMNS

TEMPORARY_STAY = 182  # days, in the generator's day numbers

MOUNTAIN_GROUPS = {
    "tay",
    "thai",
    "nung",
    "mong",
    "dao",
    "ha_nhi",
    "la_hu",
    "giay",
    "san_chay",
    "lo_lo",
    "kho_mu",
}
HIGHLAND_GROUPS = {
    "gia_rai",
    "e_de",
    "ba_na",
    "co_ho",
    "mnong",
    "xo_dang",
    "hre",
    "ra_glai",
    "co_tu",
    "xtieng",
}


class Picker:
    """Weighted choice by bisection over cumulative weights (much faster than random.choices
    called one value at a time)."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs):
        self.values = [v for v, _w in pairs]
        self.cum = list(itertools.accumulate(w for _v, w in pairs))
        self.total = self.cum[-1]

    def __call__(self, r: float):
        return self.values[bisect.bisect_right(self.cum, r * self.total)]


class _MemberGenerator:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.w = ctx.writer
        self.tree = ctx.tree
        self.today = ctx.today
        self.T = ctx.today.toordinal()
        self.REFORM = data.REFORM_DATE.toordinal()
        base = dt.date(1900, 1, 1).toordinal()
        self.base = base
        self.dates = [dt.date.fromordinal(o) for o in range(base, self.T + 400)]
        self.w.declare(Member, MEMBER_FIELDS)
        self.w.declare(MemberEvent, EVENT_FIELDS)
        self.w.declare(Membership, INTERVAL_FIELDS)
        self.eth = {r: Picker(p) for r, p in data.ETHNICITY_BY_REGION.items()}
        self.rel = {r: Picker(p) for r, p in data.RELIGION_BY_REGION.items()}
        self.family = Picker(data.FAMILY_NAMES)
        self.family_mountain = Picker(data.MOUNTAIN_FAMILY_NAMES)
        self.family_highland = Picker(data.HIGHLAND_FAMILY_NAMES)
        self.family_khmer = Picker(data.KHMER_FAMILY_NAMES)
        self.male_middle = Picker(data.MALE_MIDDLE)
        self.female_middle = Picker(data.FEMALE_MIDDLE)
        self.general = Picker(data.GENERAL_EDUCATION)
        self.professional = {k: Picker(v) for k, v in data.PROFESSIONAL_BY_SUBTYPE.items()}
        self.theory = Picker(data.THEORY_LEVELS)
        self.occupation = {k: Picker(v) for k, v in data.OCCUPATIONS.items()}
        self.discipline = Picker(data.DISCIPLINE_LEVELS)
        self.folded: dict[str, str] = {}
        self.d1965 = dt.date(1965, 1, 1).toordinal()
        self.counts = {"members": 0, "active": 0, "events": 0, "intervals": 0, "in_transit": 0}
        self.officials: dict[int, int] = {}
        # Age at admission: 18 + 30 × Beta(2, 5) (mostly the twenties), drawn once into a table.
        table_rng = ctx.rng("ages")
        self.ages = [18 + int(table_rng.betavariate(2, 5) * 30) for _ in range(4096)]

    def d(self, ordinal: int) -> dt.date:
        return self.dates[ordinal - self.base]

    def fold(self, word: str) -> str:
        folded = self.folded.get(word)
        if folded is None:
            folded = self.folded[word] = fold(word)
        return folded

    @staticmethod
    def common(a: tuple[int, ...], b: tuple[int, ...]) -> int:
        last = a[0]
        for x, y in zip(a, b, strict=False):
            if x != y:
                break
            last = x
        return last

    def path_on(self, cell: CellInfo, day: int) -> tuple[int, ...]:
        return cell.path_before if day < self.REFORM else cell.path_now

    # --- one province ---------------------------------------------------------------------

    def province(self, pi: int) -> None:
        rng = self.ctx.rng("members", pi)
        r = rng.random

        def randint(a: int, b: int) -> int:
            # random.randint is several times slower; the bias of int(r() * n) is negligible here.
            return a + int(r() * (b - a + 1))

        cells = [self.tree.cells[i] for i in self.tree.cells_by_province[pi]]
        by_owner: dict[int, list[CellInfo]] = {}
        for cell in cells:
            by_owner.setdefault(cell.siblings_key, []).append(cell)
        for cell in cells:
            active = 0
            guard = 0
            while active < cell.members and guard < cell.members * 3 + 10:
                guard += 1
                if self.member(rng, r, randint, cell, cells, by_owner):
                    active += 1

    def member(self, rng, r, randint, cell: CellInfo, cells, by_owner) -> bool:
        w = self.w
        T = self.T
        now = self.ctx.now
        region = cell.region
        subtype = cell.subtype
        staff = subtype in data.STAFF_SUBTYPES
        female = r() < (0.6 if subtype in ("school", "health") else 0.36)
        ethnicity = self.eth[region](r())
        if ethnicity in MOUNTAIN_GROUPS and r() < 0.75:
            family = self.family_mountain(r())
        elif ethnicity in HIGHLAND_GROUPS and r() < 0.8:
            family = self.family_highland(r())
        elif ethnicity == "khmer" and r() < 0.85:
            family = self.family_khmer(r())
        else:
            family = self.family(r())
        middle = (self.female_middle if female else self.male_middle)(r())
        given = rng.choice(data.FEMALE_GIVEN if female else data.MALE_GIVEN)
        full_name = f"{family} {middle} {given}"
        folded = f"{self.fold(family)} {self.fold(middle)} {self.fold(given)}"

        # Admission: more recent years weigh more (older members have left or died).
        lo = max(cell.valid_from, self.d1965)
        decision = lo + int((T - lo) * (r() ** 0.55))
        age = self.ages[int(r() * len(self.ages))]
        birth = decision - int(age * 365.25) - randint(2, 360)
        ceremony = min(decision + randint(3, 25), T)
        probation_end = add_months(self.d(ceremony), 12).toordinal()

        mid = w.next_id(Member)
        status = "probationary"
        official = None
        unit = cell  # where the records are at the end
        adm_cell = cell
        transit_to = None
        transit_since = None
        attending = None
        attending_since = None
        events: list[tuple] = []
        intervals: list[list] = []  # [unit id, status, standing, start, end]
        issuer = cell.issuer

        def event(
            kind,
            day,
            unit_id,
            other=None,
            mode="",
            level="",
            number="",
            issuer_="",
            reason="",
            details="{}",
        ):
            events.append(
                (
                    w.next_id(MemberEvent),
                    mid,
                    kind,
                    self.d(day),
                    unit_id,
                    other,
                    mode,
                    level,
                    number,
                    self.d(day) if number else None,
                    issuer_,
                    reason,
                    details,
                    None,
                    None,
                    now,
                )
            )

        last = decision
        if probation_end > T:
            intervals.append([adm_cell.id, "probationary", "probationary", decision, None])
        elif r() < 0.012:
            # Failed probation: removed by the competent committee.
            removed = min(probation_end + randint(5, 60), T)
            intervals.append([adm_cell.id, "probationary", "probationary", decision, removed])
            status = "removed"
            last = removed
        else:
            recognized = min(probation_end + randint(0, 45), T)
            official = probation_end
            status = "official"
            last = recognized
            # One transfer for some: admitted elsewhere in the province, arrived here.
            if r() < 0.12 and len(cells) > 1:
                owner = by_owner.get(cell.siblings_key, ())
                pool = owner if (r() < 0.6 and len(owner) > 1) else cells
                source = pool[randint(0, len(pool) - 1)]
                first = max(recognized + 1, cell.valid_from)
                if source.id != cell.id and source.valid_from <= decision and first < T:
                    adm_cell = source
                    out_day = randint(first, T)
                    arrival = out_day + randint(3, 25)
                    holder = self.common(self.path_on(source, out_day), self.path_on(cell, out_day))
                    intervals.append(
                        [source.id, "probationary", "probationary", decision, probation_end]
                    )
                    intervals.append([source.id, "official", "official", probation_end, out_day])
                    transfer = (out_day, arrival, holder)
                else:
                    transfer = None
            else:
                transfer = None
            if transfer is None:
                intervals.append([cell.id, "probationary", "probationary", decision, probation_end])
                intervals.append([cell.id, "official", "official", probation_end, None])
        # The ledger, in date order.
        event(
            "admit",
            decision,
            adm_cell.id,
            number=f"{randint(1, 999)}-QĐ/ĐU",
            issuer_=adm_cell.issuer,
            details=f'{{"ceremony_date": "{self.d(ceremony).isoformat()}"}}',
        )
        if status == "removed":
            event(
                "remove",
                last,
                adm_cell.id,
                number=f"{randint(1, 999)}-QĐ/ĐU",
                issuer_=issuer,
                reason="Không đủ điều kiện công nhận đảng viên chính thức",
            )
        elif official is not None:
            pe = self.d(official).isoformat()
            event(
                "recognize",
                last,
                adm_cell.id,
                number=f"{randint(1, 999)}-QĐ/ĐU",
                issuer_=adm_cell.issuer,
                details=f'{{"official_date": "{pe}", "probation_end": "{pe}"}}',
            )
            if transfer is not None:
                out_day, arrival, holder = transfer
                event(
                    "transfer_out",
                    out_day,
                    adm_cell.id,
                    other=cell.id,
                    mode="official",
                    number=f"{randint(1, 999)}-GGT/ĐU",
                    issuer_=adm_cell.issuer,
                    details=f'{{"held_by": {holder}}}',
                )
                last = out_day
                if arrival > T:
                    intervals.append([holder, "in_transit", "official", out_day, None])
                    unit, transit_to, transit_since = adm_cell, cell, out_day
                    self.counts["in_transit"] += 1
                else:
                    intervals.append([holder, "in_transit", "official", out_day, arrival])
                    intervals.append([cell.id, "official", "official", arrival, None])
                    event(
                        "transfer_in",
                        arrival,
                        cell.id,
                        other=adm_cell.id,
                        mode="official",
                        details=f'{{"days_in_transit": {arrival - out_day}}}',
                    )
                    last = arrival
        active = status in ACTIVE_STATUSES
        if active and transit_to is None:
            x = r()
            if x < 0.015:
                day = randint(last, T)
                level = self.discipline(r())
                event(
                    "discipline",
                    day,
                    unit.id,
                    level=level,
                    number=f"{randint(1, 999)}-QĐ/UBKT",
                    issuer_=f"Ủy ban Kiểm tra {issuer}",
                    reason="Vi phạm quy định về những điều đảng viên không được làm",
                )
                last = day
            elif x < 0.019:
                day = randint(last, T)
                other = cells[randint(0, len(cells) - 1)]
                if other.id != unit.id and other.valid_from <= day:
                    # Six months' stay, without a draw of its own: the stream of draws (and so the
                    # country of a seed) stays as it was.
                    event(
                        "temp_out",
                        day,
                        unit.id,
                        other=other.id,
                        mode="temporary",
                        number=f"{randint(1, 999)}-GGT/ĐU",
                        issuer_=issuer,
                        details=f'{{"until": "{self.d(day + TEMPORARY_STAY).isoformat()}"}}',
                    )
                    attending, attending_since = other, day
                    last = day
            # Leaving the party: death (by age today), expulsion, removal.
            age_today = (T - birth) / 365.25
            p_death = (
                0.8
                if age_today > 90
                else 0.35
                if age_today > 80
                else 0.07
                if age_today > 70
                else 0.004
            )
            y = r()
            end = None
            if y < p_death:
                end = randint(max(last, T - 3650), T)
                event("death", end, unit.id)
                status = "deceased"
            elif y < p_death + 0.003:
                end = randint(last, T)
                event(
                    "discipline",
                    end,
                    unit.id,
                    level="expulsion",
                    number=f"{randint(1, 999)}-QĐ/UBKT",
                    issuer_=f"Ủy ban Kiểm tra {issuer}",
                    reason="Vi phạm nghiêm trọng Điều lệ Đảng",
                )
                status = "expelled"
            elif y < p_death + 0.008:
                end = randint(last, T)
                event(
                    "remove",
                    end,
                    unit.id,
                    number=f"{randint(1, 999)}-QĐ/ĐU",
                    issuer_=issuer,
                    reason="Bỏ sinh hoạt đảng ba tháng trong năm không có lý do chính đáng",
                )
                status = "removed"
            if end is not None:
                intervals[-1][4] = end
                attending = None
        active = status in ACTIVE_STATUSES
        gender = "female" if female else "male"
        card = None if r() < 0.08 else f"{100000000 + mid}"
        prof = self.professional["staff" if staff else "default"](r())
        w.add(
            Member,
            (
                mid,
                full_name,
                folded,
                gender,
                self.d(birth),
                ethnicity,
                self.rel[region](r()),
                self.general(r()),
                prof,
                self.theory(r()),
                self.occupation[subtype](r()),
                card,
                unit.id,
                status,
                transit_to.id if transit_to else None,
                self.d(transit_since) if transit_since else None,
                attending.id if attending else None,
                self.d(attending_since) if attending else None,
                self.d(attending_since + TEMPORARY_STAY) if attending else None,
                self.d(decision),
                self.d(decision),
                self.d(ceremony),
                self.d(official) if official else None,
                0,
                now,
                now,
            ),
        )
        for row in events:
            w.add(MemberEvent, row)
        for unit_id, st, standing, start, end in intervals:
            w.add(
                Membership,
                (
                    w.next_id(Membership),
                    mid,
                    unit_id,
                    st,
                    standing,
                    self.d(start),
                    self.d(end) if end else None,
                    self.d(birth),
                ),
            )
        c = self.counts
        c["members"] += 1
        c["events"] += len(events)
        c["intervals"] += len(intervals)
        if active:
            c["active"] += 1
            if status == "official" and transit_to is None:
                self.officials[unit.id] = self.officials.get(unit.id, 0) + 1
        return active


@generator_step("members", order=20)
def generate_members(ctx: Context) -> None:
    """Members and their ledger, province by province."""
    gen = _MemberGenerator(ctx)
    for pi, province in enumerate(ctx.tree.provinces):
        gen.province(pi)
        ctx.progress(
            f"  members: {province['name']} — {gen.counts['members']:,} members, "
            f"{gen.counts['events']:,} events, {gen.counts['intervals']:,} intervals"
        )
    ctx.writer.flush_all()
    ctx.counts.update({f"{k}": v for k, v in gen.counts.items()})
    ctx.extra["officials_by_cell"] = gen.officials
