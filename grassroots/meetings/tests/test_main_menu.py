"""The main menu leads whoever holds a role to the everyday work — meetings, "4 good",
inspections, feedback, classifications — and shows none of it to an account without a role."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from grassroots.accounts.models import RoleAssignment
from grassroots.conftest import client_for

pytestmark = pytest.mark.django_db

WORK = (
    "meetings:meeting_list",
    "assessments:registration_list",
    "inspections:inspection_list",
    "feedback:feedback_list",
    "classifications:index",
)


def menu(user) -> str:
    html = client_for(user).get(reverse("home")).content.decode()
    start = html.index('<nav aria-label="Main">')
    return html[start : html.index("</nav>", start)]


def test_a_cell_secretary_and_the_administrator_find_the_everyday_work(tree, admin_user):
    secretary = get_user_model().objects.create_user(username="bithu", password="x-12345-pass")
    RoleAssignment.objects.create(
        user=secretary, unit=tree.cell_a1, role=RoleAssignment.Role.EDITOR
    )
    for user in (secretary, admin_user):
        nav = menu(user)
        for name in WORK:
            assert f'href="{reverse(name)}"' in nav, (user, name)
    assert reverse("admin:index") not in menu(secretary)


def test_an_account_without_a_role_is_not_sent_to_pages_it_cannot_use(tree):
    nobody = get_user_model().objects.create_user(username="nobody", password="x-12345-pass")
    nav = menu(nobody)
    for name in WORK:
        assert f'href="{reverse(name)}"' not in nav, name
