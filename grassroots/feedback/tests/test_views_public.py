"""The citizen's pages, without login: sending feedback, following it with the code, and what
they hold out against — too many sends from one address, oversized input, a robot's trap, and
guessing codes. The tracking page never shows the citizen's data, the content or notes."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.feedback import services
from grassroots.feedback.models import Feedback
from grassroots.feedback.tests.helpers import SCRIPT, receive

pytestmark = pytest.mark.django_db


def form_url(unit) -> str:
    return reverse("feedback:public_form", args=[unit.pk])


def valid(**extra) -> dict:
    data = {
        "place": "",
        "category": "petition",
        "subject": "Xin lắp đèn đường",
        "body": "Đoạn đường từ nhà văn hóa ra chợ rất tối.",
        "citizen_name": "Phạm Thị Dân",
        "citizen_phone": "0987 654 321",
        "citizen_address": "Thôn Mường Hum",
        "website": "",
    }
    data.update(extra)
    return data


def test_a_citizen_finds_the_commune_without_accents_and_opens_its_form(tree):
    client = Client()
    page = client.get(reverse("feedback:public_start"), {"q": "muong hum"})
    assert page.status_code == 200
    assert form_url(tree.commune_a) in page.content.decode()
    assert form_url(tree.cell_a1) not in page.content.decode()  # cells are not communes
    assert client.get(form_url(tree.commune_a)).status_code == 200
    assert client.get(form_url(tree.cell_a1)).status_code == 404


def test_a_citizen_sends_feedback_and_gets_a_code_routed_to_the_commune(tree):
    client = Client()
    response = client.post(form_url(tree.commune_a), valid(place=tree.cell_a1.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:public_sent")
    feedback = Feedback.objects.get()
    for _reload in range(2):  # reloading shows the code again and sends nothing more
        assert feedback.display_code in client.get(response["Location"]).content.decode()
    assert Feedback.objects.count() == 1
    assert Client().get(reverse("feedback:public_sent")).status_code == 302  # another browser
    assert feedback.unit == tree.commune_a and feedback.place == tree.cell_a1
    assert feedback.channel == "online" and feedback.citizen_name == "Phạm Thị Dân"
    assert feedback.events.get().actor is None


def test_a_place_of_another_commune_is_refused(tree):
    response = Client().post(form_url(tree.commune_a), valid(place=tree.cell_b1.pk))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_the_tracking_page_shows_status_and_answer_but_never_personal_data_or_notes(tree, editor_a):
    feedback = receive(tree.commune_a, received_on=dt.date(2024, 3, 4))
    services.feedback_add_note(actor=editor_a, feedback=feedback, note="Ghi chú nội bộ bí mật")
    client = Client()
    url = reverse("feedback:public_track")
    page = client.get(url, {"code": feedback.display_code.lower()}).content.decode()
    assert "Received" in page and tree.commune_a.name in page
    for secret in (
        "Nguyễn Văn Thử",
        "0912 345 678",
        "001203004567",
        "Xóm 3",
        "Ghi chú nội bộ bí mật",
        feedback.body,
    ):
        assert secret not in page
    services.feedback_answer(
        actor=editor_a,
        feedback=feedback,
        answer="Xã đã đưa vào kế hoạch quý II.",
        answered_on=dt.date(2024, 3, 20),
    )
    page = client.get(url, {"code": feedback.display_code}).content.decode()
    assert "Xã đã đưa vào kế hoạch quý II." in page and 'name="satisfaction"' in page

    response = client.post(
        url, {"code": feedback.display_code, "satisfaction": "satisfied", "note": "Cảm ơn"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.satisfaction == "satisfied" and feedback.satisfaction_note == "Cảm ơn"
    page = client.get(url, {"code": feedback.display_code}).content.decode()
    assert 'name="satisfaction"' not in page


def test_an_unknown_code_is_not_found_and_guessing_is_stopped(tree, settings):
    settings.FEEDBACK_TRACKING_RATE = (3, 3600)
    feedback = receive(tree.commune_a)
    client = Client()
    url = reverse("feedback:public_track")
    for _attempt in range(3):
        assert client.get(url, {"code": "AAAAA-AAAAA"}).status_code == 404
    # The address is now stopped, even for a code that exists.
    response = client.get(url, {"code": feedback.display_code})
    assert response.status_code == 429 and "Retry-After" in response
    assert (
        Client(REMOTE_ADDR="10.0.0.9").get(url, {"code": feedback.display_code}).status_code == 200
    )


def test_one_address_may_send_five_times_an_hour(tree):
    client = Client()
    for i in range(5):
        sent = client.post(form_url(tree.commune_a), valid(subject=f"Ý kiến {i}"))
        assert sent.status_code == 302
    refused = client.post(form_url(tree.commune_a), valid(subject="Lần thứ sáu"))
    assert refused.status_code == 429
    assert Feedback.objects.count() == 5
    other = Client(REMOTE_ADDR="10.0.0.7")
    assert other.post(form_url(tree.commune_a), valid()).status_code == 302


def test_behind_the_proxy_a_spoofed_first_forwarded_entry_does_not_dodge_the_limit(tree, settings):
    settings.FEEDBACK_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.FEEDBACK_PUBLIC_RATE = (2, 3600)
    client = Client()
    for i in range(2):  # the proxy appends the real address after whatever the client sent
        sent = client.post(
            form_url(tree.commune_a),
            valid(subject=f"Ý kiến {i}"),
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.5",
        )
        assert sent.status_code == 302
    refused = client.post(
        form_url(tree.commune_a), valid(), HTTP_X_FORWARDED_FOR="198.51.100.77, 203.0.113.5"
    )
    assert refused.status_code == 429
    assert Feedback.objects.count() == 2
    other = client.post(form_url(tree.commune_a), valid(), HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


def test_the_rate_comes_from_the_setting_and_counts_failed_attempts_too(tree, settings):
    settings.FEEDBACK_PUBLIC_RATE = (1, 60)
    client = Client()
    for _attempt in range(4):  # attempts are allowed at four times the rate
        assert client.post(form_url(tree.commune_a), {"subject": ""}).status_code == 400
    assert client.post(form_url(tree.commune_a), valid()).status_code == 429
    assert not Feedback.objects.exists()


def test_oversized_fields_and_requests_are_refused(tree, settings):
    client = Client()
    too_long = client.post(form_url(tree.commune_a), valid(body="x" * 5001))
    assert too_long.status_code == 400
    assert client.post(form_url(tree.commune_a), valid(subject="y" * 201)).status_code == 400
    assert client.post(form_url(tree.commune_a), valid(citizen_name="z" * 151)).status_code == 400
    settings.FEEDBACK_PUBLIC_MAX_BYTES = 2000
    huge = client.post(form_url(tree.commune_a), valid(citizen_address="a" * 3000))
    assert huge.status_code == 413
    assert not Feedback.objects.exists()


def test_a_robot_that_fills_the_hidden_field_is_refused(tree):
    response = Client().post(form_url(tree.commune_a), valid(website="http://spam.example"))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_the_public_form_needs_its_csrf_token(tree):
    client = Client(enforce_csrf_checks=True)
    assert client.post(form_url(tree.commune_a), valid()).status_code == 403
    assert not Feedback.objects.exists()


def test_a_script_typed_by_a_citizen_is_shown_as_text_on_the_tracking_page(tree, editor_a):
    Client().post(form_url(tree.commune_a), valid(subject=SCRIPT, body=SCRIPT))
    feedback = Feedback.objects.get()
    services.feedback_answer(actor=editor_a, feedback=feedback, answer=f"Trả lời {SCRIPT}")
    page = Client().get(reverse("feedback:public_track"), {"code": feedback.code}).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page
