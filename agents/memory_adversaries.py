"""Adversaries of memory probes: each games one shortcut, and the cells built to catch it must fail it.

They see the task as the audit's white box does (its checks hold the candidate values, the spec regenerates the
history), because a shortcut is only worth testing at its strongest:

- ``always_change``: the right value, and always a correction (caught by no-change controls);
- ``never_change``: the right value, and never a correction (caught by premise-resistance probes);
- ``latest_mention``: the candidate mentioned last in the history (caught by later past-tense recalls);
- ``first_mention``: the candidate mentioned first (caught by every changed state-resolution probe).
"""

from __future__ import annotations

import json
from typing import Any

from clawgym.agents.agent import Action, finish
from clawgym.envs.memory import scenario_for
from clawgym.envs.task import TaskSpec
from clawgym.envs.tasks.memory import ERRANDS
from clawgym.verifiers.answer import normalize

# adversary -> the probe kinds whose every task it must fail ("SR*": only probes of changed values)
CATCHES: dict[str, tuple[str, ...]] = {
    "always_change": ("control",), "never_change": ("PR",), "first_mention": ("SR*",), "latest_mention": (),
}
LATEST_MENTION_SR_CAP = 0.5  # latest-mention may pass at most this share of SR probes


class MemoryAdversary:
    """One shortcut (``strategy``): picks a value and decides about corrections without resolving the state."""

    def __init__(self, strategy: str) -> None:
        if strategy not in CATCHES:
            raise ValueError(f"unknown memory adversary {strategy!r}; known: {sorted(CATCHES)}")
        self.name = strategy
        self.plan: list[Action] = []

    def reset(self, task: TaskSpec, observation: str, info: dict[str, Any]) -> None:
        probe = next(c for c in task.checks if c.type == "memory_probe")
        value = self._value(task, probe.expected, probe.stale)  # type: ignore[attr-defined]
        claims = self.name == "always_change" or (self.name in ("latest_mention", "first_mention")
                                                  and probe.probe == "PR")  # type: ignore[attr-defined]
        corrections = [{"what": "it", "now": value}] if claims else []
        self.plan = [{"tool": "next_session", "args": {}}] * sum(s.tool == "next_session" for s in task.oracle)
        errand = getattr(probe, "errand", "")
        if errand:
            tool, field, payload = ERRANDS[errand]
            self.plan.append({"tool": tool, "args": {field: value, payload: "it"}})
        self.plan.append(finish(json.dumps({"answer": value, "corrections": corrections})))

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        return self.plan.pop(0) if len(self.plan) > 1 else self.plan[-1]

    def _value(self, task: TaskSpec, expected: list[str], stale: list[str]) -> str:
        if self.name in ("always_change", "never_change"):
            return expected[0]
        candidates = [*expected, *stale]
        order = [(_last if self.name == "latest_mention" else _first)(task, c) for c in candidates]
        seen = [(at, c) for at, c in zip(order, candidates) if at is not None]
        if not seen:
            return candidates[0]
        return (max(seen) if self.name == "latest_mention" else min(seen))[1]


def _mentions(task: TaskSpec, value: str) -> list[tuple[str, int]]:
    wanted = f" {normalize(value)} "
    return [(f"{s.at.isoformat()}", i) for i, s in enumerate(scenario_for(task).sessions)
            if wanted in f" {normalize(s.text)} "]


def _last(task: TaskSpec, value: str) -> tuple[str, int] | None:
    found = _mentions(task, value)
    return max(found) if found else None


def _first(task: TaskSpec, value: str) -> tuple[str, int] | None:
    found = _mentions(task, value)
    return min(found) if found else None
