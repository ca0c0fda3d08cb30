"""The task generator: builds worlds for a split, draws templates on them, returns task specs.

Splits never share worlds (train world seeds are even, test ones odd) nor template draws (each draw's random
generator is seeded by split, suite seed, world and template).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import random
from collections.abc import Callable
from typing import Literal

from clawgym.envs.task import TaskMeta, TaskSpec
from clawgym.envs.tasks.template import TEMPLATES, Draft, Template, TemplateContext
from clawgym.envs.world_cache import CACHE, WorldCache
from clawgym.verifiers.check import Check
from clawgym.verifiers.verifier import labels
from clawgym.worlds.spec import WorldSpec

Split = Literal["train", "test"]
TASKS_PER_WORLD = 40


def load_templates() -> list[Template]:
    """Import every template module of ``clawgym.envs.tasks.templates``; returns the registry."""
    import clawgym.envs.tasks.templates as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{info.name}")
    return sorted(TEMPLATES, key=lambda t: (t.category, t.name))


def world_seed(split: Split, seed: int, index: int) -> int:
    """World seeds of the two splits never meet: even for train, odd for test."""
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return 2 * (seed * 100_003 + index) + (1 if split == "test" else 0)


def generate(n: int, seed: int = 0, split: Split = "train", *, months: int = 2, cache: WorldCache = CACHE,
             surfaces: tuple[str, ...] = ("api",),
             on_world: Callable[[WorldSpec], None] | None = None) -> list[TaskSpec]:
    """``n`` tasks over ``ceil(n / 40)`` worlds, categories interleaved so any prefix is balanced.

    Only templates whose surfaces are all in ``surfaces`` are drawn: API-only by default, so a suite needs
    neither Docker nor a browser unless asked for ("cli", "gui").
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    templates = [t for t in load_templates() if set(t.surfaces) <= set(surfaces)]
    if not templates:
        raise ValueError(f"no template uses only the surfaces {surfaces}")
    worlds = [WorldSpec(seed=world_seed(split, seed, i), months=months) for i in range(math.ceil(n / TASKS_PER_WORLD))]
    tasks: list[TaskSpec] = []
    seen: set[str] = set()
    attempts = 0
    while len(tasks) < n and attempts < n * 6:
        spec = worlds[attempts % len(worlds)]
        tpl = templates[(attempts // len(worlds)) % len(templates)]
        attempts += 1
        world = cache.world(spec)
        if on_world is not None and attempts <= len(worlds):
            on_world(spec)
        rng = random.Random(f"{split}:{seed}:{spec.seed}:{tpl.name}:{attempts}")
        try:
            draft = tpl.fn(TemplateContext(world, rng))
            if draft is None:
                continue
            fingerprint = f"{spec.seed}|{draft.instruction}|{draft.trigger}"
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            # Checks that a do-nothing agent passes are labelled now: they gate, but earn no credit.
            checks = labels(draft.parsed_checks(), world)
        finally:
            world.close()
        tasks.append(_task(draft, checks, tpl, spec, split, seed, len(tasks), cache))
    return tasks


def _task(draft: Draft, checks: list[Check], tpl: Template, spec: WorldSpec, split: Split, seed: int, index: int,
          cache: WorldCache) -> TaskSpec:
    return TaskSpec(
        id=f"{split}-{tpl.category}-{index:04d}",
        world=spec,
        instruction=draft.instruction,
        trigger=draft.trigger,
        apps=draft.apps,
        surfaces=draft.surfaces,  # type: ignore[arg-type]
        **({"devices": draft.devices} if draft.devices is not None else {}),
        schedule=draft.events(),
        checks=checks,
        oracle=draft.plan(),
        max_steps=draft.max_steps,
        meta=TaskMeta(category=tpl.category, difficulty=draft.difficulty,  # type: ignore[arg-type]
                      services=sorted(set(draft.services or tpl.services)), seed=seed, template=tpl.name,
                      split=split, world_digest=cache.digest(spec)),
    )
