"""Travel: a flight and hotel catalog, the user's bookings, and the changes airlines make to them.

Booking charges the card (``bank.charge``), puts the trip on the calendar (``calendar.create_event``) and mails
a confirmation; cancelling refunds by the fare rule; a schedule change moves the booking and the calendar event
and texts every companion on the booking (``messages.send``). All times are local to the airports.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlalchemy import JSON, Column, Index
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.clock import fmt, parse
from clawgym.worlds.money import cents, units
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "travel"
Fare = Literal["basic", "standard", "flexible"]
FARES: dict[str, float] = {"basic": 0.8, "standard": 1.0, "flexible": 1.5}
FARE_RULES = ("basic: no refund, no changes; standard: full refund until 72 hours before departure, half after, "
              "changes pay the fare difference; flexible: full refund until departure, changes pay the difference")
HOTEL_RULE = "free cancellation until 48 hours before check-in (15:00); after that the first night is not refunded"
Day = Annotated[str, Arg(pattern=r"^\d{4}-\d{2}-\d{2}(T[\d:]+)?$", description="YYYY-MM-DD")]
HourMin = Annotated[str, Arg(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM")]
Seat = Annotated[str, Arg(pattern=r"^([1-9]|[1-3]\d|40)[A-F]$", description="row 1-40 and letter A-F, e.g. 14C")]


class Airport(Record, table=True):
    __tablename__ = "travel_airport"
    code: str = Field(index=True)
    city: str = Field(index=True)
    name: str = ""
    home: bool = False


class Flight(Record, table=True):
    __tablename__ = "travel_flight"
    __table_args__ = (Index("ix_travel_flight_route_depart", "route", "depart"),)
    number: str = Field(index=True)
    airline: str
    from_airport: str  # airport codes ("origin" is every record's provenance column)
    to_airport: str
    route: str  # "FROM-TO"
    depart: str  # searched with route (the composite index) or number
    arrive: str
    fare: int  # cents: the standard fare for one passenger
    seats_left: int
    status: str = "scheduled"  # scheduled | delayed | boarding | departed | landed | cancelled
    gate: str = ""


class Hotel(Record, table=True):
    __tablename__ = "travel_hotel"
    name: str
    city: str = Field(index=True)
    address: str = ""
    nightly: int  # cents per night
    rating: float = 0.0


class Booking(Record, table=True):
    __tablename__ = "travel_booking"
    code: str = Field(index=True)  # the confirmation code
    kind: str  # flight | hotel
    status: str = Field(index=True)  # confirmed | cancelled
    flight_id: int | None = Field(default=None, foreign_key="travel_flight.id", index=True)
    hotel_id: int | None = Field(default=None, foreign_key="travel_hotel.id", index=True)
    fare: str = ""
    depart: str = ""  # flights: the departure and arrival the user is booked on
    arrive: str = ""
    check_in: str = ""  # hotels
    check_out: str = ""
    nights: int = 0
    total: int = 0  # cents paid, net of refunds
    # Each charge: {"transaction_id", "amount", "refunded"} in cents (transaction_id None in a world without a bank).
    payments: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    # The calendar entry, a loose link to another service's record: the user may delete the entry
    # (calendar.find_event says whether it is still there); travel recreates it when the flight moves.
    calendar_event: int | None = None
    booked: str = ""
    checked_in: bool = False
    notice: str = ""  # the latest change announced by the airline


class Passenger(Record, table=True):
    __tablename__ = "travel_passenger"
    booking_id: int = Field(foreign_key="travel_booking.id", index=True)
    flight_id: int | None = Field(default=None, foreign_key="travel_flight.id", index=True)
    name: str
    contact: str = ""  # phone or email that itinerary changes are texted to
    is_user: bool = False
    seat: str = ""


def confirmation_code(*parts: str) -> str:
    """A six-character booking code, a pure function of what was booked and when (planners can predict it)."""
    digest = hashlib.sha1("|".join(parts).encode()).digest()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:6])


# -- helpers ---------------------------------------------------------------------------------------------------
def _price(flight: dict[str, Any], fare: str) -> int:
    return int(round(flight["fare"] * FARES[fare]))


def _show_flight(row: dict[str, Any]) -> dict[str, Any]:
    out = {"id": row["id"], "number": row["number"], "airline": row["airline"], "from": row["from_airport"],
           "to": row["to_airport"], "depart": row["depart"], "arrive": row["arrive"], "status": row["status"],
           "seats_left": row["seats_left"], "prices": {f: units(_price(row, f)) for f in FARES}}
    if row["gate"]:
        out["gate"] = row["gate"]
    return out


def _show_hotel(row: dict[str, Any], nights: int = 1) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "city": row["city"], "address": row["address"],
            "rating": row["rating"], "nightly": units(row["nightly"]), "total": units(row["nightly"] * nights)}


def _show_booking(row: dict[str, Any]) -> dict[str, Any]:
    out = {"id": row["id"], "code": row["code"], "kind": row["kind"], "status": row["status"],
           "total_paid": units(row["total"]), "booked": row["booked"]}
    if row["kind"] == "flight":
        out.update(flight_id=row["flight_id"], fare=row["fare"], depart=row["depart"], arrive=row["arrive"],
                   checked_in=row["checked_in"])
    else:
        out.update(hotel_id=row["hotel_id"], check_in=row["check_in"], check_out=row["check_out"], nights=row["nights"])
    if row["notice"]:
        out["notice"] = row["notice"]
    return out


def _show_passenger(row: dict[str, Any]) -> dict[str, Any]:
    return {"name": row["name"], "contact": row["contact"], "seat": row["seat"], "is_user": row["is_user"]}


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _airport(world: World, text: str, field: str) -> str:
    """The airport code for a code or a city name (case-insensitive)."""
    rows = world.store.query(Airport, "code = ? OR LOWER(city) = ? ORDER BY id LIMIT 1", (text.upper(), text.lower()))
    if not rows:
        known = ", ".join(f"{r['city']} ({r['code']})" for r in world.store.select(Airport))
        raise InvalidArguments(f"field '{field}': no airport for {text!r}; known: {known}")
    return str(rows[0]["code"])


def _day_of(text: str, field: str) -> date:
    try:
        return parse(text[:10]).date()
    except ValueError:
        raise InvalidArguments(f"field '{field}': not a real date, got {text!r} (expected YYYY-MM-DD)") from None


def _flight(world: World, flight_id: int | None, number: str, day: str) -> dict[str, Any]:
    if flight_id is not None:
        return world.store.require(Flight, flight_id, "flight")
    if not number or not day:
        raise InvalidArguments("give flight_id, or both number (e.g. SK104) and date (YYYY-MM-DD)")
    rows = world.store.query(Flight, "number = ? AND depart >= ? AND depart < ? ORDER BY depart LIMIT 1",
                             (number.upper().replace(" ", ""), day[:10], day[:10] + "T99"))
    if not rows:
        raise InvalidArguments(f"fields 'number'/'date': no flight {number} departs on {day[:10]}")
    return rows[0]


def _booking(world: World, booking_id: int, kind: str | None = None) -> dict[str, Any]:
    row = world.store.require(Booking, booking_id, "booking")
    if kind and row["kind"] != kind:
        raise Forbidden(f"booking {booking_id} is a {row['kind']} booking, not a {kind} booking")
    if row["status"] != "confirmed":
        raise Forbidden(f"booking {booking_id} is {row['status']}")
    return row


def _not_departed(world: World, row: dict[str, Any]) -> None:
    if row["depart"] <= world.iso_now():
        raise Forbidden(f"booking {row['id']}: the flight departed at {row['depart']}")


def _bank_ready(world: World) -> bool:
    """Payments go through the bank when the world has one (a world built without it books for free)."""
    services = world.spec.services
    return "bank.charge" in world.operations and (services is None or "bank" in services)


def _charge(world: World, amount: int, merchant: str, description: str) -> dict[str, Any]:
    tx = None
    if amount > 0 and _bank_ready(world):
        tx = world.call("bank.charge", {"amount": units(amount), "merchant": merchant, "category": "travel",
                                        "description": description}, system=True)["id"]
    return {"transaction_id": tx, "amount": amount, "refunded": 0}


def _refund(world: World, payments: list[dict[str, Any]], amount: int) -> list[dict[str, Any]]:
    """Refund ``amount`` cents over the booking's payments, newest first; returns the updated payments."""
    out = [dict(p) for p in payments]
    for p in reversed(out):
        take = min(amount, p["amount"] - p["refunded"])
        if take <= 0:
            continue
        if p["transaction_id"] is not None and _bank_ready(world):
            world.call("bank.refund", {"transaction_id": p["transaction_id"], "amount": units(take)}, system=True)
        p["refunded"] += take
        amount -= take
    return out


