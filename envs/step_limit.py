"""A step limit for any clawgym env: truncate at the task's limit (or ``max_steps``) and verify the episode then."""

from __future__ import annotations

from typing import Any

import gymnasium


class StepLimit(gymnasium.Wrapper[Any, str, Any, str]):
    """Truncate at the task's step limit (``info["max_steps"]`` at reset) or ``max_steps``, paying the verdict.

    It uses the Gymnasium API only (the env's ``conclude`` through ``get_wrapper_attr``), so it wraps the env of
    every family, and any wrapper between them.
    """

    def __init__(self, env: gymnasium.Env[Any, str], max_steps: int | None = None) -> None:
        super().__init__(env)
        self.max_steps = max_steps
        self._limit = max_steps
        self._steps = 0

    def reset(self, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
        self._steps = 0
        obs, info = self.env.reset(**kwargs)
        self._limit = self.max_steps if self.max_steps is not None else info.get("max_steps")
        return obs, info

    def step(self, action: str) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        self._steps += 1
        if self._limit is not None and self._steps >= self._limit and not terminated:
            truncated = True
            verdict = self.env.get_wrapper_attr("conclude")()
            reward += verdict.score
            info.update(self.env.get_wrapper_attr("ending")())
        return obs, reward, terminated, truncated, info
