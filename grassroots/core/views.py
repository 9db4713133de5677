"""The view layer every app copies.

- `ServiceFormView`: a form over one service, on an object found through `visible_to` (404
  outside the user's subtrees) with the action its unit requires (403 for read-only roles).
- `ScopedListView`: a filtered, paginated list of the rows a user may see, with its HTMX partial.
- Small helpers: scoped lookups, `vary_on_htmx`, pagination, the audit tab of any audited object.

A hand-written view says in its docstring why it cannot be one of these."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views import View

from .access import Access, Action
from .forms import apply_service_errors
from .models import AuditedModel, AuditEntry


def get_visible_or_404(queryset, user, **lookup):
    """The object if the user may see it; 404 otherwise, so that existence does not leak."""
    return get_object_or_404(queryset.visible_to(user, Action.VIEW), **lookup)


@dataclass(frozen=True)
class Crumb:
    """One step of a breadcrumb trail (`includes/breadcrumbs.html`)."""

    label: str
    url: str = ""


def crumb_trail(
    *,
    home: Crumb,
    units=(),
    unit_url: Callable[[Any], str] | None = None,
    tail: Iterable[Crumb] = (),
) -> list[Crumb]:
    """The trail of a page: the section's home, the units above (those the user may see, from
    `Access.crumbs`), each linking to `unit_url(unit)`, then the page's own steps."""
    trail = [home]
    trail += [Crumb(u.name, unit_url(u) if unit_url else "") for u in units]
    trail += list(tail)
    return trail


