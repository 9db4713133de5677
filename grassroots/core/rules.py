"""Rules that differ between provinces or change over time: configuration with a default.

Defaults come from DOMAIN.md; an administrator overrides any of them in the admin
(`core.RuleSetting`), and services read them through `rule()`.
"""

from typing import Any

DEFAULTS: dict[str, Any] = {
    "admission_min_age": 18,
    "admission_max_age": 60,
    "probation_months": 12,
    "ceremony_within_working_days": 30,
    "recognition_within_working_days": 30,
    "transfer_arrival_days": 30,
    "cell_min_official_members": 3,
    "cell_committee_min_official_members": 9,
    "cell_groups_min_members": 30,
    "grassroots_committee_min_members": 30,
    "readmission_limit": 1,
}


def rule(key: str) -> Any:
    from .models import RuleSetting

    if key not in DEFAULTS:
        raise KeyError(key)
    row = RuleSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return DEFAULTS[key] if row is None else row
