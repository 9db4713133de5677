"""Reads of the classifications: the rule set in force, the quota of "excellent" over its
scope, and the results per unit and subtree that pages, reviews and reports use."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from grassroots.core.querysets import in_subtree
from grassroots.organizations.choices import CELL_KINDS, UnitKind

from .choices import LEVEL_ORDER, Level, QuotaBase, QuotaScope, Subject
from .models import Circumstance, Classification, QuotaException, Review, RuleSet
from .rules import Rules


def ruleset_in_force(year: int) -> RuleSet | None:
    """The rule set whose period holds `year`."""
    for rule_set in RuleSet.objects.filter(valid_from_year__lte=year).order_by("-valid_from_year"):
        if rule_set.applies_to(year):
            return rule_set
    return None


def review_rules(review: Review) -> Rules:
    return Rules.from_dict(review.rules)


@dataclass
class QuotaStatus:
    """The places of "excellent" in a scope: how many the base gives, how many are used,
    how many are left, and the exceptions granted beyond them."""

    scope_label: str
    rate_pct: Decimal | None
    base: int
    allowed: int
    used: int
    exceptions: int

    @property
    def left(self) -> int:
        return max(self.allowed + self.exceptions - self.used, 0)

    @property
    def over(self) -> int:
        return max(self.used - self.allowed - self.exceptions, 0)


def quota_scope_rows(classification: Classification, rules: Rules):
    """The classifications sharing a quota with `classification`, as its rule set scopes it."""
    rows = Classification.objects.filter(
        review_id=classification.review_id, subject=classification.subject
    )
    scope = (
        rules.quota_member_scope
        if classification.subject == Subject.MEMBER
        else rules.quota_collective_scope
    )
    if scope == QuotaScope.CELL:
        rows = rows.filter(unit_id=classification.unit_id)
    elif scope == QuotaScope.PEER_GROUP and classification.subject == Subject.COLLECTIVE:
        kinds = (
            list(CELL_KINDS)
            if classification.unit.kind in CELL_KINDS
            else [classification.unit.kind]
        )
        rows = rows.filter(unit__kind__in=kinds)
    return rows


def quota_status(rows, rules: Rules, levels: dict[int, str] | None = None) -> QuotaStatus:
    """The quota over `rows` (one scope), with `levels` (id → level) standing in for decisions
    about to be taken."""
    decided = dict(rows.exclude(decided_level="").values_list("id", "decided_level"))
    if levels:
        decided.update(levels)
    values = list(decided.values())
    well = values.count(Level.WELL)
    excellent = values.count(Level.EXCELLENT)
    base = well + (excellent if rules.quota_base == QuotaBase.WELL_OR_BETTER else 0)
    rate = rules.quota_rate_pct
    allowed = math.floor(base * rate / 100) if rate is not None else len(values)
    exceptions = QuotaException.objects.filter(
        classification__in=rows, classification__decided_level=Level.EXCELLENT
    ).count()
    return QuotaStatus("", rate, base, allowed, excellent, exceptions)


@dataclass
class Results:
    """How many in each level, for members and for collectives, and the share of cells rated
    "good or better" (well or excellent)."""

    members: dict[str, int] = field(default_factory=dict)
    collectives: dict[str, int] = field(default_factory=dict)
    members_not_reviewed: int = 0
    members_pending: int = 0
    collectives_pending: int = 0
    cells_decided: int = 0
    cells_good_or_better: int = 0

    @property
    def cells_good_share(self) -> Decimal | None:
        if not self.cells_decided:
            return None
        return (Decimal(self.cells_good_or_better * 100) / self.cells_decided).quantize(
            Decimal("0.1")
        )

    def level_rows(self) -> list[dict]:
        return [
            {
                "level": level.value,
                "label": level.label,
                "members": self.members.get(level.value, 0),
                "collectives": self.collectives.get(level.value, 0),
            }
            for level in LEVEL_ORDER
        ]

    def as_dict(self) -> dict:
        share = self.cells_good_share
        return {
            "members": {lv.value: self.members.get(lv.value, 0) for lv in LEVEL_ORDER},
            "collectives": {lv.value: self.collectives.get(lv.value, 0) for lv in LEVEL_ORDER},
            "members_not_reviewed": self.members_not_reviewed,
            "members_pending": self.members_pending,
            "collectives_pending": self.collectives_pending,
            "cells_decided": self.cells_decided,
            "cells_good_or_better": self.cells_good_or_better,
            "cells_good_share": str(share) if share is not None else None,
        }


def classification_results(*, unit, year: int, subtree: bool = True) -> Results:
    """The results of `year` for `unit`: with `subtree`, of every member and collective in its
    subtree; without, of what its own committee decides (the classifications of its review)."""
    rows = Classification.objects.filter(year=year, quarter__isnull=True)  # the year-end results
    rows = (
        rows.filter(in_subtree("unit__path", unit)) if subtree else rows.filter(review__unit=unit)
    )
    out = Results()
    cell_kinds = list(CELL_KINDS)
    grouped = rows.values("subject", "decided_level", "not_reviewed").annotate(
        n=Count("id"), cells=Count("id", filter=Q(unit__kind__in=cell_kinds))
    )
    for row in grouped:
        level, n = row["decided_level"], row["n"]
        if row["subject"] == Subject.MEMBER:
            if row["not_reviewed"]:
                out.members_not_reviewed += n
            elif level:
                out.members[level] = out.members.get(level, 0) + n
            else:
                out.members_pending += n
        else:
            if level:
                out.collectives[level] = out.collectives.get(level, 0) + n
                out.cells_decided += row["cells"]
                if level in (Level.EXCELLENT, Level.WELL):
                    out.cells_good_or_better += row["cells"]
            else:
                out.collectives_pending += n
    _add_counted(out, unit=unit, year=year, subtree=subtree)
    return out


def _add_counted(out: Results, *, unit, year: int, subtree: bool) -> None:
    """Add the members counted by a run whose rows are not written yet (`Review.members_
    deferred`): those of the reviews in the subtree, or of `unit`'s own review, and for a cell,
    its line in its committee's review."""
    reviews = Review.objects.filter(
        year=year, quarter__isnull=True, members_deferred_at__isnull=False
    )
    cell = None
    if subtree:
        reviews = reviews.filter(in_subtree("unit__path", unit) | Q(unit_id=unit.parent_id))
        cell = unit.pk
    else:
        reviews = reviews.filter(unit=unit)
    for review in reviews.only("unit_id", "members_deferred"):
        members, not_reviewed = review.members_counted(
            cell if review.unit_id == unit.parent_id else None
        )
        out.members_not_reviewed += not_reviewed
        out.members_pending += members - not_reviewed


