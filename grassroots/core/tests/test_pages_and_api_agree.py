"""Pages and API agree: for every write a page offers, the role the page requires is the role
the API requires. For each (page, API route, action) and each persona, both refuse or both
allow. The page is asked for its form (the role is checked before it renders); a write offered
by a button with no form of its own (the data-entry grid, a figure's submit, approve, return or
reopen, adopting a review) is posted, as HTMX, inside a savepoint rolled back afterwards so
that the API meets the same state. The API is asked to do the write (a dry run for
reorganizations); a validation error of the service still means the caller was let in, while
403, 404, a unit "not found" in the body and a redirect to the login page mean refused."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.members import services as member_services
from grassroots.members.tests import page_helpers
from grassroots.reorganizations.tests.helpers import admit
from grassroots.targets import services as target_services
from grassroots.targets.tests.core_helpers import indicator, resolution, target

JSON = "application/json"
DECISION = {
    "effective_date": "2025-07-01",
    "decision_number": "15-QĐ/TU",
    "decision_date": "2025-06-20",
    "issuer": "Ban Thường vụ Tỉnh ủy",
}


def _committee(tree):
    from grassroots.committees.services import committee_create, term_get_or_create

    term = term_get_or_create(start_year=2020, end_year=2025)
    return committee_create(
        actor=None, unit=tree.commune_a, term=term, kind="executive", elected_size=5
    )


TODAY = timezone.localdate()


def _official(unit, name: str = "Lò Văn Hai"):
    """An official member of `unit`: admitted two years ago, recognized after probation."""
    member = page_helpers.admit(unit, full_name=name)
    member_services.member_recognize(
        actor=None, member=member, decision_date=TODAY - dt.timedelta(days=20)
    )
    member.refresh_from_db()
    return member


def _on_the_way(tree, mode: str):
    """A member of cell B1 sent to cell A1 of commune A: officially (in transit, the arrival
    for cell A1 to record) or for a while (the temporary arrival for cell A1 to record)."""
    member = page_helpers.admit(tree.cell_b1, full_name="Lò Văn Đến")
    member_services.member_transfer_out(
        actor=None,
        member=member,
        to_unit=tree.cell_a1,
        date=TODAY - dt.timedelta(days=5),
        mode=mode,
        until=TODAY + dt.timedelta(days=100) if mode == "temporary" else None,
    )
    member.refresh_from_db()
    return member


def _removed(tree):
    """A member of cell A1 removed four years ago: readmission is open."""
    decision = page_helpers.years_ago(8)
    member = page_helpers.admit(
        tree.cell_a1,
        full_name="Lò Văn Về",
        decision_date=decision,
        ceremony_date=decision + dt.timedelta(days=7),
    )
    member_services.member_remove(
        actor=None, member=member, date=page_helpers.years_ago(4), reason="Bỏ sinh hoạt"
    )
    member.refresh_from_db()
    return member


def _candidate(tree, voted: bool = False):
    """A candidate of cell A1, proposed; or voted by the cell, so that admission is open."""
    candidate = member_services.candidate_propose(
        actor=None,
        unit=tree.cell_a1,
        full_name="Vàng A Dình",
        gender="male",
        birth_date=dt.date(2000, 1, 1),
        ethnicity="mong",
        proposed_by="youth_union",
        proposed_on=TODAY - dt.timedelta(days=200),
    )
    if not voted:
        return candidate
    first, second = (_official(tree.cell_a1, f"Giới thiệu {i}") for i in (1, 2))
    steps = [
        ("course_completed", 150, {}),
        ("application_filed", 120, {}),
        ("introducers_assigned", 110, {"introducer_1": first, "introducer_2": second}),
        ("cell_voted", 100, {"votes_for": 2, "votes_total": 2}),
    ]
    for stage, days, extra in steps:
        member_services.candidate_advance(
            actor=None,
            candidate=candidate,
            stage=stage,
            date=TODAY - dt.timedelta(days=days),
            **extra,
        )
    candidate.refresh_from_db()
    return candidate


def _seat(tree):
    from grassroots.committees.services import seat_add

    return seat_add(
        actor=None, committee=_committee(tree), person_name="Lò Văn Khách", position="member"
    )


def _event(member, kind: str, **fields):
    return (f"/api/v1/members/{member.pk}/events/", {"kind": kind, **fields})


# The period the data-entry grid opens on: the year just past.
LAST_YEAR = timezone.localdate().year - 1


def _plan(tree):
    """A resolution of commune A in force over the grid's period, with one target on an
    indicator entered by hand: the grid of cell A1 shows its row."""
    res = resolution(tree.commune_a, end_year=max(2025, LAST_YEAR))
    ind = indicator("ECO-ROADS")
    return res, ind, target(res, ind)


def _figure(tree, state: str):
    """A figure of cell A1 for the grid's period in `state`. The system enters and submits it
    (an import) and the administrator approves it, so that no persona entered it: under
    "approval_by_other_person" a manager of commune A may approve it."""
    _res, ind, _target = _plan(tree)
    value = target_services.data_value_save(
        actor=None, indicator=ind, unit=tree.cell_a1, period=str(LAST_YEAR), value=12
    )
    if state in ("submitted", "approved"):
        value = target_services.data_value_submit(actor=None, value=value)
    if state == "approved":
        value = target_services.data_value_approve(
            actor=User.objects.get(username="admin"), value=value
        )
    return value


def query(**params) -> tuple[str, dict]:
    """The page's form is asked for under this query string."""
    return ("get", params)


