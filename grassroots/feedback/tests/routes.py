"""Sweep entries for the feedback pages and API (see grassroots/core/testing/routes.py)."""

ROUTES: list = []
