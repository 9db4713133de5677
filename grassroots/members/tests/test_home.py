"""The member work on the home page: the user's units with today's figures, and what falls due
in them, each item linking to the page where it is done."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment, User
from grassroots.conftest import client_for
from grassroots.core.dates import add_months
from grassroots.core.rules import rule
from grassroots.members.services import member_transfer_out
from grassroots.members.tests.page_helpers import admit


def today() -> dt.date:
    return timezone.localdate()


def ceremony_for_probation_ending(day: dt.date) -> dt.date:
    return add_months(day, -int(rule("probation_months")))


def admit_ending(unit, day: dt.date, name: str):
    ceremony = ceremony_for_probation_ending(day)
    return admit(
        unit, full_name=name, decision_date=ceremony - dt.timedelta(days=5), ceremony_date=ceremony
    )


def official(unit, name: str):
    from grassroots.members.services import member_recognize

    member = admit(unit, full_name=name)
    member_recognize(actor=None, member=member, decision_date=today() - dt.timedelta(days=300))
    return member


@pytest.fixture
def secretary(tree) -> User:
    """The secretary of cell A1: an editor of that cell only."""
    user = User.objects.create_user(username="secretary", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.cell_a1, role=RoleAssignment.Role.EDITOR)
    return user


def home_html(user) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_cells_secretary_sees_her_cell_first_with_todays_figures_and_an_admit_button(
    tree, secretary
):
    official(tree.cell_a1, "Lò Văn Một")
    admit(tree.cell_a1, full_name="Lò Văn Hai")
    html = home_html(secretary)
    units = html[html.index("Your units") : html.index("What is due")]
    assert tree.cell_a1.name in units and tree.commune_a.name not in units
    assert reverse("organizations:unit_detail", args=[tree.cell_a1.pk]) in units
    assert "<strong>2</strong> members today" in units
    assert f"{reverse('members:member_admit')}?unit={tree.cell_a1.pk}" in units


def test_a_reader_gets_no_admit_button(tree, viewer_a):
    html = home_html(viewer_a)
    assert tree.commune_a.name in html and reverse("members:member_admit") not in html


def test_recognitions_falling_due_within_sixty_days_or_overdue_are_listed_with_their_dates(
    tree, manager_a
):
    soon = admit_ending(tree.cell_a1, today() + dt.timedelta(days=20), "Lò Văn Sắp")
    admit_ending(tree.cell_a1, today() + dt.timedelta(days=90), "Lò Văn Còn Lâu")
    late = admit(tree.cell_a2, full_name="Lò Văn Trễ")  # probation ended about a year ago
    html = home_html(manager_a)
    due = html[html.index("What is due") :]
    assert "Lò Văn Sắp" in due and "Lò Văn Trễ" in due and "Lò Văn Còn Lâu" not in due
    assert due.index("Lò Văn Trễ") < due.index("Lò Văn Sắp")  # the overdue first
    assert reverse("members:member_recognize", args=[soon.pk]) in due
    assert reverse("members:member_recognize", args=[late.pk]) in due
    end = today() + dt.timedelta(days=20)
    assert f'datetime="{end.isoformat()}"' in due


def test_a_reader_is_led_to_the_members_record_not_to_the_form(tree, viewer_a):
    member = admit(tree.cell_a1, full_name="Lò Văn Trễ")
    html = home_html(viewer_a)
    assert reverse("members:member_detail", args=[member.pk]) in html
    assert reverse("members:member_recognize", args=[member.pk]) not in html


def test_an_overdue_transfer_is_listed_on_both_sides_with_the_arrival_for_the_receiver(
    tree, manager_a, outsider
):
    member = official(tree.cell_a1, "Lò Văn Chuyển")
    member_transfer_out(
        actor=None, member=member, to_unit=tree.cell_b1, date=today() - dt.timedelta(days=60)
    )
    assert "Lò Văn Chuyển" in home_html(manager_a)
    assert reverse("members:member_transfer_in", args=[member.pk]) in home_html(outsider)


def test_a_temporary_stay_past_its_end_is_listed(tree, manager_a):
    member = official(tree.cell_b1, "Lò Văn Tạm")
    member_transfer_out(
        actor=None,
        member=member,
        to_unit=tree.cell_a1,
        date=today() - dt.timedelta(days=60),
        mode="temporary",
        until=today() - dt.timedelta(days=3),
    )
    html = home_html(manager_a)
    assert "Temporary stay of Lò Văn Tạm" in html


def test_units_below_the_minimum_size_are_listed_with_a_link_to_their_page(tree, secretary):
    html = home_html(secretary)
    due = html[html.index("What is due") :]
    assert f"{tree.cell_a1.name} is below the minimum size" in due
    assert reverse("organizations:unit_detail", args=[tree.cell_a1.pk]) in due


def test_nothing_of_another_subtree_is_listed(tree, outsider):
    admit(tree.cell_a1, full_name="Lò Văn Trễ")
    html = home_html(outsider)
    assert "Lò Văn Trễ" not in html and tree.commune_a.name not in html


def test_the_home_reads_the_same_number_of_queries_whatever_the_number_due(tree, manager_a):
    admit(tree.cell_a1, full_name="Lò Văn Một")
    client = client_for(manager_a)
    client.get(reverse("home"))  # warms the per-process caches (rules, holidays)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(6):
        admit(tree.cell_a2, full_name=f"Lò Văn Số {n}")
    member = official(tree.cell_a2, "Lò Văn Chuyển")
    member_transfer_out(
        actor=None, member=member, to_unit=tree.cell_a1, date=today() - dt.timedelta(days=60)
    )
    client.get(reverse("home"))  # today's figures are cached again, as after any change
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("home"))
    assert "Lò Văn Số 5" in response.content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 25, [q["sql"] for q in many.captured_queries]


def test_a_probationary_member_in_transit_leads_to_the_record_until_received(tree, manager_a):
    member = admit(tree.cell_a1, full_name="Lò Văn Đi")  # probation ended about a year ago
    member_transfer_out(
        actor=None, member=member, to_unit=tree.cell_a2, date=today() - dt.timedelta(days=5)
    )
    html = home_html(manager_a)
    assert reverse("members:member_recognize", args=[member.pk]) not in html
    assert reverse("members:member_detail", args=[member.pk]) in html


def test_an_administrator_without_roles_starts_from_the_top_of_the_tree(tree, admin_user):
    html = home_html(admin_user)
    units = html[html.index("Your units") : html.index("What is due")]
    assert tree.root.name in units and tree.province.name not in units
