"""Pages of the inspections app, under /inspections/ (included in config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "inspections"

urlpatterns: list = []
