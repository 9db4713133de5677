"""REST API of the committees: thin viewsets over the committee services.

Reads start from `visible_to(user)` (404 outside the caller's subtrees); writes need CHANGE on the
committee's unit (403 for a read-only role).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.access import Access, Action
from grassroots.core.api import AuditActorMixin
from grassroots.members.api import VisibleMemberField
from grassroots.organizations.api import VisibleUnitField

from . import services
from .choices import CommitteeKind, Position
from .filtersets import CommitteeFilterSet, CommitteeSeatFilterSet
from .models import Committee, CommitteeSeat

# --- serializers ---------------------------------------------------------------------------


class CommitteeSeatSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = CommitteeSeat
        fields = [
            "id",
            "committee",
            "member",
            "person_name",
            "display_name",
            "position",
            "from_date",
            "to_date",
        ]
        read_only_fields = fields


class CommitteeSerializer(serializers.ModelSerializer):
    term = serializers.CharField(source="term.name", read_only=True)
    seats = CommitteeSeatSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "unit",
            "term",
            "kind",
            "elected_size",
            "approved_next_size",
            "elected_on",
            "seats",
        ]
        read_only_fields = fields


class CommitteeCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    term_start_year = serializers.IntegerField()
    term_end_year = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CommitteeKind.choices)
    elected_size = serializers.IntegerField(required=False, allow_null=True, default=None)
    approved_next_size = serializers.IntegerField(required=False, allow_null=True, default=None)
    elected_on = serializers.DateField(required=False, allow_null=True, default=None)


class CommitteeUpdateSerializer(serializers.Serializer):
    elected_size = serializers.IntegerField(required=False, allow_null=True)
    approved_next_size = serializers.IntegerField(required=False, allow_null=True)
    elected_on = serializers.DateField(required=False, allow_null=True)


class SeatCreateSerializer(serializers.Serializer):
    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.none(), help_text="Committee id"
    )
    member = VisibleMemberField(required=False, allow_null=True, default=None)
    person_name = serializers.CharField(required=False, allow_blank=True, default="")
    position = serializers.ChoiceField(choices=Position.choices)
    from_date = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["committee"].queryset = Committee.objects.visible_to(
            getattr(request, "user", None)
        )


class SeatEndSerializer(serializers.Serializer):
    to_date = serializers.DateField()


# --- viewsets ------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=CommitteeCreateSerializer, responses={201: CommitteeSerializer}),
    partial_update=extend_schema(
        request=CommitteeUpdateSerializer, responses={200: CommitteeSerializer}
    ),
)
class CommitteeViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Committees of units by term, with their seats and sizes."""

    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilterSet
    queryset = Committee.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Committee.objects.none()
        return (
            Committee.objects.visible_to(self.request.user)
            .select_related("term")
            .prefetch_related("seats__member")
            .order_by("unit__path", "-term__start_year", "kind")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = CommitteeCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        term = services.term_get_or_create(
            start_year=data.pop("term_start_year"), end_year=data.pop("term_end_year")
        )
        committee = services.committee_create(actor=request.user, term=term, **data)
        return Response(CommitteeSerializer(committee).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        committee = self.get_object()
        Access.of(request.user).require(Action.CHANGE, committee.unit)
        serializer = CommitteeUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        committee = services.committee_update(
            actor=request.user, committee=committee, **serializer.validated_data
        )
        return Response(CommitteeSerializer(committee).data)


@extend_schema_view(
    create=extend_schema(request=SeatCreateSerializer, responses={201: CommitteeSeatSerializer}),
)
class CommitteeSeatViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Seats on committees; a seat ends, it is never removed."""

    serializer_class = CommitteeSeatSerializer
    filterset_class = CommitteeSeatFilterSet
    queryset = CommitteeSeat.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CommitteeSeat.objects.none()
        return (
            CommitteeSeat.objects.visible_to(self.request.user)
            .select_related("member")
            .order_by("committee", "position", "id")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = SeatCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["committee"].unit)
        seat = services.seat_add(actor=request.user, **data)
        return Response(CommitteeSeatSerializer(seat).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SeatEndSerializer, responses={200: CommitteeSeatSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        """End the seat on `to_date`."""
        seat = self.get_object()
        Access.of(request.user).require(Action.CHANGE, seat.committee.unit)
        serializer = SeatEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        seat = services.seat_end(
            actor=request.user, seat=seat, to_date=serializer.validated_data["to_date"]
        )
        return Response(CommitteeSeatSerializer(seat).data)


def register(router) -> None:
    router.register("committees", CommitteeViewSet, basename="committee")
    router.register("committee-seats", CommitteeSeatViewSet, basename="committee-seat")
