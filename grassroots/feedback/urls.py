"""Pages of the feedback app, under /feedback/ (included in config/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "feedback"

urlpatterns: list = []
