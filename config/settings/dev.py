"""A developer's machine and the embedded demo (`make demo`, the default of manage.py): DEBUG on,
SQLite, local hosts only, a fixed key when none is set."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F401,F403
from .base import SECRET_KEY  # noqa: E402

SECRET_KEY = SECRET_KEY or "insecure-development-key-do-not-use-in-production"
WHITENOISE_USE_FINDERS = True
