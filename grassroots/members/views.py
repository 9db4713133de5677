"""Member pages: the list with its filters and exports, the member's record and the forms of
every event, the candidate board, unit statistics and the import. Thin adapters: they parse
input, call a service or selector and render; forms over a service are `ServiceFormView`s and
the list a `ScopedListView`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Access, Action
from grassroots.core.audit import record_view
from grassroots.core.db import byte_order
from grassroots.core.forms import apply_service_errors
from grassroots.core.querysets import in_subtree
from grassroots.core.rules import rule
from grassroots.core.views import (
    Crumb,
    ScopedListView,
    ServiceFormView,
    crumb_trail,
    get_visible_or_404,
    vary_on_htmx,
)
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.lookups import unit_from_query
from grassroots.organizations.models import Unit
from grassroots.organizations.selectors import existed_on

from . import forms as member_forms
from . import hooks as member_hooks
from . import reads, selectors, services
from .choices import ACTIVE_STATUSES, CandidateStage, MemberStatus
from .exports import export_members, export_unit_stats
from .filtersets import MemberFilterSet, with_list_defaults
from .imports import build_template, members_import
from .models import Candidate, Member, given_name_first_text


def member_trail(user, unit: Unit | None, *, include_self: bool, tail=()) -> list[Crumb]:
    """Breadcrumbs of a member page: the member list, then the units above (those the user may
    see), each leading to its member list."""
    list_url = reverse("members:member_list")
    return crumb_trail(
        home=Crumb(_("Members"), list_url),
        units=Access.of(user).crumbs(unit, include_self=include_self),
        unit_url=lambda u: f"{list_url}?unit={u.pk}",
        tail=tail,
    )


# --- list and export -------------------------------------------------------------------------


class MemberListView(ScopedListView):
    """The members the user sees, filtered (by default the current ones, the people a unit's
    figures count), in the order of Vietnamese lists — by given name, then surname — or, for a
    typed name, the names beginning with it first (`selectors.NameSearch`). A list selected by
    sensitive data is logged."""

    model = Member
    filterset_class = MemberFilterSet
    template_name = "members/member_list.html"
    partial_template_name = "members/_member_results.html"
    context_object_name = "page_members"

    def get(self, request, *args, **kwargs):
        self.unit = unit_from_query(request)  # 404 outside the user's subtrees
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "transit_to")
            .alias(sort_key=byte_order("sort_name"))
            .order_by("sort_key", "id")
        )

    def get_filterset(self, queryset):
        self.params = with_list_defaults(self.request.GET)
        return MemberFilterSet(self.params, queryset=queryset, request=self.request)

    def filter_queryset(self, filterset, queryset):
        members = filterset.qs
        self.typed = self.params.get("q", "").strip()
        if self.typed and filterset.is_valid():
            # The other filters as they are; the name typed ranks and pages the matches (names
            # beginning with it first), counted up to a cap so that a common name stays fast.
            others = self.params.copy()
            others.pop("q")
            others_qs = MemberFilterSet(others, queryset=queryset, request=self.request).qs
            members = selectors.NameSearch(others_qs, self.typed)
        return members

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        filterset, page = kwargs["filterset"], kwargs["page_obj"]
        request, unit = self.request, self.unit
        if filterset.is_valid() and reads.selects_by_sensitive_data(self.params):
            reads.log_list_read(
                user=request.user,
                read="member_list",
                params=self.params,
                names=filterset.filters,
                count=page.paginator.count,
                unit=unit,
            )
        today = timezone.localdate()
        may_change = self.access.may(Action.CHANGE, unit) if unit else False
        return {
            **kwargs,
            "unit": unit,
            "trail": member_trail(request.user, unit, include_self=False) if unit else [],
            "filter": filterset,
            "members": page.object_list,
            "rows": [(m, selectors.member_key_date(m, today)) for m in page.object_list],
            "searching": bool(self.typed),
            # One cell's list: every row is of that cell, its column says nothing.
            "show_unit": not (unit is not None and unit.kind in CELL_KINDS),
            "export_query": kwargs["query_without_page"],
            "more_filters_used": any(
                request.GET.get(name)
                for name in filterset.filters
                if name not in {"q", "status", "unit"}
            ),
            "can_admit": (may_change and unit.is_open) if unit else self.access.has_any_change_role,
            "can_import": self.access.has_any_change_role,
        }


member_list = MemberListView.as_view()


@login_required
def member_export(request):
    """The list's members as XLSX or CSV, with the list's filters and default (the export is
    logged). A download, so not a `ScopedListView`: no page, no pagination."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    unit = unit_from_query(request)
    queryset = (
        Member.objects.visible_to(request.user)
        .select_related("unit", "transit_to")
        .alias(sort_key=byte_order("sort_name"))
        .order_by("sort_key", "id")
    )
    params = with_list_defaults(request.GET)
    params.pop("format", None)
    params.pop("page", None)
    filterset = MemberFilterSet(params, queryset=queryset, request=request)
    members = filterset.qs if filterset.is_valid() else queryset.none()
    # Every row carries personal data: the export is logged with its filters and size.
    reads.log_list_read(
        user=request.user,
        read="member_export",
        params=params,
        names=filterset.filters,
        count=members.count(),
        unit=unit,
        format=fmt,
    )
    return export_members(members, fmt=fmt)


