"""REST API of the inspections app (registered on the one router in config/api_urls.py): thin
viewsets over the inspection services and the execution selector.

Reads start from `visible_to(user)` (404 outside the caller's subtrees); writes need CHANGE on
the unit that adopts the plan or carries out the inspection (403 for a read-only role); a
service's refusal is a 400 naming the field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.access import Access, Action
from grassroots.core.api import AuditActorMixin
from grassroots.members.api import VisibleMemberField
from grassroots.members.choices import DisciplineLevel, LeavingReason
from grassroots.organizations.api import VisibleUnitField
from grassroots.organizations.lookups import unit_from_query

from . import services
from .choices import Body, Conclusion, Form, Gravity, Kind, OrganizationDisciplineLevel, Subjects
from .filtersets import (
    InspectionFilterSet,
    OrganizationDisciplineFilterSet,
    PlanFilterSet,
    PlanItemFilterSet,
)
from .forms import ExecutionForm
from .models import (
    InspectedMember,
    InspectedUnit,
    Inspection,
    InspectionPlan,
    OrganizationDiscipline,
    PlanItem,
)
from .selectors import inspection_execution

# --- serializers ---------------------------------------------------------------------------


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = [
            "id",
            "plan",
            "kind",
            "form",
            "subjects",
            "planned_count",
            "period_start",
            "period_end",
            "content",
        ]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionPlan
        fields = ["id", "unit", "body", "year", "title", "adopted_on", "items"]
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    body = serializers.ChoiceField(choices=Body.choices)
    year = serializers.IntegerField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    adopted_on = serializers.DateField(required=False, allow_null=True, default=None)


class _VisiblePk(serializers.PrimaryKeyRelatedField):
    """A row by id among those the caller sees (others are "invalid pk")."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        return self.model.objects.visible_to(request.user, Action.VIEW)


class PlanItemCreateSerializer(serializers.Serializer):
    plan = _VisiblePk(InspectionPlan)
    kind = serializers.ChoiceField(choices=Kind.choices)
    form = serializers.ChoiceField(choices=Form.choices)
    subjects = serializers.ChoiceField(choices=Subjects.choices)
    planned_count = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    content = serializers.CharField(required=False, allow_blank=True, default="")


class PlanUpdateSerializer(serializers.Serializer):
    """A PATCH of a plan: the fields sent change, the others stay."""

    body = serializers.ChoiceField(choices=Body.choices, required=False)
    year = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    adopted_on = serializers.DateField(required=False, allow_null=True)


class PlanItemUpdateSerializer(serializers.Serializer):
    """A PATCH of a plan item: the fields sent change, the others stay."""

    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    form = serializers.ChoiceField(choices=Form.choices, required=False)
    subjects = serializers.ChoiceField(choices=Subjects.choices, required=False)
    planned_count = serializers.IntegerField(required=False)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    content = serializers.CharField(required=False, allow_blank=True)


def _patched(current: dict, serializer_class, request: Request) -> dict:
    """`current` with the fields the request sends replaced: what the service is given."""
    return {**current, **_valid(serializer_class, request)}


class OrganizationDisciplineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganizationDiscipline
        fields = [
            "id",
            "unit",
            "subject",
            "level",
            "decided_on",
            "decision_number",
            "issuer",
            "reason",
        ]
        read_only_fields = fields


class InspectedUnitSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    discipline = OrganizationDisciplineSerializer(read_only=True)

    class Meta:
        model = InspectedUnit
        fields = [
            "id",
            "inspection",
            "unit",
            "unit_name",
            "conclusion",
            "gravity",
            "proposed_discipline",
            "discipline",
        ]
        read_only_fields = fields


class InspectedMemberSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = InspectedMember
        fields = [
            "id",
            "inspection",
            "member",
            "member_name",
            "conclusion",
            "gravity",
            "proposed_discipline",
            "discipline_event",
        ]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    subject_units = InspectedUnitSerializer(many=True, read_only=True)
    subject_members = InspectedMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "unit",
            "body",
            "plan_item",
            "kind",
            "form",
            "content",
            "team",
            "start_date",
            "end_date",
            "findings",
            "concluded_on",
            "subject_units",
            "subject_members",
        ]
        read_only_fields = fields


class InspectionCreateSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    body = serializers.ChoiceField(choices=Body.choices)
    plan_item = _VisiblePk(PlanItem, required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=Kind.choices)
    form = serializers.ChoiceField(choices=Form.choices)
    content = serializers.CharField()
    team = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    units = VisibleUnitField(many=True, required=False, default=list)
    members = VisibleMemberField(many=True, required=False, default=list)


class InspectionUpdateSerializer(serializers.Serializer):
    """A PATCH of an inspection: the fields sent change, the others stay (`units` and
    `members`, when sent, are the whole new lists of subjects)."""

    body = serializers.ChoiceField(choices=Body.choices, required=False)
    plan_item = _VisiblePk(PlanItem, required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    form = serializers.ChoiceField(choices=Form.choices, required=False)
    content = serializers.CharField(required=False)
    team = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    units = VisibleUnitField(many=True, required=False)
    members = VisibleMemberField(many=True, required=False)


class ConcludeSerializer(serializers.Serializer):
    concluded_on = serializers.DateField()
    findings = serializers.CharField()


class SubjectConclusionSerializer(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=[c for c in Conclusion.choices if c[0]])
    gravity = serializers.ChoiceField(choices=Gravity.choices, required=False, allow_blank=True)
    proposed_discipline = serializers.CharField(required=False, allow_blank=True, default="")


class _DecisionSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=40)
    issuer = serializers.CharField(max_length=200)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MemberDisciplineSerializer(_DecisionSerializer):
    level = serializers.ChoiceField(choices=DisciplineLevel.choices)
    date = serializers.DateField()
    seat = serializers.IntegerField(required=False, allow_null=True, default=None)
    leaving_reason = serializers.ChoiceField(
        choices=LeavingReason.choices, required=False, allow_blank=True, default=""
    )


class OrganizationDisciplineCreateSerializer(_DecisionSerializer):
    level = serializers.ChoiceField(choices=OrganizationDisciplineLevel.choices)
    decided_on = serializers.DateField()


class ExecutionRowSerializer(serializers.Serializer):
    kind = serializers.CharField()
    level = serializers.CharField()
    planned = serializers.IntegerField()
    carried_out = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    unplanned = serializers.IntegerField()
    organizations = serializers.IntegerField()
    members = serializers.IntegerField()


class ExecutionSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    unit = serializers.IntegerField(source="unit.pk", allow_null=True, default=None)
    rows = ExecutionRowSerializer(many=True)
    by_kind = ExecutionRowSerializer(many=True)
    total = ExecutionRowSerializer()
    distinct_organizations = serializers.IntegerField()
    distinct_members = serializers.IntegerField()


