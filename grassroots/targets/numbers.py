"""Numbers as people type them and as they read them: "1.320,5" (Vietnamese) and "1320.5"
(a computer's) are both accepted; figures are shown in the reader's language."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_number(text: str | int | float | Decimal | None, *, decimals: int | None = None) -> Decimal | None:
    """The number in `text`, or None when it is empty; ValidationError when unreadable.

    Separators: when both "." and "," appear, the last one is the decimal mark and the other
    groups thousands ("1.320,5", "1,320.5"). A lone "," is a decimal mark ("97,4"). Several
    dots or several commas group thousands ("1.320.000"). A lone dot before exactly three
    digits ("1.320") is a Vietnamese thousands mark when the indicator keeps fewer than three
    decimals, and a decimal mark otherwise; "10.5" is ten and a half either way.
    """
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    raw = _SPACES.sub("", str(text)).replace("\u2212", "-")
    if raw.endswith("%"):
        raw = raw[:-1]
    if not raw:
        return None
    sign = ""
    if raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    has_dot, has_comma = "." in raw, "," in raw
    if has_dot and has_comma:
        decimal_mark = "." if raw.rfind(".") > raw.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        whole, _sep, fraction = raw.rpartition(decimal_mark)
        if group_mark in fraction or not _GROUPED.match(whole):
            raise _unreadable(text)
        raw = whole.replace(group_mark, "") + "." + fraction
    elif has_comma:
        if raw.count(",") > 1:
            if not _GROUPED.match(raw):
                raise _unreadable(text)
            raw = raw.replace(",", "")
        else:
            raw = raw.replace(",", ".")
    elif has_dot and raw.count(".") > 1:
        if not _GROUPED.match(raw):
            raise _unreadable(text)
        raw = raw.replace(".", "")
    elif has_dot and _GROUPED.match(raw) and (decimals is None or decimals < 3):
        raw = raw.replace(".", "")
    if not re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", raw):
        raise _unreadable(text)
    try:
        return Decimal(sign + raw)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise _unreadable(text) from exc


def _unreadable(text) -> ValidationError:
    return ValidationError(
        _("“%(text)s” is not a number. Write it like 1.320,5 or 1320.5.") % {"text": text},
        code="invalid_number",
    )


def show_number(value: Decimal | float | int | None, decimals: int | None = None, *, empty: str = "—") -> str:
    """`value` in the active language's format with thousands grouped: 1.320,5 in Vietnamese."""
    if value is None:
        return empty
    value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if decimals is None:
        # As stored, without the trailing zeros of the column's scale.
        exponent = value.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    else:
        # Django's number_format cuts extra decimals off; a figure is rounded instead.
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def message_number(value: Decimal | float | int) -> str:
    """`value` inside a sentence (a refusal, a hint): the active language's format with as
    many decimals as it has, never an exponent ("at most 100 %", not "1E+2 %")."""
    return show_number(value)


def plain_number(value: Decimal | None) -> str:
    """`value` for an input field: no grouping, the active language's decimal mark."""
    if value is None:
        return ""
    # normalize() drops the column's trailing zeros; "f" keeps 1E+3 as 1000.
    text = format(Decimal(value).normalize(), "f")
    return number_format(Decimal(text), use_l10n=True, force_grouping=False)
