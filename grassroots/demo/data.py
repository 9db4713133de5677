"""What the demo holds: the unit tree of the source articles and the pools synthetic members
are drawn from.

Province, district, commune and ward names are real places. Village, school and agency cell
names are plausible, not taken from a register. Member names are combinations drawn from the
pools below: nobody in the demo is a real person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from grassroots.organizations.choices import CellSubtype, UnitKind

# Units that held history before the reorganizations of 2025 start on this date (illustrative);
# the earliest synthetic admission lies after it.
HISTORY_START = dt.date(1980, 1, 1)
ROOT_START = dt.date(1930, 2, 3)
# District-level committees were abolished and the Ninh Bình communes merged on this day.
REFORM_DATE = dt.date(2025, 7, 1)
REFORM_DECISION_DATE = dt.date(2025, 6, 27)

# Windows the articles' figures are counted in.
MUONG_HUM_RECENT_FROM = dt.date(2020, 12, 1)
MUONG_HUM_RECENT_ADMISSIONS = 14
BLOC_WINDOW = (dt.date(2020, 10, 1), dt.date(2023, 6, 2))
BLOC_WINDOW_ADMISSIONS = 338

DEMO_PASSWORD = "grassroots-demo"
RANDOM_SEED = 20250701


@dataclass
class UnitSpec:
    """One unit to create. `members` is the number of active members a cell holds today;
    `mix` names an ethnic mix in ETHNIC_MIXES (inherited by children when empty)."""

    code: str
    name: str
    kind: str
    children: list[UnitSpec] = field(default_factory=list)
    subtype: str = ""
    members: int = 0
    mix: str = ""
    address: str = ""
    valid_from: dt.date = HISTORY_START


def cell(code: str, name: str, subtype: str, members: int, mix: str = "") -> UnitSpec:
    return UnitSpec(
        code=code, name=name, kind=UnitKind.CELL, subtype=subtype, members=members, mix=mix
    )


def _cells(
    prefix: str, rows: list[tuple[str, str, int]], mix_for: dict[str, str] | None = None
) -> list[UnitSpec]:
    """Cells numbered under a grassroots organization's code; `mix_for` gives staff cells
    (school, health, police …) their own ethnic mix."""
    mix_for = mix_for or {}
    return [
        cell(f"{prefix}-{i:02d}", name, subtype, members, mix_for.get(subtype, ""))
        for i, (name, subtype, members) in enumerate(rows, start=1)
    ]


V, S, H, P, M, A, E, R = (
    CellSubtype.VILLAGE,
    CellSubtype.SCHOOL,
    CellSubtype.HEALTH,
    CellSubtype.POLICE,
    CellSubtype.MILITARY,
    CellSubtype.AGENCY,
    CellSubtype.ENTERPRISE,
    CellSubtype.RESIDENTIAL,
)
LC_STAFF = {S: "lc_staff", H: "lc_staff", P: "lc_staff", M: "lc_staff"}
LCH_STAFF = {S: "lch_staff", H: "lch_staff", P: "lch_staff", M: "lch_staff"}

# --- Lào Cai ---------------------------------------------------------------------------------

MUONG_HUM_CODE = "LCA-MHU"
MUONG_HUM_VILLAGE_CELL_CODE = "LCA-MHU-01"
MUONG_HUM = UnitSpec(
    code=MUONG_HUM_CODE,
    name="Đảng bộ xã Mường Hum",
    kind=UnitKind.GRASSROOTS,
    mix="bat_xat",
    address="Xã Mường Hum, Lào Cai",
    children=_cells(
        MUONG_HUM_CODE,
        [
            ("Chi bộ thôn Mường Hum", V, 23),
            ("Chi bộ thôn Nậm Pẻn", V, 22),
            ("Chi bộ thôn Sáo Pá", V, 19),
            ("Chi bộ thôn Cốc Ngù", V, 18),
            ("Chi bộ thôn Làng Mô", V, 16),
            ("Chi bộ Trường Mầm non xã Mường Hum", S, 9),
            ("Chi bộ Trường PTDTBT Tiểu học và THCS xã Mường Hum", S, 12),
            ("Chi bộ Trạm Y tế xã Mường Hum", H, 7),
            ("Chi bộ Công an xã Mường Hum", P, 7),
        ],
        LC_STAFF,
    ),
)

# Communes of Si Ma Cai district (real names), each with three village cells and a school cell.
SI_MA_CAI_COMMUNES = [
    ("BME", "Bản Mế", ["Bản Mế", "Lùng Sán", "Na Pá"]),
    ("CCA", "Cán Cấu", ["Cán Cấu", "Lử Chồ", "Sín Chải"]),
    ("LTH", "Lùng Thẩn", ["Lùng Thẩn", "Sảng Chải", "Hóa Chư Phùng"]),
    ("NSA", "Nàn Sán", ["Nàn Sán", "Mào Sao Phìn", "Sáng Chải"]),
    ("NSI", "Nàn Sín", ["Nàn Sín", "Mao Sao Chải", "Sừ Mần Khang"]),
    ("QHT", "Quan Hồ Thẩn", ["Quan Hồ Thẩn", "Nàn Cao", "Ngải Phóng Chồ"]),
    ("SCH", "Sán Chải", ["Sán Chải", "Seo Khái Hoá", "Chản Máy Sán"]),
    ("SCG", "Sín Chéng", ["Sín Chéng", "Cốc Phà", "Sán Sả Hồ"]),
    ("TCP", "Thào Chư Phìn", ["Thào Chư Phìn", "Sín Chải", "Lao Chải"]),
]
_SMC_SIZES = [
    (13, 12, 10, 9),
    (12, 11, 11, 8),
    (14, 10, 9, 9),
    (12, 12, 10, 8),
    (11, 11, 10, 9),
    (13, 11, 9, 8),
    (12, 10, 10, 9),
    (14, 12, 9, 8),
    (12, 11, 10, 9),
]


def _si_ma_cai() -> list[UnitSpec]:
    communes = []
    for (code, name, villages), sizes in zip(SI_MA_CAI_COMMUNES, _SMC_SIZES, strict=True):
        prefix = f"LCA-{code}"
        rows = [(f"Chi bộ thôn {v}", V, n) for v, n in zip(villages, sizes[:3], strict=True)]
        rows.append((f"Chi bộ Trường PTDTBT Tiểu học xã {name}", S, sizes[3]))
        communes.append(
            UnitSpec(
                code=prefix,
                name=f"Đảng bộ xã {name}",
                kind=UnitKind.GRASSROOTS,
                address=f"Xã {name}, Lào Cai",
                children=_cells(prefix, rows, LC_STAFF),
            )
        )
    return communes


LAO_CAI = UnitSpec(
    code="LCA",
    name="Đảng bộ tỉnh Lào Cai",
    kind=UnitKind.PROVINCE,
    mix="bat_xat",
    children=[
        UnitSpec(
            code="LCA-BXA",
            name="Đảng bộ huyện Bát Xát",
            kind=UnitKind.DISTRICT,
            children=[MUONG_HUM],
        ),
        UnitSpec(
            code="LCA-SMC",
            name="Đảng bộ huyện Si Ma Cai",
            kind=UnitKind.DISTRICT,
            mix="si_ma_cai",
            children=_si_ma_cai(),
        ),
    ],
)

# --- Lai Châu --------------------------------------------------------------------------------

PA_U_CODE = "LCH-PAU"
_PA_U_VILLAGES = [
    ("Pa Ủ", 25),
    ("Mu Chì", 20),
    ("Nhóm Pố", 19),
    ("Xà Hồ", 18),
    ("Pa Khà", 18),
    ("Ha Xư", 17),
    ("Tân Biên", 17),
    ("Cờ Lò", 16),
    ("Ngà Ná", 16),
    ("Seo Hai", 16),
    ("Pa Vệ Sủ", 19),
    ("Nhu Ma", 15),
    ("Phìn Khò", 15),
    ("Mé Gióng", 15),
    ("Ma Ký", 15),
    ("Lò Ma", 14),
    ("Chang Pá", 14),
    ("Xá Khồ", 14),
    ("Khoa Khà", 13),
    ("Nậm Khao", 13),
]
PA_U = UnitSpec(
    code=PA_U_CODE,
    name="Đảng bộ xã Pa Ủ",
    kind=UnitKind.GRASSROOTS,
    mix="pa_u",
    address="Xã Pa Ủ, Lai Châu",
    children=_cells(
        PA_U_CODE,
        [(f"Chi bộ bản {v}", V, n) for v, n in _PA_U_VILLAGES]
        + [
            ("Chi bộ Trường Mầm non xã Pa Ủ", S, 12),
            ("Chi bộ Trường PTDTBT Tiểu học xã Pa Ủ", S, 15),
            ("Chi bộ Trường PTDTBT THCS xã Pa Ủ", S, 14),
            ("Chi bộ Trạm Y tế xã Pa Ủ", H, 8),
            ("Chi bộ Công an xã Pa Ủ", P, 10),
            ("Chi bộ Quân sự xã Pa Ủ", M, 8),
        ],
        LCH_STAFF,
    ),
)
HUA_BUM = UnitSpec(
    code="LCH-HBU",
    name="Đảng bộ xã Hua Bum",
    kind=UnitKind.GRASSROOTS,
    mix="hua_bum",
    address="Xã Hua Bum, Lai Châu",
    children=_cells(
        "LCH-HBU",
        [
            ("Chi bộ bản Hua Bum", V, 16),
            ("Chi bộ bản Nậm Manh", V, 14),
            ("Chi bộ bản Pú Đao", V, 13),
            ("Chi bộ bản Nậm Béo", V, 12),
            ("Chi bộ bản Cang Đa", V, 12),
            ("Chi bộ Trường PTDTBT Tiểu học và THCS xã Hua Bum", S, 15),
            ("Chi bộ Trạm Y tế xã Hua Bum", H, 6),
        ],
        LCH_STAFF,
    ),
)
BUM_TO = UnitSpec(
    code="LCH-BTO",
    name="Đảng bộ xã Bum Tở",
    kind=UnitKind.GRASSROOTS,
    mix="bum_to",
    address="Xã Bum Tở, Lai Châu",
    children=_cells(
        "LCH-BTO",
        [
            ("Chi bộ bản Bum Tở", V, 17),
            ("Chi bộ bản Nậm Củm", V, 14),
            ("Chi bộ bản Pắc Ma", V, 15),
            ("Chi bộ bản Xà Hồ", V, 12),
            ("Chi bộ Trường Tiểu học xã Bum Tở", S, 13),
            ("Chi bộ Công an xã Bum Tở", P, 8),
        ],
        LCH_STAFF,
    ),
)
LAI_CHAU = UnitSpec(
    code="LCH",
    name="Đảng bộ tỉnh Lai Châu",
    kind=UnitKind.PROVINCE,
    mix="pa_u",
    children=[
        UnitSpec(
            code="LCH-MTE",
            name="Đảng bộ huyện Mường Tè",
            kind=UnitKind.DISTRICT,
            children=[PA_U, BUM_TO],
        ),
        UnitSpec(
            code="LCH-NNH",
            name="Đảng bộ huyện Nậm Nhùn",
            kind=UnitKind.DISTRICT,
            children=[HUA_BUM],
        ),
    ],
)

# --- Ninh Bình -------------------------------------------------------------------------------

DONG_THAI_CODE = "NBI-DTH"
DONG_THAI_NAME = "Đảng bộ xã Đồng Thái"
MERGED_INTO_DONG_THAI = ["NBI-YDO", "NBI-YTH", "NBI-YTA"]
KHANH_HOI_CODE = "NBI-KHO"
KHANH_HOI_RELIGIOUS = 57


def _ninh_binh_commune(
    code: str, name: str, villages: list[tuple[str, int]], staff: list[tuple[str, str, int]]
) -> UnitSpec:
    rows = [(f"Chi bộ thôn {v}", V, n) for v, n in villages] + staff
    return UnitSpec(
        code=code,
        name=f"Đảng bộ xã {name}",
        kind=UnitKind.GRASSROOTS,
        address=f"Xã {name}, Ninh Bình",
        children=_cells(code, rows),
    )


YEN_DONG = _ninh_binh_commune(
    "NBI-YDO",
    "Yên Đồng",
    [
        ("Đông Sơn", 28),
        ("Bình Hải", 24),
        ("Quảng Từ", 22),
        ("Yên Lạc", 21),
        ("Phù Sa", 20),
        ("Đồng Chưa", 19),
    ],
    [("Chi bộ Trường THCS Yên Đồng", S, 16), ("Chi bộ Trạm Y tế xã Yên Đồng", H, 7)],
)
YEN_THANH = _ninh_binh_commune(
    "NBI-YTH",
    "Yên Thành",
    [("Lạc Hiền", 26), ("Trung Hậu", 23), ("Khánh Ninh", 22), ("Yên Thượng", 20), ("Đông Hạ", 18)],
    [("Chi bộ Trường Tiểu học Yên Thành", S, 14), ("Chi bộ Trạm Y tế xã Yên Thành", H, 6)],
)
YEN_THAI = _ninh_binh_commune(
    "NBI-YTA",
    "Yên Thái",
    [("Phúc Lại", 27), ("Bạch Liên", 25), ("Quảng Công", 22), ("Tùng Lâm", 21), ("Vân Thị", 19)],
    [("Chi bộ Trường Mầm non Yên Thái", S, 12), ("Chi bộ Công an xã Yên Thái", P, 8)],
)
KHANH_HOI = UnitSpec(
    code=KHANH_HOI_CODE,
    name="Đảng bộ xã Khánh Hội",
    kind=UnitKind.GRASSROOTS,
    address="Xã Khánh Hội, Ninh Bình",
    children=_cells(
        KHANH_HOI_CODE,
        [(f"Chi bộ xóm {i}", V, n) for i, n in enumerate([26, 24, 23, 22, 21, 20, 19, 18], start=1)]
        + [
            ("Chi bộ Trường THCS Khánh Hội", S, 15),
            ("Chi bộ Trạm Y tế xã Khánh Hội", H, 7),
            ("Chi bộ Công an xã Khánh Hội", P, 9),
        ],
    ),
)
NINH_BINH = UnitSpec(
    code="NBI",
    name="Đảng bộ tỉnh Ninh Bình",
    kind=UnitKind.PROVINCE,
    mix="kinh",
    children=[
        UnitSpec(
            code="NBI-YMO",
            name="Đảng bộ huyện Yên Mô",
            kind=UnitKind.DISTRICT,
            children=[YEN_DONG, YEN_THANH, YEN_THAI],
        ),
        UnitSpec(
            code="NBI-YKH",
            name="Đảng bộ huyện Yên Khánh",
            kind=UnitKind.DISTRICT,
            children=[KHANH_HOI],
        ),
    ],
)

# --- Quảng Ninh ------------------------------------------------------------------------------

BIEU_NGHI_CODE = "QNI-DMA-01"
BINH_LUC_HA_CODE = "QNI-HPH-01"
QUANG_NINH = UnitSpec(
    code="QNI",
    name="Đảng bộ tỉnh Quảng Ninh",
    kind=UnitKind.PROVINCE,
    mix="kinh",
    children=[
        UnitSpec(
            code="QNI-QYE",
            name="Đảng bộ thị xã Quảng Yên",
            kind=UnitKind.DISTRICT,
            children=[
                UnitSpec(
                    code="QNI-DMA",
                    name="Đảng bộ phường Đông Mai",
                    kind=UnitKind.GRASSROOTS,
                    address="Phường Đông Mai, Quảng Ninh",
                    children=_cells(
                        "QNI-DMA",
                        [
                            ("Chi bộ khu dân cư Biểu Nghi", R, 22),
                            ("Chi bộ khu dân cư Đền Công", R, 19),
                            ("Chi bộ khu dân cư Yên Lập Tây", R, 17),
                            ("Chi bộ Trường Tiểu học Đông Mai", S, 11),
                        ],
                    ),
                )
            ],
        ),
        UnitSpec(
            code="QNI-DTR",
            name="Đảng bộ thành phố Đông Triều",
            kind=UnitKind.DISTRICT,
            children=[
                UnitSpec(
                    code="QNI-HPH",
                    name="Đảng bộ phường Hồng Phong",
                    kind=UnitKind.GRASSROOTS,
                    address="Phường Hồng Phong, Quảng Ninh",
                    children=_cells(
                        "QNI-HPH",
                        [
                            ("Chi bộ khu Bình Lục Hạ", R, 27),
                            ("Chi bộ khu Bình Lục Thượng", R, 24),
                            ("Chi bộ khu Trại Lốc", R, 18),
                            ("Chi bộ Trường Mầm non Hồng Phong", S, 10),
                        ],
                    ),
                )
            ],
        ),
    ],
)

# --- Hà Giang --------------------------------------------------------------------------------

BLOC_CODE = "HGI-KCQ"
# The cell sizes below are relative; the bloc's cells hold this many times as many members
# (about 2,750 in all), enough for 338 admissions in under three years to be plausible.
BLOC_SCALE = 1.35
# Grassroots committees of the bloc: (code, name, [(cell name, subtype, members)]).
_BLOC_COMMITTEES: list[tuple[str, str, list[tuple[str, str, int]]]] = [
    (
        "SYT",
        "Đảng bộ Sở Y tế",
        [
            ("Chi bộ Văn phòng Sở", A, 24),
            ("Chi bộ Trung tâm Kiểm soát bệnh tật", H, 38),
            ("Chi bộ Trung tâm Giám định y khoa", H, 14),
            ("Chi bộ Chi cục Dân số", A, 16),
            ("Chi bộ Trung tâm Kiểm nghiệm", H, 15),
        ],
    ),
    (
        "BVT",
        "Đảng bộ Bệnh viện Đa khoa tỉnh",
        [
            ("Chi bộ Khối Nội", H, 42),
            ("Chi bộ Khối Ngoại", H, 40),
            ("Chi bộ Khối Cận lâm sàng", H, 33),
            ("Chi bộ Phòng chức năng", A, 27),
            ("Chi bộ Khoa Sản - Nhi", H, 31),
            ("Chi bộ Điều dưỡng", H, 29),
        ],
    ),
    (
        "SGD",
        "Đảng bộ Sở Giáo dục và Đào tạo",
        [
            ("Chi bộ Văn phòng Sở", A, 22),
            ("Chi bộ Phòng Giáo dục Trung học", A, 18),
            ("Chi bộ Phòng Giáo dục Mầm non - Tiểu học", A, 16),
            ("Chi bộ Phòng Khảo thí", A, 12),
        ],
    ),
    (
        "THC",
        "Đảng bộ Trường THPT Chuyên tỉnh",
        [
            ("Chi bộ Tổ Tự nhiên", S, 26),
            ("Chi bộ Tổ Xã hội", S, 24),
            ("Chi bộ Tổ Ngoại ngữ", S, 18),
            ("Chi bộ Hành chính", A, 9),
        ],
    ),
    (
        "CDN",
        "Đảng bộ Trường Cao đẳng Kỹ thuật và Công nghệ",
        [
            ("Chi bộ Khoa Cơ khí - Điện", S, 21),
            ("Chi bộ Khoa Nông lâm", S, 19),
            ("Chi bộ Khoa Kinh tế", S, 17),
            ("Chi bộ Phòng Đào tạo", A, 14),
            ("Chi bộ Hành chính - Quản trị", A, 13),
        ],
    ),
    (
        "SNN",
        "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn",
        [
            ("Chi bộ Văn phòng Sở", A, 23),
            ("Chi bộ Chi cục Kiểm lâm", A, 45),
            ("Chi bộ Chi cục Thủy lợi", A, 17),
            ("Chi bộ Chi cục Trồng trọt và Bảo vệ thực vật", A, 19),
            ("Chi bộ Trung tâm Khuyến nông", A, 16),
            ("Chi bộ Chi cục Chăn nuôi và Thú y", A, 18),
        ],
    ),
    (
        "SGT",
        "Đảng bộ Sở Giao thông Vận tải",
        [
            ("Chi bộ Văn phòng Sở", A, 19),
            ("Chi bộ Thanh tra Sở", A, 15),
            ("Chi bộ Ban Quản lý bảo trì đường bộ", A, 21),
            ("Chi bộ Trung tâm Đăng kiểm", A, 11),
        ],
    ),
    (
        "STC",
        "Đảng bộ Sở Tài chính",
        [
            ("Chi bộ Văn phòng Sở", A, 17),
            ("Chi bộ Phòng Ngân sách", A, 13),
            ("Chi bộ Phòng Quản lý giá và Công sản", A, 12),
        ],
    ),
    (
        "SVH",
        "Đảng bộ Sở Văn hóa, Thể thao và Du lịch",
        [
            ("Chi bộ Văn phòng Sở", A, 18),
            ("Chi bộ Bảo tàng tỉnh", A, 14),
            ("Chi bộ Thư viện tỉnh", A, 11),
            ("Chi bộ Trung tâm Văn hóa tỉnh", A, 16),
            ("Chi bộ Trung tâm Huấn luyện và Thi đấu thể thao", A, 13),
        ],
    ),
    (
        "VPU",
        "Đảng bộ Văn phòng Ủy ban nhân dân tỉnh",
        [
            ("Chi bộ Phòng Tổng hợp", A, 19),
            ("Chi bộ Phòng Kinh tế", A, 15),
            ("Chi bộ Phòng Nội chính", A, 13),
            ("Chi bộ Trung tâm Phục vụ hành chính công", A, 21),
            ("Chi bộ Nhà khách", E, 10),
        ],
    ),
    (
        "DLH",
        "Đảng bộ Công ty Điện lực Hà Giang",
        [
            ("Chi bộ Văn phòng Công ty", E, 27),
            ("Chi bộ Điện lực thành phố", E, 32),
            ("Chi bộ Điện lực Vị Xuyên", E, 24),
            ("Chi bộ Điện lực Bắc Quang", E, 23),
            ("Chi bộ Điện lực Đồng Văn", E, 18),
            ("Chi bộ Điện lực Hoàng Su Phì", E, 17),
            ("Chi bộ Phân xưởng Sửa chữa", E, 19),
        ],
    ),
    (
        "NNO",
        "Đảng bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Hà Giang",
        [
            ("Chi bộ Hội sở tỉnh", E, 29),
            ("Chi bộ Chi nhánh thành phố", E, 21),
            ("Chi bộ Chi nhánh Vị Xuyên", E, 17),
            ("Chi bộ Chi nhánh Bắc Quang", E, 18),
            ("Chi bộ Chi nhánh Quản Bạ", E, 13),
            ("Chi bộ Chi nhánh Yên Minh", E, 14),
        ],
    ),
    (
        "CTN",
        "Đảng bộ Công ty Cổ phần Cấp thoát nước",
        [
            ("Chi bộ Văn phòng", E, 16),
            ("Chi bộ Xí nghiệp Nước thành phố", E, 21),
            ("Chi bộ Xí nghiệp Xây lắp", E, 15),
        ],
    ),
    (
        "TCT",
        "Đảng bộ Cục Thuế tỉnh",
        [
            ("Chi bộ Văn phòng Cục", A, 22),
            ("Chi bộ Phòng Kiểm tra", A, 19),
            ("Chi bộ Phòng Thanh tra", A, 17),
            ("Chi bộ Phòng Nghiệp vụ - Dự toán", A, 14),
            ("Chi bộ Chi cục Thuế khu vực I", A, 26),
            ("Chi bộ Chi cục Thuế khu vực II", A, 24),
        ],
    ),
    (
        "KBN",
        "Đảng bộ Kho bạc Nhà nước tỉnh",
        [
            ("Chi bộ Văn phòng", A, 18),
            ("Chi bộ Phòng Kế toán", A, 16),
            ("Chi bộ Phòng Kiểm soát chi", A, 15),
        ],
    ),
    (
        "BHX",
        "Đảng bộ Bảo hiểm xã hội tỉnh",
        [
            ("Chi bộ Văn phòng", A, 21),
            ("Chi bộ Phòng Thu", A, 17),
            ("Chi bộ Phòng Chế độ", A, 16),
            ("Chi bộ Phòng Giám định", A, 14),
        ],
    ),
]
# Grassroots cells directly under the bloc: (code, name, subtype, members).
_BLOC_CELLS: list[tuple[str, str, str, int]] = [
    ("STP", "Chi bộ Sở Tư pháp", A, 26),
    ("SKH", "Chi bộ Sở Khoa học và Công nghệ", A, 24),
    ("SCT", "Chi bộ Sở Công Thương", A, 29),
    ("SXD", "Chi bộ Sở Xây dựng", A, 27),
    ("SNV", "Chi bộ Sở Nội vụ", A, 31),
    ("STT", "Chi bộ Sở Thông tin và Truyền thông", A, 22),
    ("STN", "Chi bộ Sở Tài nguyên và Môi trường", A, 33),
    ("SLD", "Chi bộ Sở Lao động - Thương binh và Xã hội", A, 30),
    ("SKD", "Chi bộ Sở Kế hoạch và Đầu tư", A, 28),
    ("BDT", "Chi bộ Ban Dân tộc tỉnh", A, 18),
    ("TTR", "Chi bộ Thanh tra tỉnh", A, 21),
    ("LMH", "Chi bộ Liên minh Hợp tác xã tỉnh", A, 12),
    ("BQL", "Chi bộ Ban Quản lý các khu công nghiệp", A, 14),
    ("DTV", "Chi bộ Đài Phát thanh và Truyền hình tỉnh", A, 36),
    ("BHG", "Chi bộ Báo Hà Giang", A, 27),
    ("CTK", "Chi bộ Cục Thống kê tỉnh", A, 23),
    ("HQH", "Chi bộ Cục Hải quan tỉnh", A, 25),
    ("NNH", "Chi bộ Ngân hàng Nhà nước chi nhánh tỉnh", A, 19),
    ("VTL", "Chi bộ Viễn thông Hà Giang", E, 22),
    ("BDH", "Chi bộ Bưu điện tỉnh", E, 20),
    ("XSK", "Chi bộ Công ty Xổ số kiến thiết", E, 9),
    ("CTM", "Chi bộ Công ty Cổ phần Môi trường đô thị", E, 16),
    ("PCT", "Chi bộ Công ty Cổ phần Phát triển chè", E, 14),
    ("QLR", "Chi bộ Ban Quản lý rừng phòng hộ", A, 12),
]


def _bloc() -> UnitSpec:
    children: list[UnitSpec] = []
    for code, name, rows in _BLOC_COMMITTEES:
        prefix = f"{BLOC_CODE}-{code}"
        rows = [(cell_name, subtype, round(n * BLOC_SCALE)) for cell_name, subtype, n in rows]
        children.append(
            UnitSpec(
                code=prefix, name=name, kind=UnitKind.GRASSROOTS, children=_cells(prefix, rows)
            )
        )
    for code, name, subtype, members in _BLOC_CELLS:
        children.append(
            UnitSpec(
                code=f"{BLOC_CODE}-{code}",
                name=name,
                kind=UnitKind.GRASSROOTS_CELL,
                subtype=subtype,
                members=round(members * BLOC_SCALE),
            )
        )
    return UnitSpec(
        code=BLOC_CODE,
        name="Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Giang",
        kind=UnitKind.BLOC,
        mix="ha_giang_agency",
        children=children,
    )


HA_GIANG = UnitSpec(
    code="HGI",
    name="Đảng bộ tỉnh Hà Giang",
    kind=UnitKind.PROVINCE,
    mix="ha_giang_agency",
    children=[_bloc()],
)

ROOT = UnitSpec(
    code="TW",
    name="Trung ương",
    kind=UnitKind.CENTRAL,
    valid_from=ROOT_START,
    mix="kinh",
    children=[LAO_CAI, LAI_CHAU, NINH_BINH, QUANG_NINH, HA_GIANG],
)


def walk(spec: UnitSpec, parent: UnitSpec | None = None):
    """Every spec with its parent, parents first."""
    yield spec, parent
    for child in spec.children:
        yield from walk(child, spec)


def demo_codes() -> set[str]:
    """Codes of every unit the demo creates (the merge's successor included)."""
    return {spec.code for spec, _ in walk(ROOT)} | {DONG_THAI_CODE}


# --- reorganizations of 1 July 2025 (decision numbers and issuers are illustrative) ----------

# District-level committees abolished: their grassroots organizations move under the province.
DISTRICTS_ABOLISHED: list[tuple[str, str, str]] = [
    # (district code, decision number, issuer)
    ("LCA-BXA", "1501-QĐ/TU", "Ban Thường vụ Tỉnh ủy Lào Cai"),
    ("LCA-SMC", "1502-QĐ/TU", "Ban Thường vụ Tỉnh ủy Lào Cai"),
    ("LCH-MTE", "845-QĐ/TU", "Ban Thường vụ Tỉnh ủy Lai Châu"),
    ("LCH-NNH", "846-QĐ/TU", "Ban Thường vụ Tỉnh ủy Lai Châu"),
    ("NBI-YMO", "1235-QĐ/TU", "Ban Thường vụ Tỉnh ủy Ninh Bình"),
    ("NBI-YKH", "1236-QĐ/TU", "Ban Thường vụ Tỉnh ủy Ninh Bình"),
    ("QNI-QYE", "2210-QĐ/TU", "Ban Thường vụ Tỉnh ủy Quảng Ninh"),
    ("QNI-DTR", "2211-QĐ/TU", "Ban Thường vụ Tỉnh ủy Quảng Ninh"),
]
MERGE_DECISION = ("1234-QĐ/TU", "Ban Thường vụ Tỉnh ủy Ninh Bình")

# --- people --------------------------------------------------------------------------------

# Ethnic mixes by place: (ethnic group name, weight).
ETHNIC_MIXES: dict[str, list[tuple[str, int]]] = {
    "kinh": [("Kinh", 100)],
    "bat_xat": [("Giáy", 30), ("Dao", 25), ("Mông", 20), ("Hà Nhì", 12), ("Kinh", 8), ("Tày", 5)],
    "lc_staff": [("Kinh", 55), ("Tày", 12), ("Giáy", 12), ("Dao", 8), ("Mông", 8), ("Nùng", 5)],
    "si_ma_cai": [("Mông", 72), ("Nùng", 18), ("Kinh", 6), ("Tày", 4)],
    "pa_u": [("La Hủ", 52), ("Hà Nhì", 24), ("Thái", 18), ("Kinh", 6)],
    "lch_staff": [("Kinh", 45), ("Thái", 25), ("Hà Nhì", 12), ("La Hủ", 10), ("Mông", 8)],
    "hua_bum": [("Mông", 38), ("La Hủ", 30), ("Dao", 20), ("Thái", 7), ("Kinh", 5)],
    "bum_to": [("Hà Nhì", 40), ("Thái", 35), ("Kinh", 15), ("Mông", 10)],
    "ha_giang_agency": [
        ("Kinh", 38),
        ("Tày", 26),
        ("Mông", 12),
        ("Dao", 10),
        ("Nùng", 10),
        ("Giáy", 4),
    ],
}


@dataclass(frozen=True)
class NamePool:
    """Family names, middle names by gender and given names by gender of one naming tradition."""

    family: tuple[str, ...]
    middle_male: tuple[str, ...]
    middle_female: tuple[str, ...]
    given_male: tuple[str, ...]
    given_female: tuple[str, ...]


_KINH_GIVEN_MALE = (
    "Hùng",
    "Dũng",
    "Tuấn",
    "Hải",
    "Long",
    "Nam",
    "Thắng",
    "Cường",
    "Hòa",
    "Sơn",
    "Trung",
    "Hiếu",
    "Quân",
    "Tâm",
    "Thành",
    "Phong",
    "Khánh",
    "Bình",
    "Huy",
    "Đạt",
    "Tùng",
    "Vinh",
    "Lâm",
    "Toàn",
    "Kiên",
    "Lộc",
    "Nghĩa",
    "Thịnh",
    "Hưng",
    "Quý",
    "Tiến",
    "Chiến",
    "Hậu",
    "Duy",
    "Phúc",
)
_KINH_GIVEN_FEMALE = (
    "Lan",
    "Hương",
    "Hoa",
    "Mai",
    "Nga",
    "Hằng",
    "Thảo",
    "Trang",
    "Linh",
    "Hạnh",
    "Yến",
    "Ngọc",
    "Phương",
    "Thủy",
    "Hà",
    "Loan",
    "Huyền",
    "Dung",
    "Nhung",
    "Vân",
    "Oanh",
    "Liên",
    "Thơm",
    "Hiền",
    "Quyên",
    "Tuyết",
    "Thu",
    "Lụa",
    "Giang",
    "Chinh",
)
NAME_POOLS: dict[str, NamePool] = {
    "Kinh": NamePool(
        family=("Nguyễn",) * 8
        + ("Trần",) * 3
        + ("Lê",) * 3
        + ("Phạm",) * 2
        + (
            "Hoàng",
            "Vũ",
            "Đặng",
            "Bùi",
            "Đỗ",
            "Hồ",
            "Ngô",
            "Dương",
            "Đinh",
            "Trịnh",
            "Phan",
            "Mai",
            "Đoàn",
            "Tạ",
            "Lương",
            "Tống",
            "Cao",
            "Khúc",
        ),
        middle_male=("Văn",) * 5
        + ("Đức", "Minh", "Hữu", "Quang", "Công", "Thanh", "Mạnh", "Trọng", "Đình"),
        middle_female=("Thị",) * 6 + ("Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Kim"),
        given_male=_KINH_GIVEN_MALE,
        given_female=_KINH_GIVEN_FEMALE,
    ),
    "Tày": NamePool(
        family=("Hoàng", "Nông", "Lục", "Ma", "Hà", "Triệu", "Lộc", "Hoàng", "Nông", "Vi", "Lương"),
        middle_male=("Văn",) * 4 + ("Đức", "Minh", "Đình"),
        middle_female=("Thị",) * 5 + ("Thu", "Kim"),
        given_male=_KINH_GIVEN_MALE,
        given_female=_KINH_GIVEN_FEMALE,
    ),
    "Nùng": NamePool(
        family=("Vàng", "Hoàng", "Nông", "Lù", "Sằm", "Lương", "Chu"),
        middle_male=("Văn",) * 4 + ("Seo", "Chấn"),
        middle_female=("Thị",),
        given_male=(
            "Sìn",
            "Tỉn",
            "Chỉn",
            "Phủ",
            "Dền",
            "Lìn",
            "Sáng",
            "Thắng",
            "Sinh",
            "Páo",
            "Nhè",
            "Cường",
        ),
        given_female=("Lan", "Mai", "Dung", "Thắm", "Chiến", "Phương", "Nguyệt", "Sía", "Tâm"),
    ),
    "Giáy": NamePool(
        family=("Hoàng", "Lù", "Vàng", "Lò", "Nông", "Sần", "Giàng", "Hoàng"),
        middle_male=("Văn",) * 4 + ("Seo", "Quang"),
        middle_female=("Thị",),
        given_male=(
            "Sính",
            "Quang",
            "Dín",
            "Tiến",
            "Hưng",
            "Sinh",
            "Chu",
            "Phìn",
            "Thái",
            "Khiêm",
            "Hải",
            "Lâm",
        ),
        given_female=("Dinh", "Lan", "Hoa", "Mùi", "Hường", "Thu", "Yến", "Tiên", "Sen", "Kim"),
    ),
    "Mông": NamePool(
        family=(
            "Giàng",
            "Sùng",
            "Thào",
            "Vàng",
            "Lồ",
            "Lý",
            "Mùa",
            "Hầu",
            "Ma",
            "Cứ",
            "Hạng",
            "Vừ",
            "Tráng",
            "Sình",
        ),
        middle_male=("A", "Seo", "Mí", "Văn", "A", "Seo"),
        middle_female=("Thị",),
        given_male=(
            "Páo",
            "Chá",
            "Sử",
            "Lử",
            "Dình",
            "Chứ",
            "Pó",
            "Sinh",
            "Tủa",
            "Sính",
            "Lềnh",
            "Pùa",
            "Khua",
            "Chư",
            "Say",
            "Dế",
            "Vảng",
            "Chồ",
        ),
        given_female=(
            "Mỷ",
            "Dợ",
            "Chở",
            "Sua",
            "Mai",
            "Dở",
            "Pà",
            "Súa",
            "Lan",
            "Chi",
            "Ninh",
            "Của",
            "Xúa",
            "Dính",
        ),
    ),
    "Dao": NamePool(
        family=("Triệu", "Bàn", "Lý", "Đặng", "Chảo", "Phùng", "Tẩn", "Lò"),
        middle_male=("Văn",) * 3 + ("Tả", "Láo", "Kiềm", "Quẩy", "Chòi"),
        middle_female=("Thị",) * 3 + ("Mùi",),
        given_male=(
            "Kiềm",
            "Quẩy",
            "Sành",
            "Chòi",
            "Phấy",
            "Lở",
            "Tờ",
            "Seng",
            "Quyên",
            "Hin",
            "Phin",
            "Vần",
        ),
        given_female=("Mẩy", "Mai", "Xiêm", "Nhàn", "Sử", "Phin", "Dín", "Mỷ", "Liều", "Chiêu"),
    ),
    "Hà Nhì": NamePool(
        family=("Lò", "Chu", "Ly", "Pờ", "Tẩn", "Hù", "Sừ", "Chang", "Phu"),
        middle_male=("Xè", "Mé", "A", "Văn", "Gò", "Chừ"),
        middle_female=("Thị", "Mì", "Mé"),
        given_male=("Gạ", "Chà", "Sừ", "Cà", "Xá", "Hừ", "Gió", "Pu", "Thó", "Hờ", "Lù", "Xuân"),
        given_female=("Me", "Xá", "Gió", "Cà", "Ho", "Pà", "Mơ", "Sơ", "Chu", "Hà"),
    ),
    "La Hủ": NamePool(
        family=("Lò", "Lý", "Chu", "Pờ", "Phàn", "Vàng", "Giàng", "Sừ", "Chang"),
        middle_male=("Gạ", "Xà", "Lừ", "Phu", "A", "Văn"),
        middle_female=("Thị", "Na", "Mi"),
        given_male=("Pó", "Phu", "Lù", "Xe", "Mò", "Ká", "Sừ", "Chừ", "Nù", "Chà", "Thà", "Ghế"),
        given_female=("Lu", "Mi", "Xó", "Na", "Ha", "Mỳ", "Xe", "Sa", "Pa", "Nhé"),
    ),
    "Thái": NamePool(
        family=("Lò", "Lường", "Tòng", "Cầm", "Quàng", "Hoàng", "Vì", "Điêu", "Lù", "Lò", "Lê"),
        middle_male=("Văn",) * 5 + ("Xuân", "Minh"),
        middle_female=("Thị",) * 5 + ("Kim",),
        given_male=(
            "Pắng",
            "Ún",
            "Xôm",
            "Tuân",
            "Khăm",
            "Hặc",
            "Chiến",
            "Inh",
            "Phanh",
            "Piêng",
            "Nhất",
            "Sơn",
            "Thoại",
        ),
        given_female=(
            "Ón",
            "Xuân",
            "Pánh",
            "Ngân",
            "Liên",
            "Bun",
            "Nọi",
            "Phương",
            "Mai",
            "Ánh",
            "Ính",
            "Thoa",
        ),
    ),
}

# Occupations by cell type (Vietnamese data) and who serves in such cells.
OCCUPATIONS: dict[str, tuple[str, ...]] = {
    CellSubtype.VILLAGE: ("Nông dân",) * 6
    + ("Trưởng thôn", "Buôn bán nhỏ", "Cán bộ hưu trí", "Công nhân", "Cựu chiến binh"),
    CellSubtype.RESIDENTIAL: ("Cán bộ hưu trí",) * 3
    + ("Kinh doanh", "Công nhân", "Nông dân", "Cựu chiến binh", "Tổ trưởng dân phố"),
    CellSubtype.SCHOOL: ("Giáo viên",) * 6 + ("Cán bộ quản lý giáo dục", "Nhân viên"),
    CellSubtype.HEALTH: (
        "Y sĩ",
        "Điều dưỡng",
        "Bác sĩ",
        "Nữ hộ sinh",
        "Dược sĩ",
        "Kỹ thuật viên y tế",
    ),
    CellSubtype.POLICE: ("Công an xã",),
    CellSubtype.MILITARY: ("Chỉ huy quân sự xã", "Dân quân thường trực"),
    CellSubtype.AGENCY: ("Chuyên viên",) * 4
    + ("Công chức", "Viên chức", "Cán bộ lãnh đạo", "Kế toán"),
    CellSubtype.ENTERPRISE: ("Kỹ sư", "Nhân viên", "Công nhân", "Kế toán", "Cán bộ quản lý"),
}
# Share of women by cell type (per cent).
FEMALE_SHARE: dict[str, int] = {
    CellSubtype.VILLAGE: 32,
    CellSubtype.RESIDENTIAL: 40,
    CellSubtype.SCHOOL: 70,
    CellSubtype.HEALTH: 62,
    CellSubtype.POLICE: 10,
    CellSubtype.MILITARY: 5,
    CellSubtype.AGENCY: 45,
    CellSubtype.ENTERPRISE: 35,
}
