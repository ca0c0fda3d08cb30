"""The tools one task offers an agent: its family's operations of its apps on its devices, plus ``finish`` and ``wait``."""

from __future__ import annotations

import functools
from typing import Any

from clawgym.worlds.family import Family
from clawgym.worlds.operation import Device, Operation

FINISH = {
    "type": "function",
    "function": {
        "name": "finish",
        "description": "End the task. Put the answer in `answer` when the task asks a question; say briefly what "
        "you did otherwise, or why you refused.",
        "parameters": {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]},
    },
}
WAIT = {
    "type": "function",
    "function": {
        "name": "wait",
        "description": "Let time pass (1 to 1440 minutes) and see what arrives: notifications show new events.",
        "parameters": {
            "type": "object",
            "properties": {"minutes": {"type": "integer", "minimum": 1, "maximum": 1440}},
            "required": ["minutes"],
        },
    },
}


def tool_name(op: Operation) -> str:
    """OpenAI function names allow no dots: ``mail.send`` is offered as ``mail_send`` (apps have no ``_``)."""
    return op.name.replace(".", "_", 1)


class Toolset:
    """Name -> operation for one task; accepts both ``mail.send`` and ``mail_send``."""

    @classmethod
    def of(cls, family: Family, apps: list[str] | None, devices: list[Device]) -> Toolset:
        """The (shared, read-only) toolset of ``family`` for these apps and devices."""
        return _toolset(family, tuple(apps) if apps is not None else None, tuple(devices))

    def __init__(self, family: Family, apps: list[str] | None, devices: list[Device]) -> None:
        ops = [op for op in family.operations.exposed(apps) if any(d in op.devices for d in devices)]
        self.ops: dict[str, Operation] = {}
        for op in ops:
            self.ops[op.name] = op
            self.ops[tool_name(op)] = op
        self._schemas = [_schema(op) for op in ops]

    def schemas(self) -> list[dict[str, Any]]:
        """The operations as tools in OpenAI function-calling format (the env adds ``wait`` and ``finish``)."""
        return self._schemas

    def get(self, name: str) -> Operation | None:
        return self.ops.get(name)


@functools.lru_cache(maxsize=256)
def _toolset(family: Family, apps: tuple[str, ...] | None, devices: tuple[Device, ...]) -> Toolset:
    return Toolset(family, list(apps) if apps is not None else None, list(devices))


def _schema(op: Operation) -> dict[str, Any]:
    schema = op.schema()
    schema["function"]["name"] = tool_name(op)
    return schema
