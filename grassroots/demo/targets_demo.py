"""The demo's resolutions, targets and yearly figures, entered and approved through the
services, so the reviews of the source articles are computed, not typed:

- Si Ma Cai district's 18th-congress resolution (2020–2025): 22 targets using every figure of
  the working session of April 2024; its review on 30 April 2024 gives 13 of 22 at 100% or more
  and the other 9 at 70% or more. The share of villages with their own cell is computed from
  the unit register (village cells against the number of villages entered); the share of
  village cells with a cell committee is entered as reported, because the demo's synthetic
  cells are too small to have elected committees in 2020.
- Hà Giang's Agencies & Enterprises bloc, 23rd congress (2020–2025): 10 targets, 9 achieved at
  the mid-term of 2 June 2023; "admit 400 new members in the term" counts the admissions of the
  member ledger (338 = 84.5%).
- Both reviews are adopted ones: filed as issued, so later corrections of the figures leave
  them as the committees adopted them.
- Mường Hum's commune figures (income, poor households, grain, trained labour, health
  insurance, schools, forest cover, cultural villages) by year, with its congress resolution.
- Đồng Thái's figures: entered on Yên Đồng, Yên Thành and Yên Thái for 2020–2024 and rolled up
  through the merge of 1 July 2025 (growth 7%/year, production value over 2,100 billion VND,
  income 71.1 million VND per person).

Figures are illustrative where the articles give none (earlier years, the other targets); the
resolutions' numbers and the decision that ended Resolution 22-NQ/TU are illustrative too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from grassroots.accounts.models import User
from grassroots.committees.choices import CommitteeKind
from grassroots.committees.services import (
    committee_create,
    official_members_on,
    term_get_or_create,
)
from grassroots.core.rules import rule
from grassroots.organizations.choices import CellSubtype
from grassroots.organizations.models import Unit
from grassroots.targets import services
from grassroots.targets.choices import (
    Aggregation,
    ChangeBasis,
    ComputedSource,
    Direction,
    IndicatorGroup,
    ReductionBasis,
    ResolutionKind,
    ResolutionStatus,
    ReviewKind,
    TargetKind,
    ValueState,
)
from grassroots.targets.models import DataValue, Indicator, Resolution

from . import data

SI_MA_CAI_CODE = "LCA-SMC"
SI_MA_CAI_REVIEW_ON = dt.date(2024, 4, 30)
BLOC_REVIEW_ON = data.BLOC_WINDOW[1]
BLOC_ADMISSIONS_TARGET = 400

E, S, N, D, P = (
    IndicatorGroup.ECONOMY,
    IndicatorGroup.SOCIETY,
    IndicatorGroup.ENVIRONMENT,
    IndicatorGroup.DEFENCE,
    IndicatorGroup.PARTY,
)
PCT, NONE, SUM, RATIO, MEAN = (
    "%",
    Aggregation.NONE,
    Aggregation.SUM,
    Aggregation.RATIO,
    Aggregation.WEIGHTED_MEAN,
)

# code, Vietnamese name, English name, group, unit of measure, decimals, direction, aggregation,
# extra
CATALOGUE: list[tuple] = [
    ("SOC-POPULATION", "Dân số trung bình", "Average population", S, "người", 0, "higher", SUM, {}),
    (
        "SOC-VILLAGES",
        "Số thôn, tổ dân phố",
        "Villages and residential groups",
        S,
        "thôn, tổ",
        0,
        "higher",
        SUM,
        {},
    ),
    (
        "ECO-PROD-VALUE",
        "Tổng giá trị sản xuất",
        "Total production value",
        E,
        "tỷ đồng",
        1,
        "higher",
        SUM,
        {},
    ),
    (
        "ECO-GROWTH",
        "Tốc độ tăng trưởng kinh tế",
        "Economic growth rate",
        E,
        PCT,
        1,
        "higher",
        MEAN,
        {"weight": "ECO-PROD-VALUE", "min_value": Decimal(-100), "max_value": Decimal(1000)},
    ),
    (
        "ECO-INCOME",
        "Thu nhập bình quân đầu người",
        "Average income per person",
        E,
        "triệu đồng/người/năm",
        1,
        "higher",
        MEAN,
        {"weight": "SOC-POPULATION"},
    ),
    (
        "ECO-VALUE-HA",
        "Giá trị sản xuất trên 1 ha đất canh tác",
        "Production value per hectare of farmland",
        E,
        "triệu đồng/ha",
        1,
        "higher",
        NONE,
        {},
    ),
    (
        "ECO-GRAIN",
        "Tổng sản lượng lương thực có hạt",
        "Grain output",
        E,
        "tấn",
        0,
        "higher",
        SUM,
        {},
    ),
    (
        "ECO-BUDGET",
        "Thu ngân sách trên địa bàn",
        "Budget revenue collected locally",
        E,
        "tỷ đồng",
        1,
        "higher",
        SUM,
        {},
    ),
    ("ECO-TOURISTS", "Lượt khách du lịch", "Tourist visits", E, "lượt", 0, "higher", SUM, {}),
    (
        "ECO-NTM-COMMUNES",
        "Tỷ lệ xã đạt chuẩn nông thôn mới",
        "Communes meeting the new-rural standard",
        E,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    (
        "ECO-NTM-ADVANCED",
        "Số xã đạt chuẩn nông thôn mới nâng cao",
        "Communes meeting the advanced new-rural standard",
        E,
        "xã",
        0,
        "higher",
        SUM,
        {},
    ),
    (
        "ECO-NTM-MODEL-VILLAGES",
        "Số thôn đạt chuẩn nông thôn mới kiểu mẫu",
        "Villages meeting the model new-rural standard",
        E,
        "thôn",
        0,
        "higher",
        SUM,
        {},
    ),
    (
        "ECO-HARD-ROADS",
        "Tỷ lệ thôn có đường giao thông được cứng hóa",
        "Villages reached by a hard-surfaced road",
        E,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    (
        "ECO-ELECTRICITY",
        "Tỷ lệ hộ dân sử dụng điện lưới quốc gia",
        "Households on the national grid",
        E,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    (
        "ECO-BUDGET-DUTY",
        "Tỷ lệ doanh nghiệp hoàn thành nghĩa vụ ngân sách",
        "Enterprises meeting their budget duties",
        E,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    ("SOC-POOR", "Tỷ lệ hộ nghèo", "Poor households", S, PCT, 1, "lower", RATIO, {}),
    ("SOC-LABOUR", "Tỷ lệ lao động qua đào tạo", "Trained labour", S, PCT, 2, "higher", NONE, {}),
    (
        "SOC-SCHOOLS",
        "Tỷ lệ trường đạt chuẩn quốc gia",
        "Schools meeting the national standard",
        S,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    (
        "SOC-HEALTH-INS",
        "Tỷ lệ dân số tham gia bảo hiểm y tế",
        "Health-insurance coverage",
        S,
        PCT,
        1,
        "higher",
        NONE,
        {},
    ),
    (
        "SOC-MALNUTRITION",
        "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể nhẹ cân",
        "Underweight children under five",
        S,
        PCT,
        1,
        "lower",
        NONE,
        {},
    ),
    (
        "SOC-CULTURAL-FAMILIES",
        "Tỷ lệ gia đình đạt danh hiệu gia đình văn hóa",
        "Families holding the cultural-family title",
        S,
        PCT,
        1,
        "higher",
        NONE,
        {},
    ),
    (
        "SOC-CULTURAL-VILLAGES",
        "Tỷ lệ thôn, tổ dân phố đạt danh hiệu văn hóa",
        "Villages holding the cultural-village title",
        S,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    (
        "SOC-MASS-ORGS",
        "Tỷ lệ tổ chức đoàn thể được đánh giá vững mạnh",
        "Mass organizations rated strong",
        S,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    ("ENV-FOREST", "Tỷ lệ che phủ rừng", "Forest cover", N, PCT, 1, "higher", NONE, {}),
    (
        "ENV-CLEAN-WATER",
        "Tỷ lệ dân cư nông thôn sử dụng nước hợp vệ sinh",
        "Rural residents with clean water",
        N,
        PCT,
        1,
        "higher",
        NONE,
        {},
    ),
    (
        "ENV-WASTE",
        "Tỷ lệ chất thải rắn ở khu trung tâm được thu gom, xử lý",
        "Solid waste collected in town centres",
        N,
        PCT,
        1,
        "higher",
        NONE,
        {},
    ),
    (
        "DEF-RECRUIT",
        "Tỷ lệ hoàn thành chỉ tiêu tuyển quân",
        "Military recruitment quota met",
        D,
        PCT,
        1,
        "higher",
        NONE,
        {"max_value": Decimal(200)},
    ),
    (
        "PAR-ADMITTED",
        "Số đảng viên mới được kết nạp",
        "New members admitted",
        P,
        "đảng viên",
        0,
        "higher",
        SUM,
        {"computed": ComputedSource.MEMBERS_ADMITTED},
    ),
    (
        "PAR-VILLAGE-CELLS",
        "Tỷ lệ thôn, tổ dân phố có chi bộ",
        "Villages and residential groups with their own cell",
        P,
        PCT,
        1,
        "higher",
        NONE,
        {"computed": ComputedSource.VILLAGES_WITH_CELL_SHARE, "denominator": "SOC-VILLAGES"},
    ),
    (
        "PAR-CELL-COMMITTEES",
        "Tỷ lệ chi bộ thôn, tổ dân phố có chi ủy",
        "Village cells with a cell committee",
        P,
        PCT,
        1,
        "higher",
        NONE,
        {"computed": ComputedSource.CELLS_WITH_COMMITTEE_SHARE},
    ),
    (
        "PAR-CELL-COMMITTEES-RPT",
        "Tỷ lệ chi bộ thôn, tổ dân phố có chi ủy (số liệu báo cáo)",
        "Village cells with a cell committee (as reported)",
        P,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    (
        "PAR-ORGS-GOOD",
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
        "Grassroots organizations rated well-completed or better",
        P,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    (
        "PAR-MEMBERS-GOOD",
        "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên",
        "Members rated well-completed or better",
        P,
        PCT,
        1,
        "higher",
        NONE,
        {},
    ),
    (
        "PAR-WEAK-ORGS",
        "Số tổ chức cơ sở đảng không hoàn thành nhiệm vụ",
        "Grassroots organizations that did not complete",
        P,
        "tổ chức",
        0,
        "lower",
        SUM,
        {},
    ),
    (
        "PAR-INSPECTION-PLAN",
        "Tỷ lệ thực hiện kế hoạch kiểm tra, giám sát (lũy kế từ đầu nhiệm kỳ)",
        "Inspection and supervision plan carried out (since the start of the term)",
        P,
        PCT,
        1,
        "higher",
        RATIO,
        {},
    ),
    (
        "PAR-CELLS-GOOD-QUALITY",
        "Tỷ lệ chi bộ có chất lượng sinh hoạt tốt trở lên",
        "Cells whose meetings are rated good",
        P,
        PCT,
        1,
        "higher",
        NONE,
        {},
    ),
    (
        "PAR-RESOLUTION-STUDY",
        "Tỷ lệ cán bộ, đảng viên học tập, quán triệt nghị quyết",
        "Cadres and members who studied the resolutions",
        P,
        PCT,
        1,
        "higher",
        NONE,
        {},
    ),
    (
        "PAR-PRIVATE-ORGS",
        "Số tổ chức đảng trong doanh nghiệp ngoài nhà nước",
        "Party organizations in private enterprises",
        P,
        "tổ chức",
        0,
        "higher",
        SUM,
        {},
    ),
]


@dataclass(frozen=True)
class TargetSpec:
    """One target of a demo resolution."""

    code: str
    target: str
    kind: str = TargetKind.LEVEL
    baseline: str | None = None
    baseline_year: int | None = None
    high: str | None = None
    basis: str = ""
    note: str = ""
    year: int = 2025
    # A lower-is-better level or share: judged by the level reached or the share of the fall.
    reduction: str = ""


L, CHANGE, TOTAL, SHARE = (
    TargetKind.LEVEL,
    TargetKind.ANNUAL_CHANGE,
    TargetKind.CUMULATIVE,
    TargetKind.RATIO,
)
LEVEL, FALL = ReductionBasis.LEVEL, ReductionBasis.FALL

SI_MA_CAI_TARGETS = [
    TargetSpec(
        "ECO-GROWTH",
        "10",
        CHANGE,
        "8.1",
        2020,
        note="Tốc độ tăng trưởng kinh tế bình quân đạt 10%/năm trở lên",
    ),
    TargetSpec(
        "ECO-INCOME", "40", L, "27", 2020, note="Thu nhập bình quân đầu người đạt 40 triệu đồng/năm"
    ),
    TargetSpec(
        "ECO-VALUE-HA",
        "50",
        L,
        "38",
        2020,
        note="Giá trị sản xuất trên 1 ha đất canh tác đạt 50 triệu đồng",
    ),
    TargetSpec(
        "ECO-GRAIN", "24000", L, "21500", 2020, note="Sản lượng lương thực có hạt đạt 24.000 tấn"
    ),
    TargetSpec(
        "ECO-BUDGET", "60", L, "35.2", 2020, note="Thu ngân sách trên địa bàn đạt 60 tỷ đồng"
    ),
    TargetSpec("ECO-TOURISTS", "350000", L, "180000", 2020, note="Đón 350.000 lượt khách du lịch"),
    TargetSpec("ECO-NTM-COMMUNES", "55.6", SHARE, note="5/9 xã đạt chuẩn nông thôn mới"),
    TargetSpec(
        "ECO-HARD-ROADS", "100", L, "70", 2020, note="100% thôn có đường giao thông được cứng hóa"
    ),
    TargetSpec(
        "ECO-ELECTRICITY", "99", L, "97.2", 2020, note="Trên 99% hộ dân sử dụng điện lưới quốc gia"
    ),
    TargetSpec(
        "SOC-POOR",
        "4",
        CHANGE,
        "38.6",
        2020,
        high="5",
        basis=ChangeBasis.POINTS,
        note="Tỷ lệ hộ nghèo giảm bình quân 4–5%/năm",
    ),
    TargetSpec("SOC-LABOUR", "50", L, "45", 2020, note="Tỷ lệ lao động qua đào tạo đạt 50%"),
    TargetSpec("SOC-SCHOOLS", "80", SHARE, note="80% trường đạt chuẩn quốc gia"),
    TargetSpec("SOC-HEALTH-INS", "95", L, note="Tỷ lệ dân số tham gia bảo hiểm y tế đạt trên 95%"),
    TargetSpec("DEF-RECRUIT", "100", L, note="Hoàn thành 100% chỉ tiêu tuyển quân hằng năm"),
    TargetSpec(
        "SOC-MALNUTRITION",
        "18",
        L,
        "22.8",
        2020,
        reduction=FALL,
        note="Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể nhẹ cân giảm còn 18%",
    ),
    TargetSpec(
        "SOC-CULTURAL-FAMILIES", "85", L, note="85% gia đình đạt danh hiệu gia đình văn hóa"
    ),
    TargetSpec("ENV-FOREST", "60", L, "57.5", 2020, note="Tỷ lệ che phủ rừng đạt 60%"),
    TargetSpec("ENV-CLEAN-WATER", "98", L, note="98% dân cư nông thôn sử dụng nước hợp vệ sinh"),
    TargetSpec("ENV-WASTE", "95", L, note="95% chất thải rắn ở khu trung tâm được thu gom, xử lý"),
    TargetSpec("PAR-VILLAGE-CELLS", "100", L, note="100% thôn, tổ dân phố có chi bộ"),
    TargetSpec(
        "PAR-CELL-COMMITTEES-RPT", "95", L, note="Trên 95% chi bộ thôn, tổ dân phố có chi ủy"
    ),
    TargetSpec(
        "PAR-ORGS-GOOD",
        "80",
        L,
        note="Hằng năm trên 80% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
    ),
]

# Figures of the district by period: a value, or (numerator, denominator) for a share of counts.
SI_MA_CAI_VALUES: dict[str, dict[str, object]] = {
    "ECO-GROWTH": {"2021": "10.2", "2022": "10.8", "2023": "10.5"},
    "ECO-INCOME": {"2021": "29.5", "2022": "32", "2023": "34.5"},
    "ECO-VALUE-HA": {"2021": "41.5", "2022": "45", "2023": "48"},
    "ECO-GRAIN": {"2021": "22100", "2022": "22700", "2023": "23100"},
    "ECO-BUDGET": {"2021": "39", "2022": "43.5", "2023": "47"},
    "ECO-TOURISTS": {"2021": "150000", "2022": "320000", "2023": "412000"},
    "ECO-NTM-COMMUNES": {"2021": (2, 9), "2022": (3, 9), "2023": (4, 9)},
    "ECO-HARD-ROADS": {"2021": "78", "2022": "86", "2023": "92.5"},
    "ECO-ELECTRICITY": {"2022": "98.8", "2023": "99.3"},
    "SOC-POOR": {"2020": "38.6", "2021": "31.8", "2022": "24.6", "2023": "17.6"},
    "SOC-LABOUR": {"2021": "50.5", "2022": "55", "2023": "59"},
    "SOC-SCHOOLS": {"2021": (22, 41), "2022": (26, 41), "2023": (28, 41), "202403": (30, 41)},
    "SOC-HEALTH-INS": {"2021": "96.1", "2022": "96.8", "2023": "97.4"},
    "DEF-RECRUIT": {"2021": "100", "2022": "100", "2023": "100"},
    "SOC-MALNUTRITION": {"2021": "21.6", "2022": "20.5", "2023": "19.2"},
    "SOC-CULTURAL-FAMILIES": {"2022": "85.9", "2023": "86.7"},
    "ENV-FOREST": {"2021": "58.6", "2022": "60.1", "2023": "61.2"},
    "ENV-CLEAN-WATER": {"2022": "97.6", "2023": "98.5"},
    "ENV-WASTE": {"2022": "86", "2023": "90"},
    "PAR-CELL-COMMITTEES-RPT": {"2023": (26, 27)},
    "PAR-ORGS-GOOD": {"2021": (7, 9), "2022": (8, 9), "2023": (8, 9)},
}

BLOC_TARGETS = [
    TargetSpec(
        "PAR-ADMITTED",
        str(BLOC_ADMISSIONS_TARGET),
        TOTAL,
        note="Kết nạp 400 đảng viên mới trong nhiệm kỳ",
    ),
    TargetSpec(
        "PAR-ORGS-GOOD",
        "85",
        L,
        note="Hằng năm trên 85% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
    ),
    TargetSpec(
        "PAR-MEMBERS-GOOD",
        "90",
        L,
        note="Hằng năm trên 90% đảng viên hoàn thành tốt nhiệm vụ trở lên",
    ),
    TargetSpec(
        "PAR-INSPECTION-PLAN", "95", SHARE, note="Thực hiện trên 95% kế hoạch kiểm tra, giám sát"
    ),
    TargetSpec(
        "PAR-CELLS-GOOD-QUALITY", "80", L, note="80% chi bộ có chất lượng sinh hoạt tốt trở lên"
    ),
    TargetSpec(
        "PAR-RESOLUTION-STUDY",
        "95",
        L,
        note="Trên 95% cán bộ, đảng viên học tập, quán triệt nghị quyết",
    ),
    TargetSpec(
        "PAR-PRIVATE-ORGS",
        "6",
        L,
        "3",
        2020,
        note="Thành lập tổ chức đảng ở 6 doanh nghiệp ngoài nhà nước",
    ),
    TargetSpec("SOC-MASS-ORGS", "85", SHARE, note="85% tổ chức đoàn thể được đánh giá vững mạnh"),
    TargetSpec(
        "ECO-BUDGET-DUTY", "100", SHARE, note="100% doanh nghiệp hoàn thành nghĩa vụ ngân sách"
    ),
    TargetSpec(
        "PAR-WEAK-ORGS",
        "0",
        L,
        reduction=LEVEL,
        note="Không có tổ chức cơ sở đảng không hoàn thành nhiệm vụ",
    ),
]

BLOC_VALUES: dict[str, dict[str, object]] = {
    "PAR-ORGS-GOOD": {"2021": (36, 40), "2022": (37, 40)},
    "PAR-MEMBERS-GOOD": {"2021": "90.8", "2022": "92.4"},
    # 891 of the 934 inspections and supervisions planned since the congress, as reported in May
    # 2023.
    "PAR-INSPECTION-PLAN": {"202305": (891, 934)},
    "PAR-CELLS-GOOD-QUALITY": {"2021": "84.2", "2022": "86.5"},
    "PAR-RESOLUTION-STUDY": {"2021": "97.9", "2022": "98.6"},
    "PAR-PRIVATE-ORGS": {"2021": "4", "2022": "6"},
    "SOC-MASS-ORGS": {"2021": (151, 172), "2022": (156, 172)},
    "ECO-BUDGET-DUTY": {"2021": (18, 18), "2022": (18, 18)},
    "PAR-WEAK-ORGS": {"2021": "1", "2022": "0"},
}

MUONG_HUM_TARGETS = [
    TargetSpec(
        "ECO-INCOME", "35", L, "26", 2020, note="Thu nhập bình quân đầu người đạt 35 triệu đồng/năm"
    ),
    TargetSpec(
        "SOC-POOR", "25", L, "48.5", 2020, reduction=FALL, note="Tỷ lệ hộ nghèo giảm xuống dưới 25%"
    ),
    TargetSpec("ECO-GRAIN", "1350", L, "1250", 2020, note="Sản lượng lương thực đạt 1.350 tấn"),
    TargetSpec("SOC-LABOUR", "60", L, "48", 2020, note="Tỷ lệ lao động qua đào tạo đạt 60%"),
    TargetSpec("SOC-HEALTH-INS", "95", L, note="Trên 95% dân số tham gia bảo hiểm y tế"),
    TargetSpec("SOC-SCHOOLS", "100", SHARE, note="100% trường đạt chuẩn quốc gia"),
    TargetSpec("ENV-FOREST", "58", L, "55.4", 2020, note="Tỷ lệ che phủ rừng đạt 58%"),
    TargetSpec("SOC-CULTURAL-VILLAGES", "100", SHARE, note="100% thôn đạt danh hiệu thôn văn hóa"),
    TargetSpec("PAR-CELL-COMMITTEES", "100", L, note="100% chi bộ thôn có chi ủy"),
]

# Mường Hum: the article's figures are those of 2023; earlier years are illustrative.
MUONG_HUM_VALUES: dict[str, dict[str, object]] = {
    "ECO-INCOME": {"2020": "26", "2021": "28.1", "2022": "30.2", "2023": "32.5"},
    "SOC-POOR": {"2020": "48.5", "2021": "44.2", "2022": "40", "2023": "36.1"},
    "ECO-GRAIN": {"2020": "1250", "2021": "1275", "2022": "1300", "2023": "1320"},
    "SOC-LABOUR": {"2020": "48", "2021": "53.2", "2022": "58.4", "2023": "62.65"},
    "SOC-HEALTH-INS": {"2020": "93.8", "2021": "94.2", "2022": "94.6", "2023": "95"},
    "SOC-SCHOOLS": {"2021": (2, 3), "2022": (3, 3), "2023": (3, 3)},
    "ENV-FOREST": {"2020": "55.4", "2021": "56.3", "2022": "57.4", "2023": "58.3"},
    "SOC-CULTURAL-VILLAGES": {"2021": (4, 5), "2022": (5, 5), "2023": (5, 5)},
    "SOC-VILLAGES": {"2023": "5"},
    "SOC-POPULATION": {"2023": "6120"},
}

# Đồng Thái's predecessors, 2020–2024: production value of 2020 and the yearly growth after it,
# population, income.
DONG_THAI_PARTS: dict[str, dict[str, object]] = {
    "NBI-YDO": {
        "production_2020": Decimal("560"),
        "growth": ["6.8", "7.2", "7.0", "7.1"],
        "population": [9540, 9610, 9680, 9740, 9800],
        "income": ["54.1", "58.0", "62.1", "66.3", "70.2"],
        "advanced": 1,
        "model_villages": 7,
    },
    "NBI-YTH": {
        "production_2020": Decimal("490"),
        "growth": ["7.1", "6.9", "7.2", "6.9"],
        "population": [8660, 8720, 8780, 8840, 8900],
        "income": ["55.0", "58.9", "63.0", "67.2", "71.5"],
        "advanced": 1,
        "model_villages": 6,
    },
    "NBI-YTA": {
        "production_2020": Decimal("556"),
        "growth": ["7.0", "7.0", "6.9", "7.0"],
        "population": [9050, 9110, 9180, 9240, 9300],
        "income": ["55.4", "59.3", "63.4", "67.6", "71.8"],
        "advanced": 1,
        "model_villages": 6,
    },
}
DONG_THAI_YEARS = range(2020, 2025)

# Resolution 22-NQ/TU of 11 November 2014 of the province, which the district asked to stop
# evaluating; its title and the decision that ended it are illustrative.
PROVINCE_22_NQ_TU = {
    "number": "22-NQ/TU",
    "issued_on": dt.date(2014, 11, 11),
    "start_year": 2014,
    "end_year": 2020,
    "title": "Nghị quyết về phát triển chăn nuôi (nội dung minh họa)",
    "ended_on": dt.date(2024, 6, 20),
    "decision_number": "1068-QĐ/TU",
    "decision_date": dt.date(2024, 6, 14),
    "decision_issuer": "Ban Thường vụ Tỉnh ủy Lào Cai",
}


@dataclass
class TargetsDemo:
    """What the targets demo created, for the command's report and the tests."""

    si_ma_cai: Resolution
    bloc: Resolution
    muong_hum: Resolution
    resolutions: int = 0
    targets: int = 0
    indicators: int = 0
    values: int = 0


