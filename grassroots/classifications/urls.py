"""Pages of the classifications app, under /classifications/ (included in config/urls.py)."""

from django.urls import path

from . import exports, views

app_name = "classifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("results.xlsx", exports.results_xlsx, name="results_xlsx"),
    path("rule-sets/", views.ruleset_list, name="ruleset_list"),
    path("rule-sets/<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("rule-sets/<int:pk>/edit/", views.RuleSetEditView.as_view(), name="ruleset_edit"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/xlsx/", exports.review_xlsx, name="review_xlsx"),
    path("reviews/<int:pk>/compute/", views.ReviewComputeView.as_view(), name="review_compute"),
    path("reviews/<int:pk>/publish/", views.ReviewPublishView.as_view(), name="review_publish"),
    path(
        "reviews/<int:pk>/collectives/decide/",
        views.CollectivesDecideView.as_view(),
        name="collectives_decide",
    ),
    path(
        "reviews/<int:pk>/circumstances/add/",
        views.CircumstanceCreateView.as_view(),
        name="circumstance_create",
    ),
    path(
        "reviews/<int:pk>/circumstances/<int:circumstance_pk>/remove/",
        views.CircumstanceRemoveView.as_view(),
        name="circumstance_remove",
    ),
    path("reviews/<int:pk>/cells/<int:unit_pk>/", views.review_cell, name="review_cell"),
    path(
        "reviews/<int:pk>/cells/<int:unit_pk>/decide/",
        views.CellDecideView.as_view(),
        name="cell_decide",
    ),
    path("<int:pk>/", views.classification_detail, name="classification_detail"),
    path("<int:pk>/step/", views.ClassificationStepView.as_view(), name="classification_step"),
    path("<int:pk>/form/", views.classification_form, name="classification_form"),
    path("units/<int:unit_pk>/run/", views.RunCreateView.as_view(), name="run_create"),
    path("units/<int:unit_pk>/reviews/open/", views.ReviewOpenView.as_view(), name="review_open"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
]
