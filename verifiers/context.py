"""What every check sees and is: the evaluation context (both worlds, the trajectory, their diff) and the base.

A family's own checks (``verifiers/probe.py``) subclass ``_Check`` and join the check union in ``check.py``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from clawgym.verifiers.diff import StateDiff, diff, source_image
from clawgym.verifiers.trajectory import Trajectory
from clawgym.verifiers.where import matches
from clawgym.worlds.database import snapshot_store
from clawgym.worlds.record import EventLog
from clawgym.worlds.store import Row
from clawgym.worlds.world import World
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from clawgym.worlds.family import Family

Tier = Literal["essential", "additional"]

class Context:
    """What checks look at: both worlds, the trajectory, and the diff between the worlds (computed once)."""

    def __init__(self, initial: World, final: World, trajectory: Trajectory) -> None:
        self.initial = initial
        self.final = final
        self.trajectory = trajectory
        self._event_made: dict[str, bool] = {}

    @cached_property
    def diff(self) -> StateDiff:
        return diff(self.initial, self.final)

    def rows(self, table: str, where: Mapping[str, Any], new_only: bool = False) -> list[Row]:
        """Rows of the final world matching ``where`` (only rows added since the initial world if ``new_only``)."""
        if new_only:
            return [r for r in self.diff.table(table).added if matches(r, where)]
        shape = self.final.store.shape(table)
        # Plain equalities on scalar columns narrow the query in SQL; everything is then checked in Python.
        exact = {c: v for c, v in where.items() if c not in shape.json_cols and isinstance(v, (str, int, float, bool))}
        return [r for r in self.final.store.select(table, exact) if matches(r, where)]

    @cached_property
    def baseline(self) -> World | None:
        """The initial world left alone until the final world's time, so the same scheduled events fired in it;
        None when no event fired during the episode (then the initial world is the baseline)."""
        log = self.diff.table("event_log")
        if not any("status" in c.columns for c in log.changed) or self.final.now <= self.initial.now:
            return None
        image = source_image(self.initial) or snapshot_store(self.initial.store)
        world = World.restore(image)
        world.advance(until=self.final.now)
        return world

    def world_did(self, table: str, key: Any, final_row: Row | None, ignored: Collection[str] = ()) -> bool:
        """Whether the world's own events, not the agent, explain a row's final state (None: removed)."""
        if self.baseline is None:
            return False
        row = self.baseline.store.get(table, key)
        if row is None or final_row is None:
            return row is final_row
        return all(row.get(c) == v for c, v in final_row.items() if c not in ignored)

    def close(self) -> None:
        """Release the baseline world, if one was made."""
        if self.__dict__.get("baseline") is not None:
            self.baseline.close()  # type: ignore[union-attr]

    def event_made(self, row: Row) -> bool:
        """Whether ``row`` was created by a world event (a scheduled email arriving), not by the agent."""
        origin = row.get("origin") or ""
        if not origin:
            return False
        if origin not in self._event_made:
            found = self.final.store.select(EventLog, {"eid": origin, "status": "applied"}, limit=1)
            self._event_made[origin] = bool(found)
        return self._event_made[origin]


class _Check(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="a sentence saying what is checked")
    tier: Tier = "essential"
    inaction_passes: bool | None = Field(default=None, description="set by verifier.labels, not by authors")

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        """Whether the check passes, and a line saying why."""
        raise NotImplementedError

    def problems(self, family: Family) -> list[str]:
        """What in the check names no table, column or tool of ``family``'s worlds."""
        return []


