"""REST API of the classifications: thin viewsets over the same services and selectors as the
pages. Reads start from `visible_to(user)` (404 outside the caller's subtrees); writes need
CHANGE on the unit whose committee acts (403 for a read-only role), and the services check who
decides again."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.access import Access, Action
from grassroots.core.api import AuditActorMixin
from grassroots.members.models import Member
from grassroots.organizations.api import VisibleUnitField
from grassroots.organizations.models import Unit

from . import services
from .choices import CircumstanceKind, Level, StepKind
from .filtersets import ClassificationFilterSet, ReviewFilterSet
from .models import (
    Circumstance,
    Classification,
    ClassificationRun,
    ClassificationStep,
    Review,
    RuleSet,
)
from .runs import run_progress, run_start
from .selectors import classification_results

# --- serializers ---------------------------------------------------------------------------


class RuleSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleSet
        fields = "__all__"
        read_only_fields = [f.name for f in RuleSet._meta.fields]


@extend_schema_serializer(component_name="ClassificationReview")
class ReviewSerializer(serializers.ModelSerializer):
    rule_set = serializers.CharField(source="rule_set.code", read_only=True)
    members_counted = serializers.SerializerMethodField(
        help_text="Members a run over a whole subtree computed whose rows are written when the "
        "review is first opened (its detail, or the classifications with `review=`): "
        "[members, of them not reviewed]; null once written."
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "unit",
            "year",
            "quarter",
            "rule_set",
            "rules",
            "review_date",
            "opened_at",
            "members_counted",
        ]
        read_only_fields = fields

    def get_members_counted(self, obj) -> list[int] | None:
        return list(obj.members_counted()) if obj.members_deferred_at else None


class ReviewOpenSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, allow_null=True, default=None)
    review_date = serializers.DateField(required=False, allow_null=True, default=None)


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassificationStep
        fields = ["id", "kind", "level", "points", "inputs", "note", "actor", "at"]
        read_only_fields = fields


class ClassificationSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True, default="")
    quota_exception = serializers.SerializerMethodField()

    class Meta:
        model = Classification
        fields = [
            "id",
            "review",
            "year",
            "quarter",
            "subject",
            "member",
            "member_name",
            "unit",
            "form_code",
            "not_reviewed",
            "facts",
            "findings",
            "cap_level",
            "suggested_level",
            "suggested_points",
            "inputs",
            "self_level",
            "proposed_level",
            "decided_level",
            "points",
            "decided_at",
            "published_at",
            "flagged",
            "four_good",
            "quota_exception",
        ]
        read_only_fields = fields

    def get_quota_exception(self, obj) -> dict | None:
        exception = getattr(obj, "quota_exception", None)
        if exception is None:
            return None
        return {"reason": exception.reason, "allowed": exception.allowed, "used": exception.used}


class ClassificationDetailSerializer(ClassificationSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta(ClassificationSerializer.Meta):
        fields = [*ClassificationSerializer.Meta.fields, "steps"]
        read_only_fields = fields


@extend_schema_field(
    {"type": "string", "enum": list(CircumstanceKind.values)},
    component_name="CircumstanceKindEnum",
)
class CircumstanceKindField(serializers.ChoiceField):
    """A circumstance's kind, documented under its own name so that it does not collide with
    the other "kind" fields of the API."""

    def __init__(self, **kwargs):
        super().__init__(choices=CircumstanceKind.choices, **kwargs)


class CircumstanceSerializer(serializers.ModelSerializer):
    kind = CircumstanceKindField(read_only=True)
    member_name = serializers.CharField(source="member.full_name", read_only=True, default="")

    class Meta:
        model = Circumstance
        fields = [
            "id",
            "kind",
            "member",
            "member_name",
            "unit",
            "start",
            "end",
            "decision",
            "note",
        ]
        read_only_fields = fields


class CircumstanceInputSerializer(serializers.Serializer):
    """A member's exemption, suspension, sick or maternity leave (with `member`), or an
    organization's discipline (with `unit`): both found among what the caller sees."""

    kind = CircumstanceKindField()
    member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.none(), required=False, allow_null=True, default=None
    )
    unit = VisibleUnitField(required=False, allow_null=True, default=None)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)
    decision = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["member"].queryset = Member.objects.visible_to(getattr(request, "user", None))

    def acting_unit(self):
        """The unit whose staff record it: the member's, or the disciplined organization."""
        data = self.validated_data
        if data["kind"] != CircumstanceKind.ORGANIZATION_DISCIPLINED and data["member"]:
            return data["member"].unit
        return data["unit"]


class TaskInputsSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    points = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    on_time = serializers.BooleanField(required=False)
    all_done = serializers.BooleanField(required=False)
    exceeded_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    late_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    remedied = serializers.BooleanField(required=False)
    self_detected = serializers.BooleanField(required=False)
    weak_criterion = serializers.BooleanField(required=False)
    targets_met_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    main_targets_missed = serializers.BooleanField(required=False)


class StepCreateSerializer(TaskInputsSerializer):
    kind = serializers.ChoiceField(
        choices=[(StepKind.SELF_REVIEW.value, ""), (StepKind.PROPOSAL.value, "")]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    form_code = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionItemSerializer(serializers.Serializer):
    classification = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    inputs = TaskInputsSerializer(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    decisions = DecisionItemSerializer(many=True)
    exception_reason = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="ClassificationPublish")
class PublishSerializer(serializers.Serializer):
    cell = VisibleUnitField(required=False, allow_null=True, default=None)


class RunSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ClassificationRun
        fields = ["id", "unit", "year", "status", "result", "progress", "created_at", "finished_at"]
        read_only_fields = fields

    def get_progress(self, obj) -> dict:
        return run_progress(obj)


class RunCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


def _inputs(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("kind", "note", "form_code")}


# --- viewsets ------------------------------------------------------------------------------


class RuleSetViewSet(viewsets.ReadOnlyModelViewSet):
    """The rule sets and their values (the same for every caller)."""

    serializer_class = RuleSetSerializer
    queryset = RuleSet.objects.all()


@extend_schema_view(
    create=extend_schema(request=ReviewOpenSerializer, responses={201: ReviewSerializer})
)
class ReviewViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A committee's review of a year, under the rule set in force for it."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilterSet
    queryset = Review.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        return (
            Review.objects.visible_to(self.request.user)
            .select_related("rule_set", "unit")
            .order_by("-year", "unit__path")
        )

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        services.review_members_write(self.get_object())
        return super().retrieve(request, *args, **kwargs)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ReviewOpenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        review = services.review_open(actor=request.user, **data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk=None) -> Response:
        """Compute the review again from the records; decisions are never changed."""
        review = self.get_object()
        Access.of(request.user).require(Action.CHANGE, review.unit)
        return Response(services.review_compute(actor=request.user, review=review).as_dict())

    @extend_schema(request=PublishSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk=None) -> Response:
        """Make the decided results public (of one cell with `cell`)."""
        review = self.get_object()
        Access.of(request.user).require(Action.CHANGE, review.unit)
        serializer = PublishSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        n = services.review_publish(
            actor=request.user, review=review, unit=serializer.validated_data["cell"]
        )
        return Response({"published": n})


class ClassificationViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The classification of each member and collective, with its steps."""

    serializer_class = ClassificationSerializer
    filterset_class = ClassificationFilterSet
    queryset = Classification.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Classification.objects.none()
        rows = (
            Classification.objects.visible_to(self.request.user)
            .select_related("member", "quota_exception")
            .order_by("unit__path", "subject", "id")
        )
        if self.action == "retrieve":
            rows = rows.prefetch_related("steps")
        return rows

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ClassificationDetailSerializer
        return ClassificationSerializer

    def list(self, request: Request, *args, **kwargs) -> Response:
        """With `review=`, or `unit=` a cell, the rows a run over a whole subtree left to the
        review's first opening are written first."""
        review, unit = request.query_params.get("review"), request.query_params.get("unit")
        reviews = Review.objects.none()
        if review and review.isdigit():
            reviews = Review.objects.filter(pk=review)
        elif unit and unit.isdigit():
            parent = Unit.objects.filter(pk=unit).values("parent_id")
            reviews = Review.objects.filter(Q(unit_id=unit) | Q(unit_id__in=parent))
        waiting = reviews.visible_to(request.user).filter(members_deferred_at__isnull=False)
        for r in waiting.select_related("unit"):
            services.review_members_write(r)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=StepCreateSerializer, responses={201: StepSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk=None) -> Response:
        """Record a self-review or a proposal with its task results."""
        c = self.get_object()
        Access.of(request.user).require(Action.CHANGE, c.unit)
        serializer = StepCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        step = services.classification_step(
            actor=request.user,
            classification=c,
            kind=data["kind"],
            inputs=_inputs(data),
            note=data["note"],
            form_code=data["form_code"],
        )
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideSerializer, responses={200: StepSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def decide(self, request: Request) -> Response:
        """Decide the levels of classifications of one review together (the quota of
        "excellent" counts them all); `exception_reason` for places beyond it."""
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = [d["classification"] for d in data["decisions"]]
        found = {
            c.pk: c
            for c in Classification.objects.visible_to(request.user)
            .select_related("review__unit", "unit", "member")
            .filter(pk__in=ids)
        }
        missing = [i for i in ids if i not in found]
        if missing:
            raise serializers.ValidationError(
                {"decisions": [f"Classification {i} does not exist." for i in missing]}
            )
        access = Access.of(request.user)
        for c in found.values():
            access.require(Action.CHANGE, c.review.unit)
        steps = services.classifications_decide(
            actor=request.user,
            decisions=[
                services.Decision(
                    found[d["classification"]], d["level"], d.get("inputs"), d["note"]
                )
                for d in data["decisions"]
            ],
            exception_reason=data["exception_reason"],
        )
        return Response(StepSerializer(steps, many=True).data)


class ClassificationResultsViewSet(viewsets.ViewSet):
    """How many in each level and the share of cells "good or better", for a unit and a year:
    of its whole subtree, or (`subtree=false`) of what its own committee decides."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("subtree", bool, required=False),
        ],
        responses={200: dict},
    )
    def list(self, request: Request) -> Response:
        serializer = RunCreateSerializer(
            data={
                "unit": request.query_params.get("unit"),
                "year": request.query_params.get("year"),
            },
            context={"request": request},
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subtree = request.query_params.get("subtree", "true").lower() not in ("0", "false", "no")
        results = classification_results(unit=data["unit"], year=data["year"], subtree=subtree)
        return Response({"unit": data["unit"].pk, "year": data["year"], **results.as_dict()})


@extend_schema_view(
    create=extend_schema(request=RunCreateSerializer, responses={201: RunSerializer})
)
class ClassificationRunViewSet(AuditActorMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The computation of a unit's whole subtree for a year, in the background."""

    serializer_class = RunSerializer
    queryset = ClassificationRun.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ClassificationRun.objects.none()
        return ClassificationRun.objects.visible_to(self.request.user).select_related("job")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = RunCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        run = run_start(actor=request.user, unit=data["unit"], year=data["year"])
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(
        request=CircumstanceInputSerializer, responses={201: CircumstanceSerializer}
    )
)
class CircumstanceViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The circumstances the reviews read (exemption, suspension, sick and maternity leave of
    members; discipline of organizations): recorded and removed by the staff of the unit they
    concern, through the same services as the review's page."""

    serializer_class = CircumstanceSerializer
    queryset = Circumstance.objects.none()
    filterset_fields = ["kind", "member", "unit"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Circumstance.objects.none()
        return (
            Circumstance.objects.visible_to(self.request.user)
            .select_related("member")
            .order_by("-start", "id")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = CircumstanceInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        unit = serializer.acting_unit()
        if unit is not None:
            Access.of(request.user).require(Action.CHANGE, unit)
        circumstance = services.circumstance_record(actor=request.user, **serializer.validated_data)
        return Response(CircumstanceSerializer(circumstance).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, circumstance: Circumstance) -> None:
        Access.of(self.request.user).require(Action.CHANGE, circumstance.unit)
        services.circumstance_remove(actor=self.request.user, circumstance=circumstance)


def register(router) -> None:
    router.register("classification-rule-sets", RuleSetViewSet, basename="classification-rule-set")
    router.register("classification-reviews", ReviewViewSet, basename="classification-review")
    router.register(
        "classification-circumstances", CircumstanceViewSet, basename="classification-circumstance"
    )
    router.register("classifications", ClassificationViewSet, basename="classification")
    router.register(
        "classification-results", ClassificationResultsViewSet, basename="classification-results"
    )
    router.register("classification-runs", ClassificationRunViewSet, basename="classification-run")
