"""Production: DEBUG off, the secret key and the host names required from the environment, HTTPS
enforced (redirect, secure cookies, HSTS), the database from DATABASE_URL.

Chosen by DJANGO_SETTINGS_MODULE=config.settings.prod, the default of config/wsgi.py and
config/asgi.py (manage.py defaults to the developer's settings: production sets the variable).
The variables are listed in the README ("Running it in production").
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import DATABASES, STORAGES, env_bool, env_list


def _required(name: str, example: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in the environment for the production settings "
            f"(config.settings.prod), e.g. {name}={example}; see the README, "
            f'"Running it in production". On a developer\'s machine, use config.settings.dev.'
        )
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY", "<a long random string>")
_required("ALLOWED_HOSTS", "grassroots.example.org,www.example.org")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# DATABASE_URL, read by base (PostgreSQL 15+ in production; SQLite when unset). Connections are
# checked before reuse, so a restarted database server does not fail the next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Compressed files with hashed names, served by WhiteNoise after `collectstatic` (whatever DEBUG
# the environment held when base was read).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. Behind a proxy that terminates TLS, it must forward X-Forwarded-Proto; turn the redirect
# and the secure cookies off only when it does not.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
