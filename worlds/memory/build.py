"""Building a memory world: every scenario's sessions and a stream of everyday ones, written to the journal in
time order through operations, and the supersession ledger (facts and conflicts) recorded beside them.

The scenarios come from ``generate`` on the spec alone, so a task generator and an env get the same scenarios
from the spec again (``scenarios_of``) without reading any ground truth out of the world.
"""

from __future__ import annotations

import functools
from datetime import datetime

from clawgym.worlds.event import Event
from clawgym.worlds.injection import apply_history, record_truth
from clawgym.worlds.memory.filler import filler
from clawgym.worlds.memory.scenario import Scenario, Session, generate
from clawgym.worlds.persona import make_persona
from clawgym.worlds.planner import FactDraft
from clawgym.worlds.spec import WorldSpec
from clawgym.worlds.world import World

SCENARIOS_PER_MONTH = 8  # scaled by the spec's density
FILLER_PER_DAY = 1.5  # everyday sessions around the scenarios' own, so searching the journal takes thought


def scenario_count(spec: WorldSpec) -> int:
    return max(5, round(SCENARIOS_PER_MONTH * spec.months * spec.density))


@functools.lru_cache(maxsize=64)
def scenarios_of(spec: WorldSpec) -> tuple[Scenario, ...]:
    """The scenarios a memory world of ``spec`` holds (the same in any process)."""
    return tuple(generate(spec.seed, scenario_count(spec), spec.start, spec.months))


def build_world(spec: WorldSpec, url: str | None = None) -> World:
    """A memory world: the journal holds the history; the ledger says what superseded what."""
    persona = make_persona(spec.seed)
    world = World.empty(spec, url=url, meta={"persona": persona.to_json()})
    scenarios = scenarios_of(spec)
    sessions = [(s, i, sc) for sc in scenarios for i, s in enumerate(sc.sessions)]
    days = (spec.window_end - spec.window_start).days
    extra = filler(spec.seed, spec.start, spec.months)
    sessions += [(next(extra), j, None) for j in range(round(days * FILLER_PER_DAY))]
    sessions.sort(key=lambda x: (x[0].at, x[2].id if x[2] else "", x[1]))
    events, facts = [], []
    for n, (session, i, sc) in enumerate(sessions):
        eid = f"{sc.id}.{i}" if sc else f"filler.{n}"
        events.append(_event(session, eid))
        if sc is not None and session.role in ("establish", "update"):
            facts.append(_fact(sc, session, eid))
    world.building = True
    apply_history(world, events, spec)
    record_truth(world, facts)
    world.building = False
    return world


def _event(session: Session, eid: str) -> Event:
    turns = [[speaker, said] for speaker, said in session.turns]
    return Event(session.at, "system", "journal.record", {"title": session.title, "turns": turns}, 0, "routine", eid)


def _fact(sc: Scenario, session: Session, eid: str) -> FactDraft:
    """The ledger entry: the value a scenario's topic holds from this session on (an update supersedes it)."""
    at: datetime = session.at
    if session.role == "establish":
        return FactDraft(f"memory.{sc.id}.{sc.topic}", "seed", eid, at, "journal", "journal_session", "text", sc.old,
                         f"{sc.id}: {sc.topic} is {sc.old}")
    return FactDraft(f"memory.{sc.id}.{sc.topic}", "conflict", eid, at, "journal", "journal_session", "text", sc.new,
                     f"{sc.id}: {sc.topic} changed to {sc.new}", supersedes=f"memory.{sc.id}.{sc.topic}",
                     explicit=sc.explicit)
