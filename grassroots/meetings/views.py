"""Pages of the meetings: a unit's Meetings tab, the lists, a meeting and the forms over its
services, the findings, the liaisons, the calendar, the printable agenda, minutes and
attendance sheet, and the XLSX exports.

Access: a meeting (an assignment, a unit) outside the user's subtrees is a 404; the forms need
CHANGE on the meeting's unit, else 403. A locked meeting answers its edit forms with the page
saying so (409) rather than a form the service would refuse."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Access, Action
from grassroots.core.views import (
    Crumb,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
    paginate,
    query_without_page,
    vary_on_htmx,
)
from grassroots.members.models import Member
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit
from grassroots.organizations.views import unit_context, unit_form_trail, unit_trail

from . import exports, findings, services
from .choices import MeetingKind
from .filtersets import AssignmentFilterSet, MeetingFilterSet
from .forms import (
    AssessmentForm,
    AssignmentFields,
    AssignmentStatusForm,
    AttendanceForm,
    CalendarForm,
    CorrectionForm,
    DecisionForm,
    DeleteForm,
    DocumentForm,
    FindingsForm,
    LiaisonEndForm,
    LiaisonForm,
    MeetingForm,
    MinutesForm,
    PublishForm,
    SignForm,
)
from .models import Assignment, Attendance, Decision, Liaison, Meeting, MeetingDocument
from .selectors import (
    assignment_counts,
    follow_up_assignments,
    liaison_rows,
    unit_calendar,
    unit_members,
)


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def unit_meetings_url(unit: Unit) -> str:
    return reverse("meetings:unit_meetings", args=[unit.pk])


def meeting_trail(user, meeting: Meeting) -> list[Crumb]:
    trail = unit_trail(user, meeting.unit, include_self=True)
    return [*trail, Crumb(_("Meetings"), unit_meetings_url(meeting.unit))]


def _meetings_of(user):
    return Meeting.objects.visible_to(user).select_related("unit", "visitor_seat__member")


# --- the unit's tab, the lists -----------------------------------------------------------------


@login_required
def unit_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's meetings, newest first, with its open and overdue assignments and the way to
    its calendar, findings and liaisons. A tab of the unit page (organizations' `unit_context`
    gives its header), not a list of one model's filtered rows: hence no `ScopedListView`."""
    context = unit_context(request, pk, "meetings")
    unit = context["unit"]
    meetings = Meeting.objects.filter(unit=unit).order_by("-date", "-id")
    page = paginate(request, meetings, 24)
    context.update(
        meetings=page,
        page_obj=page,
        query_without_page=query_without_page(request),
        is_cell=unit.kind in CELL_KINDS,
        counts=assignment_counts(unit, timezone.localdate()),
        today=timezone.localdate(),
    )
    return render(request, "meetings/unit_meetings.html", context)


class MeetingListView(ScopedListView):
    """Meetings of the user's subtrees (of `?unit=` and the units under it), filtered."""

    model = Meeting
    filterset_class = MeetingFilterSet
    template_name = "meetings/meeting_list.html"
    partial_template_name = "meetings/_meeting_results.html"
    context_object_name = "meetings"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-date", "unit__path", "-id")


class AssignmentListView(ScopedListView):
    """Assignments of the user's subtrees, filtered by unit, status (overdue included), member
    or meeting."""

    model = Assignment
    filterset_class = AssignmentFilterSet
    template_name = "meetings/assignment_list.html"
    partial_template_name = "meetings/_assignment_results.html"
    context_object_name = "assignments"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "decision__meeting")
            .prefetch_related("members")
            .order_by("due_date", "id")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


@login_required
def member_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's assignments from the meetings, open first. Hand-written: one member's rows
    under the member's header, not a filtered list page."""
    member = get_visible_or_404(Member.objects.select_related("unit"), request.user, pk=pk)
    assignments = (
        Assignment.objects.visible_to(request.user)
        .filter(members=member)
        .select_related("unit", "decision__meeting")
        .prefetch_related("members")
        .order_by("status", "due_date", "id")
    )
    return render(
        request,
        "meetings/member_assignments.html",
        {
            "member": member,
            "assignments": assignments,
            "today": timezone.localdate(),
            "trail": [
                Crumb(_("Members"), reverse("members:member_list")),
                Crumb(member.full_name, reverse("members:member_detail", args=[member.pk])),
            ],
        },
    )


