"""The monthly results other apps read: one per month, with status, total, band and lateness."""

import datetime as dt
from decimal import Decimal as D

from django.utils import timezone

from grassroots.assessments import services
from grassroots.assessments.selectors import (
    YearFigure,
    framework_for,
    monthly_results,
    year_figures,
    year_summary,
)

from .helpers import fill, make_framework, register


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))


def test_monthly_results_give_twelve_months_with_status_total_band_and_lateness(tree):
    framework = make_framework(tree)
    registration = register(tree, framework)
    january = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=january, now=_at(dt.date(2024, 2, 10)))
    services.assessment_accept(actor=None, assessment=january)
    february = fill(registration, 2, **{"1_1": 0})
    services.assessment_submit(actor=None, assessment=february, now=_at(dt.date(2024, 3, 11)))
    fill(registration, 3, **{"2_1": 0, "2_2": 0})

    results = monthly_results(unit=tree.cell_a1, year=2024, today=dt.date(2024, 4, 20))

    assert [r.month for r in results] == list(range(1, 13))
    jan, feb, mar, apr, may = results[:5]
    assert (jan.status, jan.total, jan.band, jan.band_label, jan.late) == (
        "accepted",
        D(95),
        "excellent",
        "Excellent",
        False,
    )
    # Group 1 (then group 2) below its minimum: 75 and 70 points, but not "good".
    assert (feb.status, feb.total, feb.band, feb.late) == ("submitted", D(75), "fair", True)
    assert (mar.status, mar.total, mar.band, mar.late) == ("draft", D(70), "fair", True)
    assert (apr.status, apr.total, apr.band, apr.late) == ("missing", None, None, False)
    assert may.status == "missing" and not may.late


def test_an_unregistered_unit_has_twelve_missing_months_and_no_framework(tree):
    results = monthly_results(unit=tree.cell_a2, year=2024, today=dt.date(2025, 1, 20))
    assert {r.status for r in results} == {"missing"}
    assert all(r.late for r in results)
    assert framework_for(unit=tree.cell_a2, year=2024) is None


def test_framework_for_gives_the_version_the_unit_registered_under(tree):
    framework = make_framework(tree)
    register(tree, framework)
    services.framework_new_version(actor=None, framework=framework)
    assert framework_for(unit=tree.cell_a1, year=2024) == framework


def test_the_year_counts_only_accepted_months_and_missing_ones_as_zero(tree):
    framework = make_framework(tree)
    registration = register(tree, framework)
    for month in range(1, 12):
        assessment = fill(registration, month)
        services.assessment_submit(actor=None, assessment=assessment, now=_at(dt.date(2024, 12, 1)))
        services.assessment_accept(actor=None, assessment=assessment)
    summary = year_summary(unit=tree.cell_a1, year=2024, today=dt.date(2025, 2, 1))
    # Eleven months of 95 (the 5 points group 1 leaves for the unit's own criteria unused) and
    # December missing, counted as zero: 95 × 11 / 12.
    assert summary.accepted == 11 and summary.missing == 1
    assert summary.value == D("87.08")
    assert summary.band == "good"


def test_the_year_figures_of_many_units_at_once_are_those_of_each_summary(tree):
    framework = make_framework(tree)
    registration = register(tree, framework)
    for month in range(1, 10):
        assessment = fill(registration, month)
        services.assessment_submit(actor=None, assessment=assessment, now=_at(dt.date(2024, 12, 1)))
        if month != 4:
            services.assessment_accept(actor=None, assessment=assessment)
    summary = year_summary(unit=tree.cell_a1, year=2024, today=dt.date(2025, 2, 1))
    figures = year_figures(units=[tree.cell_a1.pk, tree.cell_a2.pk], year=2024)
    # A2 did not register: it has no figure; A1's eight accepted months give what its summary does.
    assert figures == {
        tree.cell_a1.pk: YearFigure(summary.value, summary.band_label, summary.accepted)
    }
    assert summary.accepted == 8
