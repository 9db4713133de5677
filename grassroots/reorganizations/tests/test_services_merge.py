import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry
from grassroots.members.choices import EventKind
from grassroots.members.models import Member, MemberEvent, Membership
from grassroots.organizations.choices import ReorganizationKind, UnitKind
from grassroots.organizations.models import Lineage, Reorganization, Unit, UnitPlacement
from grassroots.organizations.selectors import constituents_on, subtree_paths_on, tree_as_of
from grassroots.organizations.services import unit_create
from grassroots.reorganizations.services import reorganization_preview, unit_merge

from .helpers import DECISION, EFFECTIVE, admit, propose, snapshot_counts


def merge_cells(tree, actor=None, **overrides):
    args = dict(
        sources=[tree.cell_a1, tree.cell_a2],
        effective_date=EFFECTIVE,
        new_code="XA-M",
        new_name="Chi bộ thôn Mường Hum mới",
        **DECISION,
    )
    args.update(overrides)
    return unit_merge(actor=actor, **args)


def test_merge_into_a_new_unit_closes_sources_and_keeps_their_history(tree, manager_a):
    m1 = admit(tree.cell_a1, "Lò Văn Một")
    m2 = admit(tree.cell_a2, "Lò Thị Hai")
    reorg = merge_cells(tree, manager_a)

    new = Unit.objects.get(code="XA-M")
    assert (new.parent, new.kind, new.valid_from, new.valid_to) == (
        tree.commune_a,
        UnitKind.CELL,
        EFFECTIVE,
        None,
    )
    for source in (tree.cell_a1, tree.cell_a2):
        source.refresh_from_db()
        assert source.valid_to == EFFECTIVE
        assert not UnitPlacement.objects.filter(unit=source, valid_to__isnull=True).exists()
    assert set(Lineage.objects.values_list("predecessor", "successor")) == {
        (tree.cell_a1.pk, new.pk),
        (tree.cell_a2.pk, new.pk),
    }
    assert (
        reorg.kind == ReorganizationKind.MERGE
        and reorg.unit == new
        and reorg.created_by == manager_a
    )
    assert reorg.details["members_moved"] == 2 and reorg.details["units_created"] == [new.pk]
    for member in (m1, m2):
        member.refresh_from_db()
        assert member.unit == new
        event = MemberEvent.objects.get(member=member, kind=EventKind.REORGANIZE)
        assert (event.reorganization, event.other_unit, event.date) == (reorg, new, EFFECTIVE)
        assert Membership.objects.get(member=member, end__isnull=True).unit == new
    assert AuditEntry.objects.for_object(reorg).get(action="create").actor == manager_a
    assert (
        AuditEntry.objects.for_object(tree.cell_a1)
        .filter(action="update", actor=manager_a)
        .exists()
    )


def test_merge_into_a_surviving_unit_keeps_it_open(tree):
    m2 = admit(tree.cell_a2, "Lò Thị Hai")
    reorg = unit_merge(
        actor=None,
        sources=[tree.cell_a1, tree.cell_a2],
        into=tree.cell_a1,
        effective_date=EFFECTIVE,
        **DECISION,
    )
    tree.cell_a1.refresh_from_db()
    tree.cell_a2.refresh_from_db()
    assert tree.cell_a1.valid_to is None and tree.cell_a2.valid_to == EFFECTIVE
    assert list(Lineage.objects.values_list("predecessor", "successor")) == [
        (tree.cell_a2.pk, tree.cell_a1.pk)
    ]
    m2.refresh_from_db()
    assert m2.unit == tree.cell_a1 and reorg.unit == tree.cell_a1


def test_merge_of_communes_moves_their_cells_under_the_successor_and_the_past_tree_keeps_them(tree):
    m = admit(tree.cell_b1, "Lò Văn Ba")
    reorg = unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        effective_date=EFFECTIVE,
        new_code="XAB",
        new_name="Xã Đồng Thái",
        **DECISION,
    )
    new = Unit.objects.get(code="XAB")
    for cell in (tree.cell_a1, tree.cell_a2, tree.cell_b1):
        cell.refresh_from_db()
        assert (
            cell.parent == new
            and cell.path == f"{new.path}{cell.pk}/"
            and cell.depth == new.depth + 1
        )
        assert cell.valid_to is None
        old, current = UnitPlacement.objects.filter(unit=cell).order_by("valid_from")
        assert (
            old.valid_to == EFFECTIVE and current.parent == new and current.valid_from == EFFECTIVE
        )
    m.refresh_from_db()
    assert m.unit == tree.cell_b1  # members of the moved cells stay in their cells
    assert reorg.details["units_moved"] and reorg.details["members_moved"] == 0

    before = dt.date(2024, 12, 31)
    past = {p.unit_id: p for p in tree_as_of(before)}
    assert past[tree.cell_a1.pk].parent_id == tree.commune_a.pk
    assert past[tree.cell_b1.pk].parent_id == tree.commune_b.pk
    assert new.pk not in past
    now = {p.unit_id: p for p in tree_as_of(dt.date(2025, 8, 1))}
    assert now[tree.cell_b1.pk].parent_id == new.pk
    assert tree.commune_a.pk not in now


