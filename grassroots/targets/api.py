"""REST API of the targets app: thin viewsets over the same querysets, services and selectors.

Reads start from `visible_to(user)` (outside the caller's subtrees: 404; a unit or resolution
named in a body outside them is an "invalid pk", as if it did not exist). Writes need a role
that may change the unit's subtree (else 403) and go through the services, whose refusals come
back as 400 naming the fields. Approving, returning and reopening a figure need a manager at
the right level (403 otherwise). The indicator catalogue is read by everyone signed in and
changed by the system administrator only.

`POST data-value-sets/` writes many figures at once, in the spirit of DHIS2's dataValueSets:
`{"dry_run": true, "data_values": [{"indicator": "ECO-GROWTH", "unit": "LCA-SMC", "period": "2023",
"value": "10.5"}, ...]}` → an import summary (created, updated, ignored, errors by row and
field). All or nothing.

Figures are JSON numbers, or strings with a point before the decimals and no grouping
("1320.5"); "1.320,5" or "1,320.5" is refused naming the field, whatever the language (the
pages and the XLSX upload read what people type; see `numbers.parse_number`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
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
from grassroots.core.api import AuditActorMixin, ScopedPermission
from grassroots.organizations.api import VisibleUnitField

from . import review_resolver, selectors, services
from .choices import (
    Aggregation,
    ChangeBasis,
    ComputedSource,
    Direction,
    IndicatorGroup,
    ReductionBasis,
    ResolutionKind,
    ResolutionStatus,
    ReviewKind,
    TargetKind,
)
from .filtersets import DataValueFilterSet, IndicatorFilterSet, ResolutionFilterSet, TargetFilterSet
from .models import (
    AdoptedReview,
    AdoptedReviewRow,
    DataValue,
    DataValueTransition,
    Indicator,
    Resolution,
    Target,
    TargetMilestone,
)
from .numbers import parse_number

# --- fields ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class VisibleResolutionField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Resolution.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return Resolution.objects.visible_to(getattr(request, "user", None), Action.VIEW)


@extend_schema_field(OpenApiTypes.STR)
class IndicatorCodeField(serializers.SlugRelatedField):
    """An indicator by its code (ECO-GROWTH)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Indicator.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().upper())


def _figure():
    return serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string", "pattern": r"^[+-]?(\d+(\.\d+)?|\.\d+)$"}],
        "example": 1320.5,
    }
)
class FigureField(serializers.Field):
    """A figure sent to the API: a JSON number, or text with a point before the decimals and no
    grouping ("1320.5"). Text with a comma or a grouping mark is refused under the field's name."""

    def to_internal_value(self, data) -> Decimal | None:
        try:
            return parse_number(data)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value) -> str | None:
        return None if value is None else str(value)


# --- serializers -------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    numerator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    denominator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    weight = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name_vi",
            "name_en",
            "label",
            "group",
            "measure_unit",
            "decimals",
            "direction",
            "aggregation",
            "numerator",
            "denominator",
            "weight",
            "multiplier",
            "formula",
            "computed",
            "min_value",
            "max_value",
            "description",
        ]
        read_only_fields = fields


class IndicatorWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, required=False)
    name_vi = serializers.CharField(max_length=300, required=False)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    group = serializers.ChoiceField(choices=IndicatorGroup.choices, required=False)
    measure_unit = serializers.CharField(max_length=40, required=False, allow_blank=True)
    decimals = serializers.IntegerField(required=False, min_value=0, max_value=4)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    aggregation = serializers.ChoiceField(choices=Aggregation.choices, required=False)
    numerator = IndicatorCodeField(required=False, allow_null=True)
    denominator = IndicatorCodeField(required=False, allow_null=True)
    weight = IndicatorCodeField(required=False, allow_null=True)
    multiplier = serializers.DecimalField(max_digits=12, decimal_places=4, required=False)
    formula = serializers.CharField(required=False, allow_blank=True)
    computed = serializers.ChoiceField(
        choices=ComputedSource.choices, required=False, allow_blank=True
    )
    min_value = _figure()
    max_value = _figure()
    description = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("min_value", "max_value"):
            self.fields[name].required = False


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetMilestone
        fields = ["year", "value"]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.label", read_only=True)
    group = serializers.CharField(source="indicator.group", read_only=True)
    measure_unit = serializers.CharField(source="indicator.measure_unit", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "resolution",
            "position",
            "indicator",
            "indicator_name",
            "group",
            "measure_unit",
            "unit",
            "unit_name",
            "kind",
            "change_basis",
            "reduction_basis",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_value_high",
            "target_year",
            "note",
            "milestones",
        ]
        read_only_fields = fields


