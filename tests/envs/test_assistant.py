"""The assistant env through its public API: Gymnasium contract, determinism, bad input, endings."""

from __future__ import annotations

import json
from pathlib import Path

import gymnasium
import pytest
from gymnasium.utils.env_checker import check_env

import clawgym  # noqa: F401  (registers clawgym/Assistant-v0)
from clawgym.agents.baselines import OracleAgent
from clawgym.envs.assistant import AssistantEnv
from clawgym.envs.task import TaskSpec, load_task
from clawgym.errors import TaskError


def by_category(suite: list[TaskSpec], category: str) -> TaskSpec:
    return next(t for t in suite if t.meta.category == category)


def test_env_passes_gymnasium_check_env(suite: list[TaskSpec]) -> None:
    env = AssistantEnv(suite[0])
    check_env(env, skip_render_check=True)


def test_registered_env_resets_with_instruction_and_openai_tools(suite_dir: Path, suite: list[TaskSpec]) -> None:
    task = by_category(suite, "cross_service")
    env = gymnasium.make("clawgym/Assistant-v0", task=str(suite_dir / f"{task.id}.json"))
    obs, info = env.reset(seed=0)
    assert task.instruction in obs
    names = {t["function"]["name"] for t in info["tools"]}
    assert {"finish", "wait", "mail_send", "contacts_search"} <= names
    assert all(t["type"] == "function" and "parameters" in t["function"] for t in info["tools"])
    assert info["task_id"] == task.id and info["family"] == "assistant"
    assert "task" not in info and "trajectory" not in info  # no oracle or checks before the end


def _rollout(task: TaskSpec) -> tuple[list[str], str, float]:
    env = AssistantEnv(task)
    agent = OracleAgent()
    obs, info = env.reset(seed=3)
    agent.reset(task, obs, info)
    observations = [obs]
    terminated = False
    reward = 0.0
    while not terminated:
        obs, reward, terminated, _, info = env.step(agent.act(obs, info))
        observations.append(obs)
    assert env.world is not None
    return observations, env.world.digest(), reward


def test_two_rollouts_with_the_same_seed_and_actions_are_identical(suite: list[TaskSpec]) -> None:
    task = by_category(suite, "coordination")
    first, second = _rollout(task), _rollout(task)
    assert first == second
    assert first[2] == 1.0


def test_reward_is_zero_until_finish_then_the_verdict_score(suite: list[TaskSpec]) -> None:
    task = by_category(suite, "cross_service")
    env = AssistantEnv(task)
    env.reset()
    _, reward, terminated, truncated, info = env.step({"tool": "contacts_search", "args": {"query": "a"}})
    assert (reward, terminated, truncated) == (0.0, False, False) and "verdict" not in info
    _, reward, terminated, _, info = env.step({"tool": "finish", "args": {"answer": "done"}})
    # "nothing else changed" passes, but a check that inaction passes earns no credit: doing nothing scores 0
    assert terminated and reward == info["verdict"].score == 0.0
    assert any(r.passed and r.inaction_passes for r in info["verdict"].results)
    assert any(not r.passed for r in info["verdict"].results)


@pytest.mark.parametrize(
    ("action", "says"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"args": {}}', 'no "tool" field'),
        ('{"tool": "mail_sendd", "args": {}}', "unknown tool 'mail_sendd'. Did you mean mail_send"),
        ('{"tool": "mail_send", "args": {"to": "x"}}', "field 'to'"),
        ('{"tool": "mail_send", "args": {"subject": "s", "body": "b"}}', "missing required field 'to'"),
        ('{"tool": "mail_read", "args": {"email_id": 999999}}', "no email with id 999999"),
        ('{"tool": "mail_search", "args": "query"}', '"args" must be a JSON object'),
        ('{"tool": "wait", "args": {"minutes": 0}}', "wait needs"),
        ({"role": "assistant", "content": "I think so", "tool_calls": []}, "no tool call"),
        ({"tool_calls": [{"id": "c1", "type": "function", "function": {"name": "mail_search", "arguments": "{oops"}}]},
         "arguments of mail_search are not valid JSON"),
    ],
)
def test_bad_actions_become_observations_and_the_episode_goes_on(suite: list[TaskSpec], action: object, says: str) -> None:
    env = AssistantEnv(suite[0])
    env.reset()
    obs, reward, terminated, truncated, info = env.step(action)  # type: ignore[arg-type]
    assert says in obs and obs.startswith("error")
    assert (reward, terminated, truncated) == (0.0, False, False)
    assert info["step"] == 1
    assert not env.trajectory.steps[0].ok


