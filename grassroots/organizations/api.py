"""REST API of this app: thin viewsets over the same querysets, selectors and services.

Reads start from `visible_to(user)` (404 outside the caller's subtrees; a unit named in a body
outside them is "invalid pk", the same answer as for a unit that does not exist). Writes call
the services after checking the role: CHANGE for edits, MANAGE for creating units
(403 otherwise). Reorganizations have their own API (grassroots.reorganizations.api).
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

from grassroots.core.access import Access, Action
from grassroots.core.api import AuditActorMixin

from . import hooks, services
from .choices import CellSubtype, UnitKind
from .filtersets import UnitFilterSet
from .models import Unit
from .selectors import unit_children

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


# --- viewsets ------------------------------------------------------------------------------


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="The tree of this date (YYYY-MM-DD)."
)


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
            if not Access.of(request.user).is_everywhere:
                raise PermissionDenied
        else:
            Access.of(request.user).require(Action.MANAGE, data["parent"])
        unit = services.unit_create(actor=request.user, **data)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        unit = self.get_object()
        Access.of(request.user).require(Action.CHANGE, unit)
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
        page = self.paginate_queryset(hooks.below_minimum(unit))
        return self.get_paginated_response(BelowMinimumSerializer(page, many=True).data)


def register(router) -> None:
    router.register("units", UnitViewSet, basename="unit")
