"""Planners: per-service functions that write a round of a world's history as dated events.

A planner reads the world the earlier rounds produced (``ctx.world``, ``ctx.facts``) and adds events:

    @planner("mail", "routine")
    def newsletters(ctx: PlanContext) -> None:
        for day in ctx.days(every=7):
            ctx.add(ctx.at(day, 7, 30), "mail.receive", {...}, actor="system")
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import ModuleType
from typing import TYPE_CHECKING, Any

from faker import Faker

from clawgym.worlds.event import Event, EventKind, Ref
from clawgym.worlds.persona import Person, Persona

if TYPE_CHECKING:
    from clawgym.worlds.world import World


@dataclass(frozen=True)
class Planner:
    service: str
    kind: EventKind
    fn: Callable[[PlanContext], None]


def planner(service: str, kind: EventKind) -> Callable[[Callable[[PlanContext], None]], Callable[[PlanContext], None]]:
    """Declare ``fn(ctx)`` as a planner of ``service``'s events in rounds of ``kind`` (a family collects it)."""

    def register(fn: Callable[[PlanContext], None]) -> Callable[[PlanContext], None]:
        fn.__planner__ = Planner(service, kind, fn)  # type: ignore[attr-defined]
        return fn

    return register


def collect_planners(modules: Iterable[ModuleType]) -> tuple[Planner, ...]:
    """The planners declared in ``modules``, module by module in source order (the order they run in a round)."""
    from clawgym.worlds.operation import declared

    return tuple(p for m in modules for p in declared(m, "__planner__"))


@dataclass
class FactDraft:
    """A fact declared while planning; its record id is known once the world is built."""

    key: str
    kind: str
    eid: str
    at: datetime
    app: str
    table: str
    field: str
    value: Any
    description: str = ""
    near: str = ""
    supersedes: str = ""  # key of the fact this one replaces (conflicts)
    explicit: bool = False


