"""The demo holds the figures of the source articles, recorded through the services.

The demo is loaded once for the package (see conftest.py); each test runs in a savepoint inside
that load.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import User
from grassroots.committees.models import Committee
from grassroots.core.querysets import Action
from grassroots.demo import data
from grassroots.demo.extensions import demo_loaders
from grassroots.demo.tests.full_demo import TODAY
from grassroots.members.choices import EventKind, MemberStatus, Religion
from grassroots.members.models import Candidate, Member, MemberEvent
from grassroots.members.selectors import unit_stats
from grassroots.organizations.choices import CellSubtype, ReorganizationKind, UnitKind
from grassroots.organizations.models import Lineage, Reorganization, Unit
from grassroots.organizations.selectors import placement_on
from grassroots.organizations.services import unit_create

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def test_the_command_reports_what_it_loaded_and_the_logins(demo):
    assert "Demo loaded" in demo
    for username in ("admin", "manager", "office", "secretary", "viewer"):
        assert username in demo
    assert data.DEMO_PASSWORD in demo


def test_every_app_with_demo_data_loads_it_into_the_demo_tree(demo):
    """One summary line per app loader, between the resolutions and the logins; none of them
    finds its units missing from the demo's tree."""
    lines = demo.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Resolutions: ")) + 1
    last = lines.index("Demo logins:")
    summaries = [line for line in lines[first:last] if line.strip()]
    assert len(demo_loaders()) >= 5
    assert len(summaries) == len(demo_loaders())
    assert not [line for line in summaries if "not in the tree" in line]


def test_muong_hum_has_133_members_in_its_9_cells_and_23_in_the_village_cell(demo):
    muong_hum = unit(data.MUONG_HUM_CODE)
    stats = unit_stats(unit=muong_hum)
    assert stats.members_total == 133
    assert stats.cells == 9
    subtypes = sorted(
        Unit.objects.filter(parent=muong_hum, valid_to__isnull=True).values_list(
            "cell_subtype", flat=True
        )
    )
    assert subtypes == sorted(
        [CellSubtype.VILLAGE] * 5
        + [CellSubtype.SCHOOL] * 2
        + [CellSubtype.HEALTH, CellSubtype.POLICE]
    )
    village = unit(data.MUONG_HUM_VILLAGE_CELL_CODE)
    assert village.name == "Chi bộ thôn Mường Hum"
    assert unit_stats(unit=village).members_total == 23


def test_fourteen_admissions_in_muong_hum_since_the_end_of_2020_come_from_the_ledger(demo):
    muong_hum = unit(data.MUONG_HUM_CODE)
    admissions = MemberEvent.objects.filter(
        kind=EventKind.ADMIT,
        unit__path__startswith=muong_hum.path,
        date__gte=data.MUONG_HUM_RECENT_FROM,
        date__lte=TODAY,
    )
    assert admissions.count() == 14
    stats = unit_stats(unit=muong_hum, period_start=data.MUONG_HUM_RECENT_FROM, period_end=TODAY)
    assert stats.events_in_period["admissions"] == 14
    # Some of them are still on probation.
    recent = Member.objects.filter(
        pk__in=admissions.values("member_id"), status=MemberStatus.PROBATIONARY
    )
    assert recent.exists()
    assert all(m.admission_decision_date > TODAY - dt.timedelta(days=366) for m in recent)


def test_muong_hum_sat_under_bat_xat_in_2023_and_sits_directly_under_lao_cai_today(demo):
    muong_hum = unit(data.MUONG_HUM_CODE)
    assert placement_on(muong_hum, dt.date(2023, 6, 1)).parent.code == "LCA-BXA"
    assert muong_hum.parent.code == "LCA"
    bat_xat = unit("LCA-BXA")
    assert bat_xat.valid_to == data.REFORM_DATE
    assert Reorganization.objects.filter(kind=ReorganizationKind.DISSOLVE, unit=bat_xat).exists()
    assert not Unit.objects.filter(kind=UnitKind.DISTRICT, valid_to__isnull=True).exists()


def test_pa_u_has_nearly_400_members_in_26_cells_of_la_hu_thai_and_ha_nhi(demo):
    stats = unit_stats(unit=unit(data.PA_U_CODE))
    assert stats.cells == 26
    assert 390 <= stats.members_total <= 399
    for group in ("la_hu", "thai", "ha_nhi"):
        assert stats.by_ethnicity.get(group, 0) > 0


def test_dong_thai_was_merged_from_three_communes_and_its_2023_figure_is_their_sum(demo):
    dong_thai = unit(data.DONG_THAI_CODE)
    assert dong_thai.is_open and dong_thai.valid_from == data.REFORM_DATE
    links = Lineage.objects.filter(successor=dong_thai).select_related(
        "predecessor", "reorganization"
    )
    assert sorted(link.predecessor.code for link in links) == sorted(data.MERGED_INTO_DONG_THAI)
    assert all(link.predecessor.valid_to == data.REFORM_DATE for link in links)
    assert {link.reorganization.kind for link in links} == {ReorganizationKind.MERGE}
    day = dt.date(2023, 12, 31)
    parts = [
        unit_stats(unit=unit(code), as_of=day).members_total for code in data.MERGED_INTO_DONG_THAI
    ]
    assert all(parts)
    assert unit_stats(unit=dong_thai, as_of=day).members_total == sum(parts)
    # The cells moved under the successor with their members; in 2023 they sat in the old communes.
    cells = Unit.objects.filter(parent=dong_thai, kind=UnitKind.CELL)
    assert cells.count() == unit_stats(unit=dong_thai).cells == 22
    assert {placement_on(c, day).parent.code for c in cells} == set(data.MERGED_INTO_DONG_THAI)


