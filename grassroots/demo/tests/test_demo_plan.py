"""The demo's plan is decided before anything is written: seeded, relative to the day given."""

import datetime as dt

import pytest

from grassroots.core.dates import age_on
from grassroots.demo import data
from grassroots.demo.builder import EARLIEST_TODAY, DemoBuilder

# The plan counts working days, which read the holiday table.
pytestmark = pytest.mark.django_db


def signature(plans):
    return [
        (p.full_name, p.birth_date, p.cell, p.final, p.decision, p.recognized, p.fate)
        for p in plans
    ]


def test_the_same_day_gives_the_same_members():
    day = dt.date(2026, 6, 30)
    assert signature(DemoBuilder(today=day).plan()) == signature(DemoBuilder(today=day).plan())


@pytest.mark.parametrize("day", [EARLIEST_TODAY, dt.date(2026, 6, 30), dt.date(2030, 1, 15)])
def test_every_plan_keeps_the_articles_figures(day):
    builder = DemoBuilder(today=day)
    plans = builder.plan()
    active = [p for p in plans if p.fate == "active"]
    in_muong_hum = [p for p in active if builder.within(p.final, data.MUONG_HUM_CODE)]
    assert len(in_muong_hum) == 133
    recent = [
        p
        for p in plans
        if builder.within(p.cell, data.MUONG_HUM_CODE) and p.decision >= data.MUONG_HUM_RECENT_FROM
    ]
    assert len(recent) == 14
    assert any(p.recognized is None for p in recent)
    lo, hi = data.BLOC_WINDOW
    assert (
        sum(1 for p in plans if builder.within(p.cell, data.BLOC_CODE) and lo <= p.decision <= hi)
        == 338
    )
    khanh_hoi = [p for p in active if builder.within(p.final, data.KHANH_HOI_CODE)]
    assert sum(1 for p in khanh_hoi if p.religion != "none") == 57
    assert all(p.decision <= day - dt.timedelta(days=30) for p in plans)
    assert all(18 <= age_on(p.birth_date, p.decision) <= 60 for p in plans)


def test_a_day_before_the_reorganization_has_settled_is_refused():
    with pytest.raises(ValueError):
        DemoBuilder(today=EARLIEST_TODAY - dt.timedelta(days=1))
