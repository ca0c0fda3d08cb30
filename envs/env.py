"""The env every family shares: an agent works on one task in one world through tool calls on its surfaces.

``reset`` restores the task's world from the cache and starts the surfaces; ``step`` parses one action, routes it
to the surface that handles it (the API, a shell, the screens, or a family's own), records it, lets time pass and
fires due events; the end (``finish``, or a step limit through ``conclude``) is verified. A family env adds only
its intro and observation extras (``AssistantEnv``, ``MemoryEnv``).

``info`` is small: at reset the tools (once), the limits and the family; every step its index, the world time
and the tool's result; at the end the verdict and the trajectory. Nothing a policy must not see (the checks,
the oracle, expected values) is in it.
"""

from __future__ import annotations

import difflib
import json
import string
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import gymnasium
from clawgym.envs.action import MalformedAction, ToolCall, parse_action
from clawgym.envs.api import ApiSurface
from clawgym.envs.surface import Outcome, Surface, load_surface
from clawgym.envs.task import TaskSpec, load_task
from clawgym.envs.toolset import FINISH, WAIT
from clawgym.envs.world_cache import CACHE, WorldCache
from clawgym.verifiers.trajectory import Step, Trajectory
from clawgym.verifiers.verdict import Verdict
from clawgym.verifiers.verifier import labels, verify
from clawgym.worlds.event import Event
from clawgym.worlds.family import Family, family
from clawgym.worlds.record import Notification
from clawgym.worlds.world import World
from gymnasium import spaces

from clawgym.errors import TaskError

MAX_TEXT = 200_000
PROACTIVE_INTRO = (
    "There is no request right now. You are the user's always-on assistant: watch the notifications "
    "(wait lets time pass), act on whatever needs acting on, and call finish when it is handled."
)


class AnyText(spaces.Text):
    """A text space that holds any string up to ``max_length`` (world text is not ASCII-only)."""

    def __init__(self, max_length: int = MAX_TEXT) -> None:
        super().__init__(max_length=max_length, min_length=0, charset=string.printable)

    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and len(x) <= self.max_length


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The smallest valid PNG (1x1, grey): what PngBytes.sample() returns.
_TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c63600000000200015ee9e5d70000000049454e44ae426082"
)


class PngBytes(spaces.Space[bytes]):
    """A screenshot: the bytes of one PNG image."""

    def __init__(self) -> None:
        super().__init__(shape=None, dtype=None)

    def contains(self, x: Any) -> bool:
        return isinstance(x, bytes) and x.startswith(PNG_MAGIC)

    def sample(self, mask: Any = None, probability: Any = None) -> bytes:
        return _TINY_PNG

    @property
    def is_np_flattenable(self) -> bool:
        return False


