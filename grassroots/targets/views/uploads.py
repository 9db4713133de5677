"""The offline template of a resolution (XLSX) and the upload of a filled one: a dry run
first, then the confirmation saves it, all or nothing.

Hand-written: a file to download, and an upload in two steps (check, then confirm with a signed
token) that no generic view fits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.access import Access
from grassroots.organizations.lookups import unit_from_query

from .. import forms as f
from .. import services
from ..models import DataValue, Indicator
from ..periods import parse_period
from ..xlsx import XLSX_TYPE, FileError, ascii_slug, build_template, column_label, read_upload
from .common import default_period, get_resolution, targets_trail


@login_required
def template_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The XLSX template of a resolution for a unit (`?unit=` or `?unit_code=`, the resolution's
    unit by default) and a period (`?period=`).

    Hand-written: a file, not a page."""
    resolution = get_resolution(request, pk)
    unit = unit_from_query(request) or resolution.unit
    try:
        period = parse_period(request.GET.get("period") or default_period().code)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("targets:resolution_detail", pk=resolution.pk)
    indicators: list[Indicator] = []
    for target in resolution.targets.select_related("indicator").order_by("position"):
        if target.indicator.is_entered and target.indicator not in indicators:
            indicators.append(target.indicator)
    stored = {
        v.indicator_id: v
        for v in DataValue.objects.visible_to(request.user).filter(
            unit=unit, period=period.code, indicator__in=indicators
        )
    }
    rows = []
    for indicator in indicators:
        value = stored.get(indicator.pk)
        row: dict[str, Any] = {"indicator": indicator}
        if value is not None:
            row.update(
                value=value.value,
                numerator=value.numerator,
                denominator=value.denominator,
                source=value.source,
                comment=value.comment,
            )
        rows.append(row)
    content = build_template(resolution=resolution, unit=unit, period=period.code, rows=rows)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    slug = ascii_slug(f"{resolution.number} {unit.code}")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{period.code}.xlsx"'
    return response


UPLOAD_SALT = "grassroots.targets.upload"
UPLOAD_MAX_AGE = 3600


def _jsonable_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for row in rows]


def _decimal_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    numbers = {"value", "numerator", "denominator"}
    return [
        {k: (Decimal(v) if k in numbers and v not in (None, "") else v) for k, v in row.items()}
        for row in rows
    ]


def _shown_errors(errors) -> list[dict[str, Any]]:
    return [{"row": e.row, "column": column_label(e.field), "message": e.message} for e in errors][
        :500
    ]


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: a dry run first (what would be created, changed, left as it
    is, and every error by row and column), then the confirmation saves it, all or nothing.

    Hand-written: two steps over one service (a dry run, then the rows carried in a signed
    token to the confirmation), where a ServiceFormView has one."""
    if not Access.of(request.user).has_any_change_role:
        raise PermissionDenied
    unit = unit_from_query(request)
    form = f.UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "unit": unit,
        "trail": targets_trail(request.user, unit),
        "form": form,
    }
    status = 200
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            payload = signing.loads(
                request.POST["confirm"],
                salt=f"{UPLOAD_SALT}.{request.user.pk}",
                max_age=UPLOAD_MAX_AGE,
            )
        except signing.BadSignature:
            messages.error(request, _("The check has expired: upload the file again."))
            return redirect(request.get_full_path())
        summary = services.data_values_import(
            actor=request.user,
            rows=_decimal_rows(payload["rows"]),
            dry_run=False,
            submit=payload["submit"],
        )
        context.update(
            summary=summary,
            errors=_shown_errors(summary.errors),
            file_name=payload["file"],
            submit=payload["submit"],
        )
        if summary.errors:
            status = 400
        else:
            messages.success(
                request, _("%(n)d figures saved.") % {"n": summary.created + summary.updated}
            )
            if unit is not None:
                context["back_url"] = reverse("targets:data_entry", args=[unit.pk])
    elif request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        submit = form.cleaned_data["submit"]
        try:
            parsed = read_upload(upload_file)
        except FileError as exc:
            context["file_error"] = str(exc)
            return render(request, "targets/upload.html", context, status=400)
        summary = services.data_values_import(
            actor=request.user, rows=parsed.rows, dry_run=True, submit=submit
        )
        # A cell that could not be read is named once, with the reader's message.
        unread = {(e.row, e.field) for e in parsed.errors}
        errors = sorted(
            [*parsed.errors, *(e for e in summary.errors if (e.row, e.field) not in unread)],
            key=lambda e: (e.row, e.field),
        )
        context.update(
            summary=summary, errors=_shown_errors(errors), file_name=upload_file.name, submit=submit
        )
        if errors:
            status = 400
        elif not parsed.rows:
            context["file_error"] = _("The file has no figure to save: fill the value column.")
            context.pop("summary")
            status = 400
        elif not summary.created and not summary.updated:
            context["nothing_new"] = True
        else:
            context["confirm_token"] = signing.dumps(
                {"rows": _jsonable_rows(parsed.rows), "submit": submit, "file": upload_file.name},
                salt=f"{UPLOAD_SALT}.{request.user.pk}",
                compress=True,
            )
    return render(request, "targets/upload.html", context, status=status)
