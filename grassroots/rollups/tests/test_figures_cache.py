"""Today's figures come from the cache while nothing under the unit changed, and never hide a
change: every change moves the figures version of the top units above it, in its own
transaction, and the cached figures are keyed by those versions."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.members.imports import members_import
from grassroots.members.selectors import unit_stats, unit_stats_today
from grassroots.members.tests.ledger_helpers import admit
from grassroots.organizations import services as org
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.models import Unit
from grassroots.reorganizations import services as reorganizations
from grassroots.rollups.selectors import figures_version
from grassroots.rollups.services import rollup_rebuild

from .test_rollups import _Rollback, operation, play

DECISION = {"decision_number": "1/QĐ", "issuer": "Tỉnh ủy"}


def all_units(country) -> list[Unit]:
    return list(
        Unit.objects.filter(
            pk__in=[
                country.root.pk,
                country.province.pk,
                country.province_2.pk,
                country.commune_a.pk,
                country.commune_b.pk,
                country.commune_c.pk,
                *[c.pk for c in country.cells],
            ]
        )
    )


def assert_cache_agrees(units) -> None:
    for unit in units:
        unit = Unit.objects.get(pk=unit.pk)
        assert unit_stats_today(unit=unit) == unit_stats(unit=unit), unit


@pytest.mark.django_db
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(operation, min_size=1, max_size=5), min_size=1, max_size=5))
def test_cached_figures_equal_the_counted_ones_after_any_sequence_of_events(country, batches):
    try:
        with transaction.atomic():
            units = all_units(country)
            assert_cache_agrees(units)  # fills the cache
            for ops in batches:
                play(country, ops)
                assert_cache_agrees(units)
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.django_db
def test_every_top_unit_has_a_figures_version_that_a_member_change_moves(country):
    cell = country.cell_a1
    before = figures_version(cell)
    assert str(country.root.pk) in before and str(country.province.pk) in before
    admit(cell)
    after = figures_version(cell)
    assert after != before
    # A change in another province moves the root's version only.
    admit(country.cell_c1)
    assert figures_version(country.cell_a1) != after
    assert figures_version(country.province_2) != figures_version(country.province)


@pytest.mark.django_db
def test_the_unit_page_shows_a_new_member_at_the_next_visit(country, admin_user, client):
    client.force_login(admin_user)
    url = reverse("organizations:unit_detail", args=[country.commune_a.pk])

    def members_shown() -> int:
        # The page's first figure is the unit's members (members.unit_page).
        return client.get(url).context["figures"].figures[0].value

    admit(country.cell_a1)
    assert members_shown() == 1
    assert members_shown() == 1  # from the cache
    admit(country.cell_a2)
    assert members_shown() == 2


@pytest.mark.django_db
def test_a_cell_created_or_moved_between_communes_of_a_province_shows_at_once(country):
    commune_a, commune_b = country.commune_a, country.commune_b
    admit(country.cell_a2)
    assert_cache_agrees([commune_a, commune_b])
    new = org.unit_create(
        actor=None,
        code="XA-3",
        name="Chi bộ thôn Mới",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=commune_a,
        valid_from=dt.date(2024, 1, 1),
    )
    assert unit_stats_today(unit=Unit.objects.get(pk=commune_a.pk)).cells == 3
    # Moving a cell inside the province leaves the province's counters as they were, but not
    # the two communes' figures.
    reorganizations.unit_move(
        actor=None,
        unit=Unit.objects.get(pk=country.cell_a2.pk),
        new_parent=commune_b,
        effective_date=timezone.localdate(),
        decision_date=timezone.localdate(),
        **DECISION,
    )
    assert_cache_agrees([commune_a, commune_b, new])
    assert unit_stats_today(unit=Unit.objects.get(pk=commune_b.pk)).members_total == 1


@pytest.mark.django_db
def test_a_renamed_unit_shows_in_its_page_and_its_cells_breadcrumbs_at_the_next_visit(
    country, admin_user, client
):
    client.force_login(admin_user)
    cell_page = reverse("organizations:unit_detail", args=[country.cell_a1.pk])
    commune_page = reverse("organizations:unit_detail", args=[country.commune_a.pk])
    assert "Xã Mường Hum" in client.get(cell_page).content.decode()
    assert "<h1>Xã Mường Hum</h1>" in client.get(commune_page).content.decode()
    reorganizations.unit_rename(
        actor=None,
        unit=country.commune_a,
        new_name="Xã Mường Hum Mới",
        effective_date=dt.date(2025, 7, 1),
        decision_number="15-QĐ/TU",
        decision_date=dt.date(2025, 6, 20),
        issuer="Ban Thường vụ Tỉnh ủy",
    )
    assert "Xã Mường Hum Mới" in client.get(cell_page).content.decode()
    assert "<h1>Xã Mường Hum Mới</h1>" in client.get(commune_page).content.decode()


@pytest.mark.django_db
def test_the_cached_parts_of_a_unit_page_follow_each_users_permissions(country, as_persona):
    url = reverse("organizations:unit_detail", args=[country.commune_a.pk])
    for persona, sees_actions in (
        ("manager_a", True),
        ("viewer_a", False),
        ("admin", True),
        ("viewer_a", False),
    ):
        html = as_persona(persona).get(url).content.decode()
        assert ('class="actions"' in html) is sees_actions, persona
    # A date asked: nothing from the cache, the figures of that day.
    html = as_persona("viewer_a").get(url, {"as_of": "2016-01-01"}).content.decode()
    assert "01/01/2016" in html


@pytest.mark.django_db
def test_a_rebuild_and_a_bulk_import_move_the_versions(country, admin_user):
    versions = figures_version(country.cell_a1)
    rollup_rebuild()
    assert figures_version(country.cell_a1) != versions
    assert_cache_agrees([country.commune_a])
    versions = figures_version(country.cell_a1)
    header = "unit_code,full_name,gender,birth_date,ethnicity,decision_date,ceremony_date\n"
    decision = timezone.localdate() - dt.timedelta(days=100)
    line = (
        f"XA-1,Lò Văn Nhập,male,01/02/1990,thai,{decision:%d/%m/%Y},"
        f"{decision + dt.timedelta(days=2):%d/%m/%Y}\n"
    )
    result = members_import(
        actor=admin_user, file=io.BytesIO((header + line).encode()), file_name="m.csv"
    )
    assert result.errors == [] and result.created == 1
    assert figures_version(country.cell_a1) != versions
    assert_cache_agrees([country.commune_a, country.cell_a1])


@pytest.mark.django_db
def test_a_unit_without_any_version_yet_is_counted_every_time(country, monkeypatch):
    from grassroots.rollups.models import SubtreeCount

    admit(country.cell_a1)
    SubtreeCount.objects.filter(dimension="version").delete()
    assert figures_version(country.commune_a) == ""
    stored = []
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: stored.append(args))
    assert unit_stats_today(unit=country.commune_a).members_total == 1
    assert stored == []


@pytest.mark.django_db
def test_a_unit_corrected_by_its_service_moves_the_versions_above_it_and_a_bare_save_does_not(
    country,
):
    """Unit changes reach the roll-ups through the unit services' explicit call (the tree's
    `on_unit_changed` hook), not through a signal: signals only write the audit log."""
    cell = Unit.objects.get(pk=country.cell_a1.pk)
    before = figures_version(cell)
    cell.address = "Thôn Một"
    cell.save()
    assert figures_version(cell) == before
    org.unit_update(actor=None, unit=cell, address="Thôn Hai")
    after = figures_version(cell)
    assert after != before
    # Only the top units above the cell: the other province keeps its version.
    other = figures_version(country.cell_c1)
    org.unit_update(actor=None, unit=cell, address="Thôn Ba")
    assert figures_version(country.cell_c1).split(",")[1:] == other.split(",")[1:]
