"""`manage.py check_rollups` reports counters equal to the raw count, and names the unit, the
day and the figure when they are not."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from grassroots.members import services as ms
from grassroots.members.models import Membership
from grassroots.rollups.models import PastCount


def admit_two(tree):
    for i, day in enumerate((dt.date(2018, 3, 5), dt.date(2021, 7, 20))):
        ms.member_admit(
            actor=None,
            unit=tree.cell_a1,
            full_name=f"Lường Văn {i}",
            gender="male",
            birth_date=dt.date(1990, 1, 1 + i),
            ethnicity="thai",
            decision_date=day,
            ceremony_date=day,
        )


@pytest.mark.django_db
def test_the_check_reports_counters_equal_to_the_raw_count(tree):
    admit_two(tree)
    out = StringIO()
    call_command(
        "check_rollups", unit=["T01"], day=["2019-12-31", "2021-08-14"], seed=1, stdout=out
    )
    text = out.getvalue()
    assert "T01 on 2019-12-31: equal (1)" in text
    assert "T01 on 2021-08-14: equal (2)" in text
    assert "3 figures equal to the raw count" in text  # today's too


@pytest.mark.django_db
def test_the_check_names_the_unit_day_and_figure_of_a_difference(tree):
    admit_two(tree)
    PastCount.objects.filter(unit=tree.province, dimension="gender", period=2018).update(n=5)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_rollups", unit=["T01"], day=["2019-12-31"], stdout=out)
    assert exit_.value.code == 1
    text = out.getvalue()
    assert "T01 Tỉnh Thử Nghiệm on 2019-12-31:" in text
    assert "by_gender: counters {'male': 5, 'female': 0} ≠ raw {'male': 1, 'female': 0}" in text
    assert "1 of 2 figures differ from the raw count" in text


@pytest.mark.django_db
def test_the_check_reports_intervals_whose_date_of_birth_is_not_their_members(tree):
    admit_two(tree)
    Membership.objects.filter(member__full_name="Lường Văn 1").update(
        birth_date=dt.date(1991, 1, 1)
    )
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("check_rollups", unit=["T01"], day=["2019-12-31"], stdout=out)
    assert (
        "1 membership intervals hold another date of birth than their member's." in out.getvalue()
    )


@pytest.mark.django_db
def test_the_check_reports_places_whose_kind_is_not_their_units(tree):
    from grassroots.organizations.models import UnitPlacement

    admit_two(tree)
    UnitPlacement.objects.filter(unit=tree.cell_a1).update(unit_kind="grassroots")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("check_rollups", unit=["T01"], day=["2019-12-31"], stdout=out)
    assert "1 unit placements hold another kind than their unit's." in out.getvalue()


@pytest.mark.django_db
def test_the_check_reads_the_day_rows_of_a_province_and_samples_a_day_of_the_recent_years(tree):
    from grassroots.rollups.past import day_period, days_since

    admit_two(tree)
    out = StringIO()
    call_command("check_rollups", unit=["T01"], days=0, seed=3, stdout=out)
    checked = [line.split(" on ")[1][:10] for line in out.getvalue().splitlines() if " on " in line]
    assert any(dt.date.fromisoformat(day) >= days_since() for day in checked[1:])  # after today

    admitted = dt.date(2021, 7, 20)
    assert admitted >= days_since()  # kept per day by the province
    PastCount.objects.filter(
        unit=tree.province, dimension="gender", value="male", period=day_period(admitted)
    ).update(n=5)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("check_rollups", unit=["T01"], day=["2021-07-25"], stdout=out)
    assert "T01 Tỉnh Thử Nghiệm on 2021-07-25:" in out.getvalue()
