"""Forms of the meeting pages. They parse input only; the services decide and refuse."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.committees.models import CommitteeSeat
from grassroots.core.forms import date_field
from grassroots.organizations.choices import CELL_KINDS

from .choices import AssignmentStatus, AttendanceStatus, CorrectionPart, MeetingKind
from .models import Meeting

TEXTAREA = {"rows": 4}


def _seat_label(seat: CommitteeSeat) -> str:
    return f"{seat.display_name} · {seat.get_position_display()} · {seat.committee.unit.name}"


def seats_above(unit, user):
    """Seats held on the committees of the units above `unit` (those who may be assigned to
    attend its meetings), nearest committee first: those the user sees, and those assigned to
    the unit (a cell's secretary sees who attends her cell, not the whole committee above)."""
    ids = [i for i in unit.ancestor_ids() if i != unit.pk]
    visible = CommitteeSeat.objects.visible_to(user).values("pk")
    return (
        CommitteeSeat.objects.filter(committee__unit_id__in=ids, to_date__isnull=True)
        .filter(Q(pk__in=visible) | Q(liaisons__unit=unit))
        .select_related("committee__unit", "member")
        .distinct()
        .order_by("-committee__unit__depth", "position", "id")
    )


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _seat_label(obj)


class MeetingForm(forms.ModelForm):
    date = date_field(_("Date"))
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"placeholder": "19:30", "inputmode": "numeric", "size": 6}),
    )
    visitor_seat = SeatChoiceField(
        label=_("Higher-level committee member attending"),
        queryset=CommitteeSeat.objects.none(),
        required=False,
        help_text=_("Left empty: the member assigned to the cell on that date."),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "date", "start_time", "place", "topic", "agenda", "visitor_seat"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        if unit.kind in CELL_KINDS:
            self.fields["kind"].choices = [
                c for c in MeetingKind.choices if c[0] != MeetingKind.COMMITTEE
            ]
        else:
            self.fields["kind"].choices = [
                c for c in MeetingKind.choices if c[0] in (MeetingKind.COMMITTEE, "extraordinary")
            ]
        self.fields["visitor_seat"].queryset = seats_above(unit, user)
        self.fields["agenda"].help_text = _(
            "One point a line. Open assignments of earlier meetings are added for follow-up."
        )


class DeleteForm(forms.Form):
    """Nothing to fill: the button confirms."""


class PublishForm(forms.Form):
    published_on = date_field(_("Published on"), initial=timezone.localdate)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, OpenDocument or an image, up to 10 MB.")
    )


class AttendanceForm(forms.Form):
    """One choice per member (present, excused, absent) and the reason of an excused absence:
    fields `status_<id>` and `reason_<id>`."""

    def __init__(self, *args, members, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            row = rows.get(member.pk)
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=member.full_name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect(attrs={"class": "attendance-choice"}),
                initial=row.status if row else AttendanceStatus.PRESENT,
            )
            self.fields[f"reason_{member.pk}"] = forms.CharField(
                label=_("Reason (if excused)"),
                required=False,
                max_length=200,
                initial=row.reason if row else "",
            )

    def entries(self):
        from .services import AttendanceEntry

        return [
            AttendanceEntry(
                m,
                self.cleaned_data[f"status_{m.pk}"],
                self.cleaned_data.get(f"reason_{m.pk}") or "",
            )
            for m in self.members
        ]

    def member_rows(self):
        return [(m, self[f"status_{m.pk}"], self[f"reason_{m.pk}"]) for m in self.members]


class AssessmentForm(forms.Form):
    cell_strengths = forms.CharField(
        label=_("Strengths of the month"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    cell_limitations = forms.CharField(
        label=_("Limitations of the month"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    next_month_tasks = forms.CharField(
        label=_("Tasks for the next month"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"strengths_{row.member_id}"] = forms.CharField(
                label=_("Strengths"),
                required=False,
                initial=row.strengths,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"limitations_{row.member_id}"] = forms.CharField(
                label=_("Limitations"),
                required=False,
                initial=row.limitations,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def member_assessments(self) -> dict[int, tuple[str, str]]:
        return {
            r.member_id: (
                self.cleaned_data[f"strengths_{r.member_id}"],
                self.cleaned_data[f"limitations_{r.member_id}"],
            )
            for r in self.rows
        }

    def member_rows(self):
        return [
            (r, self[f"strengths_{r.member_id}"], self[f"limitations_{r.member_id}"])
            for r in self.rows
        ]


class MinutesForm(forms.Form):
    chair = forms.CharField(label=_("Chaired by"), max_length=150, required=False)
    recorder = forms.CharField(label=_("Minutes taken by"), max_length=150, required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}))
    visitor_attended = forms.NullBooleanField(
        label=_("The higher-level committee member attended"),
        required=False,
        widget=forms.NullBooleanSelect,
    )


class SignForm(forms.Form):
    signed_on = date_field(_("Signed on"), initial=timezone.localdate)


class CorrectionForm(forms.Form):
    part = forms.ChoiceField(label=_("Part corrected"), choices=CorrectionPart.choices)
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs=TEXTAREA))
    reason = forms.CharField(label=_("Reason"), max_length=300)
    recorded_on = date_field(_("Recorded on"), initial=timezone.localdate)


class MemberChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.full_name


class AssignmentFields(forms.Form):
    task = forms.CharField(label=_("What"), widget=forms.Textarea(attrs={"rows": 3}))
    due_date = date_field(_("Due date"))
    members = MemberChoices(label=_("Members assigned"), queryset=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class DecisionForm(AssignmentFields):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs=TEXTAREA))
    field_order = ["text", "task", "due_date", "members"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].required = False
        self.fields["task"].label = _("Assignment it creates (optional): what")
        self.fields["due_date"].required = False
        self.fields["members"].required = False


class AssignmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AssignmentStatus.choices)
    day = date_field(
        _("On"), required=False, help_text=_("Left empty: the meeting's date, or today.")
    )
    reason = forms.CharField(label=_("Reason (if dropped)"), max_length=300, required=False)
    meeting = forms.ModelChoiceField(
        label=_("At the meeting"), queryset=Meeting.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Follow-up note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class LiaisonForm(forms.Form):
    seat = SeatChoiceField(label=_("Committee member"), queryset=CommitteeSeat.objects.none())
    from_date = date_field(_("From"))
    to_date = date_field(_("To"), required=False)

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = seats_above(unit, user)


class LiaisonEndForm(forms.Form):
    to_date = date_field(_("Ends on"))


class FindingsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1930, max_value=2100, required=False)


class CalendarForm(forms.Form):
    month = forms.CharField(label=_("Month (mm/yyyy)"), max_length=7, required=False)
