"""Generic view helpers: scoped lookups (404 outside the user's subtrees, 403 for read-only
roles writing), HTMX partials, and the audit tab of any audited object."""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import AuditedModel, AuditEntry
from .querysets import Action


def get_visible_or_404(queryset, user, **lookup):
    """The object if the user may see it; 404 otherwise, so that existence does not leak."""
    return get_object_or_404(queryset.visible_to(user, Action.VIEW), **lookup)


def require_action(user, obj, action: str = Action.CHANGE) -> None:
    """403 when the user sees the object but may not change it."""
    manager = type(obj)._default_manager
    if not manager.visible_to(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied


def can(user, obj, action: str = Action.CHANGE) -> bool:
    manager = type(obj)._default_manager
    return manager.visible_to(user, action).filter(pk=obj.pk).exists()


class ScopedViewMixin(LoginRequiredMixin):
    """For class-based views: `get_queryset()` starts from `visible_to(user)`."""

    model = None
    action = Action.VIEW

    def get_queryset(self):
        return self.model._default_manager.visible_to(self.request.user, self.action)


class HtmxPartialMixin:
    """Renders `partial_template_name` for HTMX requests, the full page otherwise."""

    partial_template_name: str | None = None

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()


def query_without_page(request) -> str:
    params = [(k, v) for k, values in request.GET.lists() for v in values if k != "page"]
    encoded = urlencode(params)
    return f"{encoded}&" if encoded else ""


def paginate(request, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


@login_required
def audit_for_object(request, app_label: str, model_name: str, pk: str):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    if not issubclass(model, AuditedModel) or not hasattr(model._default_manager, "visible_to"):
        raise Http404
    try:
        pk = model._meta.pk.to_python(pk)
    except ValidationError as exc:  # a malformed id names no object: not found, never a 500
        raise Http404 from exc
    obj = get_visible_or_404(model._default_manager.all(), request.user, pk=pk)
    entries = AuditEntry.objects.for_object(obj).select_related("actor")
    page = paginate(request, entries)
    template = "core/_audit_table.html" if request.htmx else "core/audit_list.html"
    return render(
        request,
        template,
        {
            "object": obj,
            "entries": page,
            "page_obj": page,
            "query_without_page": query_without_page(request),
        },
    )
