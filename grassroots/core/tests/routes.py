"""Sweep entries for core's pages, and the routes exempt from the sweep with their reasons
(see grassroots/core/testing/routes.py)."""

from grassroots.core.testing.routes import Call, api, page

ROUTES = [
    page(
        "core:audit",
        lambda w: Call(
            {"app_label": "organizations", "model_name": "unit", "pk": str(w.tree.cell_a1.pk)}
        ),
    ),
    page("home", scoped=False),
    page("api-docs", scoped=False),  # for developers, behind login
    api("api-root", get="view", scoped=False),
]

EXEMPT = {
    "admin:*": "the admin site: staff only, guarded by Django's own permissions",
    "set_language": "switches the interface language of the session; scoped to nothing",
    "api-schema": "the API's description, the same for everyone behind login; generating it "
    "takes seconds, and test_views_home checks a visitor is refused",
}
