"""Health: the watch's history, medications and the dose the doctor changed, appointments on the calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World, family

OPERATIONS = family("assistant").operations


def test_a_past_day_has_steps_sleep_and_resting_heart_rate(world: World) -> None:
    day = (world.now - timedelta(days=3)).date().isoformat()
    s = world.call("health.summary", {"day": day})
    hourly = world.call("health.list_samples", {"kind": "steps", "since": day, "until": day})
    assert s["steps"] == sum(h["value"] for h in hourly) > 1000 and len(hourly) == 14
    assert 5 <= s["sleep_hours"] <= 9 and 50 <= s["resting_heart_rate"] <= 70
    with pytest.raises(InvalidArguments, match="field 'day'"):
        world.call("health.summary", {"day": "2026-02-31"})


def test_activity_is_on_the_phone_only(world: World) -> None:
    for name in ("summary", "list_samples", "list_workouts", "log_workout"):
        assert OPERATIONS.get(f"health.{name}").devices == ("phone",)


def test_workouts_three_a_week_and_manual_logging(world: World) -> None:
    history = world.call("health.list_workouts", {"limit": 200})
    assert 10 <= len(history) <= 16
    assert [w["start"] for w in history] == sorted((w["start"] for w in history), reverse=True)
    w = world.call("health.log_workout", {"kind": "swim", "minutes": 40, "distance_km": 1.5})
    assert w["source"] == "manual" and w["start"] == (world.now - timedelta(minutes=40)).isoformat()
    assert world.call("health.list_workouts", {"kind": "swim"})[0]["id"] == w["id"]
    before = world.digest()
    with pytest.raises(InvalidArguments, match="in the future"):
        world.call("health.log_workout", {"kind": "run", "minutes": 20, "start": "2030-01-01T07:00"})
    assert world.digest() == before


def test_the_doctor_changed_the_dose_explicitly(world: World) -> None:
    seed = world.store.select("fact", {"key": "health.medication_dose", "kind": "seed"})[0]
    new = world.store.select("fact", {"key": "health.medication_dose", "kind": "conflict"})[0]
    assert (seed["value"], new["value"]) == ("10 mg", "20 mg") and seed["superseded_by"] == new["id"]
    assert world.store.select("conflict", {"key": "health.medication_dose"})[0]["explicit"]
    meds = {m["name"]: m for m in world.call("health.list_medications", {})}
    assert meds["Lisinopril"]["dose"] == "20 mg" and meds["Lisinopril"]["id"] == seed["record_id"]
    assert any("20 mg" in n["preview"] for n in world.call("notes.search", {"query": "Lisinopril"}))
    doses = world.store.select("health_dose", {"medication_id": seed["record_id"]}, order_by="at")
    assert doses[0]["dose"] == "10 mg" and doses[-1]["dose"] == "20 mg"


def test_doses_are_logged_at_the_current_dose_and_stopped_medications_refuse(world: World) -> None:
    med = world.call("health.add_medication", {"name": "Cetirizine", "dose": "10 mg"})
    assert world.call("health.log_dose", {"medication_id": med["id"]})["dose"] == "10 mg"
    with pytest.raises(Forbidden, match="already on the list"):
        world.call("health.add_medication", {"name": "cetirizine", "dose": "5 mg"})
    world.call("health.update_medication", {"medication_id": med["id"], "active": False})
    assert "Cetirizine" not in [m["name"] for m in world.call("health.list_medications", {})]
    before = world.digest()
    with pytest.raises(Forbidden, match="stopped"):
        world.call("health.log_dose", {"medication_id": med["id"]})
    with pytest.raises(NotFound, match="medication with id 4242"):
        world.call("health.log_dose", {"medication_id": 4242})
    with pytest.raises(InvalidArguments, match="at least one"):
        world.call("health.update_medication", {"medication_id": med["id"]})
    assert world.digest() == before


def test_booking_puts_the_appointment_on_the_calendar_and_cancelling_cancels_it(world: World) -> None:
    appt = world.call("health.book_appointment", {"provider": "Dr. Okafor", "start": "2026-02-20T10:30",
                                                  "minutes": 20, "reason": "blood test"})
    entry = world.call("calendar.get_event", {"event_id": appt["calendar_event"]})
    assert entry["start"] == "2026-02-20T10:30:00" and entry["end"] == "2026-02-20T10:50:00"
    assert "Dr. Okafor" in entry["title"]
    assert appt["id"] in [a["id"] for a in world.call("health.list_appointments", {})]
    world.call("health.cancel_appointment", {"appointment_id": appt["id"]})
    assert world.call("calendar.get_event", {"event_id": appt["calendar_event"]})["status"] == "cancelled"
    with pytest.raises(Forbidden, match="already cancelled"):
        world.call("health.cancel_appointment", {"appointment_id": appt["id"]})


def test_an_appointment_whose_calendar_entry_was_deleted_can_still_be_cancelled(world: World) -> None:
    appt = world.call("health.book_appointment", {"provider": "Dr. Okafor", "start": "2026-02-21T10:30"})
    world.call("calendar.delete_event", {"event_id": appt["calendar_event"]})
    assert world.call("health.cancel_appointment", {"appointment_id": appt["id"]})["status"] == "cancelled"


def test_a_past_appointment_cannot_be_booked_and_nothing_changes(world: World) -> None:
    before = world.digest()
    with pytest.raises(InvalidArguments, match="not in the future"):
        world.call("health.book_appointment", {"provider": "Dr. Okafor", "start": "2026-01-10T10:00"})
    assert world.digest() == before


def test_the_seeded_checkup_is_upcoming_and_on_the_calendar(world: World) -> None:
    fact = world.store.select("fact", {"key": "health.dentist_appointment", "kind": "seed"})[0]
    upcoming = world.call("health.list_appointments", {})
    appt = next(a for a in upcoming if a["id"] == fact["record_id"])
    assert appt["start"] == fact["value"] > world.iso_now()
    assert world.call("calendar.get_event", {"event_id": appt["calendar_event"]})["start"] == fact["value"]
