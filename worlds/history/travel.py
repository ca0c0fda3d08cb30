"""History of travel: the planners of the setup, routine, seed, noise and conflict rounds."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from clawgym.worlds.clock import fmt, parse
from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.travel import APP, confirmation_code

if TYPE_CHECKING:
    from clawgym.worlds.persona import Persona


# -- the catalog, as pure functions: planners know every flight without reading the world ---------------------
_CITIES = [("New York", "JFK", "John F. Kennedy International"), ("Chicago", "ORD", "O'Hare International"),
           ("San Francisco", "SFO", "San Francisco International"), ("Seattle", "SEA", "Seattle-Tacoma International"),
           ("Boston", "BOS", "Logan International"), ("Denver", "DEN", "Denver International"),
           ("Austin", "AUS", "Austin-Bergstrom International"), ("Miami", "MIA", "Miami International"),
           ("Los Angeles", "LAX", "Los Angeles International"), ("Atlanta", "ATL", "Hartsfield-Jackson International"),
           ("Portland", "PDX", "Portland International"), ("Phoenix", "PHX", "Sky Harbor International")]
_AIRLINES = [("SkyLark Airways", "SK"), ("Northwind Air", "NW"), ("Bluejet", "BJ")]
_HOTEL_NAMES = (["Harbor", "Grand", "Maple", "Summit", "Riverside", "Union", "Lantern", "Beacon", "Park", "Cedar"],
                ["Hotel", "Inn", "Suites", "House", "Lodge"])
_STREETS = ["Main St", "Market St", "2nd Ave", "Oak Ave", "Pine St", "Broadway", "Lake Shore Dr", "Elm St"]
CATALOG_TAIL = timedelta(days=42)  # flights are sold for this long after the history window


@dataclass(frozen=True)
class Route:
    airline: str
    code: str
    number: int
    origin: str
    destination: str
    departures: tuple[str, ...]
    minutes: int
    fare: float
    first_day: date
    days: int
    seed: int

    def args(self) -> dict[str, Any]:
        return {"airline": self.airline, "code": self.code, "number": self.number, "origin": self.origin,
                "destination": self.destination, "departures": list(self.departures), "minutes": self.minutes,
                "fare": self.fare, "first_day": self.first_day.isoformat(), "days": self.days, "seed": self.seed}

    def flights_on(self, day: date) -> list[tuple[str, datetime, datetime]]:
        """(number, depart, arrive) of this route's flights on ``day``."""
        if not 0 <= (day - self.first_day).days < self.days:
            return []
        out = []
        for slot, hm in enumerate(self.departures):
            depart = datetime(day.year, day.month, day.day, int(hm[:2]), int(hm[3:]))
            out.append((f"{self.code}{self.number + slot}", depart, depart + timedelta(minutes=self.minutes)))
        return out


@dataclass(frozen=True)
class Catalog:
    home: tuple[str, str, str]  # city, code, airport name
    cities: list[tuple[str, str, str]]  # destinations
    routes: list[Route]
    hotels: list[dict[str, Any]]

    def route(self, origin: str, destination: str) -> Route:
        return next(r for r in self.routes if r.origin == origin and r.destination == destination)


