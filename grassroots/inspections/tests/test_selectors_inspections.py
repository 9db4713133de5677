"""The execution figures computed from the records, at their edges, and the organizations
disciplined in a period (read by the classifications)."""

import datetime as dt
from decimal import Decimal

from grassroots.inspections import services
from grassroots.inspections.selectors import disciplined_units, inspection_execution, rate

from .helpers import DAY, admit_on, concluded, inspection, item, plan

YEAR = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_disciplined_units_are_those_with_a_decision_in_the_period_both_days_included(tree):
    found = concluded(tree.commune_a, units=[tree.cell_a1, tree.cell_a2], proposed="warning")
    first, second = found.subject_units.all()
    for subject, day in ((first, dt.date(2023, 5, 2)), (second, dt.date(2023, 6, 30))):
        services.organization_discipline_decide(
            actor=None,
            subject=subject,
            level="warning",
            decided_on=day,
            decision_number="1",
            issuer="Huyện ủy",
        )
    ids = [tree.cell_a1.pk, tree.cell_a2.pk, tree.cell_b1.pk]
    assert disciplined_units(unit_ids=ids, start=dt.date(2023, 5, 2), end=dt.date(2023, 6, 30)) == {
        tree.cell_a1.pk,
        tree.cell_a2.pk,
    }
    assert disciplined_units(
        unit_ids=ids, start=dt.date(2023, 5, 3), end=dt.date(2023, 12, 31)
    ) == {tree.cell_a2.pk}
    assert disciplined_units(unit_ids=[tree.cell_b1.pk], start=YEAR[0], end=YEAR[1]) == set()
    assert disciplined_units(unit_ids=ids, start=dt.date(2024, 1, 1), end=YEAR[1]) == set()


def test_the_rate_is_none_when_nothing_was_planned_and_may_exceed_a_hundred():
    assert rate(0, 0) is None
    assert rate(3, 0) is None
    assert rate(0, 5) == Decimal("0.0")
    assert rate(891, 934) == Decimal("95.4")
    assert rate(5, 4) == Decimal("125.0")


def test_execution_counts_planned_carried_out_unplanned_and_subjects(tree, admin_user):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    line = item(tree.commune_a, planned_count=2)
    inspection(tree.commune_a, units=[tree.cell_a1], members=[member], plan_item=line)
    inspection(tree.commune_a, units=[tree.cell_a1, tree.cell_a2], plan_item=line)
    inspection(tree.commune_a, units=[tree.cell_a2], plan_item=line)  # over the plan
    inspection(tree.commune_a, members=[member], form="unscheduled")  # unplanned
    watch = item(
        tree.commune_a, plan=line.plan, kind="supervision", subjects="members", planned_count=4
    )
    inspection(tree.commune_a, members=[member], plan_item=watch)

    found = inspection_execution(user=admin_user, start=YEAR[0], end=YEAR[1])
    (inspect_row, watch_row) = found.rows
    assert (inspect_row.kind, inspect_row.level) == ("inspection", "grassroots")
    assert (inspect_row.planned, inspect_row.carried_out, inspect_row.unplanned) == (2, 3, 1)
    assert inspect_row.rate == Decimal("150.0")
    assert (inspect_row.organizations, inspect_row.members) == (4, 2)
    assert (watch_row.planned, watch_row.carried_out, watch_row.rate) == (4, 1, Decimal("25.0"))
    total = found.total
    assert (total.planned, total.carried_out, total.organizations, total.members) == (6, 4, 4, 3)
    assert total.rate == Decimal("66.7")
    assert (found.distinct_organizations, found.distinct_members) == (2, 1)


def test_execution_reads_four_queries_whatever_the_number_of_plans_and_inspections(
    tree, admin_user, django_assert_num_queries
):
    pairs = [
        (tree.commune_a, tree.cell_a1, admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))),
        (tree.commune_b, tree.cell_b1, admit_on(tree.cell_b1, day=dt.date(2020, 1, 6))),
    ]
    for commune, cell, member in pairs:
        line = item(commune, planned_count=3)
        for _ in range(3):
            inspection(commune, units=[cell], members=[member], plan_item=line)
    inspection(tree.commune_a, members=[pairs[0][2]], form="unscheduled")
    # The plan items with the work done under them, the unplanned, the two kinds of subject.
    with django_assert_num_queries(4):
        found = inspection_execution(user=admin_user, start=YEAR[0], end=YEAR[1])
    assert (found.total.planned, found.total.carried_out, found.total.unplanned) == (6, 6, 1)
    assert (found.total.organizations, found.total.members) == (6, 7)


def test_execution_with_nothing_planned_has_no_rate_and_respects_the_window(tree, admin_user):
    inspection(tree.commune_a, units=[tree.cell_a1], form="unscheduled")
    found = inspection_execution(user=admin_user, start=YEAR[0], end=YEAR[1])
    assert (found.total.planned, found.total.unplanned, found.total.rate) == (0, 1, None)
    empty = inspection_execution(
        user=admin_user, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)
    )
    assert empty.rows == [] and empty.total.rate is None


def test_an_item_is_due_in_the_window_its_period_ends_in(tree, admin_user):
    line = item(tree.commune_a, period_start=dt.date(2023, 3, 1), period_end=dt.date(2023, 9, 30))
    inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)  # began on DAY (April)
    first_half = inspection_execution(
        user=admin_user, start=dt.date(2023, 1, 1), end=dt.date(2023, 6, 30)
    )
    assert (first_half.total.planned, first_half.total.carried_out) == (0, 0)
    assert first_half.total.organizations == 1
    second_half = inspection_execution(
        user=admin_user, start=dt.date(2023, 7, 1), end=dt.date(2023, 12, 31)
    )
    assert (second_half.total.planned, second_half.total.carried_out) == (2, 1)
    assert second_half.total.organizations == 0


def test_execution_shows_a_user_only_their_subtrees_and_a_units_subtree(tree, manager_a, outsider):
    inspection(tree.commune_a, units=[tree.cell_a1], plan_item=item(tree.commune_a))
    inspection(tree.commune_b, units=[tree.cell_b1], plan_item=item(tree.commune_b))
    province_plan = plan(tree.province, body="standing")
    inspection(
        tree.province,
        body="standing",
        units=[tree.commune_a],
        plan_item=item(tree.province, plan=province_plan, subjects="organizations"),
    )
    mine = inspection_execution(user=manager_a, start=YEAR[0], end=YEAR[1])
    assert (mine.total.planned, mine.total.carried_out) == (2, 1)
    theirs = inspection_execution(user=outsider, start=YEAR[0], end=YEAR[1], unit=tree.commune_b)
    assert theirs.total.organizations == 1
    assert DAY.year == 2023
