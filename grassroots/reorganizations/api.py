"""REST API of the reorganizations: the records of the tree's reorganizations with their lineage,
and the one endpoint that records (or, with `dry_run`, previews) a merge, split, rename, move or
dissolve through its service.

Units, members and candidates named in a body are taken among those the caller sees (others
are "invalid pk"). Who decides is the service's rule, the same as on the pages: a caller who
does not manage a unit the reorganization acts on gets 403, a parent they may not use is
refused on its field.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.access import Action
from grassroots.core.api import AuditActorMixin
from grassroots.members.api import VisibleMemberField
from grassroots.members.models import Candidate
from grassroots.organizations.api import VisibleUnitField
from grassroots.organizations.choices import CellSubtype, ReorganizationKind, UnitKind
from grassroots.organizations.filtersets import ReorganizationFilterSet
from grassroots.organizations.models import Lineage, Reorganization, Unit

from . import services

# --- serializers ---------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class VisibleCandidateField(serializers.PrimaryKeyRelatedField):
    """A candidate by id, among those the caller sees."""

    def get_queryset(self):
        request = self.context.get("request")
        return Candidate.objects.visible_to(getattr(request, "user", None))


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


# --- viewsets ------------------------------------------------------------------------------


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


def register(router) -> None:
    router.register("reorganizations", ReorganizationViewSet, basename="reorganization")
