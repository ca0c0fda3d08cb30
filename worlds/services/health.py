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
from clawgym.worlds.planner import PlanContext, planner
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


# -- history --------------------------------------------------------------------------------
_WORKOUTS: list[tuple[str, tuple[int, int], float]] = [("run", (25, 55), 0.17), ("cycle", (40, 90), 0.38),
                                                        ("strength", (35, 60), 0.0), ("yoga", (30, 60), 0.0),
                                                        ("walk", (30, 70), 0.09)]


@planner(APP, "setup")
def medications(ctx: PlanContext) -> None:
    """The supplement the user already takes when the window opens."""
    ctx.add(ctx.start + timedelta(minutes=10), "health.add_medication", {
        "name": "Vitamin D3", "dose": "1000 IU", "schedule": "daily with breakfast"}, actor="user")


@planner(APP, "routine")
def activity(ctx: PlanContext) -> None:
    """The watch's day: last night's sleep and resting heart rate in the morning, hourly steps and heart rate."""
    rng = ctx.rng
    for day in ctx.days():
        wake = ctx.at(day, rng.randint(6, 7), rng.randrange(60))
        ctx.add(wake, "health.record_sample", {"kind": "sleep_hours", "value": round(rng.uniform(5.2, 8.6), 1)})
        ctx.add(wake + timedelta(minutes=5), "health.record_sample",
                {"kind": "resting_heart_rate", "value": rng.randint(54, 68)})
        # Overnight the watch keeps sampling: heart rate every hour and blood oxygen once.
        for hour in (0, 1, 2, 3, 4, 5):
            ctx.add(ctx.at(day, hour, 30), "health.record_sample", {"kind": "heart_rate", "value": rng.randint(48, 62)})
        ctx.add(ctx.at(day, 4, 45), "health.record_sample", {"kind": "blood_oxygen", "value": rng.randint(94, 99)})
        weekend = day.weekday() >= 5
        for hour in range(8, 22, 2):
            ctx.add(ctx.at(day, hour + 1, 58), "health.record_sample",
                    {"kind": "active_energy", "value": rng.randint(40, 260) * (2 if weekend else 1)})
        for hour in range(8, 22):
            base = 900 if hour in (8, 12, 13, 17, 18) else 350
            steps = int(base * rng.uniform(0.3, 1.8) * (1.3 if weekend else 1.0))
            ctx.add(ctx.at(day, hour, 59), "health.record_sample", {"kind": "steps", "value": steps})
            ctx.add(ctx.at(day, hour, 30), "health.record_sample", {"kind": "heart_rate", "value": rng.randint(62, 98)})
        if day.weekday() == 0:
            ctx.add(wake + timedelta(minutes=15), "health.record_sample",
                    {"kind": "weight_kg", "value": round(rng.uniform(68, 72), 1)})


@planner(APP, "routine")
def workouts(ctx: PlanContext) -> None:
    """Three workouts a week, most detected by the watch, some logged by hand."""
    for day in ctx.days():
        if day.weekday() not in (0, 2, 5):
            continue
        kind, (lo, hi), km_per_min = ctx.rng.choice(_WORKOUTS)
        minutes = ctx.rng.randint(lo, hi)
        end = ctx.at(day, ctx.rng.choice([7, 18, 19]) if day.weekday() < 5 else 10, ctx.rng.randrange(60))
        if ctx.rng.random() < 0.8:
            ctx.add(end, "health.record_workout", {"kind": kind, "minutes": minutes,
                                                   "distance_km": round(minutes * km_per_min, 1),
                                                   "avg_heart_rate": ctx.rng.randint(105, 160)})
        else:
            ctx.add(end + timedelta(minutes=ctx.rng.randint(5, 120)), "health.log_workout", {
                "kind": kind, "minutes": minutes, "start": fmt(end - timedelta(minutes=minutes))[:16],
                "distance_km": round(minutes * km_per_min, 1),
                "notes": ctx.rng.choice(["", "felt good", "tired legs"])},
                actor="user")


