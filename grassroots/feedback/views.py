"""Pages of citizens' feedback.

Staff pages (login): the list, the board, the XLSX export, a feedback's page and the forms over
the services. A feedback outside the user's subtrees is a 404; the forms need CHANGE on its
responsible unit (403 for a read-only role). The citizen's personal data is shown only to those
who may see the responsible unit, and each showing is logged.

Public pages (no login): choose the commune, send feedback, follow it with the tracking code.
Rate-limited per address and size-limited; they show a citizen the status and the published
answer only."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from grassroots.accounts.models import RoleAssignment
from grassroots.core.access import Access, Action
from grassroots.core.audit import record_read
from grassroots.core.forms import apply_service_errors
from grassroots.core.text import fold
from grassroots.core.views import (
    Crumb,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
)
from grassroots.organizations.models import Unit

from . import conf, ratelimit, selectors, services
from .choices import REOPENABLE, EventKind
from .filtersets import FeedbackFilterSet
from .forms import (
    AnswerForm,
    AssignForm,
    FeedbackReceiveForm,
    NoteForm,
    PublicFeedbackForm,
    ReopenForm,
    SatisfactionForm,
    TrackForm,
    TransferForm,
    board_params,
    responsible_units,
)
from .models import CODE_LENGTH, Feedback, normalize_code
from .xlsx import board_workbook, feedback_workbook

HOME = Crumb(gettext_lazy("Citizens' feedback"), "")


def _trail(*tail: Crumb) -> list[Crumb]:
    return [Crumb(str(HOME.label), reverse("feedback:feedback_list")), *tail]


def detail_url(feedback: Feedback) -> str:
    return reverse("feedback:feedback_detail", args=[feedback.pk])


# --- staff: list, page, board, export -------------------------------------------------------


class FeedbackListView(ScopedListView):
    """Feedback of the user's subtrees (of `?unit=` and the units under it), filtered; no
    personal data on the list."""

    model = Feedback
    filterset_class = FeedbackFilterSet
    template_name = "feedback/feedback_list.html"
    partial_template_name = "feedback/_feedback_results.html"
    context_object_name = "rows"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "origin_unit", "assigned_to")
            .order_by("-received_on", "-id")
        )

    def get_context_data(self, **kwargs):
        unit = None
        unit_id = self.request.GET.get("unit", "")
        if unit_id.isdigit():
            unit = Unit.objects.visible_to(self.request.user).filter(pk=int(unit_id)).first()
        return super().get_context_data(
            unit=unit,
            today=timezone.localdate(),
            trail=[HOME],
            can_create=self.access.has_any_change_role,
            **kwargs,
        )


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One feedback: what was asked, its deadlines, its history and the answer; the citizen's
    personal data to those who may see the responsible unit (each showing logged). A page of
    one object that is neither a form nor a list."""
    feedback = get_visible_or_404(
        Feedback.objects.select_related(
            "unit", "origin_unit", "place", "assigned_to", "answered_by"
        ),
        request.user,
        pk=pk,
    )
    access = Access.of(request.user)
    shows_person = access.may(Action.VIEW, feedback.unit)
    if shows_person:
        record_read(feedback, user=request.user, read="feedback_citizen")
    events = feedback.events.select_related("actor", "from_unit", "to_unit")
    can_change = access.may(Action.CHANGE, feedback.unit)
    return render(
        request,
        "feedback/feedback_detail.html",
        {
            "feedback": feedback,
            "shows_person": shows_person,
            "events": events,
            "can_change": can_change,
            "today": timezone.localdate(),
            "trail": _trail(Crumb(feedback.display_code)),
            "note_kind": EventKind.NOTE,
        },
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Received, answered on time, overdue and the average days to answer, per unit and per
    category, for `?from=&to=` (and `?unit=`); `?format=xlsx` downloads it. A page of figures,
    not a list of rows."""
    date_from, date_to, unit, errors = board_params(request, request.GET)
    result = None
    if not errors:
        result = selectors.feedback_board(
            user=request.user,
            today=timezone.localdate(),
            unit=unit,
            date_from=date_from,
            date_to=date_to,
        )
    if result is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(
            board_workbook(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="feedback-board.xlsx"'
        return response
    return render(
        request,
        "feedback/board.html",
        {
            "board": result,
            "errors": errors,
            "unit": unit,
            "query": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
            "trail": _trail(Crumb(_("Board"))),
        },
        status=400 if errors else 200,
    )


@login_required
def feedback_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an XLSX workbook (formula-safe; no personal data). A file, not a
    page."""
    rows = Feedback.objects.visible_to(request.user).select_related(
        "unit", "origin_unit", "assigned_to"
    )
    filterset = FeedbackFilterSet(request.GET or None, queryset=rows, request=request)
    if filterset.is_bound:
        rows = filterset.qs
    content = feedback_workbook(rows.order_by("-received_on", "-id"), today=timezone.localdate())
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="feedback-{stamp}.xlsx"'
    return response


# --- staff: the forms --------------------------------------------------------------------------


class FeedbackReceiveView(ServiceFormView):
    """Record feedback received at a dialogue meeting, a visit, a call or by letter, for a unit
    the user may change (preselected by `?unit=`)."""

    form_class = FeedbackReceiveForm
    template_name = "feedback/feedback_form.html"
    success_message = gettext_lazy("The feedback was recorded.")

    def chosen_unit(self) -> Unit | None:
        unit_id = self.request.GET.get("unit", "")
        if not unit_id.isdigit():
            return None
        return responsible_units(self.request.user).filter(pk=int(unit_id)).first()

    def get_form_kwargs(self):
        return {"units": responsible_units(self.request.user), "unit": self.chosen_unit()}

    def get_initial(self):
        initial = {"received_on": timezone.localdate()}
        unit = self.chosen_unit()
        if unit is not None:
            initial["unit"] = unit.pk
        return initial

    def call_service(self, form):
        data = dict(form.cleaned_data)
        return services.feedback_receive(actor=self.request.user, **data)

    def get_success_url(self, result) -> str:
        return detail_url(result)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record feedback"),
            trail=_trail(Crumb(_("Record feedback"))),
            cancel_url=reverse("feedback:feedback_list"),
            **kwargs,
        )


