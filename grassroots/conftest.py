"""Personas over one small fixed tree, shared by every app's tests.

root → province → commune A (cells A1, A2) and commune B.
  admin      system administrator (superuser)
  manager_a  manager of commune A's subtree
  editor_a   editor of commune A's subtree
  viewer_a   viewer of commune A's subtree
  outsider   manager of commune B only
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from grassroots.accounts.models import RoleAssignment, User
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create

TREE_START = dt.date(2015, 1, 1)


@dataclass
class Tree:
    root: Unit
    province: Unit
    commune_a: Unit
    cell_a1: Unit
    cell_a2: Unit
    commune_b: Unit
    cell_b1: Unit


@pytest.fixture
def tree(db) -> Tree:
    root = unit_create(actor=None, code="TW", name="Trung ương", kind=UnitKind.CENTRAL, valid_from=TREE_START)
    province = unit_create(
        actor=None, code="T01", name="Tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE, parent=root, valid_from=TREE_START
    )
    commune_a = unit_create(
        actor=None, code="XA", name="Xã Mường Hum", kind=UnitKind.GRASSROOTS, parent=province, valid_from=TREE_START
    )
    cell_a1 = unit_create(
        actor=None, code="XA-1", name="Chi bộ thôn Mường Hum", kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE, parent=commune_a, valid_from=TREE_START,
    )
    cell_a2 = unit_create(
        actor=None, code="XA-2", name="Chi bộ Trường Tiểu học", kind=UnitKind.CELL,
        cell_subtype=CellSubtype.SCHOOL, parent=commune_a, valid_from=TREE_START,
    )
    commune_b = unit_create(
        actor=None, code="XB", name="Xã Bình An", kind=UnitKind.GRASSROOTS, parent=province, valid_from=TREE_START
    )
    cell_b1 = unit_create(
        actor=None, code="XB-1", name="Chi bộ thôn Đông", kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE, parent=commune_b, valid_from=TREE_START,
    )
    return Tree(root, province, commune_a, cell_a1, cell_a2, commune_b, cell_b1)


def _user(username: str, **extra) -> User:
    user = User.objects.create_user(username=username, password="pass-12345-word", **extra)
    return user


@pytest.fixture
def admin_user(db) -> User:
    return _user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def manager_a(tree) -> User:
    user = _user("manager_a")
    RoleAssignment.objects.create(user=user, unit=tree.commune_a, role=RoleAssignment.Role.MANAGER)
    return user


@pytest.fixture
def editor_a(tree) -> User:
    user = _user("editor_a")
    RoleAssignment.objects.create(user=user, unit=tree.commune_a, role=RoleAssignment.Role.EDITOR)
    return user


@pytest.fixture
def viewer_a(tree) -> User:
    user = _user("viewer_a")
    RoleAssignment.objects.create(user=user, unit=tree.commune_a, role=RoleAssignment.Role.VIEWER)
    return user


@pytest.fixture
def outsider(tree) -> User:
    user = _user("outsider")
    RoleAssignment.objects.create(user=user, unit=tree.commune_b, role=RoleAssignment.Role.MANAGER)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def personas(admin_user, manager_a, editor_a, viewer_a, outsider):
    """Name → user, for parametrized persona matrices (None is the anonymous visitor)."""
    return {
        "anonymous": None,
        "admin": admin_user,
        "manager_a": manager_a,
        "editor_a": editor_a,
        "viewer_a": viewer_a,
        "outsider": outsider,
    }


@pytest.fixture
def as_persona(personas):
    """`as_persona("viewer_a")` → a logged-in test client (anonymous for "anonymous")."""

    def make(name: str) -> Client:
        return client_for(personas[name])

    return make