def catalog(persona: Persona, start: datetime, end: datetime) -> Catalog:
    """The flights and hotels on sale: ~10 cities around the user's home, from ``start`` until weeks after ``end``."""
    rng = random.Random(f"travel-catalog:{persona.user.email}")
    taken = {c for _, c, _ in _CITIES}
    letters = [ch for ch in persona.user.city.upper() if ch.isalpha()] + list("XQZ")
    code = "".join(letters[:3])
    while code in taken:
        code = code[:2] + chr((ord(code[2]) - 64) % 26 + 65)
    home = (persona.user.city, code, f"{persona.user.city} International")
    cities = rng.sample(_CITIES, 9)
    first, days = start.date(), (end + CATALOG_TAIL - start).days
    routes: list[Route] = []
    pairs = [(home[1], c[1], 2) for c in cities] + [(c[1], home[1], 2) for c in cities]
    others = [(a[1], b[1]) for i, a in enumerate(cities) for b in cities[i + 1:]]
    for a, b in rng.sample(others, 6):
        pairs += [(a, b, 1), (b, a, 1)]
    minutes: dict[frozenset[str], int] = {}
    for n, (a, b, per_day) in enumerate(pairs):
        airline, prefix = rng.choice(_AIRLINES)
        dur = minutes.setdefault(frozenset((a, b)), rng.randrange(65, 345, 5))
        slots = [f"{rng.randint(6, 10):02d}:{rng.randrange(0, 60, 5):02d}",
                 f"{rng.randint(15, 19):02d}:{rng.randrange(0, 60, 5):02d}"]
        departures = tuple(slots if per_day == 2 else [rng.choice(slots)])
        routes.append(Route(airline, prefix, 100 + 2 * n, a, b, departures, dur,
                            float(round(79 + dur * rng.uniform(0.45, 0.8))), first, days, rng.randrange(10**6)))
    hotels = []
    for city, _, _ in cities:
        for name in rng.sample([f"{a} {b}" for a in _HOTEL_NAMES[0] for b in _HOTEL_NAMES[1]], 3):
            hotels.append({"name": f"{name} {city}", "city": city, "rating": round(rng.uniform(3.1, 4.9), 1),
                           "address": f"{rng.randint(10, 999)} {rng.choice(_STREETS)}, {city}",
                           "nightly": float(rng.randrange(95, 420, 5))})
    return Catalog(home, cities, routes, hotels)


# -- history --------------------------------------------------------------------------------------------------
@planner(APP, "setup")
def catalog_on_sale(ctx: PlanContext) -> None:
    """Airports, hotels and daily routes on sale from the window's start until weeks after its end."""
    cat = catalog(ctx.persona, ctx.start, ctx.end)
    args = [("travel.add_airport", {"code": cat.home[1], "city": cat.home[0], "name": cat.home[2], "home": True})]
    args += [("travel.add_airport", {"code": code, "city": city, "name": name}) for city, code, name in cat.cities]
    args += [("travel.add_hotel", h) for h in cat.hotels]
    args += [("travel.add_route", r.args()) for r in cat.routes]
    for i, (op, a) in enumerate(args):
        ctx.add(ctx.start + timedelta(seconds=i), op, a)  # distinct times keep the catalog's ids in this order


def _book(ctx: PlanContext, at: datetime, route: Route, day: date, slot: int, fare: str,
          note: str = "") -> tuple[Any, str, datetime, str]:
    """A book_flight event; returns it with the confirmation code, departure and flight number it will get."""
    number, depart, _ = route.flights_on(day)[slot % len(route.departures)]
    e = ctx.add(at, "travel.book_flight", {"number": number, "date": day.isoformat(), "fare": fare}, actor="user",
                note=note)
    return e, confirmation_code("flight", number, fmt(depart), fmt(at)), depart, number


def _hotel_ref(ctx: PlanContext, city: str) -> tuple[dict[str, str], str]:
    options = [e for e in ctx.planned if e.op == "travel.add_hotel" and e.args["city"] == city]
    e = ctx.rng.choice(options)
    return ctx.ref(e), str(e.args["name"])