# --- the member's record -----------------------------------------------------------------------


def _member_actions(access: Access, member: Member) -> list[dict[str, Any]]:
    """Event forms open for this member's state and the user's roles."""
    actions = []
    for action in MEMBER_ACTIONS:
        if action.allowed(member) and access.may(Action.CHANGE, action.permission_unit(member)):
            actions.append(
                {
                    "url": reverse(f"members:{action.url_name}", args=[member.pk]),
                    "label": action.title,
                    "danger": action.danger,
                }
            )
    return actions


@login_required
def member_detail(request, pk: int):
    """A member's record (its opening logged). A page that reads and writes nothing, so neither
    a form nor a list view."""
    member = get_visible_or_404(
        Member.objects.select_related("unit", "transit_to", "attending_unit"), request.user, pk=pk
    )
    record_view(member, user=request.user)
    access = Access.of(request.user)
    age = selectors.party_age(member)
    context = {
        "member": member,
        "trail": member_trail(request.user, member.unit, include_self=True),
        "timeline": selectors.member_timeline(member),
        "party_age": age,
        "party_age_text": str(age) if age is not None else "",
        "flags": selectors.member_flags(member),
        "actions": _member_actions(access, member),
        "can_edit": access.may(Action.CHANGE, member.unit),
        # What the apps above the ledger show on the record (member_hooks.register_member_section).
        "sections": [
            render_to_string(section.template, section.context, request=request)
            for section in member_hooks.member_sections(member, request.user)
        ],
    }
    return render(request, "members/member_detail.html", context)


# --- event forms -------------------------------------------------------------------------------


