"""Tests that need the whole demo. They share one load of it (see conftest.py)."""

import datetime as dt

# The fixed day the demo is loaded on, so the figures that depend on today stay put.
TODAY = dt.date(2026, 6, 30)