def _valid(serializer_class, request: Request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- viewsets ------------------------------------------------------------------------------


class _ReadViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = None
    related: tuple = ()
    ordering: tuple = ("id",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return (
            self.model.objects.visible_to(self.request.user)
            .select_related(*self.related)
            .order_by(*self.ordering)
        )


@extend_schema_view(create=extend_schema(request=PlanCreateSerializer))
class InspectionPlanViewSet(mixins.CreateModelMixin, _ReadViewSet):
    """Yearly inspection and supervision plans with their items."""

    model = InspectionPlan
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    queryset = InspectionPlan.objects.none()
    ordering = ("-year", "unit__path", "body")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items")

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = _valid(PlanCreateSerializer, request)
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        plan = services.plan_create(actor=request.user, **data)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer, responses={200: PlanSerializer})
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Correct a plan through the same service as its page."""
        plan = self.get_object()
        Access.of(request.user).require(Action.CHANGE, plan.unit)
        current = {
            "body": plan.body,
            "year": plan.year,
            "title": plan.title,
            "adopted_on": plan.adopted_on,
        }
        data = _patched(current, PlanUpdateSerializer, request)
        services.plan_update(actor=request.user, plan=plan, **data)
        return Response(PlanSerializer(self.get_object()).data)


@extend_schema_view(create=extend_schema(request=PlanItemCreateSerializer))
class PlanItemViewSet(mixins.CreateModelMixin, _ReadViewSet):
    """Lines of the plans."""

    model = PlanItem
    serializer_class = PlanItemSerializer
    filterset_class = PlanItemFilterSet
    queryset = PlanItem.objects.none()
    ordering = ("plan", "period_start", "id")

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = _valid(PlanItemCreateSerializer, request)
        Access.of(request.user).require(Action.CHANGE, data["plan"].unit)
        item = services.plan_item_add(actor=request.user, **data)
        return Response(PlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanItemUpdateSerializer, responses={200: PlanItemSerializer})
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Correct a plan item through the same service as its page."""
        item = self.get_object()
        Access.of(request.user).require(Action.CHANGE, item.plan.unit)
        fields = PlanItemUpdateSerializer().fields
        current = {name: getattr(item, name) for name in fields}
        data = _patched(current, PlanItemUpdateSerializer, request)
        item = services.plan_item_update(actor=request.user, item=item, **data)
        return Response(PlanItemSerializer(item).data)


@extend_schema_view(create=extend_schema(request=InspectionCreateSerializer))
class InspectionViewSet(mixins.CreateModelMixin, _ReadViewSet):
    """Inspections and supervisions carried out, with their subjects and conclusions."""

    model = Inspection
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet
    queryset = Inspection.objects.none()
    ordering = ("-start_date", "-id")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "subject_units",
                    queryset=InspectedUnit.objects.select_related("unit", "discipline"),
                ),
                Prefetch(
                    "subject_members", queryset=InspectedMember.objects.select_related("member")
                ),
            )
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = _valid(InspectionCreateSerializer, request)
        Access.of(request.user).require(Action.CHANGE, data["unit"])
        inspection = services.inspection_record(actor=request.user, **data)
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InspectionUpdateSerializer, responses={200: InspectionSerializer})
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Correct an inspection through the same service as its page (refused once discipline
        was decided on it)."""
        inspection = self.get_object()
        Access.of(request.user).require(Action.CHANGE, inspection.unit)
        current = {
            "body": inspection.body,
            "plan_item": inspection.plan_item,
            "kind": inspection.kind,
            "form": inspection.form,
            "content": inspection.content,
            "team": inspection.team,
            "start_date": inspection.start_date,
            "end_date": inspection.end_date,
            "units": [s.unit for s in inspection.subject_units.all()],
            "members": [s.member for s in inspection.subject_members.all()],
        }
        data = _patched(current, InspectionUpdateSerializer, request)
        services.inspection_update(actor=request.user, inspection=inspection, **data)
        return Response(InspectionSerializer(self.get_object()).data)

    @extend_schema(request=ConcludeSerializer, responses={200: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, pk=None) -> Response:
        """Conclude the inspection once each subject has its conclusion."""
        inspection = self.get_object()
        Access.of(request.user).require(Action.CHANGE, inspection.unit)
        data = _valid(ConcludeSerializer, request)
        services.inspection_conclude(actor=request.user, inspection=inspection, **data)
        return Response(InspectionSerializer(self.get_object()).data)


class _SubjectViewSet(_ReadViewSet):
    related = ("inspection__unit",)

    def _conclude(self, request: Request) -> Response:
        subject = self.get_object()
        Access.of(request.user).require(Action.CHANGE, subject.inspection.unit)
        data = _valid(SubjectConclusionSerializer, request)
        subject = services.subject_conclude(actor=request.user, subject=subject, **data)
        return Response(self.get_serializer(subject).data)


class InspectedUnitViewSet(_SubjectViewSet):
    """Organizations inspected: the conclusion about each and the discipline decided."""

    model = InspectedUnit
    serializer_class = InspectedUnitSerializer
    queryset = InspectedUnit.objects.none()
    related = ("inspection__unit", "unit", "discipline")

    @extend_schema(request=SubjectConclusionSerializer)
    @action(detail=True, methods=["post"])
    def conclusion(self, request: Request, pk=None) -> Response:
        return self._conclude(request)

    @extend_schema(
        request=OrganizationDisciplineCreateSerializer,
        responses={201: OrganizationDisciplineSerializer},
    )
    @action(detail=True, methods=["post"])
    def discipline(self, request: Request, pk=None) -> Response:
        subject = self.get_object()
        Access.of(request.user).require(Action.CHANGE, subject.inspection.unit)
        data = _valid(OrganizationDisciplineCreateSerializer, request)
        found = services.organization_discipline_decide(actor=request.user, subject=subject, **data)
        return Response(
            OrganizationDisciplineSerializer(found).data, status=status.HTTP_201_CREATED
        )


class InspectedMemberViewSet(_SubjectViewSet):
    """Members inspected: the conclusion about each and the discipline event decided."""

    model = InspectedMember
    serializer_class = InspectedMemberSerializer
    queryset = InspectedMember.objects.none()
    related = ("inspection__unit", "member")

    @extend_schema(request=SubjectConclusionSerializer)
    @action(detail=True, methods=["post"])
    def conclusion(self, request: Request, pk=None) -> Response:
        return self._conclude(request)

    @extend_schema(request=MemberDisciplineSerializer)
    @action(detail=True, methods=["post"])
    def discipline(self, request: Request, pk=None) -> Response:
        """Written into the member's record by the member services."""
        subject = self.get_object()
        Access.of(request.user).require(Action.CHANGE, subject.inspection.unit)
        data = _valid(MemberDisciplineSerializer, request)
        subject = services.member_discipline_decide(actor=request.user, subject=subject, **data)
        return Response(InspectedMemberSerializer(subject).data, status=status.HTTP_201_CREATED)