class TargetWriteSerializer(serializers.Serializer):
    """The arguments of `target_create` / `target_update`; `milestones` maps a year to a value."""

    resolution = VisibleResolutionField(required=False)
    indicator = IndicatorCodeField(required=False)
    unit = VisibleUnitField(required=False, allow_null=True)
    position = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    kind = serializers.ChoiceField(choices=TargetKind.choices, required=False)
    change_basis = serializers.ChoiceField(
        choices=ChangeBasis.choices, required=False, allow_blank=True
    )
    reduction_basis = serializers.ChoiceField(
        choices=ReductionBasis.choices,
        required=False,
        allow_blank=True,
        help_text="A lower-is-better level or share: level (target ÷ actual) or fall "
        "(share of the promised fall from the baseline, which needs the baseline). "
        "Empty for the other targets.",
    )
    baseline_value = FigureField(required=False, allow_null=True)
    baseline_year = serializers.IntegerField(required=False, allow_null=True)
    target_value = FigureField(required=False)
    target_value_high = FigureField(required=False, allow_null=True)
    target_year = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    milestones = serializers.DictField(child=FigureField(), required=False)


class ResolutionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    term = serializers.CharField(source="term.name", read_only=True, default=None)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Resolution
        fields = [
            "id",
            "unit",
            "unit_name",
            "number",
            "issued_on",
            "title",
            "kind",
            "term",
            "start_year",
            "end_year",
            "status",
            "ended_on",
            "end_decision_number",
            "end_decision_date",
            "end_decision_issuer",
            "replaced_by",
            "note",
            "targets",
        ]
        read_only_fields = fields


class ResolutionCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    number = serializers.CharField(max_length=60)
    issued_on = serializers.DateField()
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ResolutionKind.choices)
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResolutionUpdateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60, required=False)
    issued_on = serializers.DateField(required=False)
    title = serializers.CharField(max_length=300, required=False)
    kind = serializers.ChoiceField(choices=ResolutionKind.choices, required=False)
    start_year = serializers.IntegerField(required=False)
    end_year = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class ResolutionEndSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ResolutionStatus.choices, help_text="ended or replaced"
    )
    ended_on = serializers.DateField()
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField()
    decision_issuer = serializers.CharField(max_length=200)
    replaced_by = VisibleResolutionField(required=False, allow_null=True, default=None)


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = DataValueTransition
        fields = ["from_state", "to_state", "actor", "at", "reason", "figure"]
        read_only_fields = fields


class DataValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    entered_by = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField()

    class Meta:
        model = DataValue
        fields = [
            "id",
            "indicator",
            "unit",
            "unit_code",
            "unit_name",
            "period",
            "period_kind",
            "period_start",
            "value",
            "numerator",
            "denominator",
            "source",
            "comment",
            "state",
            "returned_reason",
            "entered_by",
            "approved_by",
            "approved_at",
            "approved_level",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DataValueDetailSerializer(DataValueSerializer):
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta(DataValueSerializer.Meta):
        fields = [*DataValueSerializer.Meta.fields, "transitions"]
        read_only_fields = fields


class DataValueWriteSerializer(serializers.Serializer):
    """A figure as the `data_value_save` service takes it; numbers as text or numbers."""

    indicator = IndicatorCodeField()
    unit = VisibleUnitField()
    period = serializers.CharField(max_length=8)
    value = FigureField(required=False, allow_null=True, default=None)
    numerator = FigureField(required=False, allow_null=True, default=None)
    denominator = FigureField(required=False, allow_null=True, default=None)
    # Left out: a figure keeps its stored source and comment; "" clears them.
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)


class DataValueCorrectionSerializer(serializers.Serializer):
    """A correction: the fields left out keep their stored values; a source or comment of ""
    clears it."""

    value = FigureField(required=False, allow_null=True)
    numerator = FigureField(required=False, allow_null=True)
    denominator = FigureField(required=False, allow_null=True)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DataValueSetRowSerializer(serializers.Serializer):
    indicator = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_blank=True)
    period = serializers.CharField(allow_blank=True)
    value = FigureField(required=False, allow_null=True)
    numerator = FigureField(required=False, allow_null=True)
    denominator = FigureField(required=False, allow_null=True)
    source = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)


