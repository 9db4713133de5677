"""The national generator at a tiny scale: counts, lineage, no orphans, the same country for the
same seed, and the refusal to load a second country over the first."""

import datetime as dt
import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from grassroots.demo.country import orphan_counts
from grassroots.members.models import Member, MemberEvent, Membership
from grassroots.members.selectors import unit_stats
from grassroots.organizations.choices import CELL_KINDS, UnitKind
from grassroots.organizations.models import Lineage, Reorganization, Unit, UnitPlacement

from .country import SCALE, TODAY, assert_the_seed_decides, generate


def digest() -> str:
    # Ids come from the sequences (they differ between runs on PostgreSQL): compare contents.
    rows = [
        *Unit.objects.order_by("code").values_list(
            "code", "name", "kind", "parent__code", "depth", "valid_from", "valid_to"
        ),
        *Member.objects.order_by("id").values_list(
            "full_name", "birth_date", "unit__code", "status", "ethnicity", "official_date"
        ),
        *MemberEvent.objects.order_by("id").values_list(
            "member__full_name", "kind", "date", "unit__code"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_generated_country_has_the_shape_of_the_real_one_with_lineage_and_no_orphans():
    report = generate()
    assert Unit.objects.filter(kind=UnitKind.CENTRAL).count() == 1
    assert Unit.objects.filter(kind=UnitKind.PROVINCE).count() == report.counts["target_provinces"]
    assert Unit.objects.filter(kind__in=CELL_KINDS).count() > 50
    assert (
        Member.objects.filter(status__in=["official", "probationary"]).count()
        == report.counts["target_members"]
    )
    # Merges of 1 July 2025: closed predecessors linked to their successors, cells placed twice.
    merges = Reorganization.objects.filter(kind="merge", effective_date=dt.date(2025, 7, 1))
    assert merges.exists()
    link = Lineage.objects.select_related("predecessor", "successor").first()
    assert link.predecessor.valid_to == dt.date(2025, 7, 1)
    assert link.successor.valid_from == dt.date(2025, 7, 1)
    moved = Unit.objects.filter(parent=link.successor).first()
    assert UnitPlacement.objects.filter(unit=moved).count() == 2
    # Each place keeps its unit's kind (the past cells are counted from it).
    assert not UnitPlacement.objects.exclude(unit_kind=F("unit__kind")).exists()
    assert all(n == 0 for n in orphan_counts().values())
    # Every member has an admission and an interval; no audit rows were written.
    assert not Member.objects.exclude(
        pk__in=MemberEvent.objects.filter(kind="admit").values("member_id")
    ).exists()
    assert not Member.objects.exclude(pk__in=Membership.objects.values("member_id")).exists()
    from grassroots.core.models import AuditEntry

    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_merged_commune_before_the_merge_is_the_sum_of_its_predecessors():
    generate()
    link = Lineage.objects.select_related("successor").first()
    successor = link.successor
    day = dt.date(2024, 12, 31)
    predecessors = Unit.objects.filter(successor_links__successor=successor)
    total = sum(unit_stats(unit=p, as_of=day).members_total for p in predecessors)
    assert unit_stats(unit=successor, as_of=day).members_total == total > 0


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_country_and_another_seed_another():
    assert_the_seed_decides(digest)


@pytest.mark.django_db
def test_the_command_refuses_a_second_country_unless_asked_to_replace_it():
    call_command(
        "generate_country", scale=SCALE, seed=3, today=TODAY, stdout=open("/dev/null", "w")
    )
    members = Member.objects.count()
    with pytest.raises(CommandError):
        call_command(
            "generate_country", scale=SCALE, seed=4, today=TODAY, stdout=open("/dev/null", "w")
        )
    assert Member.objects.count() == members