class OrganizationDisciplineViewSet(_ReadViewSet):
    """Disciplines of organizations decided (reprimand, warning, dissolution)."""

    model = OrganizationDiscipline
    serializer_class = OrganizationDisciplineSerializer
    filterset_class = OrganizationDisciplineFilterSet
    queryset = OrganizationDiscipline.objects.none()
    ordering = ("-decided_on", "-id")


class InspectionExecutionViewSet(AuditActorMixin, viewsets.ViewSet):
    """Execution of the plans over `?from=&to=` (the current year by default), of `?unit=`'s
    subtree or of all the caller sees: per kind and level, with the totals."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First day, YYYY-MM-DD"),
            OpenApiParameter("to", str, description="Last day, YYYY-MM-DD"),
            OpenApiParameter("unit", int, description="Unit (id): its subtree"),
        ],
        responses={200: ExecutionSerializer},
    )
    def list(self, request: Request) -> Response:
        unit = unit_from_query(request)
        form = ExecutionForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise DjangoValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        start, end = form.window()
        figures = inspection_execution(user=request.user, start=start, end=end, unit=unit)
        return Response(ExecutionSerializer(figures).data)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("inspection-plans", InspectionPlanViewSet, basename="inspection-plan")
    router.register("inspection-plan-items", PlanItemViewSet, basename="inspection-plan-item")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("inspected-units", InspectedUnitViewSet, basename="inspected-unit")
    router.register("inspected-members", InspectedMemberViewSet, basename="inspected-member")
    router.register(
        "organization-disciplines",
        OrganizationDisciplineViewSet,
        basename="organization-discipline",
    )
    router.register(
        "inspection-execution", InspectionExecutionViewSet, basename="inspection-execution"
    )