def test_khanh_hoi_has_57_religious_members(demo):
    stats = unit_stats(unit=unit(data.KHANH_HOI_CODE))
    religious = sum(n for religion, n in stats.by_religion.items() if religion != Religion.NONE)
    assert religious == 57


def test_the_quang_ninh_cells_sit_under_their_wards(demo):
    bieu_nghi = unit(data.BIEU_NGHI_CODE)
    # The article's figure, on the day of its thematic meeting (members admitted since count on).
    assert unit_stats(unit=bieu_nghi, as_of=dt.date(2024, 11, 30)).members_total == 22
    assert bieu_nghi.parent.name == "Đảng bộ phường Đông Mai"
    assert (
        placement_on(bieu_nghi.parent, dt.date(2024, 11, 1)).parent.name
        == "Đảng bộ thị xã Quảng Yên"
    )
    binh_luc_ha = unit(data.BINH_LUC_HA_CODE)
    assert binh_luc_ha.name == "Chi bộ khu Bình Lục Hạ"
    assert binh_luc_ha.parent.name == "Đảng bộ phường Hồng Phong"


def test_the_ha_giang_bloc_admitted_338_members_from_october_2020_to_june_2023(demo):
    bloc = unit(data.BLOC_CODE)
    assert bloc.kind == UnitKind.BLOC
    lo, hi = data.BLOC_WINDOW
    stats = unit_stats(unit=bloc, period_start=lo, period_end=hi)
    assert stats.events_in_period["admissions"] == 338
    assert unit_stats(unit=bloc).members_total > 2000


def test_members_have_histories_recorded_by_the_services(demo):
    assert not Member.objects.exclude(events__kind=EventKind.ADMIT).exists()
    kinds = set(MemberEvent.objects.values_list("kind", flat=True).distinct())
    assert {
        EventKind.ADMIT,
        EventKind.RECOGNIZE,
        EventKind.TRANSFER_OUT,
        EventKind.TRANSFER_IN,
        EventKind.DISCIPLINE,
        EventKind.REMOVE,
        EventKind.DEATH,
    } <= kinds
    assert Member.objects.filter(status=MemberStatus.PROBATIONARY).exists()
    assert not Member.objects.filter(transit_to__isnull=False).exists()
    assert (
        Candidate.objects.filter(unit__path__startswith=unit(data.MUONG_HUM_CODE).path)
        .values("stage")
        .distinct()
        .count()
        >= 4
    )


def test_si_ma_cai_committee_sizes_are_recorded(demo):
    si_ma_cai = unit("LCA-SMC")
    executive = Committee.objects.get(unit=si_ma_cai, kind="executive")
    standing = Committee.objects.get(unit=si_ma_cai, kind="standing")
    assert (executive.elected_size, executive.approved_next_size) == (37, 39)
    assert (standing.elected_size, standing.approved_next_size) == (11, 13)
    assert (
        Committee.objects.get(unit=unit(data.MUONG_HUM_CODE))
        .seats.filter(position="secretary")
        .exists()
    )


def test_the_demo_manager_sees_muong_hum_and_dong_thai_but_not_lai_chau(demo):
    manager = User.objects.get(username="manager")
    visible = Unit.objects.visible_to(manager, Action.VIEW)
    assert visible.filter(code=data.MUONG_HUM_CODE).exists()
    assert visible.filter(code=data.DONG_THAI_CODE).exists()
    assert not visible.filter(code__startswith="LCH").exists()
    assert manager.check_password(data.DEMO_PASSWORD)
    client = Client()
    client.force_login(manager)
    muong_hum = unit(data.MUONG_HUM_CODE)
    assert client.get(reverse("organizations:unit_detail", args=[muong_hum.pk])).status_code == 200
    assert (
        client.get(reverse("organizations:unit_detail", args=[unit("LCH").pk])).status_code == 404
    )


def test_loading_twice_does_not_duplicate(demo):
    counts = (
        Unit.objects.count(),
        Member.objects.count(),
        MemberEvent.objects.count(),
        User.objects.count(),
    )
    out = StringIO()
    call_command("load_demo", "--today", TODAY.isoformat(), stdout=out)
    assert "already loaded" in out.getvalue()
    assert "manager" in out.getvalue()
    assert (
        Unit.objects.count(),
        Member.objects.count(),
        MemberEvent.objects.count(),
        User.objects.count(),
    ) == counts


def test_reset_is_refused_when_the_database_holds_more_than_the_demo(demo):
    unit_create(
        actor=None,
        code="OTHER",
        name="Đảng bộ khác",
        kind=UnitKind.PROVINCE,
        parent=unit("TW"),
        valid_from=dt.date(2000, 1, 1),
    )
    with pytest.raises(CommandError, match="Refusing to reset"):
        call_command("load_demo", "--reset", "--today", TODAY.isoformat(), stdout=StringIO())
    assert Unit.objects.filter(code="OTHER").exists()
    assert Member.objects.exists()
