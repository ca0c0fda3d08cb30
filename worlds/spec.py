"""What a world is built from: a seed, a time window and options. Same spec, same world, byte for byte."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator


class WorldSpec(BaseModel):
    """The recipe of a world; part of every task file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    family: str = Field(default="assistant", description="the kind of world (clawgym.worlds.family)")
    seed: int = 0
    months: int = Field(default=3, ge=1, le=24, description="length of the history window in months")
    start: date = Field(default=date(2026, 1, 5), description="first day of the history window")
    services: tuple[str, ...] | None = Field(default=None, description="services whose life is injected; all if omitted")
    extra_people: int = Field(default=0, ge=0, le=200, description="people beyond the 30+ default contacts")
    density: float = Field(default=1.0, gt=0, le=10, description="scales the volume of routine events")

    @model_validator(mode="after")
    def _known_family_and_services(self) -> WorldSpec:
        from clawgym.worlds.family import family

        known = family(self.family).services  # an unknown family raises ValueError naming the known ones
        if self.services is not None:
            unknown = [s for s in self.services if s not in known]
            if unknown:
                raise ValueError(f"unknown services {unknown} for the {self.family} family; known: {sorted(known)}")
            object.__setattr__(self, "services", tuple(sorted(set(self.services))))
        return self

    @property
    def window_start(self) -> datetime:
        return datetime.combine(self.start, time(0, 0))

    @property
    def window_end(self) -> datetime:
        return self.window_start + timedelta(days=round(30.44 * self.months))

    def key(self) -> str:
        """A short stable hash of the spec, for caches and file names."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]
