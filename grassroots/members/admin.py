"""Admin of the member ledger, scoped to the staff member's subtrees.

The ledger itself (events, intervals) and the admission pipeline are read-only here: they
change only through the services. A member's personal attributes may be corrected, through
`member_update`; opening a member's record is logged as a read of personal data.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from grassroots.core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from grassroots.core.audit import record_view

from . import services
from .models import Candidate, Member, MemberEvent, Membership


class MemberEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MemberEvent
    fk_name = "member"
    extra = 0
    fields = (
        "date",
        "kind",
        "unit",
        "other_unit",
        "transfer_mode",
        "discipline_level",
        "leaving_reason",
        "decision_number",
    )
    readonly_fields = fields
    ordering = ("date", "id")


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # The list shows no sensitive personal data (religion, ethnicity, birth date, card number).
    list_display = ("full_name", "unit", "status", "official_date")
    list_filter = ("status",)
    search_fields = ("name_folded", "full_name")
    list_select_related = ("unit",)
    readonly_fields = (
        "unit",
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
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (_("Personal data"), {"fields": services.PERSONAL_FIELDS}),
        (_("From the ledger"), {"fields": readonly_fields}),
    )
    inlines = [MemberEventInline]

    def has_add_permission(self, request):
        # Admission has its rules (age, ceremony, probation): it is done on the pages or the API.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            member = self.get_queryset(request).filter(pk=object_id).first()
            if member is not None:
                record_view(member, user=request.user, note="admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        original = Member.objects.get(pk=obj.pk)
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.PERSONAL_FIELDS
        }
        if fields:
            services.member_update(actor=request.user, member=original, **fields)


@admin.register(MemberEvent)
class MemberEventAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("member", "kind", "date", "unit", "other_unit", "decision_number")
    list_filter = ("kind", "transfer_mode", "discipline_level", "leaving_reason")
    search_fields = ("member__name_folded", "decision_number")
    date_hierarchy = "date"
    list_select_related = ("member", "unit", "other_unit")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("member", "unit", "status", "standing", "start", "end")
    list_filter = ("status",)
    search_fields = ("member__name_folded",)
    list_select_related = ("member", "unit")


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("full_name", "unit", "stage", "proposed_by", "proposed_on")
    list_filter = ("stage", "proposed_by")
    search_fields = ("name_folded", "full_name")
    list_select_related = ("unit",)
