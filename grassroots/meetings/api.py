"""REST API of the meetings app (registered on the one router in config/api_urls.py): thin
viewsets over the meeting services.

Reads start from `visible_to(user)` (404 outside the caller's subtrees); writes need CHANGE on
the meeting's unit (403 for a read-only role) and call one service, whose refusal is a 400
naming the fields (a locked meeting, an assignment to a non-member)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.committees.models import CommitteeSeat
from grassroots.core.access import Access, Action
from grassroots.core.api import AuditActorMixin
from grassroots.members.api import VisibleMemberField
from grassroots.organizations.api import VisibleUnitField
from grassroots.organizations.models import Unit

from . import findings, services
from .choices import AssignmentStatus, AttendanceStatus, CorrectionPart, MeetingKind
from .filtersets import AssignmentFilterSet, LiaisonFilterSet, MeetingFilterSet
from .models import Assignment, Attendance, Decision, Liaison, Meeting, MeetingCorrection
from .selectors import liaison_rows

# --- serializers ---------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "status", "reason", "strengths", "limitations"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="decision.meeting_id", read_only=True)
    status_today = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "unit",
            "meeting",
            "decision",
            "task",
            "members",
            "due_date",
            "status",
            "status_today",
            "closed_on",
            "drop_reason",
        ]
        read_only_fields = fields

    def get_status_today(self, obj) -> str:
        return obj.status_on(timezone.localdate())


class DecisionSerializer(serializers.ModelSerializer):
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "number", "text", "assignments"]
        read_only_fields = fields


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingCorrection
        fields = ["id", "part", "text", "reason", "recorded_on"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True)
    locked = serializers.BooleanField(source="is_locked", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "unit",
            "kind",
            "date",
            "start_time",
            "place",
            "topic",
            "agenda",
            "agenda_published_on",
            "visitor_seat",
            "visitor_attended",
            "expected_count",
            "present_count",
            "excused_count",
            "rate",
            "signed_on",
            "locked",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    attendance = AttendanceSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "chair",
            "recorder",
            "minutes",
            "cell_strengths",
            "cell_limitations",
            "next_month_tasks",
            "attendance",
            "decisions",
            "corrections",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class SeatField(serializers.PrimaryKeyRelatedField):
    """A committee seat by id, among the seats of committees the caller sees."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return CommitteeSeat.objects.none()
        return CommitteeSeat.objects.visible_to(request.user)


class MeetingCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    date = serializers.DateField()
    start_time = serializers.TimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    topic = serializers.CharField(required=False, allow_blank=True, default="")
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    visitor_seat = SeatField(required=False, allow_null=True, default=None)


class MeetingUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False)
    date = serializers.DateField(required=False)
    start_time = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True)
    topic = serializers.CharField(required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    visitor_seat = SeatField(required=False, allow_null=True)


@extend_schema_serializer(component_name="MeetingPublish")
class PublishSerializer(serializers.Serializer):
    published_on = serializers.DateField(required=False, allow_null=True, default=None)


class AttendanceEntrySerializer(serializers.Serializer):
    member = VisibleMemberField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AttendanceWriteSerializer(serializers.Serializer):
    entries = AttendanceEntrySerializer(many=True)


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(allow_blank=True)
    chair = serializers.CharField(required=False, allow_blank=True, default="")
    recorder = serializers.CharField(required=False, allow_blank=True, default="")
    visitor_attended = serializers.BooleanField(required=False, allow_null=True, default=None)
    cell_strengths = serializers.CharField(required=False, allow_blank=True, default="")
    cell_limitations = serializers.CharField(required=False, allow_blank=True, default="")
    next_month_tasks = serializers.CharField(required=False, allow_blank=True, default="")


class SignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)


class CorrectionWriteSerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=CorrectionPart.choices)
    text = serializers.CharField()
    reason = serializers.CharField()
    recorded_on = serializers.DateField(required=False, allow_null=True, default=None)


class DecisionWriteSerializer(serializers.Serializer):
    text = serializers.CharField()
    task = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    members = serializers.ListField(child=VisibleMemberField(), required=False, default=list)


class AssignmentStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    day = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.none(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["meeting"].queryset = Meeting.objects.visible_to(getattr(request, "user", None))


class LiaisonSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="seat.display_name", read_only=True)

    class Meta:
        model = Liaison
        fields = ["id", "seat", "person", "unit", "from_date", "to_date"]
        read_only_fields = fields


