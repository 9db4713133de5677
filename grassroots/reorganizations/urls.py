"""Included under "units/" (config/urls.py): the reorganizations of a unit sit on its URL."""

from django.urls import path

from . import views

app_name = "reorganizations"

urlpatterns = [
    path("<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("<int:pk>/split/", views.unit_split, name="unit_split"),
    path("<int:pk>/rename/", views.unit_rename, name="unit_rename"),
    path("<int:pk>/move/", views.unit_move, name="unit_move"),
    path("<int:pk>/dissolve/", views.unit_dissolve, name="unit_dissolve"),
]
