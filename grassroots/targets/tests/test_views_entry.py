"""The data-entry grid of a unit and period: numbers typed the Vietnamese way, messages next to
the field, nothing saved when any row is refused, and the approval flow for managers."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grassroots.core.models import AuditEntry, RuleSetting
from grassroots.organizations.models import Unit
from grassroots.targets import services
from grassroots.targets.choices import ValueState
from grassroots.targets.models import DataValue, DataValueTransition

from .page_helpers import approved, plan


@pytest.fixture
def commune_plan(tree):
    return plan(tree.commune_a)


def grid(unit, period="2023"):
    return f"{reverse('targets:data_entry', args=[unit.pk])}?period={period}"


def field(indicator, name="value"):
    return f"i{indicator.pk}-{name}"


def values():
    return {(v.indicator.code, v.period): v for v in DataValue.objects.select_related("indicator")}


# --- who sees the grid ----------------------------------------------------------------------------


def test_the_grid_sends_anonymous_visitors_to_login(commune_plan, tree, as_persona):
    response = as_persona("anonymous").get(grid(tree.commune_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status", "inputs"),
    [
        ("admin", 200, True),
        ("manager_a", 200, True),
        ("editor_a", 200, True),
        ("viewer_a", 200, False),
        ("outsider", 404, False),
    ],
)
def test_the_grid_is_seen_in_the_subtree_and_writable_by_writing_roles(
    commune_plan, tree, personas, as_persona, persona, status, inputs
):
    response = as_persona(persona).get(grid(tree.commune_a))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Tốc độ tăng trưởng kinh tế" in html or "Economic growth" in html
        assert (f'name="{field(commune_plan.growth)}"' in html) is inputs


def test_the_grid_has_a_row_per_indicator_and_the_computed_one_is_read_only(
    commune_plan, tree, as_persona
):
    response = as_persona("editor_a").get(grid(tree.commune_a))
    rows = {row.indicator.code: row for row in response.context["rows"]}
    assert set(rows) == {"ECO-GROWTH", "SOC-POOR", "SOC-SCHOOLS", "PARTY-ADMITTED"}
    assert rows["PARTY-ADMITTED"].computed and rows["PARTY-ADMITTED"].form is None
    assert rows["PARTY-ADMITTED"].computed_text == "0"
    # A share of counts asks for the counts; a level does not.
    assert rows["SOC-SCHOOLS"].form.has_ratio and not rows["ECO-GROWTH"].form.has_ratio
    html = response.content.decode()
    assert f'name="{field(commune_plan.admitted)}"' not in html


def test_a_cell_sees_the_targets_of_the_commune_above_it(commune_plan, tree, as_persona):
    rows = as_persona("editor_a").get(grid(tree.cell_a1)).context["rows"]
    assert {row.indicator.code for row in rows} == {
        "ECO-GROWTH",
        "SOC-POOR",
        "SOC-SCHOOLS",
        "PARTY-ADMITTED",
    }
    assert as_persona("viewer_a").get(grid(tree.commune_b)).status_code == 404


def test_a_period_that_is_not_a_period_falls_back_with_the_message(commune_plan, tree, as_persona):
    response = as_persona("editor_a").get(grid(tree.commune_a, "2023Q7"))
    assert response.status_code == 200
    assert response.context["period_form"].errors["period"]


# --- saving ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor_a", "manager_a"])
def test_saving_the_grid_stores_drafts_read_the_vietnamese_way(
    commune_plan, tree, personas, as_persona, persona
):
    p = commune_plan
    response = as_persona(persona).post(
        grid(tree.commune_a),
        {
            "action": "save",
            field(p.growth): "6,8",
            field(p.growth, "source"): "Báo cáo UBND xã",
            field(p.poverty): "25.4",
            field(p.schools, "numerator"): "30",
            field(p.schools, "denominator"): "41",
        },
    )
    assert response.status_code == 302 and response["Location"] == grid(tree.commune_a)
    stored = values()
    assert stored[("ECO-GROWTH", "2023")].value == Decimal("6.8")
    assert stored[("ECO-GROWTH", "2023")].source == "Báo cáo UBND xã"
    assert stored[("SOC-POOR", "2023")].value == Decimal("25.4")
    assert stored[("SOC-SCHOOLS", "2023")].value == Decimal("73.2")
    assert {v.state for v in stored.values()} == {ValueState.DRAFT}
    assert {v.entered_by for v in stored.values()} == {personas[persona]}
    entry = AuditEntry.objects.for_object(stored[("ECO-GROWTH", "2023")]).get(action="create")
    assert entry.actor == personas[persona]


def test_emptying_the_source_in_the_grid_clears_it_and_a_row_posted_without_it_keeps_it(
    commune_plan, tree, editor_a, as_persona
):
    p = commune_plan
    services.data_value_save(
        actor=editor_a,
        indicator=p.growth,
        unit=tree.commune_a,
        period="2023",
        value=Decimal("6.8"),
        source="Báo cáo UBND xã",
        comment="Ước tính",
    )
    client = as_persona("editor_a")
    response = client.post(
        grid(tree.commune_a),
        {
            "action": "save",
            field(p.growth): "6.9",
        },
    )
    assert response.status_code == 302
    stored = values()[("ECO-GROWTH", "2023")]
    assert (stored.value, stored.source, stored.comment) == (
        Decimal("6.9"),
        "Báo cáo UBND xã",
        "Ước tính",
    )
    response = client.post(
        grid(tree.commune_a),
        {
            "action": "save",
            field(p.growth): "6.9",
            field(p.growth, "source"): "",
            field(p.growth, "comment"): "Ước tính",
        },
    )
    assert response.status_code == 302
    stored = values()[("ECO-GROWTH", "2023")]
    assert (stored.value, stored.source, stored.comment) == (Decimal("6.9"), "", "Ước tính")
    entry = AuditEntry.objects.for_object(stored).filter(action="update").latest("pk")
    assert entry.actor == editor_a and entry.after["source"] == ""


def test_one_refused_row_saves_nothing_and_the_message_stands_next_to_its_field(
    commune_plan, tree, as_persona
):
    p = commune_plan
    response = as_persona("editor_a").post(
        grid(tree.commune_a),
        {
            "action": "save",
            field(p.growth): "6,8",
            field(p.poverty): "120",
        },
    )
    assert response.status_code == 400
    assert not DataValue.objects.exists()
    rows = {row.indicator.code: row for row in response.context["rows"]}
    assert "SOC-POOR is at most" in " ".join(rows["SOC-POOR"].form.errors["value"])
    html = response.content.decode()
    assert f'id="id_i{p.poverty.pk}-value_error"' in html
    # What was typed stays in the fields.
    assert 'value="6,8"' in html


def test_a_number_that_cannot_be_read_is_refused_with_the_way_to_write_it(
    commune_plan, tree, as_persona
):
    response = as_persona("editor_a").post(
        grid(tree.commune_a), {"action": "save", field(commune_plan.growth): "6,8%x"}
    )
    assert response.status_code == 400
    rows = {row.indicator.code: row for row in response.context["rows"]}
    assert "1,320.5" in rows["ECO-GROWTH"].form.errors["value"][0]
    assert not DataValue.objects.exists()


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("vi", "1.320", "1320"),
        ("vi", "62,65", "62.65"),
        ("vi", "1.320,5", "1320.5"),
        ("en", "1,320", "1320"),
        ("en", "1.320", "1.32"),
        ("en", "62,65", "62.65"),
    ],
)
def test_the_grid_reads_numbers_in_the_pages_language_whatever_the_indicators_decimals(
    commune_plan, tree, as_persona, settings, language, typed, stored
):
    settings.LANGUAGE_CODE = language
    area = services.indicator_create(
        actor=None,
        code="ENV-FOREST",
        name_vi="Diện tích rừng",
        group="environment",
        measure_unit="ha",
        decimals=3,
        aggregation="sum",
    )
    services.target_create(
        actor=None,
        resolution=commune_plan.resolution,
        indicator=area,
        kind="level",
        target_value=Decimal("1500"),
        target_year=2025,
    )
    response = as_persona("editor_a").post(
        grid(tree.commune_a), {"action": "save", field(area): typed}
    )
    assert response.status_code == 302
    assert values()[("ENV-FOREST", "2023")].value == Decimal(stored)


def test_too_many_decimals_are_refused(commune_plan, tree, as_persona):
    response = as_persona("editor_a").post(
        grid(tree.commune_a), {"action": "save", field(commune_plan.growth): "6,85"}
    )
    assert response.status_code == 400 and not DataValue.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("viewer_a", 403), ("outsider", 404)])
def test_readers_and_outsiders_cannot_save(commune_plan, tree, as_persona, persona, status):
    response = as_persona(persona).post(
        grid(tree.commune_a), {"action": "save", field(commune_plan.growth): "6,8"}
    )
    assert response.status_code == status
    assert not DataValue.objects.exists()


def test_saving_and_submitting_sends_every_draft_up_for_approval(
    commune_plan, tree, editor_a, as_persona
):
    p = commune_plan
    services.data_value_save(
        actor=editor_a, indicator=p.poverty, unit=tree.commune_a, period="2023", value=Decimal("26")
    )
    response = as_persona("editor_a").post(
        grid(tree.commune_a), {"action": "submit", field(p.growth): "6,8"}
    )
    assert response.status_code == 302
    assert {code: v.state for (code, _p), v in values().items()} == {
        "ECO-GROWTH": ValueState.SUBMITTED,
        "SOC-POOR": ValueState.SUBMITTED,
    }
    assert (
        DataValueTransition.objects.filter(to_state=ValueState.SUBMITTED, actor=editor_a).count()
        == 2
    )


def test_an_htmx_row_save_answers_with_the_row(commune_plan, tree, as_persona):
    p = commune_plan
    url = f"{reverse('targets:entry_row', args=[tree.commune_a.pk, p.growth.pk])}?period=2023"
    response = as_persona("editor_a").post(url, {field(p.growth): "6,8"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<tbody class="entry-row') and "Saved as a draft." in html
    assert "<html" not in html
    assert values()[("ECO-GROWTH", "2023")].value == Decimal("6.8")


def test_an_htmx_row_save_shows_the_refusal_in_the_row(commune_plan, tree, as_persona):
    p = commune_plan
    url = f"{reverse('targets:entry_row', args=[tree.commune_a.pk, p.poverty.pk])}?period=2023"
    response = as_persona("editor_a").post(url, {field(p.poverty): "101"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "SOC-POOR is at most" in response.content.decode()
    assert not DataValue.objects.exists()


def test_the_row_page_works_without_javascript(commune_plan, tree, as_persona):
    p = commune_plan
    url = f"{reverse('targets:entry_row', args=[tree.commune_a.pk, p.growth.pk])}?period=2023"
    assert "<html" in as_persona("viewer_a").get(url).content.decode()
    assert as_persona("viewer_a").post(url, {field(p.growth): "6"}).status_code == 403
    response = as_persona("editor_a").post(url, {field(p.growth): "6"})
    assert response.status_code == 302 and values()[("ECO-GROWTH", "2023")].value == Decimal("6")


def test_the_save_button_of_one_row_saves_only_that_row_without_javascript(
    commune_plan, tree, as_persona
):
    p = commune_plan
    response = as_persona("editor_a").post(
        grid(tree.commune_a),
        {
            "save_row": str(p.growth.pk),
            field(p.growth): "6",
            field(p.poverty): "25",
        },
    )
    assert response.status_code == 302
    assert set(values()) == {("ECO-GROWTH", "2023")}


# --- approval -------------------------------------------------------------------------------------


@pytest.fixture
def submitted(commune_plan, tree, editor_a):
    value = services.data_value_save(
        actor=editor_a,
        indicator=commune_plan.growth,
        unit=tree.commune_a,
        period="2023",
        value=Decimal("6.8"),
    )
    return services.data_value_submit(actor=editor_a, value=value)


def action(value, verb):
    return reverse("targets:value_action", args=[value.pk, verb])


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
def test_only_managers_approve_a_submitted_figure(submitted, personas, as_persona, persona, status):
    response = as_persona(persona).post(action(submitted, "approve"))
    assert response.status_code == status
    submitted.refresh_from_db()
    if status == 302:
        assert submitted.state == ValueState.APPROVED and submitted.approved_by == personas[persona]
        assert (
            AuditEntry.objects.for_object(submitted).filter(action="update").first().actor
            == personas[persona]
        )
    else:
        assert submitted.state == ValueState.SUBMITTED


def test_an_approved_figure_is_shown_locked_in_the_grid(
    submitted, tree, manager_a, as_persona, commune_plan
):
    services.data_value_approve(actor=manager_a, value=submitted)
    response = as_persona("editor_a").get(grid(tree.commune_a))
    rows = {row.indicator.code: row for row in response.context["rows"]}
    assert not rows["ECO-GROWTH"].editable and rows["ECO-GROWTH"].value_text == "6.8"
    assert f'name="{field(commune_plan.growth)}"' not in response.content.decode()
    # Typing over it anyway is refused and changes nothing.
    response = as_persona("editor_a").post(
        grid(tree.commune_a), {"action": "save", field(commune_plan.growth): "9"}
    )
    submitted.refresh_from_db()
    assert submitted.value == Decimal("6.8")


def test_a_manager_returns_a_figure_with_a_reason_and_the_row_shows_it(
    submitted, tree, manager_a, as_persona
):
    response = as_persona("manager_a").post(
        action(submitted, "return"),
        {f"reason-{submitted.pk}": "Thiếu nguồn số liệu"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert (
        submitted.state == ValueState.RETURNED
        and submitted.returned_reason == "Thiếu nguồn số liệu"
    )
    assert "Thiếu nguồn số liệu" in response.content.decode()
    transition = DataValueTransition.objects.filter(value=submitted).last()
    assert transition.to_state == ValueState.RETURNED and transition.actor == manager_a


def test_returning_without_a_reason_is_refused_in_the_row(submitted, as_persona):
    response = as_persona("manager_a").post(action(submitted, "return"), {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Say why" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ValueState.SUBMITTED


def test_the_manager_who_approved_reopens_with_a_reason(submitted, manager_a, as_persona):
    services.data_value_approve(actor=manager_a, value=submitted)
    assert (
        as_persona("editor_a").post(action(submitted, "reopen"), {"reason": "Sai số"}).status_code
        == 403
    )
    response = as_persona("manager_a").post(
        action(submitted, "reopen"), {"reason": "Sai số liệu quý 4"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ValueState.DRAFT
    assert DataValueTransition.objects.filter(value=submitted).last().reason == "Sai số liệu quý 4"


def test_an_editor_submits_one_row_with_what_was_typed(commune_plan, tree, editor_a, as_persona):
    value = services.data_value_save(
        actor=editor_a,
        indicator=commune_plan.growth,
        unit=tree.commune_a,
        period="2023",
        value=Decimal("6"),
    )
    response = as_persona("editor_a").post(
        action(value, "submit"), {field(commune_plan.growth): "6,9"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED and value.value == Decimal("6.9")
    assert as_persona("viewer_a").post(action(value, "submit")).status_code == 403


def test_approving_every_submitted_figure_at_once(
    commune_plan, tree, editor_a, personas, as_persona
):
    for indicator, figure in ((commune_plan.growth, "6.8"), (commune_plan.poverty, "25")):
        saved = services.data_value_save(
            actor=editor_a,
            indicator=indicator,
            unit=tree.commune_a,
            period="2023",
            value=Decimal(figure),
        )
        services.data_value_submit(actor=editor_a, value=saved)
    assert (
        as_persona("editor_a").post(grid(tree.commune_a), {"action": "approve"}).status_code == 403
    )
    assert {v.state for v in DataValue.objects.all()} == {ValueState.SUBMITTED}
    response = as_persona("manager_a").post(grid(tree.commune_a), {"action": "approve"})
    assert response.status_code == 302
    assert {v.state for v in DataValue.objects.all()} == {ValueState.APPROVED}


@pytest.fixture
def own_figure(commune_plan, tree, manager_a):
    """A figure manager_a entered and submitted."""
    value = services.data_value_save(
        actor=manager_a,
        indicator=commune_plan.growth,
        unit=tree.commune_a,
        period="2023",
        value=Decimal("6.8"),
    )
    return services.data_value_submit(actor=manager_a, value=value)


def test_the_grid_does_not_offer_approval_to_the_person_who_entered_the_figure(
    own_figure, tree, as_persona
):
    client = as_persona("manager_a")
    response = client.get(grid(tree.commune_a))
    row = next(r for r in response.context["rows"] if r.value == own_figure)
    assert (row.can_approve, row.can_return) == (False, True)
    assert response.context["approvable_count"] == 0
    page = response.content.decode()
    assert action(own_figure, "approve") not in page and 'value="approve"' not in page
    assert "You entered this figure" in page
    # Posting anyway is refused with the reason, and the grid's "approve all" passes it over.
    response = client.post(action(own_figure, "approve"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "You entered this figure" in response.content.decode()
    response = client.post(grid(tree.commune_a), {"action": "approve"}, follow=True)
    assert "wait for another manager" in response.content.decode()
    own_figure.refresh_from_db()
    assert own_figure.state == ValueState.SUBMITTED
    assert not DataValueTransition.objects.filter(
        value=own_figure, to_state=ValueState.APPROVED
    ).exists()
    # Another manager sees the button and approves.
    response = as_persona("admin").get(grid(tree.commune_a))
    assert action(own_figure, "approve") in response.content.decode()
    assert as_persona("admin").post(action(own_figure, "approve")).status_code == 302
    own_figure.refresh_from_db()
    assert own_figure.state == ValueState.APPROVED


def test_with_approval_by_another_person_off_the_grid_offers_approval_to_who_entered_it(
    own_figure, tree, manager_a, as_persona
):
    RuleSetting.objects.create(key="approval_by_other_person", value=False)
    client = as_persona("manager_a")
    response = client.get(grid(tree.commune_a))
    assert action(own_figure, "approve") in response.content.decode()
    assert response.context["approvable_count"] == 1
    assert client.post(grid(tree.commune_a), {"action": "approve"}).status_code == 302
    own_figure.refresh_from_db()
    assert (own_figure.state, own_figure.approved_by) == (ValueState.APPROVED, manager_a)


def test_unknown_actions_and_values_outside_the_subtree_are_not_found(submitted, as_persona):
    assert (
        as_persona("manager_a")
        .post(reverse("targets:value_action", args=[submitted.pk, "delete"]))
        .status_code
        == 404
    )
    assert (
        as_persona("outsider").post(action(submitted, "return"), {"reason": "x"}).status_code == 404
    )


def test_the_grid_query_count_does_not_grow_with_indicators(
    commune_plan, tree, manager_a, as_persona, django_assert_max_num_queries
):
    client = as_persona("manager_a")
    approved(commune_plan.growth, tree.commune_a, "2023", Decimal("6.8"), manager_a)
    with django_assert_max_num_queries(40) as few:
        client.get(grid(tree.commune_a))
    baseline = len(few.captured_queries)
    for i in range(12):
        indicator = services.indicator_create(
            actor=None,
            code=f"ECO-X{i}",
            name_vi=f"Chỉ tiêu {i}",
            group="economy",
            measure_unit="ha",
            decimals=0,
            aggregation="sum",
        )
        services.target_create(
            actor=None,
            resolution=commune_plan.resolution,
            indicator=indicator,
            kind="level",
            target_value=Decimal(100 + i),
            target_year=2025,
        )
        approved(indicator, tree.commune_a, "2023", Decimal(i), manager_a)
    with django_assert_max_num_queries(baseline):
        response = client.get(grid(tree.commune_a))
    assert len(response.context["rows"]) == 16


# --- the grid as people read it -------------------------------------------------------------------


def grid_text(html: str) -> str:
    """The text a person reads in the grid's table (attributes and tags left out)."""
    table = html[html.index('<table class="table entry-grid">') : html.index("</table>")]
    return " ".join(re.sub(r"<[^>]+>", " ", table).split())