class MemberActionView(ServiceFormView):
    """The form of one event; POST calls its service and returns to the member page.

    Outside the user's subtrees: 404. Seen but not changeable (viewer): 403, also for GET,
    since the page exists only to write. An event not open for the member's state sends back
    to the record with a warning.
    """

    model = Member
    form_class: type[member_forms.ServiceForm]
    service_name: str
    url_name: str
    title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    success_message = gettext_lazy("Saved.")
    danger = False
    template_name = "members/member_action_form.html"

    def get_queryset(self):
        return Member.objects.select_related("unit", "transit_to", "attending_unit")

    @classmethod
    def allowed(cls, member: Member) -> bool:
        return member.status in ACTIVE_STATUSES

    @classmethod
    def permission_unit(cls, member: Member) -> Unit:
        """The unit that decides about the member: the one holding the records by default."""
        return member.unit

    def check_access(self) -> None:
        # The member is seen (else 404 already): a unit deciding about them out of the user's
        # sight (the receiving cell of a transfer) is still a refusal to write, not an absence.
        if not self.access.may(Action.CHANGE, self.permission_unit(self.object)):
            raise PermissionDenied(_("Your role on this unit is read-only."))

    def refuse(self):
        if not self.allowed(self.object):
            messages.warning(
                self.request, _("This action is not open for the member's present state.")
            )
            return redirect("members:member_detail", pk=self.object.pk)
        return None

    def service_kwargs(self, form) -> dict[str, Any]:
        return form.service_kwargs()

    def call_service(self, form):
        service = getattr(services, self.service_name)
        return service(actor=self.request.user, member=self.object, **self.service_kwargs(form))

    def get_success_url(self, result) -> str:
        return reverse("members:member_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        member = self.object
        return {
            "member": member,
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "danger": self.danger,
            "trail": member_trail(
                self.request.user,
                member.unit,
                include_self=True,
                tail=[Crumb(member.full_name, reverse("members:member_detail", args=[member.pk]))],
            ),
            **kwargs,
        }


class MemberEditView(MemberActionView):
    form_class = member_forms.MemberEditForm
    service_name = "member_update"
    url_name = "member_edit"
    title = gettext_lazy("Edit personal data")
    success_message = gettext_lazy("Personal data saved.")

    @classmethod
    def allowed(cls, member: Member) -> bool:
        return True

    def get_initial(self):
        return {name: getattr(self.object, name) for name in member_forms.PERSONAL_FIELDS}

    def get(self, request, *args, **kwargs):
        # The form shows the member's personal data: a read like opening the record.
        record_view(self.object, user=request.user, note="edit")
        return super().get(request, *args, **kwargs)

    def call_service(self, form):
        if not form.service_kwargs():
            return None
        return super().call_service(form)


class MemberRecognizeView(MemberActionView):
    form_class = member_forms.RecognizeForm
    service_name = "member_recognize"
    url_name = "member_recognize"
    title = gettext_lazy("Recognize as official member")
    intro = gettext_lazy(
        "Probation lasts 12 months from the admission ceremony. A member recognized late is "
        "official from the day the probation ended."
    )
    success_message = gettext_lazy("The member is recognized as an official member.")

    @classmethod
    def allowed(cls, member):
        return member.status == MemberStatus.PROBATIONARY and member.transit_to_id is None


class MemberTransferOutView(MemberActionView):
    form_class = member_forms.TransferOutForm
    service_name = "member_transfer_out"
    url_name = "member_transfer_out"
    title = gettext_lazy("Transfer out")
    intro = gettext_lazy(
        "This unit issues the introduction; the receiving cell records the arrival. A member in "
        "transit belongs to neither cell's present count."
    )
    success_message = gettext_lazy(
        "The introduction is recorded; the receiving cell records the arrival."
    )

    @classmethod
    def allowed(cls, member):
        return (
            member.status in ACTIVE_STATUSES
            and member.transit_to_id is None
            and member.attending_unit_id is None
        )

    def get_form_kwargs(self):
        return {"user": self.request.user, "member": self.object}

    def get_initial(self):
        return {"mode": "official"}

    def service_kwargs(self, form):
        kwargs = form.service_kwargs()
        if kwargs.get("mode") != "temporary":
            kwargs.pop("until", None)
        return kwargs


class MemberTransferInView(MemberActionView):
    form_class = member_forms.TransferInForm
    service_name = "member_transfer_in"
    url_name = "member_transfer_in"
    title = gettext_lazy("Record arrival")
    intro = gettext_lazy(
        "The receiving cell records that the member has arrived with the introduction."
    )
    success_message = gettext_lazy("The arrival is recorded.")

    @classmethod
    def allowed(cls, member):
        return member.transit_to_id is not None

    @classmethod
    def permission_unit(cls, member):
        # The receiving cell records the arrival.
        return member.transit_to or member.unit


class MemberTemporaryArrivalView(MemberActionView):
    form_class = member_forms.TemporaryArrivalForm
    service_name = "member_temporary_arrival"
    url_name = "member_temporary_arrival"
    title = gettext_lazy("Record temporary arrival")
    intro = gettext_lazy(
        "The cell the member attends for a while records the arrival; the records stay with the "
        "member's cell."
    )
    success_message = gettext_lazy("The arrival is recorded.")

    @classmethod
    def allowed(cls, member):
        return member.attending_unit_id is not None and member.attending_since is None

    @classmethod
    def permission_unit(cls, member):
        # The receiving cell records the arrival.
        return member.attending_unit or member.unit


class MemberTemporaryReturnView(MemberActionView):
    form_class = member_forms.TemporaryReturnForm
    service_name = "member_temporary_return"
    url_name = "member_temporary_return"
    title = gettext_lazy("Return from temporary transfer")
    success_message = gettext_lazy("The return is recorded.")

    @classmethod
    def allowed(cls, member):
        return member.attending_unit_id is not None


class MemberDisciplineView(MemberActionView):
    form_class = member_forms.DisciplineForm
    service_name = "member_discipline"
    url_name = "member_discipline"
    title = gettext_lazy("Discipline")
    intro = gettext_lazy(
        "Expulsion ends the membership and every committee seat; a dismissal from post ends the "
        "seat it names."
    )
    success_message = gettext_lazy("The discipline is recorded.")
    danger = True

    def get_form_kwargs(self):
        return {"member": self.object}


class MemberRemoveView(MemberActionView):
    form_class = member_forms.RemoveForm
    service_name = "member_remove"
    url_name = "member_remove"
    title = gettext_lazy("Remove from the party")
    success_message = gettext_lazy("The removal is recorded.")
    danger = True


class MemberDeathView(MemberActionView):
    form_class = member_forms.DeathForm
    service_name = "member_death"
    url_name = "member_death"
    title = gettext_lazy("Record death")
    success_message = gettext_lazy("The death is recorded.")
    danger = True


class MemberReadmitView(MemberActionView):
    form_class = member_forms.ReadmitForm
    service_name = "member_readmit"
    url_name = "member_readmit"
    title = gettext_lazy("Readmit")
    intro = gettext_lazy(
        "A member may be readmitted once only, after the waiting time the rules set, and serves "
        "probation again; some reasons for leaving exclude readmission."
    )
    success_message = gettext_lazy("The member is readmitted as a probationary member.")

    @classmethod
    def allowed(cls, member):
        return member.status in {MemberStatus.REMOVED, MemberStatus.EXPELLED} and (
            member.readmission_count < rule("readmission_limit")
        )

    def get_form_kwargs(self):
        return {"user": self.request.user, "member": self.object}


MEMBER_ACTIONS: list[type[MemberActionView]] = [
    MemberRecognizeView,
    MemberTransferOutView,
    MemberTransferInView,
    MemberTemporaryArrivalView,
    MemberTemporaryReturnView,
    MemberDisciplineView,
    MemberRemoveView,
    MemberDeathView,
    MemberReadmitView,
]


class MemberAdmitView(ServiceFormView):
    """Admit a new probationary member into the cell of `?unit=`; from a wider unit's list (or
    none), the form asks which of the open cells the user may change."""

    form_class = member_forms.MemberAdmitForm
    template_name = "members/member_admit.html"

    def get_object(self):
        return unit_from_query(self.request)

    def is_cell(self) -> bool:
        return self.object is not None and self.object.kind in CELL_KINDS

    def get_form_kwargs(self):
        if self.is_cell():
            return {}
        cells = Unit.objects.visible_to(self.request.user, Action.CHANGE).open()
        cells = cells.filter(kind__in=CELL_KINDS).order_by("path")
        if self.object is not None:
            cells = cells.filter(in_subtree("path", self.object))
        return {"cells": cells}

    def call_service(self, form):
        unit = self.object if self.is_cell() else form.cleaned_data["cell"]
        return services.member_admit(actor=self.request.user, unit=unit, **form.service_kwargs())

    def get_success_message(self, result) -> str:
        return _("%(name)s is admitted as a probationary member.") % {"name": result}

    def get_success_url(self, result) -> str:
        return reverse("members:member_detail", args=[result.pk])

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        unit = self.object
        return {
            "unit": unit,
            "is_cell": self.is_cell(),
            "title": _("Admit a member"),
            "submit_label": _("Admit"),
            "trail": member_trail(self.request.user, unit, include_self=True) if unit else [],
            **kwargs,
        }


member_admit = MemberAdmitView.as_view()


# --- candidate board ---------------------------------------------------------------------------

BOARD_STAGES = [
    CandidateStage.PROPOSED,
    CandidateStage.COURSE_COMPLETED,
    CandidateStage.APPLICATION_FILED,
    CandidateStage.INTRODUCERS_ASSIGNED,
    CandidateStage.CELL_VOTED,
]


def _board_context(request, unit: Unit) -> dict[str, Any]:
    candidates = (
        Candidate.objects.visible_to(request.user)
        .filter(in_subtree("unit__path", unit), stage__in=BOARD_STAGES)
        .select_related("unit")
        .order_by("name_folded", "id")
    )
    by_stage: dict[str, list[Candidate]] = {stage: [] for stage in BOARD_STAGES}
    # A column is a few people: sorted here as the member list is, by given name, then surname.
    for candidate in sorted(candidates, key=lambda c: given_name_first_text(c.name_folded)):
        by_stage[candidate.stage].append(candidate)
    counts = selectors.candidate_counts(unit, request.user)
    can_change = Access.of(request.user).may(Action.CHANGE, unit)
    columns = [
        {
            "stage": stage,
            "label": stage.label,
            "candidates": by_stage[stage],
            "count": counts.get(stage, 0),
        }
        for stage in BOARD_STAGES
    ]
    return {
        "unit": unit,
        "columns": columns,
        "admitted_count": counts.get(CandidateStage.ADMITTED, 0),
        "dropped_count": counts.get(CandidateStage.DROPPED, 0),
        "can_change": can_change,
        "can_propose": can_change and unit.kind in CELL_KINDS and unit.is_open,
        "trail": member_trail(request.user, unit, include_self=True),
    }


@login_required
def candidate_board(request):
    """The admission pipeline of a unit's subtree, one column per stage. Not a `ScopedListView`:
    the candidates are grouped into the stages' columns, not paged."""
    unit = unit_from_query(request, required=True)
    context = _board_context(request, unit)
    context["propose_form"] = member_forms.CandidateProposeForm(
        initial={"proposed_on": timezone.localdate()}
    )
    template = "members/_candidate_board.html" if request.htmx else "members/candidate_board.html"
    return vary_on_htmx(render(request, template, context))


def _board_url(unit: Unit) -> str:
    return f"{reverse('members:candidate_board')}?unit={unit.pk}"


class CandidateProposeView(ServiceFormView):
    """Propose a candidate in the cell of `?unit=`."""

    form_class = member_forms.CandidateProposeForm
    template_name = "members/candidate_form.html"

    def get_object(self):
        return unit_from_query(self.request, required=True)

    def call_service(self, form):
        return services.candidate_propose(
            actor=self.request.user, unit=self.object, **form.service_kwargs()
        )

    def get_success_message(self, result) -> str:
        return _("%(name)s is proposed as a candidate.") % {"name": result}

    def get_success_url(self, result) -> str:
        return _board_url(self.object)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        unit = self.object
        return {
            "unit": unit,
            "title": _("Propose a candidate"),
            "submit_label": _("Propose"),
            "action_url": f"{reverse('members:candidate_propose')}?unit={unit.pk}",
            "trail": member_trail(self.request.user, unit, include_self=True),
            **kwargs,
        }


candidate_propose = CandidateProposeView.as_view()


class CandidateActionView(ServiceFormView):
    """Advance, drop or admit one candidate. With HTMX, success answers with the whole board
    (the card moves column) and errors with the card's form; without it, the usual pages."""

    model = Candidate
    form_class: type[member_forms.ServiceForm]
    service_name: str
    title = ""
    submit_label = gettext_lazy("Save")
    success_message = gettext_lazy("Saved.")
    template_name = "members/candidate_form.html"
    partial_template_name = "members/_candidate_form.html"

    def get_queryset(self):
        return Candidate.objects.select_related("unit")

    def refuse(self):
        if self.object.stage not in BOARD_STAGES:
            raise PermissionDenied
        return None

    def call_service(self, form):
        return getattr(services, self.service_name)(
            actor=self.request.user, candidate=self.object, **form.service_kwargs()
        )

    def board_unit(self) -> Unit:
        raw = self.request.GET.get("board")
        if raw and raw.isdigit():
            unit = Unit.objects.visible_to(self.request.user).filter(pk=int(raw)).first()
            if unit is not None:
                return unit
        return self.object.unit

    def get_success_url(self, result) -> str:
        return _board_url(self.board_unit())

    def form_valid(self, result):
        if self.request.htmx:
            # The card moves column: the whole board is swapped in place of the card's form.
            context = _board_context(self.request, self.board_unit())
            response = render(self.request, "members/_candidate_board.html", context)
            response["HX-Retarget"] = "#candidate-board"
            response["HX-Reswap"] = "outerHTML"
            return response
        return super().form_valid(result)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        candidate = self.object
        return {
            "candidate": candidate,
            "unit": candidate.unit,
            "title": self.title,
            "submit_label": self.submit_label,
            "action_url": self.request.get_full_path(),
            "trail": member_trail(
                self.request.user,
                candidate.unit,
                include_self=True,
                tail=[Crumb(_("Candidates"), _board_url(candidate.unit))],
            ),
            **kwargs,
        }


class CandidateAdvanceView(CandidateActionView):
    form_class = member_forms.CandidateAdvanceForm
    service_name = "candidate_advance"
    title = gettext_lazy("Advance to the next stage")
    submit_label = gettext_lazy("Advance")
    success_message = gettext_lazy("The candidate moved to the next stage.")

    def get_form_kwargs(self):
        return {"candidate": self.object}


class CandidateDropView(CandidateActionView):
    form_class = member_forms.CandidateDropForm
    service_name = "candidate_drop"
    title = gettext_lazy("Drop the candidate")
    submit_label = gettext_lazy("Drop")
    success_message = gettext_lazy("The candidate is dropped.")


class CandidateAdmitView(CandidateActionView):
    form_class = member_forms.CandidateAdmitForm
    service_name = "candidate_admit"
    title = gettext_lazy("Admit as a probationary member")
    submit_label = gettext_lazy("Admit")
    success_message = gettext_lazy("The candidate is admitted as a probationary member.")


# --- statistics --------------------------------------------------------------------------------


def _stats_of_request(request, unit: Unit):
    """The form of the statistics page and the figures it asks for (today's when it is empty
    or invalid, the errors then on the form)."""
    form = member_forms.StatsForm(request.GET or None)
    chosen: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        chosen = {
            "as_of": form.cleaned_data.get("as_of"),
            "period_start": form.cleaned_data.get("period_start"),
            "period_end": form.cleaned_data.get("period_end"),
            "extent": form.cleaned_data.get("extent") or None,
        }
    try:
        stats = selectors.unit_stats(unit=unit, **chosen)
    except ValidationError as error:
        apply_service_errors(form, error)
        stats = selectors.unit_stats(unit=unit)
    return form, stats


@login_required
def unit_stats(request, unit_id: int):
    """Figures of a unit's subtree on a day (`?as_of=dd/mm/yyyy`, today by default) and its
    events over a period (the calendar year up to that day by default). For a past day, the unit
    as the tree stood then (the default for a day it existed) or its present extent then
    (`?extent=present`, the only answer for a day it did not exist).

    Not a `ServiceFormView`: its form is a GET query over a selector, answered on the same page
    (and as XLSX by `unit_stats_export`), not a write."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
    form, stats = _stats_of_request(request, unit)
    if not form.is_bound:
        form = member_forms.StatsForm(
            initial={
                "as_of": stats.as_of,
                "period_start": stats.period_start,
                "period_end": stats.period_end,
                "extent": stats.extent,
            }
        )
    query = request.GET.urlencode()
    context = {
        "unit": unit,
        "trail": member_trail(request.user, unit, include_self=True),
        "form": form,
        "stats": stats,
        "as_of": stats.as_of,
        "period_start": stats.period_start,
        "period_end": stats.period_end,
        "tables": selectors.stats_breakdown_tables(stats),
        "events": selectors.stats_event_rows(stats),
        "existed": existed_on(unit, stats.as_of),
        "past": stats.as_of < timezone.localdate(),
        "export_url": reverse("members:unit_stats_export", args=[unit.pk])
        + (f"?{query}" if query else ""),
    }
    return render(request, "members/unit_stats.html", context, status=400 if form.errors else 200)


@login_required
def unit_stats_export(request, unit_id: int):
    """The statistics page as an XLSX workbook: the same figures for the same query, one sheet
    per breakdown. A query the page refuses is refused here too (400). A download over a
    selector, so no generic view."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
    form, stats = _stats_of_request(request, unit)
    if form.errors:
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return export_unit_stats(
        unit=unit,
        stats=stats,
        tables=selectors.stats_breakdown_tables(stats),
        events=selectors.stats_event_rows(stats),
        existed=existed_on(unit, stats.as_of),
    )


# --- import ------------------------------------------------------------------------------------


@login_required
def member_import(request):
    """Check or import a file of members. Not a `ServiceFormView`: the answer to a valid file is
    the same page with the import's result (rows, errors), and a big file becomes a background
    job with its own page."""
    if not Access.of(request.user).has_any_change_role:
        raise PermissionDenied
    unit = unit_from_query(request)
    result = None
    form = member_forms.MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.MEMBER_IMPORT_BACKGROUND_BYTES:
            # A big file is imported by the task worker; its page shows the progress.
            from django.utils import translation

            from grassroots.jobs.services import job_create

            job = job_create(
                actor=request.user,
                kind="members_import",
                upload=upload,
                params={
                    "dry_run": form.cleaned_data["dry_run"],
                    "language": translation.get_language(),
                },
            )
            return redirect("jobs:job_detail", pk=job.pk)
        result = members_import(
            actor=request.user,
            file=upload,
            file_name=upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.errors:
            messages.error(request, _("Nothing was saved: the file has errors."))
        elif result.dry_run:
            messages.success(
                request,
                _("The file is valid: %(count)s members would be admitted. Nothing was saved.")
                % {"count": result.valid_rows},
            )
        else:
            messages.success(
                request, _("%(count)s members were imported.") % {"count": result.created}
            )
    context = {
        "form": form,
        "result": result,
        "unit": unit,
        "errors_shown": result.errors[:500] if result else [],
    }
    return render(
        request,
        "members/member_import.html",
        context,
        status=400 if (result and result.errors) else 200,
    )


@login_required
def import_template(request):
    """The import's XLSX template: a download, so neither a form nor a list view."""
    if not Access.of(request.user).has_any_change_role:
        raise PermissionDenied
    unit = unit_from_query(request)
    content = build_template(user=request.user, unit=unit)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="members-import-template.xlsx"'
    return response