def _indicators() -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    for (
        code,
        name_vi,
        name_en,
        group,
        measure,
        decimals,
        direction,
        aggregation,
        extra,
    ) in CATALOGUE:
        fields = dict(extra)
        for name in ("weight", "numerator", "denominator"):
            if name in fields:
                fields[name] = found[fields[name]]
        found[code] = services.indicator_create(
            actor=None,
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            group=group,
            measure_unit=measure,
            decimals=decimals,
            direction=Direction(direction),
            aggregation=aggregation,
            **fields,
        )
    return found


def _row(indicator: str, unit: str, period: str, figure: object) -> dict:
    if isinstance(figure, tuple):
        return {
            "indicator": indicator,
            "unit": unit,
            "period": period,
            "numerator": figure[0],
            "denominator": figure[1],
        }
    return {"indicator": indicator, "unit": unit, "period": period, "value": figure}


def _rows(unit: str, values: dict[str, dict[str, object]]) -> list[dict]:
    return [
        _row(code, unit, period, figure)
        for code, periods in values.items()
        for period, figure in periods.items()
    ]


def _enter_and_approve(rows: list[dict], *, entered_by: User | None, approved_by: User) -> int:
    """Enter figures as the unit's staff would (one import, submitted) and approve each; the
    person who approves is not the one who entered (None: loaded by the system itself)."""
    for number, row in enumerate(rows, start=1):
        row["_row"] = number
        row.setdefault("source", "Báo cáo tổng hợp (số liệu minh họa)")
    summary = services.data_values_import(actor=entered_by, rows=rows, submit=True)
    if summary.errors:
        raise RuntimeError(f"Demo figures refused: {summary.errors[:3]}")
    keys = {(r["indicator"], r["unit"], r["period"]) for r in rows}
    submitted = DataValue.objects.filter(state=ValueState.SUBMITTED).select_related(
        "indicator", "unit"
    )
    count = 0
    for value in submitted:
        if (value.indicator.code, value.unit.code, value.period) in keys:
            services.data_value_approve(actor=approved_by, value=value)
            count += 1
    return count


