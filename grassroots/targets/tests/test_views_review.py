"""The review of a resolution on a chosen date with its bands, its export, and the comparison
of the units under a province on one indicator."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grassroots.organizations.models import Unit
from grassroots.targets.choices import Band, Direction
from grassroots.targets.selectors import ComparisonRow, comparison_ranking

from .page_helpers import approved, plan


@pytest.fixture
def reported(tree, manager_a):
    """Figures of 2023: growth 7.7 (target 7: met), poverty 24 (from 36.1 towards 20, lower
    is better: 75.2% of the reduction, near), schools 30 of 41 (73.2% against 80%: 91.5%,
    near); no member admitted (0 of 40: below)."""
    p = plan(tree.commune_a)
    approved(p.growth, tree.commune_a, "2023", Decimal("7.7"), manager_a)
    approved(p.poverty, tree.commune_a, "2023", Decimal("24"), manager_a)
    approved(
        p.schools,
        tree.commune_a,
        "2023",
        None,
        manager_a,
        numerator=Decimal(30),
        denominator=Decimal(41),
    )
    return p


def review(p):
    return reverse("targets:resolution_review", args=[p.resolution.pk])


def test_the_review_sends_anonymous_visitors_to_login(reported, as_persona):
    response = as_persona("anonymous").get(review(reported))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer_a", 200), ("editor_a", 200), ("admin", 200), ("outsider", 404)]
)
def test_the_review_is_seen_within_the_subtree_only(reported, as_persona, persona, status):
    assert as_persona(persona).get(review(reported)).status_code == status
    assert (
        as_persona(persona)
        .get(reverse("targets:review_export", args=[reported.resolution.pk]))
        .status_code
        == status
    )


def test_the_review_counts_targets_by_band_and_by_group(reported, as_persona):
    response = as_persona("viewer_a").get(review(reported), {"as_of": "30/06/2024"})
    bands = {b["key"]: b["count"] for b in response.context["bands"]}
    assert (bands[Band.MET], bands[Band.NEAR], bands[Band.BELOW], bands[Band.NO_DATA]) == (
        1,
        2,
        1,
        0,
    )
    rows = {row["target"].indicator.code: row for row in response.context["rows"]}
    assert rows["ECO-GROWTH"]["band"] == Band.MET and rows["ECO-GROWTH"]["percent"] == "110.0%"
    assert rows["SOC-POOR"]["band"] == Band.NEAR and rows["SOC-POOR"]["percent"] == "75.2%"
    assert rows["SOC-SCHOOLS"]["actual"] == "73.2" and rows["SOC-SCHOOLS"]["percent"] == "91.5%"
    groups = {g["key"]: g["total"] for g in response.context["groups"]}
    assert groups == {"economy": 1, "society": 2, "party": 1}
    html = response.content.decode()
    assert "1 of 4 targets achieved or exceeded (≥ 100%); 2 of 4 achieved 70% or more" in html
    assert "1 of 4 targets below 70%" in html


def test_the_bands_of_a_review_are_chosen_on_the_page(reported, as_persona):
    response = as_persona("viewer_a").get(
        review(reported), {"as_of": "30/06/2024", "met": "80", "near": "50"}
    )
    bands = {b["key"]: b["count"] for b in response.context["bands"]}
    assert bands[Band.MET] == 2 and bands[Band.NEAR] == 1
    assert "2 of 4 targets achieved or exceeded (≥ 80%)" in response.content.decode()


def test_a_review_before_any_figure_reports_no_data_never_met(reported, as_persona):
    response = as_persona("viewer_a").get(review(reported), {"as_of": "31/12/2021"})
    bands = {b["key"]: b["count"] for b in response.context["bands"]}
    assert bands[Band.MET] == 0
    assert bands[Band.NO_DATA] >= 3


def test_a_wrong_date_or_bands_are_refused_with_the_message(reported, as_persona):
    response = as_persona("viewer_a").get(review(reported), {"as_of": "31/02/2024"})
    assert response.status_code == 400 and response.context["form"].errors["as_of"]
    response = as_persona("viewer_a").get(review(reported), {"met": "60", "near": "70"})
    assert response.status_code == 400 and response.context["form"].errors["near"]


def test_a_figure_of_a_month_shows_its_month_as_people_write_it(
    reported, manager_a, tree, as_persona
):
    approved(
        reported.schools,
        tree.commune_a,
        "202403",
        None,
        manager_a,
        numerator=Decimal(31),
        denominator=Decimal(41),
    )
    response = as_persona("viewer_a").get(review(reported), {"as_of": "30/06/2024"})
    rows = {row["target"].indicator.code: row for row in response.context["rows"]}
    assert rows["SOC-SCHOOLS"]["actual_period"] == "03/2024"
    assert "<small>03/2024</small>" in response.content.decode()


def test_the_review_speaks_vietnamese_by_default(reported, as_persona, settings):
    settings.LANGUAGE_CODE = "vi"
    html = as_persona("viewer_a").get(review(reported), {"as_of": "30/06/2024"}).content.decode()
    assert "Đạt và vượt 1/4 chỉ tiêu (≥ 100%); 2/4 chỉ tiêu đạt từ 70% trở lên" in html
    # Figures in the Vietnamese way.
    assert "110,0%" in html


def test_the_review_prints_without_its_form_and_buttons(reported, as_persona):
    html = as_persona("manager_a").get(review(reported), {"as_of": "30/06/2024"}).content.decode()
    # The date-and-bands form, the adoption form and the buttons stay on the screen.
    assert re.search(r'<form method="get" class="[^"]*\bno-print\b', html)
    assert re.search(r'<details class="no-print"', html)
    assert 'onclick="window.print()"' in html
    # The tables are printed whole: header repeated, rows never split.
    tables = re.findall(r'<table class="([^"]*)"', html)
    assert tables and all("print-table" in css for css in tables)


def test_the_review_exports_to_xlsx_with_the_same_figures(reported, as_persona):
    from openpyxl import load_workbook

    url = reverse("targets:review_export", args=[reported.resolution.pk])
    response = as_persona("viewer_a").get(url, {"as_of": "30/06/2024", "met": "100", "near": "70"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    texts = [str(row[0]) for row in cells if row and row[0] is not None]
    assert any("1 of 4 targets achieved or exceeded" in t for t in texts)
    growth = next(row for row in cells if row[1] == "ECO-GROWTH")
    assert growth[7] == pytest.approx(7.7) and growth[9] == pytest.approx(110.0)
    assert book.worksheets[1].max_row == 4  # header and three groups


# --- comparison -----------------------------------------------------------------------------------


@pytest.fixture
def both_communes(reported, tree, admin_user):
    approved(reported.growth, tree.commune_b, "2023", Decimal("8.1"), admin_user)
    return reported


def compare(unit, **params):
    return reverse("targets:comparison"), {"unit": unit.pk, **params}


def test_the_comparison_ranks_the_communes_of_a_province_with_a_bar_chart(
    both_communes, tree, as_persona
):
    url, params = compare(tree.province, indicator=both_communes.growth.pk, period="2023")
    response = as_persona("admin").get(url, params)
    assert response.status_code == 200
    rows = response.context["comparison_rows"]
    assert [(r["unit"].code, r["text"], r["rank"]) for r in rows] == [
        ("XB", "8.1", 1),
        ("XA", "7.7", 2),
    ]
    html = response.content.decode()
    assert '<figure class="chart-box bars"' in html and "Xã Bình An" in html


def test_lower_is_better_ranks_from_the_lowest(both_communes, tree, admin_user, as_persona):
    approved(both_communes.poverty, tree.commune_b, "2023", Decimal("30"), admin_user)
    url, params = compare(tree.province, indicator=both_communes.poverty.pk, period="2023")
    rows = as_persona("admin").get(url, params).context["comparison_rows"]
    assert [r["unit"].code for r in rows] == ["XA", "XB"]


def test_a_unit_without_a_figure_is_listed_last_without_a_rank(reported, tree, as_persona):
    url, params = compare(tree.province, indicator=reported.growth.pk, period="2023")
    rows = as_persona("admin").get(url, params).context["comparison_rows"]
    assert [(r["unit"].code, r["rank"]) for r in rows] == [("XA", 1), ("XB", None)]


def test_communes_with_the_same_figure_share_a_rank(both_communes, tree, admin_user, as_persona):
    approved(both_communes.poverty, tree.commune_b, "2023", Decimal("24"), admin_user)
    url, params = compare(tree.province, indicator=both_communes.poverty.pk, period="2023")
    response = as_persona("admin").get(url, params)
    rows = response.context["comparison_rows"]
    assert [(r["text"], r["rank"]) for r in rows] == [("24.0", 1), ("24.0", 1)]
    html = response.content.decode()
    assert html.count('<td class="num">1</td>') == 2 and '<td class="num">2</td>' not in html


def test_tied_figures_share_a_rank_and_the_next_rank_counts_the_units_above():
    units = [Unit(name=name) for name in ("A", "B", "C", "D", "E")]
    figures = [Decimal("7"), Decimal("9"), None, Decimal("7"), Decimal("5")]
    found = [ComparisonRow(unit=u, value=v) for u, v in zip(units, figures, strict=True)]
    ranked = comparison_ranking(found, direction=Direction.HIGHER)
    assert [(r.unit.name, r.rank) for r in ranked] == [
        ("B", 1),
        ("A", 2),
        ("D", 2),
        ("E", 4),
        ("C", None),
    ]
    lower_first = comparison_ranking(found, direction=Direction.LOWER)
    assert [r.rank for r in lower_first] == [1, 2, 2, 4, None]


@pytest.mark.parametrize(
    ("persona", "status"), [("manager_a", 404), ("outsider", 404), ("admin", 200)]
)
def test_the_comparison_of_a_province_needs_a_role_on_it(
    reported, tree, as_persona, persona, status
):
    url, params = compare(tree.province, indicator=reported.growth.pk, period="2023")
    assert as_persona(persona).get(url, params).status_code == status


def test_the_comparison_without_a_unit_opens_the_users_top_unit(reported, tree, as_persona):
    response = as_persona("viewer_a").get(reverse("targets:comparison"))
    assert response.status_code == 302 and f"unit={tree.commune_a.pk}" in response["Location"]
    assert as_persona("anonymous").get(reverse("targets:comparison")).status_code == 302


def test_an_htmx_comparison_answers_with_the_results_only(both_communes, tree, as_persona):
    url, params = compare(tree.province, indicator=both_communes.growth.pk, period="2023")
    html = as_persona("admin").get(url, params, HTTP_HX_REQUEST="true").content.decode()
    assert html.startswith('<section id="comparison-results"')


def test_a_wrong_period_is_refused_next_to_the_field(reported, tree, as_persona):
    url, params = compare(tree.commune_a, indicator=reported.growth.pk, period="23")
    response = as_persona("viewer_a").get(url, params)
    assert response.status_code == 400 and response.context["form"].errors["period"]
    response = as_persona("viewer_a").get(url, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "is not a period" in response.content.decode()


# --- indicator catalogue -------------------------------------------------------------------------


def test_the_indicator_catalogue_is_read_by_everyone_signed_in(
    reported, as_persona, django_assert_max_num_queries
):
    url = reverse("targets:indicator_list")
    assert as_persona("anonymous").get(url).status_code == 302
    client = as_persona("outsider")
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert len(response.context["indicators"]) == 4
    response = as_persona("viewer_a").get(url, {"q": "ho ngheo"})
    assert [i.code for i in response.context["indicators"]] == ["SOC-POOR"]
    response = as_persona("viewer_a").get(url, {"computed": "true"})
    assert [i.code for i in response.context["indicators"]] == ["PARTY-ADMITTED"]


def test_a_comparison_without_any_figure_shows_no_empty_chart(reported, tree, as_persona):
    url, params = compare(tree.province, indicator=reported.growth.pk, period="2021")
    response = as_persona("admin").get(url, params)
    assert response.context["chart"] is None and len(response.context["comparison_rows"]) == 2
    assert "No unit has an approved figure" in response.content.decode()


# --- adopted reviews ------------------------------------------------------------------------------


def adopt(p):
    return reverse("targets:review_adopt", args=[p.resolution.pk])


ADOPTION = {
    "kind": "mid_term",
    "as_of": "30/04/2024",
    "met": "100",
    "near": "70",
    "note": "Hội nghị Ban Chấp hành",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager_a", 302),
        ("admin", 302),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_a_manager_adopts_the_review_of_a_date_and_it_is_kept(
    reported, personas, as_persona, persona, status
):
    from grassroots.core.models import AuditEntry
    from grassroots.targets.models import AdoptedReview

    response = as_persona(persona).post(adopt(reported), ADOPTION)
    assert response.status_code == status
    if status != 302:
        assert not AdoptedReview.objects.exists()
        return
    adopted = AdoptedReview.objects.get()
    assert response["Location"] == reverse("targets:adopted_review", args=[adopted.pk])
    assert (adopted.kind, adopted.as_of.isoformat(), adopted.total, adopted.adopted_by) == (
        "mid_term",
        "2024-04-30",
        4,
        personas[persona],
    )
    assert adopted.counts == {Band.MET: 1, Band.NEAR: 2, Band.BELOW: 1, Band.NO_DATA: 0}
    assert AuditEntry.objects.for_object(adopted).get(action="create").actor == personas[persona]


def test_the_review_page_lists_adopted_reviews_and_offers_adoption_to_managers_only(
    reported, as_persona
):
    from grassroots.targets import services

    assert "Adopt and keep" in as_persona("manager_a").get(review(reported)).content.decode()
    assert "Adopt and keep" not in as_persona("editor_a").get(review(reported)).content.decode()
    adopted = services.review_adopt(
        actor=None, resolution=reported.resolution, kind="mid_term", as_of=dt.date(2024, 4, 30)
    )
    page = as_persona("viewer_a").get(review(reported)).content.decode()
    assert reverse("targets:adopted_review", args=[adopted.pk]) in page


def test_an_adopted_review_shows_the_figures_as_issued_beside_the_live_review(
    reported, tree, manager_a, admin_user, as_persona
):
    from grassroots.targets import services
    from grassroots.targets.models import DataValue

    as_persona("manager_a").post(adopt(reported), ADOPTION)
    adopted_url = reverse(
        "targets:adopted_review", args=[reported.resolution.adopted_reviews.get().pk]
    )
    growth = DataValue.objects.get(indicator=reported.growth, period="2023")
    services.data_value_reopen(actor=manager_a, value=growth, reason="Cục Thống kê điều chỉnh")
    approved(reported.growth, tree.commune_a, "2023", Decimal("5.6"), admin_user)
    kept = as_persona("viewer_a").get(adopted_url)
    assert kept.status_code == 200
    rows = {row["position"]: row for row in kept.context["rows"]}
    assert (rows[1]["actual"].replace(",", "."), rows[1]["band"]) == ("7.7", Band.MET)
    stored = reported.resolution.adopted_reviews.get()
    assert kept.context["sentences"] in (stored.sentences_vi, stored.sentences_en)
    assert "1/4" in stored.sentences_vi[0]
    live = as_persona("viewer_a").get(review(reported), {"as_of": "30/04/2024"})
    live_rows = {row["position"]: row for row in live.context["rows"]}
    assert (live_rows[1]["actual"].replace(",", "."), live_rows[1]["band"]) == ("5.6", Band.NEAR)
    assert as_persona("outsider").get(adopted_url).status_code == 404


def test_a_refused_adoption_shows_the_message_next_to_the_field(reported, as_persona):
    from grassroots.targets.models import AdoptedReview

    response = as_persona("manager_a").post(adopt(reported), {**ADOPTION, "as_of": "01/01/2019"})
    assert response.status_code == 400
    assert "before the resolution" in response.context["adopt_form"].errors["as_of"][0]
    assert not AdoptedReview.objects.exists()
