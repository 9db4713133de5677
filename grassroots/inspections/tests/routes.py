"""Sweep entries for the inspections pages and API (see grassroots/core/testing/routes.py)."""

import datetime as dt

from grassroots.core.testing.routes import ALLOWED, CHANGE, VIEW, Call, api, form, page
from grassroots.inspections import services
from grassroots.members.tests.ledger_helpers import admit_on

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows
DAY = dt.date(2023, 4, 10)


def commune_a(w):
    return Call(query={"unit": w.tree.commune_a.pk})


def plan(w):
    return w.once(
        "inspection_plan",
        lambda: services.plan_create(
            actor=None, unit=w.tree.commune_a, body="committee", year=2023
        ),
    )


def item(w):
    return w.once(
        "inspection_plan_item",
        lambda: services.plan_item_add(
            actor=None,
            plan=plan(w),
            kind="inspection",
            form="regular",
            subjects="both",
            planned_count=3,
            period_start=dt.date(2023, 1, 1),
            period_end=dt.date(2023, 6, 30),
        ),
    )


def member(w):
    return w.once(
        "inspected_member_person",
        lambda: admit_on(w.tree.cell_a1, "Lò Văn Kiểm", day=dt.date(2020, 1, 6)),
    )


def inspection(w):
    return w.once(
        "inspection",
        lambda: services.inspection_record(
            actor=None,
            unit=w.tree.commune_a,
            body="committee",
            kind="inspection",
            form="regular",
            content="Việc chấp hành Điều lệ Đảng",
            start_date=DAY,
            end_date=DAY,
            plan_item=item(w),
            units=[w.tree.cell_a1],
            members=[member(w)],
        ),
    )


def concluded(w):
    """A second inspection, concluded with a violation of cell A2, disciplined."""

    def build():
        found = services.inspection_record(
            actor=None,
            unit=w.tree.commune_a,
            body="committee",
            kind="inspection",
            form="signs",
            content="Dấu hiệu vi phạm",
            start_date=DAY,
            end_date=DAY,
            units=[w.tree.cell_a2],
        )
        subject = found.subject_units.get()
        services.subject_conclude(
            actor=None, subject=subject, conclusion="violation", gravity="serious"
        )
        services.inspection_conclude(
            actor=None, inspection=found, concluded_on=DAY, findings="Vi phạm"
        )
        return services.organization_discipline_decide(
            actor=None,
            subject=subject,
            level="reprimand",
            decided_on=DAY,
            decision_number="1-QĐ",
            issuer="Đảng ủy xã",
        )

    return w.once("organization_discipline", build)


def unit_subject(w):
    return Call({"pk": inspection(w).subject_units.get().pk})


def member_subject(w):
    return Call({"pk": inspection(w).subject_members.get().pk})


def inspection_pk(w):
    return Call({"pk": inspection(w).pk})


def plan_pk(w):
    return Call({"pk": plan(w).pk})


ROUTES = [
    page("inspections:inspection_list", commune_a),
    page("inspections:inspection_export", commune_a),
    form("inspections:inspection_create", commune_a, CHANGE),
    page("inspections:inspection_detail", inspection_pk),
    form("inspections:inspection_update", inspection_pk, CHANGE),
    form("inspections:inspection_conclude", inspection_pk, CHANGE),
    form("inspections:unit_conclusion", unit_subject, CHANGE),
    form("inspections:member_conclusion", member_subject, CHANGE),
    form("inspections:organization_discipline", unit_subject, CHANGE),
    form("inspections:member_discipline", member_subject, CHANGE),
    page("inspections:plan_list", commune_a),
    form("inspections:plan_create", commune_a, CHANGE),
    page("inspections:plan_detail", plan_pk),
    form("inspections:plan_update", plan_pk, CHANGE),
    form("inspections:plan_item_add", plan_pk, CHANGE),
    form("inspections:plan_item_update", lambda w: Call({"pk": item(w).pk}), CHANGE),
    page("inspections:execution", commune_a),
    page("inspections:execution_export", commune_a),
    api(
        "inspection-plan-list",
        lambda w: Call(data={"unit": w.tree.commune_a.pk, "body": "standing", "year": 2022}),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api(
        "inspection-plan-detail",
        lambda w: Call(plan_pk(w).kwargs, data={"title": "Kế hoạch kiểm tra, giám sát 2023"}),
        get=VIEW,
        patch=CHANGE,
    ),
    api(
        "inspection-plan-item-list",
        lambda w: Call(
            data={
                "plan": plan(w).pk,
                "kind": "supervision",
                "form": "thematic",
                "subjects": "members",
                "planned_count": 2,
                "period_start": "2023-07-01",
                "period_end": "2023-09-30",
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api(
        "inspection-plan-item-detail",
        lambda w: Call({"pk": item(w).pk}, data={"planned_count": 4}),
        get=VIEW,
        patch=CHANGE,
    ),
    api(
        "inspection-list",
        lambda w: Call(
            data={
                "unit": w.tree.commune_a.pk,
                "body": "committee",
                "kind": "supervision",
                "form": "thematic",
                "content": "Giám sát chuyên đề",
                "start_date": "2023-05-02",
                "end_date": "2023-05-03",
                "units": [w.tree.cell_a2.pk],
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api(
        "inspection-detail",
        lambda w: Call(inspection_pk(w).kwargs, data={"team": "Đồng chí Lò Văn Kiểm"}),
        get=VIEW,
        patch=CHANGE,
    ),
    api(
        "inspection-conclude",
        lambda w: Call({"pk": inspection(w).pk}, data={"concluded_on": "2023-04-20"}),
        post=CHANGE,
    ),
    api("inspected-unit-list", get=VIEW, scoped=False),
    api("inspected-unit-detail", unit_subject, get=VIEW),
    api(
        "inspected-unit-conclusion",
        lambda w: Call(unit_subject(w).kwargs, data={"conclusion": "no_violation"}),
        post=CHANGE,
    ),
    api(
        "inspected-unit-discipline",
        lambda w: Call({"pk": concluded(w).subject_id}, data={"level": "warning"}),
        post=CHANGE,
    ),
    api("inspected-member-list", get=VIEW, scoped=False),
    api("inspected-member-detail", member_subject, get=VIEW),
    api(
        "inspected-member-conclusion",
        lambda w: Call(member_subject(w).kwargs, data={"conclusion": "no_violation"}),
        post=CHANGE,
    ),
    api(
        "inspected-member-discipline",
        lambda w: Call(member_subject(w).kwargs, data={"level": "warning"}),
        post=CHANGE,
    ),
    api("organization-discipline-list", get=VIEW, scoped=False),
    api("organization-discipline-detail", lambda w: Call({"pk": concluded(w).pk}), get=VIEW),
    api("inspection-execution-list", commune_a, get=VIEW),
]
