"""Sweep entries for the targets pages and API (see grassroots/core/testing/routes.py)."""

from django.utils import timezone

from grassroots.core.testing.routes import (
    ADMIN,
    ALLOWED,
    CHANGE,
    MANAGE,
    VIEW,
    Call,
    api,
    form,
    page,
    post,
)

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows
LAST_YEAR = timezone.localdate().year - 1


def resolution(w):
    """A resolution of commune A in force over the data-entry grid's period (last year)."""
    from grassroots.targets.tests.core_helpers import resolution as make

    return w.once("resolution", lambda: make(w.tree.commune_a, end_year=max(2025, LAST_YEAR)))


def indicator(w):
    return w.once("indicator", lambda: make_indicator("ECO-ROADS"))


def make_indicator(code: str):
    from grassroots.targets.tests.core_helpers import indicator as make

    return make(code)


def target(w):
    from grassroots.targets.tests.core_helpers import target as make

    return w.once("target", lambda: make(resolution(w), indicator(w)))


def figure(w, state: str = "draft"):
    """A figure of cell A1 for last year, on the resolution's target, in `state`: entered (and
    submitted) by the system, approved by the administrator, so that no persona entered it."""
    from grassroots.targets import services

    def build():
        target(w)
        value = services.data_value_save(
            actor=None, indicator=indicator(w), unit=w.tree.cell_a1, period=str(LAST_YEAR), value=12
        )
        if state in ("submitted", "approved"):
            value = services.data_value_submit(actor=None, value=value)
        if state == "approved":
            value = services.data_value_approve(actor=w.personas["admin"], value=value)
        return value

    return w.once(f"figure:{state}", build)


def adopted_review(w):
    import datetime as dt

    from grassroots.targets import services

    return w.once(
        "adopted_review",
        lambda: services.review_adopt(
            actor=None, resolution=resolution(w), kind="mid_term", as_of=dt.date(2023, 6, 30)
        ),
    )


def figure_with_reason(state: str):
    def build(w):
        reason = "Số liệu chưa khớp với báo cáo của thôn"
        return Call({"pk": figure(w, state).pk}, data={"reason": reason})

    return build


def resolution_pk(w):
    return Call({"pk": resolution(w).pk})


def commune_a_query(w):
    return Call(query={"unit": w.tree.commune_a.pk})


ROUTES = [
    page("targets:resolution_list", commune_a_query),
    form("targets:resolution_create", commune_a_query),
    page("targets:indicator_list", scoped=False),
    page("targets:comparison", commune_a_query),
    form("targets:upload", scoped=False, note="an upload needs a change role somewhere"),
    page(
        "targets:data_entry",
        lambda w: Call({"unit_id": w.tree.cell_a1.pk}),
        methods={"GET": VIEW, "POST": CHANGE},
    ),
    page(
        "targets:entry_row",
        lambda w: (
            target(w),
            Call({"unit_id": w.tree.cell_a1.pk, "indicator_id": indicator(w).pk}),
        )[1],
        methods={"GET": VIEW, "POST": CHANGE},
    ),
    post("targets:value_action", lambda w: Call({"pk": figure(w).pk, "verb": "submit"})),
    form("targets:target_edit", lambda w: Call({"pk": target(w).pk})),
    page("targets:resolution_detail", resolution_pk),
    form("targets:resolution_edit", resolution_pk),
    form("targets:resolution_end", resolution_pk, MANAGE),
    form("targets:target_create", resolution_pk),
    page("targets:resolution_review", resolution_pk),
    form(
        "targets:review_adopt",
        resolution_pk,
        MANAGE,
        note="posted from the review page: a GET let in is answered 405",
    ),
    page("targets:adopted_review", lambda w: Call({"pk": adopted_review(w).pk})),
    page("targets:review_export", resolution_pk),
    page("targets:template_download", resolution_pk),
    api(
        "resolution-list",
        lambda w: Call(
            data={
                "unit": w.tree.commune_a.pk,
                "number": "20-NQ/ĐU",
                "issued_on": "2021-03-01",
                "title": "Nghị quyết chuyên đề giao thông nông thôn",
                "kind": "thematic",
                "start_year": 2021,
                "end_year": 2025,
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("resolution-detail", resolution_pk, get=VIEW, patch=CHANGE),
    api(
        "resolution-adopt-review",
        lambda w: Call(resolution_pk(w).kwargs, data={"kind": "mid_term", "as_of": "2023-06-30"}),
        post=MANAGE,
    ),
    api("resolution-end", resolution_pk, post=MANAGE),
    api("resolution-review", resolution_pk, get=VIEW),
    # The indicators are one national catalogue: read by everyone, kept by the administrator.
    api("indicator-list", get=VIEW, post=ADMIN, scoped=False),
    api(
        "indicator-detail",
        lambda w: Call({"pk": indicator(w).pk}),
        get=VIEW,
        patch=ADMIN,
        scoped=False,
    ),
    api(
        "target-list",
        lambda w: Call(
            data={
                "resolution": resolution(w).pk,
                "indicator": w.once("second_indicator", lambda: make_indicator("ECO-FARMS")).code,
                "kind": "level",
                "target_value": 50,
                "target_year": 2025,
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("target-detail", lambda w: Call({"pk": target(w).pk}), get=VIEW, patch=CHANGE),
    api("target-achievement", lambda w: Call({"pk": target(w).pk}), get=VIEW),
    api(
        "data-value-list",
        lambda w: Call(
            data={
                "indicator": indicator(w).code,
                "unit": w.tree.cell_a1.pk,
                "period": str(LAST_YEAR),
                "value": 12,
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("data-value-detail", lambda w: Call({"pk": figure(w).pk}), get=VIEW, patch=CHANGE),
    api("data-value-submit", lambda w: Call({"pk": figure(w).pk}), post=CHANGE),
    api("data-value-approve", lambda w: Call({"pk": figure(w, "submitted").pk}), post=MANAGE),
    api("data-value-return", figure_with_reason("submitted"), post=MANAGE),
    api("data-value-reopen", figure_with_reason("approved"), post=MANAGE),
    api(
        "data-value-set-list",
        lambda w: Call(
            data={
                "data_values": [
                    {
                        "indicator": indicator(w).code,
                        "unit": w.tree.cell_a1.code,
                        "period": str(LAST_YEAR),
                        "value": 12,
                    }
                ],
            }
        ),
        post=CHANGE,
    ),
    api("adopted-review-list", get=VIEW, scoped=False),
    api("adopted-review-detail", lambda w: Call({"pk": adopted_review(w).pk}), get=VIEW),
]
