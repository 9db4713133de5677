"""Sweep entries for the reorganization pages and API (see grassroots/core/testing/routes.py)."""

import datetime as dt

from grassroots.core.testing.routes import ALLOWED, MANAGE, VIEW, Call, api, form

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows


def commune_a(w):
    return Call({"pk": w.tree.commune_a.pk})


def cell_a1(w):
    return Call({"pk": w.tree.cell_a1.pk})


def reorganization(w):
    """A past renaming of cell A2, as the reorganization record to read."""
    from grassroots.reorganizations.services import unit_rename

    def build():
        return unit_rename(
            actor=None,
            unit=w.tree.cell_a2,
            new_name="Chi bộ Trường Tiểu học số 1",
            effective_date=dt.date(2024, 1, 1),
            decision_number="5-QĐ/ĐU",
            decision_date=dt.date(2023, 12, 20),
            issuer="Đảng ủy xã",
        )

    return w.once("reorganization", build)


ROUTES = [
    form("reorganizations:unit_merge", commune_a, MANAGE),
    form("reorganizations:unit_split", cell_a1, MANAGE),
    form("reorganizations:unit_rename", cell_a1, MANAGE),
    form("reorganizations:unit_move", cell_a1, MANAGE),
    form("reorganizations:unit_dissolve", cell_a1, MANAGE),
    api(
        "reorganization-list",
        lambda w: Call(
            data={
                "kind": "rename",
                "dry_run": True,
                "unit": w.tree.cell_a1.pk,
                "new_name": "Chi bộ bản",
                "effective_date": "2025-07-01",
                "decision_number": "15-QĐ/TU",
                "decision_date": "2025-06-20",
                "issuer": "Ban Thường vụ Tỉnh ủy",
            }
        ),
        get=VIEW,
        post=MANAGE,
        expect=OUTSIDER_LISTS,
    ),
    api("reorganization-detail", lambda w: Call({"pk": reorganization(w).pk}), get=VIEW),
]