def test_as_of_figures_of_a_successor_sum_its_predecessors(tree):
    admit(tree.cell_a1, "Lò Văn Một")
    admit(tree.cell_b1, "Lò Văn Ba")
    unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        effective_date=EFFECTIVE,
        new_code="XAB",
        new_name="Xã Đồng Thái",
        **DECISION,
    )
    new = Unit.objects.get(code="XAB")
    day = dt.date(2023, 12, 31)
    assert {u.pk for u in constituents_on(new, day)} == {tree.commune_a.pk, tree.commune_b.pk}
    paths = subtree_paths_on(new, day)
    assert sorted(paths) == sorted([tree.commune_a.path, tree.commune_b.path])
    from django.db.models import Q

    q = Q(pk__in=[])
    for p in paths:
        q |= Q(unit__placements__path__startswith=p)
    members_then = (
        Membership.objects.on(day)
        .filter(q, unit__placements__valid_from__lte=day)
        .filter(Q(unit__placements__valid_to__isnull=True) | Q(unit__placements__valid_to__gt=day))
        .distinct()
    )
    assert members_then.count() == 2


def test_merge_preview_counts_without_writing(tree):
    admit(tree.cell_a1, "Lò Văn Một")
    admit(tree.cell_a2, "Lò Thị Hai")
    before = snapshot_counts()
    preview = reorganization_preview(
        kind="merge",
        sources=[tree.commune_a, tree.commune_b],
        effective_date=EFFECTIVE,
        new_code="XAB",
        new_name="Xã Đồng Thái",
        **DECISION,
    )
    assert (
        preview.units_closed,
        preview.units_created,
        preview.members_moved,
        preview.cells_moved,
    ) == (2, 1, 0, 3)
    assert "Closes 2 units" in preview.sentences[0] and "3 cells" in preview.sentences[0]
    preview = reorganization_preview(
        kind="merge",
        sources=[tree.cell_a1, tree.cell_a2],
        effective_date=EFFECTIVE,
        new_code="XA-M",
        new_name="Chi bộ mới",
        **DECISION,
    )
    assert preview.members_moved == 2
    assert snapshot_counts() == before


def test_a_decision_signed_after_the_effective_date_is_accepted_with_a_warning(tree):
    preview = reorganization_preview(
        kind="merge",
        sources=[tree.cell_a1, tree.cell_a2],
        effective_date=EFFECTIVE,
        new_code="XA-M",
        new_name="Chi bộ mới",
        **{**DECISION, "decision_date": dt.date(2025, 7, 5)},
    )
    assert preview.warnings


def cases(tree):
    return {
        "one unit": (dict(sources=[tree.cell_a1]), "sources"),
        "into its own descendant": (
            dict(sources=[tree.commune_a, tree.commune_b], into=tree.cell_a1),
            "into",
        ),
        "new parent inside a source": (
            dict(
                sources=[tree.commune_a, tree.commune_b],
                new_parent=tree.cell_a1,
                new_kind=UnitKind.GRASSROOTS,
            ),
            "new_parent",
        ),
        "before creation": (dict(effective_date=dt.date(2014, 1, 1)), "effective_date"),
        "on creation day": (dict(effective_date=dt.date(2015, 1, 1)), "effective_date"),
        "in the future": (dict(effective_date=dt.date(2999, 1, 1)), "effective_date"),
        "code taken": (dict(new_code="XB-1"), "new_code"),
        "no name": (dict(new_name=" "), "new_name"),
        "no decision number": (dict(decision_number=""), "decision_number"),
        "no issuer": (dict(issuer=""), "issuer"),
        "nested sources": (
            dict(
                sources=[tree.commune_a, tree.cell_a1],
                new_parent=tree.province,
                new_kind=UnitKind.GRASSROOTS,
            ),
            "sources",
        ),
        "kind not allowed": (dict(new_kind=UnitKind.GRASSROOTS), "new_kind"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "one unit",
        "into its own descendant",
        "new parent inside a source",
        "before creation",
        "on creation day",
        "in the future",
        "code taken",
        "no name",
        "no decision number",
        "no issuer",
        "nested sources",
        "kind not allowed",
    ],
)
def test_merge_refusals_name_the_field_and_write_nothing(tree, case):
    admit(tree.cell_a1, "Lò Văn Một")
    overrides, field = cases(tree)[case]
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        merge_cells(tree, **overrides)
    assert field in info.value.message_dict, info.value.message_dict
    with pytest.raises(ValidationError):
        reorganization_preview(
            kind="merge",
            **{
                **dict(
                    sources=[tree.cell_a1, tree.cell_a2],
                    effective_date=EFFECTIVE,
                    new_code="XA-M",
                    new_name="Chi bộ mới",
                    **DECISION,
                ),
                **overrides,
            },
        )
    assert snapshot_counts() == before


