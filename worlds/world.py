"""The World: one person's digital life in a database, a clock, and the operations that change it.

>>> from clawgym.worlds.world import World
>>> w = World.build(seed=1, months=1)
>>> w2 = World.restore(w.snapshot())
>>> w2.digest() == w.digest()
True
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import SQLModel

from clawgym.errors import Forbidden, OperationError, WorldError
from clawgym.worlds import schema
from clawgym.worlds.clock import Clock, fmt, parse
from clawgym.worlds.event import Event, resolve
from clawgym.worlds.operation import REGISTRY
from clawgym.worlds.persona import Persona
from clawgym.worlds.record import EventLog, Meta, Notification
from clawgym.worlds.spec import WorldSpec
from clawgym.worlds.store import Row, Store


class World:
    """A built world: query and change it only through ``call`` (operations) and the clock."""

    def __init__(self, store: Store, spec: WorldSpec, now: datetime, persona: Persona, url: str | None = None) -> None:
        self.store = store
        self.spec = spec
        self.clock = Clock(now)
        self.persona = persona
        self.url = url
        self.actor = "user"
        self._ref_ids: dict[str, int] = {}
        # While building, a failing event aborts the whole build, so per-call savepoints are skipped.
        self.building = False
        # The snapshot an in-memory world was restored from: verifiers compare database pages against it
        # instead of serializing the world again (verifiers/diff.py).
        self.source: bytes | None = None

    # -- making worlds ---------------------------------------------------------------------
    @classmethod
    def build(cls, spec: WorldSpec | None = None, *, url: str | None = None, **options: Any) -> World:
        """Build a world from a spec (or spec fields as keywords) by multi-round event injection."""
        from clawgym.worlds.injection import build_world

        if spec is None:
            spec = WorldSpec(**options)
        elif options:
            raise TypeError("pass either a WorldSpec or its fields as keywords, not both")
        return build_world(spec, url=url)

    @classmethod
    def empty(cls, spec: WorldSpec, persona: Persona, *, url: str | None = None) -> World:
        """A world with its schema and meta but no history (the injector fills it)."""
        store = schema.open_store(url, create=True)
        world = cls(store, spec, spec.window_start, persona, url)
        store.insert(Meta, {"key": "spec", "value": spec.model_dump(mode="json")})
        store.insert(Meta, {"key": "persona", "value": persona.to_json()})
        store.insert(Meta, {"key": "now", "value": fmt(world.now)})
        return world

    @classmethod
    def restore(cls, data: bytes, *, url: str | None = None) -> World:
        """A world from ``snapshot()`` bytes: in memory by default, or copied into the database at ``url``."""
        store = schema.load_snapshot(data, url)
        try:
            meta = {row["key"]: row["value"] for row in store.select(Meta)}
        except sqlite3.DatabaseError as exc:
            raise WorldError(f"not a world snapshot: {exc}") from None
        try:
            spec = WorldSpec.model_validate(meta["spec"])
            persona = Persona.from_json(meta["persona"])
            now = parse(meta["now"])
        except KeyError as exc:
            raise WorldError(f"snapshot has no {exc.args[0]!r} meta entry: not a clawgym world") from None
        world = cls(store, spec, now, persona, url)
        if url is None:
            world.source = bytes(data)
        return world

    def snapshot(self) -> bytes:
        """The whole world (records, history, clock) as bytes; ``World.restore`` brings it back."""
        self._save_clock()
        return schema.snapshot_store(self.store)

    def digest(self) -> str:
        """A hash of every table's rows in id order: equal digests mean equal worlds."""
        self._save_clock()
        h = hashlib.sha256()
        for table in sorted(SQLModel.metadata.tables):
            h.update(table.encode())
            for row in self.store.dump(table):
                h.update(repr(tuple(row)).encode())
        return h.hexdigest()

    def close(self) -> None:
        """Release the database connection."""
        self.store.conn.close()

    # -- time ------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self.clock.now

    def iso_now(self) -> str:
        return self.clock.iso()

    def advance(self, delta: timedelta | None = None, *, until: datetime | None = None) -> list[Row]:
        """Move the clock forward and fire every pending event it passes; returns the fired log rows."""
        target = until if until is not None else self.now + (delta or timedelta(0))
        fired: list[Row] = []
        for row in self.store.query(EventLog, "status = ? AND at <= ? ORDER BY at, id", ("pending", fmt(target))):
            event = Event(parse(row["at"]), row["actor"], row["op"], row["args"], row["round"], row["kind"], row["eid"])
            status, result_id = "applied", None
            try:
                result = self.apply(event)
                result_id = _result_id(result)
            except OperationError:
                status = "failed"  # a scheduled event whose target the agent deleted: the world moves on
            self.store.update(EventLog, row["id"], {"status": status, "result_id": result_id})
            fired.append({**row, "status": status, "result_id": result_id})
        self.clock.set(max(self.now, target))
        return fired

    def schedule(self, events: Iterable[Event]) -> None:
        """Add events to fire when the clock passes them (they must lie in the future)."""
        for event in events:
            if event.at <= self.now:
                raise ValueError(f"scheduled event {event.id} at {fmt(event.at)} is not after now {self.iso_now()}")
            self.store.insert(EventLog, _log_row(event, "pending", None))

    def pending(self) -> list[Row]:
        """Events scheduled but not yet fired, in time order."""
        return self.store.query(EventLog, "status = ? ORDER BY at, id", ("pending",))

    # -- acting ----------------------------------------------------------------------------
    def call(self, name: str, args: dict[str, Any] | None = None, *, actor: str = "user", system: bool = False) -> Any:
        """Run operation ``name`` with ``args`` as ``actor``; all or nothing, errors name what was wrong."""
        op = REGISTRY.get(name)
        if op.system and not system:
            raise Forbidden(f"{name} is something the world does, not an action the user can take")
        params = op.validate(args if args is not None else {})
        previous, self.actor = self.actor, actor  # nested calls (a booking texting companions) restore it
        try:
            if op.kind == "read" or self.building:
                return op.fn(self, **params)
            with self.store.savepoint():
                return op.fn(self, **params)
        finally:
            self.actor = previous

    def apply(self, event: Event) -> Any:
        """Perform one event: the clock moves to its time, references resolve, its operation runs."""
        if event.at > self.now:
            self.clock.set(event.at)
        args = resolve(event.args, _RefIds(self))
        previous, self.store.origin = self.store.origin, event.id
        try:
            result = self.call(event.op, args, actor=event.actor, system=True)
        finally:
            self.store.origin = previous
        rid = _result_id(result)
        if rid is not None:
            self._ref_ids[event.id] = rid
        return result

    def notify(self, app: str, title: str, body: str = "", ref_table: str = "", ref_id: int | None = None) -> int:
        """Show a notification on the user's devices; operations call this, agents read it."""
        return self.store.insert(
            Notification,
            {"at": self.iso_now(), "app": app, "title": title, "body": body, "ref_table": ref_table, "ref_id": ref_id},
        )

    def notifications(self, limit: int = 5, unread_only: bool = True) -> list[Row]:
        """The latest notifications, newest first."""
        where = {"read": False} if unread_only else None
        return self.store.select(Notification, where, order_by="at", desc=True, limit=limit)

    def _save_clock(self) -> None:
        self.store.update_where(Meta, {"key": "now"}, {"value": self.iso_now()})

    def __repr__(self) -> str:
        return f"World(seed={self.spec.seed}, months={self.spec.months}, now={self.iso_now()})"


class _RefIds(dict[str, int]):
    """Event id -> produced record id, from memory during a build, from the event log afterwards."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def __contains__(self, key: object) -> bool:
        return self._lookup(str(key)) is not None

    def __getitem__(self, key: str) -> int:
        found = self._lookup(key)
        if found is None:
            raise KeyError(key)
        return found

    def _lookup(self, key: str) -> int | None:
        cached = self.world._ref_ids.get(key)
        if cached is not None:
            return cached
        rows = self.world.store.select(EventLog, {"eid": key}, limit=1)
        if rows and rows[0]["result_id"] is not None:
            self.world._ref_ids[key] = rows[0]["result_id"]
            return int(rows[0]["result_id"])
        return None


def _result_id(result: Any) -> int | None:
    if isinstance(result, dict) and isinstance(result.get("id"), int):
        return int(result["id"])
    return None


def _log_row(event: Event, status: str, result_id: int | None) -> dict[str, Any]:
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


__all__ = ["World", "WorldSpec"]
