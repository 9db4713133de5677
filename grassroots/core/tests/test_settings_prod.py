"""The settings modules: production refuses to start without its secrets and runs without DEBUG
over HTTPS; manage.py runs the developer's settings unless told otherwise, whatever SECRET_KEY.

Each case imports the settings in a fresh interpreter, with an environment of its own, so that
nothing of the suite's own settings leaks in."""

import os
import subprocess
import sys

from django.conf import settings

PROD_SUMMARY = (
    "import config.settings.prod as s; "
    "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, ','.join(s.ALLOWED_HOSTS))"
)
CLEARED = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in CLEARED and not k.startswith("SECURE_")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_without_a_secret_key_refuse_to_start_and_say_what_is_missing():
    result = run_python("-c", PROD_SUMMARY, ALLOWED_HOSTS="grassroots.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set in the environment" in result.stderr
    assert "config.settings.prod" in result.stderr
    assert result.stdout == ""


def test_production_settings_without_host_names_refuse_to_start_and_say_what_is_missing():
    result = run_python("-c", PROD_SUMMARY, SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS must be set in the environment" in result.stderr


def test_production_settings_with_their_secrets_run_without_debug_and_over_https():
    # DEBUG=1 left in the environment does not turn production's DEBUG on.
    result = run_python(
        "-c",
        PROD_SUMMARY,
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="grassroots.example.org, www.example.org",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "grassroots.example.org,www.example.org",
    ]


def test_manage_py_runs_the_developers_settings_even_when_a_secret_key_is_set():
    code = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"
    result = run_python("manage.py", "shell", "--no-imports", "-c", code, SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.dev", "True"]
