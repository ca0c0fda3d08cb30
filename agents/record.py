"""The episode record: one episode of one agent on one task, as a run writes it and every consumer reads it.

Runs append one record per line to ``RUN_DIR/trajectories.jsonl``; audits, replay, summaries and ``clawgym score``
read the same model, so a field is named and typed in one place.

>>> from clawgym.verifiers.trajectory import Trajectory
>>> r = EpisodeRecord(task_id="t", category="history", agent="noop", trajectory=Trajectory(task_id="t"))
>>> EpisodeRecord.model_validate_json(r.model_dump_json()) == r
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clawgym.verifiers.trajectory import Trajectory
from clawgym.verifiers.verdict import Verdict
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Timings(BaseModel):
    """Where an episode's time went, in seconds (``steps``: actions taken)."""

    model_config = ConfigDict(extra="forbid")
    reset_s: float = 0.0
    env_s: float = 0.0
    agent_s: float = 0.0
    steps: int = 0
    total_s: float = 0.0


class EpisodeRecord(BaseModel):
    """One episode: which task and agent, the actions as sent, the trajectory, the verdict and the reward."""

    model_config = ConfigDict(extra="forbid")

    task_id: str
    family: str = "assistant"
    category: str
    labels: dict[str, str] = Field(default_factory=dict)  # the task's family labels (memory: type, probe)
    episode: int = 0
    agent: str
    world_digest: str = ""
    actions: list[Any] = Field(default_factory=list)  # exactly what the agent sent: replay sends them again
    trajectory: Trajectory
    answer: str | None = None
    reward: float = 0.0
    score: float = 0.0
    passed: bool = False
    verdict: Verdict | None = None
    timings: Timings = Field(default_factory=Timings)
    error: str | None = None  # the agent crashed (an endpoint down): the episode is marked, never passed
    usage: dict[str, Any] | None = None

    def line(self) -> str:
        """The record as one line of JSON."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, default=str)


def read_records(path: Path) -> list[EpisodeRecord]:
    """Episode records of a trajectories file; a torn last line (a crash mid-write) is skipped."""
    records = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            if i != len(lines) - 1:
                raise ValueError(f"{path}: line {i + 1} is not valid JSON") from None
            continue
        try:
            records.append(EpisodeRecord.model_validate(data))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "record"
            raise ValueError(f"{path}: line {i + 1}: field '{field}': {err['msg']}") from None
    return records
