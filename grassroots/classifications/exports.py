"""The XLSX export of a review: one row per member and collective with each step's level,
written with core's formula-safe writer (a name that starts with "=" stays text)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from grassroots.core.spreadsheets import xlsx_append
from grassroots.core.views import get_visible_or_404

from .choices import Level, NotReviewed, Subject
from .models import Classification, Review
from .services import review_members_write

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _level(value: str) -> str:
    return str(Level(value).label) if value else ""


def review_workbook(review: Review) -> bytes:
    """The review as a workbook: the classifications, then the quota's exceptions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Classifications")[:31]
    xlsx_append(
        sheet,
        [
            _("Subject"),
            _("Unit"),
            _("Unit code"),
            _("Member"),
            _("Form"),
            _("Not reviewed"),
            _("Highest level allowed"),
            _("Computed level"),
            _("Self-review"),
            _("Proposal"),
            _("Decision"),
            _("Points"),
            _("Made public on"),
            _("Did not complete two years running"),
            _("Quota exception"),
        ],
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = (
        Classification.objects.filter(review=review)
        .select_related("unit", "member", "quota_exception")
        .order_by("unit__path", "subject", "member__sort_name", "id")
    )
    for c in rows:
        exception = getattr(c, "quota_exception", None)
        xlsx_append(
            sheet,
            [
                str(Subject(c.subject).label),
                c.unit.name,
                c.unit.code,
                c.member.full_name if c.member_id else "",
                c.form_code,
                str(NotReviewed(c.not_reviewed).label) if c.not_reviewed else "",
                _level(c.cap_level),
                _level(c.suggested_level),
                _level(c.self_level),
                _level(c.proposed_level),
                _level(c.decided_level),
                float(c.points) if c.points is not None else None,
                c.published_at.date() if c.published_at else None,
                _("Yes") if c.flagged else "",
                exception.reason if exception else "",
            ],
        )
    for column, width in zip(
        "ABCDEFGHIJKLMNO", [12, 30, 12, 28, 6, 24, 22, 22, 22, 22, 22, 8, 12, 10, 40], strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@login_required
def review_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a review as XLSX (whoever may see the review)."""
    review = get_visible_or_404(Review.objects.select_related("unit"), request.user, pk=pk)
    review_members_write(review)
    response = HttpResponse(review_workbook(review), content_type=XLSX)
    name = f"classification-{review.unit.code}-{review.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def results_workbook(*, unit, year: int, user) -> bytes:
    """The year's results of every review under `unit` the user may see: one row per committee
    with its members and collectives in each level (one grouped query)."""
    from django.db.models import Count
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .choices import LEVEL_ORDER

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    levels = [str(lv.label) for lv in LEVEL_ORDER]
    xlsx_append(
        sheet,
        [_("Unit code"), _("Committee of"), _("Period")]
        + [f"{_('Members')}: {lv}" for lv in levels]
        + [_("Members not reviewed"), _("Members not decided")]
        + [f"{_('Collectives')}: {lv}" for lv in levels],
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    reviews = (
        Review.objects.visible_to(user)
        .filter(year=year, unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("unit__path", "quarter")
    )
    counts: dict[int, dict] = {}
    grouped = (
        Classification.objects.filter(review__in=reviews)
        .values("review_id", "subject", "decided_level", "not_reviewed")
        .annotate(n=Count("id"))
    )
    for row in grouped:
        key = (row["subject"], row["decided_level"] or ("-" if row["not_reviewed"] else ""))
        bucket = counts.setdefault(row["review_id"], {})
        bucket[key] = bucket.get(key, 0) + row["n"]
    for review in reviews:
        c = counts.setdefault(review.pk, {})
        members, not_reviewed = review.members_counted()  # a run's, not written yet
        c[(Subject.MEMBER, "-")] = c.get((Subject.MEMBER, "-"), 0) + not_reviewed
        c[(Subject.MEMBER, "")] = c.get((Subject.MEMBER, ""), 0) + members - not_reviewed
        xlsx_append(
            sheet,
            [review.unit.code, review.unit.name, f"Q{review.quarter}" if review.quarter else year]
            + [c.get((Subject.MEMBER, lv.value), 0) for lv in LEVEL_ORDER]
            + [c.get((Subject.MEMBER, "-"), 0), c.get((Subject.MEMBER, ""), 0)]
            + [c.get((Subject.COLLECTIVE, lv.value), 0) for lv in LEVEL_ORDER],
        )
    sheet.freeze_panes = "D2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@login_required
def results_xlsx(request: HttpRequest) -> HttpResponse:
    """Download the results of the reviews under `?unit=` for `?year=` as XLSX."""
    from django.http import Http404

    from grassroots.organizations.lookups import unit_from_query

    unit = unit_from_query(request, required=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError as exc:
        raise Http404 from exc
    response = HttpResponse(
        results_workbook(unit=unit, year=year, user=request.user), content_type=XLSX
    )
    name = f"classification-results-{unit.code}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
