"""Figures: entered as drafts, checked against the indicator, submitted, approved and locked,
returned with a reason, and reopened only by the level that approved them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.models import AuditEntry, RuleSetting
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.services import unit_create
from grassroots.targets import services
from grassroots.targets.choices import Aggregation, ComputedSource, ValueState
from grassroots.targets.numbers import parse_number

from .core_helpers import approved, counts, draft, indicator, percent_indicator


@pytest.fixture
def share(db):
    return percent_indicator("SOC-HI", decimals=1)


@pytest.fixture
def province_manager(tree):
    user = User.objects.create_user(username="province_manager", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.province, role=RoleAssignment.Role.MANAGER)
    return user


def states(value) -> list[tuple[str, str]]:
    return [(t.from_state, t.to_state) for t in value.transitions.order_by("at", "id")]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("10.5", "10.5"),
        (" 1320.5 ", "1320.5"),
        ("-2.5", "-2.5"),
        ("+3", "3"),
        (".5", "0.5"),
        (7, "7"),
        (62.65, "62.65"),
        (Decimal("2100"), "2100"),
    ],
)
def test_the_services_read_figures_as_programs_write_them(given, expected):
    assert parse_number(given) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1..2",
        "10,5",
        "1.320,5",
        "1,320.5",
        "1.320.000",
        "1 320",
        "97.4%",
        True,
        "NaN",
        "Infinity",
        "1e3",
    ],
)
def test_text_that_is_not_a_programs_number_is_refused_with_the_way_to_write_it(text):
    with pytest.raises(ValidationError) as refused:
        parse_number(text)
    assert "1320.5" in refused.value.messages[0] and refused.value.code == "invalid_number"


def test_a_figure_written_with_a_comma_is_refused_by_the_services_naming_the_field(tree, share):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        draft(share, tree.commune_a, "2023", "97,4", numerator="1.320", denominator="2000")
    assert "97,4" in refused.value.message_dict["value"][0]
    assert set(refused.value.message_dict) == {"value"}  # "1.320" is a program's 1.32
    assert counts() == before


def test_an_editor_enters_a_draft_recorded_with_its_history_and_audit(tree, editor_a, share):
    value = draft(
        share,
        tree.commune_a,
        "2023",
        "97.4",
        actor=editor_a,
        source="Báo cáo BHXH",
        comment="Cuối năm",
    )
    assert (value.value, value.state, value.period_kind, value.period_start) == (
        Decimal("97.4"),
        ValueState.DRAFT,
        "year",
        dt.date(2023, 1, 1),
    )
    assert value.entered_by == editor_a and value.source == "Báo cáo BHXH"
    assert states(value) == [("", ValueState.DRAFT)]
    entry = AuditEntry.objects.for_object(value).get()
    assert entry.actor == editor_a and entry.unit_path == tree.commune_a.path


def test_a_draft_is_corrected_in_place(tree, editor_a, share):
    first = draft(share, tree.commune_a, "2023", "95", actor=editor_a)
    second = draft(share, tree.commune_a, "2023", "95.5", actor=editor_a)
    assert first.pk == second.pk
    second.refresh_from_db()
    assert second.value == Decimal("95.5")
    assert (
        AuditEntry.objects.for_object(second).filter(action="update").get().after["value"]
        == "95.5000"
    )


def test_counts_give_the_value_as_their_ratio(tree, share):
    value = draft(share, tree.commune_a, "202403", numerator="30", denominator="41")
    assert value.value == Decimal("73.2")
    assert (value.numerator, value.denominator) == (Decimal(30), Decimal(41))


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"value": "97.45"}, "value"),  # one decimal only
        ({"value": "101"}, "value"),  # a percentage within 0–100
        ({"value": "-1"}, "value"),
        ({"value": "lots"}, "value"),
        ({"value": None}, "value"),
        ({"period": "2023Q5"}, "period"),
        ({"period": "2999"}, "period"),
        ({"numerator": "3"}, "denominator"),
        ({"denominator": "3"}, "numerator"),
        ({"numerator": "3", "denominator": "0"}, "denominator"),
        ({"numerator": "5", "denominator": "4"}, "numerator"),
        ({"value": "50", "numerator": "1", "denominator": "4"}, "value"),
        ({"source": "x" * 201}, "source"),
    ],
)
def test_a_wrong_figure_is_refused_naming_the_field_and_nothing_is_written(
    tree, share, arguments, field
):
    data = {"period": "2023", "value": "97.4", **arguments}
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.data_value_save(actor=None, indicator=share, unit=tree.commune_a, **data)
    assert field in refused.value.message_dict
    assert counts() == before


def test_bounds_of_the_indicator_apply_and_a_percentage_may_allow_more(tree):
    growth = percent_indicator("ECO-GROWTH", min_value=Decimal(-100), max_value=Decimal(1000))
    assert draft(growth, tree.commune_a, "2023", "-2.5").value == Decimal("-2.5")
    assert draft(growth, tree.commune_a, "2022", "150").value == Decimal(150)
    income = indicator("ECO-INCOME", min_value=Decimal(0))
    with pytest.raises(ValidationError):
        draft(income, tree.commune_a, "2023", "-1")


def test_range_messages_print_the_bounds_as_people_write_them_never_in_exponent_notation(
    tree, share
):
    with pytest.raises(ValidationError) as refused:
        draft(share, tree.commune_a, "2023", "101")
    assert refused.value.message_dict["value"] == ["SOC-HI is at most 100 %."]
    with pytest.raises(ValidationError) as refused:
        draft(share, tree.commune_a, "2023", "-1")
    assert refused.value.message_dict["value"] == ["SOC-HI is at least 0 %."]
    area = indicator(
        "ENV-AREA", measure_unit="ha", min_value=Decimal("1000.50"), max_value=Decimal("2000000")
    )
    with translation.override("vi"):
        with pytest.raises(ValidationError) as low:
            draft(area, tree.commune_a, "2023", "999")
        with pytest.raises(ValidationError) as high:
            draft(area, tree.commune_a, "2023", "2000001")
    assert "1.000,5 ha" in low.value.message_dict["value"][0]
    assert "2.000.000 ha" in high.value.message_dict["value"][0]
    assert "E+" not in high.value.message_dict["value"][0]


def test_a_value_that_does_not_match_its_counts_names_them_in_the_readers_format(tree, share):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        draft(share, tree.commune_a, "2023", "50", numerator="3000", denominator="4100")
    message = refused.value.message_dict["value"][0]
    assert "3.000" in message and "4.100" in message and "73,2" in message and "E+" not in message


def test_a_source_and_comment_not_given_stay_and_given_empty_are_cleared(tree, editor_a, share):
    value = draft(
        share,
        tree.commune_a,
        "2023",
        "95",
        actor=editor_a,
        source="Báo cáo BHXH",
        comment="Cuối năm",
    )
    draft(share, tree.commune_a, "2023", "95.5", actor=editor_a)
    value.refresh_from_db()
    assert (value.value, value.source, value.comment) == (
        Decimal("95.5"),
        "Báo cáo BHXH",
        "Cuối năm",
    )
    draft(share, tree.commune_a, "2023", "95.5", actor=editor_a, source="", comment="")
    value.refresh_from_db()
    assert (value.source, value.comment) == ("", "")
    entry = AuditEntry.objects.for_object(value).filter(action="update").latest("pk")
    assert entry.actor == editor_a and entry.after["source"] == ""
    assert draft(share, tree.commune_b, "2023", "90").source == ""


def test_computed_and_formula_indicators_are_not_entered(tree):
    admitted = indicator("PAR-ADMITTED", decimals=0, computed=ComputedSource.MEMBERS_ADMITTED)
    doubled = indicator("ECO-X", formula="{PAR-ADMITTED} * 2")
    for ind in (admitted, doubled):
        with pytest.raises(ValidationError) as refused:
            draft(ind, tree.commune_a, "2023", "3")
        assert "indicator" in refused.value.message_dict


def test_a_unit_takes_figures_only_for_periods_it_existed_in(tree):
    cell = unit_create(
        actor=None,
        code="XA-3",
        name="Chi bộ thôn Mới",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=tree.commune_a,
        valid_from=dt.date(2022, 6, 1),
    )
    ind = indicator("ECO-A", aggregation=Aggregation.SUM)
    with pytest.raises(ValidationError) as refused:
        draft(ind, cell, "2021", "5")
    assert "unit" in refused.value.message_dict
    assert draft(ind, cell, "2022", "5").value == Decimal(5)


def test_submitted_and_approved_values_are_locked(tree, editor_a, manager_a, share):
    value = draft(share, tree.commune_a, "2023", "95", actor=editor_a)
    services.data_value_submit(actor=editor_a, value=value)
    with pytest.raises(ValidationError) as refused:
        draft(share, tree.commune_a, "2023", "96", actor=editor_a)
    assert "value" in refused.value.message_dict
    services.data_value_approve(actor=manager_a, value=value)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        draft(share, tree.commune_a, "2023", "96", actor=manager_a)
    assert "locked" in refused.value.message_dict["value"][0]
    assert counts() == before
    value.refresh_from_db()
    assert value.value == Decimal(95)


def test_a_manager_approves_and_the_level_that_approved_is_recorded(
    tree, editor_a, manager_a, share
):
    value = draft(share, tree.cell_a1, "2023", "95", actor=editor_a)
    services.data_value_submit(actor=editor_a, value=value)
    services.data_value_approve(actor=manager_a, value=value)
    value.refresh_from_db()
    assert (value.state, value.approved_by, value.approved_level) == (
        ValueState.APPROVED,
        manager_a,
        tree.commune_a,
    )
    assert value.approved_at is not None
    assert states(value) == [("", "draft"), ("draft", "submitted"), ("submitted", "approved")]
    assert value.transitions.last().actor == manager_a
    assert AuditEntry.objects.for_object(value).filter(action="update", actor=manager_a).exists()


def test_the_system_administrator_approves_at_the_level_above(tree, admin_user, share):
    value = approved(share, tree.cell_a1, "2023", "95", actor=admin_user)
    assert value.approved_level == tree.commune_a


@pytest.mark.parametrize("persona", ["editor_a", "viewer_a", "outsider"])
def test_who_does_not_manage_the_unit_cannot_approve_nor_return(request, tree, share, persona):
    user = request.getfixturevalue(persona)
    value = draft(share, tree.commune_a, "2023", "95")
    services.data_value_submit(actor=None, value=value)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.data_value_approve(actor=user, value=value)
    with pytest.raises(PermissionDenied):
        services.data_value_return(actor=user, value=value, reason="Sai số liệu")
    assert counts() == before
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED


def test_a_figure_is_not_approved_by_the_person_who_entered_it(
    tree, manager_a, province_manager, share
):
    value = draft(share, tree.commune_a, "2023", "95", actor=manager_a)
    services.data_value_submit(actor=manager_a, value=value)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.data_value_approve(actor=manager_a, value=value)
    assert "You entered this figure" in refused.value.message_dict["approved_by"][0]
    assert counts() == before
    value.refresh_from_db()
    assert (value.state, value.approved_by) == (ValueState.SUBMITTED, None)
    # Returning it stays open to them; another manager approves it.
    services.data_value_approve(actor=province_manager, value=value)
    value.refresh_from_db()
    assert (value.state, value.approved_by, value.entered_by) == (
        ValueState.APPROVED,
        province_manager,
        manager_a,
    )


def test_the_last_person_who_changed_a_figure_is_the_one_who_does_not_approve_it(
    tree, manager_a, editor_a, share
):
    value = draft(share, tree.commune_a, "2023", "95", actor=manager_a)
    draft(share, tree.commune_a, "2023", "96", actor=editor_a)
    services.data_value_submit(actor=editor_a, value=value)
    services.data_value_approve(actor=manager_a, value=value)
    value.refresh_from_db()
    assert (value.state, value.value) == (ValueState.APPROVED, Decimal(96))


def test_with_approval_by_another_person_off_the_person_who_entered_a_figure_approves_it(
    tree, manager_a, share
):
    RuleSetting.objects.create(key="approval_by_other_person", value=False)
    value = draft(share, tree.commune_a, "2023", "95", actor=manager_a)
    services.data_value_submit(actor=manager_a, value=value)
    services.data_value_approve(actor=manager_a, value=value)
    value.refresh_from_db()
    assert (value.state, value.approved_by, value.entered_by) == (
        ValueState.APPROVED,
        manager_a,
        manager_a,
    )


def test_only_a_submitted_value_is_approved_or_returned(tree, manager_a, share):
    value = draft(share, tree.commune_a, "2023", "95")
    with pytest.raises(ValidationError) as refused:
        services.data_value_approve(actor=manager_a, value=value)
    assert "state" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.data_value_return(actor=manager_a, value=value, reason="x")
    assert "state" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.data_value_reopen(actor=manager_a, value=value, reason="x")
    assert "state" in refused.value.message_dict


def test_a_returned_value_carries_its_reason_is_corrected_and_submitted_again(
    tree, editor_a, manager_a, share
):
    value = draft(share, tree.commune_a, "2023", "95", actor=editor_a)
    services.data_value_submit(actor=editor_a, value=value)
    with pytest.raises(ValidationError) as refused:
        services.data_value_return(actor=manager_a, value=value, reason=" ")
    assert "reason" in refused.value.message_dict
    services.data_value_return(actor=manager_a, value=value, reason="Thiếu nguồn số liệu")
    value.refresh_from_db()
    assert (value.state, value.returned_reason) == (ValueState.RETURNED, "Thiếu nguồn số liệu")
    draft(share, tree.commune_a, "2023", "95.2", actor=editor_a, source="Báo cáo BHXH huyện")
    services.data_value_submit(actor=editor_a, value=value)
    services.data_value_approve(actor=manager_a, value=value)
    value.refresh_from_db()
    assert (value.state, value.value, value.returned_reason) == (
        ValueState.APPROVED,
        Decimal("95.2"),
        "",
    )
    assert value.transitions.get(to_state="returned").reason == "Thiếu nguồn số liệu"


def test_an_approved_value_is_reopened_by_the_level_that_approved_it_and_recorded(
    tree, manager_a, province_manager, share
):
    value = approved(share, tree.commune_a, "2023", "95", actor=province_manager)
    assert value.approved_level == tree.province
    before = counts()
    with pytest.raises(PermissionDenied):
        services.data_value_reopen(actor=manager_a, value=value, reason="Sửa số liệu")
    assert counts() == before
    with pytest.raises(ValidationError) as refused:
        services.data_value_reopen(actor=province_manager, value=value, reason="")
    assert "reason" in refused.value.message_dict
    services.data_value_reopen(
        actor=province_manager, value=value, reason="Số liệu điều chỉnh theo thống kê"
    )
    value.refresh_from_db()
    assert (value.state, value.approved_level, value.approved_by) == (ValueState.DRAFT, None, None)
    reopened = value.transitions.get(from_state="approved")
    assert (reopened.to_state, reopened.actor, reopened.reason, reopened.figure) == (
        "draft",
        province_manager,
        "Số liệu điều chỉnh theo thống kê",
        Decimal(95),
    )
    assert draft(share, tree.commune_a, "2023", "96", actor=manager_a).value == Decimal(96)


def test_a_commune_approval_is_reopened_by_the_commune_or_above(
    tree, manager_a, province_manager, outsider, share
):
    value = approved(share, tree.commune_a, "2023", "95", actor=manager_a)
    assert value.approved_level == tree.commune_a
    with pytest.raises(PermissionDenied):
        services.data_value_reopen(actor=outsider, value=value, reason="x")
    services.data_value_reopen(actor=province_manager, value=value, reason="Kiểm tra lại")
    value.refresh_from_db()
    assert value.state == ValueState.DRAFT


def test_the_history_of_a_value_cannot_be_changed(tree, share):
    value = draft(share, tree.commune_a, "2023", "95")
    transition = value.transitions.get()
    with pytest.raises(ValidationError):
        transition.save()
    with pytest.raises(ValidationError):
        transition.delete()
    with pytest.raises(ValidationError):
        value.transitions.all().delete()
    with pytest.raises(ValidationError):
        value.transitions.update(reason="x")
