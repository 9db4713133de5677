"""Every read that returns a member's sensitive personal data (religion, ethnicity, birth date,
party card number) or selects members by it leaves an audit row: who, which member or which
filter on which unit with how many rows, and when; pages and API alike."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.members.models import Candidate
from grassroots.members.services import candidate_propose

from .page_helpers import admit

SENSITIVE = {"religion", "ethnicity", "birth_date", "party_card_number"}


@pytest.fixture
def people(tree):
    return {
        "catholic": admit(
            tree.cell_a1,
            full_name="Phạm Văn Giáo",
            religion="catholic",
            party_card_number="93000011",
        ),
        "other": admit(tree.cell_a1, full_name="Lò Văn Một", ethnicity="thai"),
        "a2": admit(tree.cell_a2, full_name="Vàng Thị Hai", religion="catholic", ethnicity="mong"),
        "b": admit(tree.cell_b1, full_name="Lý A Ngoài", religion="catholic"),
    }


def reads() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="view").order_by("id"))


def only_read(**lookup) -> AuditEntry:
    return AuditEntry.objects.filter(action="view", **lookup).get()


def test_listing_members_by_religion_on_the_page_logs_the_filter_the_unit_and_the_count(
    tree, people, personas, as_persona
):
    response = as_persona("manager_a").get(
        reverse("members:member_list"), {"unit": tree.cell_a1.pk, "religion": "catholic"}
    )
    assert response.status_code == 200
    entry = only_read()
    assert entry.actor == personas["manager_a"]
    assert entry.object_id == str(tree.cell_a1.pk) and entry.unit_path == tree.cell_a1.path
    assert entry.after["read"] == "member_list"
    # The list's default (the current members) is one of the filters the read used.
    assert entry.after["filters"] == {
        "religion": "catholic",
        "status": "active",
        "unit": str(tree.cell_a1.pk),
    }
    assert entry.after["count"] == 1
    assert "catholic" in entry.note or "Catholicism" in entry.note


def test_listing_members_by_ethnicity_through_the_api_logs_the_callers_subtree_and_the_count(
    tree, people, personas, api
):
    response = api("viewer_a").get("/api/v1/members/", {"ethnicity": "mong"})
    assert response.status_code == 200 and response.json()["count"] == 1
    entry = only_read()
    assert entry.actor == personas["viewer_a"]
    # No unit chosen: the read is filed on the top of the caller's subtrees.
    assert entry.object_id == str(tree.commune_a.pk)
    assert entry.after == {"read": "member_list", "filters": {"ethnicity": "mong"}, "count": 1}


def test_selecting_members_by_age_or_by_party_card_number_is_logged(
    tree, people, personas, as_persona, api
):
    as_persona("manager_a").get(reverse("members:member_list"), {"age_band": "31_40"})
    api("manager_a").get("/api/v1/members/", {"q": "93000011"})
    first, second = reads()
    assert first.after["filters"] == {"age_band": "31_40", "status": "active"}
    assert second.after["filters"] == {"q": "93000011"} and second.after["count"] == 1
    assert {first.actor, second.actor} == {personas["manager_a"]}


def test_a_list_selected_by_name_or_status_only_writes_no_read_entry(tree, people, as_persona, api):
    as_persona("manager_a").get(reverse("members:member_list"), {"q": "nguyen", "status": "active"})
    api("manager_a").get("/api/v1/members/", {"status": "active"})
    assert reads() == []


def test_the_member_list_page_shows_no_ethnicity_or_birth_year(tree, people, as_persona):
    html = (
        as_persona("manager_a")
        .get(reverse("members:member_list"), {"unit": tree.cell_a1.pk})
        .content.decode()
    )
    assert "Lò Văn Một" in html
    assert "Thái" not in html.split('id="member-results"')[1]
    # Born in 1990 (page_helpers.admit): no date of birth, in any format, on the list.
    assert "/1990" not in html and "1990-" not in html


def test_the_member_edit_page_logs_the_read_of_the_member(tree, people, personas, as_persona):
    member = people["catholic"]
    response = as_persona("manager_a").get(reverse("members:member_edit", args=[member.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.for_object(member).get(action="view")
    assert entry.actor == personas["manager_a"] and entry.unit_path == tree.cell_a1.path
    assert entry.note


def test_the_member_patch_response_is_logged_as_a_read(tree, people, personas, api):
    member = people["other"]
    response = api("manager_a").patch(
        f"/api/v1/members/{member.pk}/", {"occupation": "Nông dân"}, format="json"
    )
    assert response.status_code == 200 and response.json()["ethnicity"] == "thai"
    entry = AuditEntry.objects.for_object(member).get(action="view")
    assert entry.actor == personas["manager_a"]


def test_a_members_events_through_the_api_are_logged_on_the_member(tree, people, personas, api):
    member = people["other"]
    assert api("viewer_a").get(f"/api/v1/members/{member.pk}/events/").status_code == 200
    assert api("viewer_a").get("/api/v1/member-events/", {"member": member.pk}).status_code == 200
    entries = AuditEntry.objects.for_object(member).filter(action="view")
    assert entries.count() == 2
    assert {e.actor for e in entries} == {personas["viewer_a"]}


def test_the_event_ledger_listed_by_unit_is_logged_with_the_unit_and_count(
    tree, people, personas, api
):
    response = api("viewer_a").get("/api/v1/member-events/", {"unit": tree.cell_a1.pk})
    assert response.status_code == 200
    entry = only_read()
    assert entry.object_id == str(tree.cell_a1.pk) and entry.actor == personas["viewer_a"]
    assert entry.after == {
        "read": "member_events",
        "filters": {"unit": str(tree.cell_a1.pk)},
        "count": 2,
    }


def test_an_export_logs_its_filters_unit_and_row_count(tree, people, personas, as_persona):
    response = as_persona("viewer_a").get(
        reverse("members:member_export"),
        {"unit": tree.commune_a.pk, "religion": "catholic", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3
    entry = AuditEntry.objects.filter(action="view", after__read="member_export").get()
    assert entry.actor == personas["viewer_a"] and entry.object_id == str(tree.commune_a.pk)
    assert entry.after["filters"] == {
        "religion": "catholic",
        "status": "active",
        "unit": str(tree.commune_a.pk),
    }
    assert entry.after["count"] == 2 and entry.after["format"] == "csv"


def _candidate(unit) -> Candidate:
    return candidate_propose(
        actor=None,
        unit=unit,
        full_name="Sần Thị Mai",
        gender="female",
        birth_date=dt.date(2000, 2, 2),
        ethnicity="ha_nhi",
        religion="buddhism",
        proposed_by="cell",
        proposed_on=dt.date(2023, 1, 9),
    )


def test_the_candidate_list_api_returns_no_religion_ethnicity_or_birth_date(tree, api):
    _candidate(tree.cell_a1)
    rows = api("manager_a").get("/api/v1/candidates/").json()["results"]
    assert rows and rows[0]["full_name"] == "Sần Thị Mai"
    assert not SENSITIVE & set(rows[0])
    assert reads() == []


def test_a_candidates_detail_keeps_the_personal_data_and_logs_the_read(tree, personas, api):
    candidate = _candidate(tree.cell_a1)
    data = api("viewer_a").get(f"/api/v1/candidates/{candidate.pk}/").json()
    assert data["ethnicity"] == "ha_nhi" and data["birth_date"] == "2000-02-02"
    entry = AuditEntry.objects.for_object(candidate).get(action="view")
    assert entry.actor == personas["viewer_a"] and entry.unit_path == tree.cell_a1.path


def test_the_candidate_actions_answer_without_personal_data(tree, api):
    candidate = _candidate(tree.cell_a1)
    response = api("manager_a").post(
        f"/api/v1/candidates/{candidate.pk}/drop/", {"reason": "Chuyển đi"}, format="json"
    )
    assert response.status_code == 200 and not SENSITIVE & set(response.json())


def test_the_candidate_board_shows_no_birth_year_or_ethnicity(tree, as_persona):
    candidate = _candidate(tree.cell_a1)
    html = (
        as_persona("manager_a")
        .get(reverse("members:candidate_board"), {"unit": tree.cell_a1.pk})
        .content.decode()
    )
    card = html.split(f'id="candidate-{candidate.pk}"')[1].split("</article>")[0]
    assert "Sần Thị Mai" in card
    assert "2000" not in card and "Hà Nhì" not in card