class _FeedbackFormView(ServiceFormView):
    """A form over one feedback: CHANGE on its responsible unit; back to its page."""

    template_name = "feedback/feedback_form.html"
    title_text = ""
    open_only = True

    def get_queryset(self):
        return Feedback.objects.select_related("unit", "origin_unit")

    def permission_unit(self, obj):
        return obj.unit if obj is not None else None

    def refuse(self):
        if self.open_only and not self.object.is_open:
            messages.error(
                self.request,
                _("This feedback is %(status)s.") % {"status": self.object.get_status_display()},
            )
            return redirect(detail_url(self.object))
        return None

    def get_success_url(self, result) -> str:
        return detail_url(self.object)

    def get_context_data(self, **kwargs):
        title = f"{self.title_text} · {self.object.display_code}"
        return super().get_context_data(
            title=title,
            feedback=self.object,
            trail=_trail(
                Crumb(self.object.display_code, detail_url(self.object)),
                Crumb(str(self.title_text)),
            ),
            cancel_url=detail_url(self.object),
            **kwargs,
        )


def assignable_people(unit: Unit):
    """The active people holding a change role on `unit` or a unit above it."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            roles__unit_id__in=unit.ancestor_ids() or [unit.pk],
            roles__role__in=RoleAssignment.roles_for(Action.CHANGE),
        )
        .distinct()
        .order_by("username")
    )


class FeedbackAssignView(_FeedbackFormView):
    """Give the feedback to a person who handles it."""

    form_class = AssignForm
    title_text = gettext_lazy("Assign")
    success_message = gettext_lazy("The feedback was assigned.")

    def get_form_kwargs(self):
        return {"people": assignable_people(self.object.unit)}

    def get_initial(self):
        return {"assignee": self.object.assigned_to_id}

    def call_service(self, form):
        return services.feedback_assign(
            actor=self.request.user, feedback=self.object, assignee=form.cleaned_data["assignee"]
        )


class FeedbackTransferView(_FeedbackFormView):
    """Hand the feedback to another organization that should answer it."""

    form_class = TransferForm
    title_text = gettext_lazy("Change the responsible unit")
    success_message = gettext_lazy("The responsible unit was changed.")

    def get_form_kwargs(self):
        return {"units": responsible_units(self.request.user).exclude(pk=self.object.unit_id)}

    def call_service(self, form):
        return services.feedback_transfer(
            actor=self.request.user,
            feedback=self.object,
            unit=form.cleaned_data["unit"],
            note=form.cleaned_data["note"],
        )


class FeedbackAnswerView(_FeedbackFormView):
    """Answer the feedback: the answer is published on the citizen's tracking page."""

    form_class = AnswerForm
    title_text = gettext_lazy("Answer")
    success_message = gettext_lazy("The answer was saved and published to the citizen.")

    def get_initial(self):
        return {"answered_on": timezone.localdate()}

    def call_service(self, form):
        return services.feedback_answer(
            actor=self.request.user,
            feedback=self.object,
            answer=form.cleaned_data["answer"],
            answered_on=form.cleaned_data["answered_on"],
        )


