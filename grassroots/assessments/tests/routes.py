"""Sweep entries for the assessments pages and API (see grassroots/core/testing/routes.py)."""

ROUTES: list = []
