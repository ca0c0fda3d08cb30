"""Running agents over tasks: one episode, a whole suite, and the summary statistics of a run.

Each episode is appended to ``RUN_DIR/trajectories.jsonl`` and flushed at once, so a crash loses nothing
and ``--resume`` continues where a run stopped.
"""

from __future__ import annotations

import math
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import gymnasium
from clawgym.agents.agent import Agent
from clawgym.agents.record import EpisodeRecord, Timings, read_records
from clawgym.envs.make import make
from clawgym.envs.task import TaskSpec
from clawgym.envs.world_cache import CACHE, WorldCache

TRAJECTORIES = "trajectories.jsonl"
Env = gymnasium.Env[Any, str]


def run_episode(task: TaskSpec, agent: Agent, *, episode: int = 0, cache: WorldCache = CACHE,
                max_steps: int | None = None,
                prepare: Callable[[Env], None] | None = None,
                surface_options: dict[str, dict[str, Any]] | None = None) -> EpisodeRecord:
    """One episode of ``agent`` on ``task``, in the env of the task's family, through the Gymnasium API.

    ``prepare`` sees the env before the episode starts (white-box audit agents read its world).
    """
    env = make(task, max_steps=max_steps, cache=cache, surface_options=surface_options)
    try:
        if prepare is not None:
            prepare(env)
        return _play(env, task, agent, episode)
    finally:
        env.close()


def _play(env: Env, task: TaskSpec, agent: Agent, episode: int) -> EpisodeRecord:
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
    # The episode's end carries the verdict and trajectory in info; an episode cut short by an error asks for them.
    ending = info if "verdict" in info else env.get_wrapper_attr("ending")()
    verdict, trajectory = ending["verdict"], ending["trajectory"]
    return EpisodeRecord(
        task_id=task.id, family=task.family, category=task.meta.category, labels=task.meta.labels, episode=episode,
        agent=getattr(agent, "name", type(agent).__name__), world_digest=trajectory.world_digest, actions=actions,
        trajectory=trajectory, answer=trajectory.answer, reward=reward if error is None else 0.0,
        score=verdict.score, passed=verdict.passed and error is None, verdict=verdict,
        timings=Timings(reset_s=t_reset, env_s=env_s, agent_s=agent_s, steps=len(actions),
                        total_s=time.perf_counter() - t0),
        error=error, usage=getattr(agent, "usage", None),
    )


def run_suite(tasks: list[TaskSpec], make_agent: Callable[[], Agent], out_dir: Path, *, episodes: int = 1,
              resume: bool = False, on_episode: Callable[[EpisodeRecord], None] | None = None,
              cache: WorldCache = CACHE) -> list[EpisodeRecord]:
    """Run every task ``episodes`` times, appending each record to ``out_dir/trajectories.jsonl`` at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / TRAJECTORIES
    if path.exists() and not resume:
        raise FileExistsError(f"{path} exists: pass --resume to continue that run, or choose another --out")
    done = read_records(path) if path.exists() else []
    seen = {(r.task_id, r.episode) for r in done}
    _save_tasks(tasks, out_dir)
    records = list(done)
    with path.open("a", encoding="utf-8") as sink:
        for task in tasks:
            for ep in range(episodes):
                if (task.id, ep) in seen:
                    continue
                record = run_episode(task, make_agent(), episode=ep, cache=cache)
                sink.write(record.line() + "\n")
                sink.flush()
                os.fsync(sink.fileno())
                records.append(record)
                if on_episode is not None:
                    on_episode(record)
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


def summarize(records: list[EpisodeRecord]) -> dict[str, Any]:
    """pass@1, pass@k, pass^k (k = episodes per task), mean score, and the same by category."""
    by_task: dict[str, list[EpisodeRecord]] = defaultdict(list)
    for r in records:
        by_task[r.task_id].append(r)
    k = min((len(v) for v in by_task.values()), default=1)

    def stats(group: dict[str, list[EpisodeRecord]]) -> dict[str, Any]:
        eps = [r for v in group.values() for r in v]
        if not eps:
            return {"episodes": 0, "tasks": 0, "pass_at_1": 0.0, "mean_score": 0.0}
        per_task = [(len(v), sum(r.passed for r in v)) for v in group.values()]
        return {
            "episodes": len(eps),
            "tasks": len(group),
            "pass_at_1": sum(pass_at_k(n, c, 1) for n, c in per_task) / len(per_task),
            f"pass_at_{k}": sum(pass_at_k(n, c, k) for n, c in per_task) / len(per_task),
            f"pass_hat_{k}": sum(pass_hat_k(n, c, k) for n, c in per_task) / len(per_task),
            "mean_score": sum(r.score for r in eps) / len(eps),
            "errors": sum(r.error is not None for r in eps),
        }

    categories = sorted({r.category for r in records})
    summary = stats(by_task)
    summary["k"] = k
    summary["by_category"] = {
        c: stats({t: v for t, v in by_task.items() if v[0].category == c}) for c in categories
    }
    cells = sorted({cell for v in by_task.values() if (cell := _cell(v[0])) is not None})
    if cells:  # memory probes: accuracy per conflict type x probe kind, as STALE reports it
        summary["by_cell"] = {c: stats({t: v for t, v in by_task.items() if _cell(v[0]) == c}) for c in cells}
    return summary


def _cell(record: EpisodeRecord) -> str | None:
    labels = record.labels
    if "probe" not in labels:
        return None
    kind = {"I": "Type I", "II": "Type II", "none": "no change"}.get(labels.get("type", ""), labels.get("type", ""))
    return f"{kind} / {labels['probe']}"
