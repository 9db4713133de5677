"""REST API of this app: thin viewsets over the same querysets, selectors and services.

Reads start from `visible_to(user)` (404 outside the caller's subtrees; a unit named in a body
outside them is "invalid pk", the same answer as for a unit that does not exist). Writes call
the services after checking the role: CHANGE for edits and committees, MANAGE for creating units
and for reorganizations (403 otherwise).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.api import AuditActorMixin
from grassroots.core.querysets import Action
from grassroots.core.views import require_action

from . import services
from .choices import CellSubtype, CommitteeKind, Position, ReorganizationKind, UnitKind
from .filtersets import (
    CommitteeFilterSet,
    CommitteeSeatFilterSet,
    ReorganizationFilterSet,
    UnitFilterSet,
)
from .models import Committee, CommitteeSeat, Lineage, Reorganization, Unit
from .selectors import unit_children, units_below_minimum

# --- serializers ---------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class VisibleUnitField(serializers.PrimaryKeyRelatedField):
    """A unit by id, among those the caller sees (others are "invalid pk", so their existence
    does not leak). Every app's serializers take units through it."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Unit.objects.none()
        return Unit.objects.visible_to(request.user, Action.VIEW)


@extend_schema_field(OpenApiTypes.INT)
class VisibleMemberField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        from grassroots.members.models import Member

        request = self.context.get("request")
        return Member.objects.visible_to(getattr(request, "user", None))


@extend_schema_field(OpenApiTypes.INT)
class VisibleCandidateField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        from grassroots.members.models import Candidate

        request = self.context.get("request")
        return Candidate.objects.visible_to(getattr(request, "user", None))


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "name_folded",
            "kind",
            "cell_subtype",
            "parent",
            "path",
            "depth",
            "valid_from",
            "valid_to",
            "address",
        ]
        read_only_fields = fields


class UnitCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    cell_subtype = serializers.ChoiceField(choices=CellSubtype.choices, required=False, default="")
    parent = VisibleUnitField(required=False, allow_null=True, default=None)
    valid_from = serializers.DateField()
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class UnitUpdateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, required=False)
    name = serializers.CharField(max_length=200, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cell_subtype = serializers.ChoiceField(
        choices=CellSubtype.choices, required=False, allow_blank=True
    )


class TreeNodeSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    kind = serializers.CharField()
    path = serializers.CharField()
    closed_on = serializers.DateField(allow_null=True)
    child_count = serializers.IntegerField()


class BelowMinimumSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    counted = serializers.IntegerField(
        help_text="Official members of a cell, members of a grassroots committee, today"
    )
    minimum = serializers.IntegerField()
    official_only = serializers.BooleanField()


class LineageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lineage
        fields = ["predecessor", "successor", "share"]


PARENT_DETAILS = ("old_parent", "new_parent")


def _visible_parent_ids(reorganizations, user) -> set[int]:
    """The parents named in these reorganizations' details that `user` may see (one query)."""
    ids = {r.details.get(f"{key}_id") for r in reorganizations for key in PARENT_DETAILS} - {None}
    if not ids:
        return set()
    return set(
        Unit.objects.visible_to(user, Action.VIEW).filter(pk__in=ids).values_list("pk", flat=True)
    )


class ReorganizationListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        if request is not None:
            self.context["visible_parent_ids"] = _visible_parent_ids(items, request.user)
        return super().to_representation(items)


class ReorganizationSerializer(serializers.ModelSerializer):
    """A reorganization with its lineage. A parent in the details outside the reader's roles is
    neither named nor given by id, as on the History page."""

    lineage = LineageSerializer(many=True, read_only=True)

    class Meta:
        model = Reorganization
        fields = [
            "id",
            "kind",
            "effective_date",
            "decision_number",
            "decision_date",
            "issuer",
            "note",
            "unit",
            "details",
            "lineage",
            "created_at",
        ]
        read_only_fields = fields
        list_serializer_class = ReorganizationListSerializer

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None:
            return data
        visible = self.context.get("visible_parent_ids")
        if visible is None:
            visible = _visible_parent_ids([instance], request.user)
        details = dict(data["details"] or {})
        for key in PARENT_DETAILS:
            if details.get(f"{key}_id") is not None and details[f"{key}_id"] not in visible:
                details[f"{key}_id"] = None
                details[f"{key}_name"] = ""
        data["details"] = details
        return data


class SplitPartSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=UnitKind.choices, required=False, allow_blank=True, default=""
    )
    cell_subtype = serializers.ChoiceField(
        choices=CellSubtype.choices, required=False, allow_blank=True, default=""
    )
    parent = VisibleUnitField(required=False, allow_null=True, default=None)
    cells = VisibleUnitField(many=True, required=False, default=list)
    members = VisibleMemberField(many=True, required=False, default=list)
    candidates = VisibleCandidateField(many=True, required=False, default=list)


