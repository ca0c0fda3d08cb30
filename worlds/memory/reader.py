"""Validated reads from a decoded JSON record: every error names the source, the field and the accepted form.

>>> Reader("t1.json").string({"M_old": 3}, "M_old")
Traceback (most recent call last):
ValueError: t1.json: M_old: expected a non-empty string, got 3
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NoReturn

_SPEAKERS = ("user", "assistant")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class Reader:
    """Reads fields of one record named ``source``; a wrong field raises ``ValueError`` saying what was expected."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, accepted: str, got: object) -> NoReturn:
        raise ValueError(f"{self.source}: {path}: expected {accepted}, got {_show(got)}")

    def _get(self, obj: Any, key: str | int, path: str, accepted: str) -> Any:
        try:
            return obj[key]
        except (KeyError, IndexError):
            raise ValueError(f"{self.source}: {path} is missing; expected {accepted}") from None
        except TypeError:  # the container itself has the wrong shape
            self.fail(path, accepted, obj)

    def mapping(self, value: object, path: str, accepted: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, accepted, value)
        return value

    def items(self, obj: Any, key: str, accepted: str, *, path: str | None = None) -> list[Any]:
        return self.items_at(self._get(obj, key, path or key, accepted), path or key, accepted)

    def items_at(self, value: object, path: str, accepted: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, accepted, value)
        return value

    def string(self, obj: Any, key: str | int, *, path: str | None = None, empty: bool = False) -> str:
        accepted = "a string" if empty else "a non-empty string"
        value = self._get(obj, key, path or str(key), accepted)
        if not isinstance(value, str) or not (empty or value.strip()):
            self.fail(path or str(key), accepted, value)
        return value

    def strings(self, obj: Any, key: str, *, path: str | None = None) -> tuple[str, ...]:
        values = self.items(obj, key, "a list of strings", path=path)
        if not all(isinstance(v, str) for v in values):
            self.fail(path or key, "a list of strings", values)
        return tuple(values)

    def flag(self, obj: Any, key: str, *, path: str | None = None) -> bool:
        value = self._get(obj, key, path or key, "true or false")
        if not isinstance(value, bool):
            self.fail(path or key, "true or false", value)
        return value

    def choice(self, obj: Any, key: str, options: Sequence[str], *, path: str | None = None) -> str:
        accepted = "one of " + ", ".join(repr(o) for o in options)
        value = self._get(obj, key, path or key, accepted)
        if value not in options:
            self.fail(path or key, accepted, value)
        return str(value)

    def moment(self, obj: Any, key: str | int, *, path: str | None = None) -> datetime:
        accepted = "an ISO 8601 date and time, like '2025-03-14 09:30'"
        value = self._get(obj, key, path or str(key), accepted)
        try:
            return datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(path or str(key), accepted, value)

    def turn(self, value: object, path: str) -> tuple[str, str]:
        """One ``{"role": "user" | "assistant", "content": str}`` turn."""
        turn = self.mapping(value, path, 'an object {"role": "user" | "assistant", "content": string}')
        role = self.choice(turn, "role", _SPEAKERS, path=f"{path}.role")
        return role, self.string(turn, "content", path=f"{path}.content", empty=True)
