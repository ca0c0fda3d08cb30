"""Every registered clawgym env id, whatever its family: the Gymnasium contract, determinism, dispatch."""

from __future__ import annotations

from collections.abc import Callable

import gymnasium
import pytest
from gymnasium.utils.env_checker import check_env

import clawgym
from clawgym.envs.step_limit import StepLimit
from clawgym.envs.task import TaskSpec
from clawgym.errors import TaskError
from clawgym.worlds.family import family, family_names

ENV_IDS = sorted(i for i in gymnasium.registry if i.startswith("clawgym/"))


@pytest.fixture(scope="session")
def sample_tasks(suite: list[TaskSpec]) -> dict[str, Callable[[], TaskSpec]]:
    """One task of each family; a new family must add one here, or the registry tests fail for it."""
    from clawgym.envs.tasks.memory import generate_memory

    memory = generate_memory(3, seed=0)
    return {"assistant": lambda: next(t for t in suite if t.meta.category == "cross_service"),
            "memory": lambda: memory[1]}


def _task_for(env_id: str, samples: dict[str, Callable[[], TaskSpec]]) -> TaskSpec:
    name = next(n for n in family_names() if family(n).env_id == env_id)
    assert name in samples, f"no sample task for the {name} family: add one to sample_tasks"
    return samples[name]()


def test_every_family_has_exactly_one_registered_id() -> None:
    assert ENV_IDS == sorted(family(n).env_id for n in family_names())


@pytest.mark.parametrize("env_id", ENV_IDS)
def test_check_env_passes(env_id: str, sample_tasks: dict[str, Callable[[], TaskSpec]]) -> None:
    env = gymnasium.make(env_id, task=_task_for(env_id, sample_tasks))
    check_env(env.unwrapped, skip_render_check=True)
    env.close()


@pytest.mark.parametrize("env_id", ENV_IDS)
def test_two_rollouts_with_the_same_seed_and_actions_are_equal(env_id: str,
                                                               sample_tasks: dict[str, Callable[[], TaskSpec]]) -> None:
    task = _task_for(env_id, sample_tasks)
    actions = [{"tool": s.tool, "args": s.args} for s in task.oracle if "$step" not in str(s.args)]
    runs = []
    for _ in range(2):
        env = gymnasium.make(env_id, task=task)
        obs, info = env.reset(seed=3)
        seen = [obs]
        for action in [*actions, {"tool": "finish", "args": {"answer": "x"}}]:
            obs, reward, terminated, truncated, info = env.step(action)
            seen.append((obs, reward, terminated, truncated))
            if terminated or truncated:
                break
        runs.append((seen, info["verdict"].to_dict(), info["trajectory"].model_dump()))
        env.close()
    assert runs[0] == runs[1]


def test_make_dispatches_on_the_task_family_and_wraps_a_step_limit(sample_tasks: dict[str, Callable[[], TaskSpec]]) -> None:
    env = clawgym.make(sample_tasks["assistant"]())
    assert isinstance(env, StepLimit) and env.unwrapped.family.name == "assistant"  # type: ignore[attr-defined]
    env.close()


def test_the_step_limit_pays_the_verdict_through_info(sample_tasks: dict[str, Callable[[], TaskSpec]]) -> None:
    env = clawgym.make(sample_tasks["assistant"](), max_steps=2)
    env.reset(seed=0)
    env.step({"tool": "wait", "args": {"minutes": 1}})
    obs, reward, terminated, truncated, info = env.step({"tool": "wait", "args": {"minutes": 1}})
    assert truncated and not terminated and reward == info["verdict"].score
    assert [s.tool for s in info["trajectory"].steps] == ["wait", "wait"]


def test_a_task_of_another_family_is_refused_by_a_family_env(sample_tasks: dict[str, Callable[[], TaskSpec]]) -> None:
    task = sample_tasks["assistant"]()
    others = [n for n in family_names() if n != "assistant"]
    if not others:
        pytest.skip("only one family is installed")
    with pytest.raises(TaskError, match="field 'family'"):
        gymnasium.make(family(others[0]).env_id, task=task)
