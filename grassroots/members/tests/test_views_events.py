import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.core.models import AuditEntry
from grassroots.members.choices import EventKind, MemberStatus
from grassroots.members.models import Member, MemberEvent
from grassroots.members.services import member_remove, member_transfer_out

from .page_helpers import admit


def d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def recently(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def url(name: str, member: Member) -> str:
    return reverse(f"members:{name}", args=[member.pk])


def events(member, kind) -> int:
    return MemberEvent.objects.filter(member=member, kind=kind).count()


# Each event form: its URL name, a valid POST, and the event kind it appends.
CASES = [
    (
        "member_recognize",
        lambda t: {"decision_date": d(recently(5)), "decision_number": "9-QĐ/ĐU"},
        EventKind.RECOGNIZE,
    ),
    (
        "member_transfer_out",
        lambda t: {"mode": "official", "to_unit": t.cell_a2.pk, "date": d(recently(5))},
        EventKind.TRANSFER_OUT,
    ),
    (
        "member_discipline",
        lambda t: {
            "level": "reprimand",
            "date": d(recently(5)),
            "decision_number": "3-QĐ/UBKT",
            "issuer": "Ủy ban kiểm tra",
            "reason": "Vi phạm quy định",
        },
        EventKind.DISCIPLINE,
    ),
    (
        "member_remove",
        lambda t: {"date": d(recently(5)), "reason": "Bỏ sinh hoạt 3 tháng"},
        EventKind.REMOVE,
    ),
    ("member_death", lambda t: {"date": d(recently(5))}, EventKind.DEATH),
]


@pytest.mark.parametrize(("name", "data", "kind"), CASES)
def test_anonymous_visitors_are_sent_to_login_from_every_event_form(
    tree, as_persona, name, data, kind
):
    member = admit(tree.cell_a1)
    response = as_persona("anonymous").post(url(name, member), data(tree))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert events(member, kind) == 0


@pytest.mark.parametrize(("name", "data", "kind"), CASES)
@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("viewer_a", 403)])
def test_event_forms_are_refused_outside_and_to_readers_and_write_nothing(
    tree, personas, as_persona, name, data, kind, persona, status
):
    member = admit(tree.cell_a1)
    client = as_persona(persona)
    assert client.get(url(name, member)).status_code == status
    assert client.post(url(name, member), data(tree)).status_code == status
    assert events(member, kind) == 0


@pytest.mark.parametrize(("name", "data", "kind"), CASES)
@pytest.mark.parametrize("persona", ["manager_a", "editor_a"])
def test_a_manager_or_editor_records_each_event(
    tree, personas, as_persona, name, data, kind, persona
):
    member = admit(tree.cell_a1)
    client = as_persona(persona)
    assert client.get(url(name, member)).status_code == 200
    response = client.post(url(name, member), data(tree))
    assert response.status_code == 302 and response["Location"] == url("member_detail", member)
    event = MemberEvent.objects.get(member=member, kind=kind)
    assert event.created_by == personas[persona]
    assert AuditEntry.objects.for_object(event).get(action="create").actor == personas[persona]


def test_recognition_before_probation_ends_shows_the_refusal_on_the_date_field(
    tree, personas, as_persona
):
    member = admit(tree.cell_a1, decision_date=recently(40), ceremony_date=recently(35))
    response = as_persona("manager_a").post(
        url("member_recognize", member), {"decision_date": d(recently(1))}
    )
    assert response.status_code == 400
    assert "decision_date" in response.context["form"].errors
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY and events(member, EventKind.RECOGNIZE) == 0


def test_recognition_makes_the_member_official_from_the_end_of_probation(
    tree, personas, as_persona
):
    member = admit(tree.cell_a1)
    as_persona("manager_a").post(url("member_recognize", member), {"decision_date": d(recently(5))})
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert member.official_date < recently(5)