def _calendar_flight(world: World, booking: dict[str, Any], flight: dict[str, Any]) -> int:
    """Create or move the booking's calendar event to the flight's times; returns its id."""
    from clawgym.worlds.services.calendar import find_event

    args = {"title": f"Flight {flight['number']} {flight['from_airport']} → {flight['to_airport']}",
            "start": flight["depart"], "end": flight["arrive"], "location": f"{flight['from_airport']} airport",
            "notes": f"{flight['airline']}, confirmation {booking['code']}, {booking['fare']} fare"}
    if find_event(world, booking.get("calendar_event")) is not None:
        world.call("calendar.update_event", {"event_id": booking["calendar_event"], **args})
        return int(booking["calendar_event"])
    return int(world.call("calendar.create_event", {**args, "calendar": "Travel"})["id"])


def _uncalendar(world: World, booking: dict[str, Any]) -> None:
    from clawgym.worlds.services.calendar import find_event

    if find_event(world, booking["calendar_event"]) is not None:
        world.call("calendar.delete_event", {"event_id": booking["calendar_event"]})


def _tell_companions(world: World, booking_id: int, text: str) -> int:
    """Text every companion on a booking (as the user's itinerary sharing); returns how many were told."""
    told = 0
    for p in world.store.select(Passenger, {"booking_id": booking_id, "is_user": False}):
        if p["contact"]:
            world.call("messages.send", {"to": [p["contact"]], "text": text})
            told += 1
    return told


