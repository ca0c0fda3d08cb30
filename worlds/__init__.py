"""The simulated world: services, operations, clock, persona, event injection. The single source of truth."""

from clawgym.worlds.event import Event
from clawgym.worlds.operation import REGISTRY, Operation, operation
from clawgym.worlds.spec import WorldSpec
from clawgym.worlds.world import World

__all__ = ["Event", "Operation", "REGISTRY", "World", "WorldSpec", "operation"]
