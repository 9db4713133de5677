"""Committee pages, under the unit pages' addresses (/units/…), included in config/urls.py."""

from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("<int:pk>/committee/", views.unit_committee, name="unit_committee"),
    path("<int:pk>/committees/add/", views.CommitteeCreateView.as_view(), name="committee_create"),
    path("committees/<int:pk>/edit/", views.CommitteeEditView.as_view(), name="committee_edit"),
    path("committees/<int:pk>/seats/add/", views.SeatAddView.as_view(), name="seat_add"),
    path("seats/<int:pk>/end/", views.SeatEndView.as_view(), name="seat_end"),
]
