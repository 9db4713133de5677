import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.models import AuditEntry
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create


def codes(response):
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"TW", "T01", "XA", "XA-1", "XA-2", "XB", "XB-1"}),
        ("manager_a", {"XA", "XA-1", "XA-2"}),
        ("viewer_a", {"XA", "XA-1", "XA-2"}),
        ("outsider", {"XB", "XB-1"}),
    ],
)
def test_the_unit_list_is_scoped(tree, as_persona, persona, expected):
    assert codes(as_persona(persona).get("/api/v1/units/")) == expected


def test_anonymous_callers_are_refused(tree, as_persona):
    assert as_persona("anonymous").get("/api/v1/units/").status_code in (401, 403)


def test_unit_filters_match_the_pages(tree, as_persona):
    client = as_persona("admin")
    assert codes(client.get("/api/v1/units/", {"q": "muong hum"})) == {"XA", "XA-1"}
    assert codes(client.get("/api/v1/units/", {"kind": "grassroots"})) == {"XA", "XB"}
    assert codes(client.get("/api/v1/units/", {"parent": tree.commune_a.pk})) == {"XA-1", "XA-2"}
    assert codes(client.get("/api/v1/units/", {"code": "xa-1"})) == {"XA-1"}
    assert codes(client.get("/api/v1/units/", {"as_of": "2010-01-01"})) == set()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("viewer_a", 200),
        ("outsider", 404),
    ],
)
def test_retrieve_and_children_are_scoped(tree, as_persona, persona, status):
    client = as_persona(persona)
    assert client.get(f"/api/v1/units/{tree.commune_a.pk}/").status_code == status
    response = client.get(f"/api/v1/units/{tree.commune_a.pk}/children/")
    assert response.status_code == status
    if status == 200:
        assert {n["code"] for n in response.json()["results"]} == {"XA-1", "XA-2"}


NEW = {"code": "XA-9", "name": "Chi bộ thôn Chín", "kind": "cell", "valid_from": "2020-01-01"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("manager_a", 201),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 400),
    ],
)
def test_creating_a_unit_over_the_api(tree, personas, as_persona, persona, status):
    response = as_persona(persona).post(
        "/api/v1/units/", {**NEW, "parent": tree.commune_a.pk}, content_type="application/json"
    )
    assert response.status_code == status, response.content
    unit = Unit.objects.filter(code="XA-9").first()
    if status == 201:
        assert AuditEntry.objects.for_object(unit).get(action="create").actor == personas[persona]
    else:
        assert unit is None


def test_a_refusal_of_the_service_names_the_field(tree, as_persona):
    response = as_persona("manager_a").post(
        "/api/v1/units/",
        {**NEW, "code": "XA-1", "parent": tree.commune_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "code" in response.json()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager_a", 200),
        ("editor_a", 200),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_editing_a_unit_over_the_api(tree, personas, as_persona, persona, status):
    response = as_persona(persona).patch(
        f"/api/v1/units/{tree.cell_a1.pk}/",
        {"address": "Bản Mường Hum"},
        content_type="application/json",
    )
    assert response.status_code == status
    tree.cell_a1.refresh_from_db()
    if status == 200:
        assert tree.cell_a1.address == "Bản Mường Hum"
        assert (
            AuditEntry.objects.for_object(tree.cell_a1).get(action="update").actor
            == personas[persona]
        )
    else:
        assert tree.cell_a1.address == ""


def test_list_endpoints_do_not_grow_queries_with_rows(tree, as_persona):
    client = as_persona("admin")
    urls = [
        "/api/v1/units/",
        f"/api/v1/units/{tree.commune_a.pk}/children/",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    def add(n, start):
        for i in range(start, start + n):
            cell = unit_create(
                actor=None,
                code=f"Q{i}",
                name=f"Chi bộ {i}",
                kind=UnitKind.CELL,
                parent=tree.commune_a,
                valid_from=dt.date(2016, 1, 1),
            )
            assert cell.path.startswith(tree.commune_a.path)

    add(2, 0)
    few = counts()
    add(12, 2)
    assert counts() == few