def posted(**data) -> tuple[str, dict]:
    """The page has no form to ask for: it is asked to do the write itself."""
    return ("post", data)


def _figure_action(verb: str, state: str, body: dict | None = None):
    def build(tree):
        value = _figure(tree, state)
        return (
            "targets:value_action",
            [value.pk, verb],
            "post",
            f"/api/v1/data-values/{value.pk}/{verb}/",
            body or {},
            posted(**(body or {})),
        )

    return build


END = {
    "status": "ended",
    "ended_on": "2024-01-01",
    "decision_number": "30-QĐ/ĐU",
    "decision_date": "2024-01-01",
    "decision_issuer": "Ban Thường vụ Đảng ủy xã",
}
REASON = {"reason": "Số liệu chưa khớp với báo cáo của thôn"}

# (name, page url name, page args, API method, API url, API body[, page request]) — each built
# from the tree; without a page request the page's form is asked for.
WRITES = {
    "unit create": lambda t: (
        "organizations:unit_create",
        [t.commune_a.pk],
        "post",
        "/api/v1/units/",
        {
            "code": "XA-9",
            "name": "Chi bộ mới",
            "kind": "cell",
            "parent": t.commune_a.pk,
            "valid_from": "2020-01-01",
        },
    ),
    "unit edit": lambda t: (
        "organizations:unit_edit",
        [t.cell_a1.pk],
        "patch",
        f"/api/v1/units/{t.cell_a1.pk}/",
        {"address": "Bản Mường Hum"},
    ),
    "merge": lambda t: (
        "reorganizations:unit_merge",
        [t.commune_a.pk],
        "post",
        "/api/v1/reorganizations/",
        {
            **DECISION,
            "kind": "merge",
            "dry_run": True,
            "sources": [t.cell_a1.pk, t.cell_a2.pk],
            "new_code": "XA-M",
            "new_name": "Chi bộ mới",
        },
    ),
    "split": lambda t: (
        "reorganizations:unit_split",
        [t.cell_a1.pk],
        "post",
        "/api/v1/reorganizations/",
        {
            **DECISION,
            "kind": "split",
            "dry_run": True,
            "source": t.cell_a1.pk,
            "parts": [{"code": "XA-1A", "name": "Một"}, {"code": "XA-1B", "name": "Hai"}],
        },
    ),
    "rename": lambda t: (
        "reorganizations:unit_rename",
        [t.cell_a1.pk],
        "post",
        "/api/v1/reorganizations/",
        {
            **DECISION,
            "kind": "rename",
            "dry_run": True,
            "unit": t.cell_a1.pk,
            "new_name": "Chi bộ bản",
        },
    ),
    "move": lambda t: (
        "reorganizations:unit_move",
        [t.cell_a1.pk],
        "post",
        "/api/v1/reorganizations/",
        {
            **DECISION,
            "kind": "move",
            "dry_run": True,
            "unit": t.cell_a1.pk,
            "new_parent": t.commune_a.pk,
        },
    ),
    "dissolve": lambda t: (
        "reorganizations:unit_dissolve",
        [t.cell_a2.pk],
        "post",
        "/api/v1/reorganizations/",
        {**DECISION, "kind": "dissolve", "dry_run": True, "unit": t.cell_a2.pk},
    ),
    "committee create": lambda t: (
        "committees:committee_create",
        [t.commune_a.pk],
        "post",
        "/api/v1/committees/",
        {
            "unit": t.commune_a.pk,
            "term_start_year": 2020,
            "term_end_year": 2025,
            "kind": "standing",
            "elected_size": 3,
        },
    ),
    "committee edit": lambda t: (
        lambda c: (
            "committees:committee_edit",
            [c.pk],
            "patch",
            f"/api/v1/committees/{c.pk}/",
            {"elected_size": 7},
        )
    )(_committee(t)),
    "seat add": lambda t: (
        lambda c: (
            "committees:seat_add",
            [c.pk],
            "post",
            "/api/v1/committee-seats/",
            {"committee": c.pk, "person_name": "Lò Văn Khách", "position": "member"},
        )
    )(_committee(t)),
    "member edit": lambda t: (
        lambda m: (
            "members:member_edit",
            [m.pk],
            "patch",
            f"/api/v1/members/{m.pk}/",
            {"occupation": "Giáo viên"},
        )
    )(admit(t.cell_a1, "Lò Văn Một")),
    "member admit": lambda t: (
        "members:member_admit",
        [],
        "post",
        "/api/v1/members/",
        {
            "unit": t.cell_a1.pk,
            "full_name": "Lò Thị Mới",
            "gender": "female",
            "birth_date": "1998-04-12",
            "ethnicity": "thai",
            "decision_date": (TODAY - dt.timedelta(days=10)).isoformat(),
            "ceremony_date": (TODAY - dt.timedelta(days=3)).isoformat(),
        },
        query(unit=t.cell_a1.pk),
    ),
    "member recognize": lambda t: (
        lambda m: (
            "members:member_recognize",
            [m.pk],
            "post",
            *_event(m, "recognize", decision_date=TODAY.isoformat()),
        )
    )(page_helpers.admit(t.cell_a1)),
    "member transfer out": lambda t: (
        lambda m: (
            "members:member_transfer_out",
            [m.pk],
            "post",
            *_event(m, "transfer_out", to_unit=t.cell_a2.pk, date=TODAY.isoformat()),
        )
    )(page_helpers.admit(t.cell_a1)),
    "member transfer in": lambda t: (
        lambda m: (
            "members:member_transfer_in",
            [m.pk],
            "post",
            *_event(m, "transfer_in", date=TODAY.isoformat()),
        )
    )(_on_the_way(t, "official")),
    "member temporary arrival": lambda t: (
        lambda m: (
            "members:member_temporary_arrival",
            [m.pk],
            "post",
            *_event(m, "temp_in", date=TODAY.isoformat()),
        )
    )(_on_the_way(t, "temporary")),
    "member discipline": lambda t: (
        lambda m: (
            "members:member_discipline",
            [m.pk],
            "post",
            *_event(
                m,
                "discipline",
                discipline_level="reprimand",
                date=TODAY.isoformat(),
                reason="Vi phạm quy định sinh hoạt",
            ),
        )
    )(_official(t.cell_a1)),
    "member remove": lambda t: (
        lambda m: (
            "members:member_remove",
            [m.pk],
            "post",
            *_event(m, "remove", date=TODAY.isoformat(), reason="Bỏ sinh hoạt"),
        )
    )(page_helpers.admit(t.cell_a1)),
    "member death": lambda t: (
        lambda m: (
            "members:member_death",
            [m.pk],
            "post",
            *_event(m, "death", date=TODAY.isoformat()),
        )
    )(page_helpers.admit(t.cell_a1)),
    "member readmit": lambda t: (
        lambda m: (
            "members:member_readmit",
            [m.pk],
            "post",
            *_event(
                m,
                "restore",
                unit=t.cell_a1.pk,
                decision_date=(TODAY - dt.timedelta(days=10)).isoformat(),
                ceremony_date=(TODAY - dt.timedelta(days=3)).isoformat(),
            ),
        )
    )(_removed(t)),
    "candidate propose": lambda t: (
        "members:candidate_propose",
        [],
        "post",
        "/api/v1/candidates/",
        {
            "unit": t.cell_a1.pk,
            "full_name": "Sần Thị Mai",
            "gender": "female",
            "birth_date": "2000-02-02",
            "ethnicity": "ha_nhi",
            "proposed_by": "cell",
            "proposed_on": (TODAY - dt.timedelta(days=30)).isoformat(),
        },
        query(unit=t.cell_a1.pk),
    ),
    "candidate advance": lambda t: (
        lambda c: (
            "members:candidate_advance",
            [c.pk],
            "post",
            f"/api/v1/candidates/{c.pk}/advance/",
            {"stage": "course_completed", "date": TODAY.isoformat()},
        )
    )(_candidate(t)),
    "candidate drop": lambda t: (
        lambda c: (
            "members:candidate_drop",
            [c.pk],
            "post",
            f"/api/v1/candidates/{c.pk}/drop/",
            {"reason": "Chuyển đi nơi khác"},
        )
    )(_candidate(t)),
    "candidate admit": lambda t: (
        lambda c: (
            "members:candidate_admit",
            [c.pk],
            "post",
            f"/api/v1/candidates/{c.pk}/admit/",
            {
                "decision_date": (TODAY - dt.timedelta(days=30)).isoformat(),
                "ceremony_date": (TODAY - dt.timedelta(days=25)).isoformat(),
            },
        )
    )(_candidate(t, voted=True)),
    "seat end": lambda t: (
        lambda s: (
            "committees:seat_end",
            [s.pk],
            "post",
            f"/api/v1/committee-seats/{s.pk}/end/",
            {"to_date": "2024-01-01"},
        )
    )(_seat(t)),
    "resolution create": lambda t: (
        "targets:resolution_create",
        [],
        "post",
        "/api/v1/resolutions/",
        {
            "unit": t.commune_a.pk,
            "number": "20-NQ/ĐU",
            "issued_on": "2021-03-01",
            "title": "Nghị quyết chuyên đề giao thông nông thôn",
            "kind": "thematic",
            "start_year": 2021,
            "end_year": 2025,
        },
        query(unit=t.commune_a.pk),
    ),
    "resolution edit": lambda t: (
        lambda r: (
            "targets:resolution_edit",
            [r.pk],
            "patch",
            f"/api/v1/resolutions/{r.pk}/",
            {"title": "Nghị quyết Đại hội (sửa)"},
        )
    )(resolution(t.commune_a)),
    "resolution end": lambda t: (
        lambda r: (
            "targets:resolution_end",
            [r.pk],
            "post",
            f"/api/v1/resolutions/{r.pk}/end/",
            END,
        )
    )(resolution(t.commune_a)),
    "target create": lambda t: (
        lambda r: (
            "targets:target_create",
            [r.pk],
            "post",
            "/api/v1/targets/",
            {
                "resolution": r.pk,
                "indicator": indicator("ECO-FARMS").code,
                "kind": "level",
                "target_value": 50,
                "target_year": 2025,
            },
        )
    )(resolution(t.commune_a)),
    "target edit": lambda t: (
        lambda g: (
            "targets:target_edit",
            [g.pk],
            "patch",
            f"/api/v1/targets/{g.pk}/",
            {"note": "Theo báo cáo của Ủy ban"},
        )
    )(_plan(t)[2]),
    "review adopt": lambda t: (
        lambda r: (
            "targets:review_adopt",
            [r.pk],
            "post",
            f"/api/v1/resolutions/{r.pk}/adopt-review/",
            {"kind": "mid_term", "as_of": "2023-06-30"},
            posted(kind="mid_term", as_of="30/06/2023"),
        )
    )(resolution(t.commune_a)),
    "figure save (row)": lambda t: (
        lambda ind: (
            "targets:entry_row",
            [t.cell_a1.pk, ind.pk],
            "post",
            "/api/v1/data-values/",
            {"indicator": ind.code, "unit": t.cell_a1.pk, "period": str(LAST_YEAR), "value": 12},
            posted(**{f"i{ind.pk}-value": "12"}),
        )
    )(_plan(t)[1]),
    "figure save (grid)": lambda t: (
        lambda ind: (
            "targets:data_entry",
            [t.cell_a1.pk],
            "post",
            "/api/v1/data-values/",
            {"indicator": ind.code, "unit": t.cell_a1.pk, "period": str(LAST_YEAR), "value": 12},
            posted(action="save", **{f"i{ind.pk}-value": "12"}),
        )
    )(_plan(t)[1]),
    "figure submit (grid)": lambda t: (
        lambda v: (
            "targets:data_entry",
            [t.cell_a1.pk],
            "post",
            f"/api/v1/data-values/{v.pk}/submit/",
            {},
            posted(action="submit"),
        )
    )(_figure(t, "draft")),
    "figure approve all (grid)": lambda t: (
        lambda v: (
            "targets:data_entry",
            [t.cell_a1.pk],
            "post",
            f"/api/v1/data-values/{v.pk}/approve/",
            {},
            posted(action="approve"),
        )
    )(_figure(t, "submitted")),
    "figure submit": _figure_action("submit", "draft"),
    "figure approve": _figure_action("approve", "submitted"),
    "figure return": _figure_action("return", "submitted", REASON),
    "figure reopen": _figure_action("reopen", "approved", REASON),
}


