"""Pages of the assessments app, under /assessments/ (included in config/urls.py)."""

from django.urls import path

from . import views
from .models import Band, Criterion, CriterionGroup

app_name = "assessments"

urlpatterns = [
    path("", views.RegistrationListView.as_view(), name="registration_list"),
    path("review/", views.review_queue, name="review_queue"),
    path("units/<int:pk>/", views.unit_board, name="unit_board"),
    path("units/<int:pk>/export/", views.board_export, name="board_export"),
    path(
        "units/<int:pk>/register/",
        views.RegistrationCreateView.as_view(),
        name="registration_create",
    ),
    path(
        "units/<int:pk>/frameworks/add/",
        views.FrameworkCreateView.as_view(),
        name="framework_create",
    ),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path(
        "registrations/<int:pk>/criteria/add/",
        views.OwnCriterionAddView.as_view(),
        name="own_criterion_add",
    ),
    path(
        "own-criteria/<int:pk>/remove/",
        views.OwnCriterionRemoveView.as_view(),
        name="own_criterion_remove",
    ),
    path(
        "registrations/<int:pk>/months/<int:month>/",
        views.MonthFormView.as_view(),
        name="month_form",
    ),
    path("months/<int:pk>/", views.month_detail, name="month_detail"),
    path("months/<int:pk>/submit/", views.MonthSubmitView.as_view(), name="month_submit"),
    path("months/<int:pk>/accept/", views.MonthAcceptView.as_view(), name="month_accept"),
    path("months/<int:pk>/return/", views.MonthReturnView.as_view(), name="month_return"),
    path("months/<int:pk>/reopen/", views.MonthReopenView.as_view(), name="month_reopen"),
    path("months/<int:pk>/evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.EvidenceRemoveView.as_view(), name="evidence_remove"),
    path("frameworks/", views.FrameworkListView.as_view(), name="framework_list"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/edit/", views.FrameworkEditView.as_view(), name="framework_edit"),
    path("frameworks/<int:pk>/groups/add/", views.GroupAddView.as_view(), name="group_add"),
    path("frameworks/<int:pk>/bands/add/", views.BandAddView.as_view(), name="band_add"),
    path(
        "frameworks/<int:pk>/publish/",
        views.FrameworkPublishView.as_view(),
        name="framework_publish",
    ),
    path(
        "frameworks/<int:pk>/new-version/",
        views.FrameworkNewVersionView.as_view(),
        name="framework_new_version",
    ),
    path("frameworks/<int:pk>/export/", views.framework_export, name="framework_export"),
    path(
        "frameworks/<int:pk>/import/", views.FrameworkImportView.as_view(), name="framework_import"
    ),
    path("groups/<int:pk>/criteria/add/", views.CriterionAddView.as_view(), name="criterion_add"),
    path(
        "groups/<int:pk>/remove/",
        views.PartRemoveView.as_view(part_model=CriterionGroup),
        name="group_remove",
    ),
    path(
        "criteria/<int:pk>/remove/",
        views.PartRemoveView.as_view(part_model=Criterion),
        name="criterion_remove",
    ),
    path(
        "groups/<int:pk>/edit/",
        views.PartEditView.as_view(part_model=CriterionGroup),
        name="group_edit",
    ),
    path(
        "criteria/<int:pk>/edit/",
        views.PartEditView.as_view(part_model=Criterion),
        name="criterion_edit",
    ),
    path("bands/<int:pk>/edit/", views.PartEditView.as_view(part_model=Band), name="band_edit"),
    path(
        "bands/<int:pk>/remove/",
        views.PartRemoveView.as_view(part_model=Band),
        name="band_remove",
    ),
]
