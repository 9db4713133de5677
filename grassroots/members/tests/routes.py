"""Sweep entries for the member pages and API (see grassroots/core/testing/routes.py)."""

import datetime as dt

from django.utils import timezone

from grassroots.core.testing.routes import ALLOWED, CHANGE, VIEW, Call, api, form, page

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows
TODAY = timezone.localdate()


def member(w):
    """A probationary member of cell A1."""
    from grassroots.members.tests.page_helpers import admit

    return w.once("member", lambda: admit(w.tree.cell_a1, full_name="Lò Văn Quét"))


def candidate(w):
    from grassroots.members.services import candidate_propose

    return w.once(
        "candidate",
        lambda: candidate_propose(
            actor=None,
            unit=w.tree.cell_a1,
            full_name="Vàng A Dình",
            gender="male",
            birth_date=dt.date(2000, 1, 1),
            ethnicity="mong",
            proposed_by="youth_union",
            proposed_on=TODAY - dt.timedelta(days=200),
        ),
    )


def member_pk(w):
    return Call({"pk": member(w).pk})


def candidate_pk(w):
    return Call({"pk": candidate(w).pk})


def cell_a1_query(w):
    return Call(query={"unit": w.tree.cell_a1.pk})


def event_pk(w):
    return Call({"pk": member(w).events.order_by("pk").first().pk})


ROUTES = [
    page("members:member_list", cell_a1_query),
    page("members:member_export", cell_a1_query),
    form("members:member_admit", cell_a1_query),
    form(
        "members:member_import",
        cell_a1_query,
        note="an import needs a change role somewhere, then the unit of the query",
    ),
    page("members:import_template", cell_a1_query, CHANGE),
    page("members:candidate_board", cell_a1_query),
    form("members:candidate_propose", cell_a1_query),
    form("members:candidate_advance", candidate_pk),
    form("members:candidate_drop", candidate_pk),
    form("members:candidate_admit", candidate_pk),
    page("members:unit_stats", lambda w: Call({"unit_id": w.tree.commune_a.pk})),
    page("members:unit_stats_export", lambda w: Call({"unit_id": w.tree.commune_a.pk})),
    page("members:member_detail", member_pk),
    form("members:member_edit", member_pk),
    form("members:member_recognize", member_pk),
    form("members:member_transfer_out", member_pk),
    form("members:member_transfer_in", member_pk),
    form("members:member_temporary_arrival", member_pk),
    form("members:member_temporary_return", member_pk),
    form("members:member_discipline", member_pk),
    form("members:member_remove", member_pk),
    form("members:member_death", member_pk),
    form("members:member_readmit", member_pk),
    api(
        "member-list",
        lambda w: Call(
            data={
                "unit": w.tree.cell_a1.pk,
                "full_name": "Lò Thị Mới",
                "gender": "female",
                "birth_date": "1998-04-12",
                "ethnicity": "thai",
                "decision_date": (TODAY - dt.timedelta(days=10)).isoformat(),
                "ceremony_date": (TODAY - dt.timedelta(days=3)).isoformat(),
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api(
        "member-detail",
        lambda w: Call({"pk": member(w).pk}, data={"occupation": "Giáo viên"}),
        get=VIEW,
        patch=CHANGE,
    ),
    api(
        "member-events",
        lambda w: Call({"pk": member(w).pk}, data={"kind": "death", "date": TODAY.isoformat()}),
        get=VIEW,
        post=CHANGE,
    ),
    api("member-event-list", get=VIEW, scoped=False),
    api("member-event-detail", event_pk, get=VIEW),
    api(
        "candidate-list",
        lambda w: Call(
            data={
                "unit": w.tree.cell_a1.pk,
                "full_name": "Sần Thị Mai",
                "gender": "female",
                "birth_date": "2000-02-02",
                "ethnicity": "ha_nhi",
                "proposed_by": "cell",
                "proposed_on": (TODAY - dt.timedelta(days=30)).isoformat(),
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("candidate-detail", candidate_pk, get=VIEW),
    api(
        "candidate-advance",
        lambda w: Call(
            {"pk": candidate(w).pk}, data={"stage": "course_completed", "date": TODAY.isoformat()}
        ),
        post=CHANGE,
    ),
    api(
        "candidate-drop",
        lambda w: Call({"pk": candidate(w).pk}, data={"reason": "Chuyển đi nơi khác"}),
        post=CHANGE,
    ),
    api("candidate-admit", candidate_pk, post=CHANGE),
    api("unit-stats-detail", lambda w: Call({"pk": w.tree.commune_a.pk}), get=VIEW),
]
