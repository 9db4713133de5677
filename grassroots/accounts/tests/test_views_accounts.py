import re

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import User

PASSWORD = "pass-12345-word"


def test_anonymous_pages_redirect_to_login(db):
    response = Client().get(reverse("organizations:tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_with_the_right_password_opens_the_home(manager_a):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "manager_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(manager_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "manager_a", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "manager_a", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_change_requires_the_old_password_and_saves_the_new_one(manager_a):
    client = Client()
    client.force_login(manager_a)
    url = reverse("accounts:password_change")
    bad = client.post(
        url,
        {
            "old_password": "nope",
            "new_password1": "Xanh-la-cay-2026",
            "new_password2": "Xanh-la-cay-2026",
        },
    )
    assert bad.status_code == 200
    assert User.objects.get(pk=manager_a.pk).check_password(PASSWORD)
    good = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Xanh-la-cay-2026",
            "new_password2": "Xanh-la-cay-2026",
        },
    )
    assert good.status_code == 302
    assert User.objects.get(pk=manager_a.pk).check_password("Xanh-la-cay-2026")


def test_logout_ends_the_session(manager_a):
    client = Client()
    client.force_login(manager_a)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("organizations:tree")).status_code == 302


def test_the_interface_is_vietnamese_by_default_and_switches_to_english(manager_a):
    client = Client()
    client.force_login(manager_a)
    page = client.get(reverse("accounts:password_change"))
    assert 'lang="vi"' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:password_change"))
    assert 'lang="en"' in page.content.decode()
    assert "Change password" in page.content.decode()


@pytest.mark.parametrize("persona", ["admin", "manager_a", "viewer_a", "outsider"])
def test_an_api_token_is_issued_for_valid_credentials_and_lists_own_roles(persona, personas):
    client = Client()
    response = client.post(
        reverse("api-token"),
        {"username": persona if persona != "admin" else "admin", "password": PASSWORD},
    )
    assert response.status_code == 200
    token = response.json()["token"]
    roles = client.get("/api/v1/me/roles/", HTTP_AUTHORIZATION=f"Token {token}")
    assert roles.status_code == 200
    expected = list(personas[persona].roles.values_list("unit__code", flat=True))
    assert [r["unit_code"] for r in roles.json()["results"]] == expected


def test_the_api_refuses_anonymous_callers(db):
    assert Client().get("/api/v1/me/roles/").status_code in (401, 403)


def test_the_api_schema_and_docs_are_served_without_a_cdn(admin_user):
    client = Client()
    client.force_login(admin_user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/").content.decode()
    # No asset from another host (a random token may well contain the letters "cdn").
    assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', docs, re.IGNORECASE)
    assert "/static/drf_spectacular_sidecar/" in docs


def test_an_english_browser_still_gets_vietnamese_until_the_person_switches(manager_a):
    client = Client()
    client.force_login(manager_a)
    page = client.get(reverse("accounts:password_change"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.content.decode()
