"""Demo data of the "4 good" model: Quảng Ninh's framework (Guideline 05-HD/BTCTU of 19 May
2024) for cells and grassroots committees, and Lào Cai's on the same model; the Biểu Nghi and
Bình Lục Hạ cells and Mường Hum's nine cells registered for 2024 and 2025 with their twelve
months, filed and reviewed by the level above — a few late, now and then one returned and
corrected, the last December of Biểu Nghi still waiting for the ward's review — and November
2024's notes of Biểu Nghi and Bình Lục Hạ as the sources tell them. The Mường Hum village cell
is also registered for this year, its last month still due."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from grassroots.organizations.models import Unit

from . import services
from .choices import Scoring
from .suggestions import is_known

BIEU_NGHI_CODE = "QNI-DMA-01"  # grassroots/demo/data.py
BINH_LUC_HA_CODE = "QNI-HPH-01"
MUONG_HUM_CODE = "LCA-MHU"
MUONG_HUM_VILLAGE_CODE = "LCA-MHU-01"

P, Y, S = Scoring.POINTS, Scoring.YES_NO, Scoring.SCALE
# (code, Vietnamese, English, max, minimum, criteria: (code, vi, en, max, scoring, suggester))
GROUPS = [
    (
        "1",
        "Lãnh đạo thực hiện tốt nhiệm vụ chính trị, thi đua hoàn thành tốt nhiệm vụ",
        "Good leadership of political tasks and emulation",
        25,
        15,
        [
            (
                "1.1",
                "Lãnh đạo hoàn thành các chỉ tiêu, nhiệm vụ chính trị của tháng",
                "The month's political tasks and targets completed",
                10,
                P,
                "",
            ),
            (
                "1.2",
                "Tổ chức, hưởng ứng các phong trào thi đua của địa phương",
                "Local emulation movements organized and joined",
                5,
                S,
                "",
            ),
            (
                "1.3",
                "Lãnh đạo giải quyết kịp thời kiến nghị, vướng mắc của nhân dân",
                "People's petitions and problems settled promptly",
                5,
                P,
                "",
            ),
        ],
    ),
    (
        "2",
        "Chất lượng sinh hoạt tốt",
        "Good quality of activities",
        25,
        15,
        [
            (
                "2.1",
                "Sinh hoạt chi bộ thường kỳ đúng định kỳ, nội dung được chuẩn bị trước",
                "Regular monthly meeting held, its agenda agreed beforehand",
                8,
                Y,
                "meetings_regular_held",
            ),
            (
                "2.2",
                "Tỷ lệ đảng viên dự sinh hoạt đạt từ 85% trở lên",
                "At least 85% of members attend",
                7,
                P,
                "meetings_attendance_rate",
            ),
            (
                "2.3",
                "Sinh hoạt chuyên đề ít nhất một lần mỗi quý",
                "A thematic meeting at least once a quarter",
                5,
                Y,
                "",
            ),
            (
                "2.4",
                "Nghị quyết, biên bản ghi đầy đủ; phân công nhiệm vụ cụ thể cho đảng viên",
                "Resolution and minutes complete; members given specific tasks",
                5,
                S,
                "",
            ),
        ],
    ),
    (
        "3",
        "Đoàn kết tốt, kỷ luật tốt",
        "Good solidarity and discipline",
        25,
        15,
        [
            (
                "3.1",
                "Nội bộ đoàn kết, thống nhất; không có đơn thư phản ánh sai phạm",
                "United and of one mind; no complaint of wrongdoing",
                10,
                P,
                "",
            ),
            (
                "3.2",
                "Thực hiện nghiêm nguyên tắc tập trung dân chủ, tự phê bình và phê bình",
                "Democratic centralism, self-criticism and criticism upheld",
                10,
                S,
                "",
            ),
            (
                "3.3",
                "Không có đảng viên vi phạm phải xem xét, xử lý kỷ luật",
                "No member in breach requiring discipline",
                5,
                Y,
                "",
            ),
        ],
    ),
    (
        "4",
        "Cán bộ, đảng viên tốt",
        "Good cadres and members",
        25,
        15,
        [
            (
                "4.1",
                "Đảng viên hoàn thành tốt nhiệm vụ được phân công",
                "Members complete the tasks assigned to them",
                10,
                P,
                "",
            ),
            (
                "4.2",
                "Đảng viên đóng đảng phí đầy đủ, đúng hạn",
                "Party dues paid in full and on time",
                5,
                Y,
                "",
            ),
            (
                "4.3",
                "Xét công nhận đảng viên chính thức đúng thời hạn",
                "Probationary members recognized as official on time",
                5,
                P,
                "recognitions_on_time",
            ),
            (
                "4.4",
                "Phát hiện, bồi dưỡng quần chúng ưu tú, tạo nguồn phát triển đảng viên",
                "Outstanding candidates found and trained for admission",
                5,
                S,
                "",
            ),
        ],
    ),
]
BANDS = [
    ("excellent", "Hoàn thành xuất sắc nhiệm vụ", "Excellent", 90, True),
    ("good", "Hoàn thành tốt nhiệm vụ", "Good", 70, True),
    ("completed", "Hoàn thành nhiệm vụ", "Completed", 50, False),
    ("not_completed", "Không hoàn thành nhiệm vụ", "Not completed", 0, False),
]

# Each unit's own criterion, in group 1's room of 5 points (Bình Lục Hạ adopted its own).
OWN = {
    BIEU_NGHI_CODE: "Vận động các hộ khắc phục hậu quả bão, chuyển đổi cây trồng vụ đông",
    BINH_LUC_HA_CODE: "Vận động xã hội hóa tu bổ đình làng, làm đường, điện chiếu sáng, kênh mương",
}
OWN_DEFAULT = "Vận động nhân dân phát triển kinh tế, giữ gìn vệ sinh môi trường"

NOVEMBER_2024 = {
    BIEU_NGHI_CODE: (
        "Sinh hoạt chuyên đề tháng 11/2024: bàn giải pháp khắc phục hậu quả cơn bão số 3; đẩy "
        "nhanh chuyển đổi cây trồng vụ đông; làm thủy lợi, vệ sinh môi trường. Chi bộ ra nghị "
        "quyết, phân công đảng viên phụ trách vận động các hộ gia đình thực hiện."
    ),
    BINH_LUC_HA_CODE: (
        "Tháng 11/2024: chi bộ lãnh đạo vận động nhân dân đóng góp trên 7 tỷ đồng tu bổ đình "
        "làng; ủng hộ trên 1,7 tỷ đồng làm đường, điện chiếu sáng, kênh mương."
    ),
}
NOTES = [
    "Hoàn thành các nhiệm vụ trọng tâm của tháng.",
    "Tổ chức sinh hoạt đúng định kỳ, đảng viên tham dự đầy đủ.",
    "Một số đảng viên chưa hoàn thành nhiệm vụ được phân công, cần khắc phục.",
    "Vận động nhân dân tham gia vệ sinh đường làng, ngõ xóm.",
]


def _framework(issuing: Unit, *, code: str, name: str, number: str, date) -> object:
    framework = services.framework_create(
        actor=None,
        issuing_unit=issuing,
        code=code,
        name=name,
        guideline_number=number,
        guideline_date=date,
        unit_kinds=["cell", "grassroots_cell", "grassroots"],
    )
    for g_code, vi, en, maximum, minimum, criteria in GROUPS:
        group = services.group_add(
            actor=None,
            framework=framework,
            code=g_code,
            name_vi=vi,
            name_en=en,
            max_points=maximum,
            min_points=minimum,
        )
        for c_code, c_vi, c_en, c_max, scoring, suggester in criteria:
            services.criterion_add(
                actor=None,
                group=group,
                code=c_code,
                text_vi=c_vi,
                text_en=c_en,
                max_points=c_max,
                scoring=scoring,
                suggester=suggester if is_known(suggester) else "",  # when that app is installed
            )
    for key, vi, en, minimum, needs in BANDS:
        services.band_add(
            actor=None,
            framework=framework,
            key=key,
            label_vi=vi,
            label_en=en,
            min_total=minimum,
            requires_group_minimums=needs,
        )
    services.framework_publish(actor=None, framework=framework, on=date or dt.date(2024, 5, 19))
    return framework


def _rand(*parts) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def _scores(registration, unit: Unit, year: int, month: int) -> dict:
    """Plausible scores: mostly high, a weaker month now and then, each cell its own level."""
    level = _rand(unit.code) % 3  # 0 strong, 1 middling, 2 weaker
    scores = {}
    for criterion in services.registration_criteria(registration):
        roll = _rand(unit.code, year, month, criterion.code) % 100
        miss = roll < (4 + 8 * level)
        allowed = criterion.allowed_scores()
        if allowed is not None:
            value = (
                allowed[-2] if miss and len(allowed) > 2 else allowed[0] if miss else allowed[-1]
            )
        else:
            share = Decimal("0.6") if miss else Decimal(1) - Decimal(roll % 3) / 10
            value = (criterion.max_points * share / Decimal("0.25")).to_integral_value()
            value = min(value * Decimal("0.25"), criterion.max_points)
        scores[criterion.pk] = (value, "")
    return scores


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 16))


def _file_year(registration, unit: Unit, year: int, *, last_month: int = 12, keep_open=()):
    """File the months 1..last_month: submitted around the deadline, accepted by the level
    above, except those in `keep_open` (month → "draft" or "submitted")."""
    for month in range(1, last_month + 1):
        note = NOVEMBER_2024.get(unit.code) if (year, month) == (2024, 11) else None
        note = note or NOTES[_rand(unit.code, year, month) % len(NOTES)]
        assessment = services.assessment_save(
            actor=None,
            registration=registration,
            month=month,
            scores=_scores(registration, unit, year, month),
            note=note,
            today=dt.date(year, month, 28),
        )
        state = dict(keep_open).get(month)
        if state == "draft":
            continue
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        day = 3 + _rand(unit.code, year, month, "day") % 9  # days 3..11: now and then late
        submitted = min(_at(dt.date(next_year, next_month, day)), timezone.now())
        assessment = services.assessment_submit(actor=None, assessment=assessment, now=submitted)
        if state == "submitted":
            continue
        if _rand(unit.code, year, month, "return") % 40 == 0:
            assessment = services.assessment_return(
                actor=None,
                assessment=assessment,
                reason="Đề nghị bổ sung biên bản sinh hoạt làm minh chứng cho tiêu chí 2.1.",
            )
            assessment = services.assessment_submit(
                actor=None, assessment=assessment, now=max(submitted, timezone.now())
            )
        services.assessment_accept(actor=None, assessment=assessment)


def _register(unit: Unit, framework, year: int):
    registration = services.registration_create(
        actor=None,
        unit=unit,
        year=year,
        framework=framework,
        registered_on=dt.date(year, 1, 15) if year > 2024 else dt.date(2024, 6, 10),
        note='Đăng ký xây dựng mô hình "4 tốt".' if unit.code in OWN else "",
    )
    if unit.kind in ("cell", "grassroots_cell"):
        services.own_criterion_add(
            actor=None,
            registration=registration,
            group=framework.groups.get(code="1"),
            code="1.4",
            text_vi=OWN.get(unit.code, OWN_DEFAULT),
            max_points=5,
        )
    return registration


def load_demo(*, log: Callable[[str], None]) -> str:
    today = timezone.localdate()
    quang_ninh = Unit.objects.get(code="QNI")
    lao_cai = Unit.objects.get(code="LCA")
    qn = _framework(
        quang_ninh,
        code="qni-4tot",
        name='Khung tiêu chí chi bộ "4 tốt", đảng bộ cơ sở "4 tốt" (Quảng Ninh)',
        number="05-HD/BTCTU",
        date=dt.date(2024, 5, 19),
    )
    lc = _framework(
        lao_cai,
        code="lca-4tot",
        name='Khung tiêu chí chi bộ "4 tốt", đảng bộ cơ sở "4 tốt" (Lào Cai)',
        number="",
        date=dt.date(2024, 5, 19),
    )
    log('Frameworks of the "4 good" model: Quảng Ninh (05-HD/BTCTU), Lào Cai.')
    units = [(Unit.objects.get(code=code), qn) for code in (BIEU_NGHI_CODE, BINH_LUC_HA_CODE)]
    muong_hum = Unit.objects.get(code=MUONG_HUM_CODE)
    units += [(cell, lc) for cell in muong_hum.children.order_by("code")]
    months = 0
    last_full_year = min(2025, today.year - 1)
    for unit, framework in units:
        for year in range(2024, last_full_year + 1):
            last = (BIEU_NGHI_CODE, last_full_year)
            keep_open = {12: "submitted"} if (unit.code, year) == last else {}
            registration = _register(unit, framework, year)
            _file_year(registration, unit, year, keep_open=keep_open)
            months += 12
        log(f"  {unit.name}: {last_full_year - 2023} years of monthly self-assessments")
    # This year, the Mường Hum village cell so far, its last month still to file: it is due on
    # the secretary's home page.
    if today.year > last_full_year and today.month > 2:
        village = Unit.objects.get(code=MUONG_HUM_VILLAGE_CODE)
        registration = _register(village, lc, today.year)
        _file_year(registration, village, today.year, last_month=today.month - 2)
        months += today.month - 2
    return (
        f'"4 good": 2 frameworks, {len(units)} units registered, {months} monthly self-assessments'
    )
