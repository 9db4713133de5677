"""The embedded demo (`make demo`): DEBUG on, SQLite, local hosts only."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F401,F403

WHITENOISE_USE_FINDERS = True
