"""Personas over one small fixed tree, shared by every app's tests.

root → province → commune A (cells A1, A2) and commune B.
  admin      system administrator (superuser)
  manager_a  manager of commune A's subtree
  editor_a   editor of commune A's subtree
  viewer_a   viewer of commune A's subtree
  outsider   manager of commune B only
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from grassroots.accounts.models import RoleAssignment, User
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create

TREE_START = dt.date(2015, 1, 1)


def pytest_collection_modifyitems(config, items):
    """`make test` runs on two processes (pytest-xdist, `--dist loadgroup`): the modules that
    share the whole demo's one load (demo/tests/full_demo/) go to one process together."""
    for item in items:
        if "full_demo" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group("full_demo"))


@pytest.fixture(scope="session", autouse=True)
def _own_media_folder():
    """The process's media folder (config.settings.test) goes when the session ends."""
    from django.conf import settings

    folder = settings.MEDIA_ROOT
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_rule_cache():
    """Rule overrides and the holiday table are cached per process; a test's rolled-back
    changes must not leak."""
    from grassroots.core import dates, rules

    rules.clear_cache()
    dates.clear_holiday_cache()
    yield
    rules.clear_cache()
    dates.clear_holiday_cache()


@dataclass
class Tree:
    root: Unit
    province: Unit
    commune_a: Unit
    cell_a1: Unit
    cell_a2: Unit
    commune_b: Unit
    cell_b1: Unit


@pytest.fixture
def tree(db) -> Tree:
    root = unit_create(
        actor=None, code="TW", name="Trung ương", kind=UnitKind.CENTRAL, valid_from=TREE_START
    )
    province = unit_create(
        actor=None,
        code="T01",
        name="Tỉnh Thử Nghiệm",
        kind=UnitKind.PROVINCE,
        parent=root,
        valid_from=TREE_START,
    )
    commune_a = unit_create(
        actor=None,
        code="XA",
        name="Xã Mường Hum",
        kind=UnitKind.GRASSROOTS,
        parent=province,
        valid_from=TREE_START,
    )
    cell_a1 = unit_create(
        actor=None,
        code="XA-1",
        name="Chi bộ thôn Mường Hum",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=commune_a,
        valid_from=TREE_START,
    )
    cell_a2 = unit_create(
        actor=None,
        code="XA-2",
        name="Chi bộ Trường Tiểu học",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.SCHOOL,
        parent=commune_a,
        valid_from=TREE_START,
    )
    commune_b = unit_create(
        actor=None,
        code="XB",
        name="Xã Bình An",
        kind=UnitKind.GRASSROOTS,
        parent=province,
        valid_from=TREE_START,
    )
    cell_b1 = unit_create(
        actor=None,
        code="XB-1",
        name="Chi bộ thôn Đông",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=commune_b,
        valid_from=TREE_START,
    )
    return Tree(root, province, commune_a, cell_a1, cell_a2, commune_b, cell_b1)


def _user(username: str, **extra) -> User:
    user = User.objects.create_user(username=username, password="pass-12345-word", **extra)
    return user


@pytest.fixture
def admin_user(db) -> User:
    return _user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def manager_a(tree) -> User:
    user = _user("manager_a")
    RoleAssignment.objects.create(user=user, unit=tree.commune_a, role=RoleAssignment.Role.MANAGER)
    return user


@pytest.fixture
def editor_a(tree) -> User:
    user = _user("editor_a")
    RoleAssignment.objects.create(user=user, unit=tree.commune_a, role=RoleAssignment.Role.EDITOR)
    return user


@pytest.fixture
def viewer_a(tree) -> User:
    user = _user("viewer_a")
    RoleAssignment.objects.create(user=user, unit=tree.commune_a, role=RoleAssignment.Role.VIEWER)
    return user


@pytest.fixture
def outsider(tree) -> User:
    user = _user("outsider")
    RoleAssignment.objects.create(user=user, unit=tree.commune_b, role=RoleAssignment.Role.MANAGER)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def personas(admin_user, manager_a, editor_a, viewer_a, outsider):
    """Name → user, for parametrized persona matrices (None is the anonymous visitor)."""
    return {
        "anonymous": None,
        "admin": admin_user,
        "manager_a": manager_a,
        "editor_a": editor_a,
        "viewer_a": viewer_a,
        "outsider": outsider,
    }


@pytest.fixture
def as_persona(personas):
    """`as_persona("viewer_a")` → a logged-in test client (anonymous for "anonymous")."""

    def make(name: str) -> Client:
        return client_for(personas[name])

    return make


@pytest.fixture
def api(personas):
    """`api("viewer_a")` → an API client authenticated as the persona (none for "anonymous")."""
    from rest_framework.test import APIClient

    def make(name: str) -> APIClient:
        client = APIClient()
        if personas[name] is not None:
            client.force_authenticate(personas[name])
        return client

    return make


# --- browser tests --------------------------------------------------------------------------
# Playwright drives Debian's chromium (never a downloaded browser). Screenshots are kept in
# artifacts/screenshots/. Without chromium on the machine the browser tests are skipped with
# the reason; .ci/run installs it, so CI always runs them.

import os  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (360 px wide) on the live server; `page.base` is the server's URL."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.base = live_server.url
    yield pg
    context.close()


def shot(page, name: str) -> Path:
    """Keep a full-page screenshot as a CI artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def browser_login(page, username: str, password: str = "pass-12345-word") -> None:
    page.goto(page.base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def no_sideways_scroll(page) -> bool:
    """The page fits its viewport's width (a phone never scrolls sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def page_weight(page, name: str) -> int:
    """Bytes transferred for the page and everything it loaded (compressed, as sent), printed
    beside the page's name for the CI log."""
    size = page.evaluate(
        """() => performance.getEntriesByType('navigation')
            .concat(performance.getEntriesByType('resource'))
            .reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0)"""
    )
    print(f"page weight {name}: {size / 1024:.1f} kB")
    return size


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert not serious, "\n".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in serious
    )
