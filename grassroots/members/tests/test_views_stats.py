import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from .page_helpers import admit


def stats_url(unit) -> str:
    return reverse("members:unit_stats", args=[unit.pk])


def test_the_statistics_page_redirects_anonymous_visitors_to_login(tree, as_persona):
    response = as_persona("anonymous").get(stats_url(tree.commune_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("manager_a", 200), ("viewer_a", 200), ("outsider", 404)],
)
def test_the_statistics_page_is_scoped(tree, personas, as_persona, persona, status):
    assert as_persona(persona).get(stats_url(tree.commune_a)).status_code == status


def test_the_statistics_show_totals_breakdowns_and_events_of_the_year(tree, personas, as_persona):
    admit(
        tree.cell_a1,
        full_name="Một",
        decision_date=dt.date(2020, 3, 2),
        ceremony_date=dt.date(2020, 3, 9),
    )
    admit(
        tree.cell_a2,
        full_name="Hai",
        gender="female",
        ethnicity="thai",
        decision_date=dt.date(2020, 3, 2),
        ceremony_date=dt.date(2020, 3, 9),
    )
    response = as_persona("viewer_a").get(
        stats_url(tree.commune_a), {"period_start": "01/01/2020", "period_end": "31/12/2020"}
    )
    assert response.status_code == 200
    stats = response.context["stats"]
    assert (stats.members_total, stats.members_probationary, stats.cells) == (2, 2, 2)
    titles = [str(t["title"]) for t in response.context["tables"]]
    assert len(titles) == 7
    gender = response.context["tables"][0]
    assert {r["count"] for r in gender["rows"]} == {1}
    events = {str(r["label"]): r["count"] for r in response.context["events"]}
    assert events["Admissions"] == 2
    html = response.content.decode()
    assert 'class="bar"' in html and "Thái" in html


def test_the_statistics_of_a_past_date_accept_both_date_forms(tree, personas, as_persona):
    admit(tree.cell_a1, decision_date=dt.date(2020, 3, 2), ceremony_date=dt.date(2020, 3, 9))
    client = as_persona("viewer_a")
    before = client.get(stats_url(tree.commune_a), {"as_of": "31/12/2019"}).context["stats"]
    after = client.get(stats_url(tree.commune_a), {"as_of": "2020-12-31"}).context["stats"]
    assert (before.members_total, after.members_total) == (0, 1)
    assert after.as_of == dt.date(2020, 12, 31)


def test_a_future_date_is_refused_on_its_field(tree, personas, as_persona):
    future = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    response = as_persona("viewer_a").get(stats_url(tree.commune_a), {"as_of": future})
    assert response.status_code == 400 and "as_of" in response.context["form"].errors


def test_the_statistics_query_count_does_not_grow_with_members(
    tree, personas, as_persona, django_assert_max_num_queries
):
    client = as_persona("manager_a")
    admit(tree.cell_a1, full_name="Một")
    with django_assert_max_num_queries(40) as few:
        client.get(stats_url(tree.commune_a))
    for i in range(10):
        admit(tree.cell_a2, full_name=f"Người {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(stats_url(tree.commune_a))


# --- the statistics as a workbook ---------------------------------------------------------------


def export_url(unit) -> str:
    return reverse("members:unit_stats_export", args=[unit.pk])


def _workbook(response):
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content), read_only=True)


def test_the_statistics_page_offers_its_figures_as_xlsx_with_the_same_query(
    tree, personas, as_persona
):
    html = (
        as_persona("viewer_a")
        .get(stats_url(tree.commune_a), {"as_of": "31/12/2020"})
        .content.decode()
    )
    assert f'href="{export_url(tree.commune_a)}?as_of=31%2F12%2F2020"' in html


def test_the_xlsx_holds_the_pages_figures_one_sheet_per_breakdown(tree, personas, as_persona):
    admit(
        tree.cell_a1,
        full_name="Một",
        decision_date=dt.date(2020, 3, 2),
        ceremony_date=dt.date(2020, 3, 9),
    )
    admit(
        tree.cell_a2,
        full_name="Vàng Thị Hai",
        gender="female",
        ethnicity="thai",
        decision_date=dt.date(2020, 3, 2),
        ceremony_date=dt.date(2020, 3, 9),
    )
    client = as_persona("viewer_a")
    query = {"as_of": "31/12/2020", "period_start": "01/01/2020", "period_end": "31/12/2020"}
    page = client.get(stats_url(tree.commune_a), query).context
    book = _workbook(client.get(export_url(tree.commune_a), query))
    tables = page["tables"]
    assert len(book.sheetnames) == 1 + len(tables)
    summary = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    title = summary[0][0]
    assert tree.commune_a.name in title and "31/12/2020" in title
    assert "as the tree stood that day" in title
    figures = {row[0]: row[1] for row in summary[3:8]}
    assert figures["Members"] == page["stats"].members_total == 2
    assert figures["Probationary"] == page["stats"].members_probationary
    assert ("Admissions", 2) in summary
    for sheet, table in zip(book.worksheets[1:], tables, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert str(table["title"]) in rows[0][0] and "31/12/2020" in rows[0][0]
        assert [(r[0], r[1]) for r in rows[3:]] == [
            (row["label"], row["count"]) for row in table["rows"]
        ]


def test_the_xlsx_is_scoped_and_refuses_what_the_page_refuses(tree, personas, as_persona):
    assert as_persona("outsider").get(export_url(tree.commune_a)).status_code == 404
    anonymous = as_persona("anonymous").get(export_url(tree.commune_a))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    future = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    response = as_persona("viewer_a").get(export_url(tree.commune_a), {"as_of": future})
    assert response.status_code == 400
