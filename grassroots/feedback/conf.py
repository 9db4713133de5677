"""The feedback settings, each read with its default so a deployment overrides only what it
needs (config/settings: FEEDBACK_…)."""

from __future__ import annotations

from django.conf import settings

from .choices import Category

DUE_WORKING_DAYS = {
    # Answering a report or a petition: 15 working days; a complaint or a denunciation is
    # settled in 30 (the time limits of the laws on complaints and denunciations).
    Category.OPINION: 15,
    Category.PETITION: 15,
    Category.COMPLAINT: 30,
    Category.DENUNCIATION: 30,
}


def due_working_days(category: str) -> int:
    """Working days allowed to answer feedback of `category` (FEEDBACK_DUE_WORKING_DAYS)."""
    table = {**DUE_WORKING_DAYS, **getattr(settings, "FEEDBACK_DUE_WORKING_DAYS", {})}
    return int(table.get(category, 15))


def escalation_working_days() -> int:
    """Working days the unit above has once overdue feedback is escalated to it."""
    return int(getattr(settings, "FEEDBACK_ESCALATION_WORKING_DAYS", 10))


def due_soon_days() -> int:
    """Calendar days before the due date from which the home lists feedback as due."""
    return int(getattr(settings, "FEEDBACK_DUE_SOON_DAYS", 3))


def public_rate() -> tuple[int, int]:
    """(submissions, seconds): how many public submissions one address may make per window."""
    value = getattr(settings, "FEEDBACK_PUBLIC_RATE", (5, 3600))
    return int(value[0]), int(value[1])


def tracking_rate() -> tuple[int, int]:
    """(lookups, seconds): how many unknown tracking codes one address may try per window."""
    value = getattr(settings, "FEEDBACK_TRACKING_RATE", (20, 3600))
    return int(value[0]), int(value[1])


def public_max_bytes() -> int:
    """The largest public form request accepted (the form carries text only)."""
    return int(getattr(settings, "FEEDBACK_PUBLIC_MAX_BYTES", 32 * 1024))


def client_ip_header() -> str:
    """The request header holding the client's address when behind a trusted proxy
    (e.g. "HTTP_X_REAL_IP"); REMOTE_ADDR otherwise."""
    return str(getattr(settings, "FEEDBACK_CLIENT_IP_HEADER", "") or "REMOTE_ADDR")


BODY_MAX_CHARS = 5000
SUBJECT_MAX_CHARS = 200
ANSWER_MAX_CHARS = 10000
