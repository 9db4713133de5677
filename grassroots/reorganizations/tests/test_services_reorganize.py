import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grassroots.accounts.models import RoleAssignment
from grassroots.core.models import AuditEntry
from grassroots.organizations.choices import ReorganizationKind, UnitKind
from grassroots.organizations.models import Lineage, Unit, UnitPlacement
from grassroots.organizations.selectors import (
    constituents_on,
    placement_on,
    tree_as_of,
    unit_ancestors,
    unit_history,
)
from grassroots.organizations.services import unit_create, unit_update
from grassroots.reorganizations.services import (
    reorganization_preview,
    unit_dissolve,
    unit_move,
    unit_rename,
    unit_split,
)

from .helpers import DECISION, EFFECTIVE, admit, propose, snapshot_counts

# --- split -------------------------------------------------------------------------------------


def test_split_creates_parts_moves_cells_and_members_and_records_shares(tree, manager_a):
    m1 = admit(tree.cell_a1, "Lò Văn Một")
    m2 = admit(tree.cell_a1, "Lò Văn Hai")
    m3 = admit(tree.cell_a1, "Lò Văn Ba")
    village = unit_create(
        actor=None,
        code="XA-1-G",
        name="Tổ đảng 1",
        kind=UnitKind.GROUP,
        parent=tree.cell_a1,
        valid_from=dt.date(2016, 1, 1),
    )
    reorg = unit_split(
        actor=manager_a,
        source=tree.cell_a1,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {
                "code": "XA-1A",
                "name": "Chi bộ thôn Mường Hum 1",
                "cells": [village],
                "members": [m1, m2],
            },
            {"code": "XA-1B", "name": "Chi bộ thôn Mường Hum 2", "members": [m3]},
        ],
    )
    a, b = Unit.objects.get(code="XA-1A"), Unit.objects.get(code="XA-1B")
    assert (a.parent, a.kind, a.valid_from) == (tree.commune_a, UnitKind.CELL, EFFECTIVE)
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.valid_to == EFFECTIVE
    shares = dict(Lineage.objects.filter(reorganization=reorg).values_list("successor", "share"))
    assert shares == {a.pk: Decimal("0.666667"), b.pk: Decimal("0.333333")}
    village.refresh_from_db()
    assert village.parent == a and village.path.startswith(a.path)
    assert [m.unit for m in (m1, m2, m3) if not m.refresh_from_db()] == [a, a, b]
    assert reorg.kind == ReorganizationKind.SPLIT and reorg.unit == tree.cell_a1
    assert reorg.details["members_moved"] == 3
    assert AuditEntry.objects.for_object(reorg).get().actor == manager_a
    # The past of each part is its predecessor.
    assert constituents_on(a, dt.date(2024, 1, 1)) == [tree.cell_a1]


def test_split_refuses_when_a_member_or_a_cell_is_left_out_and_writes_nothing(tree):
    m1 = admit(tree.cell_a1, "Lò Văn Một")
    admit(tree.cell_a1, "Lò Văn Hai")
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_split(
            actor=None,
            source=tree.cell_a1,
            effective_date=EFFECTIVE,
            **DECISION,
            parts=[
                {"code": "XA-1A", "name": "Một", "members": [m1]},
                {"code": "XA-1B", "name": "Hai", "members": []},
            ],
        )
    assert "Lò Văn Hai" in info.value.message_dict["members"][0]
    with pytest.raises(ValidationError) as info:
        unit_split(
            actor=None,
            source=tree.commune_a,
            effective_date=EFFECTIVE,
            **DECISION,
            parts=[
                {"code": "XA-N", "name": "Bắc", "cells": [tree.cell_a1]},
                {"code": "XA-S", "name": "Nam", "cells": []},
            ],
        )
    assert "Chi bộ Trường Tiểu học" in info.value.message_dict["cells"][0]
    assert snapshot_counts() == before


