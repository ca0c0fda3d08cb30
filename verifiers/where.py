"""Filters over rows and call arguments: ``{"folder": "sent", "subject": {"contains": "dentist"}}``.

A filter maps a column (or argument) to a literal, which must equal the value, or to an operator object:

- ``{"eq": v}``, ``{"ne": v}``: equal / not equal;
- ``{"contains": v}``: text holds ``v`` (case-insensitive); a list holds an item equal to ``v`` (text items
  compared case-insensitively); an object has the key ``v``;
- ``{"gt": v}``, ``{"ge": v}``, ``{"lt": v}``, ``{"le": v}``: ordered comparison (numbers, ISO times as text);
- ``{"in": [v, ...]}``: the value is one of the list.

Several operators in one object must all hold (``{"ge": "2026-03-01", "lt": "2026-04-01"}``). A missing key
compares as ``None``. An object whose keys are not all operators is a literal (JSON columns hold objects).

>>> matches({"folder": "sent", "to": ["Bob@x.com"]}, {"folder": "sent", "to": {"contains": "bob@x.com"}})
True
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

OPERATORS = frozenset({"eq", "ne", "contains", "gt", "ge", "lt", "le", "in"})
Where = Mapping[str, Any]


def is_operator(value: Any) -> bool:
    """Whether ``value`` is an operator object rather than a literal."""
    return isinstance(value, dict) and bool(value) and all(k in OPERATORS for k in value)


def matches(row: Mapping[str, Any], where: Where) -> bool:
    """Whether every condition of ``where`` holds for ``row``."""
    return all(holds(row.get(col), cond) for col, cond in where.items())


def holds(actual: Any, cond: Any) -> bool:
    """Whether one value satisfies a literal or an operator object."""
    if not is_operator(cond):
        return _equal(actual, cond)
    return all(_apply(op, actual, arg) for op, arg in cond.items())


def problems(where: Where, columns: Collection[str] | None = None, literal_dicts: Collection[str] = (),
             noun: str = "column") -> list[str]:
    """What is wrong with a filter: unknown columns (when ``columns`` is given), unknown operators, bad operands.

    ``literal_dicts`` names the columns whose values may be objects (JSON columns, call arguments).
    """
    if not isinstance(where, Mapping):
        return [f"a filter must be an object of column -> condition, got {type(where).__name__}"]
    found = []
    for col, cond in where.items():
        if columns is not None and col not in columns:
            found.append(f"unknown {noun} {col!r} ({noun}s: {', '.join(sorted(columns))})")
            continue
        if not isinstance(cond, dict) or is_operator(cond):
            found.extend(f"{noun} {col!r}: {p}" for p in _operand_problems(cond))
            continue
        unknown = sorted(k for k in cond if k not in OPERATORS)
        if col not in literal_dicts or len(unknown) < len(cond):
            found.append(f"{noun} {col!r}: unknown operator(s) {unknown}; known: {sorted(OPERATORS)}")
    return found


def _operand_problems(cond: Any) -> list[str]:
    if not is_operator(cond):
        return []
    found = []
    for op, arg in cond.items():
        if op == "in" and not isinstance(arg, list):
            found.append(f"operator 'in' needs a list, got {arg!r}")
        if op in ("gt", "ge", "lt", "le") and not isinstance(arg, (int, float, str)):
            found.append(f"operator {op!r} needs a number or text, got {arg!r}")
    return found


def _equal(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        # True == 1 in Python; a boolean column must not match the number 1 by accident, nor 1 match True.
        return type(actual) is type(expected) and actual == expected
    return bool(actual == expected)


def _apply(op: str, actual: Any, arg: Any) -> bool:
    if op == "eq":
        return _equal(actual, arg)
    if op == "ne":
        return not _equal(actual, arg)
    if op == "in":
        return any(_equal(actual, a) for a in arg)
    if op == "contains":
        return _contains(actual, arg)
    if actual is None:
        return False
    try:
        if op == "gt":
            return bool(actual > arg)
        if op == "ge":
            return bool(actual >= arg)
        if op == "lt":
            return bool(actual < arg)
        return bool(actual <= arg)
    except TypeError:
        return False  # text against a number: not comparable, so the condition does not hold


def _contains(actual: Any, arg: Any) -> bool:
    if isinstance(actual, str):
        return isinstance(arg, str) and arg.lower() in actual.lower()
    if isinstance(actual, list):
        if isinstance(arg, str):
            return any(isinstance(x, str) and x.lower() == arg.lower() for x in actual)
        return any(_equal(x, arg) for x in actual)
    if isinstance(actual, dict):
        return arg in actual
    return False