def test_an_openai_assistant_message_runs_its_first_tool_call(suite: list[TaskSpec]) -> None:
    env = AssistantEnv(suite[0])
    env.reset()
    call = {"id": "c1", "type": "function", "function": {"name": "contacts_search", "arguments": json.dumps({"query": "a"})}}
    obs, *_ , info = env.step({"role": "assistant", "content": None, "tool_calls": [call, call]})
    assert isinstance(info["result"], list) and "1 more ignored" in obs


def test_oversized_results_are_truncated_with_a_marker(suite: list[TaskSpec]) -> None:
    env = AssistantEnv(suite[0], max_observation_chars=300)
    env.reset()
    obs, *_ = env.step({"tool": "mail_list", "args": {"limit": 50}})
    assert "[truncated:" in obs and len(obs.split("[truncated:")[0]) <= 301


def test_step_limit_truncates_and_verifies(suite_dir: Path, suite: list[TaskSpec]) -> None:
    task = by_category(suite, "planning")
    env = gymnasium.make("clawgym/Assistant-v0", task=task, max_steps=2)
    env.reset()
    _, _, _, truncated, _ = env.step('{"tool": "contacts_search", "args": {"query": "x"}}')
    assert not truncated
    _, reward, terminated, truncated, info = env.step('{"tool": "contacts_search", "args": {"query": "y"}}')
    assert truncated and not terminated
    assert reward == info["verdict"].score < 1.0


def test_a_proactive_event_arrives_mid_episode_as_a_notification(suite: list[TaskSpec]) -> None:
    task = next(t for t in suite if t.meta.category == "proactive")
    assert task.instruction is None
    env = AssistantEnv(task)
    obs, _ = env.reset()
    assert "no request right now" in obs
    obs, *_ = env.step({"tool": "wait", "args": {"minutes": 120}})
    assert "[new notifications" in obs
    assert env.world is not None and env.world.pending() == [] or all(
        p["at"] > env.world.iso_now() for p in env.world.pending())


def test_unknown_task_id_and_invalid_task_files_raise_task_error(tmp_path: Path, suite: list[TaskSpec]) -> None:
    with pytest.raises(TaskError, match="unknown task id 'nope'"):
        load_task("nope", tmp_path)
    bad = tmp_path / "broken.json"
    bad.write_text("{ nope")
    with pytest.raises(TaskError, match="broken.json: not valid JSON"):
        load_task(bad)
    data = suite[0].model_dump(mode="json")
    del data["checks"]
    bad.write_text(json.dumps(data))
    with pytest.raises(TaskError, match="broken.json: invalid task: field 'checks'"):
        load_task(bad)
    data = suite[0].model_dump(mode="json")
    data["checks"][0] = {"type": "exists", "name": "x", "table": "no_such_table"}
    bad.write_text(json.dumps(data))
    with pytest.raises(TaskError, match="no_such_table"):
        load_task(bad)


def test_a_task_whose_world_drifted_is_refused(suite: list[TaskSpec]) -> None:
    task = suite[0].model_copy(update={"meta": suite[0].meta.model_copy(update={"world_digest": "0" * 64})})
    with pytest.raises(TaskError, match="meta.world_digest"):
        AssistantEnv(task).reset()
