"""Step 65: citizens' feedback received by the communes and wards, the previous year and the
current one up to the day before `ctx.today`.

Each open commune receives some dozens of items a year (opinions and petitions mostly, some
complaints, a few denunciations), through dialogue meetings, visits, calls, letters and the
public form. Most are answered within the working days their category allows, some late; an
item still unanswered after its due date was escalated to the province the day after (as the
daily escalation does), with the new due date it set; answered items are closed after a few
days, most with the citizen's satisfaction. Each item has the events its history implies
(received, escalated, answered, closed). Everything is drawn from one random stream per
province.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.core.dates import add_working_days, holiday_dates
from grassroots.feedback.choices import Category, Channel, EventKind, Satisfaction, Status
from grassroots.feedback.conf import due_working_days, escalation_working_days
from grassroots.feedback.models import CODE_ALPHABET, CODE_LENGTH, Feedback, FeedbackEvent

from .. import data
from ..registry import Context, generator_step

CATEGORIES = [
    (Category.OPINION, 45),
    (Category.PETITION, 35),
    (Category.COMPLAINT, 15),
    (Category.DENUNCIATION, 5),
]
CHANNELS = [
    (Channel.DIALOGUE, 30),
    (Channel.VISIT, 25),
    (Channel.CALL, 15),
    (Channel.LETTER, 15),
    (Channel.ONLINE, 15),
]
SUBJECTS = {
    Category.OPINION: [
        "Đề nghị sửa chữa đường giao thông nông thôn",
        "Phản ánh tình trạng rác thải ven đường",
        "Góp ý về việc tổ chức họp dân",
        "Phản ánh đèn chiếu sáng công cộng hỏng",
    ],
    Category.PETITION: [
        "Kiến nghị nạo vét kênh mương nội đồng",
        "Kiến nghị hỗ trợ hộ nghèo sửa chữa nhà ở",
        "Kiến nghị cấp giấy chứng nhận quyền sử dụng đất",
        "Kiến nghị lắp đặt biển báo giao thông",
    ],
    Category.COMPLAINT: [
        "Khiếu nại về mức bồi thường giải phóng mặt bằng",
        "Khiếu nại việc xét hộ cận nghèo",
    ],
    Category.DENUNCIATION: [
        "Tố cáo việc lấn chiếm đất công",
        "Tố cáo sai phạm trong thu chi quỹ thôn",
    ],
}
ANSWER = "Ủy ban nhân dân xã đã kiểm tra, giải quyết và trả lời công dân theo quy định."
SATISFACTION = [
    (Satisfaction.SATISFIED, 75),
    (Satisfaction.PARTLY, 18),
    (Satisfaction.UNSATISFIED, 7),
]


def _pick(r, weighted):
    return r.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _name(r) -> str:
    family = _pick(r, data.FAMILY_NAMES)
    if r.random() < 0.5:
        return f"{family} {_pick(r, data.MALE_MIDDLE)} {r.choice(data.MALE_GIVEN)}"
    return f"{family} {_pick(r, data.FEMALE_MIDDLE)} {r.choice(data.FEMALE_GIVEN)}"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@generator_step("feedback", order=65)
def generate_feedback(ctx: Context) -> None:
    w = ctx.writer
    fields = [
        "id",
        "code",
        "unit_id",
        "origin_unit_id",
        "place_id",
        "channel",
        "source_note",
        "category",
        "subject",
        "body",
        "citizen_name",
        "citizen_phone",
        "citizen_address",
        "citizen_id_number",
        "received_on",
        "first_due_date",
        "due_date",
        "status",
        "assigned_to_id",
        "escalation_level",
        "answer",
        "answered_on",
        "answered_by_id",
        "answer_days",
        "closed_on",
        "satisfaction",
        "satisfaction_note",
        "created_at",
        "updated_at",
    ]
    w.declare(Feedback, fields)
    w.declare(
        FeedbackEvent,
        ["id", "feedback_id", "kind", "at", "actor_id", "from_unit_id", "to_unit_id", "note"],
    )
    holidays = holiday_dates()  # read once: the due dates are counted without a query
    today, now = ctx.today, ctx.now
    first = dt.date(today.year - 1, 1, 1)
    span = (today - first).days  # days received on: first .. today - 1
    escalation_days = escalation_working_days()
    counts = {"feedback": 0, "escalated": 0, "late": 0, "events": 0}
    by_province: dict[int, list] = {}
    for commune in ctx.tree.communes:
        if commune.valid_to is None:
            by_province.setdefault(commune.province, []).append(commune)
    for pi, communes in sorted(by_province.items()):
        r = ctx.rng("feedback", pi)
        province_id = ctx.tree.provinces[pi]["id"]
        for commune in communes:
            per_year = r.randint(8, 30) * (2 if commune.ward else 1)
            n_items = round(per_year * span / 365)
            for received in sorted(
                first + dt.timedelta(days=r.randrange(span)) for _ in range(n_items)
            ):
                if received < commune.valid_from:
                    continue
                category = _pick(r, CATEGORIES)
                first_due = add_working_days(received, due_working_days(category), holidays)
                roll = r.random()
                if roll < 0.84:
                    answered = received + dt.timedelta(
                        days=r.randint(1, (first_due - received).days)
                    )
                else:
                    answered = first_due + dt.timedelta(days=r.randint(1, 30))
                if answered >= today:
                    answered = None
                unit, due, level, status = commune.id, first_due, 0, Status.IN_PROGRESS
                events = [(EventKind.RECEIVED, _at(received, 9), None, None)]
                escalated_on = first_due + dt.timedelta(days=1)
                if escalated_on < today and (answered is None or answered > first_due):
                    # Overdue at the commune: the daily escalation handed it to the province.
                    unit, level, status = province_id, 1, Status.ESCALATED
                    due = add_working_days(escalated_on, escalation_days, holidays)
                    events.append(
                        (EventKind.ESCALATED, _at(escalated_on, 1), commune.id, province_id)
                    )
                    counts["escalated"] += 1
                elif answered is None and r.random() < 0.3:
                    status = Status.RECEIVED
                answer, closed, satisfaction = "", None, ""
                if answered is not None:
                    status, answer = Status.ANSWERED, ANSWER
                    events.append((EventKind.ANSWERED, _at(answered, 15), None, None))
                    counts["late"] += answered > first_due
                    closing = answered + dt.timedelta(days=r.randint(3, 15))
                    if closing < today and r.random() < 0.8:
                        status, closed = Status.CLOSED, closing
                        satisfaction = _pick(r, SATISFACTION)
                        events.append((EventKind.CLOSED, _at(closing, 10), None, None))
                fid = w.next_id(Feedback)
                subject = r.choice(SUBJECTS[category])
                w.add(
                    Feedback,
                    (
                        fid,
                        "".join(r.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
                        unit,
                        commune.id,
                        None,
                        _pick(r, CHANNELS),
                        "",
                        category,
                        subject,
                        f"{subject} tại địa bàn {commune.name}.",
                        _name(r),
                        "",
                        "",
                        "",
                        received,
                        first_due,
                        due,
                        status,
                        None,
                        level,
                        answer,
                        answered,
                        None,
                        (answered - received).days if answered else None,
                        closed,
                        satisfaction,
                        "",
                        _at(received, 9),
                        now,
                    ),
                )
                for kind, at, from_unit, to_unit in events:
                    w.add(
                        FeedbackEvent,
                        (w.next_id(FeedbackEvent), fid, kind, at, None, from_unit, to_unit, ""),
                    )
                counts["feedback"] += 1
                counts["events"] += len(events)
    ctx.counts.update(
        {
            "feedback": counts["feedback"],
            "feedback_escalated": counts["escalated"],
            "feedback_answered_late": counts["late"],
            "feedback_events": counts["events"],
        }
    )
