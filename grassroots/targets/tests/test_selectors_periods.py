"""Period codes in DHIS2 style: years, quarters and months as half-open intervals of days."""

import datetime as dt

import pytest

from grassroots.targets.choices import PeriodKind
from grassroots.targets.periods import parse_period, period_for, period_label, periods_between


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2023", PeriodKind.YEAR, dt.date(2023, 1, 1), dt.date(2024, 1, 1)),
        ("2023Q2", PeriodKind.QUARTER, dt.date(2023, 4, 1), dt.date(2023, 7, 1)),
        ("2023Q4", PeriodKind.QUARTER, dt.date(2023, 10, 1), dt.date(2024, 1, 1)),
        ("202304", PeriodKind.MONTH, dt.date(2023, 4, 1), dt.date(2023, 5, 1)),
        ("202312", PeriodKind.MONTH, dt.date(2023, 12, 1), dt.date(2024, 1, 1)),
        (" 2023q1 ", PeriodKind.QUARTER, dt.date(2023, 1, 1), dt.date(2023, 4, 1)),
    ],
)
def test_a_code_reads_as_its_kind_and_its_days(code, kind, start, end):
    period = parse_period(code)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.last_day == end - dt.timedelta(days=1)
    assert period.contains(start) and not period.contains(end)


@pytest.mark.parametrize(
    "code", ["", "23", "2023Q5", "202313", "202300", "2023-04", "abcd", "0999"]
)
def test_anything_else_is_refused_with_a_readable_message(code):
    with pytest.raises(ValueError, match="period"):
        parse_period(code)


def test_the_period_of_a_day_and_the_periods_of_years():
    day = dt.date(2024, 4, 30)
    assert period_for(PeriodKind.YEAR, day).code == "2024"
    assert period_for(PeriodKind.QUARTER, day).code == "2024Q2"
    assert period_for(PeriodKind.MONTH, day).code == "202404"
    assert [p.code for p in periods_between(PeriodKind.YEAR, 2020, 2022)] == [
        "2020",
        "2021",
        "2022",
    ]
    assert len(periods_between(PeriodKind.QUARTER, 2021, 2022)) == 8
    assert periods_between(PeriodKind.MONTH, 2021, 2021)[-1].code == "202112"


def test_labels_read_as_people_write_periods():
    assert parse_period("2023Q2").label() == "Q2/2023"
    assert parse_period("202304").label() == "04/2023"
    assert parse_period("2023").label() == "2023"


def test_a_period_code_reads_as_its_label_and_anything_else_as_it_is():
    assert (period_label("202403"), period_label("2024Q1"), period_label("2024")) == (
        "03/2024",
        "Q1/2024",
        "2024",
    )
    assert (period_label(None), period_label(""), period_label("2024-03")) == ("", "", "2024-03")
