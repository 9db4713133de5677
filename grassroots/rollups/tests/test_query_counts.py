"""The big pages cost the same number of queries on a small and on a three times larger country:
today's and past days' statistics, page and API, among them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.demo.country import generate_country
from grassroots.members.models import Member
from grassroots.organizations.models import Unit

TODAY = dt.date(2026, 11, 20)


def queries_of(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured)


def big_pages(client) -> dict[str, int]:
    root = Unit.objects.get(code="VN")
    province = Unit.objects.filter(kind="province").order_by("code").first()
    return {
        "root page": queries_of(client, reverse("organizations:unit_detail", args=[root.pk])),
        "province page": queries_of(
            client, reverse("organizations:unit_detail", args=[province.pk])
        ),
        "province statistics": queries_of(
            client, reverse("members:unit_stats", args=[province.pk])
        ),
        "province children": queries_of(
            client,
            reverse("organizations:unit_children", args=[province.pk]),
            HTTP_HX_REQUEST="true",
        ),
        "member search": queries_of(client, reverse("members:member_list") + "?q=nguyen+van"),
        # A past day from the past-day counters: a month's end, and a day inside a month.
        **{
            f"{name} as of {day}": queries_of(client, url + f"?as_of={day}")
            for name, url in (
                ("root statistics", reverse("members:unit_stats", args=[root.pk])),
                ("province statistics", reverse("members:unit_stats", args=[province.pk])),
                ("province statistics API", f"/api/v1/unit-stats/{province.pk}/"),
            )
            for day in ("2024-12-31", "2024-06-14")
        },
    }


@pytest.mark.django_db
def test_the_big_pages_do_not_cost_more_queries_on_a_bigger_country(admin_user, client):
    client.force_login(admin_user)
    generate_country(scale=0.0002, seed=2, today=TODAY, progress=lambda m: None)
    # The process's caches of rule settings and holidays (read by the member list's dates) warm
    # first, as in a server that has answered one request: their first read is no page's cost.
    queries_of(client, reverse("members:member_list"))
    small = big_pages(client)
    members_small = Member.objects.count()
    generate_country(scale=0.0006, seed=2, today=TODAY, replace=True, progress=lambda m: None)
    assert Member.objects.count() > 2 * members_small
    client.force_login(admin_user)  # the replace emptied nothing of the accounts on SQLite
    assert big_pages(client) == small
