"""The meetings API: the same rules and refusals as the pages, the audit actor, the list's query
count, and the findings."""

import datetime as dt

from grassroots.core.models import AuditEntry
from grassroots.meetings.models import Assignment, Meeting

from .helpers import HELD, attend, cell_members, meeting, signed


def test_a_meeting_is_recorded_attended_and_decided_through_the_api(tree, api, editor_a):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung"))
    client = api("editor_a")
    r = client.post(
        "/api/v1/meetings/",
        {"unit": tree.cell_a1.pk, "kind": "regular", "date": "2024-03-12", "agenda": "1. X"},
        format="json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert AuditEntry.objects.for_object(Meeting.objects.get()).get().actor == editor_a
    r = client.post(
        f"/api/v1/meetings/{pk}/attendance/",
        {
            "entries": [
                {"member": members[0].pk, "status": "present"},
                {"member": members[1].pk, "status": "excused", "reason": "Ốm"},
            ]
        },
        format="json",
    )
    assert r.status_code == 200 and r.json()["rate"] == "50.0"
    r = client.post(
        f"/api/v1/meetings/{pk}/decisions/",
        {"text": "D", "task": "T", "due_date": "2024-04-01", "members": [members[0].pk]},
        format="json",
    )
    assert r.status_code == 201 and r.json()["assignments"][0]["members"] == [members[0].pk]


def test_an_assignment_to_a_non_member_is_a_400_naming_members(tree, api):
    cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    [stranger] = cell_members(tree.cell_a2, names=("Người Chi Bộ Khác",))
    m = meeting(tree.cell_a1)
    r = api("manager_a").post(
        f"/api/v1/meetings/{m.pk}/decisions/",
        {"text": "D", "task": "T", "due_date": "2024-04-01", "members": [stranger.pk]},
        format="json",
    )
    assert r.status_code == 400 and "members" in r.json()
    assert not Assignment.objects.exists()


def test_a_locked_meeting_is_a_400_and_read_only_roles_a_403(tree, api):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = signed(meeting(tree.cell_a1), members)
    r = api("manager_a").patch(f"/api/v1/meetings/{m.pk}/", {"place": "X"}, format="json")
    assert r.status_code == 400 and "locked" in str(r.json())
    assert api("viewer_a").post(f"/api/v1/meetings/{m.pk}/sign/", {}).status_code == 403
    assert api("outsider").get(f"/api/v1/meetings/{m.pk}/").status_code == 404


def test_the_meeting_list_reads_a_fixed_number_of_queries(tree, api, django_assert_max_num_queries):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    for month in range(1, 9):
        attend(meeting(tree.cell_a1, dt.date(2024, month, 10)), members)
    client = api("viewer_a")
    with django_assert_max_num_queries(6):
        r = client.get("/api/v1/meetings/", {"unit": tree.commune_a.pk, "year": 2024})
    assert r.status_code == 200 and len(r.json()["results"]) == 8
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/meeting-assignments/").status_code == 200


def test_overdue_assignments_are_filtered_and_followed_up(tree, api):
    from grassroots.meetings import services

    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = meeting(tree.cell_a1)
    a = services.decision_add(
        actor=None, meeting=m, text="D", task="T", due_date=HELD, members=members
    ).assignments.get()
    client = api("manager_a")
    assert [
        x["id"] for x in client.get("/api/v1/meeting-assignments/?status=overdue").json()["results"]
    ] == [a.pk]
    r = client.post(
        f"/api/v1/meeting-assignments/{a.pk}/status/",
        {"status": "dropped", "day": "2024-03-20"},
        format="json",
    )
    assert r.status_code == 400 and "reason" in r.json()
    r = client.post(
        f"/api/v1/meeting-assignments/{a.pk}/status/",
        {"status": "dropped", "day": "2024-03-20", "reason": "Không còn phù hợp"},
        format="json",
    )
    assert r.json()["status_today"] == "dropped"


def test_the_findings_need_a_unit_the_caller_sees(tree, api):
    client = api("viewer_a")
    assert client.get("/api/v1/meeting-findings/").status_code == 400
    r = client.get("/api/v1/meeting-findings/", {"unit": tree.commune_a.pk, "year": 2024})
    assert r.status_code == 200 and r.json()["cells"] == 2
    assert r.json()["counts"]["no_regular"] == 24
    assert (
        api("outsider").get("/api/v1/meeting-findings/", {"unit": tree.commune_a.pk}).status_code
        == 404
    )


def test_the_findings_api_pages_the_cells_and_names_a_bad_page(tree, api):
    client = api("viewer_a")
    query = {"unit": tree.commune_a.pk, "year": 2024}
    body = client.get("/api/v1/meeting-findings/", query).json()
    assert (body["page"], body["pages"], body["cells_with_findings"]) == (1, 1, 2)
    assert len(body["findings"]) == sum(body["counts"].values()) == 32  # months and quarters
    assert client.get("/api/v1/meeting-findings/", {**query, "page": 2}).status_code == 404
    refused = client.get("/api/v1/meeting-findings/", {**query, "page": "x"})
    assert refused.status_code == 400 and "page" in refused.json()


def test_refused_minutes_save_no_assessment_either(tree, api):
    m = meeting(tree.cell_a1, dt.date.today() + dt.timedelta(days=2), kind="extraordinary")
    r = api("manager_a").post(
        f"/api/v1/meetings/{m.pk}/minutes/",
        {"minutes": "Sớm quá", "cell_strengths": "Tốt"},
        format="json",
    )
    assert r.status_code == 400 and "minutes" in r.json()
    m.refresh_from_db()
    assert (m.minutes, m.cell_strengths) == ("", "")
