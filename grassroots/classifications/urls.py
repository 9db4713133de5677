"""Pages of the classifications app, under /classifications/ (included in config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "classifications"

urlpatterns: list = []