# --- one meeting -------------------------------------------------------------------------------


def _meeting(request, pk: int) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.select_related(
            "unit", "visitor_seat__member", "visitor_seat__committee__unit"
        ),
        request.user,
        pk=pk,
    )


def meeting_context(request, meeting: Meeting) -> dict:
    attendance = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("member__sort_name", "id")
    )
    decisions = meeting.decisions.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.prefetch_related("members").order_by("id"),
        )
    ).order_by("number")
    return {
        "meeting": meeting,
        "unit": meeting.unit,
        "attendance": attendance,
        "decisions": decisions,
        "follow_ups": follow_up_assignments(meeting),
        "corrections": meeting.corrections.order_by("recorded_on", "id"),
        "documents": meeting.documents.order_by("id"),
        "today": timezone.localdate(),
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: its agenda and documents, the assignments it follows up, attendance and
    rate, minutes and assessment, decisions with their assignments, and corrections. Several
    models on one page, neither a form nor a list: hand-written."""
    meeting = _meeting(request, pk)
    context = meeting_context(request, meeting)
    context.update(
        trail=meeting_trail(request.user, meeting),
        can_change=Access.of(request.user).may(Action.CHANGE, meeting.unit),
        absent=[a for a in context["attendance"] if a.status != "present"],
    )
    return render(request, "meetings/meeting_detail.html", context)


class _MeetingFormView(ServiceFormView):
    """The forms about one meeting: on its trail, back to the meeting."""

    action = Action.CHANGE
    template_name = "meetings/meeting_form.html"
    open_when_locked = False

    def get_queryset(self):
        return Meeting.objects.select_related("unit")

    def meeting(self) -> Meeting:
        return self.object

    def permission_unit(self, obj):
        return self.meeting().unit if obj is not None else None

    def refuse(self):
        if self.meeting().is_locked and not self.open_when_locked:
            return render(
                self.request,
                "meetings/meeting_locked.html",
                {
                    "meeting": self.meeting(),
                    "trail": meeting_trail(self.request.user, self.meeting()),
                },
                status=409,
            )
        return None

    def title(self) -> str:
        raise NotImplementedError

    def get_success_url(self, result) -> str:
        return meeting_url(self.meeting())

    def get_context_data(self, **kwargs):
        meeting = self.meeting()
        return super().get_context_data(
            meeting=meeting,
            title=self.title(),
            trail=[
                *meeting_trail(self.request.user, meeting),
                Crumb(str(meeting), meeting_url(meeting)),
            ],
            cancel_url=meeting_url(meeting),
            **kwargs,
        )


class MeetingCreateView(ServiceFormView):
    """Schedule a meeting of the unit with its draft agenda."""

    model = Unit
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"
    success_message = gettext_lazy(
        "The meeting was recorded. Publish its agenda when it is agreed."
    )

    def get_form_kwargs(self):
        return {"unit": self.object, "user": self.request.user}

    def get_initial(self):
        kind = MeetingKind.REGULAR if self.object.kind in CELL_KINDS else MeetingKind.COMMITTEE
        return {"kind": kind}

    def call_service(self, form):
        data = form.cleaned_data
        return services.meeting_create(actor=self.request.user, unit=self.object, **data)

    def get_success_url(self, result) -> str:
        return meeting_url(result)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New meeting of %(unit)s") % {"unit": self.object},
            trail=unit_form_trail(self.request.user, self.object),
            cancel_url=unit_meetings_url(self.object),
            multipart=False,
            **kwargs,
        )


class MeetingEditView(_MeetingFormView):
    """Change the meeting's date, place, topic, agenda or attending committee member."""

    success_message = gettext_lazy("The changes were saved.")

    def title(self) -> str:
        return _("Edit %(meeting)s") % {"meeting": self.object}

    def get_form(self, data=None, files=None):
        return MeetingForm(
            data, instance=self.object, unit=self.object.unit, user=self.request.user
        )

    def call_service(self, form):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        self.object.refresh_from_db()  # the ModelForm wrote its values onto the instance
        return services.meeting_update(actor=self.request.user, meeting=self.object, **changed)


class MeetingDeleteView(_MeetingFormView):
    """Remove a meeting called off or scheduled by mistake, while nothing is recorded of it."""

    form_class = DeleteForm
    success_message = gettext_lazy("The meeting was removed.")

    def title(self) -> str:
        return _("Remove %(meeting)s") % {"meeting": self.object}

    def call_service(self, form):
        services.meeting_delete(actor=self.request.user, meeting=self.object)

    def get_success_url(self, result) -> str:
        return unit_meetings_url(self.object.unit)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            warning=_("The meeting is removed; the audit log keeps what it was."),
            submit_label=_("Remove the meeting"),
            **kwargs,
        )


