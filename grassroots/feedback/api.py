"""REST API of citizens' feedback: thin viewsets over the feedback services and the board.

Reads start from `visible_to(user)` (404 outside the caller's subtrees); the citizen's personal
data is in a feedback's detail only for callers who may see its responsible unit, and each
reading is logged; writes need CHANGE on the responsible unit (403 for a read-only role). The
board takes `?from=&to=&unit=` like its page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.access import Access, Action
from grassroots.core.api import AuditActorMixin
from grassroots.core.audit import record_read
from grassroots.organizations.api import VisibleUnitField

from . import conf, selectors, services
from .choices import STAFF_CHANNELS, Category, Satisfaction
from .filtersets import FeedbackFilterSet
from .forms import board_params
from .models import Feedback

# --- serializers ---------------------------------------------------------------------------


class FeedbackSerializer(serializers.ModelSerializer):
    """A feedback without the citizen's personal data (lists, and callers who may not see
    them)."""

    tracking_code = serializers.CharField(source="display_code", read_only=True)
    answered_on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "tracking_code",
            "unit",
            "origin_unit",
            "place",
            "channel",
            "source_note",
            "category",
            "subject",
            "body",
            "received_on",
            "first_due_date",
            "due_date",
            "status",
            "assigned_to",
            "escalation_level",
            "answer",
            "answered_on",
            "answer_days",
            "answered_on_time",
            "closed_on",
            "satisfaction",
            "satisfaction_note",
        ]
        read_only_fields = fields


class CitizenSerializer(serializers.Serializer):
    name = serializers.CharField(source="citizen_name")
    phone = serializers.CharField(source="citizen_phone")
    address = serializers.CharField(source="citizen_address")
    id_number = serializers.CharField(source="citizen_id_number")


class FeedbackDetailSerializer(FeedbackSerializer):
    citizen = serializers.SerializerMethodField()

    class Meta(FeedbackSerializer.Meta):
        fields = [*FeedbackSerializer.Meta.fields, "citizen"]
        read_only_fields = fields

    def get_citizen(self, obj) -> dict | None:
        if not self.context.get("shows_person"):
            return None
        return CitizenSerializer(obj).data


class FeedbackCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    channel = serializers.ChoiceField(choices=STAFF_CHANNELS)
    source_note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    category = serializers.ChoiceField(choices=Category.choices)
    subject = serializers.CharField(max_length=conf.SUBJECT_MAX_CHARS)
    body = serializers.CharField(max_length=conf.BODY_MAX_CHARS)
    citizen_name = serializers.CharField(max_length=150)
    citizen_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    citizen_address = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    citizen_id_number = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default=""
    )
    received_on = serializers.DateField(required=False, allow_null=True, default=None)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), allow_null=True
    )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=conf.ANSWER_MAX_CHARS)
    answered_on = serializers.DateField(required=False, allow_null=True, default=None)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class SatisfactionSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class BoardRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    key = serializers.CharField()
    unit = serializers.IntegerField(allow_null=True)
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    open = serializers.IntegerField()
    average_days_to_answer = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)


class BoardSerializer(serializers.Serializer):
    total = BoardRowSerializer()
    by_unit = BoardRowSerializer(many=True)
    by_category = BoardRowSerializer(many=True)


# --- viewsets ------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=FeedbackCreateSerializer, responses={201: FeedbackSerializer}),
    retrieve=extend_schema(responses={200: FeedbackDetailSerializer}),
)
class FeedbackViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Citizens' feedback: staff intake, assignment, the answer, closing."""

    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilterSet
    queryset = Feedback.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Feedback.objects.none()
        return (
            Feedback.objects.visible_to(self.request.user)
            .select_related("unit")
            .order_by("-received_on", "-id")
        )

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        feedback = self.get_object()
        shows_person = Access.of(request.user).may(Action.VIEW, feedback.unit)
        if shows_person:
            record_read(feedback, user=request.user, read="feedback_citizen", note="api")
        data = FeedbackDetailSerializer(feedback, context={"shows_person": shows_person}).data
        return Response(data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = FeedbackCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        feedback = services.feedback_receive(actor=request.user, **data)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)

    def _changeable(self, request: Request) -> Feedback:
        feedback = self.get_object()
        Access.of(request.user).require(Action.CHANGE, feedback.unit)
        return feedback

    @extend_schema(request=AssignSerializer, responses={200: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk=None) -> Response:
        """Give the feedback to a person (`assignee`: a user id, or null to take it back)."""
        feedback = self._changeable(request)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.feedback_assign(
            actor=request.user, feedback=feedback, assignee=serializer.validated_data["assignee"]
        )
        return Response(FeedbackSerializer(feedback).data)

    @extend_schema(request=AnswerSerializer, responses={200: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk=None) -> Response:
        """Answer the feedback; the answer is published on the citizen's tracking page."""
        feedback = self._changeable(request)
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.feedback_answer(
            actor=request.user, feedback=feedback, **serializer.validated_data
        )
        return Response(FeedbackSerializer(feedback).data)

    @extend_schema(request=None, responses={200: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        """Close answered feedback."""
        feedback = self._changeable(request)
        feedback = services.feedback_close(actor=request.user, feedback=feedback)
        return Response(FeedbackSerializer(feedback).data)

    @extend_schema(request=NoteSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def note(self, request: Request, pk=None) -> Response:
        """Add an internal note (never shown to the citizen)."""
        feedback = self._changeable(request)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.feedback_add_note(
            actor=request.user, feedback=feedback, note=serializer.validated_data["note"]
        )
        return Response({"id": event.pk, "note": event.note}, status=status.HTTP_201_CREATED)

    @extend_schema(request=SatisfactionSerializer, responses={200: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def satisfaction(self, request: Request, pk=None) -> Response:
        """Record the satisfaction the citizen told staff."""
        feedback = self._changeable(request)
        serializer = SatisfactionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.feedback_record_satisfaction(
            actor=request.user, feedback=feedback, **serializer.validated_data
        )
        return Response(FeedbackSerializer(feedback).data)

    @extend_schema(request=ReopenSerializer, responses={200: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk=None) -> Response:
        """Reopen answered or closed feedback with the reason; it is in progress again, due
        from today."""
        feedback = self._changeable(request)
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.feedback_reopen(
            actor=request.user, feedback=feedback, reason=serializer.validated_data["reason"]
        )
        return Response(FeedbackSerializer(feedback).data)


class FeedbackBoardViewSet(AuditActorMixin, viewsets.GenericViewSet):
    """The on-time figures of the feedback the caller may see, received between `from` and `to`
    (inclusive, YYYY-MM-DD or DD/MM/YYYY), per unit (under `unit` when given) and per category."""

    serializer_class = BoardSerializer
    queryset = Feedback.objects.none()
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First day of receipt"),
            OpenApiParameter("to", str, description="Last day of receipt"),
            OpenApiParameter("unit", int, description="Unit id: one row per unit under it"),
        ],
        responses={200: BoardSerializer},
    )
    def list(self, request: Request) -> Response:
        date_from, date_to, unit, errors = board_params(request, request.query_params)
        if errors:
            raise DRFValidationError({k: [str(m) for m in v] for k, v in errors.items()})
        board = selectors.feedback_board(
            user=request.user,
            today=timezone.localdate(),
            unit=unit,
            date_from=date_from,
            date_to=date_to,
        )
        return Response(board.as_dict())


def register(router) -> None:
    router.register("feedback", FeedbackViewSet, basename="feedback")
    router.register("feedback-board", FeedbackBoardViewSet, basename="feedback-board")
