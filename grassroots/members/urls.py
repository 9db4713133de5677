from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("export/", views.member_export, name="member_export"),
    path("admit/", views.member_admit, name="member_admit"),
    path("import/", views.member_import, name="member_import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("candidates/", views.candidate_board, name="candidate_board"),
    path("candidates/propose/", views.candidate_propose, name="candidate_propose"),
    path(
        "candidates/<int:pk>/advance/",
        views.CandidateAdvanceView.as_view(),
        name="candidate_advance",
    ),
    path("candidates/<int:pk>/drop/", views.CandidateDropView.as_view(), name="candidate_drop"),
    path("candidates/<int:pk>/admit/", views.CandidateAdmitView.as_view(), name="candidate_admit"),
    path("stats/<int:unit_id>/", views.unit_stats, name="unit_stats"),
    path("stats/<int:unit_id>/export.xlsx", views.unit_stats_export, name="unit_stats_export"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("<int:pk>/recognize/", views.MemberRecognizeView.as_view(), name="member_recognize"),
    path(
        "<int:pk>/transfer-out/", views.MemberTransferOutView.as_view(), name="member_transfer_out"
    ),
    path("<int:pk>/arrival/", views.MemberTransferInView.as_view(), name="member_transfer_in"),
    path(
        "<int:pk>/temporary-arrival/",
        views.MemberTemporaryArrivalView.as_view(),
        name="member_temporary_arrival",
    ),
    path(
        "<int:pk>/temporary-return/",
        views.MemberTemporaryReturnView.as_view(),
        name="member_temporary_return",
    ),
    path("<int:pk>/discipline/", views.MemberDisciplineView.as_view(), name="member_discipline"),
    path("<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    path("<int:pk>/death/", views.MemberDeathView.as_view(), name="member_death"),
    path("<int:pk>/readmit/", views.MemberReadmitView.as_view(), name="member_readmit"),
]
