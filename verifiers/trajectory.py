"""Trajectories: what an agent did in one episode, step by step, and the answer it gave.

The env records every step in this form; a trajectory is one JSON object, one line per episode in a JSONL file.

>>> t = Trajectory(task_id="demo")
>>> t.steps.append(Step(index=0, tool="mail.send", args={"to": ["a@b.co"]}, ok=True, observation="{}",
...                     at="2026-04-05T09:00:00"))
>>> t.answer = "done"
>>> Trajectory.from_json(t.to_json()) == t
True
>>> [s.index for s in t.called("mail.send", {"to": {"contains": "A@B.CO"}})]
[0]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from clawgym.verifiers.where import Where, matches

# Steps that are not operations of a service: the env's own actions.
PSEUDO_TOOLS = frozenset({"finish", "wait", "shell", "invalid"})


class Step(BaseModel):
    """One step: the tool called (an operation name, or finish/wait/shell/invalid), its arguments and outcome."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(ge=0)
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    ok: bool
    observation: str = ""
    error: str = ""
    at: str  # world time when the step ended, ISO 8601
    raw: str = ""  # the action text as received


class Trajectory(BaseModel):
    """The steps of one episode in order, and the final answer (None when the agent gave none)."""

    model_config = ConfigDict(extra="forbid")

    task_id: str = ""
    world_digest: str = ""
    steps: list[Step] = Field(default_factory=list)
    answer: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

    def called(self, tool: str, where: Where | None = None) -> list[Step]:
        """The successful steps that called ``tool`` with arguments matching ``where`` (see ``where.py``)."""
        return [s for s in self.steps if s.ok and s.tool == tool and (not where or matches(s.args, where))]

    def to_json(self) -> str:
        """One line of JSON."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str) -> Trajectory:
        """The inverse of ``to_json``; malformed text raises pydantic's ValidationError (a ValueError)."""
        return cls.model_validate_json(text)


def write_jsonl(path: str | Path, trajectories: Iterable[Trajectory]) -> None:
    """Write trajectories one per line."""
    Path(path).write_text("".join(t.to_json() + "\n" for t in trajectories))


def read_jsonl(path: str | Path) -> list[Trajectory]:
    """Read a file written by ``write_jsonl`` (blank lines are skipped)."""
    lines = Path(path).read_text().splitlines()
    return [Trajectory.from_json(line) for line in lines if line.strip()]
