"""History of reminders: the planners of the setup, routine, seed and noise rounds."""

from __future__ import annotations

from datetime import datetime, timedelta

from clawgym.worlds.clock import fmt
from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.reminders import APP

_TODOS = [("Call mom", "Reminders"), ("Pay the electricity bill", "Reminders"), ("Buy milk", "Groceries"),
          ("Pick up dry cleaning", "Reminders"), ("Water the plants", "Home"), ("Book a haircut", "Reminders"),
          ("Return library books", "Reminders"), ("Send the weekly report", "Work"), ("Buy coffee beans", "Groceries"),
          ("Change the air filter", "Home"), ("Review the budget", "Reminders"), ("Prep slides for Monday", "Work"),
          ("Order printer ink", "Home"), ("Buy eggs and bread", "Groceries"), ("Renew gym towel service", "Reminders"),
          ("Expense the team lunch", "Work"), ("Clean the fridge", "Home"), ("RSVP to the wedding", "Reminders")]


@planner(APP, "setup")
def standing_reminders(ctx: PlanContext) -> None:
    """A weekly chore and the phone's weekday alarm from before the window."""
    first_tuesday = ctx.start + timedelta(days=(1 - ctx.start.weekday()) % 7, hours=19)
    ctx.add(ctx.start + timedelta(minutes=5), "reminders.create", {
        "title": "Take out the trash", "due": fmt(first_tuesday)[:16], "list_name": "Home", "repeat": "weekly"},
        actor="user")


@planner(APP, "routine")
def todos(ctx: PlanContext) -> None:
    """About a reminder a day: created, fired when due, usually completed; the weekly chore fires and is done."""
    for day in ctx.days():
        if ctx.rng.random() < 0.1:
            continue
        title, list_name = ctx.rng.choice(_TODOS)
        at = ctx.at(day, ctx.rng.randint(7, 21), ctx.rng.randrange(60))
        due = ctx.at(day + timedelta(days=ctx.rng.randint(0, 3)), ctx.rng.randint(8, 20),
                     ctx.rng.choice([0, 15, 30, 45]))
        if due <= at:
            due = at + timedelta(hours=2)
        e = ctx.add(at, "reminders.create", {"title": title, "due": fmt(due)[:16], "list_name": list_name,
                                             "priority": ctx.rng.choice(["none", "none", "low", "medium", "high"])},
                    actor="user")
        roll = ctx.rng.random()
        if roll < 0.2:  # done early, before it ever fires
            done = (at + (due - at) * ctx.rng.random()).replace(second=0, microsecond=0)
            if at + timedelta(minutes=1) < done <= ctx.end:
                ctx.add(done, "reminders.complete", {"reminder_id": ctx.ref(e)}, actor="user")
                continue
        if due <= ctx.end:
            ctx.add(due, "reminders.fire", {"reminder_id": ctx.ref(e)})
        else:
            ctx.schedule(due, "reminders.fire", {"reminder_id": ctx.ref(e)})
        done = due + timedelta(minutes=ctx.rng.randint(5, 600))
        if roll < 0.9 and done <= ctx.end:
            ctx.add(done, "reminders.complete", {"reminder_id": ctx.ref(e)}, actor="user")
    chore = next(e for e in ctx.planned if e.op == "reminders.create" and e.args["title"] == "Take out the trash")
    due = datetime.fromisoformat(chore.args["due"])
    while due + timedelta(hours=3) <= ctx.end:
        ctx.add(due, "reminders.fire", {"reminder_id": ctx.ref(chore)})
        ctx.add(due + timedelta(minutes=ctx.rng.randint(10, 170)), "reminders.complete",
                {"reminder_id": ctx.ref(chore)}, actor="user")
        due += timedelta(days=7)
    if due > ctx.end:
        ctx.schedule(due, "reminders.fire", {"reminder_id": ctx.ref(chore)})


@planner(APP, "seed")
def alarm_and_renewal(ctx: PlanContext) -> None:
    """The weekday wake-up alarm, and a renewal reminder that comes due just after the window."""
    hour, minute = ctx.rng.choice([5, 6, 6, 7]), ctx.rng.choice([0, 15, 30, 45])
    time = f"{hour:02d}:{minute:02d}"
    e = ctx.add(ctx.random_time(before=ctx.start + timedelta(days=10)), "reminders.set_alarm",
                {"time": time, "label": "Wake up", "days": ["mon", "tue", "wed", "thu", "fri"]},
                actor="user", note="seed: weekday alarm")
    ctx.fact("reminders.alarm_time", e, table="reminder_alarm", field="time", value=time,
             description="the time of the user's weekday wake-up alarm (phone)")
    due = ctx.end + timedelta(days=ctx.rng.randint(1, 4), hours=9)
    e = ctx.add(ctx.random_time(after=ctx.end - timedelta(days=20)), "reminders.create", {
        "title": "Renew car registration", "due": fmt(due)[:16], "priority": "high",
        "notes": "DMV online renewal; have the insurance card ready."}, actor="user", note="seed: renewal due")
    ctx.fact("reminders.car_registration_due", e, table="reminder", field="due", value=fmt(due),
             description="when the car registration renewal reminder is due")
    ctx.schedule(due, "reminders.fire", {"reminder_id": ctx.ref(e)}, note="scheduled: renewal reminder comes due")


@planner(APP, "noise")
def other_alarms(ctx: PlanContext) -> None:
    """A weekend alarm, a one-off nap alarm and another renewal: near misses of the seeded ones."""
    for seed in ctx.seed_facts(APP):
        if seed.key == "reminders.alarm_time":
            for label, days, hours in (("Weekend run", ["sat", "sun"], [7, 8]), ("Nap", [], [14, 15])):
                time = f"{ctx.rng.choice(hours):02d}:{ctx.rng.choice([0, 10, 20, 40, 50]):02d}"
                e = ctx.add(ctx.random_time(), "reminders.set_alarm", {"time": time, "label": label, "days": days},
                            actor="user")
                ctx.fact(f"noise.{seed.key}", e, table="reminder_alarm", field="time", value=time, near=seed.key)
        elif seed.key == "reminders.car_registration_due":
            due = ctx.end + timedelta(days=ctx.rng.randint(20, 60), hours=10)
            e = ctx.add(ctx.random_time(), "reminders.create", {"title": "Renew car insurance", "due": fmt(due)[:16],
                                                                "priority": "medium"}, actor="user")
            ctx.fact(f"noise.{seed.key}", e, table="reminder", field="due", value=fmt(due), near=seed.key)
