"""Sweep entries for the meetings pages and API (see grassroots/core/testing/routes.py)."""

ROUTES: list = []
