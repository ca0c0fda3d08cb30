"""Task templates: functions that read a built world and write one solvable task about it.

A template chooses its facts from the world (the fact table, records, the persona), so every task is
solvable by construction; the audit then proves it (the oracle passes, gaming agents fail).

    @template("conflict", services=["mail"])
    def current_code(ctx: TemplateContext) -> Draft | None:
        fact = ctx.current("mail.registration_code")
        ...
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from clawgym.envs.task import Category, PlanStep, ScheduledEvent
from clawgym.verifiers.check import Check
from clawgym.worlds.persona import Person
from clawgym.worlds.record import Fact
from clawgym.worlds.store import Row
from clawgym.worlds.world import World

_CHECK = TypeAdapter(Check)

# Changes that reading causes, and tables the world itself writes during an episode: never collateral damage.
IGNORED_TABLES = ["notification", "event_log", "meta"]
IGNORED_COLUMNS = ["read", "origin"]


@dataclass
class Draft:
    """What a template decides; the generator adds id, world spec and metadata."""

    instruction: str | None
    checks: list[dict[str, Any]]
    oracle: list[dict[str, Any]]
    apps: list[str] | None = None
    trigger: str | None = None
    schedule: list[dict[str, Any]] = field(default_factory=list)
    difficulty: str = "medium"
    services: list[str] = field(default_factory=list)
    max_steps: int = 30
    surfaces: list[str] = field(default_factory=lambda: ["api"])
    devices: list[str] | None = None  # None: every device

    def parsed_checks(self) -> list[Check]:
        return [_CHECK.validate_python(c) for c in self.checks]

    def plan(self) -> list[PlanStep]:
        return [PlanStep.model_validate(s) for s in self.oracle]

    def events(self) -> list[ScheduledEvent]:
        return [ScheduledEvent.model_validate(e) for e in self.schedule]


@dataclass
class TemplateContext:
    """A built world plus a random generator private to one template draw."""

    world: World
    rng: random.Random

    def facts(self, kind: str = "seed", key_prefix: str = "") -> list[Row]:
        rows = self.world.store.select(Fact, {"kind": kind})
        return [r for r in rows if r["key"].startswith(key_prefix)]

    def current(self, key: str) -> Row | None:
        """The fact of ``key`` that holds now (the last in a chain of supersessions)."""
        rows = [r for r in self.world.store.select(Fact, {"key": key}) if r["kind"] != "noise"]
        live = [r for r in rows if r["superseded_by"] is None]
        return live[-1] if live else None

    def superseded(self, key: str) -> list[Row]:
        return [r for r in self.world.store.select(Fact, {"key": key}) if r["superseded_by"] is not None]

    def near_misses(self, key: str) -> list[Row]:
        return self.world.store.select(Fact, {"near": key})

    def people(self, *relations: str) -> list[Person]:
        return [p for p in self.world.persona.people if not relations or p.relation in relations]

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items) if items else None


@dataclass(frozen=True)
class Template:
    name: str
    category: Category
    services: tuple[str, ...]
    fn: Callable[[TemplateContext], Draft | None]
    surfaces: tuple[str, ...] = ("api",)  # what running its tasks needs: "cli" a sandbox, "gui" a browser


TEMPLATES: list[Template] = []


def template(category: Category, services: list[str], surfaces: tuple[str, ...] = ("api",)) -> Callable[[Callable[[TemplateContext], Draft | None]], Callable[[TemplateContext], Draft | None]]:
    """Register a template of ``category`` that touches ``services`` through ``surfaces``."""

    def register(fn: Callable[[TemplateContext], Draft | None]) -> Callable[[TemplateContext], Draft | None]:
        TEMPLATES.append(Template(fn.__name__, category, tuple(services), fn, tuple(surfaces)))
        return fn

    return register


def made_by_agent(table: str) -> dict[str, Any]:
    """Allow rows the agent's own calls created in ``table`` (records carry ``origin="agent:<step>"``)."""
    return {"table": table, "where": {"origin": {"contains": "agent:"}}}


SENT_MESSAGE = [made_by_agent("message"),
                {"table": "message_thread", "columns": ["last_at", "last_text", "unread", "handles", "participants", "names"]},
                made_by_agent("message_thread")]


def untouched(allow: list[dict[str, Any]] | None = None, name: str = "nothing else in the world is changed") -> dict[str, Any]:
    """The collateral-damage check every task carries: only the allowed rows may change."""
    return {"type": "unchanged", "name": name, "tier": "essential", "tables": [], "allow": allow or [],
            "ignore_tables": IGNORED_TABLES, "ignore_columns": IGNORED_COLUMNS}
