"""The demo's inspections are recorded through the services and the board computes the
figures they were built for (here on a small bloc; the full demo builds Hà Giang's with 294
organizations, 959 members, 891 of 934)."""

import datetime as dt
from decimal import Decimal

from grassroots.inspections import demo
from grassroots.inspections.models import Inspection, InspectionPlan
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.services import unit_create

from .helpers import admit_on


def test_the_bloc_figures_are_computed_from_the_records_built(tree, admin_user):
    start = dt.date(2015, 1, 1)

    def unit(code, kind, parent):
        return unit_create(
            actor=None, code=code, name=f"Đơn vị {code}", kind=kind, parent=parent, valid_from=start
        )

    bloc = unit("KCQ", UnitKind.BLOC, tree.province)
    committee = unit("KCQ-SYT", UnitKind.GRASSROOTS, bloc)
    cells = [unit(f"KCQ-SYT-{n}", UnitKind.CELL, committee) for n in (1, 2)]
    own_cell = unit("KCQ-STP", UnitKind.GRASSROOTS_CELL, bloc)
    for n, cell in enumerate([*cells, *cells, own_cell, own_cell, own_cell, *cells, *cells]):
        admit_on(cell, f"Đảng viên {n}", day=dt.date(2019, 3, 4) + dt.timedelta(days=n))

    figures = demo.Figures(planned=12, carried_out=10, organizations=4, members=8)
    demo.build(bloc, figures=figures, log=lambda m: None)

    got = demo.bloc_figures(bloc, admin_user)
    assert (got["planned"], got["carried_out"], got["organizations"], got["members"]) == (
        12,
        10,
        4,
        8,
    )
    assert got["rate"] == Decimal("83.3") and got["distinct_members"] == 8
    assert not Inspection.objects.filter(concluded_on__isnull=True).exists()
    assert set(InspectionPlan.objects.values_list("year", flat=True)) <= {2020, 2021, 2022, 2023}
    assert demo.bloc_figures(tree.commune_a, admin_user)["planned"] == 0


def test_the_demo_says_so_when_the_bloc_is_not_in_the_tree(db):
    assert "not in the tree" in demo.load_demo(log=lambda m: None)