def _mail(world: World, sender: str, subject: str, body: str) -> None:
    from clawgym.worlds.services.mail import deliver

    deliver(world, sender, subject, body)


def _airline_mail(flight: dict[str, Any]) -> str:
    return f"bookings@{_slug(flight['airline'])}.com"


def _contact_of(world: World, name: str) -> str:
    """The phone (or email) of the contact with exactly this name, or ""."""
    for c in world.call("contacts.search", {"query": name, "limit": 20}):
        if c["name"].lower() == name.lower():
            return str(c.get("phone") or c.get("email") or "")
    return ""


def _unique_code(world: World, *parts: str) -> str:
    code = confirmation_code(*parts)
    n = 1
    while world.store.count(Booking, {"code": code}):
        n += 1
        code = confirmation_code(*parts, str(n))
    return code


# -- operations ------------------------------------------------------------------------------------------------
@operation(APP, "read", example={})
def list_airports(world: World) -> list[dict[str, Any]]:
    """Airports with flights on sale: code, city, name; home marks the user's home airport."""
    return [{"code": r["code"], "city": r["city"], "name": r["name"], "home": r["home"]}
            for r in world.store.select(Airport)]


@operation(APP, "read", example={"origin": Pick("travel_flight", field="from_airport"),
                                 "destination": Pick("travel_flight", field="to_airport"),
                                 "date": Pick("travel_flight", field="depart")})
def search_flights(world: World, origin: Annotated[str, Arg(min_length=2, description="airport code or city")],
                   destination: Annotated[str, Arg(min_length=2, description="airport code or city")], date: Day,
                   limit: Annotated[int, Arg(ge=1, le=50)] = 20) -> list[dict[str, Any]]:
    """Flights from origin to destination (codes like SFO or city names) departing on a date, with basic/standard/flexible prices."""
    route = f"{_airport(world, origin, 'origin')}-{_airport(world, destination, 'destination')}"
    rows = world.store.query(Flight, "route = ? AND depart >= ? AND depart < ? ORDER BY depart LIMIT ?",
                             (route, date[:10], date[:10] + "T99", limit))
    return [_show_flight(r) for r in rows]


@operation(APP, "read", example={"flight_id": Pick("travel_flight")})
def get_flight(world: World, flight_id: int) -> dict[str, Any]:
    """One flight: number, airline, times, status and gate, seats left, prices per fare, and the fare rules."""
    return {**_show_flight(world.store.require(Flight, flight_id, "flight")), "fare_rules": FARE_RULES}


@operation(APP, "read", example={"city": Pick("travel_hotel", field="city"), "nights": 2})
def search_hotels(world: World, city: Annotated[str, Arg(min_length=2)], nights: Annotated[int, Arg(ge=1, le=30)] = 1,
                  max_nightly: Annotated[float | None, Arg(gt=0)] = None,
                  limit: Annotated[int, Arg(ge=1, le=50)] = 20) -> list[dict[str, Any]]:
    """Hotels in a city (name as listed by list_airports), best rated first, with the total price for the nights."""
    rows = world.store.query(Hotel, "LOWER(city) = ? ORDER BY rating DESC, id LIMIT ?", (city.lower(), limit))
    if max_nightly is not None:
        rows = [r for r in rows if r["nightly"] <= cents(max_nightly, "max_nightly")]
    return [_show_hotel(r, nights) for r in rows]


@operation(APP, "read", example={"hotel_id": Pick("travel_hotel")})
def get_hotel(world: World, hotel_id: int) -> dict[str, Any]:
    """One hotel: name, city, address, rating, nightly price, and the cancellation rule."""
    return {**_show_hotel(world.store.require(Hotel, hotel_id, "hotel")), "cancellation": HOTEL_RULE}


