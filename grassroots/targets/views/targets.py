"""The forms that add a target to a resolution and change it (with its yearly milestones)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import forms as f
from .. import services
from ..models import Resolution, Target
from .common import TargetsFormView

TARGET_FIELDS = (
    "indicator",
    "kind",
    "change_basis",
    "reduction_basis",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_value_high",
    "target_year",
    "position",
    "note",
)


class TargetFormView(TargetsFormView):
    template_name = "targets/target_form.html"
    form_class = f.TargetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"resolution": self.get_resolution(), "user": self.request.user}

    def service_error_mapping(self):
        # The milestones are several fields: their refusal stands above the form.
        return {"milestones": None}

    def get_success_url(self, result: Target) -> str:
        detail = reverse("targets:resolution_detail", args=[result.resolution_id])
        return f"{detail}#target-{result.pk}"


class TargetCreateView(TargetFormView):
    """Add a target to the resolution of the URL (a writing role on its unit)."""

    model = Resolution
    submit_label = gettext_lazy("Add")

    def get_queryset(self):
        return Resolution.objects.select_related("unit")

    def get_resolution(self) -> Resolution:
        return self.object

    def get_title(self) -> str:
        return _("Add a target")

    def call_service(self, form) -> Target:
        return services.target_create(
            actor=self.request.user, resolution=self.object, **form.service_kwargs()
        )

    def get_success_message(self, result: Target) -> str:
        return _("Target %(n)s is added.") % {"n": result.position}


class TargetEditView(TargetFormView):
    """Change a target and replace its milestones. A target follows its resolution: changed by
    those who may change the target's unit (the service checks the resolution's too)."""

    model = Target

    def get_queryset(self):
        return Target.objects.select_related(
            "resolution__unit", "indicator", "unit"
        ).prefetch_related("milestones")

    def check_access(self) -> None:
        target = self.object
        if not services.may_change_targets(self.request.user, target.resolution, target.unit):
            raise PermissionDenied

    def get_unit(self):
        return self.object.resolution.unit

    def get_resolution(self) -> Resolution:
        return self.object.resolution

    def get_title(self) -> str:
        return _("Edit target %(n)s") % {"n": self.object.position}

    def get_initial(self) -> dict[str, Any]:
        target = self.object
        initial = {name: getattr(target, name) for name in TARGET_FIELDS}
        initial["unit_code"] = (
            target.unit.code if target.unit_id != target.resolution.unit_id else ""
        )
        initial.update({f"milestone_{m.year}": m.value for m in target.milestones.all()})
        return initial

    def call_service(self, form) -> Target:
        kwargs = form.service_kwargs()
        milestones = kwargs.pop("milestones")
        changed = set(form.changed_data) | ({"unit"} if "unit_code" in form.changed_data else set())
        fields = {name: kwargs[name] for name in kwargs if name in changed}
        return services.target_update(
            actor=self.request.user, target=self.object, milestones=milestones, **fields
        )

    def get_success_message(self, result: Target) -> str:
        return _("Target %(n)s is saved.") % {"n": self.object.position}
