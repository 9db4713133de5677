"""Reopening answered or closed feedback: by the handling unit or one above it, with a reason
kept in the history; in progress again, due the category's working days from the reopening day.
Refused without a reason, for feedback still open, and outside the actor's subtrees — with
nothing written then. The page's button and form by persona, and the API action."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grassroots.accounts.models import RoleAssignment
from grassroots.conftest import _user, client_for
from grassroots.core.models import AuditEntry, Holiday
from grassroots.feedback import services
from grassroots.feedback.models import Feedback
from grassroots.feedback.tests.helpers import receive

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2024, 3, 4)
REOPENED_ON = dt.date(2024, 4, 1)  # a Monday


def answered(unit, actor, **fields):
    feedback = receive(unit, received_on=MONDAY, **fields)
    return services.feedback_answer(
        actor=actor, feedback=feedback, answer="Xã đã sửa đường.", answered_on=dt.date(2024, 3, 8)
    )


def reopen_url(feedback) -> str:
    return reverse("feedback:feedback_reopen", args=[feedback.pk])


def detail_url(feedback) -> str:
    return reverse("feedback:feedback_detail", args=[feedback.pk])


def test_reopening_puts_answered_feedback_back_in_progress_due_again_in_working_days(
    tree, editor_a
):
    Holiday.objects.get_or_create(date=dt.date(2024, 4, 10), defaults={"name": "Ngày nghỉ bù"})
    feedback = answered(tree.commune_a, editor_a, category="complaint")
    services.feedback_record_satisfaction(
        actor=editor_a, feedback=feedback, satisfaction="unsatisfied"
    )
    before = AuditEntry.objects.for_object(feedback).count()

    feedback = services.feedback_reopen(
        actor=editor_a,
        feedback=feedback,
        reason="Người dân báo đường vẫn chưa sửa xong.",
        today=REOPENED_ON,
    )

    feedback.refresh_from_db()
    assert feedback.status == "in_progress"
    # A complaint: 30 working days from 01/04/2024, skipping the weekends, the day off added
    # here (10/04) and the holidays of the table (18/04, 29/04–01/05).
    assert feedback.due_date == dt.date(2024, 5, 20)
    assert feedback.first_due_date == dt.date(2024, 4, 16)  # the on-time figures keep it
    assert feedback.answer == "" and feedback.answered_on is None and feedback.answer_days is None
    assert feedback.satisfaction == "" and feedback.closed_on is None
    event = feedback.events.get(kind="reopened")
    assert event.actor == editor_a and event.note == "Người dân báo đường vẫn chưa sửa xong."
    entry = AuditEntry.objects.for_object(feedback).latest("id")
    assert AuditEntry.objects.for_object(feedback).count() == before + 1
    assert entry.actor == editor_a and entry.action == "update"
    assert entry.before["status"] == "answered" and entry.after["status"] == "in_progress"
    assert entry.before["answer"] == "Xã đã sửa đường."
    # Answered again, it is published afresh and may be rated again.
    services.feedback_answer(actor=editor_a, feedback=feedback, answer="Đã sửa xong.")
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.answer == "Đã sửa xong."


def test_closed_feedback_is_reopened_by_the_unit_above(tree, editor_a):
    feedback = answered(tree.commune_a, editor_a)
    feedback = services.feedback_close(actor=editor_a, feedback=feedback)
    province_editor = _user("province_editor")
    RoleAssignment.objects.create(
        user=province_editor, unit=tree.province, role=RoleAssignment.Role.EDITOR
    )
    services.feedback_reopen(
        actor=province_editor, feedback=feedback, reason="Trả lời chưa đúng quy định."
    )
    feedback.refresh_from_db()
    assert feedback.status == "in_progress" and feedback.unit == tree.commune_a
    assert feedback.events.get(kind="reopened").actor == province_editor


@pytest.mark.parametrize(
    ("state", "reason", "field"),
    [
        ("answered", "", "reason"),
        ("answered", "   ", "reason"),
        ("answered", "x" * 2001, "reason"),
        ("received", "Lý do", "status"),
        ("in_progress", "Lý do", "status"),
    ],
)
def test_reopening_is_refused_without_a_reason_or_for_open_feedback_and_writes_nothing(
    tree, editor_a, manager_a, state, reason, field
):
    if state == "answered":
        feedback = answered(tree.commune_a, editor_a)
    else:
        feedback = receive(tree.commune_a, received_on=MONDAY)
        if state == "in_progress":
            services.feedback_assign(actor=editor_a, feedback=feedback, assignee=manager_a)
    feedback.refresh_from_db()
    audit, events = AuditEntry.objects.count(), feedback.events.count()
    with pytest.raises(ValidationError) as refused:
        services.feedback_reopen(actor=editor_a, feedback=feedback, reason=reason)
    assert field in refused.value.message_dict
    assert Feedback.objects.get(pk=feedback.pk).status == state
    assert AuditEntry.objects.count() == audit and feedback.events.count() == events


def test_an_outsider_or_a_viewer_cannot_reopen(tree, editor_a, outsider, viewer_a):
    feedback = answered(tree.commune_a, editor_a)
    for person in (outsider, viewer_a):
        with pytest.raises(ValidationError) as refused:
            services.feedback_reopen(actor=person, feedback=feedback, reason="Lý do")
        assert "unit" in refused.value.message_dict
    assert Feedback.objects.get(pk=feedback.pk).status == "answered"
    assert not feedback.events.filter(kind="reopened").exists()


def test_the_page_offers_reopen_on_answered_feedback_to_who_may_change_it(
    tree, editor_a, manager_a, viewer_a
):
    feedback = answered(tree.commune_a, editor_a)
    assert reopen_url(feedback) in client_for(manager_a).get(detail_url(feedback)).content.decode()
    assert (
        reopen_url(feedback) not in client_for(viewer_a).get(detail_url(feedback)).content.decode()
    )
    still_open = receive(tree.commune_a)
    assert (
        reopen_url(still_open)
        not in client_for(manager_a).get(detail_url(still_open)).content.decode()
    )


def test_a_manager_reopens_through_the_form_and_personas_meet_their_refusals(
    tree, editor_a, manager_a, viewer_a, outsider
):
    feedback = answered(tree.commune_a, editor_a)
    assert client_for(None).get(reopen_url(feedback)).status_code == 302
    assert client_for(outsider).post(reopen_url(feedback), {"reason": "x"}).status_code == 404
    assert client_for(viewer_a).post(reopen_url(feedback), {"reason": "x"}).status_code == 403
    empty = client_for(manager_a).post(reopen_url(feedback), {"reason": ""})
    assert empty.status_code in (200, 400) and 'name="reason"' in empty.content.decode()
    assert Feedback.objects.get(pk=feedback.pk).status == "answered"

    response = client_for(manager_a).post(reopen_url(feedback), {"reason": "Dân chưa đồng ý."})
    assert response.status_code == 302 and response["Location"] == detail_url(feedback)
    feedback.refresh_from_db()
    assert feedback.status == "in_progress"
    entry = AuditEntry.objects.for_object(feedback).latest("id")
    assert entry.actor == manager_a and entry.after["status"] == "in_progress"
    page = client_for(manager_a).get(detail_url(feedback)).content.decode()
    assert "Dân chưa đồng ý." in page and "Reopened" in page
    # Open now: the form sends back to the page instead of reopening twice.
    again = client_for(manager_a).get(reopen_url(feedback))
    assert again.status_code == 302 and again["Location"] == detail_url(feedback)


def test_the_api_reopens_with_the_reason_and_refuses_without_one(
    tree, editor_a, manager_a, viewer_a, outsider
):
    feedback = answered(tree.commune_a, editor_a)
    url = f"/api/v1/feedback/{feedback.pk}/reopen/"
    assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404
    assert client_for(viewer_a).post(url, {"reason": "x"}).status_code == 403
    missing = client_for(manager_a).post(url, {}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()
    body = client_for(manager_a).post(
        url, {"reason": "Dân chưa đồng ý."}, content_type="application/json"
    )
    assert body.status_code == 200 and body.json()["status"] == "in_progress"
    twice = client_for(manager_a).post(url, {"reason": "Lần nữa"}, content_type="application/json")
    assert twice.status_code == 400 and "status" in twice.json()
    assert feedback.events.filter(kind="reopened").count() == 1
