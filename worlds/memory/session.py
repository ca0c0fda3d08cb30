"""A dated conversation between the user and the assistant: the unit a memory history is made of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Literal

Role = Literal[
    "establish", "update", "dependent_update", "past_mention", "namesake", "third_party", "filler", "control_mention"
]
ROLES: tuple[str, ...] = (
    "establish", "update", "dependent_update", "past_mention", "namesake", "third_party", "filler", "control_mention"
)
Speaker = Literal["user", "assistant"]
DAYS_PER_MONTH = 30.44  # the mean Gregorian month, so "months" spans the same time whatever the start


def window_of(start: date, months: int) -> tuple[datetime, datetime]:
    """The span a history covers: from midnight of ``start`` for ``months`` mean months; probes are asked at its end."""
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    origin = datetime(start.year, start.month, start.day)
    return origin, origin + timedelta(days=months * DAYS_PER_MONTH)


@dataclass(frozen=True)
class Session:
    """One conversation at ``at``; ``role`` says what it does to its scenario (``""`` for filler)."""

    at: datetime
    title: str
    turns: tuple[tuple[str, str], ...]
    role: Role
    scenario: str = ""

    @cached_property
    def text(self) -> str:
        """The session as a context shows it: a dated header, then one ``speaker: text`` line per turn."""
        lines = [f"### Session {self.at:%Y-%m-%d %H:%M} | {self.title}"]
        lines.extend(f"{speaker}: {said}" for speaker, said in self.turns)
        return "\n".join(lines)
