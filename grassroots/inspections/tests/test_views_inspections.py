"""The inspection pages by persona: what each may see and do, with the saved rows and the audit
actor asserted, the exports formula-safe, and the lists' query counts fixed."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.conftest import client_for
from grassroots.core.models import AuditEntry
from grassroots.inspections.models import Inspection, InspectionPlan, OrganizationDiscipline
from grassroots.members.choices import EventKind

from .helpers import admit_on, concluded, inspection, item, plan


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("outsider", 404), ("viewer_a", 403), ("manager_a", 302)],
)
def test_recording_an_inspection_by_persona(tree, personas, persona, status):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    line = item(tree.commune_a)
    client = client_for(personas[persona])
    url = f"{reverse('inspections:inspection_create')}?unit={tree.commune_a.pk}"
    r = client.post(
        url,
        {
            "body": "committee",
            "plan_item": line.pk,
            "content": "Việc thực hiện nghị quyết",
            "team": "Đồng chí Lò Văn Kiểm",
            "start_date": "10/04/2023",
            "end_date": "14/04/2023",
            "units": [tree.cell_a1.pk],
            "member_refs": str(member.pk),
        },
    )
    assert r.status_code == status
    found = Inspection.objects.filter(content="Việc thực hiện nghị quyết").first()
    assert (found is not None) == (persona == "manager_a")
    if found:
        assert (found.kind, found.form, found.plan_item) == ("inspection", "regular", line)
        assert r.url == reverse("inspections:inspection_detail", args=[found.pk])
        assert AuditEntry.objects.for_object(found).get().actor == personas[persona]


def test_an_inspection_of_a_unit_outside_the_subtree_is_refused_on_the_page(tree, admin_user):
    url = f"{reverse('inspections:inspection_create')}?unit={tree.commune_a.pk}"
    r = client_for(admin_user).post(
        url,
        {
            "body": "committee",
            "kind": "inspection",
            "form": "unscheduled",
            "content": "Đột xuất",
            "start_date": "10/04/2023",
            "end_date": "10/04/2023",
            "member_refs": "99999",
        },
    )
    assert r.status_code == 400
    assert "99999" in r.content.decode()
    assert not Inspection.objects.exists()


def test_conclusion_and_discipline_through_the_pages(tree, manager_a):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    found = inspection(tree.commune_a, units=[tree.cell_a2], members=[member])
    client = client_for(manager_a)
    unit_subject = found.subject_units.get()
    member_subject = found.subject_members.get()
    r = client.post(
        reverse("inspections:unit_conclusion", args=[unit_subject.pk]),
        {"conclusion": "no_violation", "proposed_discipline": "warning"},
    )
    assert r.status_code == 400 and "conclusion of violation" in r.content.decode()
    for name, subject, proposed in (
        ("unit_conclusion", unit_subject, "dissolution"),
        ("member_conclusion", member_subject, "warning"),
    ):
        r = client.post(
            reverse(f"inspections:{name}", args=[subject.pk]),
            {"conclusion": "violation", "gravity": "serious", "proposed_discipline": proposed},
        )
        assert r.status_code == 302
    r = client.post(
        reverse("inspections:inspection_conclude", args=[found.pk]),
        {"concluded_on": "20/04/2023", "findings": "Chi bộ không sinh hoạt định kỳ"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("inspections:member_discipline", args=[member_subject.pk]),
        {
            "level": "warning",
            "date": "02/05/2023",
            "decision_number": "7-QĐ/UBKT",
            "issuer": "Ủy ban Kiểm tra Huyện ủy",
        },
    )
    assert r.status_code == 302
    event = member.events.get(kind=EventKind.DISCIPLINE)
    assert (event.discipline_level, event.decision_number) == ("warning", "7-QĐ/UBKT")
    assert event.created_by == manager_a
    r = client.post(
        reverse("inspections:organization_discipline", args=[unit_subject.pk]),
        {
            "level": "dissolution",
            "decided_on": "02/05/2023",
            "decision_number": "8-QĐ/HU",
            "issuer": "Huyện ủy",
        },
    )
    assert r.status_code == 302
    discipline = OrganizationDiscipline.objects.get()
    assert AuditEntry.objects.for_object(discipline).get().actor == manager_a
    page = client.get(reverse("inspections:inspection_detail", args=[found.pk])).content.decode()
    assert "8-QĐ/HU" in page and "7-QĐ/UBKT" in page
    assert reverse("organizations:unit_detail", args=[tree.cell_a2.pk]) in page


def test_a_viewer_reads_the_detail_without_the_actions(tree, viewer_a):
    found = inspection(tree.commune_a, units=[tree.cell_a1])
    page = client_for(viewer_a).get(reverse("inspections:inspection_detail", args=[found.pk]))
    assert page.status_code == 200
    assert reverse("inspections:inspection_conclude", args=[found.pk]) not in page.content.decode()


def test_a_plan_is_created_and_an_item_added_on_the_pages(tree, manager_a):
    client = client_for(manager_a)
    r = client.post(
        f"{reverse('inspections:plan_create')}?unit={tree.commune_a.pk}",
        {"body": "commission", "year": 2023, "title": "Kế hoạch kiểm tra năm 2023"},
    )
    found = InspectionPlan.objects.get()
    assert r.url == reverse("inspections:plan_detail", args=[found.pk])
    r = client.post(
        reverse("inspections:plan_item_add", args=[found.pk]),
        {
            "kind": "supervision",
            "form": "thematic",
            "subjects": "members",
            "planned_count": 6,
            "period_start": "01/07/2023",
            "period_end": "30/09/2023",
            "content": "Giám sát việc tu dưỡng, rèn luyện",
        },
    )
    assert r.status_code == 302
    page = client.get(reverse("inspections:plan_detail", args=[found.pk])).content.decode()
    assert "0 / 6 = 0.0%" in page or "0 / 6 = 0,0%" in page


def test_the_execution_board_computes_from_the_records_and_reads_the_period(tree, viewer_a):
    line = item(tree.commune_a, planned_count=4)
    for _ in range(3):
        inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)
    client = client_for(viewer_a)
    url = reverse("inspections:execution")
    page = client.get(url, {"unit": tree.commune_a.pk, "from": "01/01/2023", "to": "31/12/2023"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "75.0%" in text or "75,0%" in text
    empty = client.get(url, {"from": "01/01/2022", "to": "31/12/2022"}).content.decode()
    assert "—" in empty and "75.0%" not in empty and "75,0%" not in empty


def test_the_lists_run_a_fixed_number_of_queries(tree, admin_user):
    line = item(tree.commune_a, planned_count=9)
    client = client_for(admin_user)

    def count(url):
        client.get(url)  # warm the caches (sessions, access)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [
        reverse("inspections:inspection_list"),
        reverse("inspections:plan_list"),
        reverse("inspections:execution"),
        reverse("inspections:inspection_export"),
    ]
    inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)
    before = [count(u) for u in urls]
    for _ in range(4):
        inspection(tree.commune_a, units=[tree.cell_a1, tree.cell_a2], plan_item=line)
    plan(tree.commune_b)
    assert [count(u) for u in urls] == before


def test_the_export_keeps_a_typed_formula_as_text(tree, manager_a):
    from openpyxl import load_workbook

    inspection(tree.commune_a, units=[tree.cell_a1], content='=HYPERLINK("http://x")')
    r = client_for(manager_a).get(reverse("inspections:inspection_export"))
    sheet = load_workbook(io.BytesIO(r.content)).active
    cell = sheet.cell(row=2, column=8)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    board = client_for(manager_a).get(reverse("inspections:execution_export"))
    assert board["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_unit_page_notes_a_recent_organization_discipline_and_leaves_the_unit_open(
    tree, manager_a
):
    from django.utils import timezone

    from grassroots.inspections import services
    from grassroots.inspections.unit_page import discipline_notice

    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    found = concluded(
        tree.commune_a,
        units=[tree.cell_a2],
        proposed="dissolution",
        start_date=start,
        end_date=start + dt.timedelta(days=2),
    )
    assert discipline_notice(tree.cell_a2) == ""
    services.organization_discipline_decide(
        actor=None,
        subject=found.subject_units.get(),
        level="dissolution",
        decided_on=today - dt.timedelta(days=5),
        decision_number="8-QĐ/HU",
        issuer="Huyện ủy",
    )
    text = discipline_notice(tree.cell_a2)
    assert "8-QĐ/HU" in text and "reorganization" in text
    page = client_for(manager_a).get(reverse("organizations:unit_detail", args=[tree.cell_a2.pk]))
    assert "8-QĐ/HU" in page.content.decode()


def test_the_home_lists_late_conclusions_and_undecided_discipline_to_those_who_may_act(
    tree, manager_a, viewer_a
):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    inspection(tree.commune_a, units=[tree.cell_a1], content="Chưa kết luận")
    concluded(tree.commune_a, members=[member], proposed="warning", content="Có vi phạm")
    page = client_for(manager_a).get(reverse("home")).content.decode()
    assert "Conclude the inspection of 10/04/2023" in page
    assert "Record the discipline decided for Lò Văn Thử" in page
    assert (
        "Record the discipline decided"
        not in client_for(viewer_a).get(reverse("home")).content.decode()
    )


def test_a_unit_further_down_is_named_by_its_code_and_an_unknown_code_is_refused(tree, admin_user):
    client = client_for(admin_user)
    url = f"{reverse('inspections:inspection_create')}?unit={tree.province.pk}"
    form = client.get(url).content.decode()
    assert tree.commune_a.name in form and tree.cell_a1.name in form  # two levels down
    data = {
        "body": "standing",
        "kind": "supervision",
        "form": "thematic",
        "content": "Giám sát chuyên đề",
        "start_date": "10/04/2023",
        "end_date": "12/04/2023",
        "unit_codes": "XA-1, KHONG-CO",
    }
    r = client.post(url, data)
    assert r.status_code == 400 and "KHONG-CO" in r.content.decode()
    data["unit_codes"] = "XA-1"
    assert client.post(url, data).status_code == 302
    assert [s.unit for s in Inspection.objects.get().subject_units.all()] == [tree.cell_a1]
