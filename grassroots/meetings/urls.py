"""Pages of the meetings app, under /meetings/ (included in config/urls.py)."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("export/", views.meeting_export, name="meeting_export"),
    path("units/<int:pk>/", views.unit_meetings, name="unit_meetings"),
    path("units/<int:pk>/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("units/<int:pk>/calendar/", views.unit_calendar_page, name="unit_calendar"),
    path("units/<int:pk>/findings/", views.unit_findings, name="unit_findings"),
    path("units/<int:pk>/findings/export/", views.findings_export, name="findings_export"),
    path("units/<int:pk>/liaisons/", views.unit_liaisons, name="unit_liaisons"),
    path("units/<int:pk>/liaisons/add/", views.LiaisonAddView.as_view(), name="liaison_add"),
    path("liaisons/<int:pk>/end/", views.LiaisonEndView.as_view(), name="liaison_end"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="meeting_delete"),
    path("<int:pk>/publish/", views.AgendaPublishView.as_view(), name="agenda_publish"),
    path("<int:pk>/documents/add/", views.DocumentAddView.as_view(), name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/sign/", views.SignView.as_view(), name="meeting_sign"),
    path("<int:pk>/corrections/add/", views.CorrectionAddView.as_view(), name="correction_add"),
    path("<int:pk>/decisions/add/", views.DecisionAddView.as_view(), name="decision_add"),
    path(
        "decisions/<int:pk>/assignments/add/",
        views.AssignmentAddView.as_view(),
        name="assignment_add",
    ),
    path("<int:pk>/print/agenda/", views.agenda_print, name="agenda_print"),
    path("<int:pk>/print/minutes/", views.minutes_print, name="minutes_print"),
    path("<int:pk>/print/attendance/", views.attendance_sheet, name="attendance_sheet"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignment_list"),
    path("assignments/export/", views.assignment_export, name="assignment_export"),
    path(
        "assignments/<int:pk>/status/",
        views.AssignmentStatusView.as_view(),
        name="assignment_status",
    ),
    path("members/<int:pk>/assignments/", views.member_assignments, name="member_assignments"),
]
