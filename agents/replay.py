"""Scoring a run by replay: every episode's actions re-run on a freshly built world, then re-verified.

A score never trusts the recorder: the recorded verdict is only compared with the replayed one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from clawgym.envs.assistant import AssistantEnv, make_assistant
from clawgym.envs.task import TaskSpec, load_task
from clawgym.envs.world_cache import WorldCache


def replay_episode(task: TaskSpec, record: dict[str, Any], cache: WorldCache) -> dict[str, Any]:
    """The verdict of the recorded actions replayed on ``task``'s world, and whether it matches the record."""
    env = make_assistant(task, cache=cache)
    inner: AssistantEnv = env.unwrapped  # type: ignore[assignment]
    env.reset(seed=record.get("episode", 0))
    digest = inner.trajectory.world_digest
    terminated = truncated = False
    for action in record["actions"]:
        if terminated or truncated:
            break
        _, _, terminated, truncated, _ = env.step(action)
    verdict = inner.conclude().to_dict()
    env.close()
    recorded = record["verdict"]
    differs = []
    if digest != record.get("world_digest"):
        differs.append("world digest")
    if abs(verdict["score"] - recorded["score"]) > 1e-9 or verdict["passed"] != recorded["passed"]:
        differs.append("score")
    checks_now = {r["name"]: r["passed"] for r in verdict["results"]}
    checks_then = {r["name"]: r["passed"] for r in recorded["results"]}
    if checks_now != checks_then:
        differs.append("checks " + ", ".join(sorted(n for n in checks_now if checks_now[n] != checks_then.get(n))))
    return {"task_id": task.id, "episode": record.get("episode", 0), "category": record["category"],
            "verdict": verdict, "score": verdict["score"], "passed": verdict["passed"], "differs": differs}


def replay_run(run_dir: Path, records: list[dict[str, Any]],
               on_episode: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Replay every record of a run against the tasks saved with it, on worlds built afresh."""
    fresh = WorldCache()  # never the cache the run used: worlds are rebuilt from their specs
    out = []
    for record in records:
        task = load_task(record["task_id"], run_dir / "tasks")
        replayed = replay_episode(task, record, fresh)
        out.append(replayed)
        if on_episode is not None:
            on_episode(replayed)
    return out
