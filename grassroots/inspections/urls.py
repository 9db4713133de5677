"""Pages of the inspections app, under /inspections/ (included in config/urls.py)."""

from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("export.xlsx", views.inspection_export, name="inspection_export"),
    path("new/", views.InspectionCreateView.as_view(), name="inspection_create"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/edit/", views.InspectionUpdateView.as_view(), name="inspection_update"),
    path("<int:pk>/conclude/", views.InspectionConcludeView.as_view(), name="inspection_conclude"),
    path(
        "organizations/<int:pk>/conclusion/",
        views.UnitConclusionView.as_view(),
        name="unit_conclusion",
    ),
    path(
        "members/<int:pk>/conclusion/",
        views.MemberConclusionView.as_view(),
        name="member_conclusion",
    ),
    path(
        "organizations/<int:pk>/discipline/",
        views.OrganizationDisciplineView.as_view(),
        name="organization_discipline",
    ),
    path(
        "members/<int:pk>/discipline/",
        views.MemberDisciplineView.as_view(),
        name="member_discipline",
    ),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan_update"),
    path("plans/<int:pk>/items/add/", views.PlanItemAddView.as_view(), name="plan_item_add"),
    path("plans/items/<int:pk>/edit/", views.PlanItemUpdateView.as_view(), name="plan_item_update"),
    path("execution/", views.execution, name="execution"),
    path("execution/export.xlsx", views.execution_export, name="execution_export"),
]
