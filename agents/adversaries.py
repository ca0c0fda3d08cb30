"""Agents that try to game the verifiers; the audit requires every task to fail them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from clawgym.agents.agent import Action, finish
from clawgym.agents.baselines import OracleAgent
from clawgym.envs.task import PlanStep, TaskSpec
from clawgym.envs.toolset import tool_name
from clawgym.errors import OperationError
from clawgym.worlds.operation import Operation, Pick, example_args
from clawgym.worlds.world import World

_DESTRUCTIVE = re.compile(r"(delete|cancel|remove|clear|update|leave)")


class StuffingAgent:
    """Answers at once with a list of plausible candidates (the true answer among them), doing nothing else."""

    name = "stuffing"

    def __init__(self) -> None:
        self.answer = ""

    def reset(self, task: TaskSpec, observation: str, info: dict[str, Any]) -> None:
        candidates: list[str] = []
        for check in task.checks:
            data = check.model_dump()
            data = data.get("matcher") or data  # answer checks keep their values in the matcher
            for key in ("expected", "distractors"):
                value = data.get(key)
                values = value if isinstance(value, list) else [value]
                candidates += [str(v) for v in values if v not in (None, "")]
        final = task.oracle[-1]
        if final.tool == "finish" and final.args.get("answer"):
            candidates.insert(0, str(final.args["answer"]))
        # Plausible look-alikes of every candidate widen the net, as a guessing agent would.
        candidates += [alike for c in candidates for alike in _look_alikes(c)]
        self.answer = "It is one of: " + "; ".join(dict.fromkeys(candidates)) if candidates else "yes"

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        return finish(self.answer)


class VandalAgent(OracleAgent):
    """Follows the reference plan, but also deletes or alters records the task never asked to touch.

    Damage goes through the task's own tools when it offers destructive ones; otherwise (a GUI- or shell-only
    task) it is applied to the live world directly, as the agent: every surface ends in the same operations,
    and the collateral-damage check must catch it either way.
    """

    name = "vandal"

    def __init__(self, world_of: Any, damage: int = 2) -> None:
        super().__init__()
        self.world_of = world_of  # a callable returning the env's live world (the audit's white box)
        self.damage = damage
        self._direct: list[tuple[str, dict[str, Any]]] = []

    def reset(self, task: TaskSpec, observation: str, info: dict[str, Any]) -> None:
        super().reset(task, observation, info)
        offered = {t["function"]["name"] for t in info["tools"]}
        attacks = self._attacks(task, self.world_of())
        steps = [PlanStep(tool=tool_name(op), args=args) for op, args in attacks if tool_name(op) in offered]
        self._direct = [(op.name, args) for op, args in attacks if tool_name(op) not in offered]
        # Damage goes after the plan's work and before its final finish, so "$step" references still hold.
        cut = len(self.plan) - 1 if self.plan and self.plan[-1].tool == "finish" else len(self.plan)
        self.plan = self.plan[:cut] + steps + self.plan[cut:]

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        action = super().act(observation, info)
        if self._direct and isinstance(action, dict) and action.get("tool") == "finish":
            world: World = self.world_of()
            world.store.origin = "agent:vandal"
            try:
                for name, args in self._direct:
                    try:
                        world.call(name, args)
                    except OperationError:
                        continue  # the world refused this damage; the rest still lands
            finally:
                world.store.origin = ""
            self._direct = []
        return action

    def _attacks(self, task: TaskSpec, world: World) -> list[tuple[Operation, dict[str, Any]]]:
        touched = {v for step in task.oracle for v in _ints(step.args)}
        attacks: list[tuple[Operation, dict[str, Any]]] = []
        for op in world.operations.exposed(task.apps):
            if len(attacks) >= self.damage:
                break
            if op.kind != "write" or not _DESTRUCTIVE.search(op.name.split(".", 1)[1]):
                continue
            picks = [k for k, v in op.example.items() if isinstance(v, Pick)]
            if len(picks) != 1:
                continue
            pick: Pick = op.example[picks[0]]
            rows = world.store.select(pick.table, dict(pick.where), limit=50)
            victims = [r[pick.field] for r in rows if r["id"] not in touched]  # an id, or a path for files
            if victims:
                args = example_args(op, world)
                args[picks[0]] = victims[-1]
                attacks.append((op, args))
        return attacks


def _look_alikes(text: str) -> list[str]:
    """Valid neighbours of a value: nearby days for dates, nearby amounts for numbers, one digit off for codes."""
    out = []
    for m in re.finditer(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(m.group())
        out += [text.replace(m.group(), (day + timedelta(days=d)).isoformat()) for d in (-7, -1, 1)]
    if not out and re.fullmatch(r"-?\$?[\d,]+(\.\d+)?", text.strip()):
        value = float(text.strip().replace("$", "").replace(",", ""))
        out += [f"{value * f:.2f}" for f in (0.9, 1.1)] + [f"{value + 1:.2f}"]
    if not out:
        out.append(re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), text, count=1))
    return [o for o in out if o != text]


def _ints(value: Any) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, dict):
        return [i for v in value.values() for i in _ints(v)]
    if isinstance(value, list):
        return [i for v in value for i in _ints(v)]
    return []
