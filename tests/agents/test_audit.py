"""Every generated task: the oracle passes; no-op, random, answer-stuffing and vandal agents fail."""

from __future__ import annotations

import pytest

from clawgym.agents.audit import audit_task
from clawgym.envs.task import TaskSpec
from clawgym.envs.tasks.generate import generate, load_templates, world_seed


def test_the_suite_covers_every_category(suite: list[TaskSpec]) -> None:
    wanted = {"history", "cross_service", "conflict", "proactive", "planning", "safety", "noise", "coordination"}
    assert wanted <= {t.meta.category for t in suite}
    assert wanted <= {t.category for t in load_templates()}


@pytest.mark.parametrize("index", range(24))
def test_generated_task_passes_its_audit(suite: list[TaskSpec], index: int) -> None:
    task = suite[index]
    result = audit_task(task)
    assert result.passed["oracle"], result.violations
    for lazy_or_gaming in ("noop", "random", "stuffing", "vandal"):
        assert not result.passed[lazy_or_gaming], f"{lazy_or_gaming} passes {task.id}"
    assert result.scores["noop"] == 0.0, "doing nothing must earn nothing"


def test_generation_is_deterministic_and_splits_share_no_world() -> None:
    a = generate(6, seed=5, split="train", months=1)
    b = generate(6, seed=5, split="train", months=1)
    assert [t.model_dump() for t in a] == [t.model_dump() for t in b]
    test = generate(6, seed=5, split="test", months=1)
    assert {t.world.seed for t in a}.isdisjoint({t.world.seed for t in test})
    seeds = {world_seed("train", s, i) for s in range(20) for i in range(20)}
    assert seeds.isdisjoint({world_seed("test", s, i) for s in range(20) for i in range(20)})
