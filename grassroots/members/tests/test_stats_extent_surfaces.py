"""Both answers for a past day — the unit as the tree stood, its present extent — through the
command, the API and the statistics page, with the parts of a split adding up to the unit split."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.organizations.models import Unit
from grassroots.reorganizations.services import unit_merge, unit_split

from .ledger_helpers import admit, official

DAY = dt.date(2025, 3, 1)
EFFECTIVE = dt.date(2025, 7, 1)
DECISION = {
    "decision_number": "88-QĐ/TU",
    "decision_date": dt.date(2025, 6, 16),
    "issuer": "Tỉnh ủy",
}
FIGURES = (
    "members_total",
    "members_official",
    "members_probationary",
    "members_in_transit",
    "cells",
)


@pytest.fixture
def ledger(tree):
    official(tree.cell_a1, full_name="Lò Thị Mai", gender="female")
    admit(
        tree.cell_a1,
        full_name="Vàng A Páo",
        decision_date=dt.date(2024, 3, 4),
        ceremony_date=dt.date(2024, 3, 8),
    )
    official(tree.cell_a2, full_name="Giàng Thị Sính", gender="female")
    official(tree.cell_b1, full_name="Lý A Chư")


@pytest.fixture
def split(tree, ledger):
    unit_split(
        actor=None,
        source=tree.commune_a,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {"code": "XA-N", "name": "Xã Mường Hum Bắc", "cells": [tree.cell_a1]},
            {"code": "XA-S", "name": "Xã Mường Hum Nam", "cells": [tree.cell_a2]},
        ],
    )
    return Unit.objects.get(code="XA-N"), Unit.objects.get(code="XA-S")


@pytest.fixture
def absorbed(tree, ledger):
    unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        into=tree.commune_a,
        effective_date=EFFECTIVE,
        **DECISION,
    )


def command(*args) -> dict:
    out = StringIO()
    call_command("unit_stats", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def figures(data) -> tuple:
    return tuple(data[name] if isinstance(data, dict) else getattr(data, name) for name in FIGURES)


def test_unit_stats_gives_a_surviving_unit_its_present_extent_only_with_the_flag(tree, absorbed):
    as_tree = command("XA", "--as-of", DAY.isoformat())
    present = command("XA", "--as-of", DAY.isoformat(), "--present-extent")
    assert (as_tree["extent"], figures(as_tree)) == ("tree", (3, 2, 1, 0, 2))
    assert (present["extent"], figures(present)) == ("present", (4, 3, 1, 0, 3))
    out = StringIO()
    call_command("unit_stats", "XA", "--as-of", DAY.isoformat(), "--present-extent", stdout=out)
    assert "present extent" in out.getvalue()


def test_unit_stats_of_a_split_parts_add_up_to_the_unit_split(tree, split):
    whole = command("XA", "--as-of", DAY.isoformat())
    north = command("XA-N", "--as-of", DAY.isoformat())
    south = command("XA-S", "--as-of", DAY.isoformat(), "--present-extent")
    assert north["extent"] == south["extent"] == "present"
    assert [a + b for a, b in zip(figures(north), figures(south), strict=True)] == list(
        figures(whole)
    )


def test_the_api_answers_both_questions_and_says_which(tree, personas, absorbed):
    client = api_client(personas["viewer_a"])
    url = f"/api/v1/unit-stats/{tree.commune_a.pk}/"
    as_tree = client.get(url, {"as_of": DAY.isoformat()}).json()
    present = client.get(url, {"as_of": DAY.isoformat(), "extent": "present"}).json()
    assert (as_tree["extent"], figures(as_tree)) == ("tree", (3, 2, 1, 0, 2))
    assert (present["extent"], figures(present)) == ("present", (4, 3, 1, 0, 3))
    assert client.get(url, {"as_of": DAY.isoformat(), "extent": "everything"}).status_code == 400


def test_the_api_gives_a_split_parts_shares_that_add_up(tree, personas, split):
    client = api_client(personas["admin"])
    north, south = split
    whole = client.get(
        f"/api/v1/unit-stats/{tree.commune_a.pk}/", {"as_of": DAY.isoformat()}
    ).json()
    parts = [
        client.get(
            f"/api/v1/unit-stats/{u.pk}/", {"as_of": DAY.isoformat(), "extent": "tree"}
        ).json()
        for u in (north, south)
    ]
    assert [p["extent"] for p in parts] == ["present", "present"]  # they did not exist that day
    assert [a + b for a, b in zip(figures(parts[0]), figures(parts[1]), strict=True)] == list(
        figures(whole)
    )


def test_the_api_schema_shows_the_extent_parameter(tree, personas):
    client = api_client(personas["admin"])
    schema = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).content.decode()
    assert "extent" in schema and "present" in schema


def test_the_api_present_extent_costs_a_bounded_number_of_queries(tree, personas, absorbed):
    client = api_client(personas["admin"])
    url = f"/api/v1/unit-stats/{tree.commune_a.pk}/"
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"as_of": DAY.isoformat(), "extent": "present"}).status_code == 200
    with CaptureQueriesContext(connection) as plain:
        assert client.get(url, {"as_of": DAY.isoformat()}).status_code == 200
    assert len(ctx.captured_queries) <= len(plain.captured_queries) + 8


def test_the_statistics_page_says_which_question_it_answers_and_offers_the_other(
    tree, as_persona, absorbed
):
    client = as_persona("viewer_a")
    url = reverse("members:unit_stats", args=[tree.commune_a.pk])
    default = client.get(url, {"as_of": "01/03/2025"})
    assert default.status_code == 200
    assert (default.context["stats"].extent, figures(default.context["stats"])) == (
        "tree",
        (3, 2, 1, 0, 2),
    )
    html = default.content.decode()
    assert 'data-extent="tree"' in html and 'name="extent"' in html and 'value="present"' in html
    present = client.get(url, {"as_of": "01/03/2025", "extent": "present"})
    assert figures(present.context["stats"]) == (4, 3, 1, 0, 3)
    assert 'data-extent="present"' in present.content.decode()


def test_the_statistics_page_of_a_split_part_shows_its_share(tree, as_persona, split):
    client = as_persona("admin")
    north, south = split
    pages = [
        client.get(reverse("members:unit_stats", args=[u.pk]), {"as_of": "01/03/2025"})
        for u in split
    ]
    assert [figures(p.context["stats"]) for p in pages] == [(2, 1, 1, 0, 1), (1, 1, 0, 0, 1)]
    assert all('data-extent="present"' in p.content.decode() for p in pages)
