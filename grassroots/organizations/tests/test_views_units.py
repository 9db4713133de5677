import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.core.rules import rule
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create

READ_PAGES = [
    "unit_detail",
    "unit_cells",
    "unit_history",
    "unit_audit",
    "unit_children",
]


@pytest.mark.parametrize("page", READ_PAGES)
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
def test_unit_pages_are_scoped_to_the_subtree(tree, as_persona, page, persona, status):
    response = as_persona(persona).get(reverse(f"organizations:{page}", args=[tree.commune_a.pk]))
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]


def test_the_tree_shows_each_user_their_own_top_units(tree, as_persona):
    assert as_persona("anonymous").get(reverse("organizations:tree")).status_code == 302
    html = as_persona("manager_a").get(reverse("organizations:tree")).content.decode()
    assert "Xã Mường Hum" in html and "Xã Bình An" not in html
    html = as_persona("outsider").get(reverse("organizations:tree")).content.decode()
    assert "Xã Bình An" in html and "Xã Mường Hum" not in html
    html = as_persona("admin").get(reverse("organizations:tree")).content.decode()
    assert "Trung ương" in html


def test_search_ignores_diacritics_and_stays_in_the_subtree(tree, as_persona):
    html = (
        as_persona("viewer_a")
        .get(reverse("organizations:tree"), {"q": "muong hum"})
        .content.decode()
    )
    assert "Chi bộ thôn Mường Hum" in html and "Xã Mường Hum" in html
    html = (
        as_persona("outsider")
        .get(reverse("organizations:tree"), {"q": "muong hum"})
        .content.decode()
    )
    assert "Mường Hum" not in html


def test_a_node_opens_with_only_its_children_over_htmx_and_as_a_full_page_without(tree, as_persona):
    client = as_persona("manager_a")
    url = reverse("organizations:unit_children", args=[tree.commune_a.pk])
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<ul>") and "<html" not in partial
    assert "Chi bộ thôn Mường Hum" in partial and "Chi bộ Trường Tiểu học" in partial
    full = client.get(url).content.decode()
    assert "<html" in full and "Chi bộ thôn Mường Hum" in full


def test_large_child_lists_are_paged_with_more(tree, as_persona, settings):
    for i in range(105):
        unit_create(
            actor=None,
            code=f"XA-C{i:03}",
            name=f"Chi bộ {i:03}",
            kind=UnitKind.CELL,
            parent=tree.commune_a,
            valid_from=dt.date(2016, 1, 1),
        )
    client = as_persona("manager_a")
    url = reverse("organizations:unit_children", args=[tree.commune_a.pk])
    first = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert first.count("<li>") == 100 and "offset=100" in first
    rest = client.get(url, {"offset": 100}, HTTP_HX_REQUEST="true").content.decode()
    assert rest.count("<li>") == 7 and "offset=" not in rest


def test_action_buttons_are_shown_only_to_those_allowed(tree, as_persona):
    url = reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    merge = reverse("reorganizations:unit_merge", args=[tree.commune_a.pk])
    edit = reverse("organizations:unit_edit", args=[tree.commune_a.pk])
    assert merge in as_persona("manager_a").get(url).content.decode()
    editor = as_persona("editor_a").get(url).content.decode()
    assert edit in editor and merge not in editor
    viewer = as_persona("viewer_a").get(url).content.decode()
    assert edit not in viewer and merge not in viewer


# --- writes -----------------------------------------------------------------------------------


