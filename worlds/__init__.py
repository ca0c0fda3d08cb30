"""The simulated world: families, services, operations, clock, event injection. The single source of truth.

Names load on first use (PEP 562), so importing a submodule (a family module, at ``import clawgym``) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported eagerly (it is light) so that the name ``family`` is the function, not the submodule of that name.
from clawgym.worlds.family import Family, family

_EXPORTS = {
    "Event": "clawgym.worlds.event",
    "Operation": "clawgym.worlds.operation",
    "Registry": "clawgym.worlds.operation",
    "operation": "clawgym.worlds.operation",
    "WorldSpec": "clawgym.worlds.spec",
    "World": "clawgym.worlds.world",
}

__all__ = sorted([*_EXPORTS, "Family", "family"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'clawgym.worlds' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