def test_the_grid_is_indicators_by_periods_labelled_by_names_never_codes(
    commune_plan, tree, manager_a, as_persona
):
    approved(commune_plan.growth, tree.commune_a, "2023Q1", Decimal("6.1"), manager_a)
    response = as_persona("editor_a").get(grid(tree.commune_a, "2023Q2"))
    assert response.status_code == 200
    html = response.content.decode()
    text = grid_text(html)
    # The periods before, then the one entered, as column headings.
    headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html)
    assert headings[1:] == ["Q4/2022", "Q1/2023", "Q2/2023"]
    assert "Tốc độ tăng trưởng kinh tế" in text or "Economic growth" in text
    assert "6.1" in text  # the figure of the quarter before, beside the one being entered
    for code in ("2023Q2", "2023Q1", "2022Q4", "ECO-GROWTH", "SOC-POOR", "PARTY-ADMITTED"):
        assert code not in text
    # The period is chosen by its label too.
    assert '<option value="2023Q2" selected>Q2/2023</option>' in html


def test_a_closed_units_grid_says_since_when_and_takes_no_figure(commune_plan, tree, as_persona):
    Unit.objects.filter(pk=tree.cell_a1.pk).update(valid_to=dt.date(2024, 3, 1))
    client = as_persona("editor_a")
    response = client.get(grid(tree.cell_a1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "has been closed since 01/03/2024" in html
    assert f'name="{field(commune_plan.growth)}"' not in html
    assert 'value="save"' not in html and 'value="submit"' not in html
    # Posting anyway is refused with the reason, and nothing is saved.
    response = client.post(
        grid(tree.cell_a1), {"action": "save", field(commune_plan.growth): "6,8"}
    )
    assert response.status_code == 400
    assert "closed on 01/03/2024" in response.content.decode()
    assert not DataValue.objects.exists()
    row_url = reverse("targets:entry_row", args=[tree.cell_a1.pk, commune_plan.growth.pk])
    assert (
        client.post(f"{row_url}?period=2023", {field(commune_plan.growth): "6"}).status_code == 403
    )
    assert not DataValue.objects.exists()
