"""Memory scenarios: dated sessions in which a later observation silently invalidates an earlier belief.

A scenario follows one topic through a person's history: the value is established, later changed (said outright or
only shown in passing; for Type II the change drags dependent topics along), and afterwards the old value is often
recalled in the past tense, so "answer with the most recently mentioned value" fails. Bystanders with the same
attribute add namesake values and changes that are not the user's. Controls change nothing; their probes catch an
agent that claims a change where there was none. A ``control_mention`` session repeats a value as still current (in
controls, and before some updates). Probes are asked at the window's end.

>>> from datetime import date
>>> scenarios = generate(seed=0, n=10, start=date(2025, 1, 1), months=6)
>>> sorted({p.kind for s in scenarios for p in s.probes}) == ["IPA", "PR", "SR", "asof", "control"]
True
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from clawgym.worlds.memory.context import approx_tokens, arrange_context, render_context
from clawgym.worlds.memory.filler import PLAIN_TITLES, filler, small_talk
from clawgym.worlds.memory.lexicon import BYSTANDERS, RELATIONS
from clawgym.worlds.memory.phrasing import ACKS, NAMESAKES, OPENERS, REPEATS, THIRD_PARTIES
from clawgym.worlds.memory.session import DAYS_PER_MONTH, Role, Session, window_of
from clawgym.worlds.memory.topics import GROUPS, TOPICS, Topic, topic
from clawgym.worlds.memory.values import Value

__all__ = [
    "Probe", "Scenario", "Session", "approx_tokens", "arrange_context", "filler", "generate", "render_context",
    "window_of",
]

ProbeKind = Literal["SR", "PR", "IPA", "control", "asof"]
ScenarioType = Literal["I", "II", "none"]

CONTROL_SHARE = 0.2  # of scenarios; a control carries fewer probes than a change, so ~17% of probes are controls
TYPE_II_SHARE = 0.2  # of changed scenarios
LATE_RECALL_SHARE = 0.7  # of changed scenarios: the old value is recalled after the update (the brief asks >= 60%)
NAMESAKE_CHANCE = 0.5
THIRD_PARTY_CHANCE = 0.4
ALIAS_CHANCE = 0.25  # how often a session spells a value by an alias, so matchers must accept both
_WAKING_MINUTES = 16 * 60  # sessions happen between 07:00 and 23:00


@dataclass(frozen=True)
class Probe:
    """A question asked at the window's end, with what a correct answer holds and what it must not.

    ``stale`` spells the superseded value (for ``asof``, the later value); ``changed`` is False for controls, where
    claiming a change is wrong. ``action`` is the implicit-policy call an ``IPA`` probe (or control) expects.
    """

    id: str
    scenario: str
    kind: ProbeKind
    question: str
    expected: str
    expected_aliases: tuple[str, ...]
    stale: tuple[str, ...]
    changed: bool
    topic: str
    as_of: date | None = None
    action: dict[str, str] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class Scenario:
    """One topic's history: values, when they held, the sessions that say so, and the probes that test it."""

    id: str
    topic: str
    type: ScenarioType
    explicit: bool
    old: str
    new: str | None
    established_at: datetime
    changed_at: datetime | None
    dependents: tuple[tuple[str, str, str], ...]
    sessions: tuple[Session, ...]
    probes: tuple[Probe, ...]

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic this scenario touches: its own, then its dependents'."""
        return (self.topic, *(key for key, _, _ in self.dependents))


@dataclass(frozen=True)
class _Plan:
    type: ScenarioType
    explicit: bool
    late_recall: bool
    namesake: bool
    third_party: bool


@dataclass(frozen=True)
class _Window:
    """The history's span in whole days; a fraction of it maps to a waking-hours time, monotonically."""

    origin: datetime
    days: int

    def at(self, fraction: float) -> datetime:
        minute = int(fraction * self.days * _WAKING_MINUTES)
        day, into = divmod(minute, _WAKING_MINUTES)
        return self.origin + timedelta(days=day, hours=7, minutes=into)

    def between(self, rng: random.Random, lo: float, hi: float) -> datetime:
        return self.at(rng.uniform(lo, hi))

    def fraction(self, t: datetime) -> float:
        day = (t - self.origin).days
        into = (t - self.origin - timedelta(days=day, hours=7)) // timedelta(minutes=1)
        return (day * _WAKING_MINUTES + into) / (self.days * _WAKING_MINUTES)


