from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/children/", views.children, name="unit_children"),
    path("<int:pk>/cells/", views.unit_cells, name="unit_cells"),
    path("<int:pk>/committee/", views.unit_committee, name="unit_committee"),
    path("<int:pk>/history/", views.unit_history_tab, name="unit_history"),
    path("<int:pk>/audit/", views.unit_audit, name="unit_audit"),
    path("<int:pk>/below-minimum/", views.unit_below_minimum, name="unit_below_minimum"),
    path("<int:pk>/add/", views.unit_create, name="unit_create"),
    path("<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("<int:pk>/split/", views.unit_split, name="unit_split"),
    path("<int:pk>/rename/", views.unit_rename, name="unit_rename"),
    path("<int:pk>/move/", views.unit_move, name="unit_move"),
    path("<int:pk>/dissolve/", views.unit_dissolve, name="unit_dissolve"),
    path("<int:pk>/committees/add/", views.committee_create, name="committee_create"),
    path("committees/<int:pk>/edit/", views.committee_edit, name="committee_edit"),
    path("committees/<int:pk>/seats/add/", views.seat_add, name="seat_add"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
]