def review_quotas(review: Review, subject: str, unit=None) -> list[QuotaStatus]:
    """The quota of "excellent" as a page shows it: one status per scope of the review's rule
    set (for members of a cell-scoped set, only `unit`'s cell when given)."""
    if review.quarter is not None:
        return []  # the quota of "excellent" is the year's
    rules = review_rules(review)
    rows = Classification.objects.filter(review=review, subject=subject)
    scope = rules.quota_member_scope if subject == Subject.MEMBER else rules.quota_collective_scope
    groups: list[tuple[str, object]] = []
    if scope == QuotaScope.CELL:
        units = [unit] if unit is not None else review_units(review)
        groups = [(u.name, rows.filter(unit=u)) for u in units]
    elif scope == QuotaScope.PEER_GROUP and subject == Subject.COLLECTIVE:
        kinds = sorted(set(rows.values_list("unit__kind", flat=True)))
        cell_kinds = [k for k in kinds if k in CELL_KINDS]
        if cell_kinds:
            groups.append((str(_("Cells")), rows.filter(unit__kind__in=cell_kinds)))
        for kind in (k for k in kinds if k not in CELL_KINDS):
            groups.append((str(dict(UnitKind.choices)[kind]), rows.filter(unit__kind=kind)))
    else:
        groups = [(review.unit.name, rows)]
    out = []
    for label, group in groups:
        status = quota_status(group, rules)
        status.scope_label = label
        out.append(status)
    return out


def review_units(review: Review) -> list:
    """The cells whose members the review classifies (its own unit for a grassroots cell)."""
    from grassroots.organizations.models import Unit

    ids = (
        Classification.objects.filter(review=review, subject=Subject.MEMBER)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    return list(Unit.objects.filter(pk__in=list(ids)).order_by("path"))


@dataclass
class CellRow:
    unit: object
    members: int
    not_reviewed: int
    decided: int
    published: int
    levels: dict[str, int]
    collective: Classification | None

    @property
    def level_counts(self) -> list[int]:
        """The members decided in each level, best first."""
        return [self.levels.get(level.value, 0) for level in LEVEL_ORDER]

    @property
    def pending(self) -> int:
        return self.members - self.not_reviewed - self.decided


def review_cells(review: Review) -> list[CellRow]:
    """Each cell of the review with its members' counts and its own classification (one query
    for the counts, one for the collectives)."""
    units = review_units(review)
    grouped = (
        Classification.objects.filter(review=review, subject=Subject.MEMBER)
        .values("unit_id", "decided_level", "not_reviewed")
        .annotate(n=Count("id"), published=Count("id", filter=Q(published_at__isnull=False)))
    )
    collectives = {
        c.unit_id: c
        for c in Classification.objects.filter(
            year=review.year, quarter=review.quarter, subject=Subject.COLLECTIVE, unit__in=units
        )
    }
    rows = {u.pk: CellRow(u, 0, 0, 0, 0, {}, collectives.get(u.pk)) for u in units}
    for r in grouped:
        row = rows[r["unit_id"]]
        row.members += r["n"]
        row.published += r["published"]
        if r["not_reviewed"]:
            row.not_reviewed += r["n"]
        elif r["decided_level"]:
            row.decided += r["n"]
            row.levels[r["decided_level"]] = row.levels.get(r["decided_level"], 0) + r["n"]
    out = list(rows.values())
    return out


def review_circumstances(review: Review):
    """The circumstances a review reads: those of the members it classifies and of the
    collectives it classifies (an organization's discipline) that overlap its period."""
    first, last = review.period
    rows = Classification.objects.filter(review=review)
    members = rows.filter(subject=Subject.MEMBER).values("member_id")
    collectives = rows.filter(subject=Subject.COLLECTIVE).values("unit_id")
    return (
        Circumstance.objects.filter(
            Q(member_id__in=members) | Q(member__isnull=True, unit_id__in=collectives)
        )
        .filter(start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .select_related("member", "unit")
        .order_by("-start", "id")
    )