@dataclass
class PlanContext:
    """What one planner sees and how it adds events and facts."""

    view: Callable[[], World]  # the world of the earlier rounds, made on first use (see ``world``)
    persona: Persona
    round: int
    kind: EventKind
    service: str
    rng: random.Random
    fake: Faker
    start: datetime
    end: datetime
    planned: list[Event]  # every event of earlier rounds, and this round's so far
    facts: list[FactDraft]
    density: float = 1.0
    prefix: str = ""  # event ids are "<prefix>.<n>": unique per round, service and planner
    operations: Collection[str] = ()  # names of the operations the family has (a planner may depend on another app)
    added: list[Event] = field(default_factory=list)

    @property
    def world(self) -> World:
        """The world the earlier rounds produced (read it; never call write operations on it)."""
        return self.view()

    # -- adding ----------------------------------------------------------------------------
    def add(self, at: datetime, op: str, args: dict[str, Any], *, actor: str = "system", note: str = "") -> Event:
        """An event inside the history window."""
        if not self.start <= at <= self.end:
            raise ValueError(f"{self.service} planner: event at {at} is outside the window {self.start}..{self.end}")
        return self._append(at, op, args, actor, note)

    def schedule(self, at: datetime, op: str, args: dict[str, Any], *, actor: str = "system", note: str = "") -> Event:
        """An event after the window: it fires when an episode's clock passes it."""
        if at <= self.end:
            raise ValueError(f"{self.service} planner: scheduled event at {at} must be after the window end {self.end}")
        return self._append(at, op, args, actor, note)

    def fact(self, key: str, event: Event, *, table: str, field: str, value: Any, description: str = "", near: str = "") -> FactDraft:
        """Declare that ``event`` makes ``table.field`` hold ``value`` (seed facts, or noise imitating ``near``)."""
        draft = FactDraft(key, self.kind, event.id, event.at, self.service, table, field, value, description, near)
        self.facts.append(draft)
        return draft

    def supersede(self, old: FactDraft, event: Event, *, value: Any, explicit: bool, description: str,
                  table: str | None = None, field: str | None = None) -> FactDraft:
        """Declare that ``event`` supersedes the fact ``old`` with ``value`` (the ground truth of a conflict)."""
        if event.at <= old.at:
            raise ValueError(f"conflict {old.key}: the superseding event must come after the fact it replaces")
        draft = FactDraft(
            old.key, "conflict", event.id, event.at, self.service, table or old.table, field or old.field, value,
            description, supersedes=old.key, explicit=explicit,
        )
        self.facts.append(draft)
        return draft

    def _append(self, at: datetime, op: str, args: dict[str, Any], actor: str, note: str) -> Event:
        event = Event(at, actor, op, args, self.round, self.kind, f"{self.prefix}.{len(self.added) + 1}", note)
        self.added.append(event)
        return event

    @staticmethod
    def ref(event: Event) -> dict[str, str]:
        """The placeholder for the id of the record ``event`` creates."""
        return Ref(event.id).as_arg()

    # -- reading ---------------------------------------------------------------------------
    def seed_facts(self, app: str | None = None) -> list[FactDraft]:
        """Facts declared by seed rounds, optionally of one app."""
        return [f for f in self.facts if f.kind == "seed" and (app is None or f.app == app)]

    def people(self, *relations: str) -> list[Person]:
        return [p for p in self.persona.people if not relations or p.relation in relations]

    # -- time ------------------------------------------------------------------------------
    def days(self, every: int = 1, *, weekdays_only: bool = False) -> Iterator[date]:
        """Days of the window, stepping ``every`` days."""
        day = self.start.date()
        while day < self.end.date():
            if not weekdays_only or day.weekday() < 5:
                yield day
            day += timedelta(days=every)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute))

    def random_time(self, *, hours: tuple[int, int] = (8, 20), after: datetime | None = None,
                    before: datetime | None = None) -> datetime:
        """A random minute in the window (or between ``after`` and ``before``) during waking hours."""
        lo = max(after or self.start, self.start)
        hi = min(before or self.end, self.end)
        if hi <= lo:
            raise ValueError(f"empty time range {lo}..{hi}")
        for _ in range(100):
            t = lo + timedelta(minutes=self.rng.randrange(int((hi - lo).total_seconds() // 60) or 1))
            if hours[0] <= t.hour < hours[1]:
                return t.replace(second=0, microsecond=0)
        return lo.replace(hour=max(lo.hour, hours[0]), second=0, microsecond=0) if lo.hour < hours[1] else lo

    def sentence(self) -> str:
        """A filler sentence, drawn from a fixed pool (Faker per event would dominate build time)."""
        return self.rng.choice(_pool()[0])

    def paragraph(self, sentences: int = 3) -> str:
        """A filler paragraph of ``sentences`` pool sentences."""
        pool = _pool()[0]
        return " ".join(self.rng.choice(pool) for _ in range(sentences))

    def word(self) -> str:
        return self.rng.choice(_pool()[1])

    def scaled(self, n: int) -> int:
        """``n`` scaled by the spec's density."""
        return max(1, round(n * self.density))


_POOL: tuple[list[str], list[str]] = ([], [])


def _pool() -> tuple[list[str], list[str]]:
    # Generated once per process from a fixed seed, so every world draws from the same pool.
    if not _POOL[0]:
        fake = Faker("en_US")
        fake.seed_instance(20260105)
        _POOL[0].extend(fake.sentence(nb_words=10) for _ in range(600))
        _POOL[1].extend(sorted({fake.word() for _ in range(800)}))
    return _POOL


def seeded(seed: int, *parts: str) -> tuple[random.Random, int]:
    """A random generator and an integer seed for Faker, fixed by the world seed and a name."""
    text = ":".join([str(seed), *parts])
    return random.Random(text), zlib.crc32(text.encode())
