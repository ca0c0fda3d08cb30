"""Scoring a run by replay: every episode's actions re-run on a freshly built world, then re-verified.

A score never trusts the recorder: the recorded verdict is only compared with the replayed one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from clawgym.agents.record import EpisodeRecord
from clawgym.envs.make import make
from clawgym.envs.task import TaskSpec, load_task
from clawgym.envs.world_cache import WorldCache


@dataclass(frozen=True)
class Replayed:
    """An episode as replay made it again, and what differs from the record (empty: the record holds)."""

    record: EpisodeRecord
    differs: list[str] = field(default_factory=list)


def replay_episode(task: TaskSpec, record: EpisodeRecord, cache: WorldCache) -> Replayed:
    """The recorded actions replayed on ``task``'s world through the Gymnasium API, compared with the record."""
    env = make(task, cache=cache)
    try:
        obs, info = env.reset(seed=record.episode)
        reward = 0.0
        terminated = truncated = False
        for action in record.actions:
            if terminated or truncated:
                break
            obs, r, terminated, truncated, info = env.step(action)
            reward += r
        ending = info if "verdict" in info else env.get_wrapper_attr("ending")()
    finally:
        env.close()
    verdict, trajectory = ending["verdict"], ending["trajectory"]
    replayed = record.model_copy(update={
        "world_digest": trajectory.world_digest, "trajectory": trajectory, "answer": trajectory.answer,
        "reward": reward if record.error is None else 0.0, "score": verdict.score,
        "passed": verdict.passed and record.error is None, "verdict": verdict,
    })
    return Replayed(replayed, _differences(record, replayed))


def _differences(recorded: EpisodeRecord, replayed: EpisodeRecord) -> list[str]:
    differs = []
    if replayed.world_digest != recorded.world_digest:
        differs.append("world digest")
    claimed = [(recorded.score, recorded.passed)]
    if recorded.verdict is not None:
        claimed.append((recorded.verdict.score, recorded.verdict.passed))
    if any(abs(replayed.score - score) > 1e-9 or replayed.passed != passed for score, passed in claimed):
        differs.append("score")
    now = {r.name: r.passed for r in (replayed.verdict.results if replayed.verdict else ())}
    then = {r.name: r.passed for r in (recorded.verdict.results if recorded.verdict else ())}
    if now != then:
        differs.append("checks " + ", ".join(sorted(n for n in now.keys() | then.keys() if now.get(n) != then.get(n))))
    return differs


def replay_run(run_dir: Path, records: list[EpisodeRecord],
               on_episode: Callable[[Replayed], None] | None = None) -> list[Replayed]:
    """Replay every record of a run against the tasks saved with it, on worlds built afresh."""
    fresh = WorldCache()  # never the cache the run used: worlds are rebuilt from their specs
    out = []
    for record in records:
        task = load_task(record.task_id, run_dir / "tasks")
        replayed = replay_episode(task, record, fresh)
        out.append(replayed)
        if on_episode is not None:
            on_episode(replayed)
    return out