def test_a_closed_source_cannot_be_merged_again(tree):
    merge_cells(tree)
    extra = unit_create(
        actor=None,
        code="XA-3",
        name="Chi bộ thôn Ba",
        kind=UnitKind.CELL,
        parent=tree.commune_a,
        valid_from=dt.date(2016, 1, 1),
    )
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_merge(
            actor=None,
            sources=[tree.cell_a1, extra],
            effective_date=dt.date(2025, 8, 1),
            new_code="XA-N",
            new_name="Chi bộ N",
            **DECISION,
        )
    assert "already closed" in info.value.message_dict["sources"][0]
    assert snapshot_counts() == before


def test_members_cannot_be_merged_into_a_commune(tree):
    admit(tree.cell_a1, "Lò Văn Một")
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_merge(
            actor=None,
            sources=[tree.cell_a1, tree.commune_b],
            into=tree.commune_b,
            effective_date=EFFECTIVE,
            **DECISION,
        )
    assert "sources" in info.value.message_dict
    assert snapshot_counts() == before
    assert Member.objects.get().unit == tree.cell_a1


def test_reorganizations_are_listed_for_both_sides(tree):
    reorg = merge_cells(tree)
    assert Reorganization.objects.filter(lineage__predecessor=tree.cell_a1).get() == reorg


# --- candidates in the admission pipeline move with the members ------------------------------


def test_merge_moves_the_candidates_still_in_the_pipeline_and_leaves_the_others(tree, manager_a):
    from grassroots.members.models import Candidate
    from grassroots.members.services import candidate_drop

    waiting = propose(tree.cell_a1, "Lò Thị Chờ")
    dropped = candidate_drop(
        actor=None, candidate=propose(tree.cell_a2, "Lò Văn Thôi"), reason="Chuyển đi nơi khác"
    )
    preview = reorganization_preview(
        kind=ReorganizationKind.MERGE,
        sources=[tree.cell_a1, tree.cell_a2],
        effective_date=EFFECTIVE,
        new_code="XA-M",
        new_name="Chi bộ thôn Mường Hum mới",
        **DECISION,
    )
    assert preview.candidates_moved == 1
    assert "1 candidate in the admission pipeline moves with the members." in preview.sentences

    reorg = merge_cells(tree, manager_a)
    new = Unit.objects.get(code="XA-M")
    assert Candidate.objects.get(pk=waiting.pk).unit == new
    assert Candidate.objects.get(pk=dropped.pk).unit == tree.cell_a2
    assert reorg.details["candidates_moved"] == 1
    entry = AuditEntry.objects.for_object(waiting).get(action="update")
    assert entry.actor == manager_a
    assert (entry.before["unit_id"], entry.after["unit_id"]) == (tree.cell_a1.pk, new.pk)


def test_a_merge_of_cells_with_candidates_into_a_committee_is_refused_and_writes_nothing(tree):
    propose(tree.cell_a1)
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_merge(
            actor=None,
            sources=[tree.cell_a1, tree.cell_a2],
            effective_date=EFFECTIVE,
            new_code="XA-M",
            new_name="Đảng bộ mới",
            new_kind=UnitKind.GRASSROOTS,
            new_parent=tree.province,
            **DECISION,
        )
    assert "candidates for admission" in info.value.message_dict["sources"][0]
    assert snapshot_counts() == before
