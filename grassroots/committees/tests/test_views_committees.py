"""The committee pages: a persona matrix over the tab and the forms, with the saved rows and the
audit actor asserted."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.committees.choices import CommitteeKind
from grassroots.committees.models import Committee, CommitteeSeat
from grassroots.committees.services import committee_create, term_get_or_create
from grassroots.core.models import AuditEntry


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("admin", 200),
        ("manager_a", 200),
        ("editor_a", 200),
        ("viewer_a", 200),
        ("outsider", 404),
    ],
)
def test_the_committee_tab_is_scoped_to_the_subtree(tree, as_persona, persona, status):
    url = reverse("committees:unit_committee", args=[tree.commune_a.pk])
    response = as_persona(persona).get(url)
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("editor_a", 302),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_committees_and_seats_need_the_editor_role(tree, personas, as_persona, persona, status):
    client = as_persona(persona)
    r = client.post(
        reverse("committees:committee_create", args=[tree.commune_a.pk]),
        {
            "start_year": 2020,
            "end_year": 2025,
            "kind": "executive",
            "elected_size": 15,
            "approved_next_size": 17,
        },
    )
    assert r.status_code == status
    committee = Committee.objects.filter(unit=tree.commune_a).first()
    if status != 302:
        assert committee is None
        committee = committee_create(
            actor=None,
            unit=tree.commune_a,
            term=term_get_or_create(start_year=2020, end_year=2025),
            kind=CommitteeKind.EXECUTIVE,
        )
    else:
        assert committee.approved_next_size == 17
        assert AuditEntry.objects.for_object(committee).get().actor == personas[persona]
    r = client.post(
        reverse("committees:seat_add", args=[committee.pk]),
        {"person_name": "Vàng A Sử", "position": "secretary"},
    )
    assert r.status_code == status
    assert CommitteeSeat.objects.filter(person_name="Vàng A Sử").exists() == (status == 302)
    page = client.get(reverse("committees:unit_committee", args=[tree.commune_a.pk]))
    if status == 302:
        seat = CommitteeSeat.objects.get()
        assert "Vàng A Sử" in page.content.decode()
        r = client.post(reverse("committees:seat_end", args=[seat.pk]), {"to_date": "2023-01-01"})
        assert r.status_code == 302 and CommitteeSeat.objects.get().to_date == dt.date(2023, 1, 1)


def test_the_committee_tab_is_a_tab_of_the_unit_page(tree, as_persona):
    committee_page = reverse("committees:unit_committee", args=[tree.commune_a.pk])
    overview = reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    assert committee_page in as_persona("viewer_a").get(overview).content.decode()
    html = as_persona("viewer_a").get(committee_page).content.decode()
    assert f'href="{committee_page}" aria-current="page"' in html


def test_a_refused_committee_shows_the_message_on_its_field_and_saves_nothing(tree, as_persona):
    response = as_persona("manager_a").post(
        reverse("committees:committee_create", args=[tree.cell_a1.pk]),
        {"start_year": 2020, "end_year": 2025, "kind": "cell", "elected_size": 5},
    )
    assert response.status_code == 400
    assert "fewer than" in response.content.decode()
    assert not Committee.objects.exists()
