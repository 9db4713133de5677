"""The boards' tallies: after every service that changes a month or a registration, and after a
reorganization that moves a subtree, they equal a rebuild from the raw rows; a province's board
shows one row per unit below it, summed from them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grassroots.assessments import services
from grassroots.assessments.models import BoardTally, Registration
from grassroots.assessments.selectors import board
from grassroots.assessments.tallies import tally_rebuild
from grassroots.reorganizations.services import unit_move
from grassroots.reorganizations.tests.helpers import DECISION, EFFECTIVE

from .helpers import fill, make_framework, register

pytestmark = pytest.mark.django_db


def _rows() -> set[tuple]:
    numbers = [f"n{m}" for m in range(13)] + [f"t{m}" for m in range(1, 13)]
    return set(
        BoardTally.objects.values_list("unit_id", "year", "status", "band_key", "late", *numbers)
    )


def assert_tallies_equal_a_rebuild() -> None:
    kept = _rows()
    tally_rebuild()
    assert _rows() == kept


def test_every_service_keeps_the_tallies_equal_to_a_rebuild(tree):
    framework = make_framework(tree)
    a1 = register(tree, framework)
    assert_tallies_equal_a_rebuild()
    a2 = register(tree, framework, unit=tree.cell_a2)
    jan = fill(a1, 1)
    assert_tallies_equal_a_rebuild()
    jan = services.assessment_submit(actor=None, assessment=jan)
    feb = services.assessment_submit(actor=None, assessment=fill(a2, 2, **{"1.1": 10}))
    assert_tallies_equal_a_rebuild()
    services.assessment_accept(actor=None, assessment=jan)
    services.assessment_return(actor=None, assessment=feb, reason="Thiếu minh chứng")
    assert_tallies_equal_a_rebuild()
    fill(a2, 2, **{"1.1": 18})  # corrected after the return
    services.assessment_reopen(actor=None, assessment=jan, reason="Sai điểm nhóm 2")
    assert_tallies_equal_a_rebuild()
    # The commune's tally holds both cells; the province's and the root's the same. A cell,
    # with no unit below it, has none.
    registered = BoardTally.objects.get(
        unit=tree.commune_a, year=2024, status=BoardTally.REGISTERED
    )
    assert registered.n0 == 2
    for unit in (tree.province, tree.root):
        assert BoardTally.objects.get(unit=unit, year=2024, status="registered").n0 == 2
    assert not BoardTally.objects.filter(unit__in=[tree.cell_a1, tree.cell_a2]).exists()


def test_a_moved_subtree_takes_its_tallies_to_the_units_above_it_after(tree):
    framework = make_framework(tree)
    registration = register(tree, framework)
    services.assessment_submit(actor=None, assessment=fill(registration, 1))
    unit_move(
        actor=None,
        unit=tree.cell_a1,
        new_parent=tree.commune_b,
        effective_date=EFFECTIVE,
        **DECISION,
    )
    assert_tallies_equal_a_rebuild()
    filed = {"status": "submitted", "year": 2024}
    assert BoardTally.objects.filter(unit=tree.commune_b, **filed).get().n1 == 1
    assert not BoardTally.objects.filter(unit=tree.commune_a, **filed).exists()
    assert BoardTally.objects.filter(unit=tree.province, **filed).get().n1 == 1


def test_a_provinces_board_sums_each_commune_and_lists_no_cell(tree, admin_user, as_persona):
    framework = make_framework(tree)
    a1, a2 = register(tree, framework), register(tree, framework, unit=tree.cell_a2)
    totals = []
    for registration, score in ((a1, 20), (a2, 10)):
        month = services.assessment_submit(
            actor=None, assessment=fill(registration, 1, **{"1.1": score})
        )
        totals.append(services.assessment_accept(actor=None, assessment=month).total)
    found = board(unit=tree.province, year=2024, user=admin_user)
    assert list(found.rows) == []  # no cell is a child of the province
    (commune,) = found.subtrees
    assert (commune.unit.pk, commune.registered) == (tree.commune_a.pk, 2)
    january = commune.months[0]
    average = (sum(totals) / 2).quantize(Decimal("0.1"))
    assert (january.filed, january.accepted, january.average) == (2, 2, average)
    assert sum(found.band_counts.values()) == 2
    # Months past their deadline and not filed: 11 for each of the two cells.
    assert commune.overdue == 22
    html = (
        as_persona("admin")
        .get(reverse("assessments:unit_board", args=[tree.province.pk]), {"year": 2024})
        .content.decode()
    )
    assert tree.commune_a.name in html and tree.cell_a1.name not in html
    assert "2/2 filed" in html and "22 months overdue in the units below" in html


def test_a_provinces_board_reads_as_many_rows_whatever_the_number_of_cells(
    tree, admin_user, django_assert_max_num_queries
):
    framework = make_framework(tree)
    register(tree, framework)
    with django_assert_max_num_queries(12) as first:
        board(unit=tree.province, year=2024, user=admin_user)
    services.assessment_submit(
        actor=None, assessment=fill(register(tree, framework, unit=tree.cell_a2), 3)
    )
    register(tree, framework, unit=tree.cell_b1)
    with django_assert_max_num_queries(len(first.captured_queries)):
        found = board(unit=tree.province, year=2024, user=admin_user)
    assert [row.registered for row in found.subtrees] == [2, 1]
    assert Registration.objects.count() == 3


def test_a_provinces_communes_are_paged_like_its_units(tree, as_persona, monkeypatch):
    from grassroots.assessments import views

    framework = make_framework(tree)
    for unit in (tree.cell_a1, tree.cell_b1):
        register(tree, framework, unit=unit)
    monkeypatch.setattr(views, "BOARD_PAGE_SIZE", 1)
    url = reverse("assessments:unit_board", args=[tree.province.pk])
    client = as_persona("admin")
    pages = [client.get(url, {"year": 2024, "page": n}) for n in (1, 2)]
    summed = [[row.unit.pk for row in p.context["below_page"]] for p in pages]
    assert summed == [[tree.commune_a.pk], [tree.commune_b.pk]]
    assert "Page 1 of 2" in pages[0].content.decode()
    # Who is overdue below lists both communes on every page.
    late = pages[1].content.decode().split("Not submitted past the deadline", 1)[1]
    assert tree.commune_a.name in late and tree.commune_b.name in late


def test_a_page_of_the_board_reads_the_months_of_its_units_only(
    tree, admin_user, django_assert_num_queries
):
    framework = make_framework(tree)
    registrations = [register(tree, framework, unit=u) for u in (tree.cell_a1, tree.cell_a2)]
    for registration in registrations:
        fill(registration, 1)
    found = board(unit=tree.commune_a, year=2024, user=admin_user)
    assert len(found.rows) == 2
    with django_assert_num_queries(1):  # the page's months
        (first,) = found.rows[0:1]
    assert first.unit.pk == tree.cell_a1.pk and first.months[0].total is not None
    assert [row.unit.pk for row in found.rows] == [tree.cell_a1.pk, tree.cell_a2.pk]
    # Who has not submitted: every month past its deadline, the filed (none) read as bits.
    assert [months for _u, months in found.not_submitted] == [list(range(1, 13))] * 2