class FeedbackNoteView(_FeedbackFormView):
    """An internal note on the case, seen by staff only."""

    form_class = NoteForm
    title_text = gettext_lazy("Add an internal note")
    success_message = gettext_lazy("The note was added.")
    open_only = False

    def call_service(self, form):
        return services.feedback_add_note(
            actor=self.request.user, feedback=self.object, note=form.cleaned_data["note"]
        )


class FeedbackSatisfactionView(_FeedbackFormView):
    """Record the satisfaction the citizen told staff (at a meeting, by phone)."""

    form_class = SatisfactionForm
    title_text = gettext_lazy("Record the citizen's satisfaction")
    success_message = gettext_lazy("The citizen's satisfaction was recorded.")
    open_only = False

    def refuse(self):
        if self.object.answered_on is None or self.object.satisfaction:
            messages.error(
                self.request,
                _("The feedback has not been answered yet.")
                if self.object.answered_on is None
                else _("The citizen's satisfaction was already recorded."),
            )
            return redirect(detail_url(self.object))
        return None

    def call_service(self, form):
        return services.feedback_record_satisfaction(
            actor=self.request.user,
            feedback=self.object,
            satisfaction=form.cleaned_data["satisfaction"],
            note=form.cleaned_data["note"],
        )


class FeedbackCloseView(_FeedbackFormView):
    """Close answered feedback (a button on its page)."""

    form_class = django_forms.Form
    http_method_names = ["post"]
    open_only = False
    success_message = gettext_lazy("The feedback was closed.")

    def post(self, request, *args, **kwargs):
        try:
            services.feedback_close(actor=request.user, feedback=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(detail_url(self.object))
        return self.form_valid(self.object)


class FeedbackReopenView(_FeedbackFormView):
    """Reopen answered or closed feedback, with the reason; it is in progress again."""

    form_class = ReopenForm
    title_text = gettext_lazy("Reopen")
    success_message = gettext_lazy("The feedback was reopened.")
    open_only = False

    def refuse(self):
        if self.object.status not in REOPENABLE:
            messages.error(
                self.request,
                _("Only answered or closed feedback can be reopened; this feedback is %(status)s.")
                % {"status": self.object.get_status_display()},
            )
            return redirect(detail_url(self.object))
        return None

    def call_service(self, form):
        return services.feedback_reopen(
            actor=self.request.user, feedback=self.object, reason=form.cleaned_data["reason"]
        )


# --- public ------------------------------------------------------------------------------------


def _too_many(request, template_context: dict | None = None) -> HttpResponse:
    response = render(
        request,
        "feedback/public_limited.html",
        template_context or {},
        status=429,
    )
    response["Retry-After"] = str(conf.public_rate()[1])
    return response


def _too_big(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > conf.public_max_bytes()


PUBLIC_RESULTS = 20


@never_cache
def public_start(request: HttpRequest) -> HttpResponse:
    """Choose the commune or ward the feedback is for: a search by name (with or without
    diacritics), a short list of matches. Public: no login."""
    query = (request.GET.get("q") or "").strip()[:100]
    found = []
    if len(query) >= 2:
        folded = fold(query)
        found = list(
            services.public_places()
            .filter(Q(name_folded__contains=folded) | Q(code__iexact=query))
            .select_related("parent")
            .order_by("name")[:PUBLIC_RESULTS]
        )
    return render(
        request,
        "feedback/public_start.html",
        {"query": query, "found": found, "searched": bool(query)},
    )


@never_cache
@csrf_protect
def public_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen's form for one commune: rate-limited per address (successful sends, and
    attempts at four times that), size-limited, a hidden trap for robots. Public: no login."""
    commune = get_object_or_404(services.public_places().select_related("parent"), pk=pk)
    address = ratelimit.client_address(request)
    limit, seconds = conf.public_rate()
    if request.method == "POST":
        if _too_big(request):
            return render(request, "feedback/public_limited.html", {"too_big": True}, status=413)
        if ratelimit.exceeded("send", address, limit) or ratelimit.exceeded(
            "attempt", address, limit * 4
        ):
            return _too_many(request)
        ratelimit.hit("attempt", address, seconds)
        form = PublicFeedbackForm(request.POST, commune=commune)
        if form.is_valid() and form.cleaned_data["website"]:
            form.add_error(None, _("Your feedback could not be sent."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                feedback = services.feedback_submit_public(
                    place=data["place"] or commune,
                    category=data["category"],
                    subject=data["subject"],
                    body=data["body"],
                    citizen_name=data["citizen_name"],
                    citizen_phone=data["citizen_phone"],
                    citizen_address=data["citizen_address"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                ratelimit.hit("send", address, seconds)
                # Post/redirect/get: reloading the confirmation does not send it twice.
                request.session[SENT_SESSION_KEY] = feedback.code
                return redirect("feedback:public_sent")
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = PublicFeedbackForm(commune=commune)
        status = 200
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return render(
        request, "feedback/public_form.html", {"form": form, "commune": commune}, status=status
    )


SENT_SESSION_KEY = "feedback_sent_code"


@never_cache
def public_sent(request: HttpRequest) -> HttpResponse:
    """The confirmation with the tracking code of the feedback this browser just sent (kept in
    its session); without one, back to the start. Public: no login."""
    code = request.session.get(SENT_SESSION_KEY, "")
    feedback = Feedback.objects.select_related("unit").filter(code=code).first() if code else None
    if feedback is None:
        return redirect("feedback:public_start")
    return render(request, "feedback/public_sent.html", {"feedback": feedback})


@never_cache
@csrf_protect
def public_track(request: HttpRequest) -> HttpResponse:
    """Follow feedback with its tracking code: its status, due date and published answer —
    never the citizen's data, the content or the internal notes — and, once answered, say
    whether the answer satisfies. Unknown codes are counted per address. Public: no login."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    if request.method == "POST" and _too_big(request):
        return render(request, "feedback/public_limited.html", {"too_big": True}, status=413)
    address = ratelimit.client_address(request)
    limit, seconds = conf.tracking_rate()
    data = request.POST if request.method == "POST" else request.GET
    form = TrackForm(data if "code" in data else None)
    feedback = None
    satisfaction_form = None
    status = 200
    if form.is_bound:
        if ratelimit.exceeded("track", address, limit):
            return _too_many(request)
        if form.is_valid():
            code = normalize_code(form.cleaned_data["code"])
            feedback = (
                Feedback.objects.select_related("unit").filter(code=code).first()
                if len(code) == CODE_LENGTH
                else None
            )
            if feedback is None:
                ratelimit.hit("track", address, seconds)
                form.add_error("code", _("No feedback has this code. Check it and try again."))
                status = 404
        else:
            status = 400
    if feedback is not None and feedback.answered_on and not feedback.satisfaction:
        if request.method == "POST":
            satisfaction_form = SatisfactionForm(request.POST)
            if satisfaction_form.is_valid():
                try:
                    services.feedback_record_satisfaction(
                        actor=None,
                        feedback=feedback,
                        satisfaction=satisfaction_form.cleaned_data["satisfaction"],
                        note=satisfaction_form.cleaned_data["note"],
                    )
                except ValidationError as error:
                    apply_service_errors(satisfaction_form, error)
                    status = 400
                else:
                    messages.success(
                        request, _("Thank you: your opinion of the answer was recorded.")
                    )
                    url = reverse("feedback:public_track")
                    return redirect(f"{url}?code={feedback.display_code}")
            else:
                status = 400
        else:
            satisfaction_form = SatisfactionForm()
    return render(
        request,
        "feedback/public_track.html",
        {"form": form, "feedback": feedback, "satisfaction_form": satisfaction_form},
        status=status,
    )
