"""The feedback services: due dates in working days, routing, the steps of a case and every
refusal, with nothing written on refusal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grassroots.core.models import AuditEntry, Holiday
from grassroots.feedback import services
from grassroots.feedback.models import Feedback, FeedbackEvent, normalize_code
from grassroots.feedback.tests.helpers import receive

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2024, 3, 4)


def test_a_petition_is_due_fifteen_working_days_after_receipt(tree, manager_a):
    feedback = receive(tree.commune_a, actor=manager_a, received_on=MONDAY)
    # 15 working days from Monday 4 March: three weeks, to Monday 25 March.
    assert feedback.due_date == feedback.first_due_date == dt.date(2024, 3, 25)
    assert feedback.status == "received"
    assert feedback.origin_unit == feedback.unit == tree.commune_a
    assert feedback.events.get().kind == "received"
    entry = AuditEntry.objects.for_object(feedback).get()
    assert entry.actor == manager_a and entry.action == "create"
    assert "citizen_name" not in entry.after and "citizen_phone" not in entry.after


def test_a_complaint_is_due_thirty_working_days_and_holidays_are_skipped(tree):
    received = dt.date(2024, 6, 3)  # a Monday; no public holiday in June or July
    assert receive(tree.commune_a, category="complaint", received_on=received).due_date == (
        dt.date(2024, 7, 15)  # six weeks of working days
    )
    Holiday.objects.create(date=dt.date(2024, 6, 10), name="Ngày nghỉ bù")
    feedback = receive(tree.commune_a, category="complaint", received_on=received)
    assert feedback.due_date == dt.date(2024, 7, 16)


def test_the_due_days_of_a_category_come_from_the_setting(tree, settings):
    settings.FEEDBACK_DUE_WORKING_DAYS = {"opinion": 5}
    feedback = receive(tree.commune_a, category="opinion", received_on=MONDAY)
    assert feedback.due_date == dt.date(2024, 3, 11)


def test_the_tracking_code_is_ten_unambiguous_characters_and_typing_it_loosely_finds_it(tree):
    feedback = receive(tree.commune_a)
    assert len(feedback.code) == 10 and not set(feedback.code) & set("ILOU")
    typed = feedback.display_code.lower().replace("0", "o").replace("1", "l")
    assert normalize_code(typed) == feedback.code
    assert normalize_code(f"{feedback.display_code}-X") != feedback.code  # no silent cut
    assert receive(tree.commune_a).code != feedback.code


@pytest.mark.parametrize(
    "change, field",
    [
        ({"channel": "online"}, "channel"),
        ({"category": "rumour"}, "category"),
        ({"subject": "  "}, "subject"),
        ({"body": ""}, "body"),
        ({"citizen_name": ""}, "citizen_name"),
        ({"citizen_id_number": "12345"}, "citizen_id_number"),
        ({"received_on": dt.date.today() + dt.timedelta(days=2)}, "received_on"),
    ],
)
def test_staff_intake_refuses_what_is_missing_or_wrong_and_writes_nothing(tree, change, field):
    with pytest.raises(ValidationError) as error:
        receive(tree.commune_a, **change)
    assert field in error.value.message_dict
    assert not Feedback.objects.exists() and not FeedbackEvent.objects.exists()


def test_the_place_of_staff_intake_lies_in_the_responsible_unit(tree):
    with pytest.raises(ValidationError) as error:
        receive(tree.commune_a, place=tree.cell_b1)
    assert "place" in error.value.message_dict
    assert receive(tree.commune_a, place=tree.cell_a2).place == tree.cell_a2


def test_a_village_cell_does_not_answer_feedback_itself(tree):
    with pytest.raises(ValidationError) as error:
        receive(tree.cell_a1)
    assert "unit" in error.value.message_dict


def test_a_viewer_or_an_outsider_cannot_record_feedback_for_commune_a(tree, viewer_a, outsider):
    for actor in (viewer_a, outsider):
        with pytest.raises(ValidationError) as error:
            receive(tree.commune_a, actor=actor)
        assert "unit" in error.value.message_dict
    assert not Feedback.objects.exists()


def test_a_place_is_routed_to_the_organization_above_it(tree):
    assert services.route_place(tree.cell_a1) == tree.commune_a
    assert services.route_place(tree.commune_b) == tree.commune_b
    feedback = services.feedback_submit_public(
        place=tree.cell_a2,
        category="opinion",
        subject="Sân trường ngập nước",
        body="Mưa to là sân ngập.",
        citizen_name="Lê Thị Hỏi",
    )
    assert feedback.unit == feedback.origin_unit == tree.commune_a
    assert feedback.place == tree.cell_a2 and feedback.channel == "online"
    assert feedback.received_on == timezone.localdate()


def test_assigning_puts_the_feedback_in_progress_and_only_people_of_the_unit_qualify(
    tree, manager_a, editor_a, viewer_a, outsider
):
    feedback = receive(tree.commune_a)
    for person in (viewer_a, outsider):
        with pytest.raises(ValidationError) as error:
            services.feedback_assign(actor=manager_a, feedback=feedback, assignee=person)
        assert "assignee" in error.value.message_dict
    feedback.refresh_from_db()
    assert feedback.assigned_to is None and feedback.status == "received"
    services.feedback_assign(actor=manager_a, feedback=feedback, assignee=editor_a)
    feedback.refresh_from_db()
    assert feedback.assigned_to == editor_a and feedback.status == "in_progress"
    assert feedback.events.filter(kind="assigned").count() == 1


def test_an_answer_is_measured_against_the_first_due_date(tree, editor_a):
    late = receive(tree.commune_a, received_on=MONDAY)
    on_time = receive(tree.commune_a, received_on=MONDAY)
    services.feedback_answer(
        actor=editor_a, feedback=on_time, answer="Đã sửa.", answered_on=dt.date(2024, 3, 25)
    )
    services.feedback_answer(
        actor=editor_a, feedback=late, answer="Đã sửa.", answered_on=dt.date(2024, 3, 26)
    )
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.answered_on_time is True and on_time.answer_days == 21
    assert late.answered_on_time is False and late.status == "answered"
    assert late.answered_by == editor_a


def test_an_answer_is_refused_before_the_receipt_in_the_future_empty_or_twice(tree, editor_a):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    for kwargs, field in (
        ({"answer": "x", "answered_on": MONDAY - dt.timedelta(days=1)}, "answered_on"),
        (
            {"answer": "x", "answered_on": timezone.localdate() + dt.timedelta(days=1)},
            "answered_on",
        ),
        ({"answer": "  ", "answered_on": MONDAY}, "answer"),
    ):
        with pytest.raises(ValidationError) as error:
            services.feedback_answer(actor=editor_a, feedback=feedback, **kwargs)
        assert field in error.value.message_dict
    feedback.refresh_from_db()
    assert feedback.answered_on is None and feedback.status == "received"
    services.feedback_answer(
        actor=editor_a, feedback=feedback, answer="Đã sửa.", answered_on=MONDAY
    )
    with pytest.raises(ValidationError):
        services.feedback_answer(actor=editor_a, feedback=feedback, answer="Lần hai.")


def test_a_read_only_role_cannot_answer(tree, viewer_a):
    feedback = receive(tree.commune_a)
    with pytest.raises(ValidationError):
        services.feedback_answer(actor=viewer_a, feedback=feedback, answer="Không được.")
    feedback.refresh_from_db()
    assert feedback.answer == ""


def test_only_answered_feedback_is_closed_and_satisfaction_is_given_once(tree, editor_a):
    feedback = receive(tree.commune_a, received_on=MONDAY)
    with pytest.raises(ValidationError):
        services.feedback_close(actor=editor_a, feedback=feedback)
    with pytest.raises(ValidationError):
        services.feedback_record_satisfaction(
            actor=None, feedback=feedback, satisfaction="satisfied"
        )
    services.feedback_answer(
        actor=editor_a, feedback=feedback, answer="Đã sửa.", answered_on=MONDAY
    )
    services.feedback_record_satisfaction(
        actor=None, feedback=feedback, satisfaction="partly", note="Sửa chưa hết."
    )
    with pytest.raises(ValidationError):
        services.feedback_record_satisfaction(
            actor=None, feedback=feedback, satisfaction="satisfied"
        )
    services.feedback_close(actor=editor_a, feedback=feedback)
    feedback.refresh_from_db()
    assert feedback.status == "closed" and feedback.satisfaction == "partly"
    assert feedback.closed_on == timezone.localdate()


def test_a_transfer_needs_an_organization_in_the_actors_reach(tree, manager_a, admin_user):
    feedback = receive(tree.commune_a)
    for unit in (tree.commune_b, tree.cell_a1, tree.commune_a):
        with pytest.raises(ValidationError):
            services.feedback_transfer(actor=manager_a, feedback=feedback, unit=unit)
    services.feedback_transfer(actor=admin_user, feedback=feedback, unit=tree.commune_b)
    feedback.refresh_from_db()
    assert feedback.unit == tree.commune_b and feedback.origin_unit == tree.commune_a
    assert feedback.events.filter(kind="routed", from_unit=tree.commune_a).exists()


def test_a_note_needs_text_and_a_role_that_changes(tree, editor_a, viewer_a):
    feedback = receive(tree.commune_a)
    with pytest.raises(ValidationError):
        services.feedback_add_note(actor=editor_a, feedback=feedback, note=" ")
    with pytest.raises(ValidationError):
        services.feedback_add_note(actor=viewer_a, feedback=feedback, note="Không được.")
    services.feedback_add_note(actor=editor_a, feedback=feedback, note="Đã gọi lại cho dân.")
    assert feedback.events.filter(kind="note").count() == 1
