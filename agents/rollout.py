"""Running agents over tasks: one episode, a whole suite, and the summary statistics of a run.

Each episode is appended to ``RUN_DIR/trajectories.jsonl`` and flushed at once, so a crash loses nothing
and ``--resume`` continues where a run stopped.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from clawgym.agents.agent import Agent
from clawgym.envs.assistant import AssistantEnv, make_assistant
from clawgym.envs.task import TaskSpec
from clawgym.envs.world_cache import CACHE, WorldCache

TRAJECTORIES = "trajectories.jsonl"


def run_episode(task: TaskSpec, agent: Agent, *, episode: int = 0, cache: WorldCache = CACHE,
                max_steps: int | None = None,
                prepare: Callable[[AssistantEnv], None] | None = None,
                surface_options: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """One episode of ``agent`` on ``task``: the record that goes into trajectories.jsonl.

    ``prepare`` sees the env before the episode starts (white-box audit agents read its world).
    """
    env = make_assistant(task, max_steps=max_steps, cache=cache, surface_options=surface_options)
    inner: AssistantEnv = env.unwrapped  # type: ignore[assignment]
    if prepare is not None:
        prepare(inner)
    t0 = time.perf_counter()
    obs, info = env.reset(seed=episode)
    t_reset = time.perf_counter() - t0
    agent.reset(task, obs, info)
    actions: list[Any] = []
    agent_s = env_s = 0.0
    reward, error = 0.0, None
    terminated = truncated = False
    try:
        while not (terminated or truncated):
            t1 = time.perf_counter()
            action = agent.act(obs, info)
            t2 = time.perf_counter()
            obs, r, terminated, truncated, info = env.step(action)
            env_s += time.perf_counter() - t2
            agent_s += t2 - t1
            actions.append(action)
            reward += r
    except Exception as exc:  # an agent that crashes (an endpoint down) still leaves a record, marked errored
        error = f"{type(exc).__name__}: {exc}"
    verdict = inner.conclude()
    trajectory = inner.trajectory
    record = {
        "task_id": task.id,
        "category": task.meta.category,
        "episode": episode,
        "agent": getattr(agent, "name", type(agent).__name__),
        "world_digest": trajectory.world_digest,
        "actions": actions,
        "observations": [s.observation for s in trajectory.steps],
        "trajectory": trajectory.model_dump(mode="json"),
        "answer": trajectory.answer,
        "reward": reward if error is None else 0.0,
        "score": verdict.score,
        "passed": verdict.passed and error is None,
        "verdict": verdict.to_dict(),
        "timings": {"reset_s": t_reset, "env_s": env_s, "agent_s": agent_s, "steps": len(actions),
                    "total_s": time.perf_counter() - t0},
        "error": error,
    }
    if hasattr(agent, "usage"):
        record["usage"] = agent.usage
    env.close()
    return record


def run_suite(tasks: list[TaskSpec], make_agent: Callable[[], Agent], out_dir: Path, *, episodes: int = 1,
              resume: bool = False, on_episode: Callable[[dict[str, Any]], None] | None = None,
              cache: WorldCache = CACHE) -> list[dict[str, Any]]:
    """Run every task ``episodes`` times, appending each record to ``out_dir/trajectories.jsonl`` at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / TRAJECTORIES
    if path.exists() and not resume:
        raise FileExistsError(f"{path} exists: pass --resume to continue that run, or choose another --out")
    done = read_records(path) if path.exists() else []
    seen = {(r["task_id"], r["episode"]) for r in done}
    _save_tasks(tasks, out_dir)
    records = list(done)
    with path.open("a", encoding="utf-8") as sink:
        for task in tasks:
            for ep in range(episodes):
                if (task.id, ep) in seen:
                    continue
                record = run_episode(task, make_agent(), episode=ep, cache=cache)
                sink.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
                sink.flush()
                os.fsync(sink.fileno())
                records.append(record)
                if on_episode is not None:
                    on_episode(record)
    return records


def read_records(path: Path) -> list[dict[str, Any]]:
    """Episode records of a trajectories file; a torn last line (a crash mid-write) is skipped."""
    records = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            if i != len(lines) - 1:
                raise ValueError(f"{path}: line {i + 1} is not valid JSON") from None
    return records


def _save_tasks(tasks: Iterable[TaskSpec], out_dir: Path) -> None:
    # The run keeps its own copy of every task, so scoring replays exactly what was run.
    for task in tasks:
        task.save(out_dir / "tasks")


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples (of n, c correct) passes (unbiased estimator)."""
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    """Probability that all k samples (of n, c correct) pass: reliability, as tau-bench's pass^k."""
    return math.comb(c, k) / math.comb(n, k) if k <= n else 0.0


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    """pass@1, pass@k, pass^k (k = episodes per task), mean score, and the same by category."""
    by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_task[r["task_id"]].append(r)
    k = min((len(v) for v in by_task.values()), default=1)

    def stats(group: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        eps = [r for v in group.values() for r in v]
        if not eps:
            return {"episodes": 0, "tasks": 0, "pass_at_1": 0.0, "mean_score": 0.0}
        per_task = [(len(v), sum(bool(r["passed"]) for r in v)) for v in group.values()]
        return {
            "episodes": len(eps),
            "tasks": len(group),
            "pass_at_1": sum(pass_at_k(n, c, 1) for n, c in per_task) / len(per_task),
            f"pass_at_{k}": sum(pass_at_k(n, c, k) for n, c in per_task) / len(per_task),
            f"pass_hat_{k}": sum(pass_hat_k(n, c, k) for n, c in per_task) / len(per_task),
            "mean_score": sum(r["score"] for r in eps) / len(eps),
            "errors": sum(r.get("error") is not None for r in eps),
        }

    categories = sorted({r["category"] for r in records})
    summary = stats(by_task)
    summary["k"] = k
    summary["by_category"] = {
        c: stats({t: v for t, v in by_task.items() if v[0]["category"] == c}) for c in categories
    }
    return summary