def _trip(ctx: PlanContext, cat: Catalog, booked: datetime, day: date, city: tuple[str, str, str], companion: Any,
          nights: int, fare: str, row: int, hotel: bool = True, note: str = "") -> tuple[Any, str, datetime, str]:
    """A round trip with a companion: flights (and a hotel), seats, a text to the companion, check-ins."""
    home = cat.home[1]
    legs = [_book(ctx, booked, cat.route(home, city[1]), day, 0, fare, note)]
    legs.append(_book(ctx, booked + timedelta(minutes=4), cat.route(city[1], home), day + timedelta(days=nights), 1,
                      fare))
    for i, (e, _, _, _) in enumerate(legs):
        ctx.add(booked + timedelta(minutes=2 + 4 * i), "travel.add_passenger",
                {"booking_id": ctx.ref(e), "name": companion.name, "contact": companion.phone}, actor="user")
    (_, code, out, number), back = legs[0], legs[1][2]
    text = f"Booked! {city[0]}: {number} on {out:%a %b %d} at {out:%H:%M}, back {back:%a %b %d}."
    if hotel:
        ref, name = _hotel_ref(ctx, city[0])
        ctx.add(booked + timedelta(minutes=10), "travel.book_hotel",
                {"hotel_id": ref, "check_in": day.isoformat(), "nights": nights}, actor="user")
        text += f" Staying at {name}."
    ctx.add(booked + timedelta(minutes=15), "messages.send",
            {"to": [companion.phone], "text": f"{text} Confirmation {code}."}, actor="user")
    for e, _, depart, _ in legs:
        pick = booked + timedelta(days=1, hours=ctx.rng.randint(0, 3))
        if pick < depart - timedelta(hours=24) and pick <= ctx.end:
            ctx.add(pick, "travel.select_seat", {"booking_id": ctx.ref(e), "seat": f"{row}A"}, actor="user")
            ctx.add(pick + timedelta(minutes=1), "travel.select_seat",
                    {"booking_id": ctx.ref(e), "seat": f"{row}B", "passenger": companion.name}, actor="user")
        # 18-19 hours ahead: still inside the 24-hour window if the airline later moves the flight by +-2h15.
        when = depart - timedelta(hours=18, minutes=ctx.rng.randrange(0, 60, 5))
        if booked < when <= ctx.end:
            ctx.add(when, "travel.check_in", {"booking_id": ctx.ref(e)}, actor="user")
    return legs[0]


def _partner(ctx: PlanContext) -> Any:
    return next(p for p in ctx.people("family") if p.role == "partner")


@planner(APP, "routine")
def trips(ctx: PlanContext) -> None:
    """A round trip (flights, hotel, a companion) about every six weeks."""
    cat = catalog(ctx.persona, ctx.start, ctx.end)
    days = (ctx.end - ctx.start).days
    n = max(1, round(days / 45))
    seg = (days - 16) // n
    for k in range(n):
        city = ctx.rng.choice(cat.cities)
        day = (ctx.start + timedelta(days=12 + k * seg + ctx.rng.randint(0, max(0, seg - 8)))).date()
        booked = max(ctx.start + timedelta(days=3), datetime.combine(day, datetime.min.time())
                     - timedelta(days=ctx.rng.randint(9, 25)))
        booked = booked.replace(hour=ctx.rng.randint(19, 21), minute=ctx.rng.randrange(60))
        companion = _partner(ctx) if k % 2 == 0 else ctx.people("friend")[3]
        _trip(ctx, cat, booked, day, city, companion, ctx.rng.randint(2, 4), "standard", 10 + k)


@planner(APP, "seed")
def next_flight(ctx: PlanContext) -> None:
    """Booked on the window's first morning: a flight with the partner the day after the window; the airline moves it."""
    cat = catalog(ctx.persona, ctx.start, ctx.end)
    city, partner = ctx.rng.choice(cat.cities), _partner(ctx)
    day = ctx.end.date()
    booked = ctx.start + timedelta(hours=10, minutes=ctx.rng.randrange(30))
    e, code, depart, number = _book(ctx, booked, cat.route(cat.home[1], city[1]), day, 1, "flexible",
                                    note="seed: the upcoming flight")
    ctx.add(booked + timedelta(minutes=2), "travel.add_passenger",
            {"booking_id": ctx.ref(e), "name": partner.name, "contact": partner.phone}, actor="user")
    ctx.add(booked + timedelta(minutes=5), "travel.select_seat", {"booking_id": ctx.ref(e), "seat": "25C"},
            actor="user")
    ctx.add(booked + timedelta(minutes=6), "messages.send", {"to": [partner.phone], "text": (
        f"Booked us on {number} to {city[0]} on {depart:%a %b %d} at {depart:%H:%M}! Confirmation {code}.")},
        actor="user")
    ctx.fact("travel.next_flight_code", e, table="travel_booking", field="code", value=code,
             description=f"the confirmation code of the user's flight {number} to {city[0]} with {partner.first}")
    ctx.fact("travel.next_departure", e, table="travel_booking", field="depart", value=fmt(depart),
             description=f"when the user's flight {number} to {city[0]} departs")
    delay = ctx.rng.choice([75, 95, 120])
    ctx.schedule(ctx.end + timedelta(hours=9), "travel.schedule_change", {
        "number": number, "date": day.isoformat(), "delay_minutes": delay,
        "reason": "Late arrival of the incoming aircraft."}, note="proactive: the upcoming flight is delayed")
    ctx.schedule(depart + timedelta(minutes=delay - 40), "travel.flight_status", {
        "number": number, "date": day.isoformat(), "status": "boarding", "gate": f"C{ctx.rng.randint(2, 30)}"})