def require_action(user, obj, action: str = Action.CHANGE) -> None:
    """403 when the user sees `obj` (a unit, or a row with a unit) but may not do `action` on it.

    Prefer `Access.of(user).require(action, unit)`; this remains for rows scoped otherwise."""
    unit = obj if hasattr(obj, "path") else getattr(obj, "unit", None)
    if unit is not None and hasattr(unit, "path"):
        Access.of(user).require(action, unit)
        return
    manager = type(obj)._default_manager
    if not manager.visible_to(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied


def can(user, obj, action: str = Action.CHANGE) -> bool:
    """Whether `require_action` would let the user through (prefer `Access.may`)."""
    try:
        require_action(user, obj, action)
    except (PermissionDenied, Http404):
        return False
    return True


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The same URL answers with a partial or a full page: caches must keep them apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response


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


class ServiceFormView(LoginRequiredMixin, View):
    """A page that is a form over one service.

    GET shows the form; POST validates it, calls `call_service(form)` and redirects to
    `get_success_url(result)` with `success_message`; a refusal of the service lands on the fields
    it names (the rest above the form) and nothing is saved. HTMX requests get
    `partial_template_name` when set (and 200 with the form on errors, since HTMX swaps only 2xx);
    a success answered to HTMX is an `HX-Redirect`.

    The object: `model` (or `get_queryset()`) looked up by the URL's `pk` through
    `visible_to(user)` — 404 outside the user's subtrees. `object = None` views (creating under a
    unit of the query, say) override `get_object()`. The access object then requires `action` on
    `permission_unit(object)` (403 for a read-only role). Rules about *who decides* stay in the
    service.
    """

    model = None
    pk_url_kwarg = "pk"
    action: str = Action.CHANGE
    form_class = None
    template_name: str | None = None
    partial_template_name: str | None = None
    success_message: str = ""
    success_url: str | None = None

    object: Any = None

    # --- the object and the access check ----------------------------------------------------

    def get_queryset(self):
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model or get_queryset().")
        return self.model._default_manager.all()

    def get_object(self):
        if self.pk_url_kwarg not in self.kwargs:
            return None
        return get_visible_or_404(
            self.get_queryset(), self.request.user, pk=self.kwargs[self.pk_url_kwarg]
        )

    def permission_unit(self, obj):
        """The unit whose subtree the user must hold `action` on: the object's unit by default."""
        if obj is None:
            return None
        return obj if hasattr(obj, "path") else getattr(obj, "unit", None)

    def check_access(self) -> None:
        unit = self.permission_unit(self.object)
        if unit is not None:
            self.access.require(self.action, unit)
        elif self.action != Action.VIEW and not self.access.has_any_change_role:
            raise PermissionDenied

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.access = Access.of(request.user)
        self.object = self.get_object()
        self.check_access()
        refused = self.refuse()
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)

    def refuse(self) -> HttpResponse | None:
        """A response instead of the form when the action is not open for the object's state."""
        return None

    # --- the form -------------------------------------------------------------------------

    def get_form_class(self):
        return self.form_class

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data=None, files=None):
        kwargs = {"initial": self.get_initial(), **self.get_form_kwargs()}
        if data is not None:
            return self.get_form_class()(data, files, **kwargs)
        return self.get_form_class()(**kwargs)

    def call_service(self, form):
        """Call the one service this page is for with the form's cleaned data; return its result."""
        raise NotImplementedError

    def service_error_mapping(self):
        """The service's error keys → the form's field names (a dict or a function)."""
        return None

    def get_success_url(self, result) -> str:
        if self.success_url:
            return str(self.success_url)
        raise ImproperlyConfigured(f"{type(self).__name__} needs get_success_url().")

    def get_success_message(self, result) -> str:
        return str(self.success_message)

    # --- the answers ----------------------------------------------------------------------

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return {"object": self.object, **kwargs}

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and self.partial_template_name:
            return [self.partial_template_name]
        return [self.template_name]

    def render_form(self, form, status: int = 200) -> HttpResponse:
        if getattr(self.request, "htmx", False) and self.partial_template_name:
            status = 200
        response = render(
            self.request, self.get_template_names(), self.get_context_data(form=form), status=status
        )
        return vary_on_htmx(response)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.call_service(form)
            except ValidationError as error:
                apply_service_errors(form, error, self.service_error_mapping())
            else:
                return self.form_valid(result)
        return self.render_form(form, status=400)

    def form_valid(self, result) -> HttpResponse:
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        url = self.get_success_url(result)
        if getattr(self.request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


class ScopedListView(LoginRequiredMixin, View):
    """A filtered, paginated list of the rows the user may see.

    The rows start from `visible_to(user, action)`; `filterset_class` (the same filterset the API
    and the exports use) filters them; an HTMX request gets `partial_template_name` (the table and
    its pager), a plain one the full page, with `Vary: HX-Request`.
    """

    model = None
    action: str = Action.VIEW
    filterset_class = None
    template_name: str | None = None
    partial_template_name: str | None = None
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self):
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model or get_queryset().")
        return self.model._default_manager.visible_to(self.request.user, self.action)

    def get_filterset(self, queryset):
        if self.filterset_class is None:
            return None
        return self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )

    def filter_queryset(self, filterset, queryset):
        if filterset is None:
            return queryset
        return filterset.qs if filterset.is_bound else queryset

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return kwargs

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and self.partial_template_name:
            return [self.partial_template_name]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        self.access = Access.of(request.user)
        queryset = self.get_queryset()
        filterset = self.get_filterset(queryset)
        rows = self.filter_queryset(filterset, queryset)
        page = paginate(request, rows, self.paginate_by)
        context = self.get_context_data(
            filterset=filterset,
            page_obj=page,
            query_without_page=query_without_page(request),
            **{self.context_object_name: page},
        )
        return vary_on_htmx(render(request, self.get_template_names(), context))


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


# Shown at once on the home; the rest are counted (each app's own lists hold them all).
HOME_DUE_ITEMS = 30


@login_required
def home(request):
    """The page after login: each app's sections (the user's units first) and what is due,
    from the registry in `core.home` — a function view because it is neither a form nor a
    list, only the registry read."""
    from django.utils import timezone

    from .home import HomeRequest, due_items, home_sections

    ctx = HomeRequest(user=request.user, access=Access.of(request.user), today=timezone.localdate())
    sections = home_sections(ctx)
    items = due_items(ctx)
    return render(
        request,
        "core/home.html",
        {
            "sections": sections,
            "due_items": items[:HOME_DUE_ITEMS],
            "due_more": max(0, len(items) - HOME_DUE_ITEMS),
            "today": ctx.today,
        },
    )
