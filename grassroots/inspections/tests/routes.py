"""Sweep entries for the inspections pages and API (see grassroots/core/testing/routes.py)."""

ROUTES: list = []