@planner(APP, "seed")
def trip_booking(ctx: PlanContext) -> None:
    """A trip with a friend, booked a third into the window, flying out near its end."""
    cat = catalog(ctx.persona, ctx.start, ctx.end)
    days = (ctx.end - ctx.start).days
    friend = ctx.people("friend")[2]
    booked = (ctx.start + timedelta(days=int(days * 0.3) + ctx.rng.randint(0, 2))).replace(
        hour=ctx.rng.randint(12, 21), minute=ctx.rng.randrange(60))
    day = (ctx.start + timedelta(days=int(days * 0.75) + ctx.rng.randint(0, 2))).date()
    city = ctx.rng.choice(cat.cities)
    e, code, depart, number = _trip(ctx, cat, booked, day, city, friend, 2, "standard", 20, hotel=False,
                                    note="seed: trip with a friend")
    ctx.fact("travel.flight_code", e, table="travel_booking", field="code", value=code,
             description=f"the confirmation code of the flight {number} to {city[0]} with {friend.name}")
    ctx.fact("travel.flight_departure", e, table="travel_booking", field="depart", value=fmt(depart),
             description=f"when the flight {number} to {city[0]} with {friend.name} departs")


@planner(APP, "noise")
def cancelled_booking(ctx: PlanContext) -> None:
    """A flight booked and cancelled days later: another code and departure that no longer hold."""
    cat = catalog(ctx.persona, ctx.start, ctx.end)
    for seed in ctx.seed_facts(APP):
        if seed.key != "travel.flight_code":
            continue
        days = (ctx.end - ctx.start).days
        booked = ctx.random_time(after=ctx.start + timedelta(days=2),
                                 before=ctx.start + timedelta(days=max(3, days // 3)))
        day = booked.date() + timedelta(days=ctx.rng.randint(14, 20))
        route = cat.route(cat.home[1], ctx.rng.choice(cat.cities)[1])
        e, code, depart, _ = _book(ctx, booked, route, day, 0, "standard")
        ctx.add(booked + timedelta(days=ctx.rng.randint(1, 4)), "travel.cancel_booking", {"booking_id": ctx.ref(e)},
                actor="user")
        ctx.fact(f"noise.{seed.key}", e, table="travel_booking", field="code", value=code, near=seed.key)
        ctx.fact("noise.travel.flight_departure", e, table="travel_booking", field="depart", value=fmt(depart),
                 near="travel.flight_departure")


@planner(APP, "conflict")
def flight_rescheduled(ctx: PlanContext) -> None:
    """The airline moves the friend trip's flight days before departure (explicitly, by email and notification)."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "travel.flight_departure":
            continue
        booking = next(e for e in ctx.planned if e.id == seed.eid)
        depart = parse(seed.value)
        delay = ctx.rng.choice([-65, -40, 85, 110, 135])
        at = (depart - timedelta(days=4)).replace(hour=ctx.rng.randint(8, 18), minute=ctx.rng.randrange(60))
        e = ctx.add(at, "travel.schedule_change", {"number": booking.args["number"], "date": booking.args["date"],
                                                   "delay_minutes": delay, "reason": "Operational schedule change."})
        ctx.supersede(seed, e, value=fmt(depart + timedelta(minutes=delay)), explicit=True, table="travel_flight",
                      field="depart",
                      description="the airline moved the flight; the booking, calendar and companion follow")