def _plans(rng: random.Random, n: int) -> list[_Plan]:
    """Exact quotas, shuffled: the shares hold for every ``n``, not just on average."""
    controls = round(n * CONTROL_SHARE)
    changed = n - controls
    type_two = round(changed * TYPE_II_SHARE)
    counts: dict[ScenarioType, int] = {"none": controls, "II": type_two, "I": changed - type_two}
    types = [kind for kind, count in counts.items() for _ in range(count)]
    explicit = [True] * (changed // 2) + [False] * (changed - changed // 2)
    late = [True] * math.ceil(changed * LATE_RECALL_SHARE)
    late += [False] * (changed - len(late))
    rng.shuffle(types)
    rng.shuffle(explicit)
    rng.shuffle(late)
    plans: list[_Plan] = []
    k = 0
    for kind in types:
        is_change = kind != "none"
        plans.append(_Plan(kind, is_change and explicit[k], is_change and late[k],
                           rng.random() < NAMESAKE_CHANCE, rng.random() < THIRD_PARTY_CHANCE))
        if is_change:
            k += 1
    return plans


class _Dealer:
    """Deals topics without replacement, so scenarios dealt between two reshuffles share no topic."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def single(self) -> Topic:
        free = [t for t in TOPICS if t.key not in self._used]
        if not free:
            self._used.clear()
            free = list(TOPICS)
        chosen = self._rng.choice(free)
        self._used.add(chosen.key)
        return chosen

    def group(self) -> tuple[Topic, tuple[Topic, ...]]:
        options = self._groups()
        if not options:
            self._used.clear()
            options = self._groups()
        root, free = self._rng.choice(options)
        picked = set(self._rng.sample(free, self._rng.randint(2, min(3, len(free)))))
        dependents = tuple(topic(key) for key in free if key in picked)
        self._used.update({root, *picked})
        return topic(root), dependents

    def _groups(self) -> list[tuple[str, list[str]]]:
        options = []
        for group in GROUPS:
            free = [d for d in group.dependents if d not in self._used]
            if group.root not in self._used and len(free) >= 2:
                options.append((group.root, free))
        return options


def _form(rng: random.Random, value: Value) -> str:
    if value.aliases and rng.random() < ALIAS_CHANCE:
        return rng.choice(value.aliases)
    return value.text


def _session(rng: random.Random, at: datetime, sentence: str, role: Role, scenario: str) -> Session:
    """A key sentence wrapped in everyday talk, so its session looks like any other."""
    opener = rng.choice(OPENERS)
    key = [("user", f"{opener} {sentence}".strip()), ("assistant", rng.choice(ACKS[role]))]
    title, chat = small_talk(rng)
    if rng.random() < 0.5:
        turns = chat + key
    elif rng.random() < 0.6:
        turns = key + chat
    else:
        title, turns = rng.choice(PLAIN_TITLES), key
    return Session(at, title, tuple(turns), role, scenario)


def _bystanders(rng: random.Random, plan: _Plan, t: Topic, sid: str, window: _Window,
                avoid: list[Value]) -> list[Session]:
    """Other people's values of the same attribute: a namesake, and a change that is not the user's."""
    sessions = []
    who = rng.sample(BYSTANDERS, 2)
    if plan.namesake:
        value = t.draw(rng, avoid)
        avoid.append(value)
        line = rng.choice(NAMESAKES).format(rel=rng.choice(RELATIONS), who=who[0], label=t.label, v=_form(rng, value))
        sessions.append(_session(rng, window.between(rng, 0.02, 0.97), line, "namesake", sid))
    if plan.third_party:
        a = t.draw(rng, avoid)
        b = t.draw(rng, [*avoid, a])
        avoid.extend((a, b))
        line = rng.choice(THIRD_PARTIES).format(rel=rng.choice(RELATIONS), who=who[1], label=t.label,
                                                a=_form(rng, a), b=_form(rng, b))
        sessions.append(_session(rng, window.between(rng, 0.1, 0.95), line, "third_party", sid))
    return sessions


def _probe(sid: str, kind: ProbeKind, name: str, t: Topic, question: str, expected: Value, stale: Value | None,
           as_of: date | None = None, action: dict[str, str] | None = None) -> Probe:
    return Probe(f"{sid}:{name}", sid, kind, question, expected.text, expected.aliases,
                 stale.forms if stale else (), stale is not None, t.key, as_of, action)


def _change_probes(sid: str, t: Topic, old: Value, new: Value, suffix: str = "") -> list[Probe]:
    """SR always, PR on the root, IPA where the topic has an action."""
    probes = [_probe(sid, "SR", "sr" + suffix, t, t.sr_question(), new, old)]
    if not suffix:
        probes.append(_probe(sid, "PR", "pr", t, t.say("premise", old.text), new, old))
    if t.action:
        probes.append(_probe(sid, "IPA", "ipa" + suffix, t, t.action.instruction, new, old, action=t.action.as_dict()))
    return probes


def _topic_history(rng: random.Random, t: Topic, sid: str, window: _Window, update: tuple[float, float],
                   phrasing: str, role: Role, avoid: list[Value]) -> tuple[Value, Value, list[Session]]:
    """One topic's establish and update sessions, the update between the fractions in ``update``.

    Values go into ``avoid``: no two values of one scenario overlap, across its topics too.
    """
    old = t.draw(rng, avoid)
    new = t.draw(rng, [*avoid, old])
    avoid.extend((old, new))
    established = window.between(rng, 0.02, 0.28 if role == "update" else 0.33)
    sessions = [_session(rng, established, t.say("establish", _form(rng, old)), "establish", sid),
                _session(rng, window.between(rng, *update), t.say(phrasing, _form(rng, new)), role, sid)]
    return old, new, sessions


def _changed(rng: random.Random, sid: str, plan: _Plan, dealer: _Dealer, window: _Window) -> Scenario:
    root, dependents = dealer.group() if plan.type == "II" else (dealer.single(), ())
    avoid: list[Value] = []
    old, new, sessions = _topic_history(rng, root, sid, window, (0.40, 0.62),
                                        "explicit" if plan.explicit else "implicit", "update", avoid)
    established, changed = sessions[0].at, sessions[1].at
    gap_days = (changed.date() - established.date()).days
    as_of = established.date() + timedelta(days=rng.randint(1, gap_days - 1))
    probes = _change_probes(sid, root, old, new)
    probes.append(_probe(sid, "asof", "asof", root, root.asof_question(as_of), old, new, as_of=as_of))
    recalls: list[tuple[Topic, Value]] = [(root, old)]
    dependent_values = []
    after = window.fraction(changed) + 0.03
    for dep in dependents:
        d_old, d_new, d_sessions = _topic_history(rng, dep, sid, window, (after, 0.80), "implicit",
                                                  "dependent_update", avoid)
        sessions += d_sessions
        dependent_values.append((dep.key, d_old.text, d_new.text))
        probes += _change_probes(sid, dep, d_old, d_new, f":{dep.key}")
        recalls.append((dep, d_old))
    last_update = max(s.at for s in sessions if s.role in ("update", "dependent_update"))
    if plan.late_recall:
        for t, value in recalls:
            at = window.between(rng, window.fraction(last_update) + 0.03, 0.97)
            sessions.append(_session(rng, at, t.say("past", _form(rng, value)), "past_mention", sid))
    elif rng.random() < 0.5:
        at = window.between(rng, window.fraction(established) + 0.01, window.fraction(changed) - 0.01)
        sessions.append(_session(rng, at, _repeat(rng, root, old), "control_mention", sid))
    sessions += _bystanders(rng, plan, root, sid, window, avoid)
    return Scenario(sid, root.key, plan.type, plan.explicit, old.text, new.text, established, changed,
                    tuple(dependent_values), tuple(sorted(sessions, key=lambda s: s.at)), tuple(probes))


def _repeat(rng: random.Random, t: Topic, value: Value) -> str:
    return rng.choice(REPEATS).replace("{subject}", t.subject).replace("{v}", _form(rng, value))


def _control(rng: random.Random, sid: str, plan: _Plan, dealer: _Dealer, window: _Window) -> Scenario:
    t = dealer.single()
    value = t.draw(rng)
    established = window.between(rng, 0.02, 0.35)
    sessions = [_session(rng, established, t.say("establish", _form(rng, value)), "establish", sid)]
    for _ in range(rng.randint(1, 2)):
        sessions.append(_session(rng, window.between(rng, 0.40, 0.97), _repeat(rng, t, value), "control_mention", sid))
    sessions += _bystanders(rng, plan, t, sid, window, [value])
    as_of = established.date() + timedelta(days=rng.randint(1, 10))
    probes = [_probe(sid, "control", "control:sr", t, t.sr_question(), value, None),
              _probe(sid, "control", "control:pr", t, t.say("premise", value.text), value, None),
              _probe(sid, "control", "control:asof", t, t.asof_question(as_of), value, None, as_of=as_of)]
    if t.action:
        probes.append(_probe(sid, "control", "control:ipa", t, t.action.instruction, value, None,
                             action=t.action.as_dict()))
    return Scenario(sid, t.key, "none", False, value.text, None, established, None, (),
                    tuple(sorted(sessions, key=lambda s: s.at)), tuple(probes))


def generate(seed: int, n: int, start: date, months: int) -> list[Scenario]:
    """``n`` scenarios over ``months`` from ``start``; the same arguments give the same scenarios in any process.

    Topics are dealt without replacement until the catalogue runs out, so runs of about a hundred consecutive
    scenarios share no topic and can share one context.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    origin, _ = window_of(start, months)
    window = _Window(origin, int(months * DAYS_PER_MONTH))  # whole days, so every session falls before the end
    rng = random.Random(f"memory-scenarios:{seed}:{start.isoformat()}:{months}")
    dealer = _Dealer(rng)
    scenarios = []
    for i, plan in enumerate(_plans(rng, n)):
        sid = f"mem{seed}-{i:05d}"
        local = random.Random(f"memory-scenario:{seed}:{start.isoformat()}:{months}:{i}")
        build = _control if plan.type == "none" else _changed
        scenarios.append(build(local, sid, plan, dealer, window))
    return scenarios
