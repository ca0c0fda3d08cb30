"""What a world is built from: a seed, a time window and options. Same spec, same world, byte for byte."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator


class WorldSpec(BaseModel):
    """The recipe of a world; part of every task file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = 0
    months: int = Field(default=3, ge=1, le=24, description="length of the history window in months")
    start: date = Field(default=date(2026, 1, 5), description="first day of the history window")
    services: tuple[str, ...] | None = Field(default=None, description="services whose life is injected; all if omitted")
    extra_people: int = Field(default=0, ge=0, le=200, description="people beyond the 30+ default contacts")
    density: float = Field(default=1.0, gt=0, le=10, description="scales the volume of routine events")

    @field_validator("services")
    @classmethod
    def _known_services(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        from clawgym.worlds.services import SERVICES

        unknown = [s for s in value if s not in SERVICES]
        if unknown:
            raise ValueError(f"unknown services {unknown}; known: {sorted(SERVICES)}")
        return tuple(sorted(set(value)))

    @property
    def window_start(self) -> datetime:
        return datetime.combine(self.start, time(0, 0))

    @property
    def window_end(self) -> datetime:
        return self.window_start + timedelta(days=round(30.44 * self.months))

    def key(self) -> str:
        """A short stable hash of the spec, for caches and file names."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]
