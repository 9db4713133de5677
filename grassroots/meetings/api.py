"""REST API of the meetings app (registered on the one router in config/api_urls.py)."""

from __future__ import annotations


def register(router) -> None:
    """Add this app's viewsets to the API router."""
