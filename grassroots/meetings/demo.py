"""Demo meetings: the Mường Hum village cell's last twelve months of regular meetings (and a
thematic one most quarters) with the agenda agreed beforehand, attendance, the month's
assessment of the cell and of each member, decisions and their assignments followed up at the
next meeting; the commune committee member assigned to attend it; and Biểu Nghi residential
cell's thematic meeting of November 2024 (typhoon No. 3 recovery, winter crops, irrigation,
sanitation) with the members assigned to mobilize households. The members are the demo's own
synthetic ones."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from grassroots.committees.models import CommitteeSeat
from grassroots.core.dates import add_months
from grassroots.organizations.models import Unit

from . import services
from .choices import AssignmentStatus, AttendanceStatus, MeetingKind
from .models import Assignment
from .selectors import unit_members

MUONG_HUM_VILLAGE_CODE = "LCA-MHU-01"  # grassroots/demo/data.py
BIEU_NGHI_CODE = "QNI-DMA-01"
BIEU_NGHI_DAY = dt.date(2024, 11, 16)

EXCUSES = ["Đi làm ăn xa", "Ốm", "Việc gia đình", "Đi học lớp bồi dưỡng", "Đi rừng theo mùa"]

# One theme a month: the point of the agenda, the decision and what it assigns.
MONTHLY = [
    ("Chăm sóc chè và phòng sâu bệnh", "Hướng dẫn các hộ phun phòng bọ xít muỗi cho chè", 2),
    ("Ra quân làm đường giao thông nông thôn", "Vận động các hộ góp ngày công làm đường", 2),
    ("Phòng chống cháy rừng mùa khô", "Tổ chức tuần tra, canh gác lửa rừng", 1),
    ("Gieo cấy lúa vụ mùa", "Vận động các hộ gieo cấy đúng lịch thời vụ", 2),
    ("Rà soát hộ nghèo, cận nghèo", "Rà soát, đề xuất danh sách hộ nghèo cuối năm", 1),
    ("Vận động trẻ em ra lớp", "Vận động 100% trẻ trong độ tuổi đến trường", 2),
    ("Phòng chống sạt lở mùa mưa bão", "Kiểm tra các điểm có nguy cơ sạt lở, di dời hộ dân", 1),
    ("Thu hoạch lúa, bảo quản nông sản", "Hỗ trợ các hộ neo đơn thu hoạch lúa", 2),
    ("Phát triển đảng viên", "Bồi dưỡng quần chúng ưu tú giới thiệu kết nạp", 1),
    ("Tham gia bảo hiểm y tế", "Vận động các hộ tham gia bảo hiểm y tế hộ gia đình", 1),
    ("Vệ sinh môi trường, xây nhà tiêu hợp vệ sinh", "Vận động các hộ làm nhà tiêu", 2),
    ("Chuẩn bị đón Tết, giữ gìn an ninh trật tự", "Phối hợp công an xã tuần tra dịp Tết", 1),
]
THEMATIC = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Phát triển kinh tế đồi rừng và chè hữu cơ",
    "Xây dựng chi bộ trong sạch, vững mạnh",
    "Giữ gìn bản sắc văn hóa dân tộc trong thôn",
]

BIEU_NGHI = [
    (
        "Khắc phục hậu quả bão số 3: dựng lại nhà, chuồng trại, dọn cây đổ.",
        "Vận động các hộ khắc phục hậu quả bão số 3, hỗ trợ hộ neo đơn dựng lại nhà",
        3,
        dt.date(2024, 12, 10),
    ),
    (
        "Đẩy nhanh chuyển đổi cây trồng vụ đông trên diện tích lúa bị ngập.",
        "Vận động các hộ gieo trồng rau màu vụ đông trên chân ruộng trũng",
        2,
        dt.date(2024, 12, 15),
    ),
    (
        "Nạo vét kênh mương, khơi thông dòng chảy phục vụ tưới tiêu.",
        "Vận động các hộ góp ngày công nạo vét kênh nội đồng",
        2,
        dt.date(2024, 12, 31),
    ),
    (
        "Tổng vệ sinh môi trường khu dân cư sau bão.",
        "Vận động các hộ ra quân tổng vệ sinh, thu gom rác thải",
        2,
        dt.date(2024, 11, 30),
    ),
]


def _pick(seed: str, n: int) -> int:
    return zlib.crc32(seed.encode()) % n if n else 0


def _actor():
    user_model = get_user_model()
    return user_model.objects.filter(username="secretary").first()


def _liaison_seat(cell: Unit) -> CommitteeSeat | None:
    """A seat of the commune's executive committee, not the secretary's (she leads it all)."""
    return (
        CommitteeSeat.objects.filter(committee__unit_id=cell.parent_id, to_date__isnull=True)
        .exclude(position="secretary")
        .order_by("position", "id")
        .first()
    )


def _attendance(meeting, members, *, low: bool) -> None:
    entries = []
    excused = 5 if low else 1 + _pick(f"e{meeting.date}", 2)
    absent = 1 if low or _pick(f"a{meeting.date}", 4) == 0 else 0
    start = _pick(f"s{meeting.date}", len(members))
    rotated = members[start:] + members[:start]
    for i, member in enumerate(rotated):
        if i < excused:
            reason = EXCUSES[_pick(f"{member.pk}{meeting.date}", len(EXCUSES))]
            entries.append(services.AttendanceEntry(member, AttendanceStatus.EXCUSED, reason))
        elif i < excused + absent:
            entries.append(services.AttendanceEntry(member, AttendanceStatus.ABSENT))
        else:
            entries.append(services.AttendanceEntry(member, AttendanceStatus.PRESENT))
    services.attendance_record(actor=_actor(), meeting=meeting, entries=entries)


def _assess(meeting) -> None:
    rows = list(meeting.attendance.all())
    assessments = {}
    for row in rows:
        if row.status == AttendanceStatus.PRESENT:
            strengths = "Hoàn thành tốt nhiệm vụ được giao, gương mẫu tham gia việc chung của thôn."
            limitations = (
                "Tham gia ý kiến trong sinh hoạt còn ít."
                if _pick(f"l{row.member_id}{meeting.date}", 6) == 0
                else ""
            )
        elif row.status == AttendanceStatus.EXCUSED:
            strengths, limitations = "Hoàn thành nhiệm vụ được giao.", ""
        else:
            strengths, limitations = "", "Vắng sinh hoạt không báo cáo lý do."
        assessments[row.member_id] = (strengths, limitations)
    services.assessment_record(
        actor=_actor(),
        meeting=meeting,
        cell_strengths=(
            "Chi bộ duy trì sinh hoạt đúng kỳ, nội dung thiết thực; đảng viên gương mẫu "
            "thực hiện nhiệm vụ của thôn."
        ),
        cell_limitations="Một số đảng viên đi làm ăn xa, tỷ lệ dự sinh hoạt chưa cao.",
        next_month_tasks="Thực hiện các nhiệm vụ theo nghị quyết tháng của chi bộ.",
        members=assessments,
    )


def _muong_hum(log: Callable[[str], None]) -> tuple[int, int]:
    cell = Unit.objects.filter(code=MUONG_HUM_VILLAGE_CODE).first()
    if cell is None:
        return 0, 0
    actor = _actor()
    today = timezone.localdate()
    first_month = add_months(today.replace(day=1), -12)
    seat = _liaison_seat(cell)
    if seat is not None:
        services.liaison_add(actor=None, seat=seat, unit=cell, from_date=first_month)
    meetings = 0
    previous = None
    for i in range(12):
        month = add_months(first_month, i)
        day = month.replace(day=10)
        members = list(unit_members(cell, day))
        if not members:
            continue
        topic, task, n_assigned = MONTHLY[(month.month - 1) % 12]
        chair, recorder = members[0].full_name, members[1 % len(members)].full_name
        meeting = services.meeting_create(
            actor=actor,
            unit=cell,
            kind=MeetingKind.REGULAR,
            date=day,
            start_time=dt.time(19, 30),
            place="Nhà văn hóa thôn Mường Hum",
            agenda=(
                "1. Đánh giá kết quả thực hiện nhiệm vụ tháng trước.\n"
                "2. Kiểm điểm việc thực hiện các nhiệm vụ đã giao.\n"
                f"3. {topic}.\n"
                "4. Đánh giá, xếp loại chi bộ và đảng viên trong tháng.\n"
                "5. Phương hướng, nhiệm vụ tháng tới."
            ),
        )
        services.agenda_publish(actor=actor, meeting=meeting, day=day - dt.timedelta(days=4))
        _attendance(meeting, members, low=(month.month == 9))
        came = _pick(f"v{day}", 5) != 0
        services.minutes_save(
            actor=actor,
            meeting=meeting,
            minutes=(
                f"Chi bộ họp thường kỳ tháng {month.month}/{month.year}. Đồng chí bí thư báo cáo "
                "kết quả thực hiện nhiệm vụ tháng trước; chi bộ kiểm điểm các nhiệm vụ đã giao "
                f"và thảo luận nội dung: {topic.lower()}. Các ý kiến thống nhất cao."
            ),
            chair=chair,
            recorder=recorder,
            visitor_attended=came if meeting.visitor_seat_id else None,
        )
        _assess(meeting)
        # The assignments the previous meeting gave are followed up here.
        if previous is not None:
            for assignment in Assignment.objects.filter(
                decision__meeting=previous, status=AssignmentStatus.OPEN
            ):
                late = _pick(f"f{assignment.pk}", 7)
                if late == 0 and i < 11:
                    services.assignment_set_status(
                        actor=actor,
                        assignment=assignment,
                        status=AssignmentStatus.DROPPED,
                        reason="Các hộ đã tự tổ chức thực hiện, không cần giao riêng.",
                        meeting=meeting,
                    )
                elif late == 1:
                    services.assignment_set_status(
                        actor=actor,
                        assignment=assignment,
                        status=AssignmentStatus.OPEN,
                        meeting=meeting,
                        note="Chưa hoàn thành, tiếp tục thực hiện.",
                    )
                else:
                    services.assignment_set_status(
                        actor=actor,
                        assignment=assignment,
                        status=AssignmentStatus.DONE,
                        meeting=meeting,
                        note="Đã hoàn thành.",
                    )
        start = _pick(f"m{day}", len(members))
        assigned = (members[start:] + members[:start])[:n_assigned]
        services.decision_add(
            actor=actor,
            meeting=meeting,
            text=f"Chi bộ thống nhất: {topic.lower()}.",
            task=task,
            due_date=add_months(day, 1) - dt.timedelta(days=2),
            members=assigned,
        )
        if month.month % 3 == 2 and i < 11:  # a thematic meeting in the middle of a quarter
            theme = THEMATIC[(month.month // 3) % len(THEMATIC)]
            thematic = services.meeting_create(
                actor=actor,
                unit=cell,
                kind=MeetingKind.THEMATIC,
                date=month.replace(day=24),
                start_time=dt.time(19, 30),
                place="Nhà văn hóa thôn Mường Hum",
                topic=theme,
                agenda=f"1. Quán triệt chuyên đề: {theme}.\n2. Thảo luận, liên hệ bản thân.",
            )
            services.agenda_publish(
                actor=actor, meeting=thematic, day=thematic.date - dt.timedelta(days=5)
            )
            _attendance(thematic, list(unit_members(cell, thematic.date)), low=False)
            services.minutes_save(
                actor=actor,
                meeting=thematic,
                minutes=f"Chi bộ sinh hoạt chuyên đề: {theme}. Đảng viên thảo luận, liên hệ.",
                chair=chair,
                recorder=recorder,
            )
            services.meeting_sign(actor=actor, meeting=thematic, signed_on=thematic.date)
            meetings += 1
        if i < 11:  # the last month's minutes are still waiting for their signatures
            services.meeting_sign(
                actor=actor, meeting=meeting, signed_on=day + dt.timedelta(days=_pick(f"g{day}", 4))
            )
        previous = meeting
        meetings += 1
    assignments = Assignment.objects.filter(unit=cell).count()
    log(f"  {cell.name}: {meetings} meetings, {assignments} assignments")
    return meetings, assignments


def _bieu_nghi(log: Callable[[str], None]) -> tuple[int, int]:
    cell = Unit.objects.filter(code=BIEU_NGHI_CODE).first()
    if cell is None:
        return 0, 0
    members = list(unit_members(cell, BIEU_NGHI_DAY))
    if not members:
        return 0, 0
    meeting = services.meeting_create(
        actor=None,
        unit=cell,
        kind=MeetingKind.THEMATIC,
        date=BIEU_NGHI_DAY,
        start_time=dt.time(19, 0),
        place="Nhà văn hóa khu dân cư Biểu Nghi",
        topic=(
            "Khắc phục hậu quả bão số 3, đẩy nhanh chuyển đổi cây vụ đông, "
            "thủy lợi và vệ sinh môi trường"
        ),
        agenda=(
            "1. Đánh giá thiệt hại do bão số 3 gây ra trên địa bàn khu dân cư.\n"
            "2. Khắc phục hậu quả bão, ổn định đời sống nhân dân.\n"
            "3. Đẩy nhanh chuyển đổi cây trồng vụ đông.\n"
            "4. Thủy lợi nội đồng và vệ sinh môi trường.\n"
            "5. Ra nghị quyết, phân công đảng viên vận động các hộ."
        ),
    )
    services.agenda_publish(actor=None, meeting=meeting, day=dt.date(2024, 11, 12))
    _attendance(meeting, members, low=False)
    services.minutes_save(
        actor=None,
        meeting=meeting,
        minutes=(
            "Chi bộ sinh hoạt chuyên đề tháng 11/2024. Chi bộ đánh giá thiệt hại do bão số 3, "
            "thảo luận các giải pháp khắc phục, chuyển đổi cây vụ đông, nạo vét kênh mương và "
            "tổng vệ sinh môi trường; thống nhất ra nghị quyết và phân công đảng viên phụ trách "
            "vận động các hộ."
        ),
        chair=members[0].full_name,
        recorder=members[1 % len(members)].full_name,
    )
    for i, (text, task, n, due) in enumerate(BIEU_NGHI):
        assigned = members[2 + 3 * i : 2 + 3 * i + n] or members[:n]
        decision = services.decision_add(
            actor=None, meeting=meeting, text=text, task=task, due_date=due, members=assigned
        )
        assignment = decision.assignments.get()
        finished = min(due + dt.timedelta(days=5 if i == 2 else -3), timezone.localdate())
        services.assignment_set_status(
            actor=None, assignment=assignment, status=AssignmentStatus.DONE, day=finished
        )
    services.meeting_sign(actor=None, meeting=meeting, signed_on=dt.date(2024, 11, 18))
    log(
        f"  {cell.name}: thematic meeting of {BIEU_NGHI_DAY:%d/%m/%Y}, {len(BIEU_NGHI)} assignments"
    )
    return 1, len(BIEU_NGHI)


def load_demo(*, log: Callable[[str], None]) -> str:
    """Create the demo meetings through the services; one line for the summary."""
    m1, a1 = _muong_hum(log)
    m2, a2 = _bieu_nghi(log)
    if not (m1 or m2):
        return "meetings: the Mường Hum village and Biểu Nghi cells are not in the tree"
    return f"meetings: {m1 + m2} meetings, {a1 + a2} assignments (Mường Hum village, Biểu Nghi)"
