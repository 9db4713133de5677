"""The rule sets as the regulations give them (DOMAIN.md). Values the official text leaves
open are listed in `to_confirm`: seeded with the default shown, editable on the set's page."""

from __future__ import annotations

import datetime as dt

from .choices import LEVEL_NAMES_VI

_LEVELS = {str(k): v for k, v in LEVEL_NAMES_VI.items()}

_NOT_REVIEWED_AND_LEAVE = ["sick_leave_cap_months", "maternity_on_time_worked"]

RULE_SETS: list[dict] = [
    {
        "code": "132",
        "name": "Quy định 132-QĐ/TW (2018–2022)",
        "regulation": "132-QĐ/TW",
        "regulation_date": dt.date(2018, 3, 8),
        "guideline": "16-HD/BTCTW (2018), 21-HD/BTCTW (2019)",
        "valid_from_year": 2018,
        "valid_to_year": 2022,
        "judging": "grades",
        "level_names": _LEVELS,
        "excellent_min_exceeded_pct": None,
        "discipline_rule": "fails",
        "discipline_self_detected_exception": True,
        "sick_leave_cap_months": 3,
        "maternity_on_time_worked": True,
        "quota_rate_pct": "20",
        "quota_base": "well",
        "quota_member_scope": "grassroots",
        "quota_collective_scope": "peer_group",
        "to_confirm": [
            "discipline_rule",
            "discipline_self_detected_exception",
            "quota_collective_scope",
        ],
        "notes": "Only for imported history.",
    },
    {
        "code": "124",
        "name": "Quy định 124-QĐ/TW (2023–2024)",
        "regulation": "124-QĐ/TW",
        "regulation_date": dt.date(2023, 10, 4),
        "guideline": "25-HD/BTCTW (10/11/2023)",
        "valid_from_year": 2023,
        "valid_to_year": 2024,
        "judging": "grades",
        "level_names": _LEVELS,
        "excellent_min_exceeded_pct": "50",
        "collective_weak_criterion_fails": True,
        "collective_min_targets_pct": "50",
        "collective_leadership_discipline_fails": True,
        "collective_max_disciplined_subordinates_pct": "20",
        "discipline_rule": "fails",
        "discipline_self_detected_exception": True,
        "sick_leave_cap_months": 3,
        "maternity_on_time_worked": True,
        "quota_rate_pct": "20",
        "quota_base": "well",
        "quota_member_scope": "grassroots",
        "quota_collective_scope": "peer_group",
        "to_confirm": [*_NOT_REVIEWED_AND_LEAVE, "quota_member_scope"],
        "notes": "",
    },
    {
        "code": "366",
        "name": "Quy định 366-QĐ/TW (từ 2025)",
        "regulation": "366-QĐ/TW",
        "regulation_date": dt.date(2025, 8, 30),
        "guideline": "43-HD/BTCTW (31/10/2025)",
        "valid_from_year": 2025,
        "valid_to_year": None,
        "judging": "points",
        "quarterly_reviews": True,
        "level_names": _LEVELS,
        "excellent_min_points": "90",
        "well_min_points": "70",
        "completed_min_points": "50",
        "excellent_min_exceeded_pct": "30",
        "completed_max_late_pct": "20",
        "excellent_needs_remedied": True,
        "collective_excellent_needs_no_discipline": True,
        "collective_excellent_needs_members_completed": True,
        "discipline_rule": "fails",
        "discipline_self_detected_exception": False,
        "sick_leave_cap_months": 3,
        "maternity_on_time_worked": True,
        "quota_rate_pct": "20",
        "quota_base": "well",
        "quota_member_scope": "grassroots",
        "quota_collective_scope": "peer_group",
        "to_confirm": [
            "discipline_rule",
            "discipline_self_detected_exception",
            "collective_excellent_needs_members_completed",
            "exempted_not_reviewed",
            "suspended_not_reviewed",
            "new_member_months",
            *_NOT_REVIEWED_AND_LEAVE,
            "quota_rate_pct",
            "quota_member_scope",
            "quota_collective_scope",
        ],
        "notes": "",
    },
]


def seed_rule_sets(rule_set_model) -> int:
    """Create the rule sets missing (by code) with `rule_set_model` (the model, or the
    migration's historical one); the number created. Existing sets are left as corrected."""
    created = 0
    for values in RULE_SETS:
        data = dict(values)
        code = data.pop("code")
        _, was_created = rule_set_model.objects.get_or_create(code=code, defaults=data)
        created += was_created
    return created
