"""Surfaces: the ways an agent reaches a world — its operations as tools (``api``), a device's shell (``cli``) or
its screens (``gui``) — plugged into the env by name.

A surface contributes tools and runs the steps that call them; every change it makes to the world goes through
the world's operations, so all surfaces see one world. The env routes each tool call to the first surface that
handles it (one routing loop for every surface). Implementations load lazily (Docker, a browser).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from clawgym.envs.task import TaskSpec
    from clawgym.worlds.world import World

# name -> "module:Class"; a surface's module is imported only when a task uses it.
SURFACES: dict[str, str] = {
    "api": "clawgym.envs.api:ApiSurface",
    "cli": "clawgym.envs.sandbox.surface:ShellSurface",
    "gui": "clawgym.envs.gui.surface:GuiSurface",
}


class Outcome(NamedTuple):
    """What one step on a surface gave: the observation, a result for ``info``, and whether it succeeded.

    ``tool`` is the name the trajectory records (the operation's name for an API call; the tool called when
    None); ``error`` the recorded error (the observation, when None and the step failed).
    """

    observation: str
    result: Any = None
    ok: bool = True
    tool: str | None = None
    error: str | None = None


class Surface(Protocol):
    """What the env needs of a surface."""

    name: str

    def tools(self) -> list[dict[str, Any]]:
        """The surface's tools in OpenAI function-calling format."""

    def reset(self, world: World, task: TaskSpec) -> str:
        """Bind to a freshly restored world at the start of an episode; returns text for the first observation."""

    def handles(self, tool: str) -> bool:
        """Whether ``tool`` is one of this surface's."""

    def step(self, world: World, tool: str, args: dict[str, Any], index: int) -> Outcome:
        """Run one tool call. Bad input is an observation, never a raise."""

    def sync(self, world: World) -> None:
        """Bring the world up to date with anything the surface holds outside it (before verification)."""

    def close(self) -> None:
        """Release what the surface holds (containers, browser contexts)."""


def load_surface(name: str, **options: Any) -> Surface:
    """An instance of the surface registered as ``name``."""
    try:
        target = SURFACES[name]
    except KeyError:
        raise ValueError(f"unknown surface {name!r}; known: {sorted(SURFACES)}") from None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)(**options)  # type: ignore[no-any-return]
