"""What the member ledger adds to the unit pages, through the hooks the tree app offers
(`grassroots.organizations.hooks`): the unit's figures and the version its cache is keyed on,
the members under each unit of the cells tab, the size rules, and the work a unit page leads to
— its members, candidates and statistics, and the actions its roles allow (admit a member,
propose a candidate, import). `register()` is called by `MembersConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.core.access import Action
from grassroots.organizations import hooks
from grassroots.organizations.choices import CELL_KINDS
from grassroots.rollups import selectors as rollup_selectors

from . import selectors, size_rules
from .choices import ACTIVE_STATUSES
from .models import Member, Membership


def _with_unit(name: str, unit, **query) -> str:
    return f"{reverse(name)}?{urlencode({'unit': unit.pk, **query})}"


def _is_cell(unit) -> bool:
    return unit.kind in CELL_KINDS


def _leaving_today(unit) -> int:
    """Members whose records sit under `unit` on their way to a unit outside it: the member list
    shows them (their record has not moved yet) but the statistics count them at neither end
    until the arrival; counted here so that the page's total is the list's."""
    return (
        Member.objects.filter(
            unit__path__startswith=unit.path,
            status__in=ACTIVE_STATUSES,
            transit_to__isnull=False,
        )
        .exclude(transit_to__path__startswith=unit.path)
        .count()
    )


def unit_figures(*, unit, as_of: dt.date | None = None, version: str = "") -> hooks.UnitFigures:
    """Members (today: the member list's own count, with a link to it), official and
    probationary members, and cells; a past day's figures as the tree stood then."""
    if as_of is None:
        stats = selectors.unit_stats_today(unit=unit, version=version or None)
        total = stats.members_total + _leaving_today(unit)
        members_url = _with_unit("members:member_list", unit)
        figures = [
            hooks.Figure(total, _("members"), members_url),
            hooks.Figure(
                stats.members_official,
                _("official"),
                _with_unit("members:member_list", unit, status="official"),
            ),
            hooks.Figure(
                stats.members_probationary,
                _("probationary"),
                _with_unit("members:member_list", unit, status="probationary"),
            ),
            hooks.Figure(stats.cells, _("cells")),
        ]
        return hooks.UnitFigures(figures)
    stats = selectors.unit_stats(unit=unit, as_of=as_of)
    figures = [
        hooks.Figure(stats.members_total, _("members")),
        hooks.Figure(stats.members_official, _("official")),
        hooks.Figure(stats.members_probationary, _("probationary")),
        hooks.Figure(stats.cells, _("cells")),
    ]
    extent_url = (
        f"{reverse('members:unit_stats', args=[unit.pk])}?"
        f"{urlencode({'as_of': as_of.strftime('%d/%m/%Y'), 'extent': 'present'}, safe='/')}"
    )
    return hooks.UnitFigures(figures, extent_url=extent_url)


def member_counts(nodes: list[dict], day: dt.date) -> dict[int, int]:
    """Active members (probationary and official, not in transit) under each node on `day`,
    in one query over the membership intervals joined to the tree of that day."""
    paths = {node["unit_id"]: node["path"] for node in nodes}
    if not paths:
        return {}
    prefix = Q(pk__in=[])
    for path in paths.values():
        prefix |= Q(unit__placements__path__startswith=path)
    rows = (
        Membership.objects.on(day)
        .filter(
            prefix,
            Q(unit__placements__valid_to__isnull=True) | Q(unit__placements__valid_to__gt=day),
            unit__placements__valid_from__lte=day,
            status__in=list(ACTIVE_STATUSES),
        )
        .order_by()
        .values("unit__placements__path")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(paths, 0)
    for row in rows:
        for unit_id, path in paths.items():
            if row["unit__placements__path"].startswith(path):
                counts[unit_id] += row["n"]
    return counts


WORK = [
    hooks.UnitWork(
        "members",
        _("Members"),
        lambda unit: _with_unit("members:member_list", unit),
        order=10,
    ),
    hooks.UnitWork(
        "candidates",
        _("Candidates for admission"),
        lambda unit: _with_unit("members:candidate_board", unit),
        order=20,
    ),
    hooks.UnitWork(
        "statistics",
        _("Statistics"),
        lambda unit: reverse("members:unit_stats", args=[unit.pk]),
        order=30,
    ),
    hooks.UnitWork(
        "admit",
        _("Admit a member"),
        lambda unit: _with_unit("members:member_admit", unit),
        action=Action.CHANGE,
        applies=_is_cell,
        writes=True,
        primary=True,
        order=40,
    ),
    hooks.UnitWork(
        "propose",
        _("Propose a candidate"),
        lambda unit: _with_unit("members:candidate_propose", unit),
        action=Action.CHANGE,
        applies=_is_cell,
        writes=True,
        order=50,
    ),
    hooks.UnitWork(
        "import",
        _("Import members"),
        lambda unit: _with_unit("members:member_import", unit),
        action=Action.CHANGE,
        writes=True,
        order=60,
    ),
]


def register() -> None:
    hooks.provide_figures(unit_figures)
    hooks.provide_figures_version(rollup_selectors.figures_version)
    hooks.provide_member_counts(member_counts)
    hooks.provide_below_minimum(lambda unit: size_rules.units_below_minimum(unit=unit))
    hooks.register_notice("size", size_rules.unit_size_warning)
    for work in WORK:
        hooks.register_work(work)
