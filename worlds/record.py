"""Base of every service table, and the world's own tables (meta, notifications, event log, truth)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from clawgym.worlds.clock import fmt
from clawgym.worlds.event import Event


class Record(SQLModel):
    """Columns every service record has: an id, and the event (or agent step) that created it."""

    id: int | None = Field(default=None, primary_key=True)
    origin: str = ""  # not indexed: nothing queries by it, and every insert would pay for the index


class Meta(SQLModel, table=True):
    """World-level values: spec, persona, clock, window."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: Any = Field(sa_column=Column(JSON))


class Notification(Record, table=True):
    """A notification shown on the user's devices (new mail, a shipment update, a reminder due)."""

    __tablename__ = "notification"
    at: str = Field(index=True)
    app: str
    title: str
    body: str = ""
    ref_table: str = ""
    ref_id: int | None = None
    read: bool = False


class EventLog(SQLModel, table=True):
    """Every injected event, applied or pending: the user's activity history and the build's audit trail."""

    __tablename__ = "event_log"
    # Each step asks for the pending events now due: without this index that query scans the whole history.
    __table_args__ = (Index("ix_event_log_status_at", "status", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    eid: str = Field(index=True)
    at: str = Field(index=True)
    actor: str
    op: str
    args: Any = Field(sa_column=Column(JSON))
    round: int
    kind: str
    status: str  # applied | pending | failed
    result_id: int | None = None
    note: str = ""


class Fact(SQLModel, table=True):
    """Ground truth a task or probe can rely on: which record holds which value, since which event."""

    __tablename__ = "fact"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)
    kind: str  # seed | noise | conflict
    eid: str
    at: str
    app: str
    tbl: str
    record_id: int | None = None
    field: str
    value: Any = Field(sa_column=Column(JSON))
    description: str = ""
    near: str = ""  # for noise: the key of the seed fact it imitates
    superseded_by: int | None = None


class Conflict(SQLModel, table=True):
    """A later fact that supersedes an earlier one, explicitly ("moved to 3 pm") or implicitly."""

    __tablename__ = "conflict"
    id: int | None = Field(default=None, primary_key=True)
    key: str
    superseded: int  # fact id
    superseding: int  # fact id
    explicit: bool
    description: str


def log_row(event: Event, status: str, result_id: int | None) -> dict[str, Any]:
    """The event log row of ``event`` (``status``: applied, pending or failed)."""
    return {
        "eid": event.id,
        "at": fmt(event.at),
        "actor": event.actor,
        "op": event.op,
        "args": event.args,
        "round": event.round,
        "kind": event.kind,
        "status": status,
        "result_id": result_id,
        "note": event.note,
    }
