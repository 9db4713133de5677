"""The inspections API: the same access rules as the pages, the services' refusals as 400s
naming the field, the execution figures over `?from=&to=`, and fixed query counts."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.models import AuditEntry
from grassroots.inspections.models import Inspection, OrganizationDiscipline

from .helpers import admit_on, concluded, inspection, item


def test_recording_an_inspection_through_the_api(tree, api, manager_a):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    line = item(tree.commune_a)
    body = {
        "unit": tree.commune_a.pk,
        "body": "committee",
        "plan_item": line.pk,
        "kind": "inspection",
        "form": "regular",
        "content": "Chấp hành nghị quyết",
        "start_date": "2023-04-10",
        "end_date": "2023-04-12",
        "units": [tree.cell_a1.pk],
        "members": [member.pk],
    }
    assert api("viewer_a").post("/api/v1/inspections/", body, format="json").status_code == 403
    r = api("manager_a").post("/api/v1/inspections/", body, format="json")
    assert r.status_code == 201, r.content
    found = Inspection.objects.get()
    assert [s["unit"] for s in r.json()["subject_units"]] == [tree.cell_a1.pk]
    assert AuditEntry.objects.for_object(found).get().actor == manager_a


def test_an_inspection_of_a_unit_outside_the_subtree_is_a_400_naming_units(tree, api):
    r = api("admin").post(
        "/api/v1/inspections/",
        {
            "unit": tree.commune_a.pk,
            "body": "committee",
            "kind": "inspection",
            "form": "unscheduled",
            "content": "Đột xuất",
            "start_date": "2023-04-10",
            "end_date": "2023-04-10",
            "units": [tree.cell_b1.pk],
        },
        format="json",
    )
    assert r.status_code == 400 and "units" in r.json()
    assert not Inspection.objects.exists()


def test_a_discipline_proposal_without_a_violation_is_a_400(tree, api):
    found = inspection(tree.commune_a, units=[tree.cell_a1])
    subject = found.subject_units.get()
    r = api("manager_a").post(
        f"/api/v1/inspected-units/{subject.pk}/conclusion/",
        {"conclusion": "no_violation", "proposed_discipline": "reprimand"},
        format="json",
    )
    assert r.status_code == 400 and "proposed_discipline" in r.json()


def test_deciding_an_organization_discipline_through_the_api(tree, api, outsider):
    found = concluded(tree.commune_a, units=[tree.cell_a1], proposed="warning")
    subject = found.subject_units.get()
    data = {
        "level": "warning",
        "decided_on": "2023-05-02",
        "decision_number": "3-QĐ/HU",
        "issuer": "Huyện ủy",
    }
    url = f"/api/v1/inspected-units/{subject.pk}/discipline/"
    assert api("outsider").post(url, data, format="json").status_code == 404
    r = api("manager_a").post(url, data, format="json")
    assert r.status_code == 201
    assert OrganizationDiscipline.objects.get().unit == tree.cell_a1
    listed = api("viewer_a").get("/api/v1/organization-disciplines/").json()
    assert [d["decision_number"] for d in listed["results"]] == ["3-QĐ/HU"]
    assert api("outsider").get("/api/v1/organization-disciplines/").json()["results"] == []


def test_the_execution_figures_over_from_and_to(tree, api):
    line = item(tree.commune_a, planned_count=2)
    for _ in range(3):
        inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)
    url = f"/api/v1/inspection-execution/?unit={tree.commune_a.pk}&from=2023-01-01&to=2023-12-31"
    r = api("viewer_a").get(url)
    assert r.status_code == 200
    total = r.json()["total"]
    assert (total["planned"], total["carried_out"], total["rate"], total["organizations"]) == (
        2,
        3,
        "150.0",
        3,
    )
    assert r.json()["distinct_organizations"] == 1
    empty = api("viewer_a").get("/api/v1/inspection-execution/?from=2022-01-01&to=2022-12-31")
    assert empty.json()["total"]["rate"] is None
    bad = api("viewer_a").get("/api/v1/inspection-execution/?from=2023-12-31&to=2023-01-01")
    assert bad.status_code == 400 and "to" in bad.json()
    hidden = api("outsider").get(f"/api/v1/inspection-execution/?unit={tree.commune_a.pk}")
    assert hidden.status_code == 404


def test_the_list_endpoints_run_a_fixed_number_of_queries(tree, api):
    client = api("admin")
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    line = item(tree.commune_a, planned_count=9)
    urls = ["/api/v1/inspections/", "/api/v1/inspection-plans/", "/api/v1/inspected-members/"]

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    inspection(tree.commune_a, units=[tree.cell_a1], members=[member], plan_item=line)
    before = [count(u) for u in urls]
    for _ in range(3):
        inspection(tree.commune_a, units=[tree.cell_a1, tree.cell_a2], members=[member])
    assert [count(u) for u in urls] == before