class DataValueSetSerializer(serializers.Serializer):
    """Parses the request; rows stay dicts so that every row's errors come back in the import
    summary, by row and field, rather than as a request error."""

    dry_run = serializers.BooleanField(required=False, default=False)
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Send the figures up for approval."
    )
    data_values = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=50000
    )


class DataValueSetRequestSerializer(serializers.Serializer):
    """The request as documented in the schema."""

    dry_run = serializers.BooleanField(required=False, default=False)
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Send the figures up for approval."
    )
    data_values = DataValueSetRowSerializer(many=True)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportSummarySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    saved = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)


class AchievementSerializer(serializers.Serializer):
    target = serializers.IntegerField(source="target.pk")
    actual = _figure()
    actual_period = serializers.CharField(allow_null=True)
    actual_on = serializers.DateField(allow_null=True)
    numerator = _figure()
    denominator = _figure()
    percent = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    progress = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    has_data = serializers.BooleanField()
    periods = serializers.ListField(child=serializers.CharField())


class BandedAchievementSerializer(AchievementSerializer):
    band = serializers.CharField()
    as_of = serializers.DateField()


class ReviewRowSerializer(serializers.Serializer):
    target = TargetSerializer()
    achievement = AchievementSerializer()
    band = serializers.CharField()


class BandCountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    near = serializers.IntegerField()
    below = serializers.IntegerField()
    no_data = serializers.IntegerField()


class ReviewSummarySerializer(BandCountsSerializer):
    total = serializers.IntegerField()


class BandsSerializer(serializers.Serializer):
    met = serializers.DecimalField(max_digits=8, decimal_places=2)
    near = serializers.DecimalField(max_digits=8, decimal_places=2)


class SentencesSerializer(serializers.Serializer):
    vi = serializers.ListField(child=serializers.CharField())
    en = serializers.ListField(child=serializers.CharField())


class ReviewSerializer(serializers.Serializer):
    resolution = serializers.IntegerField(source="resolution.pk")
    as_of = serializers.DateField()
    bands = BandsSerializer()
    summary = serializers.SerializerMethodField()
    by_group = serializers.DictField(child=BandCountsSerializer())
    sentences = serializers.SerializerMethodField()
    rows = ReviewRowSerializer(many=True)

    @extend_schema_field(ReviewSummarySerializer)
    def get_summary(self, review: selectors.Review) -> dict:
        return {**review.counts, "total": review.total}

    @extend_schema_field(SentencesSerializer)
    def get_sentences(self, review: selectors.Review) -> dict:
        return {"vi": review.sentences("vi"), "en": review.sentences("en")}


class AdoptedReviewRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdoptedReviewRow
        fields = [
            "target",
            "position",
            "indicator_code",
            "indicator_name_vi",
            "indicator_name_en",
            "group",
            "measure_unit",
            "unit_name",
            "kind",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_value_high",
            "target_year",
            "has_data",
            "actual",
            "actual_period",
            "actual_on",
            "numerator",
            "denominator",
            "percent",
            "progress",
            "band",
            "periods",
        ]
        read_only_fields = fields


class AdoptedReviewSerializer(serializers.ModelSerializer):
    """A review as its committee adopted it, kept as issued."""

    adopted_by = serializers.StringRelatedField()
    bands = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    sentences = serializers.SerializerMethodField()
    rows = AdoptedReviewRowSerializer(many=True, read_only=True)

    class Meta:
        model = AdoptedReview
        fields = [
            "id",
            "resolution",
            "kind",
            "as_of",
            "bands",
            "summary",
            "by_group",
            "sentences",
            "note",
            "adopted_by",
            "adopted_at",
            "rows",
        ]
        read_only_fields = fields

    @extend_schema_field(BandsSerializer)
    def get_bands(self, adopted: AdoptedReview) -> dict:
        return {"met": str(adopted.met), "near": str(adopted.near)}

    @extend_schema_field(ReviewSummarySerializer)
    def get_summary(self, adopted: AdoptedReview) -> dict:
        return {**adopted.counts, "total": adopted.total}

    @extend_schema_field(SentencesSerializer)
    def get_sentences(self, adopted: AdoptedReview) -> dict:
        return {"vi": adopted.sentences_vi, "en": adopted.sentences_en}


class ReviewAdoptSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    as_of = serializers.DateField()
    met = FigureField(required=False, allow_null=True)
    near = FigureField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- query parameters ------------------------------------------------------------------------

AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="The day of the review (YYYY-MM-DD); today by default."
)
MET = OpenApiParameter(
    "met", OpenApiTypes.NUMBER, description="Achieved or exceeded from this % (default 100)."
)
NEAR = OpenApiParameter(
    "near", OpenApiTypes.NUMBER, description="Near the target from this % (default 70)."
)


def _as_of(request: Request) -> dt.date:
    text = request.query_params.get("as_of")
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError({"as_of": _("Enter a date as YYYY-MM-DD.")}) from exc


def _percentages(request: Request) -> dict[str, Decimal | None]:
    values = {}
    for name in ("met", "near"):
        try:
            values[name] = parse_number(request.query_params.get(name))
        except ValidationError as exc:
            raise ValidationError({name: _("Enter a percentage.")}) from exc
    return values


# --- viewsets ----------------------------------------------------------------------------------


def _targets_prefetch(queryset):
    return queryset.select_related("indicator", "unit").prefetch_related("milestones")


@extend_schema_view(
    create=extend_schema(request=ResolutionCreateSerializer, responses={201: ResolutionSerializer}),
    partial_update=extend_schema(
        request=ResolutionUpdateSerializer, responses={200: ResolutionSerializer}
    ),
)
class ResolutionViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Resolutions of the caller's subtrees with their targets. Filters: q, unit, unit_code,
    status, kind, year."""

    serializer_class = ResolutionSerializer
    filterset_class = ResolutionFilterSet
    permission_classes = [ScopedPermission]
    queryset = Resolution.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Resolution.objects.none()
        from django.db.models import Prefetch

        return (
            Resolution.objects.visible_to(self.request.user)
            .select_related("unit", "term")
            .prefetch_related(
                Prefetch("targets", queryset=_targets_prefetch(Target.objects.order_by("position")))
            )
            .order_by("-issued_on", "number", "pk")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ResolutionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        resolution = services.resolution_create(actor=request.user, **data)
        return Response(
            ResolutionSerializer(self.get_queryset().get(pk=resolution.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        resolution = self.get_object()
        Access.of(request.user).require(Action.CHANGE, resolution.unit)
        serializer = ResolutionUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.resolution_update(
            actor=request.user, resolution=resolution, **serializer.validated_data
        )
        return Response(ResolutionSerializer(self.get_queryset().get(pk=resolution.pk)).data)

    @extend_schema(request=ResolutionEndSerializer, responses={200: ResolutionSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        """End the resolution, or record the one that replaced it, under a decision (managers)."""
        resolution = self.get_object()
        if not services.may_end_resolution(request.user, resolution):
            raise PermissionDenied
        serializer = ResolutionEndSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.resolution_end(
            actor=request.user, resolution=resolution, **serializer.validated_data
        )
        return Response(ResolutionSerializer(self.get_queryset().get(pk=resolution.pk)).data)

    @extend_schema(request=ReviewAdoptSerializer, responses={201: AdoptedReviewSerializer})
    @action(detail=True, methods=["post"], url_path="adopt-review", url_name="adopt-review")
    def adopt_review(self, request: Request, pk=None) -> Response:
        """File the mid-term or final review its committee adopted (managers of the resolution's
        unit): the review of `as_of` with its bands, figures, results and sentences, kept as
        issued whatever is corrected later."""
        resolution = self.get_object()
        if not services.may_adopt_review(request.user, resolution):
            raise PermissionDenied
        serializer = ReviewAdoptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bands = review_resolver.bands_of(data.get("met"), data.get("near"))
        adopted = services.review_adopt(
            actor=request.user,
            resolution=resolution,
            kind=data["kind"],
            as_of=data["as_of"],
            bands=bands,
            note=data["note"],
        )
        return Response(AdoptedReviewSerializer(adopted).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[AS_OF, MET, NEAR], responses={200: ReviewSerializer}, filters=False)
    @action(detail=True, methods=["get"], filterset_class=None)
    def review(self, request: Request, pk=None) -> Response:
        """The review on `as_of`: each target's figure, achievement and band; the counts by band
        and by group; the summary sentences in Vietnamese and English."""
        resolution = self.get_object()
        shown = review_resolver.live_review(
            resolution=resolution, as_of=_as_of(request), **_percentages(request)
        )
        return Response(ReviewSerializer(shown.review).data)


@extend_schema_view(
    create=extend_schema(request=IndicatorWriteSerializer, responses={201: IndicatorSerializer}),
    partial_update=extend_schema(
        request=IndicatorWriteSerializer, responses={200: IndicatorSerializer}
    ),
)
class IndicatorViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The shared indicator catalogue: read by everyone signed in, changed by the system
    administrator. Filters: q, code, group, direction, aggregation, computed."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    queryset = Indicator.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Indicator.objects.none()
        return (
            Indicator.objects.visible_to(self.request.user)
            .select_related("numerator", "denominator", "weight")
            .order_by("group", "code")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        if not request.user.is_superuser:
            raise PermissionDenied
        serializer = IndicatorWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        indicator = services.indicator_create(actor=request.user, **serializer.validated_data)
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        indicator = self.get_object()
        if not request.user.is_superuser:
            raise PermissionDenied
        serializer = IndicatorWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        indicator = services.indicator_update(
            actor=request.user, indicator=indicator, **serializer.validated_data
        )
        return Response(IndicatorSerializer(indicator).data)


@extend_schema_view(
    create=extend_schema(request=TargetWriteSerializer, responses={201: TargetSerializer}),
    partial_update=extend_schema(request=TargetWriteSerializer, responses={200: TargetSerializer}),
)
class TargetViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Targets of the resolutions of the caller's subtrees. Filters: resolution, unit,
    unit_code, indicator, group, kind, target_year."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    permission_classes = [ScopedPermission]
    queryset = Target.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Target.objects.none()
        return _targets_prefetch(Target.objects.visible_to(self.request.user)).order_by(
            "resolution", "position"
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = TargetWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        missing = [
            name
            for name in ("resolution", "indicator", "kind", "target_value", "target_year")
            if name not in data
        ]
        if missing:
            raise ValidationError({name: _("This field is required.") for name in missing})
        Access.of(request.user).require(Action.CHANGE, data["resolution"].unit)
        target = services.target_create(actor=request.user, **data)
        return Response(
            TargetSerializer(self.get_queryset().get(pk=target.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        target = self.get_object()
        if not services.may_change_targets(request.user, target.resolution, target.unit):
            raise PermissionDenied
        serializer = TargetWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "resolution" in data:
            raise ValidationError({"resolution": _("A target stays in its resolution.")})
        if "unit" in data and data["unit"] is None:
            data.pop("unit")
        services.target_update(actor=request.user, target=target, **data)
        return Response(TargetSerializer(self.get_queryset().get(pk=target.pk)).data)

    @extend_schema(
        parameters=[AS_OF, MET, NEAR], responses={200: BandedAchievementSerializer}, filters=False
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def achievement(self, request: Request, pk=None) -> Response:
        """How far the target has come on `as_of`, in % of the target and from the baseline."""
        target = self.get_object()
        as_of = _as_of(request)
        achievement = selectors.target_achievement(target=target, as_of=as_of)
        bands = review_resolver.bands_of(**_percentages(request))
        band = bands.band_of(achievement.percent if achievement.has_data else None)
        data = AchievementSerializer(achievement).data
        return Response({**data, "band": band, "as_of": as_of.isoformat()})


@extend_schema_view(
    create=extend_schema(
        request=DataValueWriteSerializer,
        responses={201: DataValueSerializer, 200: DataValueSerializer},
        description="Enter a figure (a draft), or correct a draft or returned one (200).",
    ),
    partial_update=extend_schema(
        request=DataValueCorrectionSerializer, responses={200: DataValueSerializer}
    ),
    retrieve=extend_schema(responses={200: DataValueDetailSerializer}),
)
class DataValueViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Figures entered for the caller's subtrees, with their approval state. Filters:
    indicator, unit, unit_code, period (one or several, comma-separated), period_kind, year,
    start_from, start_to, state, group."""

    serializer_class = DataValueSerializer
    filterset_class = DataValueFilterSet
    permission_classes = [ScopedPermission]
    queryset = DataValue.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DataValue.objects.none()
        queryset = (
            DataValue.objects.visible_to(self.request.user)
            .select_related("indicator", "unit", "entered_by", "approved_by")
            .order_by("indicator__code", "unit__path", "period_start", "period")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("transitions__actor")
        return queryset

    def get_serializer_class(self):
        return DataValueDetailSerializer if self.action == "retrieve" else DataValueSerializer

    def _fresh(self, value: DataValue) -> dict:
        return DataValueSerializer(self.get_queryset().get(pk=value.pk)).data

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = DataValueWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        existed = DataValue.objects.filter(
            indicator=data["indicator"], unit=data["unit"], period=data["period"].strip().upper()
        ).exists()
        value = services.data_value_save(
            actor=request.user, **{**data, "period": data["period"].strip().upper()}
        )
        return Response(
            self._fresh(value), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        value = self.get_object()
        Access.of(request.user).require(Action.CHANGE, value.unit)
        serializer = DataValueCorrectionSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        figures = {
            "value": value.value,
            "numerator": value.numerator,
            "denominator": value.denominator,
        }
        if {"numerator", "denominator"} & set(data) and "value" not in data:
            figures["value"] = None  # recomputed from the new counts
        figures.update({k: v for k, v in data.items() if k in figures})
        texts = {name: data[name] for name in ("source", "comment") if name in data}
        value = services.data_value_save(
            actor=request.user,
            indicator=value.indicator,
            unit=value.unit,
            period=value.period,
            **figures,
            **texts,
        )
        return Response(self._fresh(value))

    @extend_schema(request=None, responses={200: DataValueSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        """Send the figure up for approval (editors and managers of its unit)."""
        value = self.get_object()
        Access.of(request.user).require(Action.CHANGE, value.unit)
        return Response(self._fresh(services.data_value_submit(actor=request.user, value=value)))

    @extend_schema(request=None, responses={200: DataValueSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        """Approve a submitted figure (a manager of its unit or of the level above)."""
        value = self.get_object()
        return Response(self._fresh(services.data_value_approve(actor=request.user, value=value)))

    @extend_schema(
        request=ReasonSerializer,
        responses={200: DataValueSerializer},
        operation_id="data_values_return",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk=None) -> Response:
        """Return a submitted figure for correction, with the reason."""
        value = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return Response(
            self._fresh(services.data_value_return(actor=request.user, value=value, reason=reason))
        )

    @extend_schema(request=ReasonSerializer, responses={200: DataValueSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk=None) -> Response:
        """Unlock an approved figure (a manager of the level that approved it), with the reason."""
        value = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return Response(
            self._fresh(services.data_value_reopen(actor=request.user, value=value, reason=reason))
        )


class DataValueSetViewSet(AuditActorMixin, viewsets.GenericViewSet):
    """Many figures in one request, in the spirit of DHIS2's dataValueSets."""

    serializer_class = DataValueSetSerializer
    queryset = DataValue.objects.none()
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        request=DataValueSetRequestSerializer,
        responses={200: ImportSummarySerializer, 400: ImportSummarySerializer},
        description="Each row: indicator (code), unit (code), period, value, and optionally "
        'numerator, denominator, source, comment (left out: the stored text stays; "": cleared). '
        "Checked row by row; any error and nothing is saved (400 with the summary). "
        "`dry_run` checks and counts without saving.",
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        if not Access.of(request.user).has_any_change_role:
            raise PermissionDenied(_("Your roles are read-only."))
        serializer = DataValueSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rows = []
        for number, raw in enumerate(data["data_values"], start=1):
            row = {
                k: raw.get(k)
                for k in ("indicator", "unit", "period", "value", "numerator", "denominator")
            }
            # A source or comment left out keeps the stored text; "" clears it.
            row.update({k: raw[k] for k in ("source", "comment") if k in raw})
            row["_row"] = number
            rows.append(row)
        summary = services.data_values_import(
            actor=request.user, rows=rows, dry_run=data["dry_run"], submit=data["submit"]
        )
        return Response(
            summary.as_dict(),
            status=status.HTTP_400_BAD_REQUEST if summary.errors else status.HTTP_200_OK,
        )


class AdoptedReviewViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reviews adopted by the committees of the caller's subtrees, kept as issued (read only;
    `POST resolutions/{id}/adopt-review/` files one). Filter: `?resolution=`."""

    serializer_class = AdoptedReviewSerializer
    queryset = AdoptedReview.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AdoptedReview.objects.none()
        queryset = (
            AdoptedReview.objects.visible_to(self.request.user)
            .select_related("adopted_by")
            .prefetch_related("rows")
            .order_by("resolution", "as_of", "id")
        )
        resolution = self.request.query_params.get("resolution")
        if resolution:
            if not resolution.isdigit():
                raise ValidationError({"resolution": _("Enter a whole number.")})
            queryset = queryset.filter(resolution_id=int(resolution))
        return queryset


def register(router) -> None:
    router.register("resolutions", ResolutionViewSet, basename="resolution")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("targets", TargetViewSet, basename="target")
    router.register("data-values", DataValueViewSet, basename="data-value")
    router.register("data-value-sets", DataValueSetViewSet, basename="data-value-set")
    router.register("adopted-reviews", AdoptedReviewViewSet, basename="adopted-review")
