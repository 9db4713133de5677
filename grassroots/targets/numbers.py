"""Numbers as people type them, as programs send them, and as people read them.

Reading a figure — one function, `parse_number`, for the pages, the XLSX upload, the services
and the API:

- Text typed by people (`typed=True`: the pages' fields, spreadsheet cells that hold text)
  follows the active language. In Vietnamese "." groups thousands and "," is the decimal mark
  ("1.320,5" = 1320.5; "1.320" = 1320; "62,65" = 62.65); in English "," groups and "." is the
  decimal mark ("1,320.5"; "1,320" = 1320; "1.320" = 1.32). What can be read only one way is
  read that way in both languages: both marks ("1.320,5", "1,320.5": the last is the decimal
  mark), a mark followed by other than three digits ("62,65", "10.5"), a mark repeated
  ("1.320.000"), a whole part that cannot be grouped ("0,125", "1234.5"). Spaces group too
  ("1 320,5"); a trailing "%" is dropped ("97,4%").
- Figures sent by programs (`typed=False`, the default: the API's JSON, the services' own
  arguments) are numbers, or text in the one canonical form: "-" for negatives, "." before the
  decimals and no grouping ("1320.5"). Text with a comma or a grouping mark is refused: a
  program must not depend on the language of the person who wrote it.
- Numbers (int, float, Decimal — spreadsheet number cells included) are taken as they are.

Showing a figure: `show_number` (grouped, the reader's language: "1.320,5"), `message_number`
(inside a sentence, never an exponent), `plain_number` (in an input field, ungrouped).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_CANONICAL = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
EXAMPLE = Decimal("1320.5")


def parse_number(
    value: str | int | float | Decimal | None, *, typed: bool = False
) -> Decimal | None:
    """The number in `value`, or None when it is empty (None or blank text); a ValidationError
    (code "invalid_number") with the way to write it when it cannot be read.

    `typed=True` reads text as a person typed it, in the active language; the default reads
    text as a program sends it ("1320.5" only). The rules are in the module's docstring.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _unreadable(value, typed)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip()
        if not text:
            return None
        number = _read_typed(text) if typed else _read_canonical(text)
    if not number.is_finite():
        raise _unreadable(value, typed)
    return number


def _read_canonical(text: str) -> Decimal:
    if not _CANONICAL.fullmatch(text):
        raise _unreadable(text, False)
    return Decimal(text)


def _grouped(text: str, mark: str, *, groups: int) -> bool:
    """Whether `text` is digits grouped by threes with `mark` (at least `groups` marks)."""
    return re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}}){{{groups},}}", text) is not None


def _read_typed(original: str) -> Decimal:
    raw = _SPACES.sub("", original).replace("\u2212", "-")
    if raw.endswith("%"):
        raw = raw[:-1]
    sign = ""
    if raw[:1] in ("+", "-"):
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    group_mark = "," if get_format("DECIMAL_SEPARATOR") == "." else "."
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        # Both marks: the last one is the decimal mark, in any language.
        mark = "." if raw.rfind(".") > raw.rfind(",") else ","
        other = "," if mark == "." else "."
        whole, _sep, fraction = raw.rpartition(mark)
        if not _grouped(whole, other, groups=1):
            raise _unreadable(original, True)
        raw = f"{whole.replace(other, '')}.{fraction}"
    elif dots + commas > 1:
        # One mark repeated can only group thousands.
        mark = "." if dots else ","
        if not _grouped(raw, mark, groups=2):
            raise _unreadable(original, True)
        raw = raw.replace(mark, "")
    elif dots + commas == 1:
        mark = "." if dots else ","
        # "1.320" and "1,320" read two ways: the language's grouping mark groups; otherwise,
        # and whenever the figure cannot be a grouped one, the mark is the decimal mark.
        if mark == group_mark and raw[0] != "0" and _grouped(raw, mark, groups=1):
            raw = raw.replace(mark, "")
        else:
            raw = raw.replace(mark, ".")
    if not _PLAIN.fullmatch(raw):
        raise _unreadable(original, True)
    try:
        return Decimal(sign + raw)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise _unreadable(original, True) from exc


def _unreadable(text, typed: bool) -> ValidationError:
    if typed:
        message = _("“%(text)s” is not a number. Write it like %(grouped)s or %(plain)s.") % {
            "text": text,
            "grouped": show_number(EXAMPLE),
            "plain": plain_number(EXAMPLE),
        }
    else:
        message = _(
            "“%(text)s” is not a number in the form programs send: a number, or text with a point "
            "before the decimals and no thousands separator, like 1320.5."
        ) % {"text": text}
    return ValidationError(message, code="invalid_number")


def show_number(
    value: Decimal | float | int | None, decimals: int | None = None, *, empty: str = "—"
) -> str:
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