CREATE = {
    "code": "XA-9",
    "name": "Chi bộ thôn Chín",
    "kind": "cell",
    "cell_subtype": "village",
    "valid_from": "01/01/2020",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("admin", 302),
        ("manager_a", 302),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_creating_a_unit_needs_the_manager_role(tree, personas, as_persona, persona, status):
    response = as_persona(persona).post(
        reverse("organizations:unit_create", args=[tree.commune_a.pk]), CREATE
    )
    assert response.status_code == status
    created = Unit.objects.filter(code="XA-9").first()
    if persona in ("admin", "manager_a"):
        assert created.parent == tree.commune_a and created.path.startswith(tree.commune_a.path)
        assert (
            AuditEntry.objects.for_object(created).get(action="create").actor == personas[persona]
        )
    else:
        assert created is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("manager_a", 302),
        ("editor_a", 302),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_editing_a_unit_needs_the_editor_role(tree, personas, as_persona, persona, status):
    data = {
        "code": "XA-1",
        "name": "Chi bộ thôn Mường Hum",
        "address": "Bản Mường Hum",
        "cell_subtype": "village",
    }
    response = as_persona(persona).post(
        reverse("organizations:unit_edit", args=[tree.cell_a1.pk]), data
    )
    assert response.status_code == status
    tree.cell_a1.refresh_from_db()
    if status == 302 and persona != "anonymous":
        assert tree.cell_a1.address == "Bản Mường Hum"
        assert (
            AuditEntry.objects.for_object(tree.cell_a1).get(action="update").actor
            == personas[persona]
        )
    else:
        assert tree.cell_a1.address == ""


def test_an_edit_refused_by_the_service_shows_the_message_on_the_page(tree, as_persona):
    Unit.objects.filter(pk=tree.cell_a1.pk).update(valid_to=dt.date(2025, 7, 1))
    data = {"address": "Bản Mường Hum"}
    response = as_persona("manager_a").post(
        reverse("organizations:unit_edit", args=[tree.cell_a1.pk]), data
    )
    assert response.status_code == 400 and "it cannot be edited" in response.content.decode()


# --- query counts --------------------------------------------------------------------------------


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def add_cells(parent, n, start=0):
    for i in range(start, start + n):
        unit_create(
            actor=None,
            code=f"Q{parent.pk}-{i}",
            name=f"Chi bộ số {i}",
            kind=UnitKind.CELL,
            parent=parent,
            valid_from=dt.date(2016, 1, 1),
        )


def test_query_counts_of_the_tree_and_unit_pages_do_not_grow_with_rows(tree, as_persona):
    client = as_persona("manager_a")
    urls = [
        (
            reverse("organizations:unit_children", args=[tree.commune_a.pk]),
            {"HTTP_HX_REQUEST": "true"},
        ),
        (
            reverse("organizations:unit_children", args=[tree.commune_a.pk]) + "?as_of=2024-01-01",
            {"HTTP_HX_REQUEST": "true"},
        ),
        (reverse("organizations:unit_cells", args=[tree.commune_a.pk]), {}),
        (reverse("organizations:unit_detail", args=[tree.commune_a.pk]), {}),
        (reverse("organizations:tree"), {}),
    ]
    add_cells(tree.commune_a, 2)
    rule("cell_min_official_members")  # the rule settings read once into their cache
    few = [count_queries(client, url, **extra) for url, extra in urls]
    add_cells(tree.commune_a, 20, start=2)
    many = [count_queries(client, url, **extra) for url, extra in urls]
    assert few == many
    assert max(many) <= 25


def test_breadcrumbs_name_only_the_units_the_user_sees(tree, as_persona):
    html = (
        as_persona("manager_a")
        .get(reverse("organizations:unit_detail", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert "Xã Mường Hum" in html and "Tỉnh Thử Nghiệm" not in html
    html = (
        as_persona("admin")
        .get(reverse("organizations:unit_detail", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert "Tỉnh Thử Nghiệm" in html


def test_a_past_day_of_a_unit_that_existed_shows_the_tree_as_it_stood(tree, as_persona):
    url = reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    html = as_persona("manager_a").get(url, {"as_of": "2024-12-31"}).content.decode()
    assert "As the tree stood that day" in html
    assert "As the tree stood that day" not in as_persona("manager_a").get(url).content.decode()
