"""Typed figures carried across a split: each part stands for the share of the unit split that
the split recorded, so that the parts add up to it and nothing is counted twice."""

import datetime as dt
from decimal import Decimal

from grassroots.members.tests.ledger_helpers import admit
from grassroots.organizations.models import Unit
from grassroots.reorganizations.services import unit_split
from grassroots.targets.choices import Aggregation
from grassroots.targets.selectors import indicator_value

from .core_helpers import approved, indicator

EFFECTIVE = dt.date(2025, 7, 1)
DECISION = {
    "decision_number": "88-QĐ/TU",
    "decision_date": dt.date(2025, 6, 16),
    "issuer": "Tỉnh ủy",
}


def value(ind, unit, period):
    return indicator_value(indicator=ind, unit=unit, period=period)


def test_the_parts_of_a_split_add_up_to_the_figure_of_the_unit_split_by_their_recorded_shares(
    tree, admin_user
):
    grain = indicator("ECO-GRAIN", measure_unit="tấn")
    schools = indicator("SOC-SCHOOLS", measure_unit="%", aggregation=Aggregation.RATIO)
    approved(grain, tree.cell_a1, "2024", "300", actor=admin_user)
    approved(schools, tree.cell_a1, "2024", numerator=3, denominator=4, actor=admin_user)
    one, two, three = (
        admit(tree.cell_a1, full_name=name) for name in ("Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba")
    )
    unit_split(
        actor=None,
        source=tree.cell_a1,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {"code": "XA-1A", "name": "Chi bộ thôn Mường Hum 1", "members": [one, two]},
            {"code": "XA-1B", "name": "Chi bộ thôn Mường Hum 2", "members": [three]},
        ],
    )
    first, second = Unit.objects.get(code="XA-1A"), Unit.objects.get(code="XA-1B")
    shares = value(grain, first, "2024"), value(grain, second, "2024")
    assert shares == (Decimal("200.0001"), Decimal("99.9999"))
    assert sum(shares) == value(grain, tree.cell_a1, "2024") == Decimal(300)
    # A ratio is not a quantity to share out: each part keeps the rate of the unit it came from.
    assert value(schools, first, "2024") == value(schools, second, "2024") == Decimal("75.0000")
    # Above, the commune of that year still holds the cell once.
    assert value(grain, tree.commune_a, "2024") == Decimal(300)


def test_the_parts_of_a_commune_split_share_its_figures_by_the_members_of_the_cells_they_took(
    tree, admin_user
):
    grain = indicator("ECO-GRAIN", measure_unit="tấn")
    approved(grain, tree.commune_a, "2024", "500", actor=admin_user)
    for name in ("Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba"):
        admit(tree.cell_a1, full_name=name)
    admit(tree.cell_a2, full_name="Lò Văn Bốn")
    unit_split(
        actor=None,
        source=tree.commune_a,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {"code": "XA-N", "name": "Xã Mường Hum Bắc", "cells": [tree.cell_a1]},
            {"code": "XA-S", "name": "Xã Mường Hum Nam", "cells": [tree.cell_a2]},
        ],
    )
    north, south = Unit.objects.get(code="XA-N"), Unit.objects.get(code="XA-S")
    assert [link.share for link in tree.commune_a.successor_links.order_by("successor__code")] == [
        Decimal("0.750000"),
        Decimal("0.250000"),
    ]
    assert (value(grain, north, "2024"), value(grain, south, "2024")) == (
        Decimal(375),
        Decimal(125),
    )
    assert value(grain, north, "2024") + value(grain, south, "2024") == value(
        grain, tree.commune_a, "2024"
    )


def test_a_part_of_a_split_without_a_recorded_share_carries_no_figure_rather_than_all_of_it(
    tree, admin_user
):
    grain = indicator("ECO-GRAIN", measure_unit="tấn")
    approved(grain, tree.commune_a, "2024", "500", actor=admin_user)
    # No member anywhere under the commune: no share can be worked out.
    unit_split(
        actor=None,
        source=tree.commune_a,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {"code": "XA-N", "name": "Xã Mường Hum Bắc", "cells": [tree.cell_a1]},
            {"code": "XA-S", "name": "Xã Mường Hum Nam", "cells": [tree.cell_a2]},
        ],
    )
    assert value(grain, Unit.objects.get(code="XA-N"), "2024") is None
    assert value(grain, Unit.objects.get(code="XA-S"), "2024") is None
    assert value(grain, tree.commune_a, "2024") == Decimal(500)
