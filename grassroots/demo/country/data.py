"""What the synthetic country is drawn from: provinces and regions, name pools, and the
distributions of ethnicity, religion, education and occupation.

Province names are the 34 provinces and cities after the reform of 1 July 2025 (public facts).
Commune, village and agency names are combinations of common Sino-Vietnamese place syllables;
member names are combinations of common family, middle and given names: nobody is a real person.
"""

from __future__ import annotations

import datetime as dt

from grassroots.core.text import fold
from grassroots.members.choices import ETHNICITY_BY_NAME
from grassroots.organizations.choices import CellSubtype

ROOT_START = dt.date(1930, 2, 3)
HISTORY_START = dt.date(1960, 1, 1)
# Communes merged and districts abolished on this day (Resolution of the National Assembly
# Standing Committee, June 2025).
REFORM_DATE = dt.date(2025, 7, 1)
REFORM_DECISION_DATE = dt.date(2025, 6, 16)

# (name, region, weight of the national membership)
PROVINCES: list[tuple[str, str, float]] = [
    ("Thành phố Hà Nội", "delta_north", 8.0),
    ("Thành phố Hồ Chí Minh", "southeast", 7.5),
    ("Thành phố Hải Phòng", "delta_north", 3.6),
    ("Thành phố Đà Nẵng", "south_central", 2.4),
    ("Thành phố Huế", "north_central", 1.6),
    ("Thành phố Cần Thơ", "mekong", 2.4),
    ("Tỉnh Lai Châu", "north_mountain", 0.9),
    ("Tỉnh Điện Biên", "north_mountain", 1.1),
    ("Tỉnh Sơn La", "north_mountain", 1.7),
    ("Tỉnh Lạng Sơn", "north_mountain", 1.4),
    ("Tỉnh Quảng Ninh", "delta_north", 2.0),
    ("Tỉnh Thanh Hóa", "north_central", 4.6),
    ("Tỉnh Nghệ An", "north_central", 4.4),
    ("Tỉnh Hà Tĩnh", "north_central", 2.0),
    ("Tỉnh Cao Bằng", "north_mountain", 1.0),
    ("Tỉnh Tuyên Quang", "north_mountain", 2.0),
    ("Tỉnh Lào Cai", "north_mountain", 2.1),
    ("Tỉnh Thái Nguyên", "north_mountain", 2.3),
    ("Tỉnh Phú Thọ", "north_mountain", 4.1),
    ("Tỉnh Bắc Ninh", "delta_north", 3.4),
    ("Tỉnh Hưng Yên", "delta_north", 3.3),
    ("Tỉnh Ninh Bình", "delta_north", 3.6),
    ("Tỉnh Quảng Trị", "north_central", 2.0),
    ("Tỉnh Quảng Ngãi", "south_central", 2.0),
    ("Tỉnh Gia Lai", "highlands", 2.6),
    ("Tỉnh Khánh Hòa", "south_central", 1.9),
    ("Tỉnh Lâm Đồng", "highlands", 2.9),
    ("Tỉnh Đắk Lắk", "highlands", 2.4),
    ("Tỉnh Đồng Nai", "southeast", 2.6),
    ("Tỉnh Tây Ninh", "southeast", 2.0),
    ("Tỉnh Vĩnh Long", "mekong", 2.6),
    ("Tỉnh Đồng Tháp", "mekong", 2.5),
    ("Tỉnh Cà Mau", "mekong", 1.7),
    ("Tỉnh An Giang", "mekong", 2.8),
]


def _eth(weights: dict[str, float]) -> list[tuple[str, float]]:
    return [(ETHNICITY_BY_NAME[fold(name)], w) for name, w in weights.items()]


# Ethnic groups of party members by region (shares, roughly as the regions' populations).
ETHNICITY_BY_REGION: dict[str, list[tuple[str, float]]] = {
    "north_mountain": _eth(
        {
            "Kinh": 42,
            "Tày": 14,
            "Thái": 12,
            "Mường": 6,
            "Nùng": 7,
            "Mông": 7,
            "Dao": 6,
            "Hà Nhì": 1,
            "La Hủ": 0.5,
            "Giáy": 1,
            "Sán Chay": 1.5,
            "Lô Lô": 0.3,
            "Khơ Mú": 0.7,
        }
    ),
    "delta_north": _eth({"Kinh": 97.5, "Mường": 1.2, "Hoa": 0.5, "Tày": 0.5, "Sán Dìu": 0.3}),
    "north_central": _eth(
        {"Kinh": 88, "Mường": 5, "Thái": 4, "Bru - Vân Kiều": 1, "Tà Ôi": 1, "Cơ Tu": 1}
    ),
    "south_central": _eth(
        {"Kinh": 93, "Hrê": 2, "Ra Glai": 1.5, "Chăm": 1.5, "Cơ Tu": 1, "Xơ Đăng": 1}
    ),
    "highlands": _eth(
        {
            "Kinh": 68,
            "Gia Rai": 9,
            "Ê Đê": 8,
            "Ba Na": 4,
            "Cơ Ho": 4,
            "Mnông": 3,
            "Xơ Đăng": 2,
            "Tày": 1,
            "Nùng": 1,
        }
    ),
    "southeast": _eth({"Kinh": 94, "Hoa": 3, "Khmer": 1, "Chơ Ro": 0.5, "Xtiêng": 1, "Chăm": 0.5}),
    "mekong": _eth({"Kinh": 90, "Khmer": 8, "Hoa": 1.5, "Chăm": 0.5}),
}

