"""Making the env a task needs: ``make(task)`` dispatches on the task's family.

>>> import clawgym
>>> env = clawgym.make("suite/train-conflict-0002.json")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium
from clawgym.envs.task import TaskSpec, load_task
from clawgym.worlds.family import family

from clawgym.errors import TaskError


def make(task: TaskSpec | str | Path, *, tasks_dir: str | Path | None = None, **kwargs: Any) -> gymnasium.Env[Any, str]:
    """The env of ``task``'s family (inside its step limit), with the env keywords ``kwargs``."""
    spec = load_task(task, tasks_dir)
    return family(spec.family).make_env(spec, **kwargs)  # type: ignore[no-any-return]


def make_for_family(task: TaskSpec | str | Path, *, family_name: str, tasks_dir: str | Path | None = None,
                    **kwargs: Any) -> gymnasium.Env[Any, str]:
    """The entry point registered as ``clawgym/<Family>-v0``: ``task`` must be of that family."""
    spec = load_task(task, tasks_dir)
    if spec.family != family_name:
        fam = family(spec.family)
        raise TaskError(f"task {spec.id}: field 'family': a {spec.family!r} task does not run in "
                        f"{family(family_name).env_id}; use {fam.env_id} or clawgym.make(task)")
    return make(spec, **kwargs)
