"""Figures and targets as people read them on the pages and in the exports: numbers in the
reader's language, rounded to the indicator's decimals; a target in a few characters."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import TargetKind
from .models import Indicator, Target
from .numbers import show_number


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{show_number(value, 1)}%"


def figure_text(value: Decimal | None, indicator: Indicator) -> str:
    return show_number(value, indicator.decimals)


def promise_text(kind: str, value: Decimal, high: Decimal | None, decimals: int | None) -> str:
    """The promise in a few characters: "50", "3–4", "7 a year", "400 in total"."""
    text = show_number(value, decimals)
    if high is not None:
        text = f"{text}–{show_number(high, decimals)}"
    if kind == TargetKind.ANNUAL_CHANGE:
        return _("%(value)s a year") % {"value": text}
    if kind == TargetKind.CUMULATIVE:
        return _("%(value)s in total") % {"value": text}
    return text


def target_text(target: Target) -> str:
    return promise_text(
        target.kind, target.target_value, target.target_value_high, target.indicator.decimals
    )
