"""The assistant environment: an agent works in a simulated digital world through tool calls.

>>> import gymnasium, clawgym
>>> env = gymnasium.make("clawgym/Assistant-v0", task="suite/history-0001.json")  # doctest: +SKIP
>>> obs, info = env.reset(seed=0)  # doctest: +SKIP
>>> obs, reward, terminated, truncated, info = env.step('{"tool": "mail_search", "args": {"query": "invoice"}}')  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium
from clawgym.envs.env import WorldEnv
from clawgym.envs.step_limit import StepLimit
from clawgym.envs.task import TaskSpec


class AssistantEnv(WorldEnv):
    """An assistant task: the family's intro (whose assistant, and when) and the base env's everything else."""

    family_name = "assistant"


def make_assistant(task: TaskSpec | str | Path, max_steps: int | None = None, **kwargs: Any) -> gymnasium.Env[Any, str]:
    """The registered entry point: an AssistantEnv inside its StepLimit."""
    return StepLimit(AssistantEnv(task, **kwargs), max_steps=max_steps)
