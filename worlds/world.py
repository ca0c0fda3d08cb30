"""The World: one person's digital life in a database, a clock, and the operations that change it.

>>> from clawgym.worlds.world import World
>>> w = World.build(seed=1, months=1)
>>> w2 = World.restore(w.snapshot())
>>> w2.digest() == w.digest()
True
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from clawgym.worlds import database
from clawgym.worlds.clock import Clock, fmt, parse
from clawgym.worlds.event import Event, resolve
from clawgym.worlds.family import Family, family
from clawgym.worlds.operation import Registry
from clawgym.worlds.record import EventLog, Meta, Notification, log_row
from clawgym.worlds.spec import WorldSpec
from clawgym.worlds.store import Row, Store

from clawgym.errors import Forbidden, OperationError, WorldError


class World:
    """A built world: query and change it only through ``call`` (operations) and the clock.

    Its family (``spec.family``) says which tables it has and which operations exist; a builder of that family
    fills it with history through the public API below.
    """

    def __init__(self, store: Store, spec: WorldSpec, now: datetime, url: str | None = None) -> None:
        self.store = store
        self.spec = spec
        self.family: Family = family(spec.family)
        self.operations: Registry = self.family.operations
        self.clock = Clock(now)
        self.url = url
        self.actor = "user"
        # Event id -> id of the record it created, for ``{"$ref": ...}`` arguments (see ``produced``).
        self.ref_ids: dict[str, int] = {}
        # While building, a failing event aborts the whole build, so per-call savepoints are skipped.
        self.building = False
        # The snapshot an in-memory world was restored from: verifiers compare database pages against it
        # instead of serializing the world again (verifiers/diff.py).
        self.source: bytes | None = None

    # -- making worlds ---------------------------------------------------------------------
    @classmethod
    def build(cls, spec: WorldSpec | None = None, *, url: str | None = None, **options: Any) -> World:
        """Build a world from a spec (or spec fields as keywords) with its family's builder."""
        if spec is None:
            spec = WorldSpec(**options)
        elif options:
            raise TypeError("pass either a WorldSpec or its fields as keywords, not both")
        return family(spec.family).build(spec, url)

    @classmethod
    def empty(cls, spec: WorldSpec, *, url: str | None = None, meta: Mapping[str, Any] | None = None) -> World:
        """A world with its family's tables and its meta (spec, clock, and ``meta``) but no history."""
        store = database.open_store(url, family(spec.family).schema, create=True)
        world = cls(store, spec, spec.window_start, url)
        store.insert(Meta, {"key": "spec", "value": spec.model_dump(mode="json")})
        for key, value in (meta or {}).items():
            store.insert(Meta, {"key": key, "value": value})
        store.insert(Meta, {"key": "now", "value": fmt(world.now)})
        return world

    @classmethod
    def restore(cls, data: bytes, *, url: str | None = None) -> World:
        """A world from ``snapshot()`` bytes: in memory by default, or copied into the database at ``url``."""
        conn = database.deserialize(data)
        try:
            # Read before the family is known: the spec names the family, and the family gives the schema.
            meta = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM meta WHERE key IN ('spec', 'now')")}
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise WorldError(f"not a world snapshot: {exc}") from None
        try:
            spec = WorldSpec.model_validate(meta["spec"])
            now = parse(meta["now"])
        except KeyError as exc:
            conn.close()
            raise WorldError(f"snapshot has no {exc.args[0]!r} meta entry: not a clawgym world") from None
        store = database.place(conn, family(spec.family).schema, url)
        world = cls(store, spec, now, url)
        if url is None:
            world.source = bytes(data)
        return world

    def snapshot(self) -> bytes:
        """The whole world (records, history, clock) as bytes; ``World.restore`` brings it back."""
        self.save_clock()
        return database.snapshot_store(self.store)

    def digest(self) -> str:
        """A hash of every table of this world's family, rows in id order: equal digests mean equal worlds.

        The tables come from the world's own family, so the digest is the same in any process, whatever it
        has imported.
        """
        self.save_clock()
        h = hashlib.sha256()
        for table in self.store.schema.names():
            h.update(table.encode())
            for row in self.store.dump(table):
                h.update(repr(tuple(row)).encode())
        return h.hexdigest()

    def meta(self, key: str) -> Any:
        """A world-level value stored at build time (``spec``, ``now``, a family's profile such as ``persona``)."""
        rows = self.store.select(Meta, {"key": key}, limit=1)
        if not rows:
            raise WorldError(f"this {self.family.name} world has no {key!r} meta entry")
        return rows[0]["value"]

    @cached_property
    def persona(self) -> Any:
        """The person whose world this is, as the family's profile reader gives it (the assistant's Persona)."""
        if not self.family.profile:
            raise WorldError(f"{self.family.name} worlds have no persona")
        return self.family.person(self)

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
            status, made = "applied", None
            try:
                result = self.apply(event)
                made = result_id(result)
            except OperationError:
                status = "failed"  # a scheduled event whose target the agent deleted: the world moves on
            self.store.update(EventLog, row["id"], {"status": status, "result_id": made})
            fired.append({**row, "status": status, "result_id": made})
        self.clock.set(max(self.now, target))
        return fired

    def schedule(self, events: Iterable[Event]) -> None:
        """Add events to fire when the clock passes them (they must lie in the future)."""
        for event in events:
            if event.at <= self.now:
                raise ValueError(f"scheduled event {event.id} at {fmt(event.at)} is not after now {self.iso_now()}")
            self.store.insert(EventLog, log_row(event, "pending", None))

    def pending(self) -> list[Row]:
        """Events scheduled but not yet fired, in time order."""
        return self.store.query(EventLog, "status = ? ORDER BY at, id", ("pending",))

    # -- acting ----------------------------------------------------------------------------
    def call(self, name: str, args: dict[str, Any] | None = None, *, actor: str = "user", system: bool = False) -> Any:
        """Run operation ``name`` with ``args`` as ``actor``; all or nothing, errors name what was wrong."""
        op = self.operations.get(name)
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
        rid = result_id(result)
        if rid is not None:
            self.ref_ids[event.id] = rid
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

    def save_clock(self) -> None:
        """Store the clock in the world's meta (snapshots and digests do this themselves)."""
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
        cached = self.world.ref_ids.get(key)
        if cached is not None:
            return cached
        rows = self.world.store.select(EventLog, {"eid": key}, limit=1)
        if rows and rows[0]["result_id"] is not None:
            self.world.ref_ids[key] = rows[0]["result_id"]
            return int(rows[0]["result_id"])
        return None


def result_id(result: Any) -> int | None:
    """The id of the record an operation's result describes, if it describes one."""
    if isinstance(result, dict) and isinstance(result.get("id"), int):
        return int(result["id"])
    return None


__all__ = ["World", "WorldSpec"]
