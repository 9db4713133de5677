import datetime as dt

import pytest

from grassroots.core.models import AuditEntry
from grassroots.members.choices import EventKind, MemberStatus
from grassroots.members.models import Member, MemberEvent

from .ledger_helpers import admit, counts, official

ALL = ["anonymous", "admin", "manager_a", "editor_a", "viewer_a", "outsider"]


@pytest.fixture
def people(tree):
    return {
        "a": official(tree.cell_a1, full_name="Lò Thị Mai", gender="female"),
        "b": official(tree.cell_b1, full_name="Lý A Chư"),
    }


ADMISSION = {
    "full_name": "Sần Thị Hoa",
    "gender": "female",
    "birth_date": "2000-02-02",
    "ethnicity": "ha_nhi",
    "decision_date": "2024-03-04",
    "ceremony_date": "2024-03-08",
    "decision_number": "9-QĐ/ĐU",
}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"Lò Thị Mai", "Lý A Chư"}),
        ("manager_a", {"Lò Thị Mai"}),
        ("editor_a", {"Lò Thị Mai"}),
        ("viewer_a", {"Lò Thị Mai"}),
        ("outsider", {"Lý A Chư"}),
    ],
)
def test_the_list_holds_only_the_callers_subtree(api, people, persona, expected):
    response = api(persona).get("/api/v1/members/")
    assert response.status_code == 200
    assert {row["full_name"] for row in response.json()["results"]} == expected
    # No sensitive personal data in the list.
    assert (
        "religion" not in response.json()["results"][0]
        and "ethnicity" not in response.json()["results"][0]
    )


def test_anonymous_callers_are_refused(api, people):
    assert api("anonymous").get("/api/v1/members/").status_code in (401, 403)
    assert api("anonymous").get(f"/api/v1/members/{people['a'].pk}/").status_code in (401, 403)
    before = counts()
    assert api("anonymous").post(
        "/api/v1/members/", {**ADMISSION, "unit": 1}, format="json"
    ).status_code in (401, 403)
    assert counts() == before


def test_the_list_filters_like_the_page(api, tree, people):
    admit(tree.cell_a2, full_name="Nguyễn Văn Bình")
    client = api("manager_a")
    assert [
        r["full_name"] for r in client.get("/api/v1/members/?q=nguyen van").json()["results"]
    ] == ["Nguyễn Văn Bình"]
    rows = client.get(f"/api/v1/members/?unit={tree.cell_a1.pk}&status=official").json()["results"]
    assert [r["full_name"] for r in rows] == ["Lò Thị Mai"]


def test_the_list_query_count_does_not_grow_with_rows(
    api, tree, people, django_assert_max_num_queries
):
    client = api("manager_a")
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/members/")
    for i in range(15):
        admit(tree.cell_a2, full_name=f"Thành viên {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/members/")
    assert response.json()["count"] == 16


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("manager_a", 200), ("viewer_a", 200), ("outsider", 404)],
)
def test_opening_a_record_is_logged_and_hidden_outside_the_subtree(
    api, people, personas, persona, status
):
    member = people["a"]
    response = api(persona).get(f"/api/v1/members/{member.pk}/")
    assert response.status_code == status
    views = AuditEntry.objects.for_object(member).filter(action="view")
    if status == 200:
        assert (
            response.json()["ethnicity"] == "thai"
            and response.json()["party_age_months"] is not None
        )
        assert views.get().actor == personas[persona]
    else:
        assert not views.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 201), ("manager_a", 201), ("editor_a", 201), ("viewer_a", 403), ("outsider", 400)],
)
def test_admission_through_the_api(api, tree, personas, persona, status):
    before = counts()
    response = api(persona).post(
        "/api/v1/members/", {**ADMISSION, "unit": tree.cell_a1.pk}, format="json"
    )
    assert response.status_code == status, response.content
    if status == 201:
        member = Member.objects.get(full_name="Sần Thị Hoa")
        assert member.status == MemberStatus.PROBATIONARY and member.unit == tree.cell_a1
        assert AuditEntry.objects.for_object(member).get(action="create").actor == personas[persona]
        assert member.events.get().created_by == personas[persona]
    else:
        assert counts() == before