def test_split_gives_each_candidate_in_the_pipeline_to_the_part_named_and_refuses_one_left_out(
    tree, manager_a
):
    from grassroots.members.models import Candidate

    m1 = admit(tree.cell_a1, "Lò Văn Một")
    c1, c2 = propose(tree.cell_a1, "Lò Thị Chờ"), propose(tree.cell_a1, "Lò Văn Đợi")
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_split(
            actor=manager_a,
            source=tree.cell_a1,
            effective_date=EFFECTIVE,
            **DECISION,
            parts=[
                {"code": "XA-1A", "name": "Một", "members": [m1], "candidates": [c1]},
                {"code": "XA-1B", "name": "Hai"},
            ],
        )
    assert (
        "1 candidate of Chi bộ thôn Mường Hum is not given to any part: Lò Văn Đợi."
        in info.value.message_dict["candidates"]
    )
    assert snapshot_counts() == before
    with pytest.raises(ValidationError) as info:
        unit_split(
            actor=manager_a,
            source=tree.cell_a1,
            effective_date=EFFECTIVE,
            **DECISION,
            parts=[
                {"code": "XA-1A", "name": "Một", "members": [m1], "candidates": [c1, c2]},
                {"code": "XA-1B", "name": "Hai", "candidates": [c2]},
            ],
        )
    assert "Lò Văn Đợi is given to two parts." in info.value.message_dict["parts.2.candidates"]
    assert snapshot_counts() == before

    reorg = unit_split(
        actor=manager_a,
        source=tree.cell_a1,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {"code": "XA-1A", "name": "Một", "members": [m1], "candidates": [c1]},
            {"code": "XA-1B", "name": "Hai", "candidates": [c2]},
        ],
    )
    assert (
        Candidate.objects.get(pk=c1.pk).unit.code,
        Candidate.objects.get(pk=c2.pk).unit.code,
    ) == ("XA-1A", "XA-1B")
    assert reorg.details["candidates_moved"] == 2


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ([{"code": "XA-N", "name": "Bắc", "cells": [], "members": []}], "parts"),
        (
            [
                {"code": "XA-N", "name": "Bắc", "cells": ["a1", "a2"]},
                {"code": "XA-N", "name": "Nam", "cells": []},
            ],
            "parts.2.code",
        ),
        (
            [
                {"code": "XA-N", "name": "Bắc", "cells": ["a1", "a2"]},
                {"code": "XA-S", "name": "", "cells": ["a1"]},
            ],
            "parts.2.cells",
        ),
        (
            [
                {"code": "XA-N", "name": "Bắc", "cells": ["a1", "a2", "b1"]},
                {"code": "XA-S", "name": "Nam"},
            ],
            "parts.1.cells",
        ),
        (
            [
                {"code": "XA-N", "name": "Bắc", "cells": ["a1", "a2"], "parent": "a1"},
                {"code": "XA-S", "name": "Nam"},
            ],
            "parts.1.parent",
        ),
    ],
)
def test_split_refusals_name_the_part_and_field(tree, parts, field):
    units = {"a1": tree.cell_a1, "a2": tree.cell_a2, "b1": tree.cell_b1}
    for part in parts:
        part["cells"] = [units[c] for c in part.get("cells", [])]
        if "parent" in part:
            part["parent"] = units[part["parent"]]
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_split(
            actor=None, source=tree.commune_a, effective_date=EFFECTIVE, parts=parts, **DECISION
        )
    assert field in info.value.message_dict, info.value.message_dict
    assert snapshot_counts() == before


def test_split_preview_counts_members_and_cells(tree):
    m1 = admit(tree.cell_a1, "Lò Văn Một")
    preview = reorganization_preview(
        kind="split",
        source=tree.cell_a1,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[{"code": "XA-1A", "name": "Một", "members": [m1]}, {"code": "XA-1B", "name": "Hai"}],
    )
    assert (preview.units_closed, preview.units_created, preview.members_moved) == (1, 2, 1)


# --- rename ------------------------------------------------------------------------------------


