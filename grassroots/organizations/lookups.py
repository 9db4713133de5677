"""The unit a page is about, read from its query: `?unit=<id>` or `?unit_code=<code>` (or a
form's `unit` / `unit_id`), among the units the user may see — 404 otherwise."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from grassroots.core.views import get_visible_or_404

from .models import Unit


def unit_from_query(request: HttpRequest, *, required: bool = False) -> Unit | None:
    raw = request.GET.get("unit") or request.POST.get("unit") or request.POST.get("unit_id")
    code = (request.GET.get("unit_code") or "").strip()
    if not raw and code:
        return get_visible_or_404(Unit.objects.all(), request.user, code=code)
    if not raw:
        if required:
            raise Http404
        return None
    try:
        pk = int(raw)
    except ValueError as exc:
        raise Http404 from exc
    return get_visible_or_404(Unit.objects.all(), request.user, pk=pk)
