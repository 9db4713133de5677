"""REST API of the assessments app: thin viewsets over the same services and selectors as the
pages (registered on the one router in config/api_urls.py).

Reads start from `visible_to(user)` (404 outside the caller's subtrees). Writes need CHANGE on
the unit (a month, a registration) or on the issuing unit (a framework); accept, return and
reopen need CHANGE on the unit's parent, the level above (403 otherwise)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.access import Access, Action
from grassroots.core.api import AuditActorMixin
from grassroots.organizations.api import VisibleUnitField

from . import selectors, services
from .filtersets import FrameworkFilterSet, MonthlyAssessmentFilterSet, RegistrationFilterSet
from .models import (
    Band,
    Criterion,
    CriterionGroup,
    Evidence,
    Framework,
    MonthlyAssessment,
    Registration,
    ReviewStep,
    Score,
)

# --- serializers ---------------------------------------------------------------------------


class AssessmentCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "registration", *services.CRITERION_FIELDS]
        read_only_fields = fields


class AssessmentGroupSerializer(serializers.ModelSerializer):
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = CriterionGroup
        fields = ["id", "code", "name_vi", "name_en", "max_points", "min_points", "criteria"]
        read_only_fields = fields

    def get_criteria(self, group) -> list[dict]:
        own = [c for c in group.criteria.all() if c.registration_id is None]
        return AssessmentCriterionSerializer(own, many=True).data


class AssessmentBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Band
        fields = ["id", "key", "label_vi", "label_en", "min_total", "requires_group_minimums"]
        read_only_fields = fields


def _visible_frameworks(serializer) -> object:
    request = serializer.context.get("request")
    return Framework.objects.visible_to(getattr(request, "user", None))


class _PartInputSerializer(serializers.ModelSerializer):
    """A group's, a criterion's or a band's fields as the API takes them: on create with the
    framework (or group) it belongs to, found among the frameworks the caller may read; the
    service checks every rule."""

    parent_field = "framework"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.fields.get(self.parent_field)
        if parent is not None:
            frameworks = _visible_frameworks(self)
            parent.queryset = (
                frameworks
                if self.parent_field == "framework"
                else CriterionGroup.objects.filter(framework__in=frameworks)
            )


class GroupInputSerializer(_PartInputSerializer):
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.none())

    class Meta:
        model = CriterionGroup
        fields = ["framework", *services.GROUP_FIELDS]
        validators = []  # the service names the duplicate code


class CriterionInputSerializer(_PartInputSerializer):
    parent_field = "group"
    group = serializers.PrimaryKeyRelatedField(queryset=CriterionGroup.objects.none())

    class Meta:
        model = Criterion
        fields = ["group", *services.CRITERION_FIELDS]
        validators = []


class BandInputSerializer(_PartInputSerializer):
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.none())

    class Meta:
        model = Band
        fields = ["framework", *services.BAND_FIELDS]
        validators = []  # the service names the duplicate key or start


class FrameworkHeadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = list(services.FRAMEWORK_FIELDS)


class FrameworkSerializer(serializers.ModelSerializer):
    groups = AssessmentGroupSerializer(many=True, read_only=True)
    bands = AssessmentBandSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "version",
            "name",
            "issuing_unit",
            "guideline_number",
            "guideline_date",
            "unit_kinds",
            "missing_months",
            "year_end_rule",
            "published_on",
            "previous",
            "groups",
            "bands",
        ]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    own_criteria = AssessmentCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "unit", "year", "framework", "registered_on", "note", "own_criteria"]
        read_only_fields = fields


class RegistrationCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    year = serializers.IntegerField()
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.none())
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["framework"].queryset = Framework.objects.visible_to(
            getattr(request, "user", None)
        )


class AssessmentMonthResultSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    band = serializers.CharField(allow_null=True)
    band_label = serializers.CharField()
    late = serializers.BooleanField()
    deadline = serializers.DateField()
    assessment_id = serializers.IntegerField(allow_null=True)


class AssessmentScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["criterion", "score", "note"]
        read_only_fields = fields


class AssessmentStepSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = ReviewStep
        fields = ["kind", "actor", "at", "total", "reason"]
        read_only_fields = fields


class MonthlyAssessmentSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="registration.unit_id", read_only=True)
    year = serializers.IntegerField(source="registration.year", read_only=True)
    scores = AssessmentScoreSerializer(many=True, read_only=True)
    steps = AssessmentStepSerializer(many=True, read_only=True)

    class Meta:
        model = MonthlyAssessment
        fields = [
            "id",
            "registration",
            "unit",
            "year",
            "month",
            "status",
            "total",
            "band_key",
            "late",
            "note",
            "first_submitted_at",
            "submitted_at",
            "reviewed_at",
            "reason",
            "scores",
            "steps",
        ]
        read_only_fields = fields


class AssessmentScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentMonthSaveSerializer(serializers.Serializer):
    registration = serializers.PrimaryKeyRelatedField(queryset=Registration.objects.none())
    month = serializers.IntegerField(min_value=1, max_value=12)
    scores = AssessmentScoreInputSerializer(many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["registration"].queryset = Registration.objects.visible_to(
            getattr(request, "user", None)
        )


class AssessmentMonthUpdateSerializer(serializers.Serializer):
    scores = AssessmentScoreInputSerializer(many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


class AssessmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "assessment",
            "criterion",
            "file_name",
            "content_type",
            "size",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, evidence) -> str:
        from django.urls import reverse

        return reverse("assessment-evidence-download", args=[evidence.pk])


class EvidenceMonthSerializer(serializers.Serializer):
    """The month a file is attached to, among those the caller sees (read before the file, so
    that a read-only role meets 403 whatever else the request holds)."""

    assessment = serializers.PrimaryKeyRelatedField(queryset=MonthlyAssessment.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["assessment"].queryset = MonthlyAssessment.objects.visible_to(
            getattr(request, "user", None)
        )


class EvidenceUploadSerializer(EvidenceMonthSerializer):
    file = serializers.FileField()
    criterion = serializers.PrimaryKeyRelatedField(
        queryset=Criterion.objects.all(), required=False, allow_null=True, default=None
    )


def _scores(items) -> dict:
    return {i["criterion"]: (i["score"], i["note"]) for i in items}


# --- viewsets ------------------------------------------------------------------------------


def _require_issuer(user, framework: Framework) -> None:
    if not Access.of(user).may(Action.CHANGE, framework.issuing_unit):
        raise PermissionDenied("Only the issuing unit's staff change its frameworks.")


class FrameworkViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Criteria frameworks with their groups, criteria and bands; read by the units below the
    issuing unit. Built on the pages (or from a workbook); here published and versioned."""

    serializer_class = FrameworkSerializer
    filterset_class = FrameworkFilterSet
    queryset = Framework.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Framework.objects.none()
        return (
            Framework.objects.visible_to(self.request.user)
            .select_related("issuing_unit")
            .prefetch_related("groups__criteria", "bands")
            .order_by("code", "-version")
        )

    def _framework(self) -> Framework:
        framework = self.get_object()  # 404 when the caller cannot read it
        _require_issuer(self.request.user, framework)
        return framework

    @extend_schema(request=FrameworkHeadingSerializer, responses={200: FrameworkSerializer})
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Change a draft framework's heading; a version published or in use is refused."""
        framework = self._framework()
        serializer = FrameworkHeadingSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        framework = services.framework_update(
            actor=request.user, framework=framework, **serializer.validated_data
        )
        return Response(FrameworkSerializer(self.get_queryset().get(pk=framework.pk)).data)

    @extend_schema(request=None, responses={200: FrameworkSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk=None) -> Response:
        """Publish a complete framework so that units may register under it."""
        framework = services.framework_publish(actor=request.user, framework=self._framework())
        return Response(FrameworkSerializer(framework).data)

    @extend_schema(request=None, responses={201: FrameworkSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk=None) -> Response:
        """Copy the framework to its next version, unpublished, to be edited."""
        copy = services.framework_new_version(actor=request.user, framework=self._framework())
        return Response(FrameworkSerializer(copy).data, status=status.HTTP_201_CREATED)


def _takes(serializer):
    """The input a part's viewset documents for create and partial update."""
    return extend_schema_view(
        create=extend_schema(request=serializer), partial_update=extend_schema(request=serializer)
    )


class _FrameworkPartViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The groups, criteria or bands of the frameworks the caller may read. Created, changed
    and removed through the builder's services, only while the framework is a draft, by the
    issuing unit's staff (403 otherwise)."""

    input_serializer = None
    framework_path = "framework"
    add = None
    update = None
    part_kwarg = ""
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        frameworks = Framework.objects.visible_to(self.request.user)
        return model.objects.filter(**{f"{self.framework_path}__in": frameworks}).order_by("id")

    def _input(self, **kwargs):
        serializer = self.input_serializer(context={"request": self.request}, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _framework_of(self, part) -> Framework:
        return part.group.framework if isinstance(part, Criterion) else part.framework

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = self._input(data=request.data)
        parent = data[self.input_serializer.parent_field]
        framework = parent.framework if isinstance(parent, CriterionGroup) else parent
        _require_issuer(request.user, framework)
        part = self.add(actor=request.user, **data)
        return Response(self.serializer_class(part).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        part = self.get_object()
        _require_issuer(request.user, self._framework_of(part))
        data = self._input(data=request.data, partial=True)
        data.pop(self.input_serializer.parent_field, None)
        part = self.update(actor=request.user, **{self.part_kwarg: part}, **data)
        return Response(self.serializer_class(part).data)

    def perform_destroy(self, part) -> None:
        _require_issuer(self.request.user, self._framework_of(part))
        services.framework_part_remove(actor=self.request.user, part=part)


@_takes(GroupInputSerializer)
class FrameworkGroupViewSet(_FrameworkPartViewSet):
    serializer_class = AssessmentGroupSerializer
    input_serializer = GroupInputSerializer
    filterset_fields = ["framework"]
    add = staticmethod(services.group_add)
    update = staticmethod(services.group_update)
    part_kwarg = "group"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("criteria")


@_takes(CriterionInputSerializer)
class FrameworkCriterionViewSet(_FrameworkPartViewSet):
    serializer_class = AssessmentCriterionSerializer
    input_serializer = CriterionInputSerializer
    framework_path = "group__framework"
    filterset_fields = ["group"]
    add = staticmethod(services.criterion_add)
    update = staticmethod(services.criterion_update)
    part_kwarg = "criterion"

    def get_queryset(self):
        # A unit's own criteria belong to its registration (and its API), not to the framework.
        return super().get_queryset().filter(registration__isnull=True)


@_takes(BandInputSerializer)
class FrameworkBandViewSet(_FrameworkPartViewSet):
    serializer_class = AssessmentBandSerializer
    input_serializer = BandInputSerializer
    filterset_fields = ["framework"]
    add = staticmethod(services.band_add)
    update = staticmethod(services.band_update)
    part_kwarg = "band"


@extend_schema_view(
    create=extend_schema(
        request=RegistrationCreateSerializer, responses={201: RegistrationSerializer}
    ),
)
class RegistrationViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Units' yearly registrations for the "4 good" model, and their twelve months."""

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilterSet
    queryset = Registration.objects.none()
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        return (
            Registration.objects.visible_to(self.request.user)
            .prefetch_related("own_criteria")
            .order_by("-year", "unit__path")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = RegistrationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        registration = services.registration_create(actor=request.user, **data)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AssessmentMonthResultSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def months(self, request: Request, pk=None) -> Response:
        """The twelve months: status, total, band, deadline and lateness."""
        registration = self.get_object()
        results = selectors.monthly_results(unit=registration.unit, year=registration.year)
        return Response(AssessmentMonthResultSerializer(results, many=True).data)


@extend_schema_view(
    create=extend_schema(
        request=AssessmentMonthSaveSerializer, responses={201: MonthlyAssessmentSerializer}
    ),
    partial_update=extend_schema(
        request=AssessmentMonthUpdateSerializer, responses={200: MonthlyAssessmentSerializer}
    ),
)
class MonthlyAssessmentViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Monthly self-assessments: saved as drafts (create, patch), submitted by the unit,
    accepted, returned or reopened by the level above."""

    serializer_class = MonthlyAssessmentSerializer
    filterset_class = MonthlyAssessmentFilterSet
    queryset = MonthlyAssessment.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MonthlyAssessment.objects.none()
        return (
            MonthlyAssessment.objects.visible_to(self.request.user)
            .select_related("registration")
            .prefetch_related("scores", "steps__actor")
            .order_by("registration", "month")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = AssessmentMonthSaveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        Access.of(request.user).require(Action.CHANGE, data["registration"].unit)
        assessment = services.assessment_save(
            actor=request.user,
            registration=data["registration"],
            month=data["month"],
            scores=_scores(data["scores"]),
            note=data["note"],
        )
        return Response(
            MonthlyAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        assessment = self.get_object()
        Access.of(request.user).require(Action.CHANGE, assessment.registration.unit)
        serializer = AssessmentMonthUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment = services.assessment_save(
            actor=request.user,
            registration=assessment.registration,
            month=assessment.month,
            scores=_scores(data["scores"]),
            note=data["note"],
        )
        return Response(MonthlyAssessmentSerializer(assessment).data)

    def _reviewed(self) -> MonthlyAssessment:
        assessment = self.get_object()
        if not selectors.may_review(self.request.user, assessment.registration.unit):
            raise PermissionDenied("Only the level above reviews this unit's months.")
        return assessment

    def _reason(self) -> str:
        serializer = AssessmentReasonSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["reason"]

    def _answer(self, assessment) -> Response:
        assessment = self.get_queryset().get(pk=assessment.pk)
        return Response(MonthlyAssessmentSerializer(assessment).data)

    @extend_schema(request=None, responses={200: MonthlyAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        """Submit the month to the level above (every criterion scored)."""
        assessment = self.get_object()
        Access.of(request.user).require(Action.CHANGE, assessment.registration.unit)
        return self._answer(services.assessment_submit(actor=request.user, assessment=assessment))

    @extend_schema(request=None, responses={200: MonthlyAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        """Accept a submitted month: it is locked."""
        assessment = self._reviewed()
        return self._answer(services.assessment_accept(actor=request.user, assessment=assessment))

    @extend_schema(request=AssessmentReasonSerializer, responses={200: MonthlyAssessmentSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk=None) -> Response:
        """Return a submitted month to the unit with the reason."""
        assessment = self._reviewed()
        result = services.assessment_return(
            actor=request.user, assessment=assessment, reason=self._reason()
        )
        return self._answer(result)

    @extend_schema(request=AssessmentReasonSerializer, responses={200: MonthlyAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk=None) -> Response:
        """Reopen an accepted month, with the reason."""
        assessment = self._reviewed()
        result = services.assessment_reopen(
            actor=request.user, assessment=assessment, reason=self._reason()
        )
        return self._answer(result)


@extend_schema_view(create=extend_schema(request=EvidenceUploadSerializer))
class EvidenceViewSet(
    AuditActorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A month's evidence files: listed and downloaded by whoever sees the month, attached and
    removed by the unit's staff while the month can change, through the same checks of type,
    content and size as the page (`services.evidence_add`). The files live outside the web root
    and are only ever served by `download`."""

    serializer_class = EvidenceSerializer
    queryset = Evidence.objects.none()
    filterset_fields = ["assessment"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evidence.objects.none()
        return Evidence.objects.visible_to(self.request.user).order_by("assessment", "id")

    def create(self, request: Request, *args, **kwargs) -> Response:
        month = EvidenceMonthSerializer(data=request.data, context={"request": request})
        month.is_valid(raise_exception=True)
        unit = month.validated_data["assessment"].registration.unit
        Access.of(request.user).require(Action.CHANGE, unit)
        serializer = EvidenceUploadSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evidence = services.evidence_add(actor=request.user, **data)
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, evidence: Evidence) -> None:
        Access.of(self.request.user).require(Action.CHANGE, evidence.assessment.registration.unit)
        services.evidence_remove(actor=self.request.user, evidence=evidence)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk=None) -> HttpResponse:
        """The file itself, to whoever may see its month (at most the evidence size limit, so
        read whole)."""
        evidence = self.get_object()
        try:
            with evidence.file.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError as error:
            raise Http404 from error
        response = HttpResponse(content, content_type=evidence.content_type)
        response["Content-Disposition"] = content_disposition_header(True, evidence.file_name)
        return response


def register(router) -> None:
    router.register("assessment-frameworks", FrameworkViewSet, basename="assessment-framework")
    router.register(
        "assessment-registrations", RegistrationViewSet, basename="assessment-registration"
    )
    router.register("monthly-assessments", MonthlyAssessmentViewSet, basename="monthly-assessment")
    router.register(
        "assessment-framework-groups", FrameworkGroupViewSet, basename="assessment-framework-group"
    )
    router.register(
        "assessment-framework-criteria",
        FrameworkCriterionViewSet,
        basename="assessment-framework-criterion",
    )
    router.register(
        "assessment-framework-bands", FrameworkBandViewSet, basename="assessment-framework-band"
    )
    router.register("assessment-evidence", EvidenceViewSet, basename="assessment-evidence")