def _resolution(
    unit: Unit, indicators: dict[str, Indicator], specs: list[TargetSpec], **fields
) -> Resolution:
    resolution = services.resolution_create(
        actor=None, unit=unit, kind=ResolutionKind.CONGRESS, **fields
    )
    for spec in specs:
        services.target_create(
            actor=None,
            resolution=resolution,
            indicator=indicators[spec.code],
            kind=spec.kind,
            target_value=spec.target,
            target_year=spec.year,
            baseline_value=spec.baseline,
            baseline_year=spec.baseline_year,
            target_value_high=spec.high,
            change_basis=spec.basis,
            reduction_basis=spec.reduction,
            note=spec.note,
        )
    return resolution


def _dong_thai_rows() -> list[dict]:
    rows: list[dict] = []
    for code, part in DONG_THAI_PARTS.items():
        production = part["production_2020"]
        for i, year in enumerate(DONG_THAI_YEARS):
            if i:
                growth = Decimal(part["growth"][i - 1])
                production = (production * (1 + growth / 100)).quantize(Decimal("0.1"))
                rows.append(_row("ECO-GROWTH", code, str(year), str(growth)))
            rows.append(_row("ECO-PROD-VALUE", code, str(year), str(production)))
            rows.append(_row("SOC-POPULATION", code, str(year), part["population"][i]))
            rows.append(_row("ECO-INCOME", code, str(year), part["income"][i]))
        rows.append(_row("ECO-NTM-ADVANCED", code, "2024", part["advanced"]))
        rows.append(_row("ECO-NTM-MODEL-VILLAGES", code, "2024", part["model_villages"]))
    return rows


