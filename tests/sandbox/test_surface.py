"""The CLI device in the env: one source of truth for files, claw over the socket, recovery from a dead sandbox."""

from __future__ import annotations

import asyncio

import pytest

from clawgym.envs.assistant import AssistantEnv
from clawgym.envs.sandbox.pool import WarmPool
from clawgym.envs.task import TaskSpec

TASK = TaskSpec.model_validate({
    "id": "cli-test", "world": {"seed": 3, "months": 1}, "instruction": "tidy up", "surfaces": ["api", "cli"],
    "checks": [{"type": "answer", "name": "a", "matcher": {"kind": "text", "expected": "x"}}],
    "oracle": [{"tool": "finish", "args": {"answer": "x"}}], "meta": {"category": "cli"}})
BACKENDS = ["local", pytest.param("docker", marks=pytest.mark.docker)]


def _sh(env: AssistantEnv, command: str) -> str:
    return env.step({"tool": "shell", "args": {"command": command}})[0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_shell_writes_reach_the_api_and_api_writes_reach_the_shell(backend: str) -> None:
    env = AssistantEnv(TASK, surface_options={"cli": {"sandbox": backend}})
    try:
        env.reset()
        _sh(env, "echo hello > Documents/new.txt; mkdir -p Archive/2026; mv Documents/budget.csv Archive/2026/")
        world = env.world
        assert world is not None
        assert world.call("files.read_file", {"path": "Documents/new.txt"})["content"] == "hello\n"
        row = world.store.select("file", {"path": world.call("files.stat", {"path": "Documents/new.txt"})["path"]})[0]
        assert row["origin"] == "agent:0"
        assert world.call("files.stat", {"path": "Archive/2026/budget.csv"})["size"] > 0
        env.step({"tool": "files_write_file", "args": {"path": "Documents/api.txt", "content": "from api\n"}})
        assert "from api" in _sh(env, "cat Documents/api.txt")
        out = _sh(env, "claw files read-file --path Documents/new.txt; claw --help | head -3")
        assert '"content": "hello\\n"' in out and "usage: claw" in out
        _sh(env, "rm -r Archive")
        assert not world.store.select("file", {"path": world.call("files.stat", {"path": "~"})["path"] + "/Archive"})
        env.reset()
        assert "new.txt" not in _sh(env, "ls Documents")
    finally:
        env.close()


@pytest.mark.docker
def test_killed_container_gives_a_clear_error_and_the_next_reset_recovers() -> None:
    env = AssistantEnv(TASK, surface_options={"cli": {"sandbox": "docker"}})
    try:
        env.reset()
        surface = env.surface("cli")
        surface.sandbox.container.kill()  # type: ignore[attr-defined]
        obs = _sh(env, "echo hi")
        assert obs.startswith("error: the laptop's sandbox stopped answering")
        env.reset()
        assert "[stdout]\nhi" in _sh(env, "echo hi")
    finally:
        env.close()


def test_observation_truncates_long_output_with_a_marker() -> None:
    env = AssistantEnv(TASK, surface_options={"cli": {"sandbox": "local", "max_output": 100}})
    try:
        env.reset()
        obs = _sh(env, "seq 1 100000")
        assert "[truncated:" in obs and "exit code: 0" in obs
    finally:
        env.close()


class _Fake:
    started = 0

    def start(self) -> None:
        _Fake.started += 1

    def close(self) -> None:
        pass


@pytest.mark.asyncio
async def test_warm_pool_hands_out_started_sandboxes_and_refills() -> None:
    pool = WarmPool(_Fake, size=2)
    await pool.fill()
    assert len(pool.ready) == 2
    first = await pool.acquire()
    assert isinstance(first, _Fake)
    await asyncio.sleep(0.05)
    assert len(pool.ready) == 2
    await pool.close()
    assert not pool.ready
