"""Pages of the assessments app, under /assessments/ (included in config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "assessments"

urlpatterns: list = []
