"""The pages and the API of the ledger rules agree with the services: the temporary arrival
recorded by the receiving cell, discipline of a probationary member, dismissal naming a seat,
the reason for leaving, the recognition vote — for each persona, with the database state and the
audit rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.committees.choices import CommitteeKind, Position
from grassroots.committees.services import committee_create, seat_add, term_get_or_create
from grassroots.core.models import AuditEntry
from grassroots.members.choices import EventKind, LeavingReason
from grassroots.members.models import MemberEvent
from grassroots.members.services import member_transfer_out
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.services import unit_create

from .page_helpers import admit


def recently(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def visitor(tree):
    """A member of a cell outside every persona's subtree but the admin's, temporarily attending
    cell A1 until some days ago."""
    commune_c = unit_create(
        actor=None,
        code="XC",
        name="Xã Tân Lập",
        kind=UnitKind.GRASSROOTS,
        parent=tree.province,
        valid_from=dt.date(2015, 1, 1),
    )
    cell_c1 = unit_create(
        actor=None,
        code="XC-1",
        name="Chi bộ thôn Nam",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=commune_c,
        valid_from=dt.date(2015, 1, 1),
    )
    member = admit(cell_c1, full_name="Hoàng Văn Khách")
    member_transfer_out(
        actor=None,
        member=member,
        to_unit=tree.cell_a1,
        date=recently(60),
        mode="temporary",
        until=recently(3),
    )
    member.refresh_from_db()
    return member


def arrivals(member) -> int:
    return MemberEvent.objects.filter(member=member, kind=EventKind.TEMP_TRANSFER_IN).count()


# --- the temporary arrival ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login_from_the_temporary_arrival(visitor, as_persona):
    url = reverse("members:member_temporary_arrival", args=[visitor.pk])
    response = as_persona("anonymous").post(url, {"date": d(recently(50))})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert arrivals(visitor) == 0


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("viewer_a", 403)])
def test_the_temporary_arrival_is_refused_outside_and_to_readers(
    visitor, personas, as_persona, persona, status
):
    url = reverse("members:member_temporary_arrival", args=[visitor.pk])
    client = as_persona(persona)
    assert client.get(url).status_code == status
    assert client.post(url, {"date": d(recently(50))}).status_code == status
    assert arrivals(visitor) == 0


@pytest.mark.parametrize("persona", ["admin", "manager_a"])
def test_the_receiving_cells_manager_records_the_temporary_arrival_on_the_page(
    visitor, personas, as_persona, persona
):
    client = as_persona(persona)
    detail = client.get(reverse("members:member_detail", args=[visitor.pk])).content.decode()
    assert reverse("members:member_temporary_arrival", args=[visitor.pk]) in detail
    assert "ended on" in detail  # the stay is past its end: flagged on the record
    response = client.post(
        reverse("members:member_temporary_arrival", args=[visitor.pk]), {"date": d(recently(50))}
    )
    assert response.status_code == 302
    visitor.refresh_from_db()
    assert visitor.attending_since == recently(50) and visitor.unit.code == "XC-1"
    event = MemberEvent.objects.get(member=visitor, kind=EventKind.TEMP_TRANSFER_IN)
    assert event.created_by == personas[persona]
    assert AuditEntry.objects.for_object(event).get(action="create").actor == personas[persona]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", (401, 403)),
        ("outsider", (404,)),
        ("viewer_a", (403,)),
        ("manager_a", (201,)),
        ("admin", (201,)),
    ],
)
def test_the_temporary_arrival_through_the_api(visitor, api, personas, persona, status):
    response = api(persona).post(
        f"/api/v1/members/{visitor.pk}/events/",
        {"kind": "temp_in", "date": recently(50).isoformat()},
        format="json",
    )
    assert response.status_code in status, response.content
    assert arrivals(visitor) == (1 if status == (201,) else 0)
    if status == (201,):
        assert (
            MemberEvent.objects.get(kind=EventKind.TEMP_TRANSFER_IN).created_by == personas[persona]
        )
        flags = api(persona).get(f"/api/v1/members/{visitor.pk}/").json()["flags"]
        assert "temporary_stay_overdue" in [f["code"] for f in flags]


def test_a_temporary_transfer_without_an_end_date_is_refused_on_the_page_and_in_the_api(
    tree, as_persona, api
):
    member = admit(tree.cell_a1)
    page = as_persona("manager_a").post(
        reverse("members:member_transfer_out", args=[member.pk]),
        {"mode": "temporary", "to_unit": tree.cell_a2.pk, "date": d(recently(5))},
    )
    assert page.status_code == 400 and "until" in page.context["form"].errors
    response = api("manager_a").post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "temp_out", "to_unit": tree.cell_a2.pk, "date": recently(5).isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "until" in response.json()
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.TEMP_TRANSFER_OUT).exists()


# --- discipline, seats and the reason for leaving ------------------------------------------------


def test_the_discipline_form_offers_a_probationary_member_only_a_reprimand_or_a_warning(
    tree, as_persona
):
    member = admit(tree.cell_a1)
    url = reverse("members:member_discipline", args=[member.pk])
    client = as_persona("manager_a")
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["level"].choices] == ["reprimand", "warning"]
    response = client.post(
        url,
        {
            "level": "expulsion",
            "date": d(recently(5)),
            "decision_number": "3",
            "issuer": "UBKT",
            "reason": "Vi phạm",
        },
    )
    assert response.status_code == 400 and "level" in response.context["form"].errors
    api_response = APIClient()
    api_response.force_authenticate(response.wsgi_request.user)
    refused = api_response.post(
        f"/api/v1/members/{member.pk}/events/",
        {
            "kind": "discipline",
            "discipline_level": "expulsion",
            "date": recently(5).isoformat(),
            "reason": "Vi phạm",
        },
        format="json",
    )
    assert refused.status_code == 400 and "removal" in refused.json()["level"][0]
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.DISCIPLINE).exists()


def _official_with_seat(tree):
    from grassroots.members.services import member_recognize

    member = admit(tree.cell_a1)
    member_recognize(actor=None, member=member, decision_date=recently(300))
    member.refresh_from_db()
    today = timezone.localdate()
    term = term_get_or_create(start_year=today.year - 1, end_year=today.year + 4)
    committee = committee_create(
        actor=None, unit=tree.commune_a, term=term, kind=CommitteeKind.EXECUTIVE, elected_size=15
    )
    seat = seat_add(
        actor=None,
        committee=committee,
        member=member,
        position=Position.DEPUTY,
        from_date=recently(200),
    )
    return member, seat


def test_a_dismissal_on_the_page_ends_the_seat_it_names(tree, personas, as_persona):
    member, seat = _official_with_seat(tree)
    url = reverse("members:member_discipline", args=[member.pk])
    client = as_persona("manager_a")
    choices = client.get(url).context["form"].fields["seat"].choices
    assert [value for value, _label in choices if value != ""] == [seat.pk]
    data = {
        "level": "dismissal",
        "date": d(recently(5)),
        "decision_number": "3",
        "issuer": "UBKT",
        "reason": "Vi phạm",
    }
    missing = client.post(url, data)
    assert missing.status_code == 400 and "seat" in missing.context["form"].errors
    assert client.post(url, {**data, "seat": seat.pk}).status_code == 302
    seat.refresh_from_db()
    assert seat.to_date == recently(5)
    assert AuditEntry.objects.for_object(seat).get(action="update").actor == personas["manager_a"]
    committee_page = client.get(reverse("committees:unit_committee", args=[tree.commune_a.pk]))
    assert committee_page.context["committees"][0].held == 0


def test_a_dismissal_through_the_api_ends_the_seat_it_names(tree, api):
    member, seat = _official_with_seat(tree)
    response = api("manager_a").post(
        f"/api/v1/members/{member.pk}/events/",
        {
            "kind": "discipline",
            "discipline_level": "dismissal",
            "seat": seat.pk,
            "date": recently(5).isoformat(),
            "reason": "Vi phạm",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    seat.refresh_from_db()
    assert seat.to_date == recently(5)


def test_the_reason_for_leaving_is_recorded_by_the_removal_form_and_the_api(tree, as_persona, api):
    member, other = admit(tree.cell_a1), admit(tree.cell_a1, full_name="Lò Văn Hai")
    response = as_persona("manager_a").post(
        reverse("members:member_remove", args=[member.pk]),
        {
            "date": d(recently(5)),
            "reason": "Tự bỏ sinh hoạt",
            "leaving_reason": LeavingReason.QUIT_ACTIVITIES,
        },
    )
    assert response.status_code == 302
    assert (
        MemberEvent.objects.get(member=member, kind=EventKind.REMOVE).leaving_reason
        == "quit_activities"
    )
    response = api("manager_a").post(
        f"/api/v1/members/{other.pk}/events/",
        {
            "kind": "remove",
            "date": recently(5).isoformat(),
            "reason": "Xin ra",
            "leaving_reason": "family_hardship",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["leaving_reason"] == "family_hardship"


def test_the_readmission_form_refuses_a_member_who_quit_party_activities(tree, as_persona):
    member = admit(tree.cell_a1, decision_date=recently(1500), ceremony_date=recently(1495))
    as_persona("manager_a").post(
        reverse("members:member_remove", args=[member.pk]),
        {
            "date": d(recently(1200)),
            "reason": "Tự bỏ sinh hoạt",
            "leaving_reason": LeavingReason.QUIT_ACTIVITIES,
        },
    )
    response = as_persona("manager_a").post(
        reverse("members:member_readmit", args=[member.pk]),
        {
            "unit": tree.cell_a1.pk,
            "decision_date": d(recently(20)),
            "ceremony_date": d(recently(15)),
        },
    )
    assert response.status_code == 400
    assert "excludes readmission" in str(response.context["form"].non_field_errors())
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.RESTORE).exists()


# --- the recognition vote -------------------------------------------------------------------------


def test_the_recognition_form_and_the_api_refuse_a_vote_below_two_thirds_naming_the_votes_for(
    tree, as_persona, api
):
    from grassroots.members.services import member_recognize

    for name in ("Lý A Tủa", "Hầu A Lử", "Vàng A Sử"):
        colleague = admit(
            tree.cell_a1, full_name=name, decision_date=recently(800), ceremony_date=recently(795)
        )
        member_recognize(actor=None, member=colleague, decision_date=recently(400))
    member = admit(tree.cell_a1)
    data = {
        "decision_date": d(recently(5)),
        "cell_vote_date": d(recently(10)),
        "votes_for": 1,
        "votes_total": 3,
    }
    response = as_persona("manager_a").post(
        reverse("members:member_recognize", args=[member.pk]), data
    )
    assert response.status_code == 400
    assert (
        "at least 2 of the cell's 3 official members"
        in response.context["form"].errors["votes_for"][0]
    )
    refused = api("manager_a").post(
        f"/api/v1/members/{member.pk}/events/",
        {
            "kind": "recognize",
            "decision_date": recently(5).isoformat(),
            "cell_vote_date": recently(10).isoformat(),
            "votes_for": 1,
        },
        format="json",
    )
    assert refused.status_code == 400 and "votes_for" in refused.json()
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.RECOGNIZE).exists()
    response = as_persona("manager_a").post(
        reverse("members:member_recognize", args=[member.pk]), {**data, "votes_for": 2}
    )
    assert response.status_code == 302
    event = MemberEvent.objects.get(member=member, kind=EventKind.RECOGNIZE)
    assert (event.details["votes_for"], event.details["official_members"]) == (2, 3)
