"""Travel: bookings pay through the bank, land on the calendar, and follow the airline's changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World
from clawgym.worlds.clock import fmt, parse


def _flight(world: World, days: int = 10, skip: int = 0) -> dict[str, Any]:
    """A scheduled flight departing at least ``days`` from now."""
    return world.store.query("travel_flight", "depart >= ? AND status = 'scheduled' AND seats_left >= 3 "
                             "ORDER BY depart, id LIMIT 1 OFFSET ?", (fmt(world.now + timedelta(days=days)), skip))[0]


def _charge(world: World, booking_id: int, i: int = 0) -> dict[str, Any]:
    payment = world.store.get("travel_booking", booking_id)["payments"][i]
    return world.call("bank.get_transaction", {"transaction_id": payment["transaction_id"]})


def _event(world: World, booking_id: int) -> dict[str, Any] | None:
    event_id = world.store.get("travel_booking", booking_id)["calendar_event"]
    return None if event_id is None else world.store.get("calendar_event", event_id)


def _thread_with(world: World, handle: str) -> list[dict[str, Any]]:
    threads = world.store.select("message_thread", {"handles": handle})
    return world.call("messages.read_thread", {"thread_id": threads[0]["id"]})["messages"] if threads else []


def test_booking_a_flight_charges_the_card_adds_the_calendar_event_and_mails_the_code(world: World) -> None:
    flight = _flight(world)
    booking = world.call("travel.book_flight", {"flight_id": flight["id"], "fare": "standard"})
    txn = _charge(world, booking["id"])
    assert txn["amount"] == -booking["total_paid"] == -flight["fare"] / 100
    assert txn["merchant"] == flight["airline"] and txn["category"] == "travel"
    event = _event(world, booking["id"])
    assert event is not None and (event["start"], event["end"]) == (flight["depart"], flight["arrive"])
    assert booking["code"] in event["notes"]
    assert world.call("mail.search", {"query": booking["code"]})[0]["subject"].startswith("Booking confirmed")
    assert world.store.get("travel_flight", flight["id"])["seats_left"] == flight["seats_left"] - 1


def test_booking_by_number_and_date_finds_the_same_flight(world: World) -> None:
    flight = _flight(world)
    booking = world.call("travel.book_flight", {"number": flight["number"], "date": flight["depart"][:10]})
    assert booking["flight_id"] == flight["id"]
    with pytest.raises(InvalidArguments, match="number"):
        world.call("travel.book_flight", {"number": "ZZ999", "date": flight["depart"][:10]})


def test_cancelling_early_refunds_in_full_and_removes_the_calendar_event(world: World) -> None:
    booking = world.call("travel.book_flight", {"flight_id": _flight(world)["id"]})
    event_id = world.store.get("travel_booking", booking["id"])["calendar_event"]
    done = world.call("travel.cancel_booking", {"booking_id": booking["id"]})
    assert done["status"] == "cancelled" and done["refund"] == booking["total_paid"]
    assert _charge(world, booking["id"])["refunded"] == booking["total_paid"]
    assert world.store.get("calendar_event", event_id) is None
    with pytest.raises(Forbidden, match="cancelled"):
        world.call("travel.cancel_booking", {"booking_id": booking["id"]})


def test_standard_fare_cancelled_within_72_hours_refunds_half(world: World) -> None:
    flight = _flight(world, days=3)
    booking = world.call("travel.book_flight", {"flight_id": flight["id"]})
    world.advance(until=parse(flight["depart"]) - timedelta(hours=30))
    done = world.call("travel.cancel_booking", {"booking_id": booking["id"]})
    assert done["refund"] == round(booking["total_paid"] / 2, 2)


def test_basic_fare_refunds_nothing_and_cannot_change(world: World) -> None:
    booking = world.call("travel.book_flight", {"flight_id": _flight(world)["id"], "fare": "basic"})
    before = world.digest()
    with pytest.raises(Forbidden, match="basic fare"):
        world.call("travel.change_flight", {"booking_id": booking["id"], "new_flight_id": _flight(world, 12)["id"]})
    assert world.digest() == before
    assert world.call("travel.cancel_booking", {"booking_id": booking["id"]})["refund"] == 0


def test_airline_schedule_change_moves_booking_and_calendar_and_texts_the_companion(world: World) -> None:
    flight = _flight(world)
    companion = next(p for p in world.persona.people if p.role == "partner")
    booking = world.call("travel.book_flight", {"flight_id": flight["id"]})
    world.call("travel.add_passenger", {"booking_id": booking["id"], "name": companion.name})
    world.call("travel.schedule_change", {"flight_id": flight["id"], "delay_minutes": 95,
                                          "reason": "Crew scheduling."}, system=True)
    new_depart = fmt(parse(flight["depart"]) + timedelta(minutes=95))
    row = world.store.get("travel_booking", booking["id"])
    assert row["depart"] == new_depart and "Crew scheduling" in row["notice"]
    assert _event(world, booking["id"])["start"] == new_depart
    texts = [m["text"] for m in _thread_with(world, companion.phone)]
    assert any(booking["code"] in t and new_depart[11:16] in t for t in texts)
    assert world.call("mail.search", {"query": f"Schedule change for booking {booking['code']}"})
    assert any(n["title"].startswith("Schedule change") for n in world.call("notifications.list", {"app": "travel"}))


def test_changing_flight_charges_the_fare_difference_and_moves_the_calendar(world: World) -> None:
    old = _flight(world)
    booking = world.call("travel.book_flight", {"flight_id": old["id"], "fare": "flexible"})
    new = next(f for f in world.store.query("travel_flight", "depart > ? ORDER BY depart LIMIT 200", (old["depart"],))
               if f["fare"] > old["fare"] and f["seats_left"] > 0)
    changed = world.call("travel.change_flight", {"booking_id": booking["id"], "new_flight_id": new["id"]})
    diff = round((new["fare"] - old["fare"]) * 1.5 / 100, 2)
    assert changed["charged"] and changed["fare_difference"] == pytest.approx(diff, abs=0.01)
    assert _charge(world, booking["id"], 1)["amount"] == pytest.approx(-diff, abs=0.01)
    assert _event(world, booking["id"])["start"] == new["depart"]
    assert world.store.get("travel_flight", old["id"])["seats_left"] == old["seats_left"]


def test_airline_cancellation_refunds_everything_and_clears_the_calendar(world: World) -> None:
    flight = _flight(world)
    booking = world.call("travel.book_flight", {"flight_id": flight["id"], "fare": "basic"})
    world.call("travel.flight_status", {"flight_id": flight["id"], "status": "cancelled"}, system=True)
    row = world.store.get("travel_booking", booking["id"])
    assert row["status"] == "cancelled" and row["total"] == 0 and row["calendar_event"] is None
    assert _charge(world, booking["id"])["refunded"] == booking["total_paid"]


def test_check_in_opens_24_hours_before_departure_and_assigns_seats(world: World) -> None:
    flight = _flight(world, days=2)
    booking = world.call("travel.book_flight", {"flight_id": flight["id"]})
    with pytest.raises(Forbidden, match="opens at"):
        world.call("travel.check_in", {"booking_id": booking["id"]})
    world.advance(until=parse(flight["depart"]) - timedelta(hours=5))
    passes = world.call("travel.check_in", {"booking_id": booking["id"]})["boarding_passes"]
    assert len(passes) == 1 and passes[0]["seat"]


def test_a_taken_seat_is_refused(world: World) -> None:
    flight = _flight(world)
    first = world.call("travel.book_flight", {"flight_id": flight["id"]})
    second = world.call("travel.book_flight", {"flight_id": flight["id"]})
    world.call("travel.select_seat", {"booking_id": first["id"], "seat": "12C"})
    with pytest.raises(Forbidden, match="12C is taken"):
        world.call("travel.select_seat", {"booking_id": second["id"], "seat": "12C"})


def test_a_declined_card_books_nothing(world: World) -> None:
    from clawgym.worlds.services.bank import default_card

    world.call("bank.freeze_card", {"card_id": default_card(world)})
    before = world.digest()
    with pytest.raises(Forbidden, match="frozen"):
        world.call("travel.book_flight", {"flight_id": _flight(world)["id"]})
    assert world.digest() == before


def test_hotel_is_charged_per_night_and_late_cancellation_keeps_the_first_night(world: World) -> None:
    hotel = world.store.select("travel_hotel", limit=1)[0]
    check_in = (world.now + timedelta(days=2)).date().isoformat()
    booking = world.call("travel.book_hotel", {"hotel_id": hotel["id"], "check_in": check_in, "nights": 3})
    assert booking["total_paid"] == hotel["nightly"] * 3 / 100
    assert _event(world, booking["id"])["busy"] is False  # a stay never conflicts with meetings
    world.advance(until=parse(check_in) - timedelta(hours=10))
    assert world.call("travel.cancel_booking", {"booking_id": booking["id"]})["refund"] == hotel["nightly"] * 2 / 100


def test_search_flights_takes_codes_or_city_names(world: World) -> None:
    flight = _flight(world)
    city = world.store.select("travel_airport", {"code": flight["to_airport"]})[0]["city"]
    found = world.call("travel.search_flights", {"origin": flight["from_airport"], "destination": city.upper(),
                                                 "date": flight["depart"][:10]})
    assert flight["id"] in [f["id"] for f in found]
    with pytest.raises(InvalidArguments, match="field 'origin': no airport for 'Atlantis'"):
        world.call("travel.search_flights", {"origin": "Atlantis", "destination": city, "date": "2026-02-01"})


def test_unknown_booking_is_named(world: World) -> None:
    with pytest.raises(NotFound, match="no booking with id 999999"):
        world.call("travel.get_booking", {"booking_id": 999999})


def test_the_upcoming_flight_is_delayed_when_the_episode_clock_passes_the_airline_event(world: World) -> None:
    fact = world.store.select("fact", {"key": "travel.next_departure"})[0]
    booking = world.store.get("travel_booking", fact["record_id"])
    world.advance(until=world.now + timedelta(hours=10))
    moved = world.store.get("travel_booking", booking["id"])
    assert moved["depart"] > booking["depart"] and moved["notice"]
    assert _event(world, booking["id"])["start"] == moved["depart"]
    partner = next(p for p in world.persona.people if p.role == "partner")
    assert any("Heads up" in m["text"] for m in _thread_with(world, partner.phone))


def test_the_seeded_schedule_change_is_recorded_as_an_explicit_conflict(world: World) -> None:
    conflict = world.store.select("conflict", {"key": "travel.flight_departure"})[0]
    assert conflict["explicit"]
    new = world.store.get("fact", conflict["superseding"])
    assert world.store.get("travel_flight", new["record_id"])["depart"] == new["value"]
