"""Multi-round event injection: how a world's months of history are made.

Rounds run in order (setup, routine, seed, noise, conflict). Each round's planners read a planning view of
the world the earlier rounds produced. The final world is then made in one pass that applies every event
in time order through operations, so its state is exactly what that history implies.

The planning view is made lazily: earlier rounds' events are applied to it (in time order) only when a
planner first reads ``ctx.world``, so rounds that plan from facts and the persona alone cost no second pass.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from faker import Faker

from clawgym.errors import OperationError, WorldError
from clawgym.worlds.clock import fmt
from clawgym.worlds.event import KINDS, Event
from clawgym.worlds.family import Family, family
from clawgym.worlds.persona import Persona, make_persona
from clawgym.worlds.planner import FactDraft, PlanContext, seeded
from clawgym.worlds.record import Conflict, EventLog, Fact, log_row
from clawgym.worlds.spec import WorldSpec
from clawgym.worlds.world import World

_FAKER = Faker("en_US")


def build_world(spec: WorldSpec, url: str | None = None) -> World:
    """Plan every round of the spec family's planners, then apply the whole history in time order to a fresh world.

    The family's worlds are about one person: their persona is made from the seed and stored in the world's meta.
    """
    fam = family(spec.family)
    persona = make_persona(spec.seed, spec.extra_people)
    events, facts = plan_history(fam, spec, persona)
    world = World.empty(spec, url=url, meta={"persona": persona.to_json()})
    world.building = True
    apply_history(world, sorted(events, key=Event.sort_key), spec)
    record_truth(world, facts)
    world.building = False
    return world


def plan_history(fam: Family, spec: WorldSpec, persona: Persona) -> tuple[list[Event], list[FactDraft]]:
    """Every round's events and declared facts, planned by the family's planners on a lazy view of the world."""
    services = spec.services or tuple(fam.services)
    view = _LazyView(World.empty(spec, meta={"persona": persona.to_json()}), spec)
    events: list[Event] = []
    facts: list[FactDraft] = []
    for round_no, kind in enumerate(KINDS):
        added: list[Event] = []
        for p in fam.planners:
            if p.kind != kind or p.service not in services:
                continue
            rng, faker_seed = seeded(spec.seed, kind, p.service, p.fn.__name__)
            _FAKER.seed_instance(faker_seed)
            ctx = PlanContext(view.get, persona, round_no, kind, p.service, rng, _FAKER, spec.window_start,
                              spec.window_end, events + added, facts, spec.density,
                              prefix=f"{round_no}.{p.service}.{p.fn.__name__}", operations=fam.operations)
            p.fn(ctx)
            added.extend(ctx.added)
        events.extend(added)
        view.pending.extend(added)
    view.world.close()
    return events, facts


class _LazyView:
    """The planning world: events wait in ``pending`` until a planner reads it."""

    def __init__(self, world: World, spec: WorldSpec) -> None:
        self.world = world
        self.world.building = True
        self.spec = spec
        self.pending: list[Event] = []
        self.applied: list[Event] = []

    def get(self) -> World:
        if self.pending:
            batch, self.pending = sorted(self.pending, key=Event.sort_key), []
            if batch[0].at < self.world.now:
                # Later rounds' events interleave with what the view already holds: rebuild it in time order.
                applied = self.applied + batch
                self.world.close()
                self.world = World.empty(self.spec, meta={"persona": self.world.persona.to_json()})
                self.world.building = True
                batch = sorted(applied, key=Event.sort_key)
                self.applied = []
            _apply_all(self.world, batch, self.spec)
            self.applied += batch
        return self.world


def _apply_all(world: World, events: list[Event], spec: WorldSpec) -> None:
    end = spec.window_end  # computed once: it is a property
    for e in events:
        if e.at <= end:
            try:
                world.apply(e)
            except OperationError as exc:
                raise WorldError(f"event {e.id} ({e.op} at {fmt(e.at)}) failed while building: {exc}") from exc


def apply_history(world: World, events: list[Event], spec: WorldSpec) -> None:
    """Apply ``events`` (in time order) in one transaction, move the clock to the window end, log every event."""
    store = world.store
    store.conn.execute("BEGIN")
    try:
        _apply_all(world, events, spec)
        end = spec.window_end
        world.clock.set(max(world.now, end))
        rows = [log_row(e, "applied" if e.at <= end else "pending", world.ref_ids.get(e.id)) for e in events]
        store.insert_many(EventLog, rows)
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise


def record_truth(world: World, facts: list[FactDraft]) -> None:
    """Store facts with their record ids, and link every conflict to the fact it supersedes."""
    store = world.store
    latest: dict[str, int] = {}
    for draft in sorted(facts, key=lambda f: (f.at, f.eid)):
        fact_id = store.insert(Fact, {
            "key": draft.key, "kind": draft.kind, "eid": draft.eid, "at": fmt(draft.at), "app": draft.app,
            "tbl": draft.table, "record_id": world.ref_ids.get(draft.eid) if draft.eid else None,
            "field": draft.field, "value": draft.value, "description": draft.description, "near": draft.near,
        })
        if draft.supersedes:
            old = latest.get(draft.supersedes)
            if old is None:
                raise WorldError(f"conflict {draft.eid} supersedes unknown fact {draft.supersedes!r}")
            store.update(Fact, old, {"superseded_by": fact_id})
            store.insert(Conflict, {"key": draft.key, "superseded": old, "superseding": fact_id,
                                    "explicit": draft.explicit, "description": draft.description})
        if draft.kind != "noise":
            latest[draft.key] = fact_id
    world.save_clock()


def summary(world: World) -> dict[str, Any]:
    """Counts of a world's history: events by round and kind, conflicts."""
    rows = world.store.dump(EventLog)
    cols = [c for c in EventLog.__table__.columns.keys()]  # type: ignore[attr-defined]
    r_i, k_i = cols.index("round"), cols.index("kind")
    return {
        "events": {
            "total": len(rows),
            "by_round": {str(k): v for k, v in sorted(Counter(r[r_i] for r in rows).items())},
            "by_kind": dict(sorted(Counter(r[k_i] for r in rows).items())),
        },
        "conflicts": world.store.count(Conflict),
    }