class AgendaPublishView(_MeetingFormView):
    """Publish the agreed agenda to the unit's members."""

    form_class = PublishForm
    success_message = gettext_lazy("The agenda was published.")

    def title(self) -> str:
        return _("Publish the agenda of %(meeting)s") % {"meeting": self.object}

    def call_service(self, form):
        return services.agenda_publish(
            actor=self.request.user, meeting=self.object, day=form.cleaned_data["published_on"]
        )

    def service_error_mapping(self):
        return {"agenda": "__all__"}


class DocumentAddView(_MeetingFormView):
    """Post a document with the agenda."""

    form_class = DocumentForm
    success_message = gettext_lazy("The document was posted.")

    def title(self) -> str:
        return _("Post a document for %(meeting)s") % {"meeting": self.object}

    def call_service(self, form):
        return services.document_add(
            actor=self.request.user,
            meeting=self.object,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(multipart=True, **kwargs)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A document posted with an agenda, for whoever may see the meeting; files live outside
    the static root and are served only through this check. A file, not a page."""
    document = get_visible_or_404(MeetingDocument.objects.all(), request.user, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


class AttendanceView(_MeetingFormView):
    """Mark each member present, excused (with the reason) or absent: one row a member, large
    choices a thumb can hit on a phone."""

    template_name = "meetings/attendance_form.html"
    success_message = gettext_lazy("The attendance was recorded.")

    def title(self) -> str:
        return _("Attendance at %(meeting)s") % {"meeting": self.object}

    def get_form(self, data=None, files=None):
        rows = {a.member_id: a for a in self.object.attendance.all()}
        members = unit_members(self.object.unit, self.object.date)
        return AttendanceForm(data, members=members, rows=rows)

    def call_service(self, form):
        return services.attendance_record(
            actor=self.request.user, meeting=self.object, entries=form.entries()
        )


class AssessmentView(_MeetingFormView):
    """The month's assessment of the unit and of each member on the attendance."""

    template_name = "meetings/assessment_form.html"
    success_message = gettext_lazy("The assessment was saved.")

    def title(self) -> str:
        return _("Assessment of the month at %(meeting)s") % {"meeting": self.object}

    def get_form(self, data=None, files=None):
        rows = self.object.attendance.select_related("member").order_by("member__sort_name")
        initial = {
            "cell_strengths": self.object.cell_strengths,
            "cell_limitations": self.object.cell_limitations,
            "next_month_tasks": self.object.next_month_tasks,
        }
        return AssessmentForm(data, rows=rows, initial=initial)

    def call_service(self, form):
        data = form.cleaned_data
        return services.assessment_record(
            actor=self.request.user,
            meeting=self.object,
            cell_strengths=data["cell_strengths"],
            cell_limitations=data["cell_limitations"],
            next_month_tasks=data["next_month_tasks"],
            members=form.member_assessments(),
        )


class MinutesView(_MeetingFormView):
    """The minutes: the text, who chaired and who took them, whether the committee member came."""

    form_class = MinutesForm
    success_message = gettext_lazy("The minutes were saved.")

    def title(self) -> str:
        return _("Minutes of %(meeting)s") % {"meeting": self.object}

    def get_initial(self):
        m = self.object
        return {
            "minutes": m.minutes,
            "chair": m.chair,
            "recorder": m.recorder,
            "visitor_attended": m.visitor_attended,
        }

    def call_service(self, form):
        return services.minutes_save(
            actor=self.request.user, meeting=self.object, **form.cleaned_data
        )


class SignView(_MeetingFormView):
    """Sign the minutes: the meeting is locked from then on."""

    form_class = SignForm
    success_message = gettext_lazy("The minutes were signed; the meeting is locked.")

    def title(self) -> str:
        return _("Sign the minutes of %(meeting)s") % {"meeting": self.object}

    def call_service(self, form):
        return services.meeting_sign(
            actor=self.request.user, meeting=self.object, signed_on=form.cleaned_data["signed_on"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            warning=_(
                "Once signed, the minutes cannot be edited: mistakes are recorded as corrections."
            ),
            **kwargs,
        )


class CorrectionAddView(_MeetingFormView):
    """Record a correction to signed minutes."""

    form_class = CorrectionForm
    open_when_locked = True
    success_message = gettext_lazy("The correction was recorded.")

    def title(self) -> str:
        return _("Correct the minutes of %(meeting)s") % {"meeting": self.object}

    def call_service(self, form):
        return services.correction_add(
            actor=self.request.user, meeting=self.object, **form.cleaned_data
        )


class DecisionAddView(_MeetingFormView):
    """Record a decision and, in the same form, the assignment it creates."""

    form_class = DecisionForm
    template_name = "meetings/meeting_form.html"
    success_message = gettext_lazy("The decision was recorded.")

    def title(self) -> str:
        return _("New decision of %(meeting)s") % {"meeting": self.object}

    def get_form_kwargs(self):
        return {"members": unit_members(self.object.unit, self.object.date)}

    def call_service(self, form):
        data = form.cleaned_data
        return services.decision_add(
            actor=self.request.user,
            meeting=self.object,
            text=data["text"],
            task=data["task"],
            due_date=data["due_date"],
            members=data["members"] or [],
        )


class AssignmentAddView(_MeetingFormView):
    """Another assignment created by a decision."""

    form_class = AssignmentFields
    template_name = "meetings/meeting_form.html"
    success_message = gettext_lazy("The assignment was recorded.")

    def get_queryset(self):
        return Decision.objects.select_related("meeting__unit")

    def meeting(self) -> Meeting:
        return self.object.meeting

    def title(self) -> str:
        return _("New assignment of decision %(number)s") % {"number": self.object.number}

    def get_form_kwargs(self):
        meeting = self.object.meeting
        return {"members": unit_members(meeting.unit, meeting.date)}

    def call_service(self, form):
        return services.assignment_add(
            actor=self.request.user, decision=self.object, **form.cleaned_data
        )


class AssignmentStatusView(_MeetingFormView):
    """Mark an assignment done, dropped or open again, or note its progress at a later
    meeting. Allowed after the original meeting is locked: the status is not the minutes."""

    form_class = AssignmentStatusForm
    open_when_locked = True
    success_message = gettext_lazy("The assignment was updated.")

    def get_queryset(self):
        return Assignment.objects.select_related("decision__meeting__unit", "unit")

    def meeting(self) -> Meeting:
        return self.object.decision.meeting

    def title(self) -> str:
        return _("Follow up: %(task)s") % {"task": self.object}

    def get_initial(self):
        # From a later meeting's page (`?meeting=`) the follow-up is that meeting's.
        raw = self.request.GET.get("meeting", "")
        return {"status": self.object.status, "meeting": int(raw) if raw.isdigit() else None}

    def get_form_kwargs(self):
        later = Meeting.objects.filter(
            unit_id=self.object.unit_id,
            date__gt=self.object.decision.meeting.date,
            signed_on__isnull=True,
        ).order_by("-date")
        return {"meetings": later}

    def get_success_url(self, result) -> str:
        back = self.request.GET.get("next", "")
        if back.startswith("/meetings/") and "//" not in back:
            return back
        return meeting_url(self.meeting())

    def call_service(self, form):
        data = form.cleaned_data
        return services.assignment_set_status(
            actor=self.request.user,
            assignment=self.object,
            status=data["status"],
            day=data["day"],
            reason=data["reason"],
            meeting=data["meeting"],
            note=data["note"],
        )


# --- findings, liaisons, calendar -------------------------------------------------------------


def _year(request) -> int:
    form = FindingsForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or timezone.localdate().year


@login_required
def unit_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings of the unit's cells in a year (`?year=`). A computed board, not rows of a
    model: hand-written."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=pk)
    year = _year(request)
    report = findings.unit_findings(unit, year, timezone.localdate())
    page = paginate(request, report.found, 100)
    return vary_on_htmx(
        render(
            request,
            "meetings/findings.html",
            {
                "unit": unit,
                "report": report,
                "rows": report.rows_of(page.object_list),
                "page_obj": page,
                "query_without_page": query_without_page(request),
                "year": year,
                "form": FindingsForm(initial={"year": year}),
                "threshold_percent": report.threshold * 100,
                "trail": [
                    *unit_trail(request.user, unit, include_self=True),
                    Crumb(_("Meetings"), unit_meetings_url(unit)),
                ],
            },
        )
    )


@login_required
def unit_liaisons(request: HttpRequest, pk: int) -> HttpResponse:
    """Higher-level committee members assigned to the cells of the unit's subtree, with the
    meetings of their cells and how many of them they attended. Rows of one model with figures
    computed over another: hand-written."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=pk)
    liaisons = Liaison.objects.visible_to(request.user).filter(unit__path__startswith=unit.path)
    liaisons = liaisons.order_by("unit__path", "-from_date", "id")
    return render(
        request,
        "meetings/liaisons.html",
        {
            "unit": unit,
            "rows": liaison_rows(liaisons, timezone.localdate()),
            "can_change": Access.of(request.user).may(Action.CHANGE, unit),
            "is_cell": unit.kind in CELL_KINDS,
            "trail": [
                *unit_trail(request.user, unit, include_self=True),
                Crumb(_("Meetings"), unit_meetings_url(unit)),
            ],
        },
    )


class LiaisonAddView(ServiceFormView):
    """Assign a member of a committee above the cell to attend its meetings."""

    model = Unit
    form_class = LiaisonForm
    template_name = "meetings/meeting_form.html"
    success_message = gettext_lazy("The committee member was assigned.")

    def get_form_kwargs(self):
        return {"unit": self.object, "user": self.request.user}

    def call_service(self, form):
        return services.liaison_add(actor=self.request.user, unit=self.object, **form.cleaned_data)

    def get_success_url(self, result) -> str:
        return reverse("meetings:unit_liaisons", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Assign a committee member to %(unit)s") % {"unit": self.object},
            trail=unit_form_trail(self.request.user, self.object),
            cancel_url=reverse("meetings:unit_liaisons", args=[self.object.pk]),
            **kwargs,
        )


class LiaisonEndView(ServiceFormView):
    """End a liaison's assignment; it stays in the record."""

    form_class = LiaisonEndForm
    template_name = "meetings/meeting_form.html"
    success_message = gettext_lazy("The assignment was ended.")

    def get_queryset(self):
        return Liaison.objects.select_related("unit", "seat__member")

    def call_service(self, form):
        return services.liaison_end(
            actor=self.request.user, liaison=self.object, to_date=form.cleaned_data["to_date"]
        )

    def get_success_url(self, result) -> str:
        return reverse("meetings:unit_liaisons", args=[self.object.unit_id])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("End the assignment of %(liaison)s") % {"liaison": self.object},
            trail=unit_form_trail(self.request.user, self.object.unit),
            cancel_url=self.get_success_url(None),
            **kwargs,
        )


def _month(request) -> tuple[int, int]:
    form = CalendarForm(request.GET or None)
    today = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("month"):
        text = form.cleaned_data["month"].strip()
        try:
            month, year = (int(p) for p in text.split("/"))
            dt.date(year, month, 1)
            return year, month
        except ValueError:
            pass
    return today.year, today.month


@login_required
def unit_calendar_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The meetings of the unit and the units under it in a month (`?month=mm/yyyy`), day by
    day, with the months before and after. A calendar, not a list page: hand-written."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=pk)
    year, month = _month(request)
    first = dt.date(year, month, 1)
    before = first - dt.timedelta(days=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "meetings/calendar.html",
        {
            "unit": unit,
            "days": unit_calendar(unit, request.user, year, month),
            "first": first,
            "previous": f"{before.month:02d}/{before.year}",
            "next": f"{after.month:02d}/{after.year}",
            "form": CalendarForm(initial={"month": f"{month:02d}/{year}"}),
            "can_change": Access.of(request.user).may(Action.CHANGE, unit),
            "trail": [
                *unit_trail(request.user, unit, include_self=True),
                Crumb(_("Meetings"), unit_meetings_url(unit)),
            ],
        },
    )


# --- printables ------------------------------------------------------------------------------


LOCALITY_PREFIXES = (
    "đảng bộ",
    "đảng ủy",
    "chi bộ",
    "xã",
    "phường",
    "thị trấn",
    "thôn",
    "bản",
    "khu",
)


def locality(unit: Unit | None) -> str:
    """The place name of the date line ("Mường Hum, ngày …"): the unit's name without the words
    that say what kind of organization it is."""
    if unit is None:
        return ""
    name = unit.name.strip()
    changed = True
    while changed:
        changed = False
        for prefix in LOCALITY_PREFIXES:
            if name.lower().startswith(prefix + " "):
                name = name[len(prefix) + 1 :].strip()
                changed = True
    return name


def _print(request, pk: int, template: str, **extra) -> HttpResponse:
    meeting = _meeting(request, pk)
    context = meeting_context(request, meeting)
    parent = meeting.unit.parent if meeting.unit.parent_id else None
    context.update(
        parent=parent,
        locality=locality(
            parent if parent is not None and meeting.unit.kind in CELL_KINDS else meeting.unit
        ),
        members=list(unit_members(meeting.unit, meeting.date)),
        trail=meeting_trail(request.user, meeting),
        **extra,
    )
    return render(request, template, context)


@login_required
def agenda_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda in the party's layout (the header, the place and date line), with the
    assignments it follows up. A printable document: hand-written."""
    return _print(request, pk, "meetings/print_agenda.html")


@login_required
def minutes_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes (biên bản) in the party's layout, with the corrections after the signed
    text. A printable document: hand-written."""
    return _print(request, pk, "meetings/print_minutes.html")


@login_required
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """An attendance sheet to print: every member with boxes to tick and a column to sign, for
    members without a phone; the secretary enters it afterwards. Hand-written: a document."""
    return _print(request, pk, "meetings/print_attendance.html")


# --- exports ---------------------------------------------------------------------------------


@login_required
def meeting_export(request: HttpRequest) -> HttpResponse:
    """The meetings of the list's filters as XLSX. A file, not a page."""
    rows = MeetingFilterSet(
        request.GET or None,
        queryset=Meeting.objects.visible_to(request.user)
        .select_related("unit", "visitor_seat__member")
        .order_by("unit__path", "date", "id"),
        request=request,
    ).qs
    return exports.meetings_response(rows)


@login_required
def assignment_export(request: HttpRequest) -> HttpResponse:
    """The assignments of the list's filters as XLSX. A file, not a page."""
    rows = AssignmentFilterSet(
        request.GET or None,
        queryset=Assignment.objects.visible_to(request.user)
        .select_related("unit", "decision__meeting")
        .prefetch_related("members")
        .order_by("unit__path", "due_date", "id"),
        request=request,
    ).qs
    return exports.assignments_response(rows, timezone.localdate())


@login_required
def findings_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's findings of a year as XLSX. A file, not a page."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=pk)
    report = findings.unit_findings(unit, _year(request), timezone.localdate())
    return exports.findings_response(report)
