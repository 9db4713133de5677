"""Sweep entries for the classifications pages and API (see grassroots/core/testing/routes.py)."""

ROUTES: list = []