def test_a_transfer_to_a_cell_typed_by_code_outside_the_subtree(tree, personas, as_persona):
    member = admit(tree.cell_a1)
    response = as_persona("manager_a").post(
        url("member_transfer_out", member),
        {"mode": "official", "to_unit_code": "xb-1", "date": d(recently(3))},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.transit_to == tree.cell_b1


def test_a_transfer_without_a_destination_or_with_an_unknown_code_is_refused(
    tree, personas, as_persona
):
    member = admit(tree.cell_a1)
    client = as_persona("manager_a")
    response = client.post(
        url("member_transfer_out", member), {"mode": "official", "date": d(recently(3))}
    )
    assert "to_unit" in response.context["form"].errors
    response = client.post(
        url("member_transfer_out", member),
        {"mode": "official", "to_unit_code": "NOPE", "date": d(recently(3))},
    )
    assert "to_unit_code" in response.context["form"].errors
    assert events(member, EventKind.TRANSFER_OUT) == 0


def test_a_transfer_dated_in_the_future_is_refused_on_the_date_field(tree, personas, as_persona):
    member = admit(tree.cell_a1)
    future = timezone.localdate() + dt.timedelta(days=10)
    response = as_persona("manager_a").post(
        url("member_transfer_out", member),
        {"mode": "official", "to_unit": tree.cell_a2.pk, "date": d(future)},
    )
    assert response.status_code == 400 and "date" in response.context["form"].errors
    assert events(member, EventKind.TRANSFER_OUT) == 0


def test_the_receiving_cell_records_the_arrival(tree, personas, manager_a, as_persona):
    member = admit(tree.cell_a1)
    member_transfer_out(actor=manager_a, member=member, to_unit=tree.cell_a2, date=recently(6))
    response = as_persona("editor_a").post(
        url("member_transfer_in", member), {"date": d(recently(2))}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.unit == tree.cell_a2 and member.transit_to is None
    assert (
        MemberEvent.objects.get(member=member, kind=EventKind.TRANSFER_IN).created_by
        == personas["editor_a"]
    )


def test_the_arrival_form_belongs_to_the_receiving_unit(tree, personas, manager_a, as_persona):
    """Commune B's manager records the arrival of a member sent from commune A to its cell."""
    member = admit(tree.cell_a1)
    member_transfer_out(actor=manager_a, member=member, to_unit=tree.cell_b1, date=recently(6))
    assert (
        as_persona("viewer_a")
        .post(url("member_transfer_in", member), {"date": d(recently(2))})
        .status_code
        == 403
    )
    response = as_persona("outsider").post(
        url("member_transfer_in", member), {"date": d(recently(2))}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.unit == tree.cell_b1


def test_a_temporary_transfer_and_the_return(tree, personas, as_persona):
    member = admit(tree.cell_a1)
    client = as_persona("manager_a")
    client.post(
        url("member_transfer_out", member),
        {
            "mode": "temporary",
            "to_unit": tree.cell_a2.pk,
            "date": d(recently(10)),
            "until": d(recently(-60)),
        },
    )
    member.refresh_from_db()
    assert member.attending_unit == tree.cell_a2 and member.unit == tree.cell_a1
    response = client.post(url("member_temporary_return", member), {"date": d(recently(1))})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.attending_unit is None
    assert events(member, EventKind.TEMP_TRANSFER_RETURN) == 1


def test_a_removed_member_is_readmitted_through_the_form(tree, personas, manager_a, as_persona):
    member = admit(tree.cell_a1, decision_date=recently(1500), ceremony_date=recently(1495))
    member_remove(actor=manager_a, member=member, date=recently(1200), reason="Bỏ sinh hoạt")
    response = as_persona("manager_a").post(
        url("member_readmit", member),
        {
            "unit": tree.cell_a2.pk,
            "decision_date": d(recently(20)),
            "ceremony_date": d(recently(15)),
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.unit, member.readmission_count) == (
        MemberStatus.PROBATIONARY,
        tree.cell_a2,
        1,
    )


def test_a_form_not_open_for_the_members_state_sends_back_to_the_record(
    tree, personas, manager_a, as_persona
):
    member = admit(tree.cell_a1)
    member_remove(actor=manager_a, member=member, date=recently(20), reason="Bỏ sinh hoạt")
    response = as_persona("manager_a").post(url("member_death", member), {"date": d(recently(2))})
    assert response.status_code == 302 and response["Location"] == url("member_detail", member)
    assert events(member, EventKind.DEATH) == 0
