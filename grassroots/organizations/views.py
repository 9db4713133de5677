"""Pages of the unit register: the lazy tree, the unit page with its tabs, and the forms.

Access: a unit outside the user's subtrees is a 404; a page that writes needs CHANGE (edits,
committees) or MANAGE (creating units and every reorganization) on the units involved, else 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.models import AuditEntry
from grassroots.core.querysets import Action, role_paths
from grassroots.core.views import (
    get_visible_or_404,
    paginate,
    query_without_page,
    require_action,
)

from . import forms as f
from . import services
from .choices import CELL_KINDS, ReorganizationKind
from .filtersets import UnitFilterSet
from .models import Committee, CommitteeSeat, Unit
from .selectors import (
    constituents_on,
    existed_on,
    roots_for,
    unit_ancestors,
    unit_children,
    unit_history,
    unit_size_warning,
    units_below_minimum,
)

CHILDREN_PAGE = 100


def _versioned(key: str, version: str, compute):
    """`compute()`, kept in the cache under the figures version of the top units above a unit
    (grassroots.rollups: it changes with every change of a member, an event or a unit under
    them, in the change's own transaction); without a version, computed every time."""
    if not version:
        return compute()
    key = f"{key}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, 3600)
    return value


def visible_ancestors(user, unit: Unit, *, version: str = "") -> list[Unit]:
    """The breadcrumbs: ancestors the user may see (those above their roles stay unnamed)."""
    paths = role_paths(user, Action.VIEW)
    ancestors = _versioned(
        f"unit-ancestors:{unit.pk}:{unit.path}", version, lambda: unit_ancestors(unit)
    )
    if paths is None:
        return ancestors
    return [a for a in ancestors if any(a.path.startswith(p) for p in paths)]


def _as_of(request: HttpRequest) -> tuple[f.AsOfForm, dt.date | None]:
    form = f.AsOfForm(request.GET or None)
    day = form.cleaned_data.get("as_of") if form.is_valid() else None
    return form, day


# --- tree ----------------------------------------------------------------------------------


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The user's top units, each opening lazily; a search box; the tree of any past date."""
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
    context["ancestors"] = visible_ancestors(request.user, unit)
    return render(request, "organizations/unit_children.html", context)


# --- unit page -----------------------------------------------------------------------------


def _may(user, unit: Unit, action: str) -> bool:
    """`can(user, unit, action)` from the user's role paths (read once per request and action)
    instead of a query per check: the unit page asks four times."""
    paths = role_paths(user, action)
    return paths is None or any(unit.path.startswith(p) for p in paths)


def _unit_context(request: HttpRequest, unit: Unit, tab: str, *, version: str = "") -> dict:
    as_of_form, day = _as_of(request)
    return {
        "unit": unit,
        "tab": tab,
        "ancestors": visible_ancestors(request.user, unit, version=version),
        # Asked by the template only when the merge button may show.
        "has_children": lambda: _versioned(
            f"unit-has-children:{unit.pk}", version, unit.children.exists
        ),
        "as_of_form": as_of_form,
        "as_of": day,
        "can_change": _may(request.user, unit, Action.CHANGE),
        "can_manage": _may(request.user, unit, Action.MANAGE),
        "is_cell": unit.kind in CELL_KINDS,
        "can_manage_parent": unit.parent_id is not None
        and _may(request.user, unit.parent, Action.MANAGE),
        "parent_visible": unit.parent_id is not None
        and _may(request.user, unit.parent, Action.VIEW),
    }


def _get_unit(request: HttpRequest, pk: int) -> Unit:
    return get_visible_or_404(Unit.objects.select_related("parent"), request.user, pk=pk)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Overview: the unit's figures today or on the "as of" date."""
    from grassroots.members.selectors import unit_stats, unit_stats_today
    from grassroots.rollups.selectors import figures_version

    unit = _get_unit(request, pk)
    # Today's figures, the breadcrumbs and whether the unit has children come from the cache
    # while nothing under the unit changed (the page is the most visited of the register).
    version = figures_version(unit)
    context = _unit_context(request, unit, "overview", version=version)
    day = context["as_of"]
    try:
        context["stats"] = (
            unit_stats_today(unit=unit, version=version)
            if day is None
            else unit_stats(unit=unit, as_of=day)
        )
    except ValidationError as exc:
        context["stats_error"] = " ".join(exc.messages)
    if day is not None and not existed_on(unit, day):
        context["constituents"] = constituents_on(unit, day)
    context["committee_warning"] = services.cell_committee_warning(unit)
    context["size_warning"] = unit_size_warning(unit)
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


def member_counts(nodes: list[dict], day: dt.date) -> dict[int, int]:
    """Active members (probationary and official, not in transit) under each node on `day`,
    in one query over the membership intervals joined to the tree of that day."""
    from grassroots.members.models import Membership

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
            status__in=["probationary", "official"],
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


@login_required
def unit_cells(request: HttpRequest, pk: int) -> HttpResponse:
    """The units directly under this one, with their members."""
    unit = _get_unit(request, pk)
    context = _unit_context(request, unit, "cells")
    day = context["as_of"]
    nodes = unit_children(unit=unit, user=request.user, as_of=day)
    page = paginate(request, nodes, per_page=CHILDREN_PAGE)
    rows = list(page.object_list)
    counts = member_counts(rows, day or timezone.localdate())
    for row in rows:
        row["members"] = counts.get(row["unit_id"], 0)
    context.update(rows=rows, page_obj=page, query_without_page=query_without_page(request))
    return render(request, "organizations/unit_cells.html", context)


@login_required
def unit_committee(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's committees by term, with seats and sizes; a seat ended (by a decision, an
    expulsion, a transfer out…) is listed with its end and no longer counts as held."""
    unit = _get_unit(request, pk)
    context = _unit_context(request, unit, "committee")
    seats = CommitteeSeat.objects.select_related("member").order_by("to_date", "position", "id")
    today = timezone.localdate()
    context["committees"] = (
        Committee.objects.filter(unit=unit)
        .select_related("term")
        .annotate(
            held=Count("seats", filter=Q(seats__to_date__isnull=True) | Q(seats__to_date__gt=today))
        )
        .prefetch_related(Prefetch("seats", queryset=seats))
        .order_by("-term__start_year", "kind")
    )
    context["committee_warning"] = services.cell_committee_warning(unit)
    return render(request, "organizations/unit_committee.html", context)


@login_required
def unit_history_tab(request: HttpRequest, pk: int) -> HttpResponse:
    """Reorganizations, lineage both ways, renames and moves, and the unit's places over time."""
    unit = _get_unit(request, pk)
    context = _unit_context(request, unit, "history")
    history = unit_history(unit)
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
    today (the size rules): a list over a selector's rows, paginated."""
    unit = _get_unit(request, pk)
    context = _unit_context(request, unit, "below_minimum")
    page = paginate(request, units_below_minimum(unit=unit), per_page=CHILDREN_PAGE)
    context.update(
        rows=page.object_list, page_obj=page, query_without_page=query_without_page(request)
    )
    return render(request, "organizations/unit_below_minimum.html", context)


@login_required
def unit_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit tab: the generic audit table of the unit (also at core:audit)."""
    unit = _get_unit(request, pk)
    context = _unit_context(request, unit, "audit")
    entries = AuditEntry.objects.for_object(unit).select_related("actor")
    page = paginate(request, entries)
    context.update(entries=page, page_obj=page, query_without_page=query_without_page(request))
    return render(request, "organizations/unit_audit.html", context)


# --- unit forms ----------------------------------------------------------------------------


def _get_for(request: HttpRequest, pk: int, action: str) -> Unit:
    unit = _get_unit(request, pk)
    require_action(request.user, unit, action)
    return unit


@login_required
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new unit under this one."""
    parent = _get_for(request, pk, Action.MANAGE)
    form = f.UnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(unit)s was created.") % {"unit": unit})
            return redirect("organizations:unit_detail", pk=unit.pk)
    title = _("New unit under %(unit)s") % {"unit": parent}
    return render(
        request,
        "organizations/unit_form.html",
        {
            "form": form,
            "unit": parent,
            "title": title,
            "ancestors": visible_ancestors(request.user, parent),
        },
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a unit's code, name, place or cell type."""
    unit = _get_for(request, pk, Action.CHANGE)
    initial = {
        "code": unit.code,
        "name": unit.name,
        "address": unit.address,
        "cell_subtype": unit.cell_subtype,
    }
    form = f.UnitEditForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.unit_update(actor=request.user, unit=unit, **changed)
        except ValidationError as exc:
            f.apply_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:unit_detail", pk=unit.pk)
    title = _("Edit %(unit)s") % {"unit": unit}
    return render(
        request,
        "organizations/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": title,
            "ancestors": visible_ancestors(request.user, unit),
        },
    )


# --- reorganizations: submit → preview → confirm → commit ----------------------------------


TITLES = {
    ReorganizationKind.MERGE: gettext_lazy("Merge units under %(unit)s"),
    ReorganizationKind.SPLIT: gettext_lazy("Split %(unit)s"),
    ReorganizationKind.RENAME: gettext_lazy("Rename %(unit)s"),
    ReorganizationKind.MOVE: gettext_lazy("Move %(unit)s"),
    ReorganizationKind.DISSOLVE: gettext_lazy("Dissolve %(unit)s"),
}


def _involved_units(arguments: dict) -> list[Unit]:
    units = list(arguments.get("sources") or [])
    for key in ("into", "new_parent", "unit", "source"):
        if arguments.get(key) is not None:
            units.append(arguments[key])
    for part in arguments.get("parts") or []:
        if part.get("parent") is not None:
            units.append(part["parent"])
    return units


def _result_url(reorg, unit: Unit) -> str:
    if reorg.kind == ReorganizationKind.MERGE:
        return reverse("organizations:unit_detail", args=[reorg.details["successor_id"]])
    if reorg.kind in (ReorganizationKind.SPLIT, ReorganizationKind.DISSOLVE):
        return reverse("organizations:unit_history", args=[unit.pk])
    return reverse("organizations:unit_detail", args=[unit.pk])


def _reorganize(
    request: HttpRequest, *, unit: Unit, kind: str, form: f.DecisionForm
) -> HttpResponse:
    """The two-step flow shared by every reorganization: a valid submission shows the preview
    (the service's own validation and counts, nothing written) with a confirm button carrying
    the same data; the confirmation validates again inside the service and commits."""
    title = str(TITLES[kind]) % {"unit": unit}
    context = {
        "form": form,
        "unit": unit,
        "title": title,
        "kind": kind,
        "ancestors": visible_ancestors(request.user, unit),
    }
    if request.method == "POST" and request.POST.get("step") == "edit":
        form.is_valid()  # back from the preview: the form again, filled in
    elif request.method == "POST" and form.is_valid():
        arguments = form.arguments()
        for involved in _involved_units(arguments):
            require_action(request.user, involved, Action.MANAGE)
        try:
            if request.POST.get("confirm") == "1":
                reorg = services.REORGANIZATION_SERVICES[kind](actor=request.user, **arguments)
                messages.success(
                    request, _("Recorded: %(reorganization)s.") % {"reorganization": reorg}
                )
                return redirect(_result_url(reorg, unit))
            context["preview"] = services.reorganization_preview(
                kind=kind, actor=request.user, **arguments
            )
            return render(request, "organizations/reorganization_preview.html", context)
        except ValidationError as exc:
            f.apply_service_errors(form, exc)
    return render(request, "organizations/reorganization_form.html", context)


@login_required
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge units directly under this one (into a new unit or one of them)."""
    parent = _get_for(request, pk, Action.MANAGE)
    initial = {"sources": request.GET.getlist("sources")}
    form = f.MergeForm(request.POST or None, parent=parent, user=request.user, initial=initial)
    return _reorganize(request, unit=parent, kind=ReorganizationKind.MERGE, form=form)


@login_required
def unit_split(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_for(request, pk, Action.MANAGE)
    try:
        parts = min(max(int(request.POST.get("parts") or request.GET.get("parts") or 2), 2), 10)
    except ValueError:
        parts = 2
    form = f.SplitForm(request.POST or None, source=unit, user=request.user, parts=parts)
    return _reorganize(request, unit=unit, kind=ReorganizationKind.SPLIT, form=form)


@login_required
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_for(request, pk, Action.MANAGE)
    form = f.RenameForm(request.POST or None, unit=unit, user=request.user)
    return _reorganize(request, unit=unit, kind=ReorganizationKind.RENAME, form=form)


@login_required
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_for(request, pk, Action.MANAGE)
    form = f.MoveForm(request.POST or None, unit=unit, user=request.user)
    return _reorganize(request, unit=unit, kind=ReorganizationKind.MOVE, form=form)


@login_required
def unit_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_for(request, pk, Action.MANAGE)
    form = f.DissolveForm(request.POST or None, unit=unit, user=request.user)
    return _reorganize(request, unit=unit, kind=ReorganizationKind.DISSOLVE, form=form)


# --- committees ----------------------------------------------------------------------------


def _committee_page(unit: Unit) -> str:
    return reverse("organizations:unit_committee", args=[unit.pk])


@login_required
def committee_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_for(request, pk, Action.CHANGE)
    form = f.CommitteeForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = services.term_get_or_create(
                start_year=data["start_year"], end_year=data["end_year"]
            )
            services.committee_create(
                actor=request.user,
                unit=unit,
                term=term,
                kind=data["kind"],
                elected_size=data["elected_size"],
                approved_next_size=data["approved_next_size"],
                elected_on=data["elected_on"],
            )
        except ValidationError as exc:
            f.apply_service_errors(form, exc, {"term": "start_year"})
        else:
            messages.success(request, _("The committee was recorded."))
            return redirect(_committee_page(unit))
    title = _("New committee of %(unit)s") % {"unit": unit}
    return render(
        request,
        "organizations/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": title,
            "ancestors": visible_ancestors(request.user, unit),
        },
    )


def _get_committee(request: HttpRequest, pk: int, action: str) -> Committee:
    committee = get_visible_or_404(
        Committee.objects.select_related("unit", "term"), request.user, pk=pk
    )
    require_action(request.user, committee, action)
    return committee


@login_required
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk, Action.CHANGE)
    form = f.CommitteeEditForm(request.POST or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.committee_update(actor=request.user, committee=committee, **changed)
        except ValidationError as exc:
            f.apply_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(_committee_page(committee.unit))
    title = str(committee)
    return render(
        request,
        "organizations/unit_form.html",
        {
            "form": form,
            "unit": committee.unit,
            "title": title,
            "ancestors": visible_ancestors(request.user, committee.unit),
        },
    )


@login_required
def seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk, Action.CHANGE)
    form = f.SeatForm(request.POST or None, committee=committee, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.seat_add(
                actor=request.user,
                committee=committee,
                member=data["member_ref"],
                person_name=data["person_name"],
                position=data["position"],
                from_date=data["from_date"],
            )
        except ValidationError as exc:
            f.apply_service_errors(form, exc, {"member": "member_ref"})
        else:
            messages.success(request, _("The seat was recorded."))
            return redirect(_committee_page(committee.unit))
    title = _("New seat on %(committee)s") % {"committee": committee}
    return render(
        request,
        "organizations/unit_form.html",
        {
            "form": form,
            "unit": committee.unit,
            "title": title,
            "ancestors": visible_ancestors(request.user, committee.unit),
        },
    )


@login_required
def seat_end(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_object_or_404(
        CommitteeSeat.objects.visible_to(request.user).select_related("committee__unit", "member"),
        pk=pk,
    )
    require_action(request.user, seat, Action.CHANGE)
    form = f.SeatEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_end(actor=request.user, seat=seat, to_date=form.cleaned_data["to_date"])
        except ValidationError as exc:
            f.apply_service_errors(form, exc)
        else:
            messages.success(request, _("The seat was ended."))
            return redirect(_committee_page(seat.committee.unit))
    unit = seat.committee.unit
    title = _("End the seat of %(person)s") % {"person": seat.display_name}
    return render(
        request,
        "organizations/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": title,
            "ancestors": visible_ancestors(request.user, unit),
        },
    )
