"""Sandbox benchmark: the persistent shell, the sandbox reset, and 16 concurrent Docker sandboxes, in one run.

- shell: one command (``true``) through the persistent shell of a started container, against a fresh
  ``docker exec`` of the same command in the same container (what a sandbox without a persistent shell pays);
- reset: ``env.reset`` of a CLI task (world restored from the cache, home restored in place through the
  persistent shell of a warm container) after a step that dirtied the home, and the sandbox's ``reset`` alone,
  against starting a fresh container (what a reset without the warm pool and in-place restore pays);
- scale: 16 envs with Docker sandboxes stepping concurrently in threads on this machine; every step must
  answer with exit code 0 and its own output.

Usage: ``python bench/sandbox.py [--n 200] [--json]`` (``--json``: one JSON object on the last line, key
``shell_vs_exec_ratio`` = fresh docker exec time / persistent-shell command time). Needs a Docker engine and
the sandbox image (``bash scripts/setup-docker.sh``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from typing import Any

from clawgym.envs.assistant import AssistantEnv
from clawgym.envs.sandbox.docker_backend import USER, DockerSandbox
from clawgym.envs.sandbox.pool import close_pools
from clawgym.envs.task import TaskSpec
from measure import figure, p50_us

CONCURRENT = 16


def task(seed: int = 7) -> TaskSpec:
    return TaskSpec.model_validate({
        "id": f"bench-cli-{seed}", "world": {"seed": seed, "months": 1}, "instruction": "bench",
        "surfaces": ["cli"], "devices": ["laptop"],
        "checks": [{"type": "answer", "name": "x", "matcher": {"kind": "text", "expected": "x"}}],
        "oracle": [{"tool": "finish", "args": {"answer": "x"}}], "meta": {"category": "cli"}})


def shell_figures(n: int) -> dict[str, Any]:
    box = DockerSandbox()
    box.start()
    try:
        box.reset("bench")
        shell_us = p50_us(lambda i: box.exec("true"), n)
        api = box.client.api

        def fresh_exec(i: int) -> None:
            exec_id = api.exec_create(box.container.id, ["true"], user=USER)
            api.exec_start(exec_id)
            if api.exec_inspect(exec_id)["ExitCode"] != 0:
                raise RuntimeError("docker exec of `true` failed")

        exec_us = p50_us(fresh_exec, max(10, n // 10))
    finally:
        box.close()
    return {"shell_us": shell_us, "exec_us": exec_us}


def reset_figures(n: int) -> dict[str, Any]:
    env = AssistantEnv(task(), surface_options={"cli": {"sandbox": "docker", "pool_size": 2}})
    try:
        env.reset()
        surface: Any = env.surface("cli")
        user = surface.home.user
        env_ms, box_ms = [], []
        for i in range(n):
            # Dirty the home (and the world through the sync) so each reset has something to undo.
            env.step({"tool": "shell", "args": {"command": f"echo {i} > Documents/bench.txt; rm -f Documents/budget.csv"}})
            t = time.perf_counter()
            env.reset()
            env_ms.append((time.perf_counter() - t) * 1000)
            surface.sandbox.exec(f"echo {i} > /home/{user}/dirty.txt")
            t = time.perf_counter()
            surface.sandbox.reset(user)
            box_ms.append((time.perf_counter() - t) * 1000)
        check = env.step({"tool": "shell", "args": {"command": "test -f Documents/budget.csv && ls dirty.txt"}})[0]
        if "exit code: 2" not in check and "No such file" not in check:
            raise RuntimeError(f"reset did not restore the home: {check}")
    finally:
        env.close()
    starts = []
    for _ in range(max(3, n // 10)):
        t = time.perf_counter()
        fresh = DockerSandbox()
        fresh.start()
        fresh.reset("bench")
        starts.append((time.perf_counter() - t) * 1000)
        fresh.close()
    return {"env_reset_ms": statistics.median(env_ms), "sandbox_reset_ms": statistics.median(box_ms),
            "fresh_start_ms": statistics.median(starts)}


def concurrent_steps(envs: int = CONCURRENT, steps: int = 10) -> dict[str, Any]:
    """``envs`` envs, one thread each, every step a shell command whose output is checked."""
    failures: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(envs)

    def run(k: int) -> None:
        env = AssistantEnv(task(seed=7 + 2 * k), surface_options={"cli": {"sandbox": "docker"}})
        try:
            env.reset()
            ready.wait(timeout=300)
            for s in range(steps):
                obs = env.step({"tool": "shell", "args": {
                    "command": f"echo env{k}-{s} >> Documents/log.txt && tail -n1 Documents/log.txt && ls | wc -l"}})[0]
                if not obs.startswith("exit code: 0") or f"env{k}-{s}" not in obs:
                    with lock:
                        failures.append(f"env {k} step {s}: {obs[:200]}")
            lines = env.world.call("files.read_file", {"path": "Documents/log.txt"})["content"].splitlines()  # type: ignore[union-attr]
            if lines != [f"env{k}-{s}" for s in range(steps)]:
                with lock:
                    failures.append(f"env {k}: the world's log.txt is {lines[:3]}...")
        except Exception as exc:  # noqa: BLE001 - any crash of one env is a failure to report, not a reason to stop the others
            with lock:
                failures.append(f"env {k}: {type(exc).__name__}: {exc}")
        finally:
            env.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(envs)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return {"envs": envs, "steps": envs * steps, "failures": len(failures), "seconds": time.perf_counter() - t,
            "first_failures": failures[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="repetitions of the shell figure (resets: n / 5)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    opts = parser.parse_args()

    sh = shell_figures(opts.n)
    rs = reset_figures(max(5, opts.n // 5))
    close_pools()
    sc = concurrent_steps()
    close_pools()

    ratio = sh["exec_us"] / sh["shell_us"]
    figures = {
        "shell_vs_exec_ratio": round(ratio, 2),
        "shell": figure(sh["shell_us"] / 1000, "ms p50", ">= 50x faster than a fresh docker exec", ratio >= 50,
                        {"fresh_docker_exec_ms": sh["exec_us"] / 1000}, ratio, "fresh docker exec / persistent shell"),
        "reset": figure(rs["env_reset_ms"], "ms p50", "<= 25 ms (home restored + world restored)",
                        rs["env_reset_ms"] <= 25, {"sandbox_reset_only_ms": rs["sandbox_reset_ms"],
                                                   "fresh_container_start_ms": rs["fresh_start_ms"]},
                        rs["fresh_start_ms"] / rs["env_reset_ms"], "fresh container start / env reset"),
        "concurrent": {"envs": sc["envs"], "steps": sc["steps"], "failures": sc["failures"],
                       "seconds": round(sc["seconds"], 2), "target": f"{CONCURRENT} sandboxes, 0 failures",
                       "ok": sc["failures"] == 0, "first_failures": sc["first_failures"]},
    }
    print(f"shell command (persistent shell):     {sh['shell_us'] / 1000:8.3f} ms p50")
    print(f"  fresh docker exec:                  {sh['exec_us'] / 1000:8.3f} ms p50  -> ratio {ratio:.1f}x "
          "(target >= 50x)")
    print(f"env reset (world + home, warm pool):  {rs['env_reset_ms']:8.3f} ms p50  (target <= 25 ms; "
          f"sandbox reset alone {rs['sandbox_reset_ms']:.2f} ms)")
    print(f"  fresh container start:              {rs['fresh_start_ms']:8.3f} ms p50  -> ratio "
          f"{rs['fresh_start_ms'] / rs['env_reset_ms']:.1f}x")
    print(f"{sc['envs']} concurrent docker sandboxes: {sc['steps']} steps, {sc['failures']} failures, "
          f"{sc['seconds']:.2f} s (with starts and resets)")
    for line in sc["first_failures"]:
        print(f"  failure: {line}")
    if opts.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
