"""History of health: the planners of the setup, routine, seed, noise and conflict rounds."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from clawgym.worlds.clock import fmt
from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.health import APP

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
    if "calendar.create_event" not in ctx.operations:
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