class WorldEnv(gymnasium.Env[Any, str]):
    """One task in one world: ``reset`` restores the world, ``step`` runs one tool call, the end is verified.

    A subclass names the family it serves (``family_name``); a task of another family is a TaskError.
    """

    metadata = {"render_modes": ["ansi"]}
    family_name: ClassVar[str | None] = None

    def __init__(
        self,
        task: TaskSpec | str | Path,
        *,
        tasks_dir: str | Path | None = None,
        step_minutes: int = 1,
        shaping: bool = False,
        max_observation_chars: int = 4000,
        render_mode: str | None = None,
        cache: WorldCache = CACHE,
        surface_options: dict[str, dict[str, Any]] | None = None,
        obs_mode: str = "text",
    ) -> None:
        if render_mode not in (None, "ansi"):
            raise ValueError(f"render_mode must be None or 'ansi', got {render_mode!r}")
        if step_minutes < 0:
            raise ValueError(f"step_minutes must be >= 0, got {step_minutes}")
        if obs_mode not in ("text", "screenshot"):
            raise ValueError(f"obs_mode must be 'text' or 'screenshot', got {obs_mode!r}")
        self.task = load_task(task, tasks_dir)
        if self.family_name is not None and self.task.family != self.family_name:
            raise TaskError(f"task {self.task.id}: field 'family': {self.task.family!r} tasks do not run in the "
                            f"{self.family_name} env; use clawgym.make(task) or {family(self.task.family).env_id}")
        self.family: Family = family(self.task.family)
        if obs_mode == "screenshot" and "gui" not in self.task.surfaces:
            raise ValueError(f"obs_mode='screenshot' needs a task with the gui surface; {self.task.id} has "
                             f"{self.task.surfaces}")
        self.surfaces: list[Surface] = self._surfaces(surface_options or {}, max_observation_chars)
        self._tools = [t for s in self.surfaces for t in s.tools()] + [WAIT, FINISH]  # fixed per task
        self.step_minutes = step_minutes
        self.shaping = shaping
        self.max_observation_chars = max_observation_chars
        self.render_mode = render_mode
        self.cache = cache
        self.obs_mode = obs_mode
        # With screenshots the observation is a dict: the text, and a PNG of the current device's screen.
        self.observation_space: spaces.Space[Any] = (
            spaces.Dict({"text": AnyText(), "screenshot": PngBytes()}) if obs_mode == "screenshot" else AnyText()
        )
        self.action_space = AnyText()
        self.world: World | None = None
        self.trajectory = Trajectory(task_id=self.task.id)
        self.verdict: Verdict | None = None
        self._start: bytes = b""  # the cached snapshot the episode started from (task events come on top)
        self._seen_notification = 0
        self._score = 0.0
        self._last_obs = ""

    def _surfaces(self, options: dict[str, dict[str, Any]], max_chars: int) -> list[Surface]:
        """The task's surfaces in routing order, then the family env's own (``extra_surfaces``)."""
        surfaces: list[Surface] = []
        for name in self.task.surfaces:
            if name == "api":
                api = ApiSurface(max_chars, **options.get("api", {}))
                api.bind(self.task)
                surfaces.append(api)
            else:
                surfaces.append(load_surface(name, **options.get(name, {})))
        return surfaces + self.extra_surfaces()

    def surface(self, name: str) -> Surface:
        """The task's surface called ``name`` (``api``, ``cli``, ``gui``, or a family's own)."""
        found = next((s for s in self.surfaces if s.name == name), None)
        if found is None:
            raise KeyError(f"task {self.task.id} has no {name!r} surface; it has {[s.name for s in self.surfaces]}")
        return found

    def extra_surfaces(self) -> list[Surface]:
        """Surfaces a family env adds to every task (a memory stream's ``next_session``); none by default."""
        return []

    # -- gymnasium API ---------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        if self.world is not None:
            self.world.close()
        digest = self.cache.digest(self.task.world)
        expected = self.task.meta.world_digest
        if expected and digest != expected:
            raise TaskError(
                f"task {self.task.id}: field 'meta.world_digest': the world built from its spec ({digest[:12]}) is not "
                f"the one the task was generated on ({expected[:12]}); regenerate the task for this clawgym version"
            )
        self._start = self.cache.snapshot(self.task.world)
        world = World.restore(self._start)
        self._schedule_task_events(world)
        self.world = world
        if any(c.inaction_passes is None for c in self.task.checks):
            # Hand-written tasks: label the checks a do-nothing agent passes, once (they gate, earn no credit).
            self.task = self.task.model_copy(update={"checks": labels(self.task.checks, world)})
        self.trajectory = Trajectory(task_id=self.task.id, world_digest=digest)
        self.verdict = None
        self._score = 0.0
        self._seen_notification = int(world.store.scalar("SELECT COALESCE(MAX(id), 0) FROM notification"))
        obs = self.intro(world)
        for surface in self.surfaces:
            extra = surface.reset(world, self.task)
            if extra:
                obs += f"\n\n{extra}"
        self._last_obs = obs
        info = {**self._info(), "tools": self._tools, "family": self.family.name, "max_steps": self.task.max_steps}
        return self._observe(obs), info

    def step(self, action: str | dict[str, Any]) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        if self.world is None:
            raise gymnasium.error.ResetNeeded("call reset() before step()")
        if self.verdict is not None:
            raise gymnasium.error.ResetNeeded("the episode has ended (finish was called); call reset()")
        world = self.world
        index = len(self.trajectory.steps)
        terminated = waited = False  # a wait moves the clock itself; every other step lets step_minutes pass
        result: Any = None
        try:
            call = parse_action(action)
        except MalformedAction as exc:
            raw = action if isinstance(action, str) else json.dumps(action, default=str)
            obs = str(exc)
            self._record(index, "invalid", {}, False, obs, obs, raw)
        else:
            if call.tool == "finish":
                answer = call.args.get("answer", "")
                self.trajectory.answer = answer if isinstance(answer, str) else json.dumps(answer)
                obs = "Task finished."
                self._record(index, "finish", call.args, True, obs, "", call.raw)
                terminated = True
            elif call.tool == "wait":
                obs, waited = self._wait(world, call)
                self._record(index, "wait", call.args, waited, obs, "" if waited else obs, call.raw)
            else:
                obs, result = self._route(world, call, index)
        if not terminated and not waited:
            world.advance(timedelta(minutes=self.step_minutes))
        obs = self.observe_extras(world, self._with_notifications(world, obs))
        self._last_obs = obs
        reward = 0.0
        if terminated:
            # With shaping, step rewards already paid the progress so far: the end pays the rest.
            reward = self.conclude().score - (self._score if self.shaping else 0.0)
        elif self.shaping:
            reward = self._shaped_reward()
        info = self._info()
        info["result"] = result
        if self.verdict is not None:
            info.update(self.ending())
        return self._observe(obs), reward, terminated, False, info

    def render(self) -> str | None:
        return self._last_obs if self.render_mode == "ansi" else None

    def close(self) -> None:
        for surface in self.surfaces:
            surface.close()
        if self.world is not None:
            self.world.close()
            self.world = None

    # -- ending ----------------------------------------------------------------------------
    def conclude(self) -> Verdict:
        """Verify the episode as it stands (on finish, or when a step limit truncates it)."""
        if self.world is None:
            raise gymnasium.error.ResetNeeded("call reset() before conclude()")
        if self.verdict is None:
            for surface in self.surfaces:
                surface.sync(self.world)
            self.verdict = self._evaluate()
        return self.verdict

    def ending(self) -> dict[str, Any]:
        """What ``info`` carries once the episode is verified: the verdict and the whole trajectory."""
        return {"verdict": self.conclude(), "trajectory": self.trajectory}

    def _evaluate(self) -> Verdict:
        # The verifier compares against the start world (advanced to the same moment when events fired).
        assert self.world is not None
        initial = World.restore(self._start)
        self._schedule_task_events(initial)  # the start as the episode saw it, task events included
        try:
            return verify(self.task.checks, initial, self.world, self.trajectory)
        finally:
            initial.close()

    def _shaped_reward(self) -> float:
        score = self._evaluate().score
        delta, self._score = score - self._score, score
        return delta

    # -- steps -----------------------------------------------------------------------------
    def _route(self, world: World, call: ToolCall, index: int) -> tuple[str, Any]:
        """Run a tool call on the first surface that handles it, and record it."""
        surface = next((s for s in self.surfaces if s.handles(call.tool)), None)
        if surface is None:
            names = [t["function"]["name"] for t in self._tools]
            close = difflib.get_close_matches(call.tool, names, n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(close)}?" if close else " The tools are listed in info['tools']."
            obs = f"error: unknown tool {call.tool!r}.{hint}"
            self._record(index, call.tool, call.args, False, obs, obs, call.raw)
            return obs, None
        world.store.origin = f"agent:{index}"  # provenance: records the agent made, step by step
        try:
            out: Outcome = surface.step(world, call.tool, call.args, index)
        finally:
            world.store.origin = ""
        obs = out.observation
        if out.ok and call.note:
            obs += f"\n(note: {call.note})"
        error = "" if out.ok else (out.error if out.error is not None else out.observation)
        self._record(index, out.tool or call.tool, call.args, out.ok, obs, error, call.raw)
        return obs, out.result

    def _wait(self, world: World, call: ToolCall) -> tuple[str, bool]:
        minutes = call.args.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 1440:
            return f"error: wait needs {{\"minutes\": an integer from 1 to 1440}}, got {minutes!r}", False
        fired = world.advance(timedelta(minutes=minutes))
        return f"Waited {minutes} minutes; it is now {world.iso_now()}. {len(fired)} new event(s).", True

    def _record(self, index: int, tool: str, args: dict[str, Any], ok: bool, obs: str, error: str, raw: str) -> None:
        assert self.world is not None
        self.trajectory.steps.append(
            Step(index=index, tool=tool, args=args, ok=ok, observation=obs, error=error, at=self.world.iso_now(), raw=raw)
        )

    def _with_notifications(self, world: World, obs: str) -> str:
        rows = world.store.query(Notification, "id > ? ORDER BY id", (self._seen_notification,))
        if not rows:
            return obs
        self._seen_notification = rows[-1]["id"]
        shown = rows[-5:]
        lines = [f"- [{r['at']}] {r['app']}: {r['title']}" + (f" — {r['body'][:120]}" if r["body"] else "") for r in shown]
        more = f" ({len(rows) - len(shown)} older not shown)" if len(rows) > len(shown) else ""
        return obs + f"\n\n[new notifications{more}]\n" + "\n".join(lines)

    # -- observations ----------------------------------------------------------------------
    def intro(self, world: World) -> str:
        """The first observation: the family's opening line, the request (or the proactive brief), notifications."""
        body = self.task.instruction if self.task.instruction is not None else PROACTIVE_INTRO
        latest = world.notifications(limit=5)
        lines = "\n".join(f"- [{r['at']}] {r['app']}: {r['title']}" for r in latest)
        return f"{self.family.intro(world)}\n\n{body}" + (f"\n\n[latest notifications]\n{lines}" if lines else "")

    def observe_extras(self, world: World, obs: str) -> str:
        """A family env's additions to every step's observation; none by default."""
        return obs

    def _observe(self, text: str) -> Any:
        if self.obs_mode != "screenshot":
            return text
        return {"text": text, "screenshot": self.surface("gui").screenshot()}  # type: ignore[attr-defined]

    def _info(self) -> dict[str, Any]:
        assert self.world is not None
        return {"task_id": self.task.id, "step": len(self.trajectory.steps), "now": self.world.iso_now()}

    def _schedule_task_events(self, world: World) -> None:
        start = world.now
        world.schedule(
            Event(start + timedelta(minutes=e.after_minutes), e.actor, e.op, e.args, 99, "seed", f"task.{i}")
            for i, e in enumerate(self.task.schedule)
        )
