"""Step 55: a year of cell meetings — the twelve months up to the month before `ctx.today`.

Every cell and grassroots cell holds its regular monthly meeting early in the month (now and
then a month is skipped, more often by a careless cell), and a thematic meeting in most
quarters. Each meeting has its agenda published a few days before, the members expected (the
cell's members), present and excused, and its minutes signed within days — some late, a few
never. The counts are kept on the meeting, as the attendance service keeps them and as the
findings read them; the per-member attendance rows (some 70 million a year at national scale)
are not written. Everything is drawn from one random stream per province.
"""

from __future__ import annotations

import datetime as dt

from grassroots.meetings.choices import MeetingKind
from grassroots.meetings.models import Meeting

from ..registry import Context, generator_step

THEMES = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Xây dựng nông thôn mới, đô thị văn minh",
    "Phòng, chống thiên tai, bảo vệ môi trường",
    "Chuyển đổi số trong sinh hoạt chi bộ",
    "Nâng cao chất lượng đảng viên, phát triển đảng viên mới",
    "Giữ gìn an ninh trật tự ở khu dân cư",
]
TASKS = "Tiếp tục thực hiện nghị quyết của chi bộ; phân công đảng viên phụ trách các hộ."


def meeting_months(today: dt.date) -> list[tuple[int, int]]:
    """The twelve months (year, month) up to the month before `today`, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month))
    return months[::-1]


@generator_step("meetings", order=55)
def generate_meetings(ctx: Context) -> None:
    w = ctx.writer
    w.declare(
        Meeting,
        [
            "id",
            "unit_id",
            "kind",
            "date",
            "start_time",
            "place",
            "topic",
            "agenda",
            "agenda_published_on",
            "chair",
            "recorder",
            "minutes",
            "cell_strengths",
            "cell_limitations",
            "next_month_tasks",
            "expected_count",
            "present_count",
            "excused_count",
            "signed_on",
            "created_at",
            "updated_at",
        ],
    )
    today, now = ctx.today, ctx.now
    months = meeting_months(today)
    quarters: dict[tuple[int, int], list[int]] = {}
    for year, month in months:
        quarters.setdefault((year, (month - 1) // 3), []).append(month)
    start_time = "19:30:00"  # as text: the SQLite driver has no adapter for times
    n = 0
    for pi, indices in enumerate(ctx.tree.cells_by_province):
        r = ctx.rng("meetings", pi)
        for index in indices:
            cell = ctx.tree.cells[index]
            opened = dt.date.fromordinal(cell.valid_from)
            expected = max(3, min(cell.members, 32_000))
            careless = r.random() < 0.1
            attendance = r.uniform(0.8, 0.97)
            themed = {
                (year, q): r.choice(ms)
                for (year, q), ms in quarters.items()
                if r.random() < (0.55 if careless else 0.85)
            }

            held = []
            for year, month in months:
                if dt.date(year, month, 28) < opened:
                    continue
                if r.random() >= (0.08 if careless else 0.02):
                    day = dt.date(year, month, r.randint(3, 10))
                    held.append(
                        (MeetingKind.REGULAR, day, f"Sinh hoạt thường kỳ tháng {month:02d}")
                    )
                if themed.get((year, (month - 1) // 3)) == month:
                    day = dt.date(year, month, r.randint(15, 25))
                    held.append((MeetingKind.THEMATIC, day, r.choice(THEMES)))
            for kind, day, topic in held:
                if day >= today:
                    continue
                present = round(expected * min(1.0, r.gauss(attendance, 0.06)))
                present = min(expected, max(1, present))
                excused = round((expected - present) * r.uniform(0.4, 1.0))
                roll = r.random()
                if (today - day).days <= 3:
                    signed = None
                elif roll < (0.06 if careless else 0.015):
                    signed = None  # never signed
                elif roll < (0.2 if careless else 0.07):
                    signed = day + dt.timedelta(days=r.randint(8, 30))
                else:
                    signed = day + dt.timedelta(days=r.randint(0, 5))
                if signed is not None and signed >= today:
                    signed = None
                w.add(
                    Meeting,
                    (
                        w.next_id(Meeting),
                        cell.id,
                        kind,
                        day,
                        start_time,
                        "Nhà văn hóa",
                        topic,
                        "",
                        day - dt.timedelta(days=r.randint(3, 7)),
                        "Bí thư chi bộ",
                        "Phó Bí thư chi bộ",
                        f"Chi bộ sinh hoạt ngày {day:%d/%m/%Y}.",
                        "",
                        "",
                        TASKS if kind == MeetingKind.REGULAR else "",
                        expected,
                        present,
                        excused,
                        signed,
                        now,
                        now,
                    ),
                )
                n += 1
        ctx.progress(f"  meetings: {ctx.tree.provinces[pi]['name']} — {n:,} meetings so far")
    ctx.counts["meetings"] = n