# Religions of party members by region (most members declare none).
RELIGION_BY_REGION: dict[str, list[tuple[str, float]]] = {
    "north_mountain": [("none", 96.5), ("buddhism", 1), ("protestant", 2), ("catholic", 0.5)],
    "delta_north": [("none", 94), ("buddhism", 3), ("catholic", 3)],
    "north_central": [("none", 94), ("buddhism", 2), ("catholic", 4)],
    "south_central": [("none", 94), ("buddhism", 4), ("catholic", 1.5), ("islam", 0.5)],
    "highlands": [("none", 91), ("buddhism", 2), ("catholic", 3), ("protestant", 4)],
    "southeast": [("none", 90), ("buddhism", 5), ("catholic", 3), ("caodai", 2)],
    "mekong": [("none", 89), ("buddhism", 6), ("hoahao", 3), ("caodai", 1.5), ("catholic", 0.5)],
}

FAMILY_NAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 3),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Võ", 3),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Đinh", 1),
    ("Trịnh", 0.8),
    ("Mai", 0.6),
    ("Đoàn", 0.6),
    ("Lương", 0.5),
    ("Cao", 0.4),
    ("Tạ", 0.3),
    ("Hà", 0.6),
    ("Chu", 0.3),
]
# Family names frequent among the northern mountain groups.
MOUNTAIN_FAMILY_NAMES = [
    ("Lò", 8),
    ("Vàng", 6),
    ("Sùng", 5),
    ("Giàng", 5),
    ("Hoàng", 8),
    ("Lường", 5),
    ("Cầm", 4),
    ("Quàng", 3),
    ("Mùa", 3),
    ("Thào", 3),
    ("Lý", 5),
    ("Nông", 6),
    ("Lục", 3),
    ("Triệu", 4),
    ("Hà", 6),
    ("Lầu", 2),
    ("Ly", 2),
    ("Chảo", 2),
    ("Tẩn", 2),
    ("Phàn", 2),
    ("Đèo", 1),
]
HIGHLAND_FAMILY_NAMES = [
    ("Ksor", 5),
    ("Rơ Chăm", 3),
    ("Siu", 3),
    ("Nay", 3),
    ("Y", 4),
    ("H'", 3),
    ("Đinh", 4),
    ("K'", 2),
]
KHMER_FAMILY_NAMES = [("Thạch", 6), ("Sơn", 5), ("Kim", 4), ("Danh", 4), ("Lâm", 2), ("Châu", 2)]

MALE_MIDDLE = [
    ("Văn", 40),
    ("Đức", 8),
    ("Minh", 8),
    ("Hữu", 7),
    ("Quang", 6),
    ("Thanh", 5),
    ("Xuân", 4),
    ("Công", 4),
    ("Ngọc", 3),
    ("Trọng", 3),
    ("Đình", 4),
    ("Việt", 2),
]
FEMALE_MIDDLE = [
    ("Thị", 55),
    ("Ngọc", 6),
    ("Thu", 5),
    ("Thanh", 5),
    ("Minh", 4),
    ("Hồng", 4),
    ("Kim", 3),
    ("Phương", 3),
    ("Mai", 2),
    ("Bích", 2),
]
MALE_GIVEN = [
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đông",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Lâm",
    "Long",
    "Mạnh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quyết",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hưng",
    "Lợi",
    "Lực",
    "Sáng",
    "Thủy",
    "Chiến",
    "Kiên",
    "Hoàn",
    "Tiến",
    "Trường",
    "Quang",
]
FEMALE_GIVEN = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huệ",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thu",
    "Thủy",
    "Trang",
    "Tuyết",
    "Vân",
    "Xuân",
    "Yến",
    "Lý",
    "Diệp",
    "Ánh",
]

# Syllables of place names; mountain places add their own.
PLACE_SYLLABLES = [
    "An",
    "Bình",
    "Hòa",
    "Phú",
    "Tân",
    "Thạnh",
    "Long",
    "Mỹ",
    "Hưng",
    "Thuận",
    "Phước",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Thành",
    "Lộc",
    "Xuân",
    "Quang",
    "Minh",
    "Hợp",
    "Tiến",
    "Đức",
    "Nghĩa",
    "Thịnh",
    "Vĩnh",
    "Hải",
    "Sơn",
    "Lâm",
    "Thủy",
    "Kim",
    "Ngọc",
    "Hồng",
    "Cẩm",
    "Yên",
    "Gia",
    "Đại",
    "Thượng",
    "Hạ",
    "Châu",
    "Khánh",
    "Phong",
    "Lạc",
    "Thái",
    "Định",
    "Hiệp",
    "Lợi",
]
MOUNTAIN_SYLLABLES = [
    "Nậm",
    "Mường",
    "Pá",
    "Na",
    "Huổi",
    "Phìn",
    "Sìn",
    "Tả",
    "Bản",
    "Lùng",
    "Khau",
    "Pắc",
]
MOUNTAIN_SECOND = [
    "Hum",
    "Lay",
    "Tè",
    "Xé",
    "Nhè",
    "Pồ",
    "Cang",
    "Chải",
    "Thàng",
    "Mòn",
    "Khoang",
    "Ló",
    "Lìu",
]

