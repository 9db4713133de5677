"""Builds the demo dataset through the services, as the history would have been recorded.

First every member's life is planned (pure, seeded, relative to `today`), then every planned
step — admissions, recognitions, transfers, discipline, removals, deaths and the
reorganizations of 1 July 2025 — is replayed in date order through the same services the
pages call. Nothing is written to the ledger, the intervals or the tree directly.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from grassroots.accounts.models import RoleAssignment, User
from grassroots.committees import services as committee_services
from grassroots.core.audit import acting_as
from grassroots.core.dates import add_months, add_working_days, age_on
from grassroots.core.text import fold
from grassroots.members import services as member_services
from grassroots.members.choices import (
    ETHNICITY_BY_NAME,
    CandidateStage,
    DisciplineLevel,
    EventKind,
    Gender,
    MemberStatus,
    ProposedBy,
    Religion,
)
from grassroots.members.models import Member, MemberEvent
from grassroots.members.size_rules import official_members_on
from grassroots.organizations import services as org_services
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.models import Reorganization, Unit
from grassroots.reorganizations import services as reorganization_services
from grassroots.rollups.services import rollup_paused

from . import data
from .data import UnitSpec

STAFF_SUBTYPES = {
    CellSubtype.SCHOOL,
    CellSubtype.HEALTH,
    CellSubtype.POLICE,
    CellSubtype.MILITARY,
    CellSubtype.AGENCY,
    CellSubtype.ENTERPRISE,
}
# Share of members with a later history, per thousand members.
TRANSFER_PER_MILLE = 40
DISCIPLINE_PER_MILLE = 12
REMOVED_PER_MILLE = 8
DECEASED_PER_MILLE = 12
# Member events keep clear of the reorganization day, so no transfer is in flight across it.
REFORM_QUIET = (data.REFORM_DATE - dt.timedelta(days=45), data.REFORM_DATE + dt.timedelta(days=15))
EARLIEST_TODAY = REFORM_QUIET[1] + dt.timedelta(days=60)


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: the role it holds and what it shows."""

    username: str
    full_name: str
    role: str
    unit_code: str | None
    sees: str


LOGINS: list[DemoLogin] = [
    DemoLogin("admin", "Quản trị hệ thống", "superuser", None, "everything"),
    DemoLogin(
        "manager",
        "Ban Tổ chức (tỉnh)",
        "manager",
        "LCA",
        "Lào Cai and Ninh Bình: Mường Hum, Đồng Thái",
    ),
    DemoLogin("manager", "Ban Tổ chức (tỉnh)", "manager", "NBI", ""),
    DemoLogin(
        "office",
        "Văn phòng Đảng ủy xã Mường Hum",
        "editor",
        data.MUONG_HUM_CODE,
        "Mường Hum commune (9 cells)",
    ),
    DemoLogin(
        "secretary",
        "Bí thư chi bộ thôn Mường Hum",
        "editor",
        data.MUONG_HUM_VILLAGE_CELL_CODE,
        "Chi bộ thôn Mường Hum (23 members)",
    ),
    DemoLogin(
        "viewer",
        "Theo dõi tỉnh Lai Châu",
        "viewer",
        "LCH",
        "Lai Châu, read only (Pa Ủ, Hua Bum, Bum Tở)",
    ),
]
DEMO_USERNAMES = sorted({login.username for login in LOGINS})


@dataclass
class Plan:
    """One synthetic member's life, decided before anything is written."""

    key: int
    cell: str  # admitted into
    final: str  # belongs to at the end (differs after a transfer)
    fate: str = "active"  # active | removed | deceased
    full_name: str = ""
    gender: str = Gender.MALE
    birth_date: dt.date = dt.date(1980, 1, 1)
    ethnicity: str = "kinh"
    religion: str = Religion.NONE
    general_education: str = ""
    professional_education: str = "none"
    theory_level: str = "none"
    occupation: str = ""
    decision: dt.date | None = None
    ceremony: dt.date | None = None
    recognized: dt.date | None = None
    transfer_out: dt.date | None = None
    transfer_in: dt.date | None = None
    discipline: tuple[dt.date, str] | None = None
    end: dt.date | None = None
    pinned: bool = False  # admission date fixed by a figure of the articles
    via_candidate: bool = False


@dataclass
class Summary:
    """What a load produced, printed by the command."""

    units: int = 0
    units_open: int = 0
    members_active: int = 0
    members_probationary: int = 0
    members_inactive: int = 0
    events: Counter = field(default_factory=Counter)
    reorganizations: int = 0
    candidates: int = 0
    committees: int = 0