def test_rename_keeps_the_old_name_in_the_tree_of_earlier_dates(tree, manager_a):
    reorg = unit_rename(
        actor=manager_a,
        unit=tree.cell_a1,
        new_name="Chi bộ bản Mường Hum",
        effective_date=EFFECTIVE,
        **DECISION,
    )
    tree.cell_a1.refresh_from_db()
    assert (
        tree.cell_a1.name == "Chi bộ bản Mường Hum"
        and tree.cell_a1.name_folded == "chi bo ban muong hum"
    )
    assert reorg.details["old_name"] == "Chi bộ thôn Mường Hum"
    assert placement_on(tree.cell_a1, dt.date(2024, 1, 1)).name == "Chi bộ thôn Mường Hum"
    assert placement_on(tree.cell_a1, dt.date(2025, 7, 2)).name == "Chi bộ bản Mường Hum"
    assert unit_history(tree.cell_a1).renames == [reorg]
    assert (
        AuditEntry.objects.for_object(tree.cell_a1)
        .filter(action="update", actor=manager_a)
        .exists()
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"new_name": ""}, "new_name"),
        ({"new_name": "Chi bộ thôn Mường Hum"}, "new_name"),
        ({"effective_date": dt.date(2010, 1, 1)}, "effective_date"),
        ({"decision_date": None}, "decision_date"),
    ],
)
def test_rename_refusals_write_nothing(tree, overrides, field):
    before = snapshot_counts()
    args = dict(unit=tree.cell_a1, new_name="Chi bộ mới", effective_date=EFFECTIVE, **DECISION)
    args.update(overrides)
    with pytest.raises(ValidationError) as info:
        unit_rename(actor=None, **args)
    assert field in info.value.message_dict
    assert snapshot_counts() == before


# --- move --------------------------------------------------------------------------------------


def test_move_updates_the_whole_subtree_and_keeps_the_past_tree(tree, manager_a):
    group = unit_create(
        actor=None,
        code="XA-1-G",
        name="Tổ đảng 1",
        kind=UnitKind.GROUP,
        parent=tree.cell_a1,
        valid_from=dt.date(2016, 1, 1),
    )
    district = unit_create(
        actor=None,
        code="H01",
        name="Huyện Bát Xát",
        kind=UnitKind.DISTRICT,
        parent=tree.province,
        valid_from=dt.date(2015, 1, 1),
    )
    # A move needs the manager's role where the unit lands too.
    RoleAssignment.objects.create(user=manager_a, unit=district, role=RoleAssignment.Role.MANAGER)
    reorg = unit_move(
        actor=manager_a,
        unit=tree.commune_a,
        new_parent=district,
        effective_date=EFFECTIVE,
        **DECISION,
    )
    for unit in (tree.commune_a, tree.cell_a1, tree.cell_a2, group):
        unit.refresh_from_db()
    assert tree.commune_a.parent == district
    assert (
        tree.commune_a.path == f"{district.path}{tree.commune_a.pk}/" and tree.commune_a.depth == 3
    )
    assert (
        group.path == f"{district.path}{tree.commune_a.pk}/{tree.cell_a1.pk}/{group.pk}/"
        and group.depth == 5
    )
    assert tree.cell_a2.depth == 4
    assert (
        reorg.details["new_parent_id"] == district.pk
        and reorg.details["old_parent_id"] == tree.province.pk
    )
    past = placement_on(group, dt.date(2024, 1, 1))
    assert past.path == f"{tree.province.path}{tree.commune_a.pk}/{tree.cell_a1.pk}/{group.pk}/"
    assert placement_on(group, EFFECTIVE).path == group.path
    assert [u.pk for u in unit_ancestors(group)] == [
        tree.root.pk,
        tree.province.pk,
        district.pk,
        tree.commune_a.pk,
        tree.cell_a1.pk,
    ]
    assert {
        p.unit_id
        for p in tree_as_of(dt.date(2024, 1, 1), under=f"{tree.province.path}{tree.commune_a.pk}/")
    } == {tree.cell_a1.pk, tree.cell_a2.pk, tree.commune_a.pk, group.pk}
    assert unit_history(tree.commune_a).moves == [reorg]
    assert (
        AuditEntry.objects.for_object(tree.commune_a)
        .filter(action="update", actor=manager_a)
        .exists()
    )


