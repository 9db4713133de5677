"""Sweep entries for the account pages and API (see grassroots/core/testing/routes.py)."""

from grassroots.core.testing.routes import HIDDEN, Call, api, form, page

ROUTES = [
    # Django's form views answer PUT as they answer POST.
    form("accounts:password_change", action="view", scoped=False, verbs=("GET", "POST", "PUT")),
    page("accounts:password_change_done", scoped=False),
    api("my-role-list", get="view", scoped=False),
    api(
        "my-role-detail",
        lambda w: Call({"pk": w.personas["manager_a"].roles.get().pk}),
        get="view",
        expect={"editor_a": HIDDEN, "viewer_a": HIDDEN, "admin": HIDDEN},
        note="a role is shown to the person who holds it, and to nobody else",
    ),
]

EXEMPT = {
    "accounts:login": "the way in: nobody is logged in yet",
    "accounts:logout": "the way out: open to anyone, scoped to nothing",
    "api-token": "the API's way in: username and password for a token",
}
