"""clawgym: a Gymnasium-style simulator of a person's digital world for LLM agents.

Every world family registers one env id (``clawgym/Assistant-v0``, ``clawgym/Memory-v0``, ...);
``clawgym.make(task)`` picks the one the task's family needs.

>>> import gymnasium, clawgym
>>> "clawgym/Assistant-v0" in gymnasium.registry
True
"""

from __future__ import annotations

from typing import Any

from gymnasium.envs.registration import register, registry

__version__ = "0.1.0"


def make(task: Any, **kwargs: Any) -> Any:
    """The env of ``task``'s family (a TaskSpec, a task JSON path, or an id with ``tasks_dir=``)."""
    from clawgym.envs.make import make as make_env

    return make_env(task, **kwargs)


def _register_families() -> None:
    # Family modules are cheap to import (their services load on first use); a string entry point keeps the
    # env modules themselves unloaded until the first make().
    from clawgym.worlds.family import family, family_names

    for name in family_names():
        env_id = family(name).env_id
        if env_id not in registry:
            register(id=env_id, entry_point="clawgym.envs.make:make_for_family", kwargs={"family_name": name})


_register_families()