class ReorganizationCreateSerializer(serializers.Serializer):
    """The arguments of the service of `kind` (unit_merge, unit_split, unit_rename, unit_move,
    unit_dissolve); `dry_run` returns the preview without writing."""

    kind = serializers.ChoiceField(choices=ReorganizationKind.choices)
    dry_run = serializers.BooleanField(required=False, default=False)
    effective_date = serializers.DateField()
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField()
    issuer = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    # merge
    sources = VisibleUnitField(many=True, required=False)
    into = VisibleUnitField(required=False, allow_null=True)
    new_code = serializers.CharField(required=False, allow_blank=True)
    new_name = serializers.CharField(required=False, allow_blank=True)
    new_kind = serializers.ChoiceField(choices=UnitKind.choices, required=False, allow_blank=True)
    new_cell_subtype = serializers.ChoiceField(
        choices=CellSubtype.choices, required=False, allow_blank=True
    )
    new_parent = VisibleUnitField(required=False, allow_null=True)
    # split
    source = VisibleUnitField(required=False)
    parts = SplitPartSerializer(many=True, required=False)
    # rename, move, dissolve
    unit = VisibleUnitField(required=False)

    ARGUMENTS = {
        ReorganizationKind.MERGE: (
            ["sources"],
            ["into", "new_code", "new_name", "new_kind", "new_cell_subtype", "new_parent"],
        ),
        ReorganizationKind.SPLIT: (["source", "parts"], []),
        ReorganizationKind.RENAME: (["unit", "new_name"], ["new_code"]),
        ReorganizationKind.MOVE: (["unit", "new_parent"], []),
        ReorganizationKind.DISSOLVE: (["unit"], []),
    }

    def validate(self, attrs):
        required, optional = self.ARGUMENTS[attrs["kind"]]
        missing = {
            name: [str(serializers.Field.default_error_messages["required"])]
            for name in required
            if attrs.get(name) in (None, "")
        }
        if missing:
            raise serializers.ValidationError(missing)
        arguments = {
            name: attrs[name]
            for name in (
                "effective_date",
                "decision_number",
                "decision_date",
                "issuer",
                "note",
                *required,
                *optional,
            )
            if name in attrs
        }
        attrs["arguments"] = arguments
        return attrs


class PreviewSerializer(serializers.Serializer):
    kind = serializers.CharField()
    units_closed = serializers.IntegerField()
    units_created = serializers.IntegerField()
    members_moved = serializers.IntegerField()
    cells_moved = serializers.IntegerField()
    candidates_moved = serializers.IntegerField()
    sentences = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


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


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="The tree of this date (YYYY-MM-DD)."
)


def _require_all(user, units, action_name: str) -> None:
    for unit in units:
        if unit is not None:
            require_action(user, unit, action_name)