def _log_doses(ctx: PlanContext, med: Any, chance: float, after: datetime) -> None:
    for day in ctx.days():
        at = ctx.at(day, 8, ctx.rng.randrange(40))
        if at > after and ctx.rng.random() < chance:
            ctx.add(at, "health.log_dose", {"medication_id": ctx.ref(med)}, actor="user")


@planner(APP, "routine")
def doses(ctx: PlanContext) -> None:
    """The user logs the morning supplement most days."""
    for med in [e for e in ctx.planned if e.op == "health.add_medication"]:
        _log_doses(ctx, med, 0.6, med.at)


@planner(APP, "seed")
def dose_and_checkup(ctx: PlanContext) -> None:
    """The blood-pressure medication (taken most mornings) and a dental checkup booked for just after the window."""
    doctor = f"Dr. {ctx.fake.last_name()}"
    med = ctx.add(ctx.random_time(before=ctx.start + timedelta(days=3)), "health.add_medication", {
        "name": "Lisinopril", "dose": "10 mg", "schedule": "daily at 08:00", "prescriber": doctor,
        "notes": "for blood pressure"}, actor="user", note="seed: blood-pressure medication")
    ctx.fact("health.medication_dose", med, table="health_medication", field="dose", value="10 mg",
             description="the dose of the user's blood-pressure medication (Lisinopril)")
    _log_doses(ctx, med, 0.93, med.at)
    from clawgym.worlds.operation import REGISTRY

    if "calendar.create_event" not in REGISTRY:
        return
    dentist = next((p for p in ctx.people("company") if p.role == "dentist"), None)
    provider = dentist.name if dentist else "Bright Smile Dental Care"
    start = (ctx.end + timedelta(days=ctx.rng.randint(3, 9))).replace(hour=ctx.rng.choice([9, 10, 14, 15]),
                                                                        minute=ctx.rng.choice([0, 30]))
    e = ctx.add(ctx.random_time(after=ctx.end - timedelta(days=25)), "health.book_appointment", {
        "provider": provider, "start": fmt(start)[:16], "minutes": 45, "reason": "cleaning and checkup",
        "location": dentist.address if dentist else ""}, actor="user", note="seed: dental checkup")
    ctx.fact("health.dentist_appointment", e, table="health_appointment", field="start", value=fmt(start),
             description=f"when the user's dental checkup at {provider} starts")


@planner(APP, "noise")
def other_medications(ctx: PlanContext) -> None:
    """A painkiller taken as needed: another medication with its own mg dose."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "health.medication_dose":
            continue
        e = ctx.add(ctx.random_time(), "health.add_medication", {
            "name": "Ibuprofen", "dose": "200 mg", "schedule": "as needed, max 3 a day", "notes": "for headaches"},
            actor="user")
        ctx.fact(f"noise.{seed.key}", e, table="health_medication", field="dose", value="200 mg", near=seed.key)


@planner(APP, "conflict")
def dose_change(ctx: PlanContext) -> None:
    """At a check-up the doctor doubles the dose: the user writes it in a note and updates the medication."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "health.medication_dose":
            continue
        span = ctx.end - ctx.start
        at = ctx.random_time(after=seed.at + span / 5, before=ctx.end - span / 10)
        ctx.add(at, "notes.create", {
            "title": f"Doctor visit {at:%b %d}", "notebook": "Personal",
            "body": "Blood pressure still a bit high. The doctor changed the Lisinopril dose to 20 mg, once a day "
                    "in the morning. Recheck in 6 weeks."}, actor="user")
        e = ctx.add(at + timedelta(minutes=3), "health.update_medication", {
            "medication_id": {"$ref": seed.eid}, "dose": "20 mg",
            "notes": f"dose raised by the doctor on {at:%Y-%m-%d}"},
            actor="user", note="conflict: doctor changed the dose")
        ctx.supersede(seed, e, value="20 mg", explicit=True,
                      description="the doctor changed the Lisinopril dose to 20 mg")
