"""Pages of the meetings app, under /meetings/ (included in config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "meetings"

urlpatterns: list = []
