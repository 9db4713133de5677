"""The feedback API by persona: the same scoping and rules as the pages, the citizen's data
only in a detail for the responsible unit's subtree (logged), and the board's `?from=&to=`."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.conftest import client_for
from grassroots.core.models import AuditEntry
from grassroots.feedback import services
from grassroots.feedback.models import Feedback
from grassroots.feedback.tests.helpers import receive

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2024, 3, 4)
LIST = "/api/v1/feedback/"


def test_the_list_holds_no_personal_data_and_its_query_count_stays_flat(tree, manager_a):
    client = client_for(manager_a)
    receive(tree.commune_a)
    receive(tree.commune_b)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        body = client.get(LIST).json()
    assert body["count"] == 1
    assert "citizen" not in body["results"][0] and "citizen_name" not in body["results"][0]
    for _i in range(5):
        receive(tree.commune_a)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).json()["count"] == 6
    assert len(many) == len(few)


def test_a_detail_gives_the_citizen_to_the_subtree_and_logs_the_reading(tree, viewer_a, outsider):
    feedback = receive(tree.commune_a)
    body = client_for(viewer_a).get(f"{LIST}{feedback.pk}/").json()
    assert body["citizen"]["name"] == "Nguyễn Văn Thử"
    assert body["tracking_code"] == feedback.display_code
    entry = AuditEntry.objects.for_object(feedback).get(action="view")
    assert entry.actor == viewer_a and entry.note == "api"
    assert client_for(outsider).get(f"{LIST}{feedback.pk}/").status_code == 404


def test_staff_record_feedback_through_the_api_and_a_viewer_is_refused(tree, editor_a, viewer_a):
    data = {
        "unit": tree.commune_a.pk,
        "channel": "letter",
        "category": "denunciation",
        "subject": "Tố cáo lấn chiếm đất công",
        "body": "Hộ ở xóm 5 lấn chiếm đất công.",
        "citizen_name": "Vũ Thị Gửi",
        "received_on": "2024-03-04",
    }
    assert client_for(viewer_a).post(LIST, data, content_type="application/json").status_code == 403
    response = client_for(editor_a).post(LIST, data, content_type="application/json")
    assert response.status_code == 201
    feedback = Feedback.objects.get()
    assert feedback.due_date == dt.date(2024, 4, 15) and feedback.channel == "letter"
    bad = client_for(editor_a).post(
        LIST, {**data, "unit": tree.cell_a1.pk}, content_type="application/json"
    )
    assert bad.status_code == 400 and "unit" in bad.json()


def test_answer_then_close_through_the_api(tree, manager_a, viewer_a):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    url = f"{LIST}{feedback.pk}/"
    answer = {"answer": "Đã giải quyết.", "answered_on": "2024-03-15"}
    assert (
        client_for(viewer_a)
        .post(f"{url}answer/", answer, content_type="application/json")
        .status_code
        == 403
    )
    response = client_for(manager_a).post(f"{url}answer/", answer, content_type="application/json")
    assert response.status_code == 200 and response.json()["answered_on_time"] is True
    again = client_for(manager_a).post(f"{url}answer/", answer, content_type="application/json")
    assert again.status_code == 400
    assert client_for(manager_a).post(f"{url}close/").json()["status"] == "closed"


def test_the_board_takes_from_and_to(tree, manager_a, admin_user):
    answered = receive(tree.commune_a, received_on=MONDAY)
    services.feedback_answer(
        actor=admin_user, feedback=answered, answer="Xong.", answered_on=dt.date(2024, 3, 8)
    )
    receive(tree.commune_a, received_on=dt.date(2024, 7, 1))
    client = client_for(manager_a)
    board = client.get("/api/v1/feedback-board/", {"from": "2024-03-01", "to": "2024-03-31"}).json()
    assert board["total"]["received"] == 1 and board["total"]["answered_on_time"] == 1
    assert board["total"]["average_days_to_answer"] == 4.0
    assert board["total"]["on_time_rate"] == 100.0
    whole = client.get("/api/v1/feedback-board/").json()
    assert whole["total"]["received"] == 2
    bad = client.get("/api/v1/feedback-board/", {"from": "not a date"})
    assert bad.status_code == 400 and "from" in bad.json()
