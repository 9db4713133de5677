"""Correcting plans, plan items and inspections: the services keep the rules of recording them
and refuse what was already carried out, concluded or decided (naming the field, writing
nothing); the edit pages by persona with the saved rows and the audit actor asserted; the
"Edit" buttons for who may change; the API's PATCH through the same services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grassroots.conftest import client_for
from grassroots.core.models import AuditEntry
from grassroots.inspections import services
from grassroots.inspections.models import InspectedUnit, Inspection, InspectionPlan, PlanItem

from .helpers import DAY, admit_on, concluded, counts, inspection, item, plan

pytestmark = pytest.mark.django_db


def refused(call, field: str) -> str:
    before = counts()
    audit = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict, error.value.message_dict
    assert counts() == before and AuditEntry.objects.count() == audit
    return " ".join(error.value.message_dict[field])


def item_values(line: PlanItem, **changes) -> dict:
    values = {
        "kind": line.kind,
        "form": line.form,
        "subjects": line.subjects,
        "planned_count": line.planned_count,
        "period_start": line.period_start,
        "period_end": line.period_end,
        "content": line.content,
    }
    return {**values, **changes}


def inspection_values(found: Inspection, **changes) -> dict:
    values = {
        "body": found.body,
        "plan_item": found.plan_item,
        "kind": found.kind,
        "form": found.form,
        "content": found.content,
        "team": found.team,
        "start_date": found.start_date,
        "end_date": found.end_date,
        "units": [s.unit for s in found.subject_units.all()],
        "members": [s.member for s in found.subject_members.all()],
    }
    return {**values, **changes}


# --- plans -------------------------------------------------------------------------------------


def test_a_plan_is_corrected_and_the_change_is_audited(tree, manager_a):
    found = plan(tree.commune_a)
    services.plan_update(
        actor=manager_a,
        plan=found,
        body="standing",
        year=2022,
        title="Kế hoạch kiểm tra năm 2022",
        adopted_on=dt.date(2021, 12, 20),
    )
    found.refresh_from_db()
    assert (found.body, found.year, found.title) == ("standing", 2022, "Kế hoạch kiểm tra năm 2022")
    entry = AuditEntry.objects.for_object(found).filter(action="update").get()
    assert entry.actor == manager_a and entry.after["year"] == 2022


def test_a_plan_with_items_keeps_its_body_and_year(tree, manager_a):
    line = item(tree.commune_a)
    found = line.plan
    message = refused(
        lambda: services.plan_update(actor=manager_a, plan=found, body="committee", year=2022),
        "year",
    )
    assert "2023" in message
    message = refused(
        lambda: services.plan_update(actor=manager_a, plan=found, body="standing", year=2023),
        "body",
    )
    assert "committee" in message
    # The title and the adoption date still change.
    services.plan_update(
        actor=manager_a, plan=found, body="committee", year=2023, title="Kế hoạch 2023"
    )
    assert InspectionPlan.objects.get(pk=found.pk).title == "Kế hoạch 2023"


def test_a_plan_update_refuses_a_second_plan_of_the_body_and_a_late_adoption(tree, manager_a):
    plan(tree.commune_a, body="standing", year=2022)
    found = plan(tree.commune_a)
    refused(
        lambda: services.plan_update(actor=manager_a, plan=found, body="standing", year=2022),
        "year",
    )
    refused(
        lambda: services.plan_update(
            actor=manager_a, plan=found, body="committee", year=2023, adopted_on=dt.date(2021, 5, 1)
        ),
        "adopted_on",
    )


# --- plan items --------------------------------------------------------------------------------


def test_a_plan_item_is_corrected_within_the_plans_year(tree, manager_a):
    line = item(tree.commune_a, planned_count=2)
    services.plan_item_update(
        actor=manager_a, **{"item": line}, **item_values(line, planned_count=5, content="Sửa")
    )
    line.refresh_from_db()
    assert (line.planned_count, line.content) == (5, "Sửa")
    assert AuditEntry.objects.for_object(line).filter(action="update").get().actor == manager_a
    refused(
        lambda: services.plan_item_update(
            actor=manager_a, item=line, **item_values(line, period_end=dt.date(2024, 1, 31))
        ),
        "period_end",
    )


def test_a_plan_item_cannot_plan_fewer_than_were_carried_out_under_it(tree, manager_a):
    line = item(tree.commune_a, planned_count=3)
    inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)
    inspection(tree.commune_a, units=[tree.cell_a2], plan_item=line)
    message = refused(
        lambda: services.plan_item_update(
            actor=manager_a, item=line, **item_values(line, planned_count=1)
        ),
        "planned_count",
    )
    assert "2" in message
    services.plan_item_update(actor=manager_a, item=line, **item_values(line, planned_count=2))
    assert PlanItem.objects.get(pk=line.pk).planned_count == 2


def test_a_plan_item_with_inspections_keeps_its_kind_form_and_fitting_subjects(tree, manager_a):
    line = item(tree.commune_a, subjects="both")
    inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)
    refused(
        lambda: services.plan_item_update(
            actor=manager_a, item=line, **item_values(line, kind="supervision", form="thematic")
        ),
        "kind",
    )
    refused(
        lambda: services.plan_item_update(
            actor=manager_a, item=line, **item_values(line, form="thematic")
        ),
        "form",
    )
    refused(
        lambda: services.plan_item_update(
            actor=manager_a, item=line, **item_values(line, subjects="members")
        ),
        "subjects",
    )
    services.plan_item_update(
        actor=manager_a, item=line, **item_values(line, subjects="organizations")
    )
    assert PlanItem.objects.get(pk=line.pk).subjects == "organizations"


# --- inspections -------------------------------------------------------------------------------


def test_an_inspection_is_corrected_and_kept_subjects_keep_their_conclusion(tree, manager_a):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    found = inspection(tree.commune_a, units=[tree.cell_a1, tree.cell_a2])
    kept = found.subject_units.get(unit=tree.cell_a1)
    services.subject_conclude(actor=None, subject=kept, conclusion="no_violation")
    services.inspection_update(
        actor=manager_a,
        inspection=found,
        **inspection_values(
            found,
            content="Việc thực hiện Quy định 22",
            units=[tree.cell_a1],
            members=[member],
            end_date=DAY + dt.timedelta(days=2),
        ),
    )
    found.refresh_from_db()
    assert found.content == "Việc thực hiện Quy định 22"
    assert found.end_date == DAY + dt.timedelta(days=2)
    assert [s.unit for s in found.subject_units.all()] == [tree.cell_a1]
    assert found.subject_units.get().conclusion == "no_violation"
    assert [s.member for s in found.subject_members.all()] == [member]
    entry = AuditEntry.objects.for_object(found).filter(action="update").get()
    assert entry.actor == manager_a and entry.after["content"] == "Việc thực hiện Quy định 22"


def test_an_inspection_whose_subjects_leave_the_committees_subtree_is_refused(tree, manager_a):
    found = inspection(tree.commune_a, units=[tree.cell_a1])
    message = refused(
        lambda: services.inspection_update(
            actor=manager_a,
            inspection=found,
            **inspection_values(found, units=[tree.cell_a1, tree.cell_b1]),
        ),
        "units",
    )
    assert tree.cell_b1.name in message
    outside = admit_on(tree.cell_b1, "Hà Văn Ngoài", day=dt.date(2020, 1, 6))
    refused(
        lambda: services.inspection_update(
            actor=manager_a, inspection=found, **inspection_values(found, members=[outside])
        ),
        "members",
    )


def test_a_concluded_inspection_keeps_its_subjects_and_kind_but_its_text_is_corrected(
    tree, manager_a
):
    found = concluded(tree.commune_a, units=[tree.cell_a1], violation=False)
    refused(
        lambda: services.inspection_update(
            actor=manager_a,
            inspection=found,
            **inspection_values(found, units=[tree.cell_a1, tree.cell_a2]),
        ),
        "units",
    )
    refused(
        lambda: services.inspection_update(
            actor=manager_a,
            inspection=found,
            **inspection_values(found, kind="supervision", form="thematic"),
        ),
        "kind",
    )
    services.inspection_update(
        actor=manager_a, inspection=found, **inspection_values(found, team="Đoàn kiểm tra số 2")
    )
    assert Inspection.objects.get(pk=found.pk).team == "Đoàn kiểm tra số 2"


def test_an_inspection_whose_discipline_was_decided_is_not_edited(tree, manager_a):
    found = concluded(tree.commune_a, units=[tree.cell_a1], proposed="reprimand")
    services.organization_discipline_decide(
        actor=None,
        subject=found.subject_units.get(),
        level="reprimand",
        decided_on=found.end_date,
        decision_number="12-QĐ/UBKT",
        issuer="Ủy ban Kiểm tra Huyện ủy",
    )
    message = refused(
        lambda: services.inspection_update(
            actor=manager_a, inspection=found, **inspection_values(found, team="Đoàn khác")
        ),
        "__all__",
    )
    assert "Discipline was already decided" in message and tree.cell_a1.name in message


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("outsider", 404), ("viewer_a", 403), ("manager_a", 302)],
)
def test_editing_an_inspection_by_persona(tree, personas, persona, status):
    found = inspection(tree.commune_a, units=[tree.cell_a1])
    url = reverse("inspections:inspection_update", args=[found.pk])
    r = client_for(personas[persona]).post(
        url,
        {
            "body": "committee",
            "kind": "inspection",
            "form": "regular",
            "content": "Nội dung đã sửa",
            "team": "",
            "start_date": "10/04/2023",
            "end_date": "12/04/2023",
            "units": [tree.cell_a1.pk, tree.cell_a2.pk],
            "member_refs": "",
        },
    )
    assert r.status_code == status
    found.refresh_from_db()
    changed = persona == "manager_a"
    assert (found.content == "Nội dung đã sửa") == changed
    if changed:
        assert r.url == reverse("inspections:inspection_detail", args=[found.pk])
        assert {s.unit for s in found.subject_units.all()} == {tree.cell_a1, tree.cell_a2}
        entry = AuditEntry.objects.for_object(found).filter(action="update").get()
        assert entry.actor == personas[persona]
    else:
        assert InspectedUnit.objects.filter(inspection=found).count() == 1


def test_the_edit_form_is_filled_with_the_inspection_and_shows_refusals_on_fields(tree, admin_user):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    found = inspection(tree.commune_a, units=[tree.cell_a1], members=[member])
    client = client_for(admin_user)  # sees commune B, so the service is the one to refuse it
    url = reverse("inspections:inspection_update", args=[found.pk])
    page = client.get(url).content.decode()
    assert "Việc chấp hành Điều lệ Đảng" in page and str(member.pk) in page
    r = client.post(
        url,
        {
            "body": "committee",
            "kind": "inspection",
            "form": "regular",
            "content": "Nội dung",
            "start_date": "10/04/2023",
            "end_date": "12/04/2023",
            "unit_codes": tree.commune_b.code,
        },
    )
    assert r.status_code in (200, 400)
    assert "Outside the subtree of" in r.content.decode()
    assert tree.commune_b.name in r.content.decode()
    assert Inspection.objects.get(pk=found.pk).content == "Việc chấp hành Điều lệ Đảng"


def test_edit_buttons_show_to_who_may_change_and_not_once_discipline_is_decided(
    tree, manager_a, viewer_a
):
    line = item(tree.commune_a)
    found = concluded(tree.commune_a, units=[tree.cell_a1])
    detail = reverse("inspections:inspection_detail", args=[found.pk])
    edit = reverse("inspections:inspection_update", args=[found.pk])
    plan_page = reverse("inspections:plan_detail", args=[line.plan_id])
    assert edit in client_for(manager_a).get(detail).content.decode()
    assert edit not in client_for(viewer_a).get(detail).content.decode()
    manager_plan = client_for(manager_a).get(plan_page).content.decode()
    assert reverse("inspections:plan_update", args=[line.plan_id]) in manager_plan
    assert reverse("inspections:plan_item_update", args=[line.pk]) in manager_plan
    viewer_plan = client_for(viewer_a).get(plan_page).content.decode()
    assert reverse("inspections:plan_update", args=[line.plan_id]) not in viewer_plan
    services.organization_discipline_decide(
        actor=None,
        subject=found.subject_units.get(),
        level="warning",
        decided_on=found.end_date,
        decision_number="3-QĐ",
        issuer="Đảng ủy xã",
    )
    assert edit not in client_for(manager_a).get(detail).content.decode()
    refused_page = client_for(manager_a).get(edit)
    assert refused_page.status_code == 302 and refused_page.url == detail


def test_a_plan_item_is_edited_on_its_page_and_a_count_below_the_done_is_refused(tree, manager_a):
    line = item(tree.commune_a, planned_count=3)
    inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)
    inspection(tree.commune_a, units=[tree.cell_a2], plan_item=line)
    url = reverse("inspections:plan_item_update", args=[line.pk])
    data = {
        "kind": "inspection",
        "form": "regular",
        "subjects": "both",
        "planned_count": "1",
        "period_start": "01/01/2023",
        "period_end": "30/06/2023",
        "content": "Chấp hành Điều lệ Đảng",
    }
    r = client_for(manager_a).post(url, data)
    assert r.status_code in (200, 400) and "already carried out" in r.content.decode()
    assert PlanItem.objects.get(pk=line.pk).planned_count == 3
    r = client_for(manager_a).post(url, {**data, "planned_count": "6"})
    assert r.status_code == 302
    assert PlanItem.objects.get(pk=line.pk).planned_count == 6


def test_a_plan_is_edited_on_its_page_by_a_manager_not_a_viewer(tree, manager_a, viewer_a):
    found = plan(tree.commune_a)
    url = reverse("inspections:plan_update", args=[found.pk])
    data = {"body": "committee", "year": "2023", "title": "Kế hoạch KT-GS 2023", "adopted_on": ""}
    assert client_for(viewer_a).post(url, data).status_code == 403
    assert client_for(manager_a).get(url).status_code == 200
    assert client_for(manager_a).post(url, data).status_code == 302
    found.refresh_from_db()
    assert found.title == "Kế hoạch KT-GS 2023"
    assert AuditEntry.objects.for_object(found).filter(action="update").get().actor == manager_a


# --- API ---------------------------------------------------------------------------------------


def test_the_api_patches_through_the_same_services_and_refusals(
    tree, manager_a, viewer_a, outsider
):
    line = item(tree.commune_a, planned_count=3)
    found = inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)
    client = client_for(manager_a)
    url = f"/api/v1/inspections/{found.pk}/"
    assert client_for(outsider).patch(url, {}, content_type="application/json").status_code == 404
    viewer = client_for(viewer_a).patch(url, {"team": "x"}, content_type="application/json")
    assert viewer.status_code == 403
    outside = client.patch(
        url, {"units": [tree.cell_a1.pk, tree.cell_b1.pk]}, content_type="application/json"
    )
    assert outside.status_code == 400 and "units" in outside.json()
    r = client.patch(
        url, {"team": "Đoàn số 3", "units": [tree.cell_a2.pk]}, content_type="application/json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["team"] == "Đoàn số 3"
    assert [s["unit"] for s in r.json()["subject_units"]] == [tree.cell_a2.pk]
    assert AuditEntry.objects.for_object(found).filter(action="update").get().actor == manager_a

    item_url = f"/api/v1/inspection-plan-items/{line.pk}/"
    low = client.patch(item_url, {"planned_count": 0}, content_type="application/json")
    assert low.status_code == 400 and "planned_count" in low.json()
    assert (
        client.patch(item_url, {"planned_count": 5}, content_type="application/json").json()[
            "planned_count"
        ]
        == 5
    )

    plan_url = f"/api/v1/inspection-plans/{line.plan_id}/"
    year = client.patch(plan_url, {"year": 2022}, content_type="application/json")
    assert year.status_code == 400 and "year" in year.json()
    title = client.patch(plan_url, {"title": "KH 2023"}, content_type="application/json")
    assert title.status_code == 200 and title.json()["title"] == "KH 2023"
