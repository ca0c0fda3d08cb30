"""The memory family end to end: worlds, the three presentations, probes scored without an LLM, audits, cells."""

from __future__ import annotations

import json
from collections import Counter

import pytest

import clawgym
from clawgym.agents.audit import audit_suite, suite_violations
from clawgym.agents.baselines import NoopAgent, OracleAgent
from clawgym.agents.memory_adversaries import MemoryAdversary
from clawgym.agents.rollout import run_episode, summarize
from clawgym.envs.task import TaskSpec
from clawgym.envs.tasks.memory import generate_memory
from clawgym.worlds import World, WorldSpec, family


@pytest.fixture(scope="module")
def tasks() -> list[TaskSpec]:
    return generate_memory(90, seed=0)


def test_a_memory_world_holds_only_its_family_tables_and_the_ledger() -> None:
    world = World.build(WorldSpec(family="memory", seed=2, months=2))
    assert "email" not in world.store.schema and "journal_session" in world.store.schema
    assert world.store.count("journal_session") > 50 and world.store.count("conflict") > 5
    assert "journal.search" in world.operations and "mail.send" not in world.operations
    assert "journal_search" not in {t["function"]["name"] for t in clawgym.make(_assistant_task()).reset()[1]["tools"]}


def _assistant_task() -> TaskSpec:
    from clawgym.envs.tasks.generate import generate

    return generate(1, seed=0, months=1)[0]


def test_memory_worlds_are_deterministic_across_builds() -> None:
    spec = WorldSpec(family="memory", seed=4, months=2)
    assert World.build(spec).digest() == World.build(spec).digest()


def test_every_presentation_and_probe_kind_is_generated(tasks: list[TaskSpec]) -> None:
    cells = Counter((t.presentation["mode"], t.meta.labels["probe"]) for t in tasks)
    assert {m for m, _ in cells} == {"context", "tools", "stream"}
    kinds = Counter(t.meta.labels["probe"] for t in tasks)
    assert set(kinds) == {"SR", "PR", "IPA", "control", "asof"} and kinds["control"] >= 0.1 * len(tasks)
    assert len({t.id for t in tasks}) == len(tasks)


def test_the_oracle_passes_and_doing_nothing_fails_every_task(tasks: list[TaskSpec]) -> None:
    for task in tasks[:30]:
        assert run_episode(task, OracleAgent()).passed, task.id
        assert run_episode(task, NoopAgent()).score == 0.0, task.id


def test_the_audit_keeps_every_task_and_each_adversary_fails_its_cells(tasks: list[TaskSpec]) -> None:
    results = audit_suite(tasks)
    assert [r.violations for r in results if r.violations] == []
    assert suite_violations(results) == []
    by = {(r.task_id, a): p for r in results for a, p in r.passed.items()}
    controls = [t.id for t in tasks if t.meta.labels["probe"] == "control"]
    premises = [t.id for t in tasks if t.meta.labels["probe"] == "PR"]
    assert not any(by[(t, "always_change")] for t in controls)
    assert not any(by[(t, "never_change")] for t in premises)
    sr = [t.id for t in tasks if t.meta.labels["probe"] == "SR"]
    assert sum(by[(t, "latest_mention")] for t in sr) <= len(sr) / 2


def test_a_context_presentation_renders_the_history_in_the_first_observation(tasks: list[TaskSpec]) -> None:
    task = next(t for t in tasks if t.presentation["mode"] == "context")
    task = task.model_copy(update={"presentation": {**task.presentation, "target_tokens": 150_000}})
    env = clawgym.make(task)
    obs, info = env.reset(seed=0)
    assert 130_000 * 4 <= len(obs) <= 170_000 * 4 and env.observation_space.contains(obs)
    assert "journal_search" not in {t["function"]["name"] for t in info["tools"]}


def test_a_stream_shows_one_session_at_a_time_and_the_request_last(tasks: list[TaskSpec]) -> None:
    task = next(t for t in tasks if t.presentation["mode"] == "stream")
    env = clawgym.make(task)
    obs, _ = env.reset(seed=0)
    assert "[session 1 of" in obs and task.instruction not in obs
    steps = sum(s.tool == "next_session" for s in task.oracle)
    for _ in range(steps):
        obs, *_ = env.step({"tool": "next_session", "args": {}})
    assert "[end of history]" in obs and task.instruction in obs


@pytest.mark.parametrize("reply", ["", "{not json", '{"answer": 3}', '["a", "b"]', '{"answer": "x", "corrections": 5}'])
def test_a_malformed_probe_reply_is_scored_wrong_never_a_crash(tasks: list[TaskSpec], reply: str) -> None:
    env = clawgym.make(tasks[0])
    env.reset(seed=0)
    obs, reward, terminated, truncated, info = env.step({"tool": "finish", "args": {"answer": reply}})
    assert terminated and reward == 0.0 and not info["verdict"].passed


def test_a_hedged_answer_fails_even_with_the_right_value_in_it(tasks: list[TaskSpec]) -> None:
    task = next(t for t in tasks if t.meta.labels["probe"] == "SR" and t.presentation["mode"] != "stream")
    right = json.loads(task.oracle[-1].args["answer"])["answer"]
    env = clawgym.make(task)
    env.reset(seed=0)
    hedge = json.dumps({"answer": f"{right} or maybe somewhere else", "corrections": []})
    assert not env.step({"tool": "finish", "args": {"answer": hedge}})[4]["verdict"].passed


def test_a_run_reports_accuracy_per_type_and_probe_cell(tasks: list[TaskSpec]) -> None:
    records = [run_episode(t, MemoryAdversary("never_change")) for t in tasks[:40]]
    cells = summarize(records)["by_cell"]
    assert any(c.endswith("/ PR") for c in cells) and all(cells[c]["pass_at_1"] == 0.0 for c in cells if c.endswith("/ PR"))


def test_a_memory_task_refuses_the_assistant_env(tasks: list[TaskSpec]) -> None:
    import gymnasium

    from clawgym.errors import TaskError

    with pytest.raises(TaskError, match="field 'family'"):
        gymnasium.make(family("assistant").env_id, task=tasks[0])
