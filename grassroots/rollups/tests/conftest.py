"""The country of the roll-up tests: the persona tree plus a second province."""

import datetime as dt

import pytest

from grassroots.organizations import services as org
from grassroots.organizations.choices import CellSubtype, UnitKind


@pytest.fixture
def country(tree):
    """The persona tree plus a second province with one commune and cell."""
    province_2 = org.unit_create(
        actor=None,
        code="T02",
        name="Tỉnh Hai",
        kind=UnitKind.PROVINCE,
        parent=tree.root,
        valid_from=dt.date(2015, 1, 1),
    )
    commune_c = org.unit_create(
        actor=None,
        code="XC",
        name="Xã Cao",
        kind=UnitKind.GRASSROOTS,
        parent=province_2,
        valid_from=dt.date(2015, 1, 1),
    )
    cell_c1 = org.unit_create(
        actor=None,
        code="XC-1",
        name="Chi bộ thôn Cao",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=commune_c,
        valid_from=dt.date(2015, 1, 1),
    )
    tree.province_2, tree.commune_c, tree.cell_c1 = province_2, commune_c, cell_c1
    tree.cells = [tree.cell_a1, tree.cell_a2, tree.cell_b1, cell_c1]
    return tree
