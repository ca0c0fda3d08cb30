"""The ``api`` surface: every operation of the task's apps (of its family) as one tool, called on the world."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from clawgym.envs.surface import Outcome
from clawgym.envs.toolset import Toolset
from clawgym.errors import OperationError
from clawgym.worlds.family import family

if TYPE_CHECKING:
    from clawgym.envs.task import TaskSpec
    from clawgym.worlds.world import World


class ApiSurface:
    """Tool calls straight to operations: ``mail_send`` (or ``mail.send``) runs ``mail.send`` on the world."""

    name = "api"

    def __init__(self, max_observation_chars: int = 4000) -> None:
        self.max_observation_chars = max_observation_chars
        self.toolset: Toolset | None = None

    def bind(self, task: TaskSpec) -> None:
        """Fix the toolset for ``task`` (once per env: tools never change between its episodes)."""
        self.toolset = Toolset.of(family(task.family), task.apps, task.devices)

    def tools(self) -> list[dict[str, Any]]:
        assert self.toolset is not None, "bind(task) first"
        return self.toolset.schemas()

    def handles(self, tool: str) -> bool:
        return self.toolset is not None and self.toolset.get(tool) is not None

    def reset(self, world: World, task: TaskSpec) -> str:
        return ""

    def step(self, world: World, tool: str, args: dict[str, Any], index: int) -> Outcome:
        assert self.toolset is not None
        op = self.toolset.ops[tool]
        try:
            result = world.call(op.name, args)
        except OperationError as exc:
            return Outcome(f"error: {exc}", None, False, op.name, str(exc))
        text = json.dumps(result, ensure_ascii=False, separators=(",", ":"), default=str)
        return Outcome(truncate(text, self.max_observation_chars), result, True, op.name)

    def sync(self, world: World) -> None:
        """Nothing to bring back: every call already changed the world."""

    def close(self) -> None:
        """Nothing to release."""


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out and how to get less."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"…[truncated: {len(text) - limit} more characters; narrow the query or lower the limit]"
