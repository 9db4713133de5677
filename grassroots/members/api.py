"""REST API of this app: thin viewsets over the same querysets, selectors and services.

Reads start from `visible_to(user)` (outside the caller's subtrees: 404); writes need a role
that may change the member's or the unit's subtree (else 403) and go through the services,
whose refusals come back as 400 naming the fields.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.core.access import Access, Action
from grassroots.core.api import AuditActorMixin, ScopedPermission
from grassroots.core.audit import record_view
from grassroots.core.querysets import in_subtree
from grassroots.organizations.api import VisibleUnitField
from grassroots.organizations.models import Unit

from . import reads, selectors, services
from .choices import (
    ETHNICITY_CHOICES,
    CandidateStage,
    DisciplineLevel,
    EventKind,
    Gender,
    GeneralEducation,
    LeavingReason,
    ProfessionalEducation,
    ProposedBy,
    Religion,
    TheoryLevel,
    TransferMode,
)
from .filtersets import MemberFilterSet
from .models import Candidate, Member, MemberEvent


def _require_change(user, unit: Unit) -> None:
    """403 when the caller, who sees the member or the unit asked about, may not change `unit`'s
    subtree (a 403 even when the unit itself is out of sight: the object asked about is seen)."""
    if not Access.of(user).may(Action.CHANGE, unit):
        raise PermissionDenied(_("Your role on this unit is read-only."))


def _deciding_unit(member: Member, kind: str | None = None) -> Unit:
    """The unit that decides about a member: the one holding the records; the receiving unit
    records an arrival (of an official transfer, or of a temporary one at the cell attended)."""
    if kind == EventKind.TRANSFER_IN and member.transit_to_id:
        return member.transit_to
    if kind == EventKind.TEMP_TRANSFER_IN and member.attending_unit_id:
        return member.attending_unit
    return member.unit


class VisibleMemberField(VisibleUnitField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Member.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Member.objects.none()
        return Member.objects.visible_to(request.user, Action.VIEW)


# --- serializers -------------------------------------------------------------------------


class MemberListSerializer(serializers.ModelSerializer):
    """The list holds no sensitive personal data; the full record is one member's endpoint."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "unit",
            "unit_name",
            "status",
            "transit_to",
            "attending_unit",
            "admission_decision_date",
            "official_date",
        ]
        read_only_fields = fields


class MemberFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    due = serializers.DateField(allow_null=True)


class MemberDetailSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    party_age_months = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "gender",
            "birth_date",
            "ethnicity",
            "religion",
            "general_education",
            "professional_education",
            "theory_level",
            "occupation",
            "party_card_number",
            "unit",
            "unit_name",
            "status",
            "transit_to",
            "transit_since",
            "attending_unit",
            "attending_until",
            "attending_since",
            "first_admission_decision_date",
            "admission_decision_date",
            "ceremony_date",
            "official_date",
            "readmission_count",
            "party_age_months",
            "flags",
        ]
        read_only_fields = fields

    def get_party_age_months(self, member: Member) -> int | None:
        age = selectors.party_age(member)
        return age.months if age else None

    @extend_schema_field(MemberFlagSerializer(many=True))
    def get_flags(self, member: Member) -> list[dict]:
        return [
            {"code": f.code, "message": str(f.message), "due": f.due}
            for f in selectors.member_flags(member)
        ]


class MemberAdmitSerializer(serializers.Serializer):
    """Admission of a probationary member (the `member_admit` service)."""

    unit = VisibleUnitField()
    full_name = serializers.CharField(max_length=150)
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField()
    ethnicity = serializers.ChoiceField(choices=ETHNICITY_CHOICES)
    decision_date = serializers.DateField()
    ceremony_date = serializers.DateField()
    decision_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    religion = serializers.ChoiceField(
        choices=Religion.choices, required=False, default=Religion.NONE
    )
    general_education = serializers.ChoiceField(
        choices=GeneralEducation.choices, required=False, allow_blank=True, default=""
    )
    professional_education = serializers.ChoiceField(
        choices=ProfessionalEducation.choices, required=False, default=ProfessionalEducation.NONE
    )
    theory_level = serializers.ChoiceField(
        choices=TheoryLevel.choices, required=False, default=TheoryLevel.NONE
    )
    occupation = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    party_card_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True, default=None
    )
    age_exception = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    ceremony_delay_approval = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class MemberUpdateSerializer(serializers.Serializer):
    """Corrections of personal attributes (the `member_update` service); ledger fields are not
    here."""

    full_name = serializers.CharField(max_length=150, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    birth_date = serializers.DateField(required=False)
    ethnicity = serializers.ChoiceField(choices=ETHNICITY_CHOICES, required=False)
    religion = serializers.ChoiceField(choices=Religion.choices, required=False)
    general_education = serializers.ChoiceField(
        choices=GeneralEducation.choices, required=False, allow_blank=True
    )
    professional_education = serializers.ChoiceField(
        choices=ProfessionalEducation.choices, required=False
    )
    theory_level = serializers.ChoiceField(choices=TheoryLevel.choices, required=False)
    occupation = serializers.CharField(max_length=120, required=False, allow_blank=True)
    party_card_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True
    )


class MemberEventSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    other_unit_name = serializers.CharField(source="other_unit.name", read_only=True, default=None)
    created_by = serializers.StringRelatedField()

    class Meta:
        model = MemberEvent
        fields = [
            "id",
            "member",
            "member_name",
            "kind",
            "date",
            "unit",
            "unit_name",
            "other_unit",
            "other_unit_name",
            "transfer_mode",
            "discipline_level",
            "decision_number",
            "decision_date",
            "issuer",
            "reason",
            "leaving_reason",
            "details",
            "reorganization",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


# What a POST to members/{id}/events/ may record: kind → (service, required, optional fields).
EVENT_SERVICES: dict[str, tuple] = {
    EventKind.RECOGNIZE: (
        services.member_recognize,
        ["decision_date"],
        ["decision_number", "issuer", "cell_vote_date", "votes_for", "votes_total"],
    ),
    EventKind.TRANSFER_OUT: (
        services.member_transfer_out,
        ["to_unit", "date"],
        ["transfer_mode", "until", "decision_number", "issuer", "reason"],
    ),
    EventKind.TEMP_TRANSFER_OUT: (
        services.member_transfer_out,
        ["to_unit", "date", "until"],
        ["decision_number", "issuer", "reason"],
    ),
    EventKind.TRANSFER_IN: (services.member_transfer_in, ["date"], []),
    EventKind.TEMP_TRANSFER_IN: (services.member_temporary_arrival, ["date"], []),
    EventKind.TEMP_TRANSFER_RETURN: (services.member_temporary_return, ["date"], []),
    EventKind.DISCIPLINE: (
        services.member_discipline,
        ["discipline_level", "date", "reason"],
        ["decision_number", "issuer", "seat", "leaving_reason"],
    ),
    EventKind.REMOVE: (
        services.member_remove,
        ["date", "reason"],
        ["decision_number", "issuer", "leaving_reason"],
    ),
    EventKind.DEATH: (services.member_death, ["date"], []),
    EventKind.RESTORE: (
        services.member_readmit,
        ["unit", "decision_date", "ceremony_date"],
        ["decision_number", "issuer", "ceremony_delay_approval", "record_cleared_on"],
    ),
}


class MemberEventCreateSerializer(serializers.Serializer):
    """One event for a member; `kind` says which, and which other fields it needs:
    recognize (decision_date; cell_vote_date with votes_for, votes_total), transfer_out (to_unit,
    date; transfer_mode, until), temp_out (to_unit, date, until), transfer_in (date), temp_in
    (date: the arrival at the cell attended), temp_return (date), discipline (discipline_level,
    date, reason; seat for a dismissal, leaving_reason for an expulsion), remove (date, reason;
    leaving_reason), death (date), restore (unit, decision_date, ceremony_date;
    record_cleared_on)."""

    kind = serializers.ChoiceField(choices=[(k, EventKind(k).label) for k in EVENT_SERVICES])
    date = serializers.DateField(required=False)
    decision_date = serializers.DateField(required=False)
    ceremony_date = serializers.DateField(required=False)
    cell_vote_date = serializers.DateField(required=False, allow_null=True)
    votes_for = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    votes_total = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    record_cleared_on = serializers.DateField(required=False, allow_null=True)
    until = serializers.DateField(required=False, allow_null=True)
    to_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    unit = VisibleUnitField(required=False)
    transfer_mode = serializers.ChoiceField(choices=TransferMode.choices, required=False)
    discipline_level = serializers.ChoiceField(choices=DisciplineLevel.choices, required=False)
    seat = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("For a dismissal from post: the id of the committee seat it ends."),
    )
    leaving_reason = serializers.ChoiceField(
        choices=LeavingReason.choices, required=False, allow_blank=True
    )
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    ceremony_delay_approval = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )

    def validate(self, attrs):
        _service, required, _optional = EVENT_SERVICES[attrs["kind"]]
        missing = {
            name: [_("This field is required.")]
            for name in required
            if attrs.get(name) in (None, "")
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class CandidateSummarySerializer(serializers.ModelSerializer):
    """What the candidate board needs: no birth date, ethnicity or religion. The candidate's
    own endpoint holds them, and its reads are logged."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "full_name",
            "gender",
            "unit",
            "unit_name",
            "proposed_by",
            "proposed_on",
            "stage",
            "course_completed_on",
            "application_filed_on",
            "introducer_1",
            "introducer_2",
            "cell_vote_on",
            "votes_for",
            "votes_total",
            "member",
            "dropped_reason",
        ]
        read_only_fields = fields


class CandidateSerializer(CandidateSummarySerializer):
    """A candidate's own record: the summary with the personal fields (its reads are logged)."""

    class Meta(CandidateSummarySerializer.Meta):
        fields = [
            *CandidateSummarySerializer.Meta.fields[:3],
            "birth_date",
            "ethnicity",
            "religion",
            "occupation",
            *CandidateSummarySerializer.Meta.fields[3:],
        ]
        read_only_fields = fields


class CandidateProposeSerializer(serializers.Serializer):
    unit = VisibleUnitField()
    full_name = serializers.CharField(max_length=150)
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField()
    ethnicity = serializers.ChoiceField(choices=ETHNICITY_CHOICES)
    proposed_by = serializers.ChoiceField(choices=ProposedBy.choices)
    proposed_on = serializers.DateField()
    religion = serializers.ChoiceField(
        choices=Religion.choices, required=False, default=Religion.NONE
    )
    occupation = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class CandidateAdvanceSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=[
            (s, CandidateStage(s).label)
            for s in (
                CandidateStage.COURSE_COMPLETED,
                CandidateStage.APPLICATION_FILED,
                CandidateStage.INTRODUCERS_ASSIGNED,
                CandidateStage.CELL_VOTED,
            )
        ]
    )
    date = serializers.DateField(required=False, allow_null=True)
    introducer_1 = VisibleMemberField(required=False, allow_null=True)
    introducer_2 = VisibleMemberField(required=False, allow_null=True)
    votes_for = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    votes_total = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class CandidateAdmitSerializer(serializers.Serializer):
    decision_date = serializers.DateField()
    ceremony_date = serializers.DateField()
    decision_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    age_exception = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    ceremony_delay_approval = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    party_card_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True, default=None
    )


class CandidateDropSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def _counts(help_text: str) -> serializers.DictField:
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text)


class UnitStatsSerializer(serializers.Serializer):
    """`selectors.UnitStats.as_dict()`."""

    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    as_of = serializers.DateField()
    subtree = serializers.BooleanField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    extent = serializers.ChoiceField(
        choices=selectors.EXTENTS,
        help_text="which question the figures of as_of answer: the unit as the tree stood that day "
        "(tree) or its present extent then (present: what later merged into it, a split part's "
        "share)",
    )
    members_total = serializers.IntegerField()
    members_official = serializers.IntegerField()
    members_probationary = serializers.IntegerField()
    members_in_transit = serializers.IntegerField()
    cells = serializers.IntegerField()
    by_gender = _counts("gender code → members")
    by_age_band = _counts("age band → members (age on as_of)")
    by_ethnicity = _counts("ethnic group code → members")
    by_religion = _counts("religion code → members")
    by_general_education = _counts("general education code → members")
    by_professional_education = _counts("professional education code → members")
    by_theory_level = _counts("political theory level → members")
    events_in_period = _counts("event kind → events in the period")


class UnitStatsQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    subtree = serializers.BooleanField(required=False, default=True)
    extent = serializers.ChoiceField(choices=selectors.EXTENTS, required=False)


# --- filters -----------------------------------------------------------------------------


class MemberEventFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label=_("Event"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit (with its subtree)"))
    member = django_filters.NumberFilter(field_name="member_id", label=_("Member"))

    class Meta:
        model = MemberEvent
        fields: list[str] = []

    def filter_unit(self, queryset, name, value):
        path = Unit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(
            in_subtree("unit__path", path) | in_subtree("other_unit__path", path)
        )


class CandidateFilterSet(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(choices=CandidateStage.choices, label=_("Stage"))
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit (with its subtree)"))

    class Meta:
        model = Candidate
        fields: list[str] = []

    def filter_unit(self, queryset, name, value):
        path = Unit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(in_subtree("unit__path", path))


# --- viewsets ----------------------------------------------------------------------------


class ScopedViewSetMixin:
    """Querysets start from what the caller may see; writes are checked by the services' callers."""

    permission_classes = [ScopedPermission]

    def scoped(self, queryset):
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return queryset.visible_to(self.request.user, Action.VIEW)


@extend_schema_view(
    list=extend_schema(
        summary="Members the caller may see, with the member list's filters (a list selected "
        "by religion, ethnicity, age or party card number is logged)"
    ),
    retrieve=extend_schema(summary="A member's full record (the read is logged)"),
    create=extend_schema(
        summary="Admit a probationary member",
        request=MemberAdmitSerializer,
        responses={201: MemberDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Correct personal attributes",
        request=MemberUpdateSerializer,
        responses=MemberDetailSerializer,
    ),
)
class MemberViewSet(
    AuditActorMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Members, their records and their events."""

    queryset = Member.objects.none()
    filterset_class = MemberFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            self.scoped(Member.objects.all()).select_related("unit").order_by("name_folded", "id")
        )

    def get_serializer_class(self):
        if self.action == "list":
            return MemberListSerializer
        if self.action == "create":
            return MemberAdmitSerializer
        if self.action == "partial_update":
            return MemberUpdateSerializer
        return MemberDetailSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200 and reads.selects_by_sensitive_data(request.query_params):
            reads.log_list_read(
                user=request.user,
                read="member_list",
                params=request.query_params,
                names=MemberFilterSet.base_filters,
                count=_row_count(response),
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        record_view(member, user=request.user, note="api")
        return Response(MemberDetailSerializer(member, context=self.get_serializer_context()).data)

    def create(self, request, *args, **kwargs):
        serializer = MemberAdmitSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        _require_change(request.user, data["unit"])
        member = services.member_admit(actor=request.user, **data)
        return Response(
            MemberDetailSerializer(member, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, *args, **kwargs):
        member = self.get_object()
        _require_change(request.user, _deciding_unit(member))
        serializer = MemberUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.member_update(actor=request.user, member=member, **serializer.validated_data)
        # The answer is the full record: a read like opening it.
        record_view(member, user=request.user, note="api update")
        return Response(MemberDetailSerializer(member, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        summary="The member's events, in order",
        responses=MemberEventSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record an event through the matching service",
        request=MemberEventCreateSerializer,
        responses={201: MemberEventSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def events(self, request, pk=None):
        member = self.get_object()
        if request.method == "GET":
            record_view(member, user=request.user, note="api events")
            events = member.events.select_related(
                "member", "unit", "other_unit", "created_by"
            ).order_by("date", "id")
            return Response(MemberEventSerializer(events, many=True).data)
        serializer = MemberEventCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kind = data.pop("kind")
        service, required, optional = EVENT_SERVICES[kind]
        _require_change(request.user, _deciding_unit(member, kind))
        arguments = {name: data[name] for name in [*required, *optional] if name in data}
        # The API speaks the event's field names; the services their own keywords.
        if "transfer_mode" in arguments:
            arguments["mode"] = arguments.pop("transfer_mode")
        if "discipline_level" in arguments:
            arguments["level"] = arguments.pop("discipline_level")
        if kind == EventKind.TEMP_TRANSFER_OUT:
            arguments["mode"] = TransferMode.TEMPORARY
        if kind == EventKind.DISCIPLINE:
            arguments.setdefault("decision_number", "")
            arguments.setdefault("issuer", "")
        if kind == EventKind.RESTORE:
            _require_change(request.user, arguments["unit"])
        event = service(actor=request.user, member=member, **arguments)
        return Response(MemberEventSerializer(event).data, status=status.HTTP_201_CREATED)


class MemberEventViewSet(AuditActorMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The ledger of events the caller may see (either unit of the event in their subtrees).
    Its reads are logged: on the member when one member's events are asked for, else with the
    filters, the unit and the row count."""

    serializer_class = MemberEventSerializer
    queryset = MemberEvent.objects.none()
    filterset_class = MemberEventFilterSet

    def get_queryset(self):
        return (
            self.scoped(MemberEvent.objects.all())
            .select_related("member", "unit", "other_unit", "created_by")
            .order_by("-date", "-id")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        raw = request.query_params.get("member")
        member = (
            Member.objects.visible_to(request.user, Action.VIEW).filter(pk=int(raw)).first()
            if raw and raw.isdigit()
            else None
        )
        if member is not None:
            record_view(member, user=request.user, note="api events")
        else:
            reads.log_list_read(
                user=request.user,
                read="member_events",
                params=request.query_params,
                names=MemberEventFilterSet.base_filters,
                count=_row_count(response),
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        event = self.get_object()
        record_view(event.member, user=request.user, note="api event")
        return Response(self.get_serializer(event).data)


def _row_count(response) -> int:
    return response.data.get("count", 0) if isinstance(response.data, dict) else len(response.data)


@extend_schema_view(
    list=extend_schema(summary="Candidates the caller may see, without their personal data"),
    retrieve=extend_schema(summary="A candidate's full record (the read is logged)"),
    create=extend_schema(
        summary="Propose a candidate",
        request=CandidateProposeSerializer,
        responses={201: CandidateSummarySerializer},
    ),
)
class CandidateViewSet(
    AuditActorMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The admission pipeline: propose, advance stage by stage, admit or drop."""

    serializer_class = CandidateSummarySerializer
    queryset = Candidate.objects.none()
    filterset_class = CandidateFilterSet

    def get_queryset(self):
        return (
            self.scoped(Candidate.objects.all())
            .select_related("unit")
            .order_by("unit__path", "name_folded", "id")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return CandidateProposeSerializer
        return CandidateSerializer if self.action == "retrieve" else CandidateSummarySerializer

    def retrieve(self, request, *args, **kwargs):
        candidate = self.get_object()
        record_view(candidate, user=request.user, note="api")
        return Response(CandidateSerializer(candidate).data)

    def create(self, request, *args, **kwargs):
        serializer = CandidateProposeSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        _require_change(request.user, serializer.validated_data["unit"])
        candidate = services.candidate_propose(actor=request.user, **serializer.validated_data)
        return Response(CandidateSummarySerializer(candidate).data, status=status.HTTP_201_CREATED)

    def _candidate_for_change(self) -> Candidate:
        candidate = self.get_object()
        _require_change(self.request.user, candidate.unit)
        return candidate

    @extend_schema(request=CandidateAdvanceSerializer, responses=CandidateSummarySerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        candidate = self._candidate_for_change()
        serializer = CandidateAdvanceSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.candidate_advance(
            actor=request.user, candidate=candidate, **serializer.validated_data
        )
        return Response(CandidateSummarySerializer(candidate).data)

    @extend_schema(request=CandidateAdmitSerializer, responses={201: MemberDetailSerializer})
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None):
        candidate = self._candidate_for_change()
        serializer = CandidateAdmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.candidate_admit(
            actor=request.user, candidate=candidate, **serializer.validated_data
        )
        return Response(
            MemberDetailSerializer(member, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CandidateDropSerializer, responses=CandidateSummarySerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        candidate = self._candidate_for_change()
        serializer = CandidateDropSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.candidate_drop(
            actor=request.user, candidate=candidate, **serializer.validated_data
        )
        return Response(CandidateSummarySerializer(candidate).data)


class UnitStatsViewSet(AuditActorMixin, viewsets.ViewSet):
    """Member statistics of a unit's subtree, today or as of a date."""

    permission_classes = [ScopedPermission]

    @extend_schema(
        summary="Statistics of a unit (its subtree), today or as of a date",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="unit id"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="YYYY-MM-DD, default today"),
            OpenApiParameter(
                "period_start", OpenApiTypes.DATE, description="events from (default 1 January)"
            ),
            OpenApiParameter(
                "period_end", OpenApiTypes.DATE, description="events up to (default as_of)"
            ),
            OpenApiParameter(
                "subtree", OpenApiTypes.BOOL, description="include sub-units (default true)"
            ),
            OpenApiParameter(
                "extent",
                OpenApiTypes.STR,
                enum=list(selectors.EXTENTS),
                description="for a past as_of: tree (default), the unit as the tree stood that "
                "day; present, its present extent then (everything later merged into it, a split "
                "part's share of what it came from). A unit that did not exist that day has only "
                "present; the response's extent says which was given.",
            ),
        ],
        responses=UnitStatsSerializer,
    )
    def retrieve(self, request, pk=None):
        unit = get_object_or_404(Unit.objects.visible_to(request.user, Action.VIEW), pk=pk)
        query = UnitStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        stats = selectors.unit_stats(unit=unit, **query.validated_data)
        return Response(stats.as_dict())


def register(router) -> None:
    router.register("members", MemberViewSet, basename="member")
    router.register("member-events", MemberEventViewSet, basename="member-event")
    router.register("candidates", CandidateViewSet, basename="candidate")
    router.register("unit-stats", UnitStatsViewSet, basename="unit-stats")
