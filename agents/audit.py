"""Audits: a task is kept only if the oracle passes it and every gaming or lazy agent fails it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clawgym.agents.adversaries import StuffingAgent, VandalAgent
from clawgym.agents.agent import Agent
from clawgym.agents.baselines import NoopAgent, OracleAgent, RandomAgent
from clawgym.agents.memory_adversaries import CATCHES, LATEST_MENTION_SR_CAP, MemoryAdversary
from clawgym.agents.rollout import Env, run_episode
from clawgym.envs.task import TaskSpec
from clawgym.envs.world_cache import CACHE, WorldCache

MUST_PASS = ("oracle",)
MUST_FAIL = ("noop", "random", "stuffing", "vandal")


@dataclass
class AuditResult:
    """How each audit agent did on one task, and what that violates."""

    task_id: str
    category: str
    scores: dict[str, float] = field(default_factory=dict)
    passed: dict[str, bool] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # the task's family labels (memory: type, probe)

    @property
    def ok(self) -> bool:
        return not self.violations


def audit_task(task: TaskSpec, cache: WorldCache = CACHE, seed: int = 0,
               surface_options: dict[str, dict[str, Any]] | None = None) -> AuditResult:
    """Run the oracle, no-op, random, answer-stuffing and vandal agents on ``task`` (memory: its adversaries)."""
    if task.family == "memory":
        return _audit_memory(task, cache)
    result = AuditResult(task.id, task.meta.category)
    live: dict[str, Env] = {}

    def keep_env(env: Env) -> None:
        live["env"] = env

    agents: dict[str, Callable[[], Agent]] = {
        "oracle": OracleAgent,
        "noop": NoopAgent,
        "random": lambda: RandomAgent(seed=seed),
        "stuffing": StuffingAgent,
        "vandal": lambda: VandalAgent(world_of=lambda: live["env"].get_wrapper_attr("world")),
    }
    for name, make in agents.items():
        record = run_episode(task, make(), cache=cache, prepare=keep_env, surface_options=surface_options)
        result.scores[name] = record.score
        result.passed[name] = record.passed
        if record.error:
            result.violations.append(f"{name} crashed: {record.error}")
        elif name in MUST_PASS and not record.passed:
            failed = [r.name for r in record.verdict.failed()] if record.verdict else []
            result.violations.append(f"oracle fails: {failed}")
        elif name in MUST_FAIL and record.passed:
            result.violations.append(f"{name} passes")
    return result


def _audit_memory(task: TaskSpec, cache: WorldCache) -> AuditResult:
    """Oracle must pass; no-op and answer-stuffing must fail; each memory adversary must fail the cells it games."""
    result = AuditResult(task.id, task.meta.category, labels=task.meta.labels)
    probe = task.meta.labels.get("probe", "")
    changed = task.meta.labels.get("type") != "none"
    agents: dict[str, Callable[[], Agent]] = {"oracle": OracleAgent, "noop": NoopAgent, "stuffing": StuffingAgent}
    agents.update({name: (lambda n=name: MemoryAdversary(n)) for name in CATCHES})
    for name, make in agents.items():
        record = run_episode(task, make(), cache=cache)
        result.scores[name], result.passed[name] = record.score, record.passed
        caught = name in ("noop", "stuffing") or probe in CATCHES.get(name, ()) or (
            f"{probe}*" in CATCHES.get(name, ()) and changed)
        if record.error:
            result.violations.append(f"{name} crashed: {record.error}")
        elif name == "oracle" and not record.passed:
            result.violations.append(f"oracle fails: {[r.name for r in record.verdict.failed()] if record.verdict else []}")
        elif name != "oracle" and caught and record.passed:
            result.violations.append(f"{name} passes a {probe} probe built to catch it")
    return result


def audit_suite(tasks: list[TaskSpec], cache: WorldCache = CACHE,
                on_task: Callable[[AuditResult], None] | None = None) -> list[AuditResult]:
    """Audit every task; ``on_task`` sees each result as it comes (progress bars)."""
    results = []
    for task in tasks:
        res = audit_task(task, cache)
        results.append(res)
        if on_task is not None:
            on_task(res)
    return results


def suite_violations(results: list[AuditResult]) -> list[str]:
    """What no single task shows: latest-mention may pass at most half of a suite's memory SR probes."""
    sr = [r for r in results if r.category == "memory" and r.labels.get("probe") == "SR"]
    passed = sum(bool(r.passed.get("latest_mention")) for r in sr)
    if sr and passed / len(sr) > LATEST_MENTION_SR_CAP:
        return [f"latest_mention passes {passed} of {len(sr)} SR probes (at most {LATEST_MENTION_SR_CAP:.0%} allowed)"]
    return []


def audit_table_rows(results: list[AuditResult]) -> list[dict[str, Any]]:
    """One row per task for tables and JSON: agent pass marks and violations."""
    return [
        {"task": r.task_id, "category": r.category, **{a: r.passed.get(a) for a in (*MUST_PASS, *MUST_FAIL)},
         "violations": r.violations}
        for r in results
    ]