def _muong_hum_cell_committees(muong_hum: Unit) -> None:
    """Cell committees of Mường Hum's village cells for 2020–2025, elected where the cell had
    enough official members on the day of its congress (the others have a secretary)."""
    term = term_get_or_create(start_year=2020, end_year=2025)
    day = dt.date(2020, 4, 15)
    threshold = rule("cell_committee_min_official_members")
    cells = Unit.objects.filter(parent=muong_hum, cell_subtype=CellSubtype.VILLAGE).order_by("code")
    for cell in cells:
        size = 3 if official_members_on(cell, day) >= threshold else 2
        committee_create(
            actor=None,
            unit=cell,
            term=term,
            kind=CommitteeKind.CELL,
            elected_size=size,
            elected_on=day,
        )


def load_targets_demo(*, log: Callable[[str], None] | None = None) -> TargetsDemo:
    """Create the catalogue, the resolutions and their figures (inside the caller's transaction)."""
    log = log or (lambda message: None)
    manager = User.objects.get(username="manager")
    office = User.objects.get(username="office")
    admin = User.objects.get(username="admin")
    units = {
        u.code: u
        for u in Unit.objects.filter(
            code__in=[
                SI_MA_CAI_CODE,
                data.BLOC_CODE,
                data.MUONG_HUM_CODE,
                "LCA",
                *data.MERGED_INTO_DONG_THAI,
                *[f"LCA-{code}" for code, _name, _villages in data.SI_MA_CAI_COMMUNES],
            ]
        )
    }
    log("Resolutions, targets and their figures…")
    indicators = _indicators()

    si_ma_cai = _resolution(
        units[SI_MA_CAI_CODE],
        indicators,
        SI_MA_CAI_TARGETS,
        number="01-NQ/ĐH",
        issued_on=dt.date(2020, 7, 24),
        title=(
            "Nghị quyết Đại hội đại biểu Đảng bộ huyện Si Ma Cai lần thứ XVIII, nhiệm kỳ 2020–2025"
        ),
        start_year=2020,
        end_year=2025,
    )
    bloc = _resolution(
        units[data.BLOC_CODE],
        indicators,
        BLOC_TARGETS,
        number="01-NQ/ĐH",
        issued_on=data.BLOC_WINDOW[0],
        title=(
            "Nghị quyết Đại hội đại biểu Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Giang "
            "lần thứ XXIII, nhiệm kỳ 2020–2025"
        ),
        start_year=2020,
        end_year=2025,
    )
    muong_hum = _resolution(
        units[data.MUONG_HUM_CODE],
        indicators,
        MUONG_HUM_TARGETS,
        number="01-NQ/ĐH",
        issued_on=dt.date(2020, 6, 12),
        title="Nghị quyết Đại hội Đảng bộ xã Mường Hum nhiệm kỳ 2020–2025",
        start_year=2020,
        end_year=2025,
    )
    old = services.resolution_create(
        actor=None,
        unit=units["LCA"],
        kind=ResolutionKind.THEMATIC,
        number=PROVINCE_22_NQ_TU["number"],
        issued_on=PROVINCE_22_NQ_TU["issued_on"],
        title=PROVINCE_22_NQ_TU["title"],
        start_year=PROVINCE_22_NQ_TU["start_year"],
        end_year=PROVINCE_22_NQ_TU["end_year"],
    )
    services.resolution_end(
        actor=manager,
        resolution=old,
        status=ResolutionStatus.ENDED,
        ended_on=PROVINCE_22_NQ_TU["ended_on"],
        decision_number=PROVINCE_22_NQ_TU["decision_number"],
        decision_date=PROVINCE_22_NQ_TU["decision_date"],
        decision_issuer=PROVINCE_22_NQ_TU["decision_issuer"],
    )

    values = 0
    district_rows = _rows(SI_MA_CAI_CODE, SI_MA_CAI_VALUES)
    # Each commune's villages: the register's village cells are counted against them.
    for code, _name, villages in data.SI_MA_CAI_COMMUNES:
        district_rows += [
            _row("SOC-VILLAGES", f"LCA-{code}", year, len(villages)) for year in ("2022", "2023")
        ]
    values += _enter_and_approve(district_rows, entered_by=admin, approved_by=manager)
    values += _enter_and_approve(
        _rows(data.MUONG_HUM_CODE, MUONG_HUM_VALUES), entered_by=office, approved_by=manager
    )
    values += _enter_and_approve(
        _rows(data.BLOC_CODE, BLOC_VALUES), entered_by=None, approved_by=admin
    )
    values += _enter_and_approve(_dong_thai_rows(), entered_by=admin, approved_by=manager)
    # The two mid-term reviews of the source articles, as their committees adopted them.
    services.review_adopt(
        actor=manager, resolution=si_ma_cai, kind=ReviewKind.MID_TERM, as_of=SI_MA_CAI_REVIEW_ON
    )
    services.review_adopt(
        actor=admin, resolution=bloc, kind=ReviewKind.MID_TERM, as_of=BLOC_REVIEW_ON
    )
    _muong_hum_cell_committees(units[data.MUONG_HUM_CODE])
    return TargetsDemo(
        si_ma_cai=si_ma_cai,
        bloc=bloc,
        muong_hum=muong_hum,
        resolutions=Resolution.objects.count(),
        targets=sum(len(specs) for specs in (SI_MA_CAI_TARGETS, BLOC_TARGETS, MUONG_HUM_TARGETS)),
        indicators=len(indicators),
        values=values,
    )
