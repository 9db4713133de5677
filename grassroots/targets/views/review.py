"""The review of a resolution on any date (`?as_of=dd/mm/yyyy`, with its bands), its XLSX
export, the adoption of a review by the committee and the adopted review kept as issued.

Which review is shown is decided by `review_resolver`, which the API asks too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from grassroots.core.views import get_visible_or_404, vary_on_htmx

from .. import forms as f
from .. import review_resolver, services
from ..choices import Band, IndicatorGroup
from ..display import percent_text, promise_text, target_text
from ..models import AdoptedReview, Resolution
from ..numbers import show_number
from ..periods import period_label
from ..selectors import DEFAULT_BANDS, Bands, Review
from ..xlsx import XLSX_TYPE, ascii_slug, review_workbook
from .common import TargetsFormView, get_resolution, target_rows, targets_trail


def _review_form(request: HttpRequest) -> f.ReviewForm:
    data = None
    if request.GET:
        # The bands left empty read as the defaults, and show them.
        data = request.GET.copy()
        for name in ("met", "near"):
            if not data.get(name):
                data[name] = show_number(getattr(DEFAULT_BANDS, name), None)
    return f.ReviewForm(data)


def _band_summary(review: Review, bands: Bands) -> tuple[list[dict], list[dict]]:
    """Counts by band (with the rule of each) and by group of indicators."""
    rules = {
        Band.MET: f"≥ {show_number(bands.met, None)}%",
        Band.NEAR: f"{show_number(bands.near, None)}–<{show_number(bands.met, None)}%",
        Band.BELOW: f"< {show_number(bands.near, None)}%",
        Band.NO_DATA: "",
    }
    counts = review.counts
    by_band = [
        {
            "key": str(band),
            "label": band.label,
            "rule": rules[band],
            "count": counts.get(str(band), 0),
        }
        for band in Band
    ]
    groups = []
    by_group = review.by_group
    for value, label in IndicatorGroup.choices:
        group_counts = by_group.get(value)
        if not group_counts:
            continue
        numbers = [group_counts.get(str(band), 0) for band in Band]
        groups.append({"key": value, "label": label, "counts": numbers, "total": sum(numbers)})
    return by_band, groups


def _language() -> str:
    return (translation.get_language() or "vi")[:2]


def review_context(request: HttpRequest, resolution: Resolution, adopt_form=None) -> dict[str, Any]:
    """The live review the query asks for (today and the default bands when it asks for none
    or asks wrongly: the form then says what is wrong)."""
    form = _review_form(request)
    asked: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        asked = {name: form.cleaned_data.get(name) for name in ("as_of", "met", "near")}
    shown = review_resolver.live_review(resolution=resolution, **asked)
    as_of, bands, review = shown.as_of, shown.bands, shown.review
    if not form.is_bound:
        form = f.ReviewForm(initial={"as_of": as_of, "met": bands.met, "near": bands.near})
    by_band, groups = _band_summary(review, bands)
    params = {"as_of": as_of.strftime("%d/%m/%Y"), "met": bands.met, "near": bands.near}
    return {
        "resolution": resolution,
        "unit": resolution.unit,
        "trail": targets_trail(request.user, resolution.unit, resolution=resolution),
        "form": form,
        "as_of": as_of,
        "bands_used": bands,
        "review": review,
        "rows": target_rows(review),
        "bands": by_band,
        "groups": groups,
        "total": review.total,
        "sentences": review.sentences(_language()),
        "query": urlencode(params),
        "adopted_reviews": shown.adopted,
        "can_adopt": services.may_adopt_review(request.user, resolution),
        "adopt_form": adopt_form
        or f.ReviewAdoptForm(
            initial={
                "as_of": as_of,
                "met": bands.met,
                "near": bands.near,
                "kind": shown.adoption_kind,
            }
        ),
    }


@login_required
def resolution_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review of a resolution on any date (`?as_of=dd/mm/yyyy`) with configurable bands.

    Hand-written: a read page whose form only asks which review to show (no service)."""
    resolution = get_resolution(request, pk)
    context = review_context(request, resolution)
    status = 400 if context["form"].errors else 200
    template = "targets/_review_body.html" if request.htmx else "targets/resolution_review.html"
    return vary_on_htmx(render(request, template, context, status=status))


