"""The memory env: a memory task's history, shown in one of three ways the task chooses (``presentation``).

- ``context``: every session of the history, dated, in the first observation, padded with everyday sessions
  to ``target_tokens`` with the scenario's sessions around ``depth`` (0: the start, 1: the end);
- ``tools``: nothing up front; the agent searches the journal (``journal_search``, ``journal_read``);
- ``stream``: one session per ``next_session`` call, only the current one shown; the agent keeps what it needs
  in its bounded notebook; the request comes after the last session.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gymnasium

from clawgym.envs.env import MAX_TEXT, AnyText, WorldEnv
from clawgym.envs.step_limit import StepLimit
from clawgym.envs.surface import Outcome, Surface
from clawgym.envs.task import TaskSpec
from clawgym.errors import TaskError
from clawgym.worlds.memory.build import scenarios_of
from clawgym.worlds.memory.context import arrange_context, render_context
from clawgym.worlds.memory.scenario import Scenario, Session

if TYPE_CHECKING:
    from clawgym.worlds.world import World

MODES = ("context", "tools", "stream")
STREAM_TOKENS = 2500  # a stream is the scenario's sessions with a few everyday ones between them
REPLY_FORMAT = ('Finish with a JSON object: {"answer": "<your answer>", "corrections": [{"what": "<the fact>", '
                '"now": "<its current value>"}]}. List in corrections every fact the request takes for granted '
                'that is out of date; leave the list empty when none is.')
NEXT_SESSION = {
    "type": "function",
    "function": {
        "name": "next_session",
        "description": "Move on to the user's next conversation (earlier ones are gone from view: keep what "
                       "matters in your notebook). After the last one, the user's request arrives.",
        "parameters": {"type": "object", "properties": {}},
    },
}


def scenario_for(task: TaskSpec) -> Scenario:
    """The scenario a memory task probes, regenerated from its world spec; an unknown id is a TaskError."""
    wanted = task.presentation.get("scenario")
    found = next((s for s in scenarios_of(task.world) if s.id == wanted), None)
    if found is None:
        raise TaskError(f"task {task.id}: field 'presentation.scenario': {wanted!r} is not a scenario of its world")
    return found


def history(task: TaskSpec, target_tokens: int, depth: float) -> list[Session]:
    """The sessions a context or stream shows: the scenario's own among everyday ones, in time order."""
    spec = task.world
    return arrange_context(scenario_for(task).sessions, target_tokens=target_tokens, depths=depth, seed=spec.seed,
                           start=spec.start, months=spec.months)


class StreamSurface:
    """Sessions one at a time (``next_session``); after the last, the request."""

    name = "stream"

    def __init__(self, sessions: list[Session], request: str) -> None:
        self.sessions = sessions
        self.request = request
        self.shown = 0

    def tools(self) -> list[dict[str, Any]]:
        return [NEXT_SESSION]

    def handles(self, tool: str) -> bool:
        return tool == "next_session"

    def reset(self, world: World, task: TaskSpec) -> str:
        self.shown = 0
        return self._next()

    def step(self, world: World, tool: str, args: dict[str, Any], index: int) -> Outcome:
        if args:
            return Outcome(f"error: next_session takes no arguments, got {sorted(args)}", None, False)
        if self.shown > len(self.sessions):
            return Outcome("error: the history is over; answer the request above", None, False)
        return Outcome(self._next(), {"session": self.shown, "of": len(self.sessions)})

    def _next(self) -> str:
        self.shown += 1
        if self.shown > len(self.sessions):
            return f"[end of history]\n\nThe user's request: {self.request}"
        return f"[session {self.shown} of {len(self.sessions)}]\n{self.sessions[self.shown - 1].text}"

    def sync(self, world: World) -> None:
        """Nothing to bring back."""

    def close(self) -> None:
        """Nothing to release."""


class MemoryEnv(WorldEnv):
    """A memory probe in a memory world, presented as its task says."""

    family_name = "memory"

    def __init__(self, task: TaskSpec | str | Path, **kwargs: Any) -> None:
        self._stream: StreamSurface | None = None
        super().__init__(task, **kwargs)
        mode = self.task.presentation.get("mode")
        if mode not in MODES:
            raise TaskError(f"task {self.task.id}: field 'presentation.mode': expected one of {MODES}, got {mode!r}")
        self.mode: str = mode
        if mode == "context":  # a 150k-token context is ~600k characters: the space must hold it
            tokens = int(self.task.presentation.get("target_tokens", 8000))
            self.observation_space = AnyText(max(MAX_TEXT, 4 * tokens + 50_000))

    def extra_surfaces(self) -> list[Surface]:
        if self.task.presentation.get("mode") != "stream":
            return []
        sessions = history(self.task, STREAM_TOKENS, float(self.task.presentation.get("depth", 0.5)))
        self._stream = StreamSurface(sessions, self._request())
        return [self._stream]

    def intro(self, world: World) -> str:
        head = self.family.intro(world)
        if self.mode == "stream":
            return (f"{head}\n\nThe user's past conversations will come one at a time (next_session); only the "
                    "current one is shown. Keep what may matter later in your notebook. The request comes last.")
        if self.mode == "tools":
            return f"{head}\n\nTheir past conversations are in the journal (search and read them).\n\n{self._request()}"
        return f"{head}\n\n[their past conversations]\n{self._context}\n[end of conversations]\n\n{self._request()}"

    @functools.cached_property
    def _context(self) -> str:
        # The same text every episode of this task: rendered once per env, not on every reset (~30 ms at 150k).
        p, spec = self.task.presentation, self.task.world
        return render_context(scenario_for(self.task).sessions, target_tokens=int(p.get("target_tokens", 8000)),
                              depths=float(p.get("depth", 0.5)), seed=spec.seed, start=spec.start, months=spec.months)

    def _request(self) -> str:
        body = self.task.instruction or ""
        return body if self.task.meta.labels.get("probe") == "IPA" else f"{body}\n\n{REPLY_FORMAT}"


def make_memory(task: TaskSpec | str | Path, max_steps: int | None = None, **kwargs: Any) -> gymnasium.Env[Any, str]:
    """The registered entry point: a MemoryEnv inside its StepLimit."""
    return StepLimit(MemoryEnv(task, **kwargs), max_steps=max_steps)
