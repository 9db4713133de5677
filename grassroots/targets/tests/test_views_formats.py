"""How the pages read numbers people type and draw their charts."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from grassroots.targets.charts import bar_chart, progress_chart
from grassroots.targets.numbers import parse_number, plain_number, show_number


@pytest.mark.parametrize(
    ("text", "vietnamese", "english"),
    [
        # Read two ways: the language decides.
        ("1.320", "1320", "1.32"),
        ("1,320", "1.32", "1320"),
        ("12.345", "12345", "12.345"),
        # Read one way in both languages.
        ("1.320,5", "1320.5", "1320.5"),
        ("1,320.5", "1320.5", "1320.5"),
        ("62,65", "62.65", "62.65"),
        ("10.5", "10.5", "10.5"),
        ("1.32", "1.32", "1.32"),
        ("0,125", "0.125", "0.125"),
        ("0.125", "0.125", "0.125"),
        ("1234.567", "1234.567", "1234.567"),
        ("1.320.000", "1320000", "1320000"),
        ("1,320,000.25", "1320000.25", "1320000.25"),
        ("1320.5", "1320.5", "1320.5"),
        ("1 320,5", "1320.5", "1320.5"),
        ("97,4%", "97.4", "97.4"),
        ("-3,5", "-3.5", "-3.5"),
        ("−3,5", "-3.5", "-3.5"),
        (".5", "0.5", "0.5"),
    ],
)
def test_numbers_people_type_are_read_in_the_active_language(text, vietnamese, english):
    with translation.override("vi"):
        assert parse_number(text, typed=True) == Decimal(vietnamese)
    with translation.override("en"):
        assert parse_number(text, typed=True) == Decimal(english)


def test_empty_text_is_no_number_and_number_cells_are_taken_as_they_are():
    assert parse_number("  ", typed=True) is None and parse_number(None, typed=True) is None
    assert (
        parse_number(62.65, typed=True) == Decimal("62.65")
        and parse_number(1320, typed=True) == 1320
    )


@pytest.mark.parametrize(
    "text", ["abc", "1.32.0", "12,34,5", "1,320.5.2", "1.32,5", "6,8x", "--1", "1.", "NaN"]
)
def test_what_is_not_a_number_is_refused_with_the_way_to_write_it(text):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        parse_number(text, typed=True)
    assert "1.320,5" in error.value.messages[0] and "1320,5" in error.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        parse_number(text, typed=True)
    assert "1,320.5" in error.value.messages[0] and "1320.5" in error.value.messages[0]


def test_figures_are_shown_in_the_readers_language_rounded_to_the_indicators_decimals():
    with translation.override("vi"):
        assert show_number(Decimal("1320.55"), 1) == "1.320,6"
        assert show_number(Decimal("73.17"), 1) == "73,2"
        assert show_number(Decimal("1320.5000")) == "1.320,5"
        assert plain_number(Decimal("1320.5000")) == "1320,5"
        assert plain_number(Decimal("1000.00")) == "1000"
    with translation.override("en"):
        assert show_number(Decimal("1320.55"), 1) == "1,320.6"
        assert show_number(None) == "—"


def test_a_progress_chart_is_accessible_svg_with_escaped_text():
    svg = progress_chart(
        title="Tăng trưởng <kinh tế>",
        description="Mục tiêu 7%",
        baseline=(2020, Decimal(5)),
        target=(2025, Decimal(7)),
        milestones=[(2022, Decimal(6))],
        actuals=[(2021, Decimal("5.4")), (2023, Decimal("7.7"))],
    )
    assert svg.startswith('<div class="chart-box">')
    assert '<svg class="chart" role="img" aria-labelledby="' in svg
    assert "<title" in svg and "&lt;kinh tế&gt;" in svg and "<kinh tế>" not in svg
    assert svg.count('class="actual-dot"') == 2 and svg.count('class="planned-dot"') == 3
    assert 'class="actual"' in svg and 'class="planned"' in svg and 'class="target"' in svg


def test_a_chart_without_any_figure_still_has_its_title():
    svg = progress_chart(title="Không có", description="—", baseline=None, target=None)
    assert "<title" in svg and "<circle" not in svg


def test_a_bar_chart_gives_each_unit_its_bar_and_none_to_a_missing_figure():
    svg = bar_chart(
        title="So sánh",
        description="Các xã",
        rows=[
            ("Xã A", Decimal("8.1"), "8,1"),
            ("Xã B", Decimal("6.8"), "6,8"),
            ("Xã C", None, "không có"),
        ],
    )
    assert svg.count('class="hbar"') == 2 and "Xã C" in svg and "không có" in svg
    assert "<svg" not in svg and 'role="img"' in svg


def test_chart_labels_are_page_text_that_does_not_shrink_with_the_chart():
    """An SVG with a viewBox scales its text with its width (12 px labels read 9 px on a
    phone): the axis labels and the legend are HTML in CSS px, at least 12 px at any width."""
    chart = progress_chart(
        title="Tăng trưởng",
        description="—",
        baseline=(2020, Decimal(5)),
        target=(2025, Decimal(7)),
        actuals=[(2021, Decimal("5.4"))],
        legend={"planned": "Kế hoạch", "actual": "Thực hiện"},
    )
    svg = chart[chart.index("<svg") : chart.index("</svg>")]
    assert "<text" not in svg
    labels = chart[chart.index("</svg>") :]
    assert 'class="chart-label tick-x"' in labels and ">2025<" in labels
    assert 'class="chart-label tick-y"' in labels and "Kế hoạch" in labels
    css = (settings.BASE_DIR / "grassroots" / "static" / "css" / "grassroots.css").read_text()
    rules = dict(
        re.findall(
            r"^(\.chart-label|\.chart-legend|\.hbar-label|\.hbar-value) \{([^}]*)\}", css, re.M
        )
    )
    assert set(rules) == {".chart-label", ".chart-legend", ".hbar-label", ".hbar-value"}
    assert all("font-size: max(12px," in body for body in rules.values())
