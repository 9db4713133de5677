from django.urls import path

from .views import comparison, entry, indicators, resolutions, review, targets, uploads

app_name = "targets"

urlpatterns = [
    path("", resolutions.ResolutionListView.as_view(), name="resolution_list"),
    path("new/", resolutions.ResolutionCreateView.as_view(), name="resolution_create"),
    path("indicators/", indicators.IndicatorListView.as_view(), name="indicator_list"),
    path("compare/", comparison.comparison, name="comparison"),
    path("upload/", uploads.upload, name="upload"),
    path("entry/<int:unit_id>/", entry.data_entry, name="data_entry"),
    path("entry/<int:unit_id>/row/<int:indicator_id>/", entry.entry_row, name="entry_row"),
    path("values/<int:pk>/<str:verb>/", entry.value_action, name="value_action"),
    path("target/<int:pk>/edit/", targets.TargetEditView.as_view(), name="target_edit"),
    path("<int:pk>/", resolutions.resolution_detail, name="resolution_detail"),
    path("<int:pk>/edit/", resolutions.ResolutionEditView.as_view(), name="resolution_edit"),
    path("<int:pk>/end/", resolutions.ResolutionEndView.as_view(), name="resolution_end"),
    path("<int:pk>/targets/new/", targets.TargetCreateView.as_view(), name="target_create"),
    path("<int:pk>/review/", review.resolution_review, name="resolution_review"),
    path("<int:pk>/review/adopt/", review.ReviewAdoptView.as_view(), name="review_adopt"),
    path("reviews/<int:pk>/", review.adopted_review, name="adopted_review"),
    path("<int:pk>/review.xlsx", review.review_export, name="review_export"),
    path("<int:pk>/template.xlsx", uploads.template_download, name="template_download"),
]