@operation(APP, "write", example={"flight_id": Pick("travel_flight"), "fare": "standard"})
def book_flight(world: World, flight_id: int | None = None,
                number: Annotated[str, Arg(description="flight number, e.g. SK104")] = "", date: Day | None = None,
                fare: Fare = "standard") -> dict[str, Any]:
    """Book a seat for the user on a flight (flight_id, or number and date): charges the card, adds it to the calendar, emails a confirmation code."""
    flight = _flight(world, flight_id, number, date or "")
    if flight["status"] == "cancelled":
        raise Forbidden(f"flight {flight['number']} on {flight['depart'][:10]} is cancelled")
    if flight["depart"] <= world.iso_now():
        raise Forbidden(f"flight {flight['number']} departed at {flight['depart']}")
    if flight["seats_left"] < 1:
        raise Forbidden(f"flight {flight['number']} on {flight['depart'][:10]} is sold out")
    now = world.iso_now()
    code = _unique_code(world, "flight", flight["number"], flight["depart"], now)
    price = _price(flight, fare)
    payment = _charge(world, price, flight["airline"], f"Flight {flight['number']} {flight['route']} {code}")
    values = {"code": code, "kind": "flight", "status": "confirmed", "flight_id": flight["id"], "hotel_id": None,
              "fare": fare, "depart": flight["depart"], "arrive": flight["arrive"], "check_in": "", "check_out": "",
              "nights": 0, "total": price, "payments": [payment], "calendar_event": None, "booked": now,
              "checked_in": False, "notice": ""}
    values["calendar_event"] = _calendar_flight(world, values, flight)
    ident = world.store.insert(Booking, values)
    world.store.insert(Passenger, {"booking_id": ident, "flight_id": flight["id"], "name": world.persona.user.name,
                                   "contact": "", "is_user": True, "seat": ""})
    world.store.update(Flight, flight["id"], {"seats_left": flight["seats_left"] - 1})
    when = parse(flight["depart"])
    _mail(world, _airline_mail(flight), f"Booking confirmed {code}: {flight['from_airport']} to {flight['to_airport']}",
          f"Thank you for flying {flight['airline']}.\nConfirmation code: {code}\nFlight {flight['number']} "
          f"{flight['from_airport']} -> {flight['to_airport']}\nDeparts {when:%A %B %d, %Y at %H:%M}, arrives "
          f"{flight['arrive'][11:16]}\nFare: {fare}, paid ${units(price):.2f}\n{FARE_RULES}")
    world.notify(APP, f"Flight booked: {flight['number']}", f"{code}, departs {when:%b %d %H:%M}", "travel_booking",
                 ident)
    return _show_booking({"id": ident, **values})


@operation(APP, "write", example={"hotel_id": Pick("travel_hotel"),
                                  "check_in": Pick("travel_booking", field="depart", kind="flight"), "nights": 2})
def book_hotel(world: World, hotel_id: int, check_in: Day,
               nights: Annotated[int, Arg(ge=1, le=30)] = 1) -> dict[str, Any]:
    """Book a hotel room from check_in (YYYY-MM-DD, 15:00) for some nights: charges the card, adds it to the calendar, emails a confirmation."""
    hotel = world.store.require(Hotel, hotel_id, "hotel")
    try:
        arrive = parse(check_in[:10]).replace(hour=15)
    except ValueError:
        raise InvalidArguments(f"field 'check_in': not a real date, got {check_in!r}") from None
    if arrive <= world.now:
        raise Forbidden(f"check-in {fmt(arrive)} is in the past (now {world.iso_now()})")
    leave = (arrive + timedelta(days=nights)).replace(hour=11)
    now = world.iso_now()
    code = _unique_code(world, "hotel", hotel["name"], fmt(arrive), now)
    total = hotel["nightly"] * nights
    payment = _charge(world, total, hotel["name"], f"{nights} night(s) from {fmt(arrive)[:10]} {code}")
    event = world.call("calendar.create_event", {
        "title": f"Hotel: {hotel['name']}", "start": fmt(arrive), "end": fmt(leave), "location": hotel["address"],
        "notes": f"Confirmation {code}, {nights} night(s)", "calendar": "Travel", "show_as": "free"})
    values = {"code": code, "kind": "hotel", "status": "confirmed", "flight_id": None, "hotel_id": hotel_id,
              "fare": "", "depart": "", "arrive": "", "check_in": fmt(arrive), "check_out": fmt(leave),
              "nights": nights, "total": total, "payments": [payment], "calendar_event": event["id"], "booked": now,
              "checked_in": False, "notice": ""}
    ident = world.store.insert(Booking, values)
    _mail(world, f"reservations@{_slug(hotel['name'])}.com", f"Reservation confirmed {code}: {hotel['name']}",
          f"Confirmation code: {code}\n{hotel['name']}, {hotel['address']}\nCheck-in {arrive:%A %B %d, %Y} from 15:00, "
          f"check-out {leave:%A %B %d} by 11:00\nTotal paid ${units(total):.2f}\n{HOTEL_RULE}")
    world.notify(APP, f"Hotel booked: {hotel['name']}", f"{code}, {arrive:%b %d}, {nights} night(s)",
                 "travel_booking", ident)
    return _show_booking({"id": ident, **values})


