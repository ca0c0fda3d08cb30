"""The Agent protocol: what the runner, the audits and the trainer drive."""

from __future__ import annotations

from typing import Any, Protocol

from clawgym.envs.task import TaskSpec

Action = str | dict[str, Any]


class Agent(Protocol):
    """Anything that turns observations into tool calls for one task at a time."""

    name: str

    def reset(self, task: TaskSpec, observation: str, info: dict[str, Any]) -> None:
        """Start an episode: the task, the first observation and ``info`` (``info["tools"]``: OpenAI tools)."""

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        """The next action: ``{"tool": ..., "args": {...}}`` (or its JSON text, or an assistant message)."""


def finish(answer: str = "") -> dict[str, Any]:
    return {"tool": "finish", "args": {"answer": answer}}
