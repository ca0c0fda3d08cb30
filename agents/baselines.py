"""Baseline agents: the oracle (replays the task's reference plan), no-op, and random-but-valid calls."""

from __future__ import annotations

import random
from typing import Any

from clawgym.agents.agent import Action, finish
from clawgym.envs.task import TaskSpec
from clawgym.worlds.family import family
from clawgym.worlds.operation import Pick, Registry


def resolve_plan_args(args: Any, results: list[Any]) -> Any:
    """Replace ``{"$step": k, "field": f}`` by field ``f`` of step k's result (ids made during the episode)."""
    if isinstance(args, dict):
        if "$step" in args:
            result = results[args["$step"]]
            field = args.get("field")
            if isinstance(result, list):
                result = result[args.get("index", 0)]
            return result[field] if field else result
        return {k: resolve_plan_args(v, results) for k, v in args.items()}
    if isinstance(args, list):
        return [resolve_plan_args(v, results) for v in args]
    return args


class OracleAgent:
    """Follows the task's reference plan step by step: proves the task solvable."""

    name = "oracle"

    def __init__(self) -> None:
        self.plan: list[Any] = []
        self.results: list[Any] = []
        self._i = 0

    def reset(self, task: TaskSpec, observation: str, info: dict[str, Any]) -> None:
        self.plan = list(task.oracle)
        self.results = []
        self._i = 0

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        if self._i > 0:
            self.results.append(info.get("result"))
        if self._i >= len(self.plan):
            return finish("")
        step = self.plan[self._i]
        self._i += 1
        return {"tool": step.tool, "args": resolve_plan_args(step.args, self.results)}


class NoopAgent:
    """Does nothing and finishes at once: every task must fail it."""

    name = "noop"

    def reset(self, task: TaskSpec, observation: str, info: dict[str, Any]) -> None:
        pass

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        return finish("")


class RandomAgent:
    """Valid but aimless calls: random tools with plausible arguments, then a random answer."""

    name = "random"

    def __init__(self, seed: int = 0, steps: int = 8) -> None:
        self.rng = random.Random(seed)
        self.steps = steps
        self._left = steps
        self._tools: list[str] = []
        self._ops: Registry | None = None

    def reset(self, task: TaskSpec, observation: str, info: dict[str, Any]) -> None:
        self._left = self.steps
        # Operations only: surface tools (shell, GUI) have no registry example to draw arguments from.
        names = [t["function"]["name"] for t in info["tools"]]
        self._ops = family(task.family).operations
        self._tools = [n for n in names if n.replace("_", ".", 1) in self._ops]

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        if self._left <= 0 or not self._tools:
            return finish(str(self.rng.randint(1, 500)))
        self._left -= 1
        tool = self.rng.choice(self._tools)
        assert self._ops is not None
        op = self._ops.get(tool.replace("_", ".", 1))
        return {"tool": tool, "args": self._fill(op.example)}

    def _fill(self, value: Any) -> Any:
        if isinstance(value, Pick):
            return self.rng.randint(1, 60)
        if isinstance(value, dict):
            return {k: self._fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._fill(v) for v in value]
        return value
