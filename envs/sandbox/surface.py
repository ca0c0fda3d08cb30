"""The CLI device: a ``shell`` tool on the user's laptop, in a sandbox whose home is the world's files.

>>> from clawgym.envs.assistant import AssistantEnv
>>> env = AssistantEnv("task.json", surface_options={"cli": {"sandbox": "local"}})  # doctest: +SKIP
>>> obs, info = env.reset()  # doctest: +SKIP
>>> obs, *_ = env.step({"tool": "shell", "args": {"command": "ls ~/Downloads | head"}})  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Literal

from clawgym.envs.sandbox.bridge import Bridge
from clawgym.envs.surface import Outcome
from clawgym.envs.sandbox.homesync import HomeSync, archive
from clawgym.envs.sandbox.protocol import ExecResult, Sandbox
from clawgym.errors import SandboxError

if TYPE_CHECKING:
    from clawgym.envs.task import TaskSpec
    from clawgym.worlds.world import World

Backend = Literal["docker", "local", "auto"]
SHELL_TOOL = {
    "type": "function",
    "function": {
        "name": "shell",
        "description": "Run a bash command line on the user's laptop (persistent shell: cd and variables carry over; "
                       "the home folder is the user's files). `claw --help` inside lists the apps you can call, e.g. "
                       "`claw mail search --query invoice`. Returns stdout, stderr and the exit code.",
        "parameters": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]},
    },
}


@functools.lru_cache(maxsize=1)
def _docker_answers() -> bool:
    from clawgym.envs.sandbox.docker_backend import available

    return available()


def resolve_backend(sandbox: Backend) -> Literal["docker", "local"]:
    """``auto`` is docker when an engine answers, else local."""
    if sandbox not in ("docker", "local", "auto"):
        raise ValueError(f"sandbox must be 'docker', 'local' or 'auto', got {sandbox!r}")
    if sandbox == "auto":
        return "docker" if _docker_answers() else "local"
    return sandbox


class ShellSurface:
    """The ``shell`` tool, bound to one sandbox that lives across resets (its home restored in place)."""

    name = "cli"

    def __init__(self, sandbox: Backend = "auto", *, timeout: float = 10.0, max_output: int = 4000,
                 pool_size: int = 1, image: str | None = None) -> None:
        self.backend = resolve_backend(sandbox)
        self.timeout = timeout
        self.max_output = max_output
        self.pool_size = pool_size
        self.image = image
        self.sandbox: Sandbox | None = None
        self.bridge: Bridge | None = None
        self.home: HomeSync | None = None
        self.broken = ""
        # The home tar of the last world spec: every reset restores the same cached snapshot, so it is built once.
        self._archive: tuple[str, tuple[str, bytes]] | None = None

    # -- sandbox lifecycle --------------------------------------------------------------------
    def _acquire(self) -> Sandbox:
        if self.backend == "local":
            from clawgym.envs.sandbox.local_backend import LocalSandbox

            local = LocalSandbox()
            local.start()
            return local
        from clawgym.envs.sandbox.docker_backend import DockerSandbox
        from clawgym.envs.sandbox.image import image_tag
        from clawgym.envs.sandbox.pool import acquire_sync, shared_pool

        image = self.image or image_tag()
        pool = shared_pool(f"docker:{image}", lambda: DockerSandbox(image), self.pool_size)
        return acquire_sync(pool)

    def _drop(self) -> None:
        if self.bridge is not None:
            self.bridge.close()
            self.bridge = None
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox = None

    def _prepare(self, world: World, task: TaskSpec) -> None:
        if self.sandbox is None:
            self.sandbox = self._acquire()
        if self.bridge is None:
            self.bridge = Bridge(self.sandbox.socket_dir)  # type: ignore[attr-defined]
        self.bridge.world, self.bridge.apps, self.bridge.active = world, task.apps, False
        key = task.world.model_dump_json()
        if self._archive is None or self._archive[0] != key:
            self._archive = (key, archive(world))
        user, data = self._archive[1]
        self.sandbox.load_home(user, data)
        self.sandbox.reset(user)
        self.home = HomeSync(world, self.sandbox)

    # -- Surface ------------------------------------------------------------------------------
    def tools(self) -> list[dict[str, Any]]:
        return [SHELL_TOOL]

    def handles(self, tool: str) -> bool:
        return tool == "shell"

    def reset(self, world: World, task: TaskSpec) -> str:
        self.broken = ""
        try:
            self._prepare(world, task)
        except SandboxError:
            self._drop()  # a dead or wedged sandbox: a fresh one from the pool
            self._prepare(world, task)
        assert self.home is not None
        return (f"[laptop] A shell is open in {self.home.box_home} (tool `shell`); the home folder holds the "
                "user's files. Inside, `claw --help` lists the apps you can reach.")

    def step(self, world: World, tool: str, args: dict[str, Any], index: int) -> Outcome:
        command = args.get("command")
        extra = set(args) - {"command"}
        if not isinstance(command, str) or not command.strip() or extra:
            return Outcome('error: shell needs {"command": "<a bash command line>"}'
                           + (f"; unknown field(s) {sorted(extra)}" if extra else ""), None, False)
        if self.broken:
            return Outcome(f"error: the laptop's sandbox is down ({self.broken}); reset the episode to get a new one",
                           None, False)
        assert self.sandbox is not None and self.bridge is not None and self.home is not None
        try:
            self.home.push(world)
            self.bridge.active = True
            try:
                result = self.sandbox.exec(command, timeout=self.timeout, cap=self.max_output)
            finally:
                self.bridge.active = False
            notes = self.home.pull(world)
        except SandboxError as exc:
            self.broken = str(exc)
            return Outcome(f"error: the laptop's sandbox stopped answering ({exc}). The shell is unavailable for the "
                           "rest of this episode; the next reset starts a fresh sandbox.", None, False)
        obs = self._observation(result, notes)
        info = {"exit_code": result.exit_code, "timed_out": result.timed_out, "cwd": result.cwd}
        return Outcome(obs, info, True)

    def _observation(self, r: ExecResult, notes: list[str]) -> str:
        parts = [f"exit code: {r.exit_code}" + (f" (killed: timed out after {self.timeout:g}s)" if r.timed_out else "")]
        for label, text, total in (("stdout", r.stdout, r.stdout_bytes), ("stderr", r.stderr, r.stderr_bytes)):
            if not total:
                continue
            kept = len(text.encode())
            more = f"\n…[truncated: {total - kept} more bytes of {label}; narrow the command, e.g. | head]" \
                if total > kept else ""
            parts.append(f"[{label}]\n{text}{more}")
        parts += [f"[note] {n}" for n in notes]
        return "\n".join(parts)

    def sync(self, world: World) -> None:
        if self.broken or self.home is None:
            return
        try:
            self.home.pull(world)
        except SandboxError as exc:
            self.broken = str(exc)

    def close(self) -> None:
        self._drop()
        self.home = None
