"""The world's simulated clock: the only source of world time (nothing reads the wall clock)."""

from __future__ import annotations

from datetime import datetime, timedelta

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def fmt(t: datetime) -> str:
    """A world timestamp as stored and shown: ISO 8601 to the second, sortable as text."""
    return t.isoformat(timespec="seconds")  # same text as TIME_FORMAT for naive times, several times faster


def parse(text: str) -> datetime:
    """The inverse of ``fmt``; also accepts dates and minutes-only times."""
    return datetime.fromisoformat(text)


class Clock:
    """Simulated time that only moves forward."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._iso = fmt(now)  # formatted once per move: operations stamp many records per minute

    @property
    def now(self) -> datetime:
        return self._now

    def iso(self) -> str:
        """Now, formatted as world timestamps are stored."""
        return self._iso

    def set(self, t: datetime) -> None:
        """Move to ``t``; moving backwards is a programming error."""
        if t < self._now:
            raise ValueError(f"the clock only moves forward: now {fmt(self._now)}, asked for {fmt(t)}")
        if t != self._now:
            self._now = t
            self._iso = fmt(t)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` and return the new time."""
        self.set(self._now + delta)
        return self._now
