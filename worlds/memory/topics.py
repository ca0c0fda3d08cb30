"""The topic catalogue: attributes of the user and of people in their life whose value can change.

A topic is data: a label, an owner, a value pool and the phrasings that establish, change, recall and presuppose its
value. Type II groups say which topics a change drags along (a move changes the commute, the gym, the pharmacy...).

>>> topic("home_address").sr_question()
'What is my current home address?'
>>> topic("sister_city").sr_question()
"What is my sister's current city?"
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, cast

from clawgym.worlds.memory.people_rows import PEOPLE_ROWS
from clawgym.worlds.memory.user_rows import USER_ROWS, Row
from clawgym.worlds.memory.values import POOLS, Value, draw

Kind = Literal["address", "phone", "name", "org", "time", "day", "email", "code", "amount", "place", "text"]
Op = Literal["order", "text", "remind", "mail"]
KINDS: tuple[str, ...] = ("address", "phone", "name", "org", "time", "day", "email", "code", "amount", "place", "text")

# per operation: the argument the current value must fill, and the argument the instruction's payload fills
_ARGUMENTS: dict[str, tuple[str, str]] = {
    "order": ("ship_to", "item"),
    "text": ("to", "body"),
    "remind": ("at", "title"),
    "mail": ("to", "subject"),
}


@dataclass(frozen=True)
class Action:
    """An implicit-policy task: ``instruction`` asks for an ``op`` whose ``field`` must hold the current value."""

    op: Op
    field: str
    payload_key: str
    payload: str
    instruction: str

    def as_dict(self) -> dict[str, str]:
        """The action as a probe carries it, e.g. ``{"op": "order", "field": "ship_to", "item": "phone charger"}``."""
        return {"op": self.op, "field": self.field, self.payload_key: self.payload}


@dataclass(frozen=True)
class Topic:
    """One changeable attribute and every sentence the generator says about it (``{v}`` marks the value)."""

    key: str
    label: str
    owner: str
    kind: Kind
    pool: str
    establish: str
    explicit: str
    implicit: str
    past: str
    premise: str
    action: Action | None

    @property
    def subject(self) -> str:
        """The attribute as the user says it: "my home address", "my sister's city"."""
        return f"my {self.label}"

    def sr_question(self) -> str:
        """The state-resolution question: what holds now."""
        if self.owner == "user":
            return f"What is my current {self.label}?"
        attribute = self.label.removeprefix(f"{self.owner}'s ")
        return f"What is my {self.owner}'s current {attribute}?"

    def asof_question(self, day: date) -> str:
        """What held on ``day``: the answer is the value valid then, not now."""
        return f"What was my {self.label} on {day:%B} {day.day}, {day.year}?"

    def say(self, phrasing: str, value: str) -> str:
        """One of this topic's phrasings (``"establish"``, ``"explicit"``, ...) with ``value`` filled in."""
        template = cast(str, getattr(self, phrasing))
        return template.replace("{v}", value)

    def draw(self, rng: random.Random, avoid: Sequence[Value] = ()) -> Value:
        """A value for this topic that overlaps none of ``avoid``."""
        return draw(self.pool, rng, avoid)


@dataclass(frozen=True)
class Group:
    """A Type II dependency: a change of ``root`` (``because``) invalidates each of ``dependents``."""

    root: str
    dependents: tuple[str, ...]
    because: str


def _action(spec: str) -> Action | None:
    if not spec:
        return None
    op, payload, instruction = spec.split("|")
    if op not in _ARGUMENTS:
        raise ValueError(f"action op must be one of {sorted(_ARGUMENTS)}, got {op!r}")
    field, payload_key = _ARGUMENTS[op]
    return Action(cast(Op, op), field, payload_key, payload, instruction)


def _topic(row: Row) -> Topic:
    key, label, owner, kind, pool, action, establish, explicit, implicit, past, premise = row
    if kind not in KINDS:
        raise ValueError(f"topic {key}: kind must be one of {KINDS}, got {kind!r}")
    if pool not in POOLS:
        raise ValueError(f"topic {key}: unknown value pool {pool!r}")
    possessive = f"{owner}'s "
    if owner != "user" and not label.startswith(possessive):
        raise ValueError(f"topic {key}: a label of {owner}'s must start with {possessive!r}, got {label!r}")
    for text in (establish, explicit, implicit, past, premise):
        if text.count("{v}") != 1:
            raise ValueError(f"topic {key}: every phrasing needs exactly one {{v}}, got {text!r}")
    phrasings = (establish, explicit, implicit, past, premise)
    return Topic(key, label, owner, cast(Kind, kind), pool, *phrasings, _action(action))


TOPICS: tuple[Topic, ...] = tuple(_topic(row) for row in (*USER_ROWS, *PEOPLE_ROWS))
_BY_KEY: dict[str, Topic] = {t.key: t for t in TOPICS}

GROUPS: tuple[Group, ...] = (
    Group("home_address", ("commute", "gym", "pharmacy", "grocery_store", "parcel_locker", "home_station"), "a move"),
    Group("employer", ("work_email", "manager", "standup_time", "office_address", "team", "desk_number"), "a new job"),
    Group("phone_number", ("mobile_carrier", "voicemail_pin", "phone_bill"), "a new phone contract"),
    Group("car", ("parking_spot", "car_insurer", "licence_plate", "mechanic"), "a new car"),
    Group("gym", ("locker_code", "spin_class_time", "gym_fee"), "a new gym"),
    Group("internet_provider", ("wifi_password", "internet_bill"), "a new internet provider"),
    Group("language_school", ("language_class_day", "language_teacher"), "a new language school"),
    Group("doctor", ("medication_dose", "physio"), "a new GP"),
    Group("son_school", ("son_pickup_time", "son_teacher", "son_football_day"), "a change of school"),
    Group("daughter_school", ("daughter_pickup_time", "daughter_teacher", "daughter_bus_stop"), "a change of school"),
    Group("mother_care_home", ("mother_room", "mother_visiting_hours", "mother_doctor"), "a new care home"),
    Group("sister_city", ("sister_address", "sister_employer"), "a move to another city"),
    Group("brother_city", ("brother_address", "brother_phone"), "a move to another city"),
    Group("best_friend_city", ("best_friend_address", "best_friend_phone"), "a move to another city"),
)


def topic(key: str) -> Topic:
    """The topic named ``key``."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown topic {key!r}; the catalogue has {len(TOPICS)} topics") from None


def _check_catalogue() -> None:
    """Catalogue mistakes are programming errors: fail at import, not in the middle of a generation."""
    if len(_BY_KEY) != len(TOPICS):
        counts = Counter(t.key for t in TOPICS)
        raise ValueError(f"topic keys must be unique, repeated: {[k for k, c in counts.items() if c > 1]}")
    for group in GROUPS:
        for key in (group.root, *group.dependents):
            topic(key)
        if len(group.dependents) < 2 or group.root in group.dependents:
            raise ValueError(f"group {group.root}: needs >= 2 dependents other than the root")


_check_catalogue()
