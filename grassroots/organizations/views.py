"""Pages of the unit register: the lazy tree, the unit page with its tabs, and the unit forms.

Access: a unit outside the user's subtrees is a 404; a page that writes needs CHANGE (edits) or
MANAGE (creating units) on the unit, else 403 (`core.access`). The reorganization pages (merge,
split, rename, move, dissolve) are grassroots.reorganizations'; the committee tab and forms are
grassroots.committees'.

What the apps above the tree add to the unit page — figures, the members under each unit, the
work the page leads to (members, candidates, statistics, admit, propose, import), more tabs and
reminders — comes through `hooks`: this app imports none of them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Access, Action
from grassroots.core.models import AuditEntry
from grassroots.core.views import (
    Crumb,
    ServiceFormView,
    crumb_trail,
    get_visible_or_404,
    paginate,
    query_without_page,
)

from . import forms as f
from . import hooks, services
from .choices import CELL_KINDS
from .filtersets import UnitFilterSet
from .models import Unit
from .selectors import (
    constituents_on,
    existed_on,
    roots_for,
    unit_ancestors,
    unit_children,
    unit_history,
)

CHILDREN_PAGE = 100


def _versioned(key: str, version: str, compute):
    """`compute()`, kept in the cache under the figures version of the top units above a unit
    (it changes with every change of a member, an event or a unit under them, in the change's
    own transaction); without a version, computed every time."""
    if not version:
        return compute()
    key = f"{key}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, 3600)
    return value


def unit_url(unit) -> str:
    return reverse("organizations:unit_detail", args=[unit.pk])


def unit_trail(user, unit: Unit, *, include_self: bool = False, version: str = "") -> list[Crumb]:
    """The breadcrumbs of a unit's pages: the tree, then the units above `unit` the user may
    see (those above their roles stay unnamed), and `unit` itself with `include_self`."""
    ancestors = _versioned(
        f"unit-ancestors:{unit.pk}:{unit.path}", version, lambda: unit_ancestors(unit)
    )
    units = Access.of(user).crumbs(unit, include_self=include_self, ancestors=ancestors)
    return crumb_trail(
        home=Crumb(_("Units"), reverse("organizations:tree")), units=units, unit_url=unit_url
    )


def unit_form_trail(user, unit: Unit) -> list[Crumb]:
    """The breadcrumbs of a form about `unit` (the unit itself is the last step)."""
    return unit_trail(user, unit, include_self=True)


def _as_of(request: HttpRequest) -> tuple[f.AsOfForm, dt.date | None]:
    form = f.AsOfForm(request.GET or None)
    day = form.cleaned_data.get("as_of") if form.is_valid() else None
    return form, day


# --- tree ----------------------------------------------------------------------------------


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The user's top units, each opening lazily; a search box; the tree of any past date.

    Not a `ScopedListView`: without a search it lists tree nodes (one query of dicts with their
    number of children), not a filtered list of units."""
    form = f.TreeSearchForm(request.GET or None)
    day = q = None
    if form.is_valid():
        day = form.cleaned_data.get("as_of")
        q = (form.cleaned_data.get("q") or "").strip()
    context = {"form": form, "as_of": day, "q": q}
    if q:
        units = UnitFilterSet(
            {"q": q, "as_of": day.isoformat() if day else ""},
            queryset=Unit.objects.visible_to(request.user)
            .select_related("parent")
            .order_by("depth", "name_folded", "pk"),
        ).qs
        page = paginate(request, units, per_page=CHILDREN_PAGE)
        context.update(results=page, page_obj=page, query_without_page=query_without_page(request))
    else:
        context["nodes"] = list(roots_for(request.user, as_of=day)[:CHILDREN_PAGE])
    return render(request, "organizations/tree.html", context)


