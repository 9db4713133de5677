"""Pages of the feedback app, under /feedback/ (included in config/urls.py)."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.FeedbackListView.as_view(), name="feedback_list"),
    path("board/", views.board, name="board"),
    path("export.xlsx", views.feedback_export, name="feedback_export"),
    path("new/", views.FeedbackReceiveView.as_view(), name="feedback_create"),
    path("<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("<int:pk>/assign/", views.FeedbackAssignView.as_view(), name="feedback_assign"),
    path("<int:pk>/transfer/", views.FeedbackTransferView.as_view(), name="feedback_transfer"),
    path("<int:pk>/answer/", views.FeedbackAnswerView.as_view(), name="feedback_answer"),
    path("<int:pk>/note/", views.FeedbackNoteView.as_view(), name="feedback_note"),
    path(
        "<int:pk>/satisfaction/",
        views.FeedbackSatisfactionView.as_view(),
        name="feedback_satisfaction",
    ),
    path("<int:pk>/close/", views.FeedbackCloseView.as_view(), name="feedback_close"),
    path("<int:pk>/reopen/", views.FeedbackReopenView.as_view(), name="feedback_reopen"),
    # Public: no login.
    path("send/", views.public_start, name="public_start"),
    path("send/<int:pk>/", views.public_form, name="public_form"),
    path("send/done/", views.public_sent, name="public_sent"),
    path("track/", views.public_track, name="public_track"),
]
