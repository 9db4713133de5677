"""The rules of a rule set as plain functions over plain data: what a member's or a
collective's year (the facts read from the records) and its task results (entered with a
self-review, a proposal or a decision) give under the values of a rule set.

Each rule has a code, recorded with its finding on the classification and named by its test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import DisciplineRule, Judging, Level, NotReviewed, at_most

# Rule codes (each has a test named after it).
NOT_REVIEWED_EXEMPTED = "not_reviewed_exempted"
NOT_REVIEWED_SUSPENDED = "not_reviewed_suspended"
NOT_REVIEWED_NEW_MEMBER = "not_reviewed_new_member"
DISCIPLINE_FAILS = "discipline_in_period_fails"
DISCIPLINE_CAPS = "discipline_in_period_caps_completed"
DISCIPLINE_SELF_DETECTED = "discipline_self_detected_and_remedied"
SICK_LEAVE_CAP = "sick_leave_caps_below_well"
MATERNITY_TIME_WORKED = "maternity_leave_judged_on_time_worked"
POINTS_EXCELLENT = "points_band_excellent"
POINTS_EXCELLENT_CONDITIONS = "points_excellent_conditions_not_met"
POINTS_WELL = "points_band_well"
POINTS_COMPLETED = "points_band_completed"
POINTS_NOT_COMPLETED = "points_band_not_completed"
GRADES_EXCELLENT_TARGETS = "grades_excellent_needs_targets_exceeded"
COLLECTIVE_NO_DISCIPLINE = "collective_excellent_needs_no_discipline"
COLLECTIVE_MEMBERS_COMPLETED = "collective_excellent_needs_members_completed"
COLLECTIVE_WEAK_CRITERION = "collective_weak_criterion_fails"
COLLECTIVE_TARGETS = "collective_targets_below_minimum_fail"
COLLECTIVE_LEADERSHIP = "collective_leadership_disciplined_fails"
COLLECTIVE_SUBORDINATES = "collective_disciplined_subordinates_fail"
NOT_COMPLETED_TWICE = "not_completed_two_years_running_flag"
QUARTERS_FEED_THE_YEAR = "quarters_feed_the_year"

DAYS_PER_MONTH = 30  # "3 months of sick leave": 90 days or more in the year


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


@dataclass(frozen=True)
class Rules:
    """The values of a rule set (a review's copy of them)."""

    code: str
    judging: str
    excellent_min_points: Decimal | None = None
    well_min_points: Decimal | None = None
    completed_min_points: Decimal | None = None
    excellent_min_exceeded_pct: Decimal | None = None
    completed_max_late_pct: Decimal | None = None
    excellent_needs_remedied: bool = False
    collective_excellent_needs_no_discipline: bool = False
    collective_excellent_needs_members_completed: bool = False
    collective_weak_criterion_fails: bool = False
    collective_min_targets_pct: Decimal | None = None
    collective_leadership_discipline_fails: bool = False
    collective_max_disciplined_subordinates_pct: Decimal | None = None
    discipline_rule: str = DisciplineRule.FAILS
    discipline_self_detected_exception: bool = False
    exempted_not_reviewed: bool = True
    suspended_not_reviewed: bool = True
    new_member_months: int = 6
    sick_leave_cap_months: int | None = None
    maternity_on_time_worked: bool = True
    not_completed_twice_flag: bool = True
    quota_rate_pct: Decimal | None = None
    quota_base: str = "well"
    quota_member_scope: str = "grassroots"
    quota_collective_scope: str = "peer_group"
    quota_exception_allowed: bool = True

    @classmethod
    def from_dict(cls, values: dict) -> Rules:
        data = {}
        for name, f in cls.__dataclass_fields__.items():
            if name not in values:
                continue
            value = values[name]
            if "Decimal" in str(f.type):
                value = _dec(value)
            data[name] = value
        return cls(**data)


@dataclass
class Facts:
    """What the records say about a member's or a collective's year."""

    collective: bool = False
    review_date: dt.date | None = None
    admitted_on: dt.date | None = None
    exempted: bool = False
    suspended: bool = False
    sick_leave_days: int = 0
    maternity_days: int = 0
    disciplines: list[dict] = field(default_factory=list)
    leadership_disciplined: list[str] = field(default_factory=list)
    subordinates: int = 0
    subordinates_disciplined: int = 0
    members_not_completed: int = 0
    months_assessed: int | None = None
    monthly_average: Decimal | None = None
    months_band: str = ""
    # The year's quarterly results ({"1": level, …}), read by the year-end review.
    quarters: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            out[name] = value
        return out


@dataclass
class Inputs:
    """Task results entered with a step. Left empty (None), a condition is not held against
    the subject: the records say nothing of it."""

    level: str = ""
    points: Decimal | None = None
    on_time: bool | None = None
    all_done: bool | None = None
    exceeded_pct: Decimal | None = None
    late_pct: Decimal | None = None
    remedied: bool | None = None
    weak_criterion: bool = False
    targets_met_pct: Decimal | None = None
    main_targets_missed: bool = False
    self_detected: bool = False

    @classmethod
    def from_dict(cls, values: dict | None) -> Inputs:
        values = values or {}
        out = cls()
        for name in cls.__dataclass_fields__:
            if name in values and values[name] is not None and values[name] != "":
                value = values[name]
                if name in ("points", "exceeded_pct", "late_pct", "targets_met_pct"):
                    value = _dec(value)
                setattr(out, name, value)
        return out

    def as_dict(self) -> dict:
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is None or value == "" or value is False:
                continue
            out[name] = str(value) if isinstance(value, Decimal) else value
        return out


@dataclass
class Finding:
    rule: str
    text: str
    level: str = ""  # the cap or the level it sets, if any

    def as_dict(self) -> dict:
        return {"rule": self.rule, "text": self.text, "level": self.level}


@dataclass
class Outcome:
    not_reviewed: str = ""
    cap: str | None = None
    fails: bool = False
    level: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def rule_codes(self) -> list[str]:
        return [f.rule for f in self.findings]


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    import calendar

    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _not_reviewed(rules: Rules, facts: Facts, out: Outcome) -> bool:
    if facts.collective:
        return False
    if rules.exempted_not_reviewed and facts.exempted:
        out.not_reviewed = NotReviewed.EXEMPTED
        out.findings.append(
            Finding(
                NOT_REVIEWED_EXEMPTED, _("Exempted from party work and activities: not reviewed.")
            )
        )
        return True
    if rules.suspended_not_reviewed and facts.suspended:
        out.not_reviewed = NotReviewed.SUSPENDED
        out.findings.append(
            Finding(NOT_REVIEWED_SUSPENDED, _("Suspended from party activities: not reviewed."))
        )
        return True
    if rules.new_member_months and facts.admitted_on and facts.review_date:
        limit = _months_before(facts.review_date, rules.new_member_months)
        if facts.admitted_on > limit:
            out.not_reviewed = NotReviewed.NEW_MEMBER
            out.findings.append(
                Finding(
                    NOT_REVIEWED_NEW_MEMBER,
                    _(
                        "Admitted on %(date)s, less than %(n)d months before the review: "
                        "not reviewed."
                    )
                    % {
                        "date": facts.admitted_on.strftime("%d/%m/%Y"),
                        "n": rules.new_member_months,
                    },
                )
            )
            return True
    return False


def _cap(out: Outcome, level: str, finding: Finding) -> None:
    out.cap = at_most(out.cap, level) if out.cap else level
    finding.level = level
    out.findings.append(finding)


def _fail(out: Outcome, finding: Finding) -> None:
    out.fails = True
    finding.level = Level.NOT_COMPLETED
    out.findings.append(finding)


def _record_rules(rules: Rules, facts: Facts, inputs: Inputs, out: Outcome) -> None:
    """The rules that read the records (and the self-detection a step may state)."""
    if facts.disciplines:
        if rules.discipline_self_detected_exception and inputs.self_detected:
            out.findings.append(
                Finding(
                    DISCIPLINE_SELF_DETECTED,
                    _("Disciplined in the period for a violation the member found and remedied."),
                )
            )
        elif rules.discipline_rule == DisciplineRule.FAILS:
            _fail(out, Finding(DISCIPLINE_FAILS, _("Disciplined in the period.")))
        else:
            _cap(out, Level.COMPLETED, Finding(DISCIPLINE_CAPS, _("Disciplined in the period.")))
    if not facts.collective:
        months = rules.sick_leave_cap_months
        if months and facts.sick_leave_days >= months * DAYS_PER_MONTH:
            _cap(
                out,
                Level.COMPLETED,
                Finding(
                    SICK_LEAVE_CAP,
                    _("Sick leave of %(days)d days (%(n)d months or more): below “well”.")
                    % {"days": facts.sick_leave_days, "n": months},
                ),
            )
        if rules.maternity_on_time_worked and facts.maternity_days:
            out.findings.append(
                Finding(
                    MATERNITY_TIME_WORKED,
                    _("Maternity leave of %(days)d days: judged on the time worked.")
                    % {"days": facts.maternity_days},
                )
            )
        return
    if facts.leadership_disciplined and rules.collective_leadership_discipline_fails:
        _fail(
            out,
            Finding(
                COLLECTIVE_LEADERSHIP,
                _("Its leadership was disciplined in the period: %(names)s.")
                % {"names": ", ".join(facts.leadership_disciplined)},
            ),
        )
    limit = rules.collective_max_disciplined_subordinates_pct
    if limit is not None and facts.subordinates:
        share = Decimal(facts.subordinates_disciplined * 100) / facts.subordinates
        if share > limit:
            _fail(
                out,
                Finding(
                    COLLECTIVE_SUBORDINATES,
                    _("%(n)d of %(total)d subordinate units disciplined (more than %(pct)s%%).")
                    % {
                        "n": facts.subordinates_disciplined,
                        "total": facts.subordinates,
                        "pct": limit,
                    },
                ),
            )
    if rules.collective_excellent_needs_no_discipline and (
        facts.leadership_disciplined or facts.subordinates_disciplined
    ):
        _cap(
            out,
            Level.WELL,
            Finding(
                COLLECTIVE_NO_DISCIPLINE,
                _(
                    "A member of its leadership or a subordinate unit was disciplined in "
                    "the period."
                ),
            ),
        )
    if rules.collective_excellent_needs_members_completed and facts.members_not_completed:
        _cap(
            out,
            Level.WELL,
            Finding(
                COLLECTIVE_MEMBERS_COMPLETED,
                _("%(n)d of its members did not complete their tasks.")
                % {"n": facts.members_not_completed},
            ),
        )
    if rules.collective_weak_criterion_fails and inputs.weak_criterion:
        _fail(out, Finding(COLLECTIVE_WEAK_CRITERION, _("A criterion was graded weak.")))
    minimum = rules.collective_min_targets_pct
    if (
        minimum is not None
        and inputs.targets_met_pct is not None
        and inputs.targets_met_pct < minimum
        and inputs.main_targets_missed
    ):
        _fail(
            out,
            Finding(
                COLLECTIVE_TARGETS,
                _("%(pct)s%% of its targets met, the main ones missed.")
                % {"pct": inputs.targets_met_pct},
            ),
        )


def _holds(value: bool | None) -> bool:
    return value is None or bool(value)


def points_level(rules: Rules, points: Decimal, inputs: Inputs, out: Outcome) -> str:
    """The band of a points-based set (366): ≥ 90 with the task conditions, 70–< 90 with every
    task on time, 50–< 70 with every task done and no more than 20% late, else below."""
    exc, well, comp = rules.excellent_min_points, rules.well_min_points, rules.completed_min_points
    if exc is not None and points >= exc:
        missing = []
        if not _holds(inputs.on_time):
            missing.append(_("not every task on time with quality"))
        if rules.excellent_min_exceeded_pct is not None and (
            inputs.exceeded_pct is not None
            and inputs.exceeded_pct < rules.excellent_min_exceeded_pct
        ):
            missing.append(
                _("fewer than %(pct)s%% of tasks beyond the requirement")
                % {"pct": rules.excellent_min_exceeded_pct}
            )
        if rules.excellent_needs_remedied and not _holds(inputs.remedied):
            missing.append(_("earlier shortcomings not all remedied"))
        if not missing:
            out.findings.append(
                Finding(
                    POINTS_EXCELLENT,
                    _("%(p)s points with the task conditions.") % {"p": points},
                    Level.EXCELLENT,
                )
            )
            return Level.EXCELLENT
        out.findings.append(
            Finding(
                POINTS_EXCELLENT_CONDITIONS,
                _("%(p)s points, but %(why)s.")
                % {"p": points, "why": "; ".join(str(m) for m in missing)},
            )
        )
    if well is not None and points >= well and _holds(inputs.on_time):
        out.findings.append(
            Finding(POINTS_WELL, _("%(p)s points, every task on time.") % {"p": points}, Level.WELL)
        )
        return Level.WELL
    late_ok = (
        rules.completed_max_late_pct is None
        or inputs.late_pct is None
        or inputs.late_pct <= rules.completed_max_late_pct
    )
    if comp is not None and points >= comp and _holds(inputs.all_done) and late_ok:
        out.findings.append(
            Finding(
                POINTS_COMPLETED,
                _("%(p)s points, every task done.") % {"p": points},
                Level.COMPLETED,
            )
        )
        return Level.COMPLETED
    out.findings.append(
        Finding(
            POINTS_NOT_COMPLETED,
            _("%(p)s points or the task conditions not met.") % {"p": points},
            Level.NOT_COMPLETED,
        )
    )
    return Level.NOT_COMPLETED


def grades_level(rules: Rules, inputs: Inputs, out: Outcome, *, collective: bool) -> str | None:
    """A grades set (132, 124): the level given, with the conditions of "excellent" checked."""
    level = inputs.level or None
    if (
        level == Level.EXCELLENT
        and not collective
        and rules.excellent_min_exceeded_pct is not None
        and (
            not _holds(inputs.on_time)
            or (
                inputs.exceeded_pct is not None
                and inputs.exceeded_pct < rules.excellent_min_exceeded_pct
            )
        )
    ):
        out.findings.append(
            Finding(
                GRADES_EXCELLENT_TARGETS,
                _(
                    "“Excellent” needs every target on schedule with quality and at least "
                    "%(pct)s%% exceeded."
                )
                % {"pct": rules.excellent_min_exceeded_pct},
                Level.WELL,
            )
        )
        level = Level.WELL
    return level


def evaluate(rules: Rules, facts: Facts, inputs: Inputs | None = None) -> Outcome:
    """What the rules give: not reviewed (and why), the highest level allowed, and the level
    for the task results given (None when nothing gives one)."""
    inputs = inputs or Inputs()
    out = Outcome()
    if _not_reviewed(rules, facts, out):
        return out
    _record_rules(rules, facts, inputs, out)
    if facts.quarters:
        out.findings.append(
            Finding(
                QUARTERS_FEED_THE_YEAR,
                _("Quarterly results: %(results)s.")
                % {
                    "results": "; ".join(
                        f"Q{q} {Level(lv).label}" for q, lv in sorted(facts.quarters.items())
                    )
                },
            )
        )
    level: str | None
    if rules.judging == Judging.POINTS:
        points = inputs.points
        if points is None and facts.collective and facts.monthly_average is not None:
            points = facts.monthly_average
        level = (
            points_level(rules, points, inputs, out) if points is not None else inputs.level or None
        )
    else:
        level = grades_level(rules, inputs, out, collective=facts.collective)
    if out.fails:
        out.cap = Level.NOT_COMPLETED
    if level is not None:
        level = at_most(level, out.cap)
    elif out.fails:
        level = Level.NOT_COMPLETED
    out.level = level
    return out


def flag_two_years(rules: Rules, previous: str, decided: str) -> Finding | None:
    """ "Did not complete" two years running flags the member for the cell's help and then a
    removal review: a flag, never a removal."""
    if rules.not_completed_twice_flag and previous == Level.NOT_COMPLETED == decided:
        return Finding(
            NOT_COMPLETED_TWICE,
            _(
                "Did not complete two years running: the cell helps the member, then a "
                "removal review."
            ),
        )
    return None
