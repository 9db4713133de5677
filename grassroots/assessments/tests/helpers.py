"""A small framework over the persona tree for the assessments tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from grassroots.assessments import services
from grassroots.assessments.choices import Scoring
from grassroots.organizations.choices import UnitKind

BANDS = [
    ("excellent", "Xuất sắc", "Excellent", 90, True),
    ("good", "Tốt", "Good", 70, True),
    ("fair", "Khá", "Fair", 50, False),
    ("weak", "Yếu", "Weak", 0, False),
]


def make_framework(tree, *, code: str = "4tot", publish: bool = True, **extra):
    """Four groups of 25 points (minimum 12.5 each); group 1's framework criteria hold 20
    points, leaving 5 for the unit's own; bands 90 / 70 (both needing every minimum) / 50 / 0."""
    framework = services.framework_create(
        actor=None,
        issuing_unit=tree.province,
        code=code,
        name="Khung tiêu chí chi bộ 4 tốt",
        guideline_number="05-HD/BTCTU",
        guideline_date=dt.date(2024, 5, 19),
        unit_kinds=[UnitKind.CELL, UnitKind.GRASSROOTS],
        **extra,
    )
    for i in range(1, 5):
        group = services.group_add(
            actor=None,
            framework=framework,
            code=str(i),
            name_vi=f"Nhóm {i}",
            name_en=f"Group {i}",
            max_points=25,
            min_points=Decimal("12.5"),
        )
        if i == 1:
            services.criterion_add(
                actor=None,
                group=group,
                code="1.1",
                text_vi="Hoàn thành nhiệm vụ",
                max_points=20,
                scoring=Scoring.POINTS,
            )
        else:
            services.criterion_add(
                actor=None,
                group=group,
                code=f"{i}.1",
                text_vi=f"Tiêu chí {i}.1",
                max_points=15,
                scoring=Scoring.POINTS,
            )
            services.criterion_add(
                actor=None,
                group=group,
                code=f"{i}.2",
                text_vi=f"Tiêu chí {i}.2",
                max_points=10,
                scoring=Scoring.YES_NO if i == 2 else Scoring.SCALE,
                scale_steps=4,
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
    if publish:
        services.framework_publish(actor=None, framework=framework, on=dt.date(2024, 5, 19))
    return framework


def register(tree, framework, unit=None, year: int = 2024):
    return services.registration_create(
        actor=None, unit=unit or tree.cell_a1, year=year, framework=framework
    )


def full_scores(registration, **by_code):
    """Every criterion at its maximum, except those given by code ("1.1": 10)."""
    scores = {}
    for criterion in services.registration_criteria(registration):
        value = by_code.get(criterion.code.replace(".", "_"), criterion.max_points)
        scores[criterion.pk] = (value, "")
    return scores


def fill(registration, month: int, *, today=dt.date(2025, 6, 1), **by_code):
    return services.assessment_save(
        actor=None,
        registration=registration,
        month=month,
        scores=full_scores(registration, **by_code),
        today=today,
    )
