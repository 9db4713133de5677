"""Escalation of overdue feedback to the unit above, with controlled time: the service's
`today`, the command's `--today`, and the task under a fixed clock."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from grassroots.feedback import services
from grassroots.feedback.models import Feedback
from grassroots.feedback.tasks import escalate_feedback
from grassroots.feedback.tests.helpers import receive

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2024, 3, 4)
DUE = dt.date(2024, 3, 25)  # a petition received on MONDAY: 15 working days


def test_nothing_is_escalated_on_the_due_date_itself(tree):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    assert services.feedback_escalate_overdue(today=DUE) == []
    feedback.refresh_from_db()
    assert feedback.unit == tree.commune_a and feedback.status == "received"


def test_the_day_after_the_due_date_the_unit_above_takes_it_over_with_a_new_due_date(
    tree, editor_a
):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    services.feedback_assign(actor=editor_a, feedback=feedback, assignee=editor_a)
    day_after = DUE + dt.timedelta(days=1)  # Tuesday 26 March
    escalated = services.feedback_escalate_overdue(today=day_after)
    assert [f.pk for f in escalated] == [feedback.pk]
    feedback.refresh_from_db()
    assert feedback.unit == tree.province and feedback.origin_unit == tree.commune_a
    assert feedback.status == "escalated" and feedback.escalation_level == 1
    assert feedback.assigned_to is None
    assert feedback.first_due_date == DUE
    assert feedback.due_date == dt.date(2024, 4, 9)  # 10 working days after 26 March
    event = feedback.events.get(kind="escalated")
    assert event.from_unit == tree.commune_a and event.to_unit == tree.province
    assert "25/03/2024" in event.note


def test_a_second_run_the_same_day_escalates_nothing_more(tree):
    receive(tree.commune_a, received_on=MONDAY)
    day_after = DUE + dt.timedelta(days=1)
    assert len(services.feedback_escalate_overdue(today=day_after)) == 1
    assert services.feedback_escalate_overdue(today=day_after) == []
    assert Feedback.objects.get().escalation_level == 1


def test_feedback_at_the_province_is_not_escalated_further(tree, admin_user):
    feedback = receive(tree.province, received_on=MONDAY)
    assert services.feedback_escalate_overdue(today=dt.date(2024, 6, 1)) == []
    feedback.refresh_from_db()
    assert feedback.unit == tree.province and feedback.status == "received"


def test_answered_feedback_is_never_escalated(tree, editor_a):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    services.feedback_answer(
        actor=editor_a, feedback=feedback, answer="Đã trả lời.", answered_on=DUE
    )
    assert services.feedback_escalate_overdue(today=dt.date(2024, 6, 1)) == []


def test_the_command_escalates_as_of_the_day_it_is_given(tree):
    receive(tree.commune_a, received_on=MONDAY)
    out = StringIO()
    call_command("escalate_feedback", "--today", "2024-03-25", stdout=out)
    assert "Escalated: 0" in out.getvalue()
    call_command("escalate_feedback", "--today", "2024-03-26", stdout=out)
    assert "Escalated: 1" in out.getvalue()
    assert Feedback.objects.get().unit == tree.province


def test_the_task_escalates_as_of_the_clock(tree, monkeypatch):
    receive(tree.commune_a, received_on=MONDAY)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DUE)
    assert escalate_feedback.enqueue().return_value == 0
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DUE + dt.timedelta(days=1))
    assert escalate_feedback.enqueue().return_value == 1
    assert Feedback.objects.get().status == "escalated"