@operation(APP, "read", example={})
def list_bookings(world: World, status: Literal["confirmed", "cancelled", "all"] = "confirmed",
                  kind: Literal["flight", "hotel"] | None = None,
                  limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """The user's bookings (confirmed by default), newest booking first; kind narrows to flights or hotels."""
    where: dict[str, Any] = {} if status == "all" else {"status": status}
    if kind:
        where["kind"] = kind
    return [_show_booking(r) for r in world.store.select(Booking, where, order_by="booked", desc=True, limit=limit)]


@operation(APP, "read", example={"booking_id": Pick("travel_booking")})
def get_booking(world: World, booking_id: int) -> dict[str, Any]:
    """One booking in full: code, status, payments, passengers and seats, and the flight or hotel booked."""
    row = world.store.require(Booking, booking_id, "booking")
    out = {**_show_booking(row), "calendar_event_id": row["calendar_event"],
           "payments": [{"amount": units(p["amount"]), "refunded": units(p["refunded"])} for p in row["payments"]]}
    if row["kind"] == "flight":
        out["flight"] = _show_flight(world.store.require(Flight, row["flight_id"], "flight"))
        out["passengers"] = [_show_passenger(p) for p in world.store.select(Passenger, {"booking_id": booking_id})]
        out["fare_rules"] = FARE_RULES
    else:
        out["hotel"] = _show_hotel(world.store.require(Hotel, row["hotel_id"], "hotel"), row["nights"])
        out["cancellation"] = HOTEL_RULE
    return out


def _refundable(world: World, row: dict[str, Any]) -> int:
    """Cents refunded if the booking is cancelled now, by the fare or hotel rule."""
    now = world.now
    if row["kind"] == "hotel":
        start = parse(row["check_in"])
        if start <= now:
            raise Forbidden(f"booking {row['id']}: the stay began at {row['check_in']}")
        return row["total"] if start - now >= timedelta(hours=48) else row["total"] - row["total"] // row["nights"]
    _not_departed(world, row)
    if row["fare"] == "basic":
        return 0
    if row["fare"] == "flexible" or parse(row["depart"]) - now >= timedelta(hours=72):
        return int(row["total"])
    return int(row["total"]) // 2


@operation(APP, "write", example={"booking_id": Pick("travel_booking", status="confirmed")})
def cancel_booking(world: World, booking_id: int) -> dict[str, Any]:
    """Cancel a booking: refunds to the card by the fare rule (see get_booking), removes it from the calendar, emails a confirmation."""
    row = _booking(world, booking_id)
    refund = _refundable(world, row)
    payments = _refund(world, row["payments"], refund)
    changes = {"status": "cancelled", "payments": payments, "total": row["total"] - refund, "calendar_event": None}
    if row["kind"] == "flight":
        flight = world.store.require(Flight, row["flight_id"], "flight")
        seats = world.store.count(Passenger, {"booking_id": booking_id})
        world.store.update(Flight, flight["id"], {"seats_left": flight["seats_left"] + seats})
        world.store.update_where(Passenger, {"booking_id": booking_id}, {"seat": ""})
        sender = _airline_mail(flight)
    else:
        sender = f"reservations@{_slug(world.store.require(Hotel, row['hotel_id'], 'hotel')['name'])}.com"
    _uncalendar(world, row)
    world.store.update(Booking, booking_id, changes)
    _mail(world, sender, f"Cancelled: booking {row['code']}",
          f"Your booking {row['code']} is cancelled. Refund: ${units(refund):.2f} to your card "
          f"(of ${units(row['total']):.2f} paid).")
    world.notify(APP, f"Booking {row['code']} cancelled", f"refund ${units(refund):.2f}", "travel_booking", booking_id)
    return {**_show_booking({**row, **changes}), "refund": units(refund)}


@operation(APP, "write", example={"booking_id": Pick("travel_booking", kind="flight", status="confirmed"),
                                  "new_flight_id": Pick("travel_flight")})
def change_flight(world: World, booking_id: int, new_flight_id: int, notify_companions: bool = True) -> dict[str, Any]:
    """Move a flight booking (all its passengers) to another flight: the fare difference is charged or refunded, the calendar moves, companions are texted."""
    row = _booking(world, booking_id, "flight")
    _not_departed(world, row)
    if row["fare"] == "basic":
        raise Forbidden(f"booking {booking_id} has a basic fare: it cannot be changed ({FARE_RULES})")
    new = world.store.require(Flight, new_flight_id, "flight")
    if new["id"] == row["flight_id"]:
        raise Forbidden(f"booking {booking_id} is already on flight {new['number']} ({new_flight_id})")
    if new["status"] == "cancelled" or new["depart"] <= world.iso_now():
        raise Forbidden(f"flight {new_flight_id} cannot be booked: it is {new['status']}, departing {new['depart']}")
    seats = world.store.count(Passenger, {"booking_id": booking_id})
    if new["seats_left"] < seats:
        raise Forbidden(f"flight {new_flight_id} has {new['seats_left']} seats left; the booking needs {seats}")
    old = world.store.require(Flight, row["flight_id"], "flight")
    total = _price(new, row["fare"]) * seats
    payments = row["payments"]
    if total > row["total"]:
        payments = [*payments, _charge(world, total - row["total"], new["airline"], f"Fare difference {row['code']}")]
    elif total < row["total"]:
        payments = _refund(world, payments, row["total"] - total)
    world.store.update(Flight, old["id"], {"seats_left": old["seats_left"] + seats})
    world.store.update(Flight, new["id"], {"seats_left": new["seats_left"] - seats})
    world.store.update_where(Passenger, {"booking_id": booking_id}, {"flight_id": new["id"], "seat": ""})
    changes = {"flight_id": new["id"], "depart": new["depart"], "arrive": new["arrive"], "total": total,
               "payments": payments, "checked_in": False,
               "notice": f"changed by the user from {old['number']} {old['depart']} to {new['number']} {new['depart']}"}
    changes["calendar_event"] = _calendar_flight(world, {**row, **changes}, new)
    world.store.update(Booking, booking_id, changes)
    text = (f"Change of plans: we're now on {new['number']} {new['from_airport']}→{new['to_airport']}, departing "
            f"{parse(new['depart']):%a %b %d at %H:%M}. Confirmation {row['code']}.")
    told = _tell_companions(world, booking_id, text) if notify_companions else 0
    _mail(world, _airline_mail(new), f"Itinerary changed {row['code']}",
          f"Your booking {row['code']} is now on flight {new['number']} departing {new['depart']}. "
          f"Fare difference: ${units(total - row['total']):.2f}.")
    return {**_show_booking({**row, **changes}), "fare_difference": units(abs(total - row["total"])),
            "charged" if total >= row["total"] else "refunded": True, "companions_texted": told}


@operation(APP, "write", example={"booking_id": Pick("travel_booking", kind="flight", status="confirmed"),
                                  "name": "Sam Rivera", "contact": "+1-202-555-0147"})
def add_passenger(world: World, booking_id: int, name: Annotated[str, Arg(min_length=1, max_length=80)],
                  contact: str = "") -> dict[str, Any]:
    """Add a companion to a flight booking at the booking's fare (charged to the card); contact (phone/email, else looked up by exact contact name) gets itinerary updates."""
    row = _booking(world, booking_id, "flight")
    _not_departed(world, row)
    flight = world.store.require(Flight, row["flight_id"], "flight")
    if flight["seats_left"] < 1:
        raise Forbidden(f"flight {flight['number']} is sold out")
    price = _price(flight, row["fare"])
    payment = _charge(world, price, flight["airline"], f"Passenger {name} {row['code']}")
    world.store.insert(Passenger, {"booking_id": booking_id, "flight_id": flight["id"], "name": name,
                                   "contact": contact or _contact_of(world, name), "is_user": False, "seat": ""})
    world.store.update(Flight, flight["id"], {"seats_left": flight["seats_left"] - 1})
    changes = {"total": row["total"] + price, "payments": [*row["payments"], payment]}
    world.store.update(Booking, booking_id, changes)
    return {**_show_booking({**row, **changes}),
            "passengers": [_show_passenger(p) for p in world.store.select(Passenger, {"booking_id": booking_id})]}


@operation(APP, "write", example={"booking_id": Pick("travel_booking", kind="flight", status="confirmed"),
                                  "seat": "33F"})
def select_seat(world: World, booking_id: int, seat: Seat, passenger: str = "") -> dict[str, Any]:
    """Choose a seat (e.g. 14C) for a passenger of a flight booking: the user by default, or a companion by name."""
    row = _booking(world, booking_id, "flight")
    _not_departed(world, row)
    people = world.store.select(Passenger, {"booking_id": booking_id})
    who = next((p for p in people if (p["name"].lower() == passenger.lower() if passenger else p["is_user"])), None)
    if who is None:
        raise InvalidArguments(f"field 'passenger': no passenger {passenger!r} on booking {booking_id}; "
                               f"passengers: {', '.join(p['name'] for p in people)}")
    taken = world.store.select(Passenger, {"flight_id": row["flight_id"], "seat": seat}, limit=1)
    if taken and taken[0]["id"] != who["id"]:
        raise Forbidden(f"seat {seat} is taken on this flight; choose another")
    world.store.update(Passenger, who["id"], {"seat": seat})
    return {**_show_booking(row), "passenger": who["name"], "seat": seat}


@operation(APP, "write", example={"booking_id": Pick("travel_booking", kind="flight", status="confirmed")})
def check_in(world: World, booking_id: int) -> dict[str, Any]:
    """Check in every passenger of a flight booking (opens 24 hours before departure, closes 45 minutes before); returns boarding passes."""
    row = _booking(world, booking_id, "flight")
    depart = parse(row["depart"])
    if world.now < depart - timedelta(hours=24):
        raise Forbidden(f"check-in for booking {booking_id} opens at {fmt(depart - timedelta(hours=24))}")
    if world.now > depart - timedelta(minutes=45):
        raise Forbidden(f"check-in for booking {booking_id} closed at {fmt(depart - timedelta(minutes=45))}")
    flight = world.store.require(Flight, row["flight_id"], "flight")
    taken = {p["seat"] for p in world.store.select(Passenger, {"flight_id": flight["id"]}) if p["seat"]}
    free = [f"{r}{c}" for r in range(20, 41) for c in "ABCDEF" if f"{r}{c}" not in taken]
    passes = []
    for p in world.store.select(Passenger, {"booking_id": booking_id}):
        seat = p["seat"] or free.pop(0)
        if seat != p["seat"]:
            world.store.update(Passenger, p["id"], {"seat": seat})
        passes.append({"name": p["name"], "seat": seat, "flight": flight["number"], "depart": flight["depart"],
                       "gate": flight["gate"] or "TBA", "code": row["code"]})
    world.store.update(Booking, booking_id, {"checked_in": True})
    return {**_show_booking({**row, "checked_in": True}), "boarding_passes": passes}


# -- what airlines and the catalog do (system) ------------------------------------------------------------------
@operation(APP, "write", system=True, example={"code": "ZZV", "city": "Testville", "name": "Testville Regional"})
def add_airport(world: World, code: Annotated[str, Arg(pattern=r"^[A-Z]{3}$")], city: Annotated[str, Arg(min_length=1)],
                name: str = "", home: bool = False) -> dict[str, Any]:
    """An airport opens for sale in the catalog (home: the user's home airport)."""
    if world.store.count(Airport, {"code": code}):
        raise Forbidden(f"airport {code} already exists")
    values = {"code": code, "city": city, "name": name or f"{city} Airport", "home": home}
    return {"id": world.store.insert(Airport, values), **values}


@operation(APP, "write", system=True, example={"name": "Test Inn", "city": "Testville", "nightly": 120.0})
def add_hotel(world: World, name: Annotated[str, Arg(min_length=1)], city: Annotated[str, Arg(min_length=1)],
              nightly: Annotated[float, Arg(gt=0)], address: str = "",
              rating: Annotated[float, Arg(ge=0, le=5)] = 4.0) -> dict[str, Any]:
    """A hotel joins the catalog."""
    values = {"name": name, "city": city, "address": address, "nightly": cents(nightly, "nightly"), "rating": rating}
    return _show_hotel({"id": world.store.insert(Hotel, values), **values})


@operation(APP, "write", system=True, example={
    "airline": "Test Air", "code": "TA", "number": 900, "origin": Pick("travel_airport", field="code", home=True),
    "destination": Pick("travel_airport", field="code", home=False), "departures": ["09:00"], "minutes": 90,
    "fare": 120.0, "first_day": "2026-01-05", "days": 3, "seed": 1})
def add_route(world: World, airline: str, code: Annotated[str, Arg(pattern=r"^[A-Z]{2}$")],
              number: Annotated[int, Arg(ge=1, le=9990)],
              origin: str, destination: str, departures: Annotated[list[HourMin], Arg(min_length=1, max_length=6)],
              minutes: Annotated[int, Arg(ge=20, le=1200)], fare: Annotated[float, Arg(gt=0)],
              first_day: Annotated[str, Arg(pattern=r"^\d{4}-\d{2}-\d{2}$")], days: Annotated[int, Arg(ge=1, le=800)],
              seed: int = 0) -> dict[str, Any]:
    """An airline puts a daily route on sale: one flight per departure time per day; fares and seats vary by day."""
    origin, destination = _airport(world, origin, "origin"), _airport(world, destination, "destination")
    if origin == destination:
        raise InvalidArguments("field 'destination': must differ from origin")
    first = _day_of(first_day, "first_day")
    rng, base, route = random.Random(seed), cents(fare, "fare"), f"{origin}-{destination}"
    slots = []  # per departure: number, "HH:MM:SS" out, arrival's day offset, "HH:MM:SS" in (no datetime per flight)
    for i, hm in enumerate(departures):
        t = int(hm[:2]) * 60 + int(hm[3:]) + minutes
        slots.append((f"{code}{number + i}", f"T{hm}:00", t // 1440, f"T{t % 1440 // 60:02d}:{t % 60:02d}:00"))
    days_iso = [(first + timedelta(days=i)).isoformat() for i in range(days + 2)]
    rows, provenance = [], world.store.origin
    for i in range(days):
        busy = 1.25 if (first.weekday() + i) % 7 in (4, 6) else 1.0
        for num, out, offset, back in slots:
            rows.append({"origin": provenance, "number": num, "airline": airline, "from_airport": origin,
                         "to_airport": destination, "route": route, "depart": days_iso[i] + out,
                         "arrive": days_iso[i + offset] + back,
                         "fare": int(round(base * busy * rng.uniform(0.85, 1.3), -2)),
                         "seats_left": rng.randint(9, 160), "status": "scheduled", "gate": ""})
    # Latest first: the catalog's first rows are flights still on sale long after the window.
    world.store.insert_many(Flight, rows[::-1])
    return {"route": f"{origin}-{destination}", "flights": len(rows)}


def _holders(world: World, flight_id: int) -> list[dict[str, Any]]:
    return world.store.select(Booking, {"flight_id": flight_id, "status": "confirmed"})


def _shift(world: World, flight: dict[str, Any], minutes: int, reason: str, status: str) -> dict[str, Any]:
    """Move a flight by ``minutes``: every booking on it, its calendar event and its companions follow."""
    old = parse(flight["depart"])
    changes = {"depart": fmt(old + timedelta(minutes=minutes)),
               "arrive": fmt(parse(flight["arrive"]) + timedelta(minutes=minutes)), "status": status}
    world.store.update(Flight, flight["id"], changes)
    new = {**flight, **changes}
    when = parse(new["depart"])
    line = (f"Flight {flight['number']} {flight['from_airport']}→{flight['to_airport']} on {old:%a %b %d} "
            f"now departs at {when:%H:%M}" + (f" on {when:%a %b %d}" if when.date() != old.date() else "")
            + f" (was {old:%H:%M})")
    for b in _holders(world, flight["id"]):
        notice = f"{line}. {reason}".strip()
        update = {"depart": new["depart"], "arrive": new["arrive"], "notice": notice}
        update["calendar_event"] = _calendar_flight(world, {**b, **update}, new)
        world.store.update(Booking, b["id"], update)
        _mail(world, _airline_mail(flight), f"Schedule change for booking {b['code']}",
              f"{notice}\nArrival: {new['arrive'][11:16]}. Your seat and confirmation code {b['code']} stay the same. "
              "If the new time does not work, you can change or cancel your booking.")
        world.notify(APP, f"Schedule change: {flight['number']}", line, "travel_booking", b["id"])
        _tell_companions(world, b["id"], f"Heads up: {line}. Confirmation {b['code']}.")
    return new


@operation(APP, "write", system=True, example={"flight_id": Pick("travel_flight"), "delay_minutes": 90})
def schedule_change(world: World, flight_id: int | None = None, number: str = "", date: Day | None = None,
                    delay_minutes: Annotated[int, Arg(ge=-720, le=1440)] = 0, reason: str = "") -> dict[str, Any]:
    """The airline moves a flight (flight_id, or number and date) by delay_minutes (negative: earlier): bookings, calendar and companions follow."""
    if delay_minutes == 0:
        raise InvalidArguments("field 'delay_minutes': must not be 0")
    flight = _flight(world, flight_id, number, date or "")
    if flight["status"] == "cancelled":
        raise Forbidden(f"flight {flight['number']} is cancelled")
    return _show_flight(_shift(world, flight, delay_minutes, reason, flight["status"]))


@operation(APP, "write", system=True, example={"flight_id": Pick("travel_flight"), "status": "boarding", "gate": "B12"})
def flight_status(world: World, status: Literal["on_time", "delayed", "boarding", "departed", "landed", "cancelled"],
                  flight_id: int | None = None, number: str = "", date: Day | None = None, gate: str = "",
                  delay_minutes: Annotated[int, Arg(ge=0, le=1440)] = 0) -> dict[str, Any]:
    """The airline updates a flight's status or gate; a delay moves the bookings, a cancellation refunds them in full."""
    flight = _flight(world, flight_id, number, date or "")
    if flight["status"] == "cancelled":
        raise Forbidden(f"flight {flight['number']} is already cancelled")
    if status == "delayed":
        if delay_minutes <= 0:
            raise InvalidArguments("field 'delay_minutes': a delay needs minutes > 0")
        flight = _shift(world, flight, delay_minutes, "Delayed by the airline.", "delayed")
    changes: dict[str, Any] = {"status": "scheduled" if status == "on_time" else status}
    if gate:
        changes["gate"] = gate
    world.store.update(Flight, flight["id"], changes)
    flight = {**flight, **changes}
    for b in _holders(world, flight["id"]):
        if status == "cancelled":
            payments = _refund(world, b["payments"], b["total"])
            _uncalendar(world, b)
            notice = f"Flight {flight['number']} on {flight['depart'][:10]} was cancelled by the airline; full refund."
            world.store.update(Booking, b["id"], {"status": "cancelled", "payments": payments, "total": 0,
                                                  "calendar_event": None, "notice": notice})
            _mail(world, _airline_mail(flight), f"Flight cancelled: booking {b['code']}",
                  f"{notice}\nRefund: ${units(b['total']):.2f}. Search for another flight to rebook.")
            world.notify(APP, f"Cancelled: {flight['number']}", notice, "travel_booking", b["id"])
            _tell_companions(world, b["id"], f"Bad news: {notice} I'll look for another flight.")
        elif gate or status == "boarding":
            world.notify(APP, f"{flight['number']}: {status.replace('_', ' ')}",
                         f"gate {flight['gate'] or 'TBA'}, departs {flight['depart'][11:16]}", "travel_booking",
                         b["id"])
    return _show_flight(flight)
