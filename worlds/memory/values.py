"""Values an attribute can take: a canonical short string plus the spellings a matcher should also accept.

Every pool is a function of a seeded ``random.Random``; the fixed word lists below keep generation fast and free of
locale data. No word here may occur in filler text (a test checks), so finding a value in a context means a session
put it there.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clawgym.worlds.memory.lexicon import (
    AREA_CODES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    LISTS,
    MAIL_PROVIDERS,
    PASSWORD_WORDS,
    STREETS,
    SUFFIXES,
)

_TRIES = 400  # rejection sampling: pools are >= 8 wide, so a handful of tries suffices; the cap catches a bad pool


@dataclass(frozen=True)
class Value:
    """One value: its canonical text and other spellings that mean the same thing."""

    text: str
    aliases: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """The canonical text first, then the aliases."""
        return (self.text, *self.aliases)


def overlaps(a: Value, b: Value) -> bool:
    """Whether some spelling of one value contains a spelling of the other, ignoring case.

    Values of one scenario must not overlap: a substring matcher could not tell the old answer from the new.
    """
    fa = [f.lower() for f in a.forms]
    fb = [f.lower() for f in b.forms]
    return any(x in y or y in x for x in fa for y in fb)


def _clock(lo: int, hi: int) -> Callable[[random.Random], Value]:
    """Times of day from ``lo`` to ``hi`` minutes after midnight, on the quarter hour."""

    def draw(rng: random.Random) -> Value:
        minutes = rng.randrange(lo, hi + 1, 15)
        h, m = divmod(minutes, 60)
        half = "AM" if h < 12 else "PM"
        h12 = h % 12 or 12
        text = f"{h12}:{m:02d} {half}"
        return Value(text, (f"{h12}:{m:02d}{half.lower()}", f"{h12}:{m:02d} {half[0].lower()}.m.", f"{h:02d}:{m:02d}"))

    return draw


def _street(rng: random.Random) -> Value:
    full, short = rng.choice(SUFFIXES)
    number, name = rng.randint(2, 198), rng.choice(STREETS)
    return Value(f"{number} {name} {full}", (f"{number} {name} {short}",))


def _phone(rng: random.Random) -> Value:
    # 555-01xx numbers are reserved for fiction, so no generated number rings a real person
    area, line = rng.choice(AREA_CODES), f"01{rng.randint(0, 99):02d}"
    return Value(f"{area}-555-{line}", (f"({area}) 555-{line}", f"{area} 555 {line}", f"{area}.555.{line}"))


def _person(rng: random.Random) -> Value:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return Value(f"{first} {last}", (first,))


def _doctor(rng: random.Random) -> Value:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return Value(f"Dr. {first} {last}", (f"Dr. {last}", f"{first} {last}", f"Dr {last}"))


def _work_email(rng: random.Random) -> Value:
    first, last = rng.choice(FIRST_NAMES).lower(), rng.choice(LAST_NAMES).lower()
    return Value(f"{first}.{last}@{rng.choice(EMAIL_DOMAINS)}")


def _personal_email(rng: random.Random) -> Value:
    a, b = rng.sample(PASSWORD_WORDS, 2)
    return Value(f"{a}.{b}{rng.randint(10, 99)}@{rng.choice(MAIL_PROVIDERS)}")


def _digits(rng: random.Random) -> Value:
    # no 19xx/20xx: a code must not read as a year in a dated session
    n = rng.choice([*range(1000, 1900), *range(2100, 10000)])
    return Value(str(n))


def _wifi(rng: random.Random) -> Value:
    a, b = rng.sample(PASSWORD_WORDS, 2)
    return Value(f"{a}-{b}-{rng.randint(10, 99)}")


def _plate(rng: random.Random) -> Value:
    letters = "".join(rng.choice("BCDFGHJKLMNPRSTVWXZ") for _ in range(3))
    a, b = rng.randint(2, 9), rng.randint(100, 999)
    return Value(f"{a}{letters}{b}", (f"{a} {letters} {b}", f"{a}-{letters}-{b}"))


def _spot(rng: random.Random) -> Value:
    level, n = rng.randint(1, 4), rng.randint(101, 189)
    return Value(f"P{level}-{n}", (f"P{level} {n}",))


def _desk(rng: random.Random) -> Value:
    floor, n = rng.randint(2, 9), rng.randint(11, 79)
    return Value(f"{floor}F-{n}", (f"{floor}F {n}",))


def _room(rng: random.Random) -> Value:
    n = rng.randint(101, 349)
    return Value(f"Room {n}", (f"room no. {n}",))


def _extension(rng: random.Random) -> Value:
    n = rng.randint(2100, 8999)
    return Value(f"x{n}", (f"ext. {n}", f"extension {n}"))


def _dose(rng: random.Random) -> Value:
    n = rng.choice((5, 10, 15, 20, 30, 40, 60, 80))
    return Value(f"{n} mg", (f"{n}mg",))


def _money(lo: int, hi: int, step: int) -> Callable[[random.Random], Value]:
    """Dollar amounts from ``lo`` to ``hi`` in steps of ``step``."""

    def draw(rng: random.Random) -> Value:
        n = rng.randrange(lo, hi + 1, step)
        aliases = (f"${n}", f"{n:,} dollars") if n >= 1000 else (f"{n} dollars",)
        return Value(f"${n:,}", aliases)

    return draw


def _steps(rng: random.Random) -> Value:
    n = rng.randrange(5000, 15001, 500)
    return Value(f"{n:,} steps", (f"{n} steps",))


def _weekday(rng: random.Random) -> Value:
    day = rng.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))
    return Value(day)  # "Mondays" needs no alias: it contains "Monday"


def _listed(entries: Sequence[str]) -> Callable[[random.Random], Value]:
    """A fixed list; each entry is ``"Canonical|alias|alias"``."""
    values = [Value(parts[0], tuple(parts[1:])) for parts in (e.split("|") for e in entries)]

    def draw(rng: random.Random) -> Value:
        return rng.choice(values)

    return draw


POOLS: dict[str, Callable[[random.Random], Value]] = {
    "street": _street,
    "phone": _phone,
    "person": _person,
    "doctor": _doctor,
    "email_work": _work_email,
    "email_personal": _personal_email,
    "digits": _digits,
    "wifi": _wifi,
    "plate": _plate,
    "spot": _spot,
    "desk": _desk,
    "room": _room,
    "extension": _extension,
    "dose": _dose,
    "steps": _steps,
    "weekday": _weekday,
    "clock_morning": _clock(5 * 60 + 30, 8 * 60 + 45),
    "clock_work": _clock(8 * 60, 11 * 60 + 30),
    "clock_afternoon": _clock(13 * 60 + 30, 16 * 60 + 30),
    "clock_evening": _clock(17 * 60 + 30, 20 * 60 + 30),
    "clock_night": _clock(21 * 60 + 30, 23 * 60 + 45),
    "rent": _money(1200, 3200, 25),
    "bill": _money(25, 140, 5),
    "fee": _money(20, 95, 5),
    "budget": _money(60, 400, 10),
    "savings": _money(150, 1500, 50),
    **{name: _listed(entries) for name, entries in LISTS.items()},
}


def draw(pool: str, rng: random.Random, avoid: Sequence[Value] = ()) -> Value:
    """A value from ``pool`` that overlaps none of ``avoid``.

    >>> import random
    >>> draw("street", random.Random("doc:0")).text
    '113 Pine Drive'
    """
    try:
        make = POOLS[pool]
    except KeyError:
        raise ValueError(f"unknown value pool {pool!r}; known pools: {', '.join(sorted(POOLS))}") from None
    for _ in range(_TRIES):
        value = make(rng)
        if not any(overlaps(value, other) for other in avoid):
            return value
    raise ValueError(f"pool {pool!r} has no value clear of {[v.text for v in avoid]} after {_TRIES} tries")
