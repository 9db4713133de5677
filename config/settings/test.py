"""Settings for the test suite: the shared settings with DEBUG off, as in production, plus
speed-ups and a fixed key; plain HTTP (the test client's). The production module's own checks
are tested by grassroots/core/tests/test_settings_prod.py."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-key-not-secret")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "*")

from .base import *  # noqa: E402,F401,F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Each test process has a media folder of its own, outside the checkout (removed when the
# session ends, grassroots/conftest.py): under pytest-xdist two processes would otherwise save
# and delete the same files (the route sweep's evidence file) at the same time.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"grassroots-test-media-{os.getpid()}"

# Tasks run at once in the test process (the page's background import included).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Tests read messages in English, the msgids, so that assertions do not change when a
# translation is reworded. Tests about the Vietnamese interface (the production default,
# LANGUAGE_CODE in base.py) set LANGUAGE_CODE = "vi" through the `settings` fixture.
LANGUAGE_CODE = "en"

# Several test runs against one PostgreSQL server (a developer's and CI's) each take their own
# test database: TEST_DATABASE_NAME=test_mine.
if os.environ.get("TEST_DATABASE_NAME"):
    from .base import DATABASES

    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["TEST_DATABASE_NAME"]