@pytest.mark.parametrize(
    ("target", "field", "text"),
    [
        ("self", "new_parent", "cycle"),
        ("cell_a1", "new_parent", "cycle"),
        ("province", "new_parent", "already under"),
        ("commune_b", "new_parent", "cannot be placed"),
        ("closed", "new_parent", "closed"),
    ],
)
def test_move_refusals_write_nothing(tree, target, field, text):
    closed = unit_create(
        actor=None,
        code="H99",
        name="Huyện cũ",
        kind=UnitKind.DISTRICT,
        parent=tree.province,
        valid_from=dt.date(2015, 1, 1),
    )
    Unit.objects.filter(pk=closed.pk).update(valid_to=dt.date(2020, 1, 1))
    units = {
        "self": tree.commune_a,
        "cell_a1": tree.cell_a1,
        "province": tree.province,
        "commune_b": tree.commune_b,
        "closed": Unit.objects.get(pk=closed.pk),
    }
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_move(
            actor=None,
            unit=tree.commune_a,
            new_parent=units[target],
            effective_date=EFFECTIVE,
            **DECISION,
        )
    assert text in info.value.message_dict[field][0]
    assert snapshot_counts() == before


# --- dissolve ----------------------------------------------------------------------------------


def test_dissolve_closes_an_empty_unit(tree, manager_a):
    reorg = unit_dissolve(actor=manager_a, unit=tree.cell_a2, effective_date=EFFECTIVE, **DECISION)
    tree.cell_a2.refresh_from_db()
    assert tree.cell_a2.valid_to == EFFECTIVE and reorg.unit == tree.cell_a2
    assert not UnitPlacement.objects.filter(unit=tree.cell_a2, valid_to__isnull=True).exists()
    assert AuditEntry.objects.for_object(reorg).get().actor == manager_a


def test_dissolve_is_refused_while_members_or_open_units_remain(tree):
    admit(tree.cell_a1, "Lò Văn Một")
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_dissolve(actor=None, unit=tree.cell_a1, effective_date=EFFECTIVE, **DECISION)
    assert "1 member" in info.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as info:
        unit_dissolve(actor=None, unit=tree.commune_b, effective_date=EFFECTIVE, **DECISION)
    assert "open unit" in info.value.message_dict["unit"][0]
    with pytest.raises(ValidationError):
        unit_dissolve(actor=None, unit=tree.commune_a, effective_date=EFFECTIVE, **DECISION)
    assert snapshot_counts() == before


def test_dissolve_is_refused_while_a_candidate_waits_in_the_pipeline(tree):
    from grassroots.members.services import candidate_drop

    candidate = propose(tree.cell_a2, "Lò Thị Chờ")
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_dissolve(actor=None, unit=tree.cell_a2, effective_date=EFFECTIVE, **DECISION)
    assert (
        "1 candidate in the admission pipeline: admit or drop them first"
        in info.value.message_dict["unit"][0]
    )
    assert snapshot_counts() == before
    candidate_drop(actor=None, candidate=candidate, reason="Không đủ điều kiện")
    unit_dissolve(actor=None, unit=tree.cell_a2, effective_date=EFFECTIVE, **DECISION)


def test_a_dissolved_unit_cannot_be_dissolved_again(tree):
    unit_dissolve(actor=None, unit=tree.cell_a2, effective_date=EFFECTIVE, **DECISION)
    with pytest.raises(ValidationError) as info:
        unit_dissolve(actor=None, unit=tree.cell_a2, effective_date=dt.date(2025, 8, 1), **DECISION)
    assert "already closed" in info.value.message_dict["unit"][0]


# --- create and update -------------------------------------------------------------------------


