"""Health: activity samples from the watch, workouts, medications with their doses, and appointments.

Activity (samples, workouts, the daily summary) lives in the phone's health app only. Booking an appointment
puts it on the calendar through ``calendar.create_event``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlalchemy import Index
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.clock import fmt
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "health"
PHONE = ("phone",)
SampleKind = Literal["steps", "heart_rate", "resting_heart_rate", "sleep_hours", "weight_kg", "blood_oxygen",
                     "active_energy"]
WorkoutKind = Literal["run", "walk", "cycle", "swim", "strength", "yoga", "hike"]
UNITS = {"steps": "count", "heart_rate": "bpm", "resting_heart_rate": "bpm", "sleep_hours": "h", "weight_kg": "kg",
         "blood_oxygen": "%", "active_energy": "kcal"}
Date = Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="YYYY-MM-DD")]
When = Annotated[str, Arg(pattern=r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$", description="YYYY-MM-DDTHH:MM")]
Dose = Annotated[str, Arg(min_length=1, max_length=40, description="amount with unit, e.g. '10 mg'")]


class Sample(Record, table=True):
    __tablename__ = "health_sample"
    __table_args__ = (Index("ix_health_sample_kind_at", "kind", "at"),)
    kind: str
    at: str
    value: float
    unit: str = ""


class Workout(Record, table=True):
    __tablename__ = "health_workout"
    kind: str
    start: str = Field(index=True)
    minutes: int
    distance_km: float = 0.0
    calories: int = 0
    avg_heart_rate: int = 0
    source: str = "watch"  # watch (detected) | manual
    notes: str = ""


class Medication(Record, table=True):
    __tablename__ = "health_medication"
    name: str = Field(index=True)
    dose: str
    schedule: str = ""  # free text, e.g. "daily at 08:00"
    active: bool = True
    prescriber: str = ""
    notes: str = ""
    updated: str = ""


class DoseLog(Record, table=True):
    __tablename__ = "health_dose"
    medication_id: int = Field(foreign_key="health_medication.id", index=True)
    at: str = Field(index=True)
    dose: str = ""  # the medication's dose when it was taken
    note: str = ""


class Appointment(Record, table=True):
    __tablename__ = "health_appointment"
    provider: str
    reason: str = ""
    start: str = Field(index=True)
    end: str = ""
    location: str = ""
    status: str = "booked"  # booked | cancelled
    # The calendar entry, a loose link: the user may delete the entry and still go (calendar.find_event says).
    calendar_event: int | None = None


def _when(text: str, field: str) -> datetime:
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArguments(f"field '{field}': {text!r} is not a real date/time (YYYY-MM-DDTHH:MM)") from None
    if not 1900 <= t.year <= 2200:
        raise InvalidArguments(f"field '{field}': year {t.year} is out of range (1900-2200)")
    return t


def _day(text: str, field: str) -> str:
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        raise InvalidArguments(f"field '{field}': {text!r} is not a real date (YYYY-MM-DD)") from None


def _show(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "origin"}


# -- activity ---------------------------------------------------------------------------------
@operation(APP, "read", devices=PHONE, example={})
def summary(world: World, day: Date = "") -> dict[str, Any]:
    """One day's activity (today by default): total steps, the night's sleep before it, resting heart rate, workouts."""
    d = _day(day, "day") if day else world.now.date().isoformat()
    lo, hi = f"{d}T00:00:00", f"{d}T23:59:59"
    steps = world.store.scalar("SELECT SUM(value) FROM health_sample WHERE kind = 'steps' AND at BETWEEN ? AND ?",
                               (lo, hi))
    sleep = world.store.scalar("SELECT SUM(value) FROM health_sample WHERE kind = 'sleep_hours' AND at BETWEEN ? AND ?",
                               (lo, f"{d}T14:00:00"))
    rhr = world.store.scalar("SELECT value FROM health_sample WHERE kind = 'resting_heart_rate' AND at BETWEEN ? AND ? "
                             "ORDER BY at DESC LIMIT 1", (lo, hi))
    workouts = world.store.query(Workout, "start BETWEEN ? AND ? ORDER BY start", (lo, hi))
    return {"day": d, "steps": int(steps or 0), "sleep_hours": round(sleep, 1) if sleep is not None else None,
            "resting_heart_rate": int(rhr) if rhr is not None else None,
            "workouts": [{"id": w["id"], "kind": w["kind"], "start": w["start"], "minutes": w["minutes"]}
                         for w in workouts],
            "active_minutes": sum(w["minutes"] for w in workouts)}


@operation(APP, "read", devices=PHONE, example={"kind": "steps", "since": "2026-01-05"})
def list_samples(world: World, kind: SampleKind, since: Date = "", until: Date = "",
                 limit: Annotated[int, Arg(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    """Measurements of one kind (steps, heart_rate, resting_heart_rate, sleep_hours, weight_kg) between two dates, newest first."""
    lo = _day(since, "since") if since else "0000"
    hi = f"{_day(until, 'until')}T23:59:59" if until else "9999"
    rows = world.store.query(Sample, "kind = ? AND at >= ? AND at <= ? ORDER BY at DESC, id DESC LIMIT ?",
                             (kind, lo, hi, limit))
    return [{"at": r["at"], "value": r["value"], "unit": r["unit"]} for r in rows]


@operation(APP, "read", devices=PHONE, example={"limit": 10})
def list_workouts(world: World, kind: WorkoutKind | None = None, since: Date = "", until: Date = "",
                  limit: Annotated[int, Arg(ge=1, le=200)] = 30) -> list[dict[str, Any]]:
    """Workouts newest first, optionally of one kind and between two dates."""
    conds, params = ["start >= ?", "start <= ?"], [_day(since, "since") if since else "0000",
                                                    f"{_day(until, 'until')}T23:59:59" if until else "9999"]
    if kind:
        conds.append("kind = ?")
        params.append(kind)
    rows = world.store.query(Workout, " AND ".join(conds) + " ORDER BY start DESC, id DESC LIMIT ?", (*params, limit))
    return [_show(r) for r in rows]


def _workout(world: World, kind: str, start: str, minutes: int, distance_km: float, calories: int,
             avg_heart_rate: int, source: str, notes: str) -> dict[str, Any]:
    values = {"kind": kind, "start": start, "minutes": minutes, "distance_km": round(distance_km, 2),
              "calories": calories, "avg_heart_rate": avg_heart_rate, "source": source, "notes": notes}
    return _show({"id": world.store.insert(Workout, values), **values})


@operation(APP, "write", devices=PHONE, example={"kind": "run", "minutes": 30, "distance_km": 5.0})
def log_workout(world: World, kind: WorkoutKind, minutes: Annotated[int, Arg(ge=1, le=1440)],
                start: When | None = None, distance_km: Annotated[float, Arg(ge=0, le=1000)] = 0.0,
                calories: Annotated[int, Arg(ge=0, le=20_000)] = 0,
                notes: Annotated[str, Arg(max_length=500)] = "") -> dict[str, Any]:
    """Log a workout by hand; start defaults to now minus its duration and may not lie in the future."""
    t = _when(start, "start") if start else world.now - timedelta(minutes=minutes)
    if t > world.now:
        raise InvalidArguments(f"field 'start': {fmt(t)} is in the future (now is {world.iso_now()})")
    return _workout(world, kind, fmt(t), minutes, distance_km, calories or minutes * 7, 0, "manual", notes)


@operation(APP, "write", system=True, example={"kind": "steps", "value": 420})
def record_sample(world: World, kind: SampleKind, value: Annotated[float, Arg(ge=0, le=100_000)]) -> dict[str, Any]:
    """The watch records a measurement now (steps in the last hour, a heart rate, last night's sleep)."""
    values = {"kind": kind, "at": world.iso_now(), "value": value, "unit": UNITS[kind]}
    return {"id": world.store.insert(Sample, values), **values}


@operation(APP, "write", system=True,
           example={"kind": "walk", "minutes": 25, "distance_km": 2.1, "avg_heart_rate": 104})
def record_workout(world: World, kind: WorkoutKind, minutes: Annotated[int, Arg(ge=1, le=1440)],
                   distance_km: Annotated[float, Arg(ge=0, le=1000)] = 0.0,
                   calories: Annotated[int, Arg(ge=0, le=20_000)] = 0,
                   avg_heart_rate: Annotated[int, Arg(ge=0, le=250)] = 0) -> dict[str, Any]:
    """The watch detects a workout that just ended."""
    start = fmt(world.now - timedelta(minutes=minutes))
    return _workout(world, kind, start, minutes, distance_km, calories or minutes * 8, avg_heart_rate, "watch", "")


# -- medications ------------------------------------------------------------------------------
@operation(APP, "read", example={})
def list_medications(world: World, include_inactive: bool = False) -> list[dict[str, Any]]:
    """The user's medications with dose and schedule (stopped ones only with include_inactive=true)."""
    where = None if include_inactive else {"active": True}
    return [_show(r) for r in world.store.select(Medication, where, order_by="name")]


@operation(APP, "write", example={"name": "Cetirizine", "dose": "10 mg", "schedule": "daily at 21:00"})
def add_medication(world: World, name: Annotated[str, Arg(min_length=1, max_length=80)], dose: Dose,
                   schedule: Annotated[str, Arg(max_length=80)] = "",
                   prescriber: Annotated[str, Arg(max_length=80)] = "",
                   notes: Annotated[str, Arg(max_length=500)] = "") -> dict[str, Any]:
    """Add a medication the user takes, with its dose (e.g. '10 mg') and schedule (e.g. 'daily at 08:00')."""
    for row in world.store.select(Medication, {"active": True}):
        if row["name"].lower() == name.lower():
            raise Forbidden(f"{name} is already on the list (medication {row['id']}); "
                            "change it with health.update_medication")
    values = {"name": name, "dose": dose, "schedule": schedule, "active": True, "prescriber": prescriber,
              "notes": notes, "updated": world.iso_now()}
    return _show({"id": world.store.insert(Medication, values), **values})


@operation(APP, "write", example={"medication_id": Pick("health_medication"), "schedule": "daily at 09:00"})
def update_medication(world: World, medication_id: int, dose: Dose | None = None,
                      schedule: Annotated[str | None, Arg(max_length=80)] = None, active: bool | None = None,
                      notes: Annotated[str | None, Arg(max_length=500)] = None) -> dict[str, Any]:
    """Change a medication's dose, schedule or notes, or stop it (active=false); only given fields change."""
    row = world.store.require(Medication, medication_id, "medication")
    changes: dict[str, Any] = {k: v for k, v in {"dose": dose, "schedule": schedule, "active": active,
                                                  "notes": notes}.items() if v is not None}
    if not changes:
        raise InvalidArguments("health.update_medication: give at least one of dose, schedule, active, notes")
    changes["updated"] = world.iso_now()
    world.store.update(Medication, medication_id, changes)
    return _show({**row, **changes})


@operation(APP, "write", example={"medication_id": Pick("health_medication", active=True)})
def log_dose(world: World, medication_id: int, note: Annotated[str, Arg(max_length=200)] = "") -> dict[str, Any]:
    """Record that the user took a dose of a medication now (at its current dose)."""
    med = world.store.require(Medication, medication_id, "medication")
    if not med["active"]:
        raise Forbidden(f"medication {medication_id} ({med['name']}) is stopped; restart it with "
                        "health.update_medication active=true first")
    values = {"medication_id": medication_id, "at": world.iso_now(), "dose": med["dose"], "note": note}
    return {"id": world.store.insert(DoseLog, values), "medication": med["name"], **values}


# -- appointments -----------------------------------------------------------------------------
@operation(APP, "read", example={})
def list_appointments(world: World, include_past: bool = False,
                      include_cancelled: bool = False) -> list[dict[str, Any]]:
    """Medical appointments by start time: upcoming ones by default (include_past / include_cancelled add the rest)."""
    conds, params = ["1 = 1"], []
    if not include_past:
        conds.append("start >= ?")
        params.append(world.iso_now())
    if not include_cancelled:
        conds.append("status = 'booked'")
    return [_show(r) for r in world.store.query(Appointment, " AND ".join(conds) + " ORDER BY start, id", params)]


@operation(APP, "write", example={"provider": "Dr. Patel", "start": "2026-06-10T09:30", "reason": "annual checkup"})
def book_appointment(world: World, provider: Annotated[str, Arg(min_length=1, max_length=80)], start: When,
                     minutes: Annotated[int, Arg(ge=5, le=480)] = 30, reason: Annotated[str, Arg(max_length=200)] = "",
                     location: Annotated[str, Arg(max_length=200)] = "") -> dict[str, Any]:
    """Book a medical appointment in the future; it is also put on the user's calendar."""
    t = _when(start, "start")
    if t <= world.now:
        raise InvalidArguments(f"field 'start': {fmt(t)} is not in the future (now is {world.iso_now()})")
    end = fmt(t + timedelta(minutes=minutes))
    event = world.call("calendar.create_event", {
        "title": f"{provider}: {reason}" if reason else f"Appointment with {provider}", "start": fmt(t), "end": end,
        "location": location, "notes": f"Medical appointment. {reason}".strip()}, actor=world.actor)
    values = {"provider": provider, "reason": reason, "start": fmt(t), "end": end, "location": location,
              "status": "booked", "calendar_event": event["id"]}
    return _show({"id": world.store.insert(Appointment, values), **values})


@operation(APP, "write", example={"appointment_id": Pick("health_appointment", status="booked")})
def cancel_appointment(world: World, appointment_id: int) -> dict[str, Any]:
    """Cancel a booked appointment; its calendar entry is cancelled too (if it is still there)."""
    row = world.store.require(Appointment, appointment_id, "appointment")
    if row["status"] == "cancelled":
        raise Forbidden(f"appointment {appointment_id} is already cancelled")
    from clawgym.worlds.services.calendar import find_event

    entry = find_event(world, row["calendar_event"])
    if entry is not None and entry["status"] != "cancelled":
        world.call("calendar.cancel_event", {"event_id": entry["id"]}, actor=world.actor)
    world.store.update(Appointment, appointment_id, {"status": "cancelled"})
    return _show({**row, "status": "cancelled"})