class ReviewAdoptView(TargetsFormView):
    """Record that the committee adopted the review of a date (managers of the resolution's
    unit): it is filed as issued, beside the live review. Posted from the review page, whose
    form it is: a refusal shows that page again with the messages."""

    model = Resolution
    form_class = f.ReviewAdoptForm
    template_name = "targets/resolution_review.html"

    def get_queryset(self):
        return Resolution.objects.select_related("unit", "term", "replaced_by")

    def check_access(self) -> None:
        if not services.may_adopt_review(self.request.user, self.object):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def call_service(self, form) -> AdoptedReview:
        return services.review_adopt(
            actor=self.request.user, resolution=self.object, **form.service_kwargs()
        )

    def render_form(self, form, status: int = 200) -> HttpResponse:
        context = review_context(self.request, self.object, adopt_form=form)
        return render(self.request, self.template_name, context, status=400)

    def get_success_message(self, result: AdoptedReview) -> str:
        return _("The %(kind)s as of %(day)s is adopted and kept as issued.") % {
            "kind": result.get_kind_display().lower(),
            "day": result.as_of.strftime("%d/%m/%Y"),
        }

    def get_success_url(self, result: AdoptedReview) -> str:
        return reverse("targets:adopted_review", args=[result.pk])


def _adopted_rows(adopted: AdoptedReview) -> list[dict[str, Any]]:
    """The rows of an adopted review, shown as the live review shows its rows."""
    groups = dict(IndicatorGroup.choices)
    return [
        {
            "position": row.position,
            "indicator_label": row.indicator_label,
            "measure_unit": row.measure_unit,
            "group_label": groups.get(row.group, row.group),
            "target_year": row.target_year,
            "band": row.band,
            "baseline": show_number(row.baseline_value, row.decimals),
            "target_text": promise_text(
                row.kind, row.target_value, row.target_value_high, row.decimals
            ),
            "actual": show_number(row.actual, row.decimals) if row.has_data else "—",
            "actual_period": period_label(row.actual_period)
            if row.has_data and row.actual_period
            else "",
            "percent": percent_text(row.percent),
            "progress": percent_text(row.progress),
        }
        for row in adopted.rows.all()
    ]


@login_required
def adopted_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A review as its committee adopted it: the figures, results and sentences as issued,
    whatever was corrected since; a link leads to the live review of the same date.

    Hand-written: a read page of one record."""
    adopted = get_visible_or_404(
        AdoptedReview.objects.select_related("resolution__unit", "adopted_by"), request.user, pk=pk
    )
    resolution = adopted.resolution
    shown = review_resolver.adopted_as_review(adopted)
    by_band, groups = _band_summary(shown, shown.bands)
    context = {
        "adopted": adopted,
        "resolution": resolution,
        "unit": resolution.unit,
        "trail": targets_trail(request.user, resolution.unit, resolution=resolution),
        "as_of": adopted.as_of,
        "rows": _adopted_rows(adopted),
        "bands": by_band,
        "groups": groups,
        "total": adopted.total,
        "sentences": adopted.sentences(_language()),
        "live_query": urlencode(
            {"as_of": adopted.as_of.strftime("%d/%m/%Y"), "met": adopted.met, "near": adopted.near}
        ),
    }
    return render(request, "targets/adopted_review.html", context)


@login_required
def review_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The same review as an XLSX workbook.

    Hand-written: a file, not a page."""
    resolution = get_resolution(request, pk)
    context = review_context(request, resolution)
    review, bands = context["review"], context["bands_used"]
    band_labels = dict(Band.choices)
    columns = [
        "#",
        _("Indicator code"),
        _("Indicator"),
        _("Unit of measure"),
        _("Baseline"),
        _("Target"),
        _("Target year"),
        _("Figure"),
        _("Period of the figure"),
        _("Achievement (%)"),
        _("Progress from the baseline (%)"),
        _("Band"),
    ]
    rows = []
    for row in review.rows:
        target, achievement = row.target, row.achievement
        rows.append(
            [
                target.position,
                target.indicator.code,
                target.indicator.label,
                target.indicator.measure_unit,
                target.baseline_value,
                target_text(target),
                target.target_year,
                achievement.actual if achievement.has_data else None,
                period_label(achievement.actual_period),
                achievement.percent,
                achievement.progress,
                str(band_labels.get(row.band, row.band)),
            ]
        )
    group_columns = [_("Group"), *[str(label) for _value, label in Band.choices], _("Total")]
    group_rows = [[str(g["label"]), *g["counts"], g["total"]] for g in context["groups"]]
    day = context["as_of"].strftime("%d/%m/%Y")
    content = review_workbook(
        title=_("Review of resolution %(number)s on %(day)s")
        % {"number": resolution.number, "day": day},
        facts=[
            (_("Title"), resolution.title),
            (_("Issued by"), resolution.unit.name),
            (_("Years"), f"{resolution.start_year}–{resolution.end_year}"),
            (_("Review as of"), day),
            (_("Met from (%)"), float(bands.met)),
            (_("Near from (%)"), float(bands.near)),
        ],
        sentences=context["sentences"],
        columns=columns,
        rows=rows,
        group_columns=group_columns,
        group_rows=group_rows,
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    slug = ascii_slug(resolution.number)
    response["Content-Disposition"] = (
        f'attachment; filename="review-{slug}-{context["as_of"]:%Y%m%d}.xlsx"'
    )
    return response
