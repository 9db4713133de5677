"""Many figures in one import (API bulk write, XLSX upload): checked row by row, a dry run
first, all or nothing, and an import summary of what was created, updated and ignored."""

from decimal import Decimal

import pytest

from grassroots.core.models import AuditEntry
from grassroots.targets import services
from grassroots.targets.choices import ValueState
from grassroots.targets.models import DataValue

from .core_helpers import approved, counts, draft, indicator, percent_indicator


@pytest.fixture
def catalogue(db):
    return {
        "share": percent_indicator("SOC-HI"),
        "income": indicator("ECO-INCOME", decimals=1),
    }


def rows(*items):
    return [{"_row": i, **item} for i, item in enumerate(items, start=2)]


def test_an_import_creates_updates_and_ignores_and_says_so(tree, editor_a, catalogue):
    draft(catalogue["share"], tree.commune_a, "2022", "94", actor=editor_a)
    draft(catalogue["income"], tree.commune_a, "2022", "30", actor=editor_a)
    summary = services.data_values_import(
        actor=editor_a,
        rows=rows(
            {
                "indicator": "SOC-HI",
                "unit": "XA",
                "period": "2023",
                "value": "95.2",
                "source": "BHXH",
            },
            {"indicator": "soc-hi", "unit": "XA", "period": "2022", "value": "94.5"},
            {"indicator": "ECO-INCOME", "unit": "XA", "period": "2022", "value": "30"},
            {"indicator": "ECO-INCOME", "unit": "XA-1", "period": "2023", "value": 32.5},
        ),
    )
    assert (summary.created, summary.updated, summary.ignored, summary.errors, summary.saved) == (
        2,
        1,
        1,
        [],
        True,
    )
    assert DataValue.objects.get(
        unit=tree.commune_a, indicator=catalogue["share"], period="2023"
    ).value == Decimal("95.2")
    assert DataValue.objects.get(
        unit=tree.commune_a, indicator=catalogue["share"], period="2022"
    ).value == Decimal("94.5")
    created = DataValue.objects.get(unit=tree.cell_a1)
    assert created.entered_by == editor_a
    assert AuditEntry.objects.for_object(created).get().actor == editor_a


def test_a_dry_run_counts_and_writes_nothing(tree, editor_a, catalogue):
    before = counts()
    summary = services.data_values_import(
        actor=editor_a,
        dry_run=True,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": "95.2"},
        ),
    )
    assert (summary.created, summary.dry_run, summary.saved, summary.errors) == (1, True, False, [])
    assert counts() == before


def test_one_wrong_row_saves_nothing_and_every_error_names_its_row_and_field(
    tree, editor_a, catalogue
):
    before = counts()
    summary = services.data_values_import(
        actor=editor_a,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": "95.2"},
            {"indicator": "SOC-HI", "unit": "XA", "period": "2023Q9", "value": "101"},
            {"indicator": "NOPE", "unit": "XA", "period": "2023", "value": "1"},
            {"indicator": "ECO-INCOME", "unit": "", "period": "2023", "value": "1"},
            {"indicator": "ECO-INCOME", "unit": "XA", "period": "2023", "value": "1.25"},
        ),
    )
    assert not summary.saved
    assert {(e.row, e.field) for e in summary.errors} == {
        (3, "period"),
        (3, "value"),
        (4, "indicator"),
        (5, "unit"),
        (6, "value"),
    }
    assert all(e.message for e in summary.errors)
    assert counts() == before


def test_a_unit_outside_the_callers_subtree_reads_as_unknown(tree, editor_a, catalogue):
    summary = services.data_values_import(
        actor=editor_a,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XB", "period": "2023", "value": "95"},
        ),
    )
    assert [(e.row, e.field) for e in summary.errors] == [(2, "unit")]
    assert "XB" in summary.errors[0].message
    assert not DataValue.objects.exists()


def test_a_viewer_cannot_import(tree, viewer_a, catalogue):
    summary = services.data_values_import(
        actor=viewer_a,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": "95"},
        ),
    )
    assert [e.field for e in summary.errors] == ["unit"]
    assert not DataValue.objects.exists()


def test_the_same_figure_twice_in_a_file_is_refused(tree, editor_a, catalogue):
    summary = services.data_values_import(
        actor=editor_a,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": "95"},
            {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": "96"},
        ),
    )
    assert [(e.row, e.field) for e in summary.errors] == [(3, "period")]
    assert "row 2" in summary.errors[0].message
    assert not DataValue.objects.exists()


def test_an_import_row_without_a_source_keeps_it_and_an_empty_source_clears_it(
    tree, editor_a, catalogue
):
    value = draft(
        catalogue["share"],
        tree.commune_a,
        "2022",
        "94",
        actor=editor_a,
        source="BHXH",
        comment="Ghi chú",
    )
    kept = services.data_values_import(
        actor=editor_a,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "2022", "value": "94"},
        ),
    )
    assert (kept.ignored, kept.updated) == (1, 0)
    value.refresh_from_db()
    assert (value.source, value.comment) == ("BHXH", "Ghi chú")
    cleared = services.data_values_import(
        actor=editor_a,
        rows=rows(
            {
                "indicator": "SOC-HI",
                "unit": "XA",
                "period": "2022",
                "value": "94",
                "source": "",
                "comment": None,
            },
        ),
    )
    assert (cleared.ignored, cleared.updated, cleared.errors) == (0, 1, [])
    value.refresh_from_db()
    assert (value.source, value.comment) == ("", "Ghi chú")


def test_a_locked_figure_refuses_the_whole_import_unless_unchanged(
    tree, editor_a, manager_a, catalogue
):
    approved(catalogue["share"], tree.commune_a, "2022", "94", actor=manager_a)
    unchanged = services.data_values_import(
        actor=editor_a,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "2022", "value": "94.0"},
        ),
    )
    assert (unchanged.ignored, unchanged.errors) == (1, [])
    before = counts()
    changed = services.data_values_import(
        actor=editor_a,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": "95"},
            {"indicator": "SOC-HI", "unit": "XA", "period": "2022", "value": "94.5"},
        ),
    )
    assert [(e.row, e.field) for e in changed.errors] == [(3, "value")]
    assert "locked" in changed.errors[0].message
    assert counts() == before


def test_an_import_may_send_its_figures_up_for_approval(tree, editor_a, catalogue):
    summary = services.data_values_import(
        actor=editor_a,
        submit=True,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": "95"},
            {
                "indicator": "SOC-HI",
                "unit": "XA",
                "period": "202403",
                "numerator": "30",
                "denominator": "41",
            },
        ),
    )
    assert summary.created == 2
    values = DataValue.objects.order_by("period")
    assert [v.state for v in values] == [ValueState.SUBMITTED, ValueState.SUBMITTED]
    assert values.get(period="202403").value == Decimal("73.2")
    assert [t.to_state for t in values.first().transitions.order_by("id")] == ["draft", "submitted"]


def test_the_summary_reads_as_a_dict_for_the_api(tree, editor_a, catalogue):
    summary = services.data_values_import(
        actor=editor_a,
        dry_run=True,
        rows=rows(
            {"indicator": "SOC-HI", "unit": "XA", "period": "x", "value": "95"},
        ),
    )
    data = summary.as_dict()
    assert data["dry_run"] is True and data["saved"] is False and data["created"] == 0
    assert data["errors"] == [{"row": 2, "field": "period", "message": summary.errors[0].message}]
