"""Errors raised by clawgym.

ClawgymError
├─ OperationError        an agent's misuse -> becomes an observation in the env's step
│  ├─ InvalidArguments   an argument is missing, has the wrong type or form
│  ├─ UnknownOperation   no operation has that name (or it is not exposed here)
│  ├─ NotFound           an id that names no record
│  └─ Forbidden          the operation is not allowed in this state (no funds, already cancelled...)
├─ WorldError            a world spec or snapshot that cannot be built or restored
├─ TaskError             a task file that does not load or validate
└─ SandboxError          a sandbox that failed to start, answer or stop
"""

from __future__ import annotations

__all__ = [
    "ClawgymError",
    "OperationError",
    "InvalidArguments",
    "UnknownOperation",
    "NotFound",
    "Forbidden",
    "WorldError",
    "TaskError",
    "SandboxError",
]


class ClawgymError(Exception):
    """Base of every error clawgym raises on purpose."""


class OperationError(ClawgymError):
    """An operation was misused; the message is written for the agent that misused it."""


class InvalidArguments(OperationError):
    """An argument is missing, of the wrong type, or not of the expected form."""


class UnknownOperation(OperationError):
    """No operation of that name exists or is exposed on this surface."""


class NotFound(OperationError):
    """An id names no record."""

    def __init__(self, what: str, ident: object) -> None:
        super().__init__(f"no {what} with id {ident!r}")
        self.what = what
        self.ident = ident


class Forbidden(OperationError):
    """The operation is valid in form but not allowed in the world's current state."""


class WorldError(ClawgymError):
    """A world spec, snapshot or database that cannot be built or restored."""


class TaskError(ClawgymError):
    """A task file or task id that does not load or validate; names the file and the field."""


class SandboxError(ClawgymError):
    """A sandbox failed to start, answer a command or stop."""
