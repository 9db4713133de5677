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
    api("api-root", get="view", scoped=False),
]

EXEMPT = {
    "admin:*": "the admin site: staff only, guarded by Django's own permissions",
    "set_language": "switches the interface language of the session; scoped to nothing",
    "api-schema": "the API's description, the same for everyone",
    "api-docs": "the API's documentation page, the same for everyone",
    "/": "redirects to the unit tree, which has its own entry",
}