def refused(response) -> bool:
    if response.status_code == 302:
        return response.url.startswith(resolve_url(settings.LOGIN_URL))
    if response.status_code in (401, 403, 404):
        return True
    text = response.content.decode()
    return response.status_code == 400 and ("does not exist" in text or "Invalid pk" in text)


@pytest.mark.parametrize("persona", ["manager_a", "editor_a", "viewer_a", "outsider"])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_the_page_and_the_api_require_the_same_role_for_every_write(
    tree, personas, as_persona, write, persona
):
    page_name, page_args, method, api_url, body, *page_request = WRITES[write](tree)
    how, data = page_request[0] if page_request else query()
    client = as_persona(persona)
    url = reverse(page_name, args=page_args)
    if how == "get":
        page = client.get(url, data)
        assert page.status_code in (200, 403, 404), (write, persona, page.status_code)
    else:
        with transaction.atomic():
            page = client.post(url, data, headers={"HX-Request": "true"})
            transaction.set_rollback(True)
        # Done (a row, a redirect after a write, or to HTMX a 204 with HX-Redirect), refused, or
        # a validation error shown.
        assert page.status_code in (200, 204, 302, 400, 403, 404), (
            write,
            persona,
            page.status_code,
        )
    api = getattr(client, method)(api_url, body, content_type=JSON)
    assert refused(page) == refused(api), (
        write,
        persona,
        page.status_code,
        api.status_code,
        api.content[:300],
    )
    if persona == "manager_a":
        assert not refused(page), (write, "a manager of the unit is let in")
    if persona == "viewer_a":
        assert refused(page), (write, "a viewer writes nothing")
