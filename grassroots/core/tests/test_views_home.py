"""The home page after login: the registry apps fill, the login that leads to it, and the API
docs kept for developers (behind login, out of the main menu)."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core import home as registry
from grassroots.core.home import DueItem, HomeSection, Severity


@pytest.fixture
def clean_registry(monkeypatch):
    """The registry emptied for one test (the apps' own providers come back after it)."""
    monkeypatch.setattr(registry, "_sections", {})
    monkeypatch.setattr(registry, "_due_items", {})
    return registry


def test_anonymous_visitors_are_sent_from_the_home_to_the_login_page(db, as_persona):
    response = as_persona("anonymous").get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_logging_in_leads_to_the_home(tree, manager_a, client):
    response = client.post(
        reverse("accounts:login"), {"username": "manager_a", "password": "pass-12345-word"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(response["Location"]).status_code == 200


def test_the_home_lists_every_providers_due_items_the_overdue_first(
    tree, manager_a, as_persona, clean_registry
):
    today = dt.date.today()
    clean_registry.register_due_items(
        "a",
        lambda home: [
            DueItem("Later thing", "/later/", today + dt.timedelta(days=9), Severity.UPCOMING),
            DueItem("Late thing", "/late/", today - dt.timedelta(days=3), Severity.OVERDUE),
        ],
    )
    clean_registry.register_due_items(
        "b", lambda home: [DueItem("Due thing", "/due/", today, Severity.DUE)]
    )
    html = as_persona("manager_a").get("/").content.decode()
    assert html.index("Late thing") < html.index("Due thing") < html.index("Later thing")
    assert 'href="/late/"' in html and "Overdue" in html


def test_a_section_is_shown_only_when_its_provider_has_something_for_the_user(
    tree, manager_a, as_persona, clean_registry
):
    clean_registry.register_section(
        "x",
        lambda home: (
            HomeSection("Your meetings", "includes/pagination.html")
            if home.access.has_any_change_role
            else None
        ),
    )
    assert "Your meetings" in as_persona("manager_a").get("/").content.decode()
    assert "Your meetings" not in as_persona("viewer_a").get("/").content.decode()


def test_the_home_says_so_when_nothing_is_due(tree, viewer_a, as_persona, clean_registry):
    assert "Nothing is due." in as_persona("viewer_a").get("/").content.decode()


def test_registering_again_under_a_name_replaces_the_provider(clean_registry):
    clean_registry.register_due_items("a", lambda home: [DueItem("One", "/1/")])
    clean_registry.register_due_items("a", lambda home: [DueItem("Two", "/2/")])
    items = clean_registry.due_items(registry.HomeRequest(None, None, dt.date.today()))
    assert [i.label for i in items] == ["Two"]


# --- the API docs are for developers ----------------------------------------------------------


def test_the_api_docs_send_anonymous_visitors_to_the_login_page(db, as_persona):
    response = as_persona("anonymous").get(reverse("api-docs"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_schema_refuses_anonymous_callers(db, as_persona):
    assert as_persona("anonymous").get(reverse("api-schema")).status_code in (401, 403)


def test_a_logged_in_user_reads_the_api_docs_and_schema(tree, viewer_a, as_persona):
    client = as_persona("viewer_a")
    assert client.get(reverse("api-docs")).status_code == 200
    assert client.get(reverse("api-schema")).status_code == 200


def test_the_api_is_in_the_footer_not_the_main_menu_and_no_page_loads_swagger(
    tree, manager_a, as_persona
):
    client = as_persona("manager_a")
    for url in ["/", reverse("organizations:unit_detail", args=[tree.commune_a.pk])]:
        html = client.get(url).content.decode()
        menu = html[html.index('<nav aria-label="Main"') : html.index("</nav>")]
        footer = html[html.index('<footer class="site-footer') :]
        assert reverse("api-docs") not in menu and reverse("api-docs") in footer
        assert "swagger" not in html.lower()
