"""TaskSpec: one task as a JSON file — the world it runs in, what the agent is told, and how it is scored.

>>> from clawgym.envs.task import load_task
>>> task = load_task("suite/history-0001.json")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from clawgym.errors import TaskError
from clawgym.verifiers.check import Check, parse_checks
from clawgym.worlds.family import family
from clawgym.worlds.operation import Device
from clawgym.worlds.spec import WorldSpec

Surface = Literal["api", "cli", "gui"]
Category = Literal[
    "history", "cross_service", "conflict", "proactive", "planning", "safety", "noise", "coordination", "cli", "gui",
    "memory",
]


class PlanStep(BaseModel):
    """One action of a reference plan; ``{"$step": k, "field": f}`` in args stands for step k's result field."""

    model_config = ConfigDict(extra="forbid")
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)


class ScheduledEvent(BaseModel):
    """An event that fires ``after_minutes`` into the episode (proactive tasks)."""

    model_config = ConfigDict(extra="forbid")
    after_minutes: int = Field(ge=1, le=7 * 24 * 60)
    op: str
    args: dict[str, Any] = Field(default_factory=dict)
    actor: str = "system"


class TaskMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: Category
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    services: list[str] = Field(default_factory=list)
    seed: int = 0
    template: str = ""
    split: Literal["train", "test"] = "train"
    world_digest: str = ""  # the digest of the world the task was generated on, to catch drift
    labels: dict[str, str] = Field(default_factory=dict, description="a family's own labels (memory: type, probe)")


class TaskSpec(BaseModel):
    """A task: world spec, instruction (or a proactive trigger), allowed reach, checks, oracle plan, metadata."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    family: str = Field(default="assistant", description="the world family (clawgym.worlds.family)")
    world: WorldSpec
    instruction: str | None = None
    trigger: str | None = Field(default=None, description="for proactive tasks: what the agent must notice (hidden)")
    apps: list[str] | None = None
    devices: list[Device] = Field(default_factory=lambda: ["phone", "laptop", "cloud"])
    surfaces: list[Surface] = Field(default_factory=lambda: ["api"])
    schedule: list[ScheduledEvent] = Field(default_factory=list)
    checks: list[Check] = Field(min_length=1)
    oracle: list[PlanStep] = Field(min_length=1)
    max_steps: int = Field(default=30, ge=1, le=500)
    presentation: dict[str, Any] = Field(default_factory=dict, description="how the family env shows the world "
                                         "(memory: mode context/tools/stream, scenario, target_tokens, depth)")
    meta: TaskMeta

    def model_post_init(self, _context: Any) -> None:
        if self.instruction is None and self.trigger is None:
            raise ValueError("a task needs an instruction, or a trigger for a proactive task")

    @field_validator("family")
    @classmethod
    def _known_family(cls, value: str) -> str:
        family(value)  # an unknown family raises ValueError naming the known ones
        return value

    @model_validator(mode="after")
    def _one_family(self) -> TaskSpec:
        if self.world.family != self.family:
            raise ValueError(f"a {self.family!r} task needs a {self.family!r} world, got world.family "
                             f"{self.world.family!r}")
        return self

    def save(self, directory: Path) -> Path:
        """Write ``<directory>/<id>.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.id}.json"
        path.write_text(self.model_dump_json(indent=1, exclude_none=True) + "\n")
        return path


def load_task(ref: TaskSpec | str | Path, tasks_dir: str | Path | None = None) -> TaskSpec:
    """A TaskSpec from itself, a task JSON path, or a task id in ``tasks_dir``; failures raise TaskError."""
    if isinstance(ref, TaskSpec):
        return ref
    path = Path(ref)
    if not path.suffix == ".json" or not path.exists():
        if tasks_dir is None or isinstance(ref, Path):
            if path.suffix == ".json":
                raise TaskError(f"{path}: no such task file")
            raise TaskError(f"unknown task {str(ref)!r}: give a task JSON path, or a task id with a tasks directory")
        path = Path(tasks_dir) / f"{ref}.json"
        if not path.exists():
            raise TaskError(f"unknown task id {str(ref)!r}: no {path.name} in {tasks_dir}")
    return parse_task(path.read_text(), source=str(path))


def parse_task(text: str, source: str = "<task>") -> TaskSpec:
    """A TaskSpec from JSON text; errors name the source and the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaskError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    try:
        task = TaskSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in e['loc']) or 'task'}': {e['msg']}" for e in exc.errors()[:5]
        )
        raise TaskError(f"{source}: invalid task: {problems}") from None
    try:
        # Unknown tables, columns and tools of the task's family fail now, not at an episode's end.
        parse_checks(task.checks, family(task.family))
    except TaskError as exc:
        raise TaskError(f"{source}: {exc}") from None
    return task


def load_suite(directory: str | Path) -> list[TaskSpec]:
    """Every task of a suite directory, in id order."""
    root = Path(directory)
    if not root.is_dir():
        raise TaskError(f"{root}: no such tasks directory")
    files = sorted(p for p in root.glob("*.json") if p.name != "suite.json")
    if not files:
        raise TaskError(f"{root}: holds no task files")
    return [load_task(p) for p in files]
