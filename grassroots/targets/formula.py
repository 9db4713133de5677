"""Formulas over other indicators, evaluated safely (never `eval`).

A formula names indicators by their code in braces and combines them with numbers, `+ - * /`,
parentheses and the functions `min`, `max`, `abs`:

    {ECO-PROD-VALUE} / {SOC-POPULATION} * 1000

The text is parsed with Python's `ast` into a tree whose every node is checked against a short
list of allowed kinds; anything else (attributes, calls of other names, comprehensions …) is
refused. Arithmetic is in Decimal, so shares and money keep their digits. A missing operand or
a division by zero gives no value (None), never an error at review time.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

REFERENCE = re.compile(r"\{\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*\}")
MAX_LENGTH = 500
MAX_DEPTH = 30
_FUNCTIONS = {"min": min, "max": max, "abs": abs}
_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_UNARY = (ast.UAdd, ast.USub)


class FormulaError(ValueError):
    """A formula that cannot be read; the message says why, for the person who wrote it."""


def references(formula: str) -> list[str]:
    """The indicator codes a formula refers to, in order of first appearance."""
    seen: list[str] = []
    for code in REFERENCE.findall(formula or ""):
        if code not in seen:
            seen.append(code)
    return seen


def _translate(formula: str) -> tuple[str, dict[str, str]]:
    """Replace each `{CODE}` with a plain name, so the text parses as an expression."""
    names: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code not in names:
            names[code] = f"_v{len(names)}"
        return names[code]

    return REFERENCE.sub(replace, formula), names


def _check(node: ast.AST, names: set[str], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError(_("The formula is nested too deeply."))
    if isinstance(node, ast.Expression):
        _check(node.body, names, depth + 1)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, _BINARY):
        _check(node.left, names, depth + 1)
        _check(node.right, names, depth + 1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, _UNARY):
        _check(node.operand, names, depth + 1)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(
                _("Only numbers and indicator codes in braces may appear in a formula.")
            )
    elif isinstance(node, ast.Name):
        if node.id not in names:
            raise FormulaError(
                _(
                    "“%(name)s” is not understood: "
                    "write indicator codes in braces, e.g. {ECO-GROWTH}."
                )
                % {"name": node.id}
            )
    elif isinstance(node, ast.Call):
        if (
            not isinstance(node.func, ast.Name)
            or node.func.id not in _FUNCTIONS
            or node.keywords
            or not node.args
        ):
            raise FormulaError(_("Only the functions min, max and abs may be used in a formula."))
        if node.func.id == "abs" and len(node.args) != 1:
            raise FormulaError(_("abs takes one term."))
        for arg in node.args:
            _check(arg, names, depth + 1)
    else:
        raise FormulaError(_("Only + - * / and parentheses may combine the terms of a formula."))


@functools.lru_cache(maxsize=512)
def parse(formula: str) -> tuple[ast.Expression, dict[str, str]]:
    """The checked expression tree and the codes it uses (code → name in the tree).
    Cached: a review evaluates the same formula for many units; callers do not change it."""
    text = (formula or "").strip()
    if not text:
        raise FormulaError(_("The formula is empty."))
    if len(text) > MAX_LENGTH:
        raise FormulaError(_("A formula has at most %(n)d characters.") % {"n": MAX_LENGTH})
    translated, names = _translate(text)
    if "{" in translated or "}" in translated:
        raise FormulaError(
            _("A brace is not closed, or holds something that is not an indicator code.")
        )
    try:
        tree = ast.parse(translated, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(
            _("The formula cannot be read: check its operators and parentheses.")
        ) from exc
    _check(tree, set(names.values()))
    return tree, names


def validate(formula: str) -> list[str]:
    """Check a formula; returns the codes it refers to, raises FormulaError otherwise."""
    _tree, names = parse(formula)
    return list(names)


class _Missing(Exception):
    """An operand has no value or a division by zero: the formula gives no value."""


def _eval(node: ast.AST, values: dict[str, Decimal | None]) -> Decimal:
    if isinstance(node, ast.Expression):
        return _eval(node.body, values)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        value = values.get(node.id)
        if value is None:
            raise _Missing
        return Decimal(value)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            raise _Missing
        return left / right
    if isinstance(node, ast.Call):
        args = [_eval(arg, values) for arg in node.args]
        function = _FUNCTIONS[node.func.id]
        return function(args[0]) if function is abs else function(args)
    raise FormulaError("unreachable")  # parse() admits nothing else


def evaluate(formula: str, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """The formula's value with `values` (code → value); None when an operand is missing or a
    division is by zero."""
    tree, names = parse(formula)
    by_name = {name: values.get(code) for code, name in names.items()}
    try:
        return _eval(tree, by_name)
    except (_Missing, InvalidOperation):
        return None