class LiaisonCreateSerializer(serializers.Serializer):
    seat = SeatField()
    unit = VisibleUnitField()
    from_date = serializers.DateField()
    to_date = serializers.DateField(required=False, allow_null=True, default=None)


class LiaisonEndSerializer(serializers.Serializer):
    to_date = serializers.DateField()


class FindingSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    kind = serializers.CharField()
    label = serializers.CharField()
    period = serializers.CharField()
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    detail = serializers.CharField()


# --- viewsets ------------------------------------------------------------------------------


def _detail(meeting: Meeting) -> dict:
    meeting = (
        Meeting.objects.prefetch_related(
            "attendance__member", "decisions__assignments__members", "corrections"
        )
        .select_related("unit")
        .get(pk=meeting.pk)
    )
    return MeetingDetailSerializer(meeting).data


@extend_schema_view(
    create=extend_schema(request=MeetingCreateSerializer, responses={201: MeetingDetailSerializer}),
    partial_update=extend_schema(
        request=MeetingUpdateSerializer, responses={200: MeetingDetailSerializer}
    ),
    retrieve=extend_schema(responses={200: MeetingDetailSerializer}),
)
class MeetingViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Meetings of units: their agenda, attendance, minutes, decisions and corrections."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    queryset = Meeting.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("unit")
            .order_by("-date", "-id")
        )

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(_detail(self.get_object()))

    def _writable(self) -> Meeting:
        meeting = self.get_object()
        Access.of(self.request.user).require(Action.CHANGE, meeting.unit)
        return meeting

    def _data(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = self._data(MeetingCreateSerializer)
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        meeting = services.meeting_create(actor=request.user, **data)
        return Response(_detail(meeting), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        meeting = self._writable()
        serializer = MeetingUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_update(
            actor=request.user, meeting=meeting, **serializer.validated_data
        )
        return Response(_detail(meeting))

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        """Remove a meeting while nothing is recorded of it."""
        services.meeting_delete(actor=request.user, meeting=self._writable())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=PublishSerializer, responses={200: MeetingDetailSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk=None) -> Response:
        """Publish the agenda to the unit's members."""
        meeting = self._writable()
        data = self._data(PublishSerializer)
        meeting = services.agenda_publish(
            actor=request.user, meeting=meeting, day=data["published_on"]
        )
        return Response(_detail(meeting))

    @extend_schema(request=AttendanceWriteSerializer, responses={200: MeetingDetailSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk=None) -> Response:
        """Record every member present, excused (with the reason) or absent."""
        meeting = self._writable()
        data = self._data(AttendanceWriteSerializer)
        entries = [
            services.AttendanceEntry(e["member"], e["status"], e["reason"]) for e in data["entries"]
        ]
        meeting = services.attendance_record(actor=request.user, meeting=meeting, entries=entries)
        return Response(_detail(meeting))

    @extend_schema(request=MinutesSerializer, responses={200: MeetingDetailSerializer})
    @action(detail=True, methods=["post"])
    def minutes(self, request: Request, pk=None) -> Response:
        """The minutes, who chaired and took them, and the month's assessment of the unit."""
        meeting = self._writable()
        data = self._data(MinutesSerializer)
        assessment = {
            k: data.pop(k) for k in ("cell_strengths", "cell_limitations", "next_month_tasks")
        }
        with transaction.atomic():  # both or neither
            services.minutes_save(actor=request.user, meeting=meeting, **data)
            meeting = services.assessment_record(actor=request.user, meeting=meeting, **assessment)
        return Response(_detail(meeting))

    @extend_schema(request=SignSerializer, responses={200: MeetingDetailSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk=None) -> Response:
        """Sign the minutes: the meeting is locked from then on."""
        meeting = self._writable()
        data = self._data(SignSerializer)
        meeting = services.meeting_sign(
            actor=request.user, meeting=meeting, signed_on=data["signed_on"]
        )
        return Response(_detail(meeting))

    @extend_schema(request=CorrectionWriteSerializer, responses={201: CorrectionSerializer})
    @action(detail=True, methods=["post"])
    def corrections(self, request: Request, pk=None) -> Response:
        """Record a correction to signed minutes."""
        meeting = self._writable()
        data = self._data(CorrectionWriteSerializer)
        correction = services.correction_add(actor=request.user, meeting=meeting, **data)
        return Response(CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, pk=None) -> Response:
        """Record a decision and, with `task`, `due_date` and `members`, its assignment."""
        meeting = self._writable()
        data = self._data(DecisionWriteSerializer)
        decision = services.decision_add(actor=request.user, meeting=meeting, **data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class AssignmentViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Assignments created by the meetings' decisions (`?status=overdue` for those late)."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    queryset = Assignment.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return (
            Assignment.objects.visible_to(self.request.user)
            .select_related("decision")
            .prefetch_related("members")
            .order_by("due_date", "id")
        )

    @extend_schema(request=AssignmentStatusSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk=None) -> Response:
        """Mark done, dropped (with the reason) or open again; with `meeting`, as its follow-up."""
        assignment = self.get_object()
        Access.of(request.user).require(Action.CHANGE, assignment.unit)
        serializer = AssignmentStatusSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        assignment = services.assignment_set_status(
            actor=request.user, assignment=assignment, **serializer.validated_data
        )
        return Response(AssignmentSerializer(assignment).data)


@extend_schema_view(
    create=extend_schema(request=LiaisonCreateSerializer, responses={201: LiaisonSerializer})
)
class LiaisonViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Higher-level committee members assigned to attend the cells' meetings."""

    serializer_class = LiaisonSerializer
    filterset_class = LiaisonFilterSet
    queryset = Liaison.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Liaison.objects.none()
        return (
            Liaison.objects.visible_to(self.request.user)
            .select_related("seat__member")
            .order_by("unit", "-from_date", "id")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = LiaisonCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        liaison = services.liaison_add(actor=request.user, **data)
        return Response(LiaisonSerializer(liaison).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LiaisonEndSerializer, responses={200: LiaisonSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        """End the assignment on `to_date`."""
        liaison = self.get_object()
        Access.of(request.user).require(Action.CHANGE, liaison.unit)
        serializer = LiaisonEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        liaison = services.liaison_end(
            actor=request.user, liaison=liaison, to_date=serializer.validated_data["to_date"]
        )
        return Response(LiaisonSerializer(liaison).data)

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"])
    def attendance(self, request: Request) -> Response:
        """Each liaison (of `?unit=` and the units under it) with the meetings of their cell and
        how many of them they attended."""
        rows = liaison_rows(self.filter_queryset(self.get_queryset()), timezone.localdate())
        return Response(
            [
                {
                    **LiaisonSerializer(r.liaison).data,
                    "meetings": r.meetings,
                    "attended": r.attended,
                }
                for r in rows
            ]
        )


FINDINGS_PAGE = 100  # cells a page of the findings' details, as on the page


class MeetingFindingsViewSet(viewsets.ViewSet):
    """The meeting findings of `?unit=` (required) and the cells under it in `?year=`: the
    counts over every cell, and the findings of the cells with any, a hundred cells a page
    (`?page=`, from 1; `pages` says how many)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter("year", int, required=False),
            OpenApiParameter("page", int, required=False),
        ],
        responses={200: FindingSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        raw_unit = request.query_params.get("unit", "")
        if not raw_unit.isdigit():
            raise ValidationError({"unit": [_("Give the unit's id.")]})
        unit = Unit.objects.visible_to(request.user).filter(pk=int(raw_unit)).first()
        if unit is None:
            raise NotFound
        raw_year = request.query_params.get("year", "")
        year = int(raw_year) if raw_year.isdigit() else timezone.localdate().year
        if not 1930 <= year <= 2100:
            raise ValidationError({"year": [_("Give a year between 1930 and 2100.")]})
        raw_page = request.query_params.get("page", "1")
        if not raw_page.isdigit() or int(raw_page) < 1:
            raise ValidationError({"page": [_("Give a page number from 1.")]})
        page = int(raw_page)
        report = findings.unit_findings(unit, year, timezone.localdate())
        pages = max(1, -(-len(report.found) // FINDINGS_PAGE))
        if page > pages:
            raise NotFound
        cells = report.found[(page - 1) * FINDINGS_PAGE : page * FINDINGS_PAGE]
        return Response(
            {
                "unit": unit.pk,
                "year": year,
                "cells": report.cells,
                "threshold": str(report.threshold),
                "sign_days": report.sign_days,
                "counts": report.counts,
                "cells_with_findings": len(report.found),
                "page": page,
                "pages": pages,
                "findings": FindingSerializer(
                    [f for row in report.rows_of(cells) for f in row.findings], many=True
                ).data,
            }
        )


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("meeting-assignments", AssignmentViewSet, basename="meeting-assignment")
    router.register("meeting-liaisons", LiaisonViewSet, basename="meeting-liaison")
    router.register("meeting-findings", MeetingFindingsViewSet, basename="meeting-findings")
