"""The route registry: every URL name of the site, once, with how to reach it.

Each app keeps its entries in `grassroots/<app>/tests/routes.py`:

    ROUTES = [
        page("members:member_detail", member_pk),                  # GET needs VIEW
        form("members:member_edit", member_pk),                    # GET and POST need CHANGE
        api("member-detail", member_pk, get=VIEW, patch=CHANGE),   # each method its action
    ]
    EXEMPT = {"accounts:login": "the way in: nobody is logged in yet"}

A `build` function receives the `World` (the persona tree and the objects built on it, each
once) and returns the `Call`: the URL's kwargs, and the query or body when the route needs them,
always naming an object inside commune A's subtree. `test_route_sweep` tries each entry with
every persona and fails when a resolvable route has no entry, or an entry names a route that no
longer exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from grassroots.core.access import Action

VIEW, CHANGE, MANAGE = Action.VIEW, Action.CHANGE, Action.MANAGE
# Not a role on a subtree: the system administrator's alone (the national indicator catalogue).
ADMIN = "admin"

# What a persona should meet.
LOGIN = "login"  # anonymous: redirected to the login page (pages); 401 or 403 (API)
HIDDEN = "hidden"  # 404: the object's existence does not leak
FORBIDDEN = "forbidden"  # 403: seen, but the role is read-only (or not enough)
ALLOWED = "allowed"  # let in: anything but 401/403/404, a login redirect or a server error

PERSONAS = ("anonymous", "outsider", "viewer_a", "editor_a", "manager_a", "admin")
ROLE_OF = {"viewer_a": VIEW, "editor_a": CHANGE, "manager_a": MANAGE}
REACHES = {VIEW: {VIEW}, CHANGE: {VIEW, CHANGE}, MANAGE: {VIEW, CHANGE, MANAGE}}


@dataclass(frozen=True)
class Call:
    """How to call a route: the URL's kwargs, a query string and a body (sent with writes)."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


class World:
    """The persona tree (`tree`) and the objects the routes need, each built once per test by
    the first entry that asks for it: `world.once("member", lambda: admit(...))`."""

    def __init__(self, tree, personas: dict) -> None:
        self.tree = tree
        self.personas = personas
        self._built: dict[str, Any] = {}

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self._built:
            self._built[key] = build()
        return self._built[key]


Build = Callable[[World], Call]


def _no_kwargs(world: World) -> Call:
    return Call()


@dataclass(frozen=True)
class Route:
    """One URL name and the action each HTTP method needs on the object `build` names.

    `scoped=False` marks a route that names no object (a list, an upload form): an outsider is
    let in there and simply sees their own rows. `expect` overrides what a persona should meet,
    keyed "persona" or "persona METHOD", with the reason in `note` (a job belongs to the person
    who asked for it, say)."""

    name: str
    methods: dict[str, str]
    build: Build = _no_kwargs
    api: bool = False
    scoped: bool = True
    expect: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def expected(self, persona: str, method: str) -> str:
        """What `persona` should meet when calling this route with `method`: an override for
        "persona METHOD" or "persona", else what the persona's role reaches."""
        for key in (f"{persona} {method}", persona):
            if key in self.expect:
                return self.expect[key]
        action = self.methods[method]
        if persona == "anonymous":
            return LOGIN
        if persona == "admin":
            return ALLOWED
        if action == ADMIN:
            return FORBIDDEN
        if persona == "outsider":
            return ALLOWED if not self.scoped else HIDDEN
        if action in REACHES[ROLE_OF[persona]]:
            return ALLOWED
        return FORBIDDEN


def page(name: str, build: Build = _no_kwargs, action: str = VIEW, **options) -> Route:
    """A page read with GET that needs `action` (VIEW by default). A page that also takes a
    POST with another action says so: `methods={"GET": VIEW, "POST": CHANGE}`."""
    methods = options.pop("methods", {"GET": action})
    return Route(name, dict(methods), build, **options)


def form(name: str, build: Build = _no_kwargs, action: str = CHANGE, **options) -> Route:
    """A form page: GET shows it and POST (empty, or `Call.data`) submits it; both need
    `action` (CHANGE by default)."""
    verbs = options.pop("verbs", ("GET", "POST"))
    return Route(name, {m: action for m in verbs}, build, **options)


def post(name: str, build: Build = _no_kwargs, action: str = CHANGE, **options) -> Route:
    """A button with no form of its own: only POST, needing `action`."""
    return form(name, build, action, verbs=("POST",), **options)


