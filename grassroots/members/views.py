"""Member pages: the list with its filters and exports, the member's record and the forms of
every event, the candidate board, unit statistics and the import. Thin adapters: they parse
input, call a service or selector and render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from grassroots.core.audit import record_view
from grassroots.core.querysets import Action, role_paths
from grassroots.core.rules import rule
from grassroots.core.views import (
    can,
    get_visible_or_404,
    paginate,
    query_without_page,
    require_action,
)
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit
from grassroots.organizations.selectors import existed_on

from . import forms as member_forms
from . import reads, selectors, services
from .choices import (
    AGE_BANDS,
    ETHNICITY_CHOICES,
    CandidateStage,
    EventKind,
    Gender,
    GeneralEducation,
    MemberStatus,
    ProfessionalEducation,
    Religion,
    TheoryLevel,
)
from .exports import export_members
from .filtersets import MemberFilterSet
from .imports import build_template, members_import
from .models import Candidate, Member

ACTIVE = {MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL}


def _unit_from_query(request, *, required: bool = False) -> Unit | None:
    """The `?unit=` of the request, visible to the user (404 otherwise)."""
    raw = request.GET.get("unit") or request.POST.get("unit_id")
    if not raw:
        if required:
            raise Http404
        return None
    try:
        pk = int(raw)
    except ValueError as exc:
        raise Http404 from exc
    return get_visible_or_404(Unit.objects.all(), request.user, pk=pk)


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    # The same URL answers with a partial or a full page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _ancestors(unit: Unit | None, user) -> list[Unit]:
    """The unit's ancestors the user may see, for breadcrumbs."""
    if unit is None:
        return []
    ids = unit.ancestor_ids()[:-1]
    found = {u.pk: u for u in Unit.objects.visible_to(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


# --- list and export -------------------------------------------------------------------------


@login_required
def member_list(request):
    unit = _unit_from_query(request)
    queryset = Member.objects.visible_to(request.user).select_related("unit", "transit_to")
    filterset = MemberFilterSet(request.GET or None, queryset=queryset, request=request)
    members = filterset.qs if filterset.is_bound else queryset
    typed = request.GET.get("q", "").strip()
    if typed and filterset.is_valid():
        # The other filters as they are; the name typed ranks and pages the matches (names
        # beginning with it first), counted up to a cap so that a common name stays fast.
        others = request.GET.copy()
        others.pop("q")
        members = selectors.NameSearch(
            MemberFilterSet(others, queryset=queryset, request=request).qs, typed
        )
    page = paginate(request, members, per_page=50)
    if filterset.is_bound and filterset.is_valid() and reads.selects_by_sensitive_data(request.GET):
        reads.log_list_read(
            user=request.user,
            read="member_list",
            params=request.GET,
            names=filterset.filters,
            count=page.paginator.count,
            unit=unit,
        )
    query = query_without_page(request)
    context = {
        "unit": unit,
        "ancestors": _ancestors(unit, request.user),
        "filter": filterset,
        "page_obj": page,
        "members": page.object_list,
        "query_without_page": query,
        "export_query": query,
        "more_filters_used": any(
            request.GET.get(name)
            for name in filterset.filters
            if name not in {"q", "status", "unit"}
        ),
        "can_admit": unit is not None
        and unit.kind in CELL_KINDS
        and unit.is_open
        and can(request.user, unit),
        "can_import": bool(
            role_paths(request.user, Action.CHANGE) is None
            or role_paths(request.user, Action.CHANGE)
        ),
    }
    template = "members/_member_results.html" if request.htmx else "members/member_list.html"
    return _vary_on_htmx(render(request, template, context))


@login_required
def member_export(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    unit = _unit_from_query(request)
    queryset = Member.objects.visible_to(request.user).select_related("unit", "transit_to")
    params = request.GET.copy()
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


def _member_actions(user, member: Member) -> list[dict[str, Any]]:
    """Event forms open for this member's state and the user's roles."""
    actions = []
    can_change = can(user, member.unit)
    for action in MEMBER_ACTIONS:
        if not action.allowed(member):
            continue
        target = action.permission_unit(member)
        if target is None:
            continue
        if target == member.unit and not can_change:
            continue
        if target != member.unit and not can(user, target):
            continue
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
    member = get_visible_or_404(
        Member.objects.select_related("unit", "transit_to", "attending_unit"), request.user, pk=pk
    )
    record_view(member, user=request.user)
    age = selectors.party_age(member)
    context = {
        "member": member,
        "ancestors": _ancestors(member.unit, request.user) + [member.unit],
        "timeline": selectors.member_timeline(member),
        "party_age": age,
        "party_age_text": str(age) if age is not None else "",
        "flags": selectors.member_flags(member),
        "actions": _member_actions(request.user, member),
        "can_edit": can(request.user, member.unit),
    }
    return render(request, "members/member_detail.html", context)


# --- event forms -------------------------------------------------------------------------------


class MemberActionView(View):
    """GET shows the form of one event; POST calls its service and returns to the member page.

    Outside the user's subtrees: 404. Seen but not changeable (viewer): 403, also for GET,
    since the page exists only to write.
    """

    form_class: type[member_forms.ServiceForm]
    service_name: str
    url_name: str
    title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    success_message = gettext_lazy("Saved.")
    danger = False
    template_name = "members/member_action_form.html"

    @classmethod
    def allowed(cls, member: Member) -> bool:
        return member.status in ACTIVE

    @classmethod
    def permission_unit(cls, member: Member) -> Unit | None:
        return member.unit

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        self.member = get_visible_or_404(
            Member.objects.select_related("unit", "transit_to", "attending_unit"),
            request.user,
            pk=kwargs["pk"],
        )
        target = self.permission_unit(self.member)
        if target is None:
            target = self.member.unit
        require_action(request.user, target, Action.CHANGE)
        if not self.allowed(self.member):
            messages.warning(request, _("This action is not open for the member's present state."))
            return redirect("members:member_detail", pk=self.member.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get(self, request, pk: int):
        form = self.form_class(initial=self.get_initial(), **self.get_form_kwargs())
        return self.render(form)

    def post(self, request, pk: int):
        form = self.form_class(request.POST, initial=self.get_initial(), **self.get_form_kwargs())
        if form.is_valid():
            try:
                self.call_service(form.service_kwargs())
            except ValidationError as error:
                member_forms.apply_service_errors(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect("members:member_detail", pk=self.member.pk)
        return self.render(form, status=400 if form.errors else 200)

    def call_service(self, kwargs: dict[str, Any]):
        service = getattr(services, self.service_name)
        return service(actor=self.request.user, member=self.member, **kwargs)

    def render(self, form, status: int = 200):
        context = {
            "member": self.member,
            "form": form,
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "danger": self.danger,
            "ancestors": _ancestors(self.member.unit, self.request.user) + [self.member.unit],
        }
        return render(self.request, self.template_name, context, status=status)


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
        return {name: getattr(self.member, name) for name in member_forms.PERSONAL_FIELDS}

    def get(self, request, pk: int):
        # The form shows the member's personal data: a read like opening the record.
        record_view(self.member, user=request.user, note="edit")
        return super().get(request, pk)

    def call_service(self, kwargs):
        if not kwargs:
            return None
        return super().call_service(kwargs)


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
            member.status in ACTIVE
            and member.transit_to_id is None
            and member.attending_unit_id is None
        )

    def get_form_kwargs(self):
        return {"user": self.request.user, "member": self.member}

    def get_initial(self):
        return {"mode": "official"}

    def call_service(self, kwargs):
        if kwargs.get("mode") != "temporary":
            kwargs.pop("until", None)
        return super().call_service(kwargs)


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
        return member.transit_to


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
        return member.attending_unit


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
        return {"member": self.member}


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
        return {"user": self.request.user, "member": self.member}


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


@login_required
def member_admit(request):
    """Admit a new probationary member into the cell of `?unit=`."""
    unit = _unit_from_query(request)
    if unit is None:
        messages.warning(request, _("Open a cell's member list to admit a member into it."))
        return redirect("members:member_list")
    require_action(request.user, unit, Action.CHANGE)
    form = member_forms.MemberAdmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_admit(actor=request.user, unit=unit, **form.service_kwargs())
        except ValidationError as error:
            member_forms.apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is admitted as a probationary member.") % {"name": member}
            )
            return redirect("members:member_detail", pk=member.pk)
    context = {
        "form": form,
        "unit": unit,
        "title": _("Admit a member"),
        "submit_label": _("Admit"),
        "ancestors": _ancestors(unit, request.user) + [unit],
    }
    return render(request, "members/member_admit.html", context, status=400 if form.errors else 200)


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
        .filter(unit__path__startswith=unit.path, stage__in=BOARD_STAGES)
        .select_related("unit")
        .order_by("name_folded", "id")
    )
    by_stage: dict[str, list[Candidate]] = {stage: [] for stage in BOARD_STAGES}
    for candidate in candidates:
        by_stage[candidate.stage].append(candidate)
    counts = selectors.candidate_counts(unit, request.user)
    can_change = can(request.user, unit)
    columns = [
        {
            "stage": stage,
            "label": stage.label,
            "candidates": by_stage[stage],
            "count": _count(counts, stage),
        }
        for stage in BOARD_STAGES
    ]
    return {
        "unit": unit,
        "columns": columns,
        "admitted_count": _count(counts, CandidateStage.ADMITTED),
        "dropped_count": _count(counts, CandidateStage.DROPPED),
        "can_change": can_change,
        "can_propose": can_change and unit.kind in CELL_KINDS and unit.is_open,
        "ancestors": _ancestors(unit, request.user),
    }


def _count(counts, stage) -> int:
    if isinstance(counts, dict):
        value = counts.get(stage, counts.get(str(stage), 0))
        if isinstance(value, dict):  # per-unit breakdowns: the subtree's total
            return sum(value.values())
        return value or 0
    return getattr(counts, str(stage), 0) or 0


@login_required
def candidate_board(request):
    unit = _unit_from_query(request, required=True)
    context = _board_context(request, unit)
    context["propose_form"] = member_forms.CandidateProposeForm(
        initial={"proposed_on": timezone.localdate()}
    )
    template = "members/_candidate_board.html" if request.htmx else "members/candidate_board.html"
    return _vary_on_htmx(render(request, template, context))


@login_required
def candidate_propose(request):
    unit = _unit_from_query(request, required=True)
    require_action(request.user, unit, Action.CHANGE)
    form = member_forms.CandidateProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_propose(
                actor=request.user, unit=unit, **form.service_kwargs()
            )
        except ValidationError as error:
            member_forms.apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is proposed as a candidate.") % {"name": candidate}
            )
            return redirect(f"{reverse('members:candidate_board')}?unit={unit.pk}")
    context = {
        "form": form,
        "unit": unit,
        "title": _("Propose a candidate"),
        "submit_label": _("Propose"),
        "action_url": f"{reverse('members:candidate_propose')}?unit={unit.pk}",
        "ancestors": _ancestors(unit, request.user) + [unit],
    }
    return render(
        request, "members/candidate_form.html", context, status=400 if form.errors else 200
    )


class CandidateActionView(View):
    """Advance, drop or admit one candidate. With HTMX, success answers with the whole board
    (the card moves column) and errors with the card's form; without it, the usual pages."""

    form_class: type[member_forms.ServiceForm]
    service_name: str
    title = ""
    submit_label = gettext_lazy("Save")
    success_message = gettext_lazy("Saved.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        self.candidate = get_visible_or_404(
            Candidate.objects.select_related("unit"), request.user, pk=kwargs["pk"]
        )
        require_action(request.user, self.candidate.unit, Action.CHANGE)
        if self.candidate.stage not in BOARD_STAGES:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get(self, request, pk: int):
        return self.render(self.form_class(**self.get_form_kwargs()))

    def post(self, request, pk: int):
        form = self.form_class(request.POST, **self.get_form_kwargs())
        if form.is_valid():
            try:
                getattr(services, self.service_name)(
                    actor=request.user, candidate=self.candidate, **form.service_kwargs()
                )
            except ValidationError as error:
                member_forms.apply_service_errors(form, error)
            else:
                return self.success()
        return self.render(form, status=400 if form.errors else 200)

    def board_unit(self) -> Unit:
        raw = self.request.GET.get("board")
        if raw and raw.isdigit():
            unit = Unit.objects.visible_to(self.request.user).filter(pk=int(raw)).first()
            if unit is not None:
                return unit
        return self.candidate.unit

    def success(self):
        board = self.board_unit()
        if self.request.htmx:
            context = _board_context(self.request, board)
            response = render(self.request, "members/_candidate_board.html", context)
            response["HX-Retarget"] = "#candidate-board"
            response["HX-Reswap"] = "outerHTML"
            return response
        messages.success(self.request, self.success_message)
        return redirect(f"{reverse('members:candidate_board')}?unit={board.pk}")

    def render(self, form, status: int = 200):
        context = {
            "form": form,
            "candidate": self.candidate,
            "unit": self.candidate.unit,
            "title": self.title,
            "submit_label": self.submit_label,
            "action_url": self.request.get_full_path(),
            "ancestors": _ancestors(self.candidate.unit, self.request.user) + [self.candidate.unit],
        }
        template = (
            "members/_candidate_form.html" if self.request.htmx else "members/candidate_form.html"
        )
        # HTMX swaps only 2xx answers by default: errors come back as 200 with the form.
        if self.request.htmx:
            status = 200
        return _vary_on_htmx(render(self.request, template, context, status=status))


class CandidateAdvanceView(CandidateActionView):
    form_class = member_forms.CandidateAdvanceForm
    service_name = "candidate_advance"
    title = gettext_lazy("Advance to the next stage")
    submit_label = gettext_lazy("Advance")
    success_message = gettext_lazy("The candidate moved to the next stage.")

    def get_form_kwargs(self):
        return {"candidate": self.candidate}


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

BREAKDOWNS = [
    ("by_gender", gettext_lazy("Gender"), dict(Gender.choices)),
    ("by_age_band", gettext_lazy("Age"), {key: label for key, label, _lo, _hi in AGE_BANDS}),
    ("by_ethnicity", gettext_lazy("Ethnicity"), dict(ETHNICITY_CHOICES)),
    ("by_religion", gettext_lazy("Religion"), dict(Religion.choices)),
    ("by_general_education", gettext_lazy("General education"), dict(GeneralEducation.choices)),
    (
        "by_professional_education",
        gettext_lazy("Professional education"),
        dict(ProfessionalEducation.choices),
    ),
    ("by_theory_level", gettext_lazy("Political theory"), dict(TheoryLevel.choices)),
]


def _label(labels: dict, key) -> str:
    if key in (None, "", "unknown"):
        return _("Not recorded")
    return str(labels.get(key, key))


def breakdown_tables(stats) -> list[dict[str, Any]]:
    """Each breakdown of the statistics as rows with a share and a bar width."""
    tables = []
    for attr, title, labels in BREAKDOWNS:
        counts = getattr(stats, attr, None) or {}
        total = sum(counts.values()) or 0
        top = max(counts.values(), default=0)
        ordered = list(counts.items())
        if attr != "by_age_band":
            ordered.sort(key=lambda item: -item[1])
        rows = [
            {
                "label": _label(labels, key),
                "count": count,
                "percent": (100.0 * count / total) if total else 0,
                "width": round(100 * count / top) if top else 0,
            }
            for key, count in ordered
        ]
        tables.append({"title": title, "rows": rows})
    return tables


EVENT_LABELS = {
    "admissions": gettext_lazy("Admissions"),
    "readmissions": gettext_lazy("Readmissions"),
    "recognitions": gettext_lazy("Official recognitions"),
    "transfers_in": gettext_lazy("Transfers in"),
    "transfers_out": gettext_lazy("Transfers out"),
    "removals": gettext_lazy("Removals"),
    "expulsions": gettext_lazy("Expulsions"),
    "deaths": gettext_lazy("Deaths"),
}


def event_rows(stats) -> list[dict[str, Any]]:
    events = getattr(stats, "events_in_period", None) or {}
    labels = {**dict(EventKind.choices), **EVENT_LABELS}
    return [{"label": _label(labels, key), "count": count} for key, count in events.items()]


@login_required
def unit_stats(request, unit_id: int):
    """Figures of a unit's subtree on a day (`?as_of=dd/mm/yyyy`, today by default) and its
    events over a period (the calendar year up to that day by default). For a past day, the unit
    as the tree stood then (the default for a day it existed) or its present extent then
    (`?extent=present`, the only answer for a day it did not exist)."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
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
        member_forms.apply_service_errors(form, error)
        stats = selectors.unit_stats(unit=unit)
    if not form.is_bound:
        form = member_forms.StatsForm(
            initial={
                "as_of": stats.as_of,
                "period_start": stats.period_start,
                "period_end": stats.period_end,
                "extent": stats.extent,
            }
        )
    context = {
        "unit": unit,
        "ancestors": _ancestors(unit, request.user),
        "form": form,
        "stats": stats,
        "as_of": stats.as_of,
        "period_start": stats.period_start,
        "period_end": stats.period_end,
        "tables": breakdown_tables(stats),
        "events": event_rows(stats),
        "existed": existed_on(unit, stats.as_of),
        "past": stats.as_of < timezone.localdate(),
    }
    return render(request, "members/unit_stats.html", context, status=400 if form.errors else 200)


# --- import ------------------------------------------------------------------------------------


def _require_some_change_role(user) -> None:
    paths = role_paths(user, Action.CHANGE)
    if paths is not None and not paths:
        raise PermissionDenied


@login_required
def member_import(request):
    _require_some_change_role(request.user)
    unit = _unit_from_query(request)
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
    _require_some_change_role(request.user)
    unit = _unit_from_query(request)
    content = build_template(user=request.user, unit=unit)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="members-import-template.xlsx"'
    return response
