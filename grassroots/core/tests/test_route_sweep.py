"""Every route of the site, tried by every persona.

The registry (`grassroots/<app>/tests/routes.py`, read by `grassroots.core.testing.routes`)
holds one entry per URL name: how to build its object inside commune A's subtree and the action
each HTTP method needs. Each entry is tried by each persona:

  anonymous   → the login page (pages), 401 or 403 (API)
  outsider    → 404 (commune B's manager does not learn that A's objects exist)
  viewer_a    → reads let in, writes 403
  editor_a    → change let in, manage 403
  manager_a   → let in
  admin       → let in

"Let in" is anything but 401, 403, 404, a login redirect or a server error: an empty form posted
answers 400 or 200 with its errors, a page 200 or a redirect. Every attempt runs in a savepoint
rolled back afterwards, so each persona meets the same state, and a refused attempt must leave
no audit row behind. Routes the URLconf resolves without an entry, and entries for routes that
no longer exist, fail the test beside it: a new route is covered, or visibly exempted with its
reason, before it is merged.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.core.testing.routes import (
    ALLOWED,
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    PERSONAS,
    Route,
    World,
    is_exempt,
    registry,
    resolvable_routes,
)

REGISTRY = registry()
ENTRIES = sorted(REGISTRY.routes.values(), key=lambda route: route.name)


@pytest.fixture
def clients(personas) -> dict[str, Client]:
    """One logged-in client per persona, logged in before any savepoint (a session saved
    inside a rolled-back savepoint would be gone at the next request)."""
    made = {}
    for name in PERSONAS:
        client = Client(raise_request_exception=False)
        if personas[name] is not None:
            client.force_login(personas[name])
        made[name] = client
    return made


def _send(client: Client, route: Route, method: str, url: str, call):
    if method == "GET":
        return client.get(url, call.query)
    if call.query:
        url = f"{url}?{urlencode(call.query)}"
    if route.api:
        return client.generic(method, url, json.dumps(call.data), content_type="application/json")
    return client.generic(
        method,
        url,
        urlencode(call.data, doseq=True),
        content_type="application/x-www-form-urlencoded",
    )


def _login_redirect(response) -> bool:
    return response.status_code in (301, 302) and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )


def _not_found_in_body(response) -> bool:
    """The API's answer when the body names an object the caller may not see: the serializer's
    scoped queryset does not find it (400 "does not exist", or an import row's "Unknown unit"),
    which reveals no more than a 404."""
    text = response.content.decode(errors="replace")
    return response.status_code == 400 and any(
        words in text for words in ("does not exist", "Invalid pk", "Unknown unit")
    )


def meets(expected: str, response, *, api: bool) -> bool:
    status = response.status_code
    if expected == LOGIN:
        return status in (401, 403) if api else _login_redirect(response)
    if expected == HIDDEN:
        return status == 404 or (api and _not_found_in_body(response))
    if expected == FORBIDDEN:
        return status == 403
    assert expected == ALLOWED, expected
    return (
        status not in (401, 403, 404)
        and status < 500
        and not _login_redirect(response)
        and not (api and _not_found_in_body(response))
    )


def _describe(response) -> str:
    """The status and what says most about it: where a redirect goes, the exception of a server
    error, a page's title, or the start of an API answer."""
    if response.status_code in (301, 302):
        return f"{response.status_code} → {response['Location']}"
    exc_info = getattr(response, "exc_info", None)
    if exc_info and response.status_code >= 500:  # the exception says more than the page
        return f"{response.status_code} {exc_info[1]!r}"
    text = response.content[:4000].decode(errors="replace")
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    summary = title.group(1) if title else text[:200]
    return f"{response.status_code} {' '.join(summary.split())}"


@pytest.mark.parametrize("route", ENTRIES, ids=lambda route: route.name)
def test_each_persona_meets_what_its_role_allows_on_the_route(route, tree, personas, clients):
    call = route.build(World(tree, personas))
    url = reverse(route.name, kwargs=call.kwargs)
    failures = []
    for method in route.methods:
        for persona in PERSONAS:
            expected = route.expected(persona, method)
            before = AuditEntry.objects.count()
            with transaction.atomic():
                response = _send(clients[persona], route, method, url, call)
                written = AuditEntry.objects.count() - before
                transaction.set_rollback(True)
            where = f"{route.name} {method} {url} as {persona}"
            if not meets(expected, response, api=route.api):
                failures.append(f"{where}: expected {expected}, got {_describe(response)}")
            elif expected != ALLOWED and written:
                failures.append(f"{where}: refused, yet {written} audit row(s) were written")
    assert not failures, "\n".join(failures) + (f"\n({route.note})" if route.note else "")


def test_every_route_the_urlconf_resolves_has_an_entry_or_a_stated_exemption():
    missing = [
        f"{key}  ({found.path})"
        for key, found in sorted(resolvable_routes().items())
        if key not in REGISTRY.routes and not is_exempt(key, REGISTRY.exempt)
    ]
    assert not missing, (
        "Routes without a sweep entry: add each to its app's tests/routes.py "
        "(or to EXEMPT there, with the reason):\n  " + "\n  ".join(missing)
    )


def test_every_entry_and_exemption_names_a_route_that_still_exists():
    resolvable = resolvable_routes()
    stale = [name for name in REGISTRY.routes if name not in resolvable]
    stale += [
        name
        for name in REGISTRY.exempt
        if not (name in resolvable or any(is_exempt(k, {name: ""}) for k in resolvable))
    ]
    assert not stale, "Entries for routes the URLconf no longer has:\n  " + "\n  ".join(stale)


def test_no_route_is_registered_twice():
    assert not REGISTRY.duplicates, REGISTRY.duplicates


def test_every_method_a_class_based_view_or_viewset_answers_is_tried_and_no_other():
    """Each @action and each handler is tried: a POST added to a read-only view, or a PATCH
    to a viewset, needs its action in the entry."""
    resolvable = resolvable_routes()
    wrong = []
    for route in ENTRIES:
        found = resolvable.get(route.name)
        if found is None or not found.methods:  # a function view: the entry says
            continue
        if set(route.methods) != set(found.methods):
            tried, answered = sorted(route.methods), sorted(found.methods)
            wrong.append(f"{route.name}: tries {tried}, answers {answered}")
    assert not wrong, "\n".join(wrong)


def test_what_each_persona_should_meet_follows_the_action_its_role_reaches():
    from grassroots.core.testing.routes import ADMIN, CHANGE, MANAGE, VIEW, api, page

    entry = api("x-detail", get=VIEW, patch=CHANGE, post=MANAGE, delete=ADMIN)
    table = {
        p: [entry.expected(p, m) for m in ("GET", "PATCH", "POST", "DELETE")] for p in PERSONAS
    }
    assert table == {
        "anonymous": [LOGIN, LOGIN, LOGIN, LOGIN],
        "outsider": [HIDDEN, HIDDEN, HIDDEN, FORBIDDEN],
        "viewer_a": [ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        "editor_a": [ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN],
        "manager_a": [ALLOWED, ALLOWED, ALLOWED, FORBIDDEN],
        "admin": [ALLOWED, ALLOWED, ALLOWED, ALLOWED],
    }
    listing = page("x:list", scoped=False)
    assert listing.expected("outsider", "GET") == ALLOWED
    mine = page("x:job", expect={"viewer_a": HIDDEN, "outsider GET": ALLOWED})
    assert mine.expected("viewer_a", "GET") == HIDDEN
    assert mine.expected("outsider", "GET") == ALLOWED