def api(name: str, build: Build = _no_kwargs, **methods) -> Route:
    """An API route (a DRF router name, no namespace) and the action of each HTTP method:
    `api("member-detail", member_pk, get=VIEW, patch=CHANGE)`."""
    options = {k: methods.pop(k) for k in ("scoped", "expect", "note") if k in methods}
    return Route(name, {m.upper(): a for m, a in methods.items()}, build, api=True, **options)


# --- what the URLconf offers --------------------------------------------------------------


@dataclass(frozen=True)
class Resolvable:
    """A route the URLconf resolves: its name ("/<path>" when it has none), its path and the
    HTTP methods its view answers (known for class-based views and the API's viewsets)."""

    key: str
    path: str
    methods: frozenset[str] = frozenset()


def _walk(patterns, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Resolvable]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            path = prefix + str(pattern.pattern)
            # An unnamed route is known by its path (inside its namespace: "admin:/...").
            name = pattern.name or "/" + path
            key = ":".join(namespaces + (name,))
            yield Resolvable(key, path, _view_methods(pattern.callback))


def _view_methods(callback) -> frozenset[str]:
    """The HTTP methods a class-based view answers: an API view's router mapping (a viewset)
    or its handlers, a Django view's handlers, less those its `http_method_names` turns away.
    Empty for a function view, which says nothing about its methods."""
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return frozenset()
    actions = getattr(callback, "actions", None)
    verbs = actions.keys() if actions else [m for m in cls.http_method_names if hasattr(cls, m)]
    return frozenset(
        m.upper() for m in verbs if m in cls.http_method_names and m not in ("head", "options")
    )


def resolvable_routes() -> dict[str, Resolvable]:
    """Every route of the URLconf by name (namespaces joined), with the API's methods merged
    from the DRF router registry (format-suffix twins collapse into one name)."""
    found: dict[str, Resolvable] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.key in found:
            merged = found[route.key].methods | route.methods
            found[route.key] = Resolvable(route.key, found[route.key].path, merged)
        else:
            found[route.key] = route
    for name, methods in api_router_methods().items():
        if name in found:
            found[name] = Resolvable(name, found[name].path, found[name].methods | methods)
    return found


def _api_router():
    from django.urls import URLResolver, get_resolver

    pending = [get_resolver()]
    while pending:
        resolver = pending.pop()
        router = getattr(resolver.urlconf_module, "router", None)
        if router is not None and hasattr(router, "registry"):
            return router
        pending += [p for p in resolver.url_patterns if isinstance(p, URLResolver)]
    raise LookupError("No API router in the URLconf.")


def api_router_methods() -> dict[str, frozenset[str]]:
    """URL name → HTTP methods of every route the API router registers (list, detail and
    every @action), read from the router's registry rather than guessed from the paths.

    The router is found in the URLconf itself (the included module that holds a `router`), so
    this tool reads the project's routes without importing the project's configuration."""
    router = _api_router()

    methods: dict[str, frozenset[str]] = {}
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            mapping = router.get_method_map(viewset, route.mapping)
            if not mapping:
                continue
            name = route.name.format(basename=basename)
            verbs = frozenset(
                m.upper()
                for m in mapping
                if m in viewset.http_method_names and m not in ("head", "options")
            )
            methods[name] = methods.get(name, frozenset()) | verbs
    return methods


# --- what the apps register ---------------------------------------------------------------


@dataclass
class Registry:
    routes: dict[str, Route]
    exempt: dict[str, str]
    duplicates: list[str]


def registry() -> Registry:
    """The entries of every installed app's `tests/routes.py` (ROUTES and EXEMPT)."""
    routes: dict[str, Route] = {}
    exempt: dict[str, str] = {}
    duplicates: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("grassroots."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.routes")
        except ModuleNotFoundError as error:
            if error.name in (f"{config.name}.tests", f"{config.name}.tests.routes"):
                continue
            raise
        for entry in getattr(module, "ROUTES", ()):
            if entry.name in routes or entry.name in exempt:
                duplicates.append(entry.name)
            routes[entry.name] = entry
        for name, reason in getattr(module, "EXEMPT", {}).items():
            if name in routes or name in exempt:
                duplicates.append(name)
            exempt[name] = reason
    return Registry(routes, exempt, duplicates)


def is_exempt(key: str, exempt: dict[str, str]) -> bool:
    """Exemptions name a route, or a whole namespace with "admin:*"."""
    return key in exempt or any(
        pattern.endswith(":*") and key.startswith(pattern[:-1]) for pattern in exempt
    )
