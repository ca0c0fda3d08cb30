"""Families: what kind of world a world is — its services and tables, its operations, its planners, its builder.

A family is one explicit ``Family`` object; nothing about it is process-wide. Its services declare tables,
operations and planners in modules that the family names, and the family collects them from those modules
only, so a second family's operations never show in an assistant task and its tables never enter an assistant
world's digest. A world records its family in its spec and asks the family for everything else.

Families are found by name: ``clawgym.worlds.families.<name>`` holds the ``FAMILY`` object. Adding a family is
its own folder plus one module there; no central file is edited.

>>> from clawgym.worlds.family import family
>>> fam = family("assistant")
>>> "mail.send" in fam.operations, "email" in fam.schema
(True, True)
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clawgym.worlds.operation import Registry
    from clawgym.worlds.planner import Planner
    from clawgym.worlds.schema import Schema
    from clawgym.worlds.spec import WorldSpec
    from clawgym.worlds.world import World

# Every world has these tables, whatever its family: its spec and clock, its event log, its ground truth.
CORE_MODULE = "clawgym.worlds.record"


@dataclass(frozen=True, eq=False)
class Family:
    """One kind of world: named services whose modules declare its tables, operations and planners.

    ``builder``, ``env`` and ``profile`` are ``"module:attribute"`` strings, imported on first use, so a family
    module is cheap to import (``import clawgym`` reads every family to register its env id): the builder makes
    a world from a spec, the env entry point makes the family's Gymnasium env (worlds never import envs), the
    profile reads the family's person (the assistant's persona) from a world, where it has one.
    """

    name: str
    title: str  # the env id is clawgym/<title>-v0
    description: str
    services: Mapping[str, str]  # app -> one line for people and agents, in the order planners run
    modules: tuple[str, ...]  # modules declaring the tables, operations and planners, in planning order
    builder: str
    env: str
    intro: Callable[[World], str]  # the first line of an episode: who the agent works for, and when
    profile: str = ""

    @property
    def env_id(self) -> str:
        return f"clawgym/{self.title}-v0"

    @cached_property
    def _modules(self) -> tuple[ModuleType, ...]:
        return tuple(importlib.import_module(m) for m in (CORE_MODULE, *self.modules))

    @cached_property
    def operations(self) -> Registry:
        """The operations of this family's services, by name."""
        from clawgym.worlds.operation import Registry

        return Registry.collect(self._modules)

    @cached_property
    def schema(self) -> Schema:
        """The tables of this family's worlds: the core tables and its services' tables."""
        from clawgym.worlds.schema import Schema

        return Schema.collect(self._modules)

    @cached_property
    def planners(self) -> tuple[Planner, ...]:
        """Planners in the order they run within a round (the order of ``modules``)."""
        from clawgym.worlds.planner import collect_planners

        return collect_planners(self._modules)

    def person(self, world: World) -> Any:
        """The family's profile of the person whose world ``world`` is; None for families without one."""
        return _load(self.profile)(world) if self.profile else None

    def build(self, spec: WorldSpec, url: str | None = None) -> World:
        """A world of this family made from ``spec``."""
        return _load(self.builder)(spec, url)  # type: ignore[no-any-return]

    def make_env(self, task: Any, **kwargs: Any) -> Any:
        """The family's Gymnasium env for ``task`` (the registered entry point)."""
        return _load(self.env)(task, **kwargs)

    def __repr__(self) -> str:
        return f"Family({self.name!r})"


_PACKAGE = "clawgym.worlds.families"
_FOUND: dict[str, Family] = {}


def family_names() -> list[str]:
    """Names of the families this installation has (listed without importing them)."""
    import clawgym.worlds.families as pkg

    return sorted(info.name for info in pkgutil.iter_modules(pkg.__path__) if not info.name.startswith("_"))


def family(name: str) -> Family:
    """The family named ``name``; an unknown name raises ValueError listing the known ones."""
    found = _FOUND.get(name)
    if found is not None:
        return found
    if not isinstance(name, str) or name not in family_names():
        raise ValueError(f"unknown family {name!r}; known: {', '.join(family_names())}")
    module = importlib.import_module(f"{_PACKAGE}.{name}")
    found = getattr(module, "FAMILY", None)
    if not isinstance(found, Family) or found.name != name:
        raise TypeError(f"{_PACKAGE}.{name} must define FAMILY = Family(name={name!r}, ...)")
    _FOUND[name] = found
    return found


def _load(target: str) -> Callable[..., Any]:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