# Cells of a commune or ward: (subtype, share of the commune's cells, name pattern)
COMMUNE_CELL_MIX = [
    (CellSubtype.VILLAGE, 70),
    (CellSubtype.SCHOOL, 9),
    (CellSubtype.HEALTH, 3),
    (CellSubtype.POLICE, 3),
    (CellSubtype.MILITARY, 3),
    (CellSubtype.AGENCY, 7),
    (CellSubtype.RETIREES, 3),
    (CellSubtype.ENTERPRISE, 2),
]
OTHER_CELL_MIX = [
    (CellSubtype.AGENCY, 55),
    (CellSubtype.ENTERPRISE, 25),
    (CellSubtype.SCHOOL, 8),
    (CellSubtype.HEALTH, 7),
    (CellSubtype.OTHER, 5),
]
# Kinds of grassroots organizations outside communes: (name prefix, cell subtype of its cells)
OTHER_GRASSROOTS = [
    ("Sở", CellSubtype.AGENCY),
    ("Ban", CellSubtype.AGENCY),
    ("Bệnh viện", CellSubtype.HEALTH),
    ("Trường Trung học phổ thông", CellSubtype.SCHOOL),
    ("Trường Cao đẳng", CellSubtype.SCHOOL),
    ("Công ty", CellSubtype.ENTERPRISE),
    ("Tổng công ty", CellSubtype.ENTERPRISE),
    ("Ngân hàng", CellSubtype.ENTERPRISE),
    ("Chi cục", CellSubtype.AGENCY),
]
OTHER_UNIT_TOPICS = [
    "Giáo dục và Đào tạo",
    "Y tế",
    "Tài chính",
    "Xây dựng",
    "Nông nghiệp và Môi trường",
    "Công Thương",
    "Nội vụ",
    "Tư pháp",
    "Văn hóa, Thể thao và Du lịch",
    "Khoa học và Công nghệ",
    "Điện lực",
    "Cấp nước",
    "Thuế",
    "Kho bạc",
    "Bảo hiểm xã hội",
    "Thống kê",
    "Lâm nghiệp",
]

OCCUPATIONS: dict[str, list[tuple[str, float]]] = {
    CellSubtype.VILLAGE: [
        ("Nông dân", 55),
        ("Hưu trí", 20),
        ("Kinh doanh", 10),
        ("Lao động tự do", 10),
        ("Cựu chiến binh", 5),
    ],
    CellSubtype.RESIDENTIAL: [
        ("Hưu trí", 40),
        ("Kinh doanh", 25),
        ("Công nhân", 15),
        ("Lao động tự do", 20),
    ],
    CellSubtype.SCHOOL: [("Giáo viên", 85), ("Nhân viên", 15)],
    CellSubtype.HEALTH: [("Bác sĩ", 35), ("Y sĩ", 30), ("Điều dưỡng", 35)],
    CellSubtype.POLICE: [("Công an", 100)],
    CellSubtype.MILITARY: [("Quân nhân", 100)],
    CellSubtype.AGENCY: [("Công chức", 70), ("Viên chức", 30)],
    CellSubtype.ENTERPRISE: [("Công nhân", 50), ("Kỹ sư", 25), ("Nhân viên", 25)],
    CellSubtype.RETIREES: [("Hưu trí", 100)],
    CellSubtype.OTHER: [("Viên chức", 60), ("Nhân viên", 40)],
}
# (professional education shares) by subtype: staff cells hold more graduates.
PROFESSIONAL_BY_SUBTYPE: dict[str, list[tuple[str, float]]] = {
    "default": [
        ("none", 38),
        ("vocational", 20),
        ("college", 10),
        ("university", 29),
        ("master", 2.5),
        ("doctor", 0.5),
    ],
    "staff": [
        ("none", 3),
        ("vocational", 7),
        ("college", 15),
        ("university", 60),
        ("master", 13),
        ("doctor", 2),
    ],
}
STAFF_SUBTYPES = {
    CellSubtype.SCHOOL,
    CellSubtype.HEALTH,
    CellSubtype.AGENCY,
    CellSubtype.POLICE,
    CellSubtype.MILITARY,
}
GENERAL_EDUCATION = [("upper_secondary", 82), ("lower_secondary", 14), ("primary", 4)]
THEORY_LEVELS = [
    ("none", 18),
    ("elementary", 47),
    ("intermediate", 25),
    ("advanced", 8),
    ("bachelor", 2),
]
DISCIPLINE_LEVELS = [("reprimand", 60), ("warning", 30), ("dismissal", 10)]
