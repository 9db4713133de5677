from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/children/", views.children, name="unit_children"),
    path("<int:pk>/cells/", views.unit_cells, name="unit_cells"),
    path("<int:pk>/history/", views.unit_history_tab, name="unit_history"),
    path("<int:pk>/audit/", views.unit_audit, name="unit_audit"),
    path("<int:pk>/below-minimum/", views.unit_below_minimum, name="unit_below_minimum"),
    path("<int:pk>/add/", views.UnitCreateView.as_view(), name="unit_create"),
    path("<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
]
