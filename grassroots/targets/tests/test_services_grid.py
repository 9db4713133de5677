"""The data-entry grid's service: the figures of one unit and period saved together, all or
nothing, submitted when asked; refused for a read-only role and for a closed unit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.core.models import AuditEntry
from grassroots.organizations.models import Unit
from grassroots.targets import services
from grassroots.targets.choices import ValueState
from grassroots.targets.models import DataValue, DataValueTransition

from .core_helpers import counts, draft, percent_indicator


@pytest.fixture
def growth(db):
    return percent_indicator("ECO-GROWTH")


@pytest.fixture
def poverty(db):
    return percent_indicator("SOC-POOR")


def test_the_grid_saves_every_row_as_a_draft_written_by_its_actor(tree, editor_a, growth, poverty):
    saved = services.data_values_save_grid(
        actor=editor_a,
        unit=tree.commune_a,
        period="2023",
        figures=[(growth, {"value": Decimal("6.8")}), (poverty, {"value": Decimal("25")})],
    )
    assert {pk: v.value for pk, v in saved.items()} == {
        growth.pk: Decimal("6.8"),
        poverty.pk: Decimal("25"),
    }
    assert {v.state for v in DataValue.objects.all()} == {ValueState.DRAFT}
    assert {v.entered_by for v in DataValue.objects.all()} == {editor_a}
    entry = AuditEntry.objects.for_object(saved[growth.pk]).get(action="create")
    assert entry.actor == editor_a


def test_the_grid_submits_the_drafts_of_the_rows_asked_for(tree, editor_a, growth, poverty):
    draft(poverty, tree.commune_a, "2023", Decimal("26"), actor=editor_a)
    services.data_values_save_grid(
        actor=editor_a,
        unit=tree.commune_a,
        period="2023",
        figures=[(growth, {"value": Decimal("6.8")})],
        submit=[growth.pk, poverty.pk],
    )
    assert {v.indicator.code: v.state for v in DataValue.objects.all()} == {
        "ECO-GROWTH": ValueState.SUBMITTED,
        "SOC-POOR": ValueState.SUBMITTED,
    }
    assert DataValueTransition.objects.filter(to_state=ValueState.SUBMITTED).count() == 2


def test_one_refused_row_saves_nothing_and_names_its_indicator(tree, editor_a, growth, poverty):
    before = counts()
    with pytest.raises(services.GridRefused) as refused:
        services.data_values_save_grid(
            actor=editor_a,
            unit=tree.commune_a,
            period="2023",
            figures=[(growth, {"value": Decimal("6.8")}), (poverty, {"value": Decimal("120")})],
            submit=[growth.pk],
        )
    assert set(refused.value.by_indicator) == {poverty.pk}
    assert "SOC-POOR is at most" in " ".join(refused.value.by_indicator[poverty.pk].messages)
    assert counts() == before


def test_a_dry_run_checks_every_row_and_saves_nothing(tree, editor_a, growth):
    before = counts()
    saved = services.data_values_save_grid(
        actor=editor_a,
        unit=tree.commune_a,
        period="2023",
        figures=[(growth, {"value": Decimal("6.8")})],
        dry_run=True,
    )
    assert set(saved) == {growth.pk}
    assert counts() == before


def test_a_read_only_role_saves_nothing(tree, viewer_a, outsider, growth):
    before = counts()
    for actor in (viewer_a, outsider):
        with pytest.raises(PermissionDenied):
            services.data_values_save_grid(
                actor=actor,
                unit=tree.commune_a,
                period="2023",
                figures=[(growth, {"value": Decimal("6.8")})],
            )
    assert counts() == before


def test_a_closed_unit_takes_no_figure_from_its_grid(tree, editor_a, growth):
    Unit.objects.filter(pk=tree.cell_a1.pk).update(valid_to=dt.date(2024, 3, 1))
    tree.cell_a1.refresh_from_db()
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.data_values_save_grid(
            actor=editor_a,
            unit=tree.cell_a1,
            period="2023",
            figures=[(growth, {"value": Decimal("6.8")})],
        )
    assert "closed on 01/03/2024" in " ".join(refused.value.messages)
    assert counts() == before


def test_approving_several_figures_is_all_or_nothing(tree, editor_a, manager_a, growth, poverty):
    values = []
    for indicator in (growth, poverty):
        value = draft(indicator, tree.commune_a, "2023", Decimal("20"), actor=editor_a)
        values.append(services.data_value_submit(actor=editor_a, value=value))
    assert services.data_values_approve(actor=manager_a, values=values) == 2
    assert {v.state for v in DataValue.objects.all()} == {ValueState.APPROVED}
    assert {v.approved_by for v in DataValue.objects.all()} == {manager_a}
    # One figure that may not be approved (a draft) and none is.
    third = draft(percent_indicator("SOC-THIRD"), tree.commune_a, "2023", Decimal("1"))
    other = draft(percent_indicator("SOC-FOURTH"), tree.commune_a, "2023", Decimal("1"))
    services.data_value_submit(actor=None, value=other)
    before = counts()
    with pytest.raises(ValidationError):
        services.data_values_approve(actor=manager_a, values=[other, third])
    assert counts() == before
    other.refresh_from_db()
    assert other.state == ValueState.SUBMITTED