@login_required
def children(request: HttpRequest, pk: int) -> HttpResponse:
    """The units directly under one unit, a page of them at a time. An HTMX request gets only
    the list (what the tree inserts when a node opens, or the next page after "more"); a plain
    request gets the same list as a full page."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=pk)
    _form, day = _as_of(request)
    try:
        offset = max(int(request.GET.get("offset", 0)), 0)
    except ValueError:
        offset = 0
    rows = list(
        unit_children(unit=unit, user=request.user, as_of=day)[offset : offset + CHILDREN_PAGE + 1]
    )
    context = {
        "unit": unit,
        "nodes": rows[:CHILDREN_PAGE],
        "more_offset": offset + CHILDREN_PAGE if len(rows) > CHILDREN_PAGE else None,
        "as_of": day,
    }
    if request.htmx:
        template = (
            "organizations/_tree_nodes.html" if offset else "organizations/_tree_children.html"
        )
        return render(request, template, context)
    context["trail"] = unit_trail(request.user, unit, include_self=True)
    return render(request, "organizations/unit_children.html", context)


# --- unit page -----------------------------------------------------------------------------


OWN_TABS = [
    hooks.UnitTab("overview", gettext_lazy("Overview"), unit_url, order=0),
    hooks.UnitTab(
        "cells",
        gettext_lazy("Cells and units"),
        lambda unit: reverse("organizations:unit_cells", args=[unit.pk]),
        order=10,
    ),
    hooks.UnitTab(
        "history",
        gettext_lazy("History"),
        lambda unit: reverse("organizations:unit_history", args=[unit.pk]),
        order=40,
    ),
    hooks.UnitTab(
        "audit",
        gettext_lazy("Audit"),
        lambda unit: reverse("organizations:unit_audit", args=[unit.pk]),
        order=90,
    ),
]
# The tabs whose figures follow the page's "as of" date.
DATED_TABS = {"overview", "cells"}


def _tabs(unit: Unit, current: str, as_of: dt.date | None) -> list[dict]:
    tabs = sorted([*OWN_TABS, *hooks.tabs()], key=lambda tab: (tab.order, tab.key))
    rows = []
    for tab in tabs:
        url = tab.url(unit)
        if as_of and tab.key in DATED_TABS:
            url += f"?as_of={as_of.isoformat()}"
        label = tab.label
        if tab.key == "cells" and unit.kind in CELL_KINDS:
            label = _("Groups")
        rows.append({"key": tab.key, "label": label, "url": url, "current": tab.key == current})
    return rows


def unit_context(request: HttpRequest, unit: Unit | int, tab: str, *, version: str = "") -> dict:
    """What every tab of the unit page shows around its own part: the unit (a 404 outside the
    user's subtrees), its breadcrumbs and tabs, the "as of" form, and what the user may do on
    it. Other apps' tabs (committees) start from it."""
    if not isinstance(unit, Unit):
        unit = get_visible_or_404(Unit.objects.select_related("parent"), request.user, pk=unit)
    access = Access.of(request.user)
    as_of_form, day = _as_of(request)
    parent = unit.parent if unit.parent_id else None
    return {
        "unit": unit,
        "tab": tab,
        "tabs": _tabs(unit, tab, day),
        "trail": unit_trail(request.user, unit, version=version),
        # The changes of the tree the user may start here (reorganizations registers them):
        # asked by the template only where the Actions section is rendered, not from the cache.
        "structure_actions": lambda: _work(request, unit, hooks.STRUCTURE),
        "as_of_form": as_of_form,
        "as_of": day,
        "can_change": access.may(Action.CHANGE, unit),
        "can_manage": access.may(Action.MANAGE, unit),
        "is_cell": unit.kind in CELL_KINDS,
        "can_manage_parent": access.may(Action.MANAGE, parent),
        "parent_visible": access.may(Action.VIEW, parent),
    }


def _work(request: HttpRequest, unit: Unit, section: str = hooks.WORK) -> list[dict]:
    """The links of `section` the user may follow from the unit's page (apps register them)."""
    return [
        {
            "key": work.key,
            "label": work.label,
            "url": work.url(unit),
            "primary": work.primary,
            "danger": work.danger,
        }
        for work in hooks.work_for(unit, request.user, section)
    ]


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Overview: the unit's figures today or on the "as of" date, and the work the page leads
    to (lists and the actions the user's roles allow, one tap away)."""
    unit = get_visible_or_404(Unit.objects.select_related("parent"), request.user, pk=pk)
    # Today's figures, the breadcrumbs and whether the unit has children come from the cache
    # while nothing under the unit changed (the page is the most visited of the register).
    version = hooks.figures_version(unit)
    context = unit_context(request, unit, "overview", version=version)
    day = context["as_of"]
    try:
        context["figures"] = hooks.figures(unit=unit, as_of=day, version=version)
    except ValidationError as exc:
        context["figures_error"] = " ".join(exc.messages)
    if day is not None and not existed_on(unit, day):
        context["constituents"] = constituents_on(unit, day)
    context["work"] = _work(request, unit)
    context["notices"] = hooks.notices(unit)
    if version and not request.GET:
        # Today's page: its header and tabs, figures and actions rendered once per unit, figures
        # version, language and permissions ({% cached_if %} in unit_base.html).
        base = (
            f"{unit.pk}:{unit.path}:{version}:"
            f"{timezone.localdate():%Y%m%d}:{translation.get_language()}"
        )
        flags = "".join(
            "1" if context[k] else "0"
            for k in ("can_change", "can_manage", "can_manage_parent", "parent_visible", "is_cell")
        )
        context["page_head"] = f"unit-head:{base}:{context['is_cell']:d}"
        context["page_body"] = f"unit-overview:{base}:{flags}"
    return render(request, "organizations/unit_detail.html", context)


@login_required
def unit_cells(request: HttpRequest, pk: int) -> HttpResponse:
    """The units directly under this one, with their members (when an app counts them)."""
    context = unit_context(request, pk, "cells")
    unit, day = context["unit"], context["as_of"]
    nodes = unit_children(unit=unit, user=request.user, as_of=day)
    page = paginate(request, nodes, per_page=CHILDREN_PAGE)
    rows = list(page.object_list)
    counts = hooks.member_counts(rows, day or timezone.localdate())
    if counts is not None:
        for row in rows:
            row["members"] = counts.get(row["unit_id"], 0)
    context.update(
        rows=rows,
        counts_members=counts is not None,
        page_obj=page,
        query_without_page=query_without_page(request),
    )
    return render(request, "organizations/unit_cells.html", context)


@login_required
def unit_history_tab(request: HttpRequest, pk: int) -> HttpResponse:
    """Reorganizations, lineage both ways, renames and moves, and the unit's places over time."""
    context = unit_context(request, pk, "history")
    history = unit_history(context["unit"])
    context["history"] = history
    # Units of the history outside the user's roles are not linked (they would answer 404), and
    # a parent above the roles stays unnamed, as in the breadcrumbs.
    referenced = {
        *(link.predecessor_id for link in history.predecessors),
        *(link.successor_id for link in history.successors),
        *(p.parent_id for p in history.placements if p.parent_id),
        *(r.details.get(key) for r in history.moves for key in ("old_parent_id", "new_parent_id")),
    } - {None}
    context["visible_ids"] = (
        set(
            Unit.objects.visible_to(request.user, Action.VIEW)
            .filter(pk__in=referenced)
            .values_list("pk", flat=True)
        )
        if referenced
        else set()
    )
    return render(request, "organizations/unit_history.html", context)


@login_required
def unit_below_minimum(request: HttpRequest, pk: int) -> HttpResponse:
    """The cells and grassroots committees under this unit below the minimum size of their kind
    today (the size rules, which the member ledger provides through `hooks`), paginated."""
    context = unit_context(request, pk, "below_minimum")
    page = paginate(request, hooks.below_minimum(context["unit"]), per_page=CHILDREN_PAGE)
    context.update(
        rows=page.object_list, page_obj=page, query_without_page=query_without_page(request)
    )
    return render(request, "organizations/unit_below_minimum.html", context)


@login_required
def unit_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit tab: the generic audit table of the unit (also at core:audit)."""
    context = unit_context(request, pk, "audit")
    entries = AuditEntry.objects.for_object(context["unit"]).select_related("actor")
    page = paginate(request, entries)
    context.update(entries=page, page_obj=page, query_without_page=query_without_page(request))
    return render(request, "organizations/unit_audit.html", context)


# --- unit forms ----------------------------------------------------------------------------


class _UnitFormView(ServiceFormView):
    model = Unit
    template_name = "organizations/unit_form.html"

    def get_queryset(self):
        return Unit.objects.select_related("parent")

    def title(self) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unit=self.object,
            title=self.title(),
            trail=unit_form_trail(self.request.user, self.object),
            **kwargs,
        )


class UnitCreateView(_UnitFormView):
    """A new unit under this one."""

    action = Action.MANAGE
    form_class = f.UnitCreateForm

    def title(self) -> str:
        return _("New unit under %(unit)s") % {"unit": self.object}

    def get_form_kwargs(self):
        return {"parent": self.object}

    def call_service(self, form):
        return services.unit_create(
            actor=self.request.user, parent=self.object, **form.cleaned_data
        )

    def get_success_message(self, result) -> str:
        return _("%(unit)s was created.") % {"unit": result}

    def get_success_url(self, result) -> str:
        return unit_url(result)


class UnitEditView(_UnitFormView):
    """Correct a unit's place or cell type (its name and code change only by a rename)."""

    action = Action.CHANGE
    form_class = f.UnitEditForm
    success_message = gettext_lazy("The changes were saved.")

    def title(self) -> str:
        return _("Edit %(unit)s") % {"unit": self.object}

    def get_initial(self):
        unit = self.object
        return {
            "code": unit.code,
            "name": unit.name,
            "address": unit.address,
            "cell_subtype": unit.cell_subtype,
        }

    def get_form_kwargs(self):
        return {"unit": self.object}

    def call_service(self, form):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.unit_update(actor=self.request.user, unit=self.object, **changed)

    def get_success_url(self, result) -> str:
        return unit_url(result)
