"""Demo feedback: what the people of Khánh Hội commune (Ninh Bình) raised at the commune's
dialogue meetings and through the public form over the last months — answered on time, answered
late, still open, one past due and escalated to the province. The citizens are invented."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable

from django.utils import timezone

from grassroots.organizations.models import Unit

from . import services

KHANH_HOI_CODE = "NBI-KHO"  # the commune's code in the demo tree (grassroots/demo/data.py)

# (days before today it was received, hamlet number or None, channel, category, subject,
#  content, citizen, days to answer or None for still open, satisfaction)
FEEDBACK = [
    (
        170,
        3,
        "dialogue",
        "petition",
        "Sửa đoạn đường liên xóm 3 – xóm 4",
        "Đoạn đường bê tông liên xóm bị nứt, mùa mưa đọng nước, xe chở lúa khó đi.",
        "Bùi Văn Hạnh",
        12,
        "satisfied",
    ),
    (
        170,
        5,
        "dialogue",
        "opinion",
        "Thu gom rác thải ven kênh",
        "Rác thải sinh hoạt đổ ven kênh tưới tiêu, đề nghị bố trí điểm tập kết.",
        "Đinh Thị Lành",
        9,
        "satisfied",
    ),
    (
        170,
        1,
        "dialogue",
        "complaint",
        "Chậm chi trả hỗ trợ giống lúa",
        "Hộ gia đình chưa nhận được tiền hỗ trợ giống lúa vụ xuân.",
        "Phạm Văn Tâm",
        52,
        "unsatisfied",
    ),
    (
        120,
        7,
        "dialogue",
        "petition",
        "Lắp thêm đèn chiếu sáng đường xóm 7",
        "Đoạn từ nhà văn hóa ra đường trục xã chưa có đèn, buổi tối đi lại nguy hiểm.",
        "Trần Thị Mến",
        18,
        "partly",
    ),
    (
        120,
        2,
        "dialogue",
        "opinion",
        "Lịch tiêm chủng cho trẻ em",
        "Đề nghị trạm y tế thông báo lịch tiêm chủng sớm qua loa truyền thanh.",
        "Vũ Thị Hoa",
        5,
        "satisfied",
    ),
    (
        120,
        6,
        "dialogue",
        "complaint",
        "Cấp giấy chứng nhận quyền sử dụng đất",
        "Hồ sơ cấp giấy chứng nhận nộp đã lâu chưa có kết quả.",
        "Nguyễn Văn Thuận",
        47,
        "",
    ),
    (
        75,
        8,
        "dialogue",
        "petition",
        "Nạo vét mương tiêu xóm 8",
        "Mương tiêu bị bồi lắng, mưa lớn ruộng bị ngập.",
        "Đặng Văn Khoa",
        14,
        "satisfied",
    ),
    (
        75,
        4,
        "online",
        "opinion",
        "Giờ tiếp dân của xã",
        "Đề nghị xã tiếp dân thêm buổi sáng thứ bảy cho người đi làm xa.",
        "Hoàng Thị Nhung",
        11,
        "",
    ),
    (
        75,
        None,
        "call",
        "petition",
        "Hỗ trợ hộ cận nghèo làm nhà",
        "Nhà xuống cấp, xin được xem xét hỗ trợ theo chương trình xóa nhà tạm.",
        "Lã Văn Sinh",
        36,
        "",
    ),
    (
        40,
        3,
        "dialogue",
        "opinion",
        "Con đường hoa của hội phụ nữ",
        "Đề nghị các xóm phân công hộ chăm sóc con đường hoa đã trồng.",
        "Phan Thị Liên",
        6,
        "satisfied",
    ),
    (
        40,
        5,
        "dialogue",
        "complaint",
        "Tiếng ồn của xưởng mộc",
        "Xưởng mộc trong khu dân cư hoạt động đến khuya gây tiếng ồn.",
        "Mai Văn Lộc",
        None,
        "",
    ),
    (
        30,
        None,
        "dialogue",
        "petition",
        "Lắp đèn chiếu sáng đường nông thôn",
        "Đề nghị đoàn thanh niên mở rộng công trình thắp sáng đường quê ra xóm 2.",
        "Lưu Văn Bình",
        None,
        "",
    ),
    (
        8,
        1,
        "online",
        "opinion",
        "Lịch cắt điện",
        "Đề nghị thông báo lịch cắt điện trên loa xã trước một ngày.",
        "Tạ Thị Thoa",
        None,
        "",
    ),
    (
        3,
        2,
        "visit",
        "petition",
        "Xác nhận hồ sơ vay vốn",
        "Đề nghị xã xác nhận hồ sơ vay vốn học sinh, sinh viên.",
        "Cao Văn Dũng",
        None,
        "",
    ),
]


def _meeting_note(received_on: dt.date) -> str:
    return f"Hội nghị đối thoại giữa Bí thư Đảng ủy với nhân dân, {received_on:%d/%m/%Y}"


def load_demo(*, log: Callable[[str], None]) -> str:
    """Khánh Hội's feedback through the services, received, answered and escalated relative
    to today; one line for the demo's summary."""
    commune = Unit.objects.filter(code=KHANH_HOI_CODE, valid_to__isnull=True).first()
    if commune is None:
        return "Feedback: Khánh Hội is not in the tree, none loaded."
    hamlets = {
        int(unit.code.rsplit("-", 1)[1]): unit
        for unit in Unit.objects.filter(parent=commune, code__startswith=f"{KHANH_HOI_CODE}-")
    }
    today = timezone.localdate()
    made = late = 0
    for days_ago, hamlet, channel, category, subject, body, citizen, answer_days, happy in FEEDBACK:
        received_on = today - dt.timedelta(days=days_ago)
        place = hamlets.get(hamlet) if hamlet else None
        common = {
            "category": category,
            "subject": subject,
            "body": body,
            "citizen_name": citizen,
            "citizen_address": f"Xóm {hamlet}, xã Khánh Hội" if hamlet else "Xã Khánh Hội",
        }
        if channel == "online":
            feedback = services.feedback_submit_public(place=place or commune, **common)
            # The public form receives today; the demo's sends are older.
            due = services.due_date_for(category, received_on)
            feedback.received_on, feedback.first_due_date, feedback.due_date = (
                received_on,
                due,
                due,
            )
            feedback.save(update_fields=["received_on", "first_due_date", "due_date"])
        else:
            feedback = services.feedback_receive(
                actor=None,
                unit=commune,
                channel=channel,
                received_on=received_on,
                source_note=_meeting_note(received_on) if channel == "dialogue" else "",
                place=place,
                citizen_phone=f"09{zlib.crc32(citizen.encode()) % 10**8:08d}",
                **common,
            )
        if answer_days is not None:
            feedback = services.feedback_answer(
                actor=None,
                feedback=feedback,
                answer="Đảng ủy xã đã chỉ đạo Ủy ban nhân dân xã kiểm tra và giải quyết; "
                "kết quả đã được thông báo tới công dân và tại hội nghị đối thoại kỳ sau.",
                answered_on=received_on + dt.timedelta(days=answer_days),
            )
            late += not feedback.answered_on_time
            if happy:
                services.feedback_record_satisfaction(
                    actor=None, feedback=feedback, satisfaction=happy
                )
            if answer_days < 20:
                services.feedback_close(actor=None, feedback=feedback)
        made += 1
    escalated = services.feedback_escalate_overdue(today=today)
    log(f"feedback: {made} for Khánh Hội, {late} answered late, {len(escalated)} escalated")
    return (
        f"Feedback: {made} for Khánh Hội from its dialogue meetings, {late} answered late, "
        f"{len(escalated)} escalated to the province."
    )
