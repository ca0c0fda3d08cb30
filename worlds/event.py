"""Events: dated operation calls that make a world's history, or fire later during an episode."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

EventKind = Literal["setup", "routine", "seed", "noise", "conflict"]
KINDS: tuple[EventKind, ...] = ("setup", "routine", "seed", "noise", "conflict")


@dataclass(frozen=True)
class Ref:
    """A placeholder for the id of the record that another event created (resolved when applied)."""

    event: str

    def as_arg(self) -> dict[str, str]:
        return {"$ref": self.event}


@dataclass(frozen=True)
class Event:
    """At ``at``, ``actor`` performs ``op`` with ``args``; injected by round ``round`` of kind ``kind``.

    ``args`` may hold ``{"$ref": event_id}`` where the id of a record made by an earlier event belongs.
    """

    at: datetime
    actor: str
    op: str
    args: dict[str, Any]
    round: int
    kind: EventKind
    id: str = ""
    note: str = field(default="", compare=False)  # why the event exists, for humans reading the log

    def sort_key(self) -> tuple[datetime, int, str]:
        return (self.at, self.round, self.id)


def resolve(args: Any, ids: dict[str, int]) -> Any:
    """Replace ``{"$ref": event}`` placeholders by the record ids those events produced."""
    if isinstance(args, dict) and "$ref" not in args and not any(isinstance(v, (dict, list)) for v in args.values()):
        return args  # flat arguments (most events) hold no placeholder: nothing to copy
    if isinstance(args, dict):
        if len(args) == 1 and "$ref" in args:
            ref = args["$ref"]
            if ref not in ids:
                raise ValueError(f"event reference {ref!r} names no event that produced a record")
            return ids[ref]
        return {k: resolve(v, ids) for k, v in args.items()}
    if isinstance(args, list):
        return [resolve(v, ids) for v in args]
    return args
