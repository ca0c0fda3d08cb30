"""16 Docker sandboxes at once: envs in threads, each stepping its own shell and claw, none failing."""

from __future__ import annotations

import threading

import pytest
from clawgym.envs.assistant import AssistantEnv
from clawgym.envs.sandbox.pool import close_pools
from clawgym.envs.task import TaskSpec

ENVS = 16
STEPS = 6
TASK = TaskSpec.model_validate({
    "id": "cli-concurrency", "world": {"seed": 3, "months": 1}, "instruction": "log", "surfaces": ["cli"],
    "devices": ["laptop"], "apps": ["files", "notes"],
    "checks": [{"type": "answer", "name": "a", "matcher": {"kind": "text", "expected": "x"}}],
    "oracle": [{"tool": "finish", "args": {"answer": "x"}}], "meta": {"category": "cli"}})


def _run(k: int, start: threading.Barrier, failures: list[str]) -> None:
    env = AssistantEnv(TASK, surface_options={"cli": {"sandbox": "docker"}})
    try:
        env.reset()
        start.wait(timeout=120)  # every sandbox is up: the steps below really overlap
        for s in range(STEPS):
            command = f"echo env{k}-{s} >> Documents/log.txt && tail -n1 Documents/log.txt"
            if s == STEPS - 1:
                command += f" && claw notes create --title env{k} --body done | grep -c env{k}"
            obs = env.step({"tool": "shell", "args": {"command": command}})[0]
            if not obs.startswith("exit code: 0") or f"env{k}-{s}" not in obs:
                failures.append(f"env {k} step {s}: {obs[:300]}")
        world = env.world
        assert world is not None
        log = world.call("files.read_file", {"path": "Documents/log.txt"})["content"].splitlines()
        if log != [f"env{k}-{s}" for s in range(STEPS)]:
            failures.append(f"env {k}: the world's log is {log}")
        if not world.store.select("note", {"title": f"env{k}"}):
            failures.append(f"env {k}: claw's note did not reach the world")
    except Exception as exc:  # noqa: BLE001 - one env's crash is reported with the others, not raised in a thread
        start.abort()
        failures.append(f"env {k}: {type(exc).__name__}: {exc}")
    finally:
        env.close()


@pytest.mark.docker
def test_sixteen_docker_sandboxes_step_concurrently_without_a_failure() -> None:
    failures: list[str] = []
    start = threading.Barrier(ENVS)
    threads = [threading.Thread(target=_run, args=(k, start, failures)) for k in range(ENVS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
    finally:
        close_pools()
    assert not any(t.is_alive() for t in threads), "an env thread hung"
    assert not failures, failures[:5]
