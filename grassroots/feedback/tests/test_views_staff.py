"""The staff pages by persona: the citizen's data only within the responsible unit's subtree
(each reading logged), forms over the services with the database and the audit asserted, the
list's query count, the board and the export — and nothing a citizen typed is ever rendered
unescaped."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.conftest import client_for
from grassroots.core.models import AuditEntry
from grassroots.feedback import services
from grassroots.feedback.models import Feedback
from grassroots.feedback.tests.helpers import SCRIPT, receive

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2024, 3, 4)


def detail(feedback) -> str:
    return reverse("feedback:feedback_detail", args=[feedback.pk])


def reads(feedback, user) -> int:
    return AuditEntry.objects.for_object(feedback).filter(action="view", actor=user).count()


def test_a_viewer_of_the_commune_sees_the_citizen_and_the_reading_is_logged(tree, viewer_a):
    feedback = receive(tree.commune_a)
    page = client_for(viewer_a).get(detail(feedback))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nguyễn Văn Thử" in html and "001203004567" in html
    entry = AuditEntry.objects.for_object(feedback).get(action="view")
    assert entry.actor == viewer_a and entry.after["read"] == "feedback_citizen"
    assert entry.unit_path == tree.commune_a.path
    # Answering is not for a viewer.
    assert (
        client_for(viewer_a)
        .get(reverse("feedback:feedback_answer", args=[feedback.pk]))
        .status_code
        == 403
    )


def test_an_outsider_does_not_learn_that_the_feedback_exists(tree, outsider):
    feedback = receive(tree.commune_a)
    assert client_for(outsider).get(detail(feedback)).status_code == 404
    assert reads(feedback, outsider) == 0


def test_once_escalated_the_commune_follows_it_without_the_citizens_data(tree, viewer_a):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    services.feedback_escalate_overdue(today=dt.date(2024, 3, 26))
    html = client_for(viewer_a).get(detail(feedback)).content.decode()
    assert "Nguyễn Văn Thử" not in html and "0912 345 678" not in html
    assert tree.province.name in html
    assert reads(feedback, viewer_a) == 0
    api = client_for(viewer_a).get(f"/api/v1/feedback/{feedback.pk}/").json()
    assert api["citizen"] is None


def test_a_manager_answers_and_the_answer_is_saved_with_its_audit_row(tree, manager_a):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    url = reverse("feedback:feedback_answer", args=[feedback.pk])
    response = client_for(manager_a).post(
        url, {"answer": "Xã đã sửa đường.", "answered_on": "20/03/2024"}
    )
    assert response.status_code == 302 and response["Location"] == detail(feedback)
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.answered_on == dt.date(2024, 3, 20)
    entry = AuditEntry.objects.for_object(feedback).filter(action="update").get()
    assert entry.actor == manager_a and entry.after["status"] == "answered"


def test_an_answer_dated_before_the_receipt_lands_on_its_field_and_nothing_is_saved(
    tree, manager_a
):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    url = reverse("feedback:feedback_answer", args=[feedback.pk])
    response = client_for(manager_a).post(url, {"answer": "Sớm quá.", "answered_on": "01/03/2024"})
    assert response.status_code == 400
    assert "before the receipt" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.answered_on is None


def test_staff_record_feedback_from_a_dialogue_meeting(tree, editor_a):
    url = reverse("feedback:feedback_create")
    response = client_for(editor_a).post(
        f"{url}?unit={tree.commune_a.pk}",
        {
            "unit": tree.commune_a.pk,
            "place": tree.cell_a1.pk,
            "channel": "dialogue",
            "source_note": "Đối thoại với nhân dân 12/03/2024",
            "received_on": "12/03/2024",
            "category": "complaint",
            "subject": "Bồi thường đất",
            "body": "Chưa nhận tiền bồi thường.",
            "citizen_name": "Đỗ Văn Hỏi",
            "citizen_phone": "",
            "citizen_address": "",
            "citizen_id_number": "",
        },
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(feedback)
    assert feedback.channel == "dialogue" and feedback.unit == tree.commune_a
    assert feedback.place == tree.cell_a1
    assert AuditEntry.objects.for_object(feedback).get(action="create").actor == editor_a


def test_a_viewer_cannot_open_the_intake_form_and_an_outsider_cannot_choose_commune_a(
    tree, viewer_a, outsider
):
    url = reverse("feedback:feedback_create")
    assert client_for(viewer_a).get(url).status_code == 403
    response = client_for(outsider).post(url, {"unit": tree.commune_a.pk, "subject": "x"})
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_assign_and_close_through_the_pages(tree, manager_a, editor_a):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    client = client_for(manager_a)
    assign = reverse("feedback:feedback_assign", args=[feedback.pk])
    assert str(editor_a.username) in client.get(assign).content.decode()
    assert client.post(assign, {"assignee": editor_a.pk}).status_code == 302
    services.feedback_answer(actor=editor_a, feedback=feedback, answer="Xong.", answered_on=MONDAY)
    close = reverse("feedback:feedback_close", args=[feedback.pk])
    assert client.get(close).status_code == 405
    assert client.post(close).status_code == 302
    feedback.refresh_from_db()
    assert feedback.assigned_to == editor_a and feedback.status == "closed"
    # A closed feedback is not answered again: the page says why and sends back.
    answer = reverse("feedback:feedback_answer", args=[feedback.pk])
    assert client.get(answer)["Location"] == detail(feedback)


def test_the_list_runs_the_same_few_queries_whatever_the_number_of_rows(tree, manager_a):
    client = client_for(manager_a)
    url = reverse("feedback:feedback_list")
    receive(tree.commune_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(6):
        receive(tree.commune_a, subject=f"Ý kiến {i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 12


def test_the_list_filters_overdue_feedback_and_shows_no_personal_data(tree, manager_a):
    late = receive(tree.commune_a, received_on=MONDAY, subject="Quá hạn rồi")
    receive(tree.commune_a, received_on=dt.date.today(), subject="Mới nhận")
    html = (
        client_for(manager_a)
        .get(reverse("feedback:feedback_list"), {"overdue": "true"})
        .content.decode()
    )
    assert late.display_code in html and "Mới nhận" not in html
    assert "Nguyễn Văn Thử" not in html
    assert reads(late, manager_a) == 0


def test_a_script_typed_by_a_citizen_is_escaped_on_every_staff_page_and_the_export(tree, manager_a):
    feedback = services.feedback_submit_public(
        place=tree.commune_a,
        category="opinion",
        subject=SCRIPT,
        body=f"{SCRIPT}\n<img src=x onerror=alert(1)>",
        citizen_name=SCRIPT,
        citizen_phone="",
        citizen_address=f"<b>{SCRIPT}</b>",
    )
    services.feedback_answer(actor=manager_a, feedback=feedback, answer="Đã nhận.")
    services.feedback_record_satisfaction(
        actor=None, feedback=feedback, satisfaction="unsatisfied", note=SCRIPT
    )
    overdue = receive(tree.commune_a, received_on=MONDAY, subject=SCRIPT, body=SCRIPT)
    services.feedback_add_note(actor=manager_a, feedback=overdue, note=SCRIPT)
    client = client_for(manager_a)
    assert "&lt;script&gt;" in client.get(reverse("home")).content.decode()
    pages = [
        detail(overdue),
        reverse("feedback:feedback_answer", args=[overdue.pk]),
        reverse("feedback:feedback_assign", args=[overdue.pk]),
        reverse("feedback:feedback_transfer", args=[overdue.pk]),
        reverse("feedback:feedback_list") + "?q=script",
        reverse("feedback:feedback_list"),
        detail(feedback),
        reverse("feedback:feedback_note", args=[feedback.pk]),
        reverse("home"),
        reverse("core:audit", args=["feedback", "feedback", feedback.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    assert "&lt;script&gt;" in client.get(detail(feedback)).content.decode()

    formula = receive(tree.commune_a, subject='=HYPERLINK("http://evil.example","x")')
    response = client.get(reverse("feedback:feedback_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    subjects = {row[4].value: row[4] for row in sheet.iter_rows(min_row=2)}
    assert SCRIPT in subjects  # the text as typed, for a spreadsheet: never markup
    cell = subjects[formula.subject]
    assert cell.data_type == "s" and cell.quotePrefix
    assert SCRIPT not in [c.value for c in sheet[1]]
    names = [c.value for row in sheet.iter_rows() for c in row]
    assert "Nguyễn Văn Thử" not in names  # no personal data in the export


def test_the_board_counts_on_time_overdue_and_average_days_per_unit_and_category(
    tree, admin_user, manager_a
):
    on_time = receive(tree.commune_a, received_on=MONDAY)
    services.feedback_answer(
        actor=admin_user, feedback=on_time, answer="Xong.", answered_on=dt.date(2024, 3, 14)
    )
    late = receive(tree.commune_a, received_on=MONDAY, category="complaint")
    services.feedback_answer(
        actor=admin_user, feedback=late, answer="Muộn.", answered_on=dt.date(2024, 5, 3)
    )
    receive(tree.commune_a, received_on=MONDAY)  # open, long past due
    receive(tree.commune_b, received_on=MONDAY)  # outside commune A
    receive(tree.commune_a, received_on=dt.date(2023, 12, 1))  # before the period
    url = reverse("feedback:board")
    page = client_for(manager_a).get(url, {"from": "01/01/2024", "to": "31/12/2024"})
    board = page.context["board"]
    assert board.total.received == 3 and board.total.on_time == 1 and board.total.overdue == 2
    assert board.total.average_days == (10 + 60) / 2
    assert [row.label for row in board.by_unit] == [tree.commune_a.name]
    by_category = {row.key: row for row in board.by_category}
    assert by_category["complaint"].overdue == 1 and by_category["petition"].received == 2

    province = client_for(admin_user).get(url, {"unit": tree.province.pk, "from": "2024-01-01"})
    rows = {row.label: row.received for row in province.context["board"].by_unit}
    assert rows == {tree.commune_a.name: 3, tree.commune_b.name: 1}
    bad = client_for(manager_a).get(url, {"from": "31/12/2024", "to": "01/01/2024"})
    assert bad.status_code == 400
    assert client_for(manager_a).get(url, {"unit": tree.commune_b.pk}).status_code == 400


def test_the_home_lists_overdue_feedback_for_those_who_answer_it(tree, editor_a, viewer_a):
    feedback = receive(tree.commune_a, received_on=MONDAY, subject="Cần trả lời gấp")
    assert "Cần trả lời gấp" in client_for(editor_a).get(reverse("home")).content.decode()
    assert "Cần trả lời gấp" not in client_for(viewer_a).get(reverse("home")).content.decode()
    assert feedback.is_overdue(dt.date.today())


def test_the_unit_page_leads_to_its_feedback_and_to_recording_it(tree, editor_a, viewer_a):
    url = reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    listing = f"{reverse('feedback:feedback_list')}?unit={tree.commune_a.pk}"
    create = f"{reverse('feedback:feedback_create')}?unit={tree.commune_a.pk}"
    html = client_for(editor_a).get(url).content.decode()
    assert listing in html and create in html
    html = client_for(viewer_a).get(url).content.decode()
    assert listing in html and create not in html
    cell = client_for(editor_a).get(reverse("organizations:unit_detail", args=[tree.cell_a1.pk]))
    assert create.split("?")[0] not in cell.content.decode()


def test_htmx_gets_the_results_alone_filtered_by_unit(tree, admin_user):
    receive(tree.commune_a, subject="Của xã A")
    receive(tree.commune_b, subject="Của xã B")
    response = client_for(admin_user).get(
        reverse("feedback:feedback_list"), {"unit": tree.commune_a.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith("<section") and "Của xã A" in html and "Của xã B" not in html
    assert "HX-Request" in response["Vary"]


def test_the_board_downloads_as_a_workbook_with_unit_names_kept_as_text(tree, admin_user):
    receive(tree.commune_a, received_on=MONDAY)
    response = client_for(admin_user).get(
        reverse("feedback:board"), {"unit": tree.province.pk, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2][:2] == ["Total", 1]
    assert [tree.commune_a.name, 1, 0, 1, 1, None, 0] in values