@extend_schema_view(
    create=extend_schema(request=UnitCreateSerializer, responses={201: UnitSerializer}),
    partial_update=extend_schema(request=UnitUpdateSerializer, responses={200: UnitSerializer}),
)
class UnitViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Units of the caller's subtrees. Filters: kind, parent, code, q (name with or without
    diacritics, or the start of the code), as_of (units existing that day), open."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    queryset = Unit.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Unit.objects.none()
        return Unit.objects.visible_to(self.request.user).order_by("path")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = UnitCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["parent"] is None:
            if not request.user.is_superuser:
                raise PermissionDenied
        else:
            require_action(request.user, data["parent"], Action.MANAGE)
        unit = services.unit_create(actor=request.user, **data)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        unit = self.get_object()
        require_action(request.user, unit, Action.CHANGE)
        serializer = UnitUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        unit = services.unit_update(actor=request.user, unit=unit, **serializer.validated_data)
        return Response(UnitSerializer(unit).data)

    @extend_schema(
        parameters=[AS_OF], responses={200: TreeNodeSerializer(many=True)}, filters=False
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def children(self, request: Request, pk=None) -> Response:
        """The units directly under this one, with the number of units under each (the lazy
        tree)."""
        unit = self.get_object()
        day = None
        if request.query_params.get("as_of"):
            day = serializers.DateField().to_internal_value(request.query_params["as_of"])
        nodes = unit_children(unit=unit, user=request.user, as_of=day)
        page = self.paginate_queryset(nodes)
        return self.get_paginated_response(TreeNodeSerializer(page, many=True).data)

    @extend_schema(responses={200: BelowMinimumSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], url_path="below-minimum", filterset_class=None)
    def below_minimum(self, request: Request, pk=None) -> Response:
        """The open cells and grassroots committees of this unit's subtree below the minimum
        size of their kind today (rule settings cell_min_official_members and
        grassroots_committee_min_members), smallest first."""
        unit = self.get_object()
        page = self.paginate_queryset(units_below_minimum(unit=unit))
        return self.get_paginated_response(BelowMinimumSerializer(page, many=True).data)


@extend_schema_view(
    create=extend_schema(
        request=ReorganizationCreateSerializer,
        responses={201: ReorganizationSerializer, 200: PreviewSerializer},
        description="Records a merge, split, rename, move or dissolve through its service; with "
        "dry_run=true returns what it would do (the preview) and writes nothing.",
    ),
)
class ReorganizationViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reorganizations touching the caller's subtrees, with their lineage."""

    serializer_class = ReorganizationSerializer
    filterset_class = ReorganizationFilterSet
    queryset = Reorganization.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reorganization.objects.none()
        return (
            Reorganization.objects.visible_to(self.request.user)
            .prefetch_related("lineage")
            .order_by("-effective_date", "-id")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ReorganizationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        arguments = data["arguments"]
        involved = [
            *arguments.get("sources", []),
            arguments.get("into"),
            arguments.get("new_parent"),
            arguments.get("unit"),
            arguments.get("source"),
        ]
        for part in arguments.get("parts", []):
            involved.append(part.get("parent"))
        _require_all(request.user, involved, Action.MANAGE)
        if "parts" in arguments:
            arguments["parts"] = [dict(part) for part in arguments["parts"]]
        dry_run = data["dry_run"] or request.query_params.get("dry_run") in ("1", "true", "True")
        if dry_run:
            preview = services.reorganization_preview(
                kind=data["kind"], actor=request.user, **arguments
            )
            return Response(preview.as_dict(), status=status.HTTP_200_OK)
        reorg = services.REORGANIZATION_SERVICES[data["kind"]](actor=request.user, **arguments)
        return Response(
            ReorganizationSerializer(reorg, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


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
        require_action(request.user, data["unit"], Action.CHANGE)
        term = services.term_get_or_create(
            start_year=data.pop("term_start_year"), end_year=data.pop("term_end_year")
        )
        committee = services.committee_create(actor=request.user, term=term, **data)
        return Response(CommitteeSerializer(committee).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        committee = self.get_object()
        require_action(request.user, committee, Action.CHANGE)
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
        require_action(request.user, data["committee"], Action.CHANGE)
        seat = services.seat_add(actor=request.user, **data)
        return Response(CommitteeSeatSerializer(seat).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SeatEndSerializer, responses={200: CommitteeSeatSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        """End the seat on `to_date`."""
        seat = self.get_object()
        require_action(request.user, seat, Action.CHANGE)
        serializer = SeatEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        seat = services.seat_end(
            actor=request.user, seat=seat, to_date=serializer.validated_data["to_date"]
        )
        return Response(CommitteeSeatSerializer(seat).data)


def register(router) -> None:
    router.register("units", UnitViewSet, basename="unit")
    router.register("reorganizations", ReorganizationViewSet, basename="reorganization")
    router.register("committees", CommitteeViewSet, basename="committee")
    router.register("committee-seats", CommitteeSeatViewSet, basename="committee-seat")
