from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.resolution_list, name="resolution_list"),
    path("new/", views.resolution_create, name="resolution_create"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("compare/", views.comparison, name="comparison"),
    path("upload/", views.upload, name="upload"),
    path("entry/<int:unit_id>/", views.data_entry, name="data_entry"),
    path("entry/<int:unit_id>/row/<int:indicator_id>/", views.entry_row, name="entry_row"),
    path("values/<int:pk>/<str:verb>/", views.value_action, name="value_action"),
    path("target/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("<int:pk>/", views.resolution_detail, name="resolution_detail"),
    path("<int:pk>/edit/", views.resolution_edit, name="resolution_edit"),
    path("<int:pk>/end/", views.resolution_end, name="resolution_end"),
    path("<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("<int:pk>/review/", views.resolution_review, name="resolution_review"),
    path("<int:pk>/review/adopt/", views.review_adopt, name="review_adopt"),
    path("reviews/<int:pk>/", views.adopted_review, name="adopted_review"),
    path("<int:pk>/review.xlsx", views.review_export, name="review_export"),
    path("<int:pk>/template.xlsx", views.template_download, name="template_download"),
]
