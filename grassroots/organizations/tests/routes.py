"""Sweep entries for the unit register's pages and API (see grassroots/core/testing/routes.py)."""

from grassroots.core.testing.routes import (
    ALLOWED,
    CHANGE,
    MANAGE,
    VIEW,
    Call,
    api,
    form,
    page,
)

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows


def commune_a(w):
    return Call({"pk": w.tree.commune_a.pk})


def cell_a1(w):
    return Call({"pk": w.tree.cell_a1.pk})


ROUTES = [
    page("organizations:tree", scoped=False),
    page("organizations:unit_detail", commune_a),
    page("organizations:unit_children", commune_a),
    page("organizations:unit_cells", commune_a),
    page("organizations:unit_history", commune_a),
    page("organizations:unit_audit", commune_a),
    page("organizations:unit_below_minimum", commune_a),
    form("organizations:unit_create", commune_a, MANAGE),
    form("organizations:unit_edit", cell_a1, CHANGE),
    api(
        "unit-list",
        lambda w: Call(
            data={
                "code": "XA-9",
                "name": "Chi bộ mới",
                "kind": "cell",
                "parent": w.tree.commune_a.pk,
                "valid_from": "2020-01-01",
            }
        ),
        get=VIEW,
        post=MANAGE,
        expect=OUTSIDER_LISTS,
    ),
    api("unit-detail", cell_a1, get=VIEW, patch=CHANGE),
    api("unit-children", commune_a, get=VIEW),
    api("unit-below-minimum", commune_a, get=VIEW),
]