def test_update_corrects_the_place_and_is_audited_while_the_name_waits_for_a_rename(tree, editor_a):
    unit_update(
        actor=editor_a, unit=tree.cell_a1, name="Chi bộ thôn Mường Hum ", address="Bản Mường Hum"
    )
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.name == "Chi bộ thôn Mường Hum" and tree.cell_a1.address == "Bản Mường Hum"
    assert placement_on(tree.cell_a1, dt.date(2016, 1, 1)).name == "Chi bộ thôn Mường Hum"
    assert (
        AuditEntry.objects.for_object(tree.cell_a1).filter(action="update", actor=editor_a).count()
        == 1
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "XB-1"}, "code"),
        ({"code": " "}, "code"),
        ({"name": ""}, "name"),
        ({"kind": "cell"}, "kind"),
        ({"cell_subtype": "school", "code": "ZZ"}, "cell_subtype"),
    ],
)
def test_update_refusals_write_nothing(tree, fields, field):
    unit = tree.commune_a if "cell_subtype" in fields else tree.cell_a1
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_update(actor=None, unit=unit, **fields)
    assert field in info.value.message_dict
    assert snapshot_counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "XA-1"}, "code"),
        ({"name": ""}, "name"),
        ({"kind": UnitKind.GRASSROOTS}, "kind"),
        ({"valid_from": dt.date(2000, 1, 1)}, "valid_from"),
        ({"cell_subtype": "bogus", "kind": UnitKind.GROUP, "parent": "cell"}, "cell_subtype"),
    ],
)
def test_create_refusals_write_nothing(tree, overrides, field):
    args = dict(
        code="XA-9",
        name="Chi bộ chín",
        kind=UnitKind.CELL,
        parent=tree.commune_a,
        valid_from=dt.date(2020, 1, 1),
    )
    args.update(overrides)
    if args.get("parent") == "cell":
        args["parent"] = tree.cell_a1
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        unit_create(actor=None, **args)
    assert field in info.value.message_dict
    assert snapshot_counts() == before


# --- a former member's period past the effective date ----------------------------------------


def _left_after_the_effective_date(tree):
    """A member of cell A1 removed on 15/08/2025, recorded before a change of the cell dated
    1/7/2025: the period in the cell reaches past the change's effective date."""
    from grassroots.members.services import member_remove

    member = admit(tree.cell_a1, "Lò Văn Rời")
    member_remove(actor=None, member=member, date=dt.date(2025, 8, 15), reason="Bỏ sinh hoạt")


@pytest.mark.parametrize("change", ["merge", "split", "dissolve"])
def test_a_change_closing_a_unit_is_refused_before_a_former_members_period_there_ended(
    tree, change
):
    from grassroots.reorganizations.services import unit_merge

    _left_after_the_effective_date(tree)
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        if change == "merge":
            unit_merge(
                actor=None,
                sources=[tree.cell_a1, tree.cell_a2],
                effective_date=EFFECTIVE,
                new_code="XA-M",
                new_name="Chi bộ mới",
                **DECISION,
            )
        elif change == "split":
            unit_split(
                actor=None,
                source=tree.cell_a1,
                effective_date=EFFECTIVE,
                parts=[
                    {"code": "XA-1A", "name": "Chi bộ 1"},
                    {"code": "XA-1B", "name": "Chi bộ 2"},
                ],
                **DECISION,
            )
        else:
            unit_dissolve(actor=None, unit=tree.cell_a1, effective_date=EFFECTIVE, **DECISION)
    message = info.value.message_dict["effective_date"][0]
    assert tree.cell_a1.name in message and "15/08/2025" in message
    assert snapshot_counts() == before
    # From the day the period ended, the change is accepted.
    if change == "dissolve":
        unit_dissolve(
            actor=None, unit=tree.cell_a1, effective_date=dt.date(2025, 8, 15), **DECISION
        )
        tree.cell_a1.refresh_from_db()
        assert tree.cell_a1.valid_to == dt.date(2025, 8, 15)


def test_every_place_keeps_its_units_kind_through_moves_renames_and_splits(tree):
    """The cells of a past day are counted from each place's copy of its unit's kind."""
    from django.db.models import F

    admit(tree.cell_a1, "Lò Văn Một")
    unit_move(
        actor=None,
        unit=tree.cell_a2,
        new_parent=tree.commune_b,
        effective_date=EFFECTIVE,
        **DECISION,
    )
    unit_rename(
        actor=None, unit=tree.commune_b, new_name="Xã mới", effective_date=EFFECTIVE, **DECISION
    )
    assert UnitPlacement.objects.filter(unit=tree.cell_a2).count() == 2
    assert UnitPlacement.objects.count() > Unit.objects.count()
    assert not UnitPlacement.objects.exclude(unit_kind=F("unit__kind")).exists()
    assert set(
        UnitPlacement.objects.filter(unit__in=[tree.cell_a2, tree.commune_b]).values_list(
            "unit_kind", flat=True
        )
    ) == {UnitKind.CELL, tree.commune_b.kind}
