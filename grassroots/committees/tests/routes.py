"""Sweep entries for the committee pages and API (see grassroots/core/testing/routes.py)."""

from grassroots.committees.services import committee_create, seat_add, term_get_or_create
from grassroots.core.testing.routes import ALLOWED, CHANGE, VIEW, Call, api, form, page

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows


def commune_a(w):
    return Call({"pk": w.tree.commune_a.pk})


def committee(w):
    def build():
        term = term_get_or_create(start_year=2020, end_year=2025)
        return committee_create(
            actor=None, unit=w.tree.commune_a, term=term, kind="executive", elected_size=5
        )

    return w.once("committee", build)


def seat(w):
    return w.once(
        "seat",
        lambda: seat_add(
            actor=None, committee=committee(w), person_name="Lò Văn Khách", position="member"
        ),
    )


ROUTES = [
    page("committees:unit_committee", commune_a),
    form("committees:committee_create", commune_a, CHANGE),
    form("committees:committee_edit", lambda w: Call({"pk": committee(w).pk}), CHANGE),
    form("committees:seat_add", lambda w: Call({"pk": committee(w).pk}), CHANGE),
    form("committees:seat_end", lambda w: Call({"pk": seat(w).pk}), CHANGE),
    api(
        "committee-list",
        lambda w: Call(
            data={
                "unit": w.tree.commune_a.pk,
                "term_start_year": 2020,
                "term_end_year": 2025,
                "kind": "standing",
                "elected_size": 3,
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("committee-detail", lambda w: Call({"pk": committee(w).pk}), get=VIEW, patch=CHANGE),
    api(
        "committee-seat-list",
        lambda w: Call(
            data={"committee": committee(w).pk, "person_name": "Lò Văn Khách", "position": "member"}
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("committee-seat-detail", lambda w: Call({"pk": seat(w).pk}), get=VIEW),
    api(
        "committee-seat-end",
        lambda w: Call({"pk": seat(w).pk}, data={"to_date": "2024-01-01"}),
        post=CHANGE,
    ),
]
