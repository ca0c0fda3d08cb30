"""The user and the people in their life, generated from a seed."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from faker import Faker

if TYPE_CHECKING:
    from clawgym.worlds.world import World

Relation = Literal["self", "family", "friend", "colleague", "company"]

# Roles per relation; the counts give at least 30 people with every relation represented.
_FAMILY = ["mother", "father", "sister", "brother", "partner", "cousin"]
_FRIENDS = ["friend"] * 10
_COLLEAGUES = ["manager", "teammate", "teammate", "teammate", "designer", "recruiter", "director", "intern"]
_COMPANIES = [
    ("dentist", "Dental Care"),
    ("landlord", "Property Management"),
    ("electric utility", "Power & Light"),
    ("gym", "Fitness Club"),
    ("insurance", "Mutual Insurance"),
    ("veterinarian", "Animal Clinic"),
    ("mechanic", "Auto Repair"),
    ("internet provider", "Fiber Networks"),
]


@dataclass(frozen=True)
class Person:
    """Someone in the world; ``key`` is stable across builds of the same seed."""

    key: str
    name: str
    email: str
    phone: str
    relation: Relation
    role: str
    company: str
    city: str
    address: str
    birthday: str

    @property
    def first(self) -> str:
        return self.name.split()[0]


@dataclass(frozen=True)
class Persona:
    """The user, their employer and home, and everyone they know."""

    user: Person
    employer: str
    people: tuple[Person, ...]

    def by_relation(self, relation: Relation) -> list[Person]:
        return [p for p in self.people if p.relation == relation]

    def person(self, key: str) -> Person:
        for p in self.people:
            if p.key == key:
                return p
        raise KeyError(f"no person with key {key!r}")

    def to_json(self) -> dict[str, Any]:
        return {"user": asdict(self.user), "employer": self.employer, "people": [asdict(p) for p in self.people]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Persona:
        return cls(
            user=Person(**data["user"]),
            employer=data["employer"],
            people=tuple(Person(**p) for p in data["people"]),
        )


_FAKER = Faker("en_US")


def make_persona(seed: int, extra_people: int = 0) -> Persona:
    """A user with at least 30 contacts (family, friends, colleagues, companies), the same for the same seed."""
    if extra_people < 0:
        raise ValueError(f"extra_people must be >= 0, got {extra_people}")
    fake = _FAKER
    fake.seed_instance(seed)
    rng = random.Random(f"persona:{seed}")
    city = fake.city()
    employer = fake.company()
    domain = _slug(employer) + ".com"
    last = fake.last_name()
    first = fake.first_name()
    user = Person(
        key="user",
        name=f"{first} {last}",
        email=f"{first.lower()}.{last.lower()}@{domain}",
        phone=_phone(rng),
        relation="self",
        role="user",
        company=employer,
        city=city,
        address=f"{fake.street_address()}, {city}",
        birthday=fake.date_of_birth(minimum_age=25, maximum_age=55).isoformat(),
    )
    people: list[Person] = []
    seen_names: set[str] = {user.name}

    def add(relation: Relation, role: str, name: str, company: str, email: str) -> None:
        people.append(
            Person(
                key=f"p{len(people) + 1:02d}",
                name=name,
                email=email,
                phone=_phone(rng),
                relation=relation,
                role=role,
                company=company,
                city=city if relation != "friend" or rng.random() < 0.7 else fake.city(),
                address=f"{fake.street_address()}, {city}",
                birthday=fake.date_of_birth(minimum_age=18, maximum_age=80).isoformat(),
            )
        )

    def fresh_name(last_name: str | None = None) -> str:
        while True:
            name = f"{fake.first_name()} {last_name or fake.last_name()}"
            if name not in seen_names:
                seen_names.add(name)
                return name

    for role in _FAMILY:
        name = fresh_name(last if role in ("mother", "father", "sister", "brother") else None)
        add("family", role, name, "", f"{_slug(name)}@{rng.choice(['gmail.com', 'outlook.com', 'proton.me'])}")
    for role in _FRIENDS[: 10 + extra_people]:
        name = fresh_name()
        add("friend", role, name, "", f"{_slug(name)}@{rng.choice(['gmail.com', 'yahoo.com', 'fastmail.com'])}")
    for role in _COLLEAGUES:
        name = fresh_name()
        add("colleague", role, name, employer, f"{_slug(name).replace('-', '.')}@{domain}")
    # Near-miss names on purpose: a friend who shares a colleague's first name (distractors need them).
    colleague = next(p for p in people if p.role == "teammate")
    add("friend", "friend", fresh_name_first(fake, colleague.first, seen_names), "", f"{colleague.first.lower()}.{rng.randint(10, 99)}@gmail.com")
    for role, suffix in _COMPANIES:
        company = f"{fake.last_name()} {suffix}"
        add("company", role, company, company, f"billing@{_slug(company)}.com")
    return Persona(user=user, employer=employer, people=tuple(people))


def fresh_name_first(fake: Faker, first: str, seen: set[str]) -> str:
    """A new full name with the given first name."""
    while True:
        name = f"{first} {fake.last_name()}"
        if name not in seen:
            seen.add(name)
            return name


def _phone(rng: random.Random) -> str:
    return f"+1-{rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")


def persona_of(world: World) -> Persona:
    """The persona a person-centred family stored in a world's meta at build time."""
    return Persona.from_json(world.meta("persona"))
