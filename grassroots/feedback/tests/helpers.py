"""Feedback built through the services for the tests."""

from __future__ import annotations

import datetime as dt

from grassroots.feedback.services import feedback_receive

SCRIPT = '<script>alert("x")</script>'


def receive(unit, *, actor=None, **fields):
    values = {
        "channel": "dialogue",
        "category": "petition",
        "subject": "Đường liên thôn xuống cấp",
        "body": "Đề nghị sửa đoạn đường từ xóm 3 ra quốc lộ.",
        "citizen_name": "Nguyễn Văn Thử",
        "citizen_phone": "0912 345 678",
        "citizen_address": "Xóm 3",
        "citizen_id_number": "001203004567",
        "received_on": dt.date(2024, 3, 4),
        "source_note": "",
    }
    values.update(fields)
    return feedback_receive(actor=actor, unit=unit, **values)
