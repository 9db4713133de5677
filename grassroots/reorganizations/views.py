"""Pages of the reorganizations: submit → preview → confirm → commit.

Each page is a `ServiceFormView` on the unit of the URL (404 outside the user's subtrees, 403
without the manager role on it) with one more step: a valid submission shows the preview — the
service's own plan, validation and counts, nothing written — with a confirm button carrying the
same data; the confirmation runs the service, which validates again and checks again who
decides (every unit acted on, every parent used) before it writes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Action
from grassroots.core.forms import apply_service_errors
from grassroots.core.views import Crumb, ServiceFormView, crumb_trail, vary_on_htmx
from grassroots.organizations.choices import ReorganizationKind
from grassroots.organizations.models import Reorganization, Unit

from . import forms as f
from . import services


def split_field_name(key: str) -> str:
    """The split service names a part's field "parts.2.code"; the form calls it "part_2_code"."""
    return key.replace("parts.", "part_").replace(".", "_")


def _unit_url(unit: Unit) -> str:
    return reverse("organizations:unit_detail", args=[unit.pk])


class ReorganizationView(ServiceFormView):
    """A reorganization of the unit of the URL, previewed before it is committed.

    Subclasses name the `kind`, the `form_class`, the `title` and what the form needs
    (`get_form_kwargs`)."""

    model = Unit
    action = Action.MANAGE
    kind: str = ""
    title = ""
    template_name = "reorganizations/reorganization_form.html"
    preview_template_name = "reorganizations/reorganization_preview.html"

    def get_queryset(self):
        return Unit.objects.select_related("parent")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def service_error_mapping(self):
        return split_field_name

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        unit = self.object
        trail = crumb_trail(
            home=Crumb(_("Units"), reverse("organizations:tree")),
            units=self.access.crumbs(unit, include_self=True),
            unit_url=_unit_url,
        )
        return {
            "unit": unit,
            "kind": self.kind,
            "title": str(self.title) % {"unit": unit},
            "trail": trail,
            **super().get_context_data(**kwargs),
        }

    def call_service(self, form) -> Reorganization:
        return services.REORGANIZATION_SERVICES[self.kind](
            actor=self.request.user, **form.arguments()
        )

    def get_success_message(self, result: Reorganization) -> str:
        return _("Recorded: %(reorganization)s.") % {"reorganization": result}

    def get_success_url(self, result: Reorganization) -> str:
        if result.kind == ReorganizationKind.MERGE:
            return reverse("organizations:unit_detail", args=[result.details["successor_id"]])
        if result.kind in (ReorganizationKind.SPLIT, ReorganizationKind.DISSOLVE):
            return reverse("organizations:unit_history", args=[self.object.pk])
        return _unit_url(self.object)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        # The form with its errors answers 200, as it always has: the two steps share one URL.
        form = self.get_form(request.POST, request.FILES)
        if request.POST.get("step") == "edit":
            form.is_valid()  # back from the preview: the form again, filled in
            return self.render_form(form)
        if form.is_valid():
            try:
                if request.POST.get("confirm") == "1":
                    return self.form_valid(self.call_service(form))
                preview = services.reorganization_preview(
                    kind=self.kind, actor=request.user, **form.arguments()
                )
            except ValidationError as error:
                apply_service_errors(form, error, self.service_error_mapping())
            else:
                context = self.get_context_data(form=form, preview=preview)
                return vary_on_htmx(render(request, self.preview_template_name, context))
        return self.render_form(form)


class UnitMergeView(ReorganizationView):
    """Merge units directly under this one (into a new unit or into one of them)."""

    kind = ReorganizationKind.MERGE
    form_class = f.MergeForm
    title = gettext_lazy("Merge units under %(unit)s")

    def get_initial(self) -> dict[str, Any]:
        return {"sources": self.request.GET.getlist("sources")}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "parent": self.object}


class UnitSplitView(ReorganizationView):
    """Split a unit into 2 to 10 parts (`?parts=` adds a part)."""

    kind = ReorganizationKind.SPLIT
    form_class = f.SplitForm
    title = gettext_lazy("Split %(unit)s")

    def parts(self) -> int:
        requested = self.request.POST.get("parts") or self.request.GET.get("parts") or 2
        try:
            return min(max(int(requested), 2), 10)
        except ValueError:
            return 2

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "source": self.object, "parts": self.parts()}


class UnitRenameView(ReorganizationView):
    """Rename a unit: a new name, a new code, or both, under a decision (the only way either
    changes)."""

    kind = ReorganizationKind.RENAME
    form_class = f.RenameForm
    title = gettext_lazy("Rename %(unit)s")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "unit": self.object}


class UnitMoveView(ReorganizationView):
    """Move a unit with its subtree under another parent."""

    kind = ReorganizationKind.MOVE
    form_class = f.MoveForm
    title = gettext_lazy("Move %(unit)s")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "unit": self.object}


class UnitDissolveView(ReorganizationView):
    """Close a unit that holds no members, candidates or open sub-units any more."""

    kind = ReorganizationKind.DISSOLVE
    form_class = f.DissolveForm
    title = gettext_lazy("Dissolve %(unit)s")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "unit": self.object}


unit_merge = UnitMergeView.as_view()
unit_split = UnitSplitView.as_view()
unit_rename = UnitRenameView.as_view()
unit_move = UnitMoveView.as_view()
unit_dissolve = UnitDissolveView.as_view()
