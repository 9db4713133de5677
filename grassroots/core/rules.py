"""Rules that differ between provinces or change over time: configuration with a default.

Defaults come from DOMAIN.md; an administrator overrides any of them in the admin
(`core.RuleSetting`), and services read them through `rule()`.
"""

import time
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
    # Readmission (Regulation 232-QĐ/TW 3.5): months since leaving, and since a minor offence's
    # criminal record was cleared.
    "readmission_min_months": 36,
    "readmission_min_months_after_record_cleared": 60,
    # The cell's vote on an admission or a recognition carries when at least this share of the
    # cell's official members on the vote date agree (Statute art. 4.3): "numerator/denominator".
    "cell_vote_share": "2/3",
    # A figure is approved by someone other than the person who entered it.
    "approval_by_other_person": True,
}


# Overrides are read once and kept for a short while: services call rule() for every row of a
# bulk load. Saving a RuleSetting clears this process's copy at once; other processes see the
# change within CACHE_SECONDS.
CACHE_SECONDS = 60.0
_cache: dict[str, Any] = {}
_cache_loaded_at: float | None = None


def clear_cache(**_kwargs) -> None:
    global _cache_loaded_at
    _cache.clear()
    _cache_loaded_at = None


def rule(key: str) -> Any:
    global _cache_loaded_at
    from .models import RuleSetting

    if key not in DEFAULTS:
        raise KeyError(key)
    now = time.monotonic()
    if _cache_loaded_at is None or now - _cache_loaded_at > CACHE_SECONDS:
        _cache.clear()
        _cache.update(dict(RuleSetting.objects.values_list("key", "value")))
        _cache_loaded_at = now
    return _cache.get(key, DEFAULTS[key])