class DemoBuilder:
    """Plans and loads the demo relative to `today`, with a fixed seed."""

    def __init__(
        self,
        *,
        today: dt.date,
        seed: int = data.RANDOM_SEED,
        log: Callable[[str], None] | None = None,
    ):
        if today < EARLIEST_TODAY:
            raise ValueError(
                f"The demo's history runs past 1 July 2025: choose {EARLIEST_TODAY} or later."
            )
        self.today = today
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.specs: dict[str, UnitSpec] = {}
        self.parent_of: dict[str, str | None] = {}
        self.units: dict[str, Unit] = {}
        self.members: dict[int, Member] = {}
        self.plans: list[Plan] = []
        self.used_names: set[str] = set()
        self.decision_counters: Counter = Counter()
        self.actor: User | None = None
        for spec, parent in data.walk(data.ROOT):
            self.specs[spec.code] = spec
            self.parent_of[spec.code] = parent.code if parent else None

    # --- the tree ---------------------------------------------------------------------------

    def ancestors(self, code: str) -> list[str]:
        chain = []
        current = self.parent_of.get(code)
        while current is not None:
            chain.append(current)
            current = self.parent_of.get(current)
        return chain

    def cells(self) -> list[UnitSpec]:
        return [s for s in self.specs.values() if s.members]

    def mix_of(self, code: str) -> str:
        for c in [code, *self.ancestors(code)]:
            if self.specs[c].mix:
                return self.specs[c].mix
        return "kinh"

    def province_of(self, code: str) -> str:
        chain = [code, *self.ancestors(code)]
        return next(c for c in chain if self.specs[c].kind == UnitKind.PROVINCE)

    def organization_of(self, code: str) -> str:
        """The grassroots organization (or grassroots cell) a cell belongs to."""
        chain = [code, *self.ancestors(code)]
        return next(
            c
            for c in chain
            if self.specs[c].kind in (UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL)
        )

    def within(self, code: str, ancestor: str) -> bool:
        return code == ancestor or ancestor in self.ancestors(code)

    # --- who decides ------------------------------------------------------------------------

    def authority(self, cell_code: str, day: dt.date) -> tuple[str, str]:
        """The issuer of admission and recognition decisions for a cell on `day`, and the
        suffix of its decision numbers. Before 1 July 2025 the district standing committee
        decided for communes; afterwards the commune committee does."""
        org = self.organization_of(cell_code)
        parent = self.parent_of[org]
        spec = self.specs[org]
        if parent and self.specs[parent].kind == UnitKind.BLOC:
            return "Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Giang", "QĐ/ĐUK"
        if org in data.MERGED_INTO_DONG_THAI and day >= data.REFORM_DATE:
            return "Đảng ủy xã Đồng Thái", "QĐ/ĐU"
        if day < data.REFORM_DATE and parent and self.specs[parent].kind == UnitKind.DISTRICT:
            district = self.specs[parent].name.removeprefix("Đảng bộ ")
            level, _sep, place = district.partition(" ")
            if level == "huyện":
                return f"Ban Thường vụ Huyện ủy {place}", "QĐ/HU"
            if level == "thị":
                return f"Ban Thường vụ Thị ủy {place.removeprefix('xã ')}", "QĐ/TU"
            return f"Ban Thường vụ Thành ủy {place.removeprefix('phố ')}", "QĐ/TU"
        return spec.name.replace("Đảng bộ", "Đảng ủy", 1), "QĐ/ĐU"

    def decision_number(self, issuer: str, suffix: str, day: dt.date) -> str:
        self.decision_counters[(issuer, day.year)] += 1
        return f"{self.decision_counters[(issuer, day.year)]:02d}-{suffix}"

    # --- planning ---------------------------------------------------------------------------

    def plan(self) -> list[Plan]:
        rng = self.rng
        key = 0
        plans: list[Plan] = []
        cells = self.cells()
        by_province: dict[str, list[UnitSpec]] = defaultdict(list)
        for c in cells:
            by_province[self.province_of(c.code)].append(c)
        for c in cells:
            for _ in range(c.members):
                key += 1
                plans.append(Plan(key=key, cell=c.code, final=c.code))
            extra = (REMOVED_PER_MILLE + DECEASED_PER_MILLE) * c.members
            count = extra // 1000 + (1 if rng.randrange(1000) < extra % 1000 else 0)
            for i in range(count):
                key += 1
                fate = (
                    "removed"
                    if rng.randrange(REMOVED_PER_MILLE + DECEASED_PER_MILLE) < REMOVED_PER_MILLE
                    else "deceased"
                )
                plans.append(Plan(key=key, cell=c.code, final=c.code, fate=fate))
                del i
        # Some active members came from another cell of the same province.
        for p in plans:
            if p.fate == "active" and rng.randrange(1000) < TRANSFER_PER_MILLE:
                peers = [c for c in by_province[self.province_of(p.final)] if c.code != p.final]
                same = [c for c in peers if c.subtype == self.specs[p.final].subtype]
                p.cell = rng.choice(same or peers).code
        self._pin_admissions(plans)
        for p in plans:
            self._plan_person(p)
            self._plan_dates(p)
        self._plan_religion(plans)
        self.plans = plans
        return plans

    def _pin_admissions(self, plans: list[Plan]) -> None:
        """Fix the admission dates the articles' figures are counted from."""
        rng = self.rng
        today = self.today
        # Mường Hum: 14 admitted from the end of 2020, the last few still probationary.
        muong_hum = [
            p
            for p in plans
            if self.within(p.cell, data.MUONG_HUM_CODE) and p.fate == "active" and p.cell == p.final
        ]
        chosen = rng.sample(muong_hum, data.MUONG_HUM_RECENT_ADMISSIONS)
        recent_lo = today - dt.timedelta(days=330)
        for i, p in enumerate(chosen):
            if i < 3:
                p.decision = self._uniform(recent_lo, today - dt.timedelta(days=45))
                p.via_candidate = i == 0
            else:
                p.decision = self._uniform(
                    data.MUONG_HUM_RECENT_FROM, recent_lo - dt.timedelta(days=60)
                )
            p.pinned = True
        # The bloc: 338 admitted from 1 October 2020 to 2 June 2023.
        bloc = [p for p in plans if self.within(p.cell, data.BLOC_CODE) and p.fate == "active"]
        lo, hi = data.BLOC_WINDOW
        for p in rng.sample(bloc, data.BLOC_WINDOW_ADMISSIONS):
            p.decision = self._uniform(lo, hi)
            p.pinned = True

    def _uniform(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=self.rng.randint(0, max(0, (hi - lo).days)))

    def _forbidden(self, p: Plan, day: dt.date) -> bool:
        """An unpinned admission may not fall in a window whose count the articles fix."""
        if self.within(p.cell, data.MUONG_HUM_CODE) and day >= data.MUONG_HUM_RECENT_FROM:
            return True
        lo, hi = data.BLOC_WINDOW
        return self.within(p.cell, data.BLOC_CODE) and lo <= day <= hi

    def _plan_person(self, p: Plan) -> None:
        rng = self.rng
        subtype = self.specs[p.final].subtype
        ethnic = self._weighted(data.ETHNIC_MIXES[self.mix_of(p.final)])
        p.ethnicity = ETHNICITY_BY_NAME[fold(ethnic)]
        p.gender = (
            Gender.FEMALE
            if rng.randrange(100) < data.FEMALE_SHARE.get(subtype, 35)
            else Gender.MALE
        )
        p.full_name = self._name(ethnic, p.gender)
        p.occupation = rng.choice(data.OCCUPATIONS.get(subtype, ("Nông dân",)))
        if subtype in (CellSubtype.AGENCY, CellSubtype.ENTERPRISE):
            p.general_education = "upper_secondary"
            p.professional_education = self._weighted(
                [("university", 70), ("master", 18), ("college", 10), ("doctor", 2)]
            )
            p.theory_level = self._weighted(
                [("elementary", 35), ("intermediate", 48), ("advanced", 15), ("bachelor", 2)]
            )
        elif subtype in STAFF_SUBTYPES:
            p.general_education = "upper_secondary"
            p.professional_education = self._weighted(
                [("college", 35), ("university", 55), ("vocational", 6), ("master", 4)]
            )
            p.theory_level = self._weighted(
                [("elementary", 62), ("intermediate", 35), ("advanced", 3)]
            )
        else:
            p.general_education = self._weighted(
                [("lower_secondary", 48), ("upper_secondary", 37), ("primary", 15)]
            )
            p.professional_education = self._weighted(
                [("none", 68), ("vocational", 20), ("college", 7), ("university", 5)]
            )
            p.theory_level = self._weighted([("elementary", 84), ("none", 10), ("intermediate", 6)])

    def _weighted(self, options: list[tuple[str, int]]) -> str:
        names, weights = zip(*options, strict=True)
        return self.rng.choices(names, weights=weights)[0]

    def _name(self, ethnic: str, gender: str) -> str:
        pool = data.NAME_POOLS.get(ethnic, data.NAME_POOLS["Kinh"])
        rng = self.rng
        name = ""
        for _attempt in range(12):
            middle = rng.choice(pool.middle_female if gender == Gender.FEMALE else pool.middle_male)
            given = rng.choice(pool.given_female if gender == Gender.FEMALE else pool.given_male)
            name = " ".join(part for part in (rng.choice(pool.family), middle, given) if part)
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def _plan_dates(self, p: Plan) -> None:
        rng, today = self.rng, self.today
        staff = self.specs[p.final].subtype in STAFF_SUBTYPES
        span_years = 34 if staff else 38
        # More admissions in recent years, less so in the bloc, whose recent years are pinned.
        skew = 1.0 if self.within(p.cell, data.BLOC_CODE) else 1.35
        latest = today - dt.timedelta(days=45)
        if p.decision is None:
            for _attempt in range(200):
                back = int(span_years * 365 * (rng.random() ** skew))
                day = latest - dt.timedelta(days=back)
                if not self._forbidden(p, day):
                    break
            p.decision = day
            if p.fate != "active" and p.decision > today - dt.timedelta(days=800):
                # A removed or deceased member needs room for a history before the end.
                p.decision = today - dt.timedelta(days=800 + rng.randint(0, 3000))
                while self._forbidden(p, p.decision):
                    p.decision -= dt.timedelta(days=400)
        p.ceremony = add_working_days(p.decision, rng.randint(4, 24))
        # Age at the decision: staff join after their studies; nobody is over 60 in a staff cell
        # today.
        years_since = (today - p.decision).days / 365.25
        if staff:
            age = 23 + int((rng.random() ** 1.7) * 20)
            age = max(18, min(age, int(59 - years_since)))
        else:
            age = 20 + int((rng.random() ** 1.5) * 38)
            age = max(18, min(age, 60, int(86 - years_since)))
        birth = p.decision - dt.timedelta(days=int(age * 365.25) + rng.randint(20, 330))
        if not 18 <= age_on(birth, p.decision) <= 60:
            birth = dt.date(p.decision.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        p.birth_date = birth

        probation_end = add_months(p.ceremony, 12)
        if p.fate == "removed" and rng.random() < 0.5:
            # A probationary member who did not pass: removed instead of recognized.
            p.end = probation_end + dt.timedelta(days=rng.randint(10, 40))
            return
        late = rng.random() < 0.04
        recognized = probation_end + dt.timedelta(
            days=rng.randint(60, 120) if late else rng.randint(5, 40)
        )
        if recognized > today - dt.timedelta(days=2):
            # Still probationary, recognition not yet decided: no room for a transfer either.
            self._cancel_transfer(p)
            return
        p.recognized = recognized
        if p.fate != "active":
            # Inactive members were admitted at least 800 days ago: there is room for the end.
            p.end = self._uniform(
                recognized + dt.timedelta(days=200), today - dt.timedelta(days=10)
            )
            if self._quiet(p.end):
                before = REFORM_QUIET[0] - dt.timedelta(days=1)
                p.end = before if before > recognized else REFORM_QUIET[1] + dt.timedelta(days=1)
            return
        last = recognized
        if p.cell != p.final:
            lo = recognized + dt.timedelta(days=60)
            hi = today - dt.timedelta(days=40)
            out = self._uniform(lo, hi) if lo < hi else None
            if out is None or self._quiet(out) or self._quiet(out + dt.timedelta(days=30)):
                if self._cancel_transfer(p):
                    return
            else:
                p.transfer_out = out
                p.transfer_in = out + dt.timedelta(days=rng.randint(3, 25))
                last = p.transfer_in
        if rng.randrange(1000) < DISCIPLINE_PER_MILLE:
            lo = last + dt.timedelta(days=120)
            hi = today - dt.timedelta(days=10)
            if lo < hi:
                day = self._uniform(lo, hi)
                if not self._quiet(day):
                    level = (
                        DisciplineLevel.REPRIMAND if rng.random() < 0.7 else DisciplineLevel.WARNING
                    )
                    p.discipline = (day, level)

    def _cancel_transfer(self, p: Plan) -> bool:
        """No room for the planned transfer: the member was admitted where they are. Returns
        True when the admission had to be planned again (its date fell in a counted window)."""
        if p.cell == p.final:
            return False
        p.cell = p.final
        if self._forbidden(p, p.decision) and not p.pinned:
            self._replan_admission(p)
            return True
        return False

    def _replan_admission(self, p: Plan) -> None:
        p.decision = None
        p.ceremony = p.recognized = p.transfer_out = p.transfer_in = None
        self._plan_dates(p)

    def _quiet(self, day: dt.date) -> bool:
        return REFORM_QUIET[0] <= day <= REFORM_QUIET[1]

    def _plan_religion(self, plans: list[Plan]) -> None:
        rng = self.rng
        khanh_hoi = [
            p for p in plans if self.within(p.final, data.KHANH_HOI_CODE) and p.fate == "active"
        ]
        for i, p in enumerate(rng.sample(khanh_hoi, data.KHANH_HOI_RELIGIOUS)):
            p.religion = Religion.CATHOLIC if i < 45 else Religion.BUDDHISM
        for p in plans:
            if p.fate != "active" or self.within(p.final, data.KHANH_HOI_CODE):
                continue
            province = self.province_of(p.final)
            if province == "NBI" and rng.random() < 0.03:
                p.religion = Religion.CATHOLIC
            elif province == "QNI" and rng.random() < 0.04:
                p.religion = Religion.BUDDHISM

    # --- loading ----------------------------------------------------------------------------

    @transaction.atomic
    def load(self) -> Summary:
        """Create the logins, the tree, the members' histories, the reorganizations, the
        committees and the candidates. One transaction: all or nothing."""
        self.actor = self._create_logins()
        self._create_units()
        if not self.plans:
            self.plan()
        steps: list[tuple[dt.date, int, int, Callable[[], None]]] = []
        seq = 0

        def add(day: dt.date, priority: int, step: Callable[[], None]) -> None:
            nonlocal seq
            seq += 1
            steps.append((day, priority, seq, step))

        for p in self.plans:
            self._schedule(p, add)
        add(data.REFORM_DATE, 0, self._reorganize)
        steps.sort(key=lambda s: (s[0], s[1], s[2]))
        self.log(f"Replaying {len(steps)} steps through the services…")
        with rollup_paused():
            for _day, _priority, _seq, step in steps:
                step()
        self._committees()
        self._candidates()
        self._grant_roles()
        return self.summary()

    def _schedule(self, p: Plan, add) -> None:
        add(p.decision, 1, lambda: self._admit(p))
        if p.recognized:
            add(p.recognized, 1, lambda: self._recognize(p))
        if p.transfer_out:
            add(p.transfer_out, 1, lambda: self._transfer(p))
            add(
                p.transfer_in,
                1,
                lambda: member_services.member_transfer_in(
                    actor=self.actor, member=self.members[p.key], date=p.transfer_in
                ),
            )
        if p.discipline:
            add(p.discipline[0], 1, lambda: self._discipline(p))
        if p.end:
            add(p.end, 1, lambda: self._end(p))

    def _admit(self, p: Plan) -> None:
        issuer, suffix = self.authority(p.cell, p.decision)
        fields = {
            "full_name": p.full_name,
            "gender": p.gender,
            "birth_date": p.birth_date,
            "ethnicity": p.ethnicity,
            "religion": p.religion,
            "occupation": p.occupation,
        }
        kwargs = {
            "decision_date": p.decision,
            "ceremony_date": p.ceremony,
            "decision_number": self.decision_number(issuer, suffix, p.decision),
            "issuer": issuer,
        }
        if p.via_candidate:
            candidate = self._candidate_through_vote(p, fields)
            member = member_services.candidate_admit(
                actor=self.actor, candidate=candidate, **kwargs
            )
            member_services.member_update(
                actor=self.actor,
                member=member,
                general_education=p.general_education,
                professional_education=p.professional_education,
                theory_level=p.theory_level,
            )
        else:
            member = member_services.member_admit(
                actor=self.actor,
                unit=self.units[p.cell],
                general_education=p.general_education,
                professional_education=p.professional_education,
                theory_level=p.theory_level,
                **fields,
                **kwargs,
            )
        self.members[p.key] = member

    def _candidate_through_vote(self, p: Plan, fields: dict) -> object:
        """A recent admission that went through the whole pipeline, so the board shows one."""
        cell = self.units[p.cell]
        start = p.decision - dt.timedelta(days=200)
        candidate = member_services.candidate_propose(
            actor=self.actor,
            unit=cell,
            proposed_by=ProposedBy.YOUTH_UNION,
            proposed_on=start,
            **{
                k: fields[k]
                for k in (
                    "full_name",
                    "gender",
                    "birth_date",
                    "ethnicity",
                    "religion",
                    "occupation",
                )
            },
        )
        introducers = self._introducers(cell, start + dt.timedelta(days=100))
        for stage, offset in (
            (CandidateStage.COURSE_COMPLETED, 40),
            (CandidateStage.APPLICATION_FILED, 80),
            (CandidateStage.INTRODUCERS_ASSIGNED, 100),
            (CandidateStage.CELL_VOTED, 150),
        ):
            extra = {}
            if stage == CandidateStage.INTRODUCERS_ASSIGNED:
                extra = {"introducer_1": introducers[0], "introducer_2": introducers[1]}
            elif stage == CandidateStage.CELL_VOTED:
                official = Member.objects.filter(unit=cell, status=MemberStatus.OFFICIAL).count()
                extra = {"votes_total": official, "votes_for": official}
            member_services.candidate_advance(
                actor=self.actor,
                candidate=candidate,
                stage=stage,
                date=start + dt.timedelta(days=offset),
                **extra,
            )
        return candidate

    def _introducers(self, cell: Unit, day: dt.date) -> list[Member]:
        officials = list(
            Member.objects.filter(
                unit=cell, status=MemberStatus.OFFICIAL, official_date__lte=day
            ).order_by("id")[:2]
        )
        if len(officials) < 2:
            raise RuntimeError(f"{cell} has no two official members to introduce a candidate.")
        return officials

    def _recognize(self, p: Plan) -> None:
        member = self.members[p.key]
        issuer, suffix = self.authority(p.cell, p.recognized)
        end = add_months(p.ceremony, 12)
        vote_on = end + (p.recognized - end) / 2
        # Every official member of the cell on the vote date agrees; a cell whose members of the
        # time are not in the demo has no vote on record.
        official = official_members_on(member.unit, vote_on)
        vote = (
            {"cell_vote_date": vote_on, "votes_for": official, "votes_total": official}
            if official
            else {}
        )
        member_services.member_recognize(
            actor=self.actor,
            member=member,
            decision_date=p.recognized,
            decision_number=self.decision_number(issuer, suffix, p.recognized),
            issuer=issuer,
            **vote,
        )

    def _transfer(self, p: Plan) -> None:
        member = self.members[p.key]
        issuer, suffix = self.authority(p.cell, p.transfer_out)
        member_services.member_transfer_out(
            actor=self.actor,
            member=member,
            to_unit=self.units[p.final],
            date=p.transfer_out,
            decision_number=self.decision_number(issuer, suffix, p.transfer_out),
            issuer=issuer,
            reason="Chuyển công tác",
        )

    def _discipline(self, p: Plan) -> None:
        day, level = p.discipline
        cell = self.specs[p.final]
        reasons = [
            "Vi phạm quy định về sinh hoạt đảng",
            "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao",
            "Vi phạm quy định về những điều đảng viên không được làm",
        ]
        member_services.member_discipline(
            actor=self.actor,
            member=self.members[p.key],
            level=level,
            date=day,
            decision_number=self.decision_number(cell.name, "QĐ/CB", day),
            issuer=cell.name,
            reason=self.rng.choice(reasons),
        )

    def _end(self, p: Plan) -> None:
        member = self.members[p.key]
        if p.fate == "deceased":
            member_services.member_death(actor=self.actor, member=member, date=p.end)
            return
        issuer, suffix = self.authority(p.final, p.end)
        reason = (
            "Không đủ tư cách đảng viên chính thức khi hết thời gian dự bị"
            if p.recognized is None
            else "Bỏ sinh hoạt đảng ba tháng trong năm không có lý do chính đáng"
        )
        member_services.member_remove(
            actor=self.actor,
            member=member,
            date=p.end,
            reason=reason,
            decision_number=self.decision_number(issuer, suffix, p.end),
            issuer=issuer,
        )

    # --- the tree and its reorganizations ---------------------------------------------------

    def _create_units(self) -> None:
        for spec, parent in data.walk(data.ROOT):
            self.units[spec.code] = org_services.unit_create(
                actor=self.actor,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                valid_from=spec.valid_from,
                parent=self.units[parent.code] if parent else None,
                cell_subtype=spec.subtype,
                address=spec.address,
            )

    def _reorganize(self) -> None:
        """1 July 2025: the three Ninh Bình communes merge into Đồng Thái; every district-level
        committee closes after its grassroots organizations move under the province."""
        refresh_statistics()
        number, issuer = data.MERGE_DECISION
        reorganization_services.unit_merge(
            actor=self.actor,
            sources=[self.units[c] for c in data.MERGED_INTO_DONG_THAI],
            effective_date=data.REFORM_DATE,
            decision_number=number,
            decision_date=data.REFORM_DECISION_DATE,
            issuer=issuer,
            new_code=data.DONG_THAI_CODE,
            new_name=data.DONG_THAI_NAME,
            new_parent=self.units["NBI"],
            new_kind=UnitKind.GRASSROOTS,
            note="Sắp xếp đơn vị hành chính cấp xã",
        )
        self.units[data.DONG_THAI_CODE] = Unit.objects.get(code=data.DONG_THAI_CODE)
        self._refresh_units()
        for district_code, number, issuer in data.DISTRICTS_ABOLISHED:
            district = self.units[district_code]
            province = self.units[self.parent_of[district_code]]
            for child in Unit.objects.filter(parent=district, valid_to__isnull=True).order_by(
                "code"
            ):
                reorganization_services.unit_move(
                    actor=self.actor,
                    unit=child,
                    new_parent=province,
                    effective_date=data.REFORM_DATE,
                    decision_number=number,
                    decision_date=data.REFORM_DECISION_DATE,
                    issuer=issuer,
                )
            self._refresh_units()
            reorganization_services.unit_dissolve(
                actor=self.actor,
                unit=self.units[district_code],
                effective_date=data.REFORM_DATE,
                decision_number=number,
                decision_date=data.REFORM_DECISION_DATE,
                issuer=issuer,
            )
        self._refresh_units()
        # Members' cached units predate the moves: reload them so later transfers see today's tree.
        fresh = Member.objects.in_bulk([m.pk for m in self.members.values()])
        self.members = {key: fresh[m.pk] for key, m in self.members.items()}

    def _refresh_units(self) -> None:
        """The services changed paths and closing dates in the database: bring the cached
        instances (shared with the members' `unit`) up to date in place."""
        fresh = Unit.objects.in_bulk([u.pk for u in self.units.values()])
        for unit in self.units.values():
            row = fresh[unit.pk]
            for name in ("parent_id", "path", "depth", "valid_to", "name", "name_folded"):
                setattr(unit, name, getattr(row, name))
            if unit.parent_id and "parent" in unit._state.fields_cache:
                del unit._state.fields_cache["parent"]

    # --- committees and candidates ----------------------------------------------------------

    def _committees(self) -> None:
        """Si Ma Cai's district committee of 2020–2025 with its sizes, and Mường Hum's
        executive committee with seats held by its members."""
        term = committee_services.term_get_or_create(start_year=2020, end_year=2025)
        committee_create = committee_services.committee_create
        seat_add = committee_services.seat_add
        si_ma_cai = self.units["LCA-SMC"]
        committee_create(
            actor=self.actor,
            unit=si_ma_cai,
            term=term,
            kind="executive",
            elected_size=37,
            approved_next_size=39,
            elected_on=dt.date(2020, 7, 24),
        )
        committee_create(
            actor=self.actor,
            unit=si_ma_cai,
            term=term,
            kind="standing",
            elected_size=11,
            approved_next_size=13,
            elected_on=dt.date(2020, 7, 24),
        )
        muong_hum = self.units[data.MUONG_HUM_CODE]
        executive = committee_create(
            actor=self.actor,
            unit=muong_hum,
            term=term,
            kind="executive",
            elected_size=13,
            elected_on=dt.date(2020, 6, 12),
        )
        officials = list(
            Member.objects.filter(
                unit__path__startswith=muong_hum.path,
                status=MemberStatus.OFFICIAL,
                official_date__lt=dt.date(2020, 1, 1),
            ).order_by("admission_decision_date", "id")[:7]
        )
        positions = [
            "secretary",
            "standing_deputy",
            "deputy",
            "member",
            "member",
            "member",
            "member",
        ]
        for member, position in zip(officials, positions, strict=False):
            seat_add(
                actor=self.actor,
                committee=executive,
                member=member,
                position=position,
                from_date=dt.date(2020, 6, 12),
            )

    def _candidates(self) -> None:
        """A handful of people in Mường Hum's pipeline, at every stage before admission."""
        cells = [self.units[f"{data.MUONG_HUM_CODE}-{i:02d}"] for i in (1, 2, 3, 6, 8)]
        stages = [
            CandidateStage.PROPOSED,
            CandidateStage.COURSE_COMPLETED,
            CandidateStage.APPLICATION_FILED,
            CandidateStage.INTRODUCERS_ASSIGNED,
            CandidateStage.CELL_VOTED,
            CandidateStage.PROPOSED,
        ]
        by = [
            ProposedBy.YOUTH_UNION,
            ProposedBy.WOMEN_UNION,
            ProposedBy.CELL,
            ProposedBy.YOUTH_UNION,
            ProposedBy.FARMERS_UNION,
            ProposedBy.VETERANS,
        ]
        order = [
            CandidateStage.COURSE_COMPLETED,
            CandidateStage.APPLICATION_FILED,
            CandidateStage.INTRODUCERS_ASSIGNED,
            CandidateStage.CELL_VOTED,
        ]
        for i, (stage, proposed_by) in enumerate(zip(stages, by, strict=True)):
            cell = cells[i % len(cells)]
            spec = self.specs[cell.code]
            gender = (
                Gender.FEMALE
                if proposed_by == ProposedBy.WOMEN_UNION or i % 3 == 1
                else Gender.MALE
            )
            ethnic = self._weighted(data.ETHNIC_MIXES[self.mix_of(cell.code)])
            start = self.today - dt.timedelta(days=150 - i * 8)
            candidate = member_services.candidate_propose(
                actor=self.actor,
                unit=cell,
                full_name=self._name(ethnic, gender),
                gender=gender,
                birth_date=dt.date(self.today.year - 22 - i * 2, 1 + i, 10 + i),
                ethnicity=ETHNICITY_BY_NAME[fold(ethnic)],
                proposed_by=proposed_by,
                proposed_on=start,
                occupation=self.rng.choice(data.OCCUPATIONS.get(spec.subtype, ("Nông dân",))),
            )
            for step, next_stage in enumerate(
                order[: order.index(stage) + 1] if stage in order else [], start=1
            ):
                extra = {}
                if next_stage == CandidateStage.INTRODUCERS_ASSIGNED:
                    first, second = self._introducers(cell, self.today)
                    extra = {"introducer_1": first, "introducer_2": second}
                elif next_stage == CandidateStage.CELL_VOTED:
                    official = Member.objects.filter(
                        unit=cell, status=MemberStatus.OFFICIAL
                    ).count()
                    extra = {"votes_total": official, "votes_for": official - 1}
                member_services.candidate_advance(
                    actor=self.actor,
                    candidate=candidate,
                    stage=next_stage,
                    date=start + dt.timedelta(days=25 * step),
                    **extra,
                )

    # --- logins -----------------------------------------------------------------------------

    def _create_logins(self) -> User:
        users: dict[str, User] = {}
        for login in LOGINS:
            if login.username in users:
                continue
            if login.role == "superuser":
                user = User.objects.create_superuser(
                    username=login.username,
                    email=f"{login.username}@example.org",
                    password=data.DEMO_PASSWORD,
                )
            else:
                user = User.objects.create_user(
                    username=login.username,
                    email=f"{login.username}@example.org",
                    password=data.DEMO_PASSWORD,
                )
            user.full_name = login.full_name
            user.save(update_fields=["full_name"])
            users[login.username] = user
        self._users = users
        return users["admin"]

    def _grant_roles(self) -> None:
        with acting_as(self.actor):
            for login in LOGINS:
                if login.unit_code:
                    RoleAssignment.objects.create(
                        user=self._users[login.username],
                        unit=self.units[login.unit_code],
                        role=login.role,
                    )

    # --- the outcome ------------------------------------------------------------------------

    def summary(self) -> Summary:
        return build_summary()


def refresh_statistics() -> None:
    """ANALYZE on PostgreSQL. The tables were empty (or analyzed empty) when the load began; the
    planner then believes they still are and plans the reorganizations' subtree updates as nested
    scans that take seconds each."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build_summary() -> Summary:
    """Counts of what the database holds, for the command's report."""
    from grassroots.committees.models import Committee
    from grassroots.members.models import Candidate

    members = Member.objects.all()
    return Summary(
        units=Unit.objects.count(),
        units_open=Unit.objects.filter(valid_to__isnull=True).count(),
        members_active=members.filter(
            status__in=[MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL]
        ).count(),
        members_probationary=members.filter(status=MemberStatus.PROBATIONARY).count(),
        members_inactive=members.exclude(
            status__in=[MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL]
        ).count(),
        events=_event_counts(),
        reorganizations=Reorganization.objects.count(),
        candidates=Candidate.objects.count(),
        committees=Committee.objects.count(),
    )


def _event_counts() -> Counter:
    from django.db.models import Count

    rows = MemberEvent.objects.values("kind").annotate(n=Count("id")).order_by()
    return Counter({EventKind(row["kind"]).label: row["n"] for row in rows})