def test_an_admission_refused_by_a_rule_is_a_400_naming_the_field(api, tree):
    before = counts()
    response = api("manager_a").post(
        "/api/v1/members/",
        {**ADMISSION, "unit": tree.cell_a1.pk, "ceremony_date": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 400 and "ceremony_date" in response.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager_a", 200),
        ("editor_a", 200),
        ("viewer_a", 403),
        ("outsider", 404),
        ("anonymous", 403),
    ],
)
def test_personal_corrections_through_the_api(api, people, personas, persona, status):
    member = people["a"]
    response = api(persona).patch(
        f"/api/v1/members/{member.pk}/", {"occupation": "Giáo viên"}, format="json"
    )
    assert response.status_code in ((401, 403) if persona == "anonymous" else (status,))
    member.refresh_from_db()
    if status == 200:
        assert member.occupation == "Giáo viên"
        entry = AuditEntry.objects.for_object(member).filter(action="update").first()
        assert entry.actor == personas[persona] and entry.after["occupation"] == "Giáo viên"
    else:
        assert member.occupation == ""


def test_ledger_fields_cannot_be_patched(api, people):
    member = people["a"]
    response = api("manager_a").patch(
        f"/api/v1/members/{member.pk}/", {"status": "expelled"}, format="json"
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager_a", 201), ("editor_a", 201), ("viewer_a", 403), ("outsider", 404)],
)
def test_recording_an_event_dispatches_to_the_service(api, tree, personas, persona, status):
    member = admit(tree.cell_a1)
    before = counts()
    response = api(persona).post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "recognize", "decision_date": "2022-05-19"},
        format="json",
    )
    assert response.status_code == status, response.content
    member.refresh_from_db()
    if status == 201:
        assert member.status == MemberStatus.OFFICIAL
        event = MemberEvent.objects.get(pk=response.json()["id"])
        assert (event.kind, event.created_by) == (EventKind.RECOGNIZE, personas[persona])
        assert AuditEntry.objects.for_object(event).get(action="create").actor == personas[persona]
    else:
        assert member.status == MemberStatus.PROBATIONARY and counts() == before


def test_a_refused_event_is_a_400_and_writes_nothing(api, tree):
    member = admit(tree.cell_a1)
    before = counts()
    client = api("manager_a")
    early = client.post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "recognize", "decision_date": "2022-05-18"},
        format="json",
    )
    assert early.status_code == 400 and "decision_date" in early.json()
    missing = client.post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "discipline", "date": "2023-01-02"},
        format="json",
    )
    assert missing.status_code == 400 and {"discipline_level", "reason"} <= set(missing.json())
    assert counts() == before


def test_a_transfer_is_issued_by_the_sender_and_received_by_the_receiver(
    api, tree, people, outsider
):
    member = people["a"]
    out = api("manager_a").post(
        f"/api/v1/members/{member.pk}/events/",
        {
            "kind": "transfer_out",
            "to_unit": tree.cell_b1.pk,
            "date": "2023-03-01",
            "decision_number": "5-GGT",
        },
        format="json",
    )
    assert out.status_code == 201, out.content
    # The receiving side sees the member in transit and may record the arrival — nothing else.
    assert api("outsider").get(f"/api/v1/members/{member.pk}/").status_code == 200
    removal = api("outsider").post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "remove", "date": "2023-03-05", "reason": "x"},
        format="json",
    )
    assert removal.status_code == 403
    arrival = api("outsider").post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "transfer_in", "date": "2023-03-10"},
        format="json",
    )
    assert arrival.status_code == 201, arrival.content
    member.refresh_from_db()
    assert member.unit == tree.cell_b1 and member.transit_to is None
    assert MemberEvent.objects.get(member=member, kind=EventKind.TRANSFER_IN).created_by == outsider
    # Now outside commune A's subtree.
    assert api("manager_a").get(f"/api/v1/members/{member.pk}/").status_code == 404


def test_a_members_events_are_listed_in_order(api, people):
    response = api("viewer_a").get(f"/api/v1/members/{people['a'].pk}/events/")
    assert response.status_code == 200
    assert [e["kind"] for e in response.json()] == ["admit", "recognize"]


def test_the_event_ledger_filters_by_kind_date_and_unit(
    api, tree, people, django_assert_max_num_queries
):
    admit(
        tree.cell_a2,
        full_name="Mới",
        decision_date=dt.date(2024, 3, 4),
        ceremony_date=dt.date(2024, 3, 8),
    )
    client = api("manager_a")
    rows = client.get("/api/v1/member-events/?kind=admit&date_from=2024-01-01").json()["results"]
    assert [r["member_name"] for r in rows] == ["Mới"]
    rows = client.get(f"/api/v1/member-events/?unit={tree.cell_a1.pk}").json()["results"]
    assert {r["member_name"] for r in rows} == {"Lò Thị Mai"}
    assert api("outsider").get("/api/v1/member-events/?kind=admit").json()["count"] == 1
    for i in range(10):
        admit(tree.cell_a2, full_name=f"Người {i}")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/member-events/").json()["count"] == 13


def test_the_schema_validates(tmp_path):
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
