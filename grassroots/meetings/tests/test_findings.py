"""The findings: a month without a regular meeting, a quarter without a thematic one,
attendance below the threshold, minutes unsigned after N days — each at its edge — and the
scores suggested to the monthly self-assessment."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from grassroots.meetings.choices import FindingKind
from grassroots.meetings.findings import (
    month_attendance_share,
    regular_meeting_held,
    unit_findings,
)

from .helpers import attend, cell_members, meeting, signed

TODAY = dt.date(2024, 7, 15)  # January to June are over; July is not judged yet


def kinds(report, unit=None):
    return sorted(
        (f.kind, f.period) for row in report.rows for f in row.findings if unit in (None, row.unit)
    )


def test_a_month_without_a_regular_meeting_is_a_finding_once_it_is_over(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    for month in (1, 2, 4, 5, 6):
        signed(meeting(tree.cell_a1, dt.date(2024, month, 10)), members)
    meeting(tree.cell_a1, dt.date(2024, 3, 10), kind="extraordinary")  # not a regular one
    report = unit_findings(tree.cell_a1, 2024, TODAY)
    assert [p for k, p in kinds(report) if k == FindingKind.NO_REGULAR] == ["03/2024"]


def test_a_quarter_without_a_thematic_meeting_is_a_finding(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    signed(meeting(tree.cell_a1, dt.date(2024, 3, 28), kind="thematic"), members)
    report = unit_findings(tree.cell_a1, 2024, TODAY)
    assert [p for k, p in kinds(report) if k == FindingKind.NO_THEMATIC] == ["Q2/2024"]


def test_attendance_below_the_threshold_is_a_finding_and_at_it_is_not(tree, settings):
    settings.MEETINGS_ATTENDANCE_THRESHOLD = 0.8
    members = cell_members(tree.cell_a1)  # five members
    at = attend(meeting(tree.cell_a1, dt.date(2024, 1, 10)), members, absent=members[:1])  # 80%
    below = attend(meeting(tree.cell_a1, dt.date(2024, 2, 10)), members, absent=members[:2])
    report = unit_findings(tree.cell_a1, 2024, TODAY)
    low = [f for row in report.rows for f in row.findings if f.kind == FindingKind.LOW_ATTENDANCE]
    assert [f.meeting_id for f in low] == [below.pk] and at.pk != below.pk
    assert low[0].detail == "3/5 = 60.0%"


def test_minutes_unsigned_after_the_days_allowed_are_a_finding(tree, settings):
    settings.MEETINGS_MINUTES_SIGN_DAYS = 5
    late = meeting(tree.cell_a1, TODAY - dt.timedelta(days=6))
    meeting(tree.cell_a1, TODAY - dt.timedelta(days=5), kind="extraordinary")  # on the edge
    report = unit_findings(tree.cell_a1, 2024, TODAY)
    unsigned = [f for row in report.rows for f in row.findings if f.kind == FindingKind.UNSIGNED]
    assert [f.meeting_id for f in unsigned] == [late.pk]


def test_findings_cover_the_subtree_and_skip_units_not_yet_open(tree):
    report = unit_findings(tree.commune_a, 2024, TODAY)
    assert report.cells == 2 and {r.unit for r in report.rows} == {tree.cell_a1, tree.cell_a2}
    assert report.counts[FindingKind.NO_REGULAR] == 12  # six months of two cells
    assert unit_findings(tree.commune_a, 2014, TODAY).cells == 0  # the tree opened in 2015


def test_the_findings_page_and_its_export_are_scoped(tree, as_persona):
    url = reverse("meetings:unit_findings", args=[tree.commune_a.pk])
    assert (
        "Chi bộ thôn Mường Hum" in as_persona("viewer_a").get(url, {"year": 2024}).content.decode()
    )
    assert as_persona("outsider").get(url).status_code == 404
    export = reverse("meetings:findings_export", args=[tree.commune_a.pk])
    assert as_persona("viewer_a").get(export, {"year": 2024}).status_code == 200


def test_the_suggested_scores_read_the_months_meetings(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung", "Giàng A Chá"))
    attend(meeting(tree.cell_a1, dt.date(2024, 3, 10)), members, absent=members[:1])
    assert regular_meeting_held(tree.cell_a1, 2024, 3) == Decimal(1)
    assert regular_meeting_held(tree.cell_a1, 2024, 4) == Decimal(0)
    assert regular_meeting_held(tree.commune_a, 2024, 3) is None
    assert month_attendance_share(tree.cell_a1, 2024, 3) == Decimal("0.6667")
    assert month_attendance_share(tree.cell_a1, 2024, 4) is None


def test_the_suggesters_are_registered_with_the_self_assessment():
    from grassroots.assessments.suggestions import is_known

    assert is_known("meetings_regular_held") and is_known("meetings_attendance_rate")


def test_the_findings_of_a_subtree_count_in_one_query_and_detail_a_page_in_two(
    tree, django_assert_num_queries
):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    for month in range(1, 7):
        attend(meeting(tree.cell_a1, dt.date(2024, month, 10)), members)
    with django_assert_num_queries(1):  # the cells joined to their tallies
        report = unit_findings(tree.province, 2024, TODAY)
    assert report.cells == 3 and report.counts[FindingKind.UNSIGNED] == 6
    with django_assert_num_queries(2):  # the page's cells, their meetings found wanting
        rows = report.rows_of(report.found[:100])
    assert sum(len(r.of(FindingKind.UNSIGNED)) for r in rows) == 6


def test_a_cell_closed_during_the_year_is_judged_only_while_it_was_open(tree):
    from grassroots.organizations.models import Unit

    members = cell_members(tree.cell_a2, names=("Lò Văn Pả",))
    signed(meeting(tree.cell_a2, dt.date(2024, 2, 10)), members)
    signed(meeting(tree.cell_a2, dt.date(2024, 2, 20), kind="thematic"), members)
    Unit.objects.filter(pk=tree.cell_a2.pk).update(valid_to=dt.date(2024, 4, 10))
    report = unit_findings(tree.commune_a, 2024, TODAY)
    assert kinds(report, tree.cell_a2) == [
        (FindingKind.NO_REGULAR, "01/2024"),
        (FindingKind.NO_REGULAR, "03/2024"),
        (FindingKind.NO_REGULAR, "04/2024"),
        (FindingKind.NO_THEMATIC, "Q2/2024"),
    ]


def test_the_findings_page_and_export_read_as_many_queries_for_more_cells(tree, as_persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_persona("admin")

    def queries(unit) -> tuple[int, int]:
        counts = []
        for name in ("meetings:unit_findings", "meetings:findings_export"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse(name, args=[unit.pk]), {"year": 2024})
                assert response.status_code == 200
            counts.append(len(ctx.captured_queries))
        return tuple(counts)

    one_cell = queries(tree.cell_a1)
    assert queries(tree.province) == one_cell  # three cells, each with findings
