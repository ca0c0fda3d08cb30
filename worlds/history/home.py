"""History of home: the planners of the setup, routine, seed and noise rounds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.home import APP

_DEVICES = [("Living room lights", "light", "living room"), ("Kitchen lights", "light", "kitchen"),
            ("Bedroom lamp", "light", "bedroom"), ("Hallway light", "light", "hallway"),
            ("Porch light", "light", "porch"), ("Office lamp", "light", "office"),
            ("Thermostat", "thermostat", "hallway"), ("Front door", "lock", "entrance"),
            ("Back door", "lock", "kitchen"), ("Garage door keypad", "lock", "garage"),
            ("Side gate keypad", "lock", "garden"), ("Coffee maker", "plug", "kitchen"), ("TV", "plug", "living room"),
            ("Smoke alarm", "alarm", "kitchen")]
_KEYPADS = ("Garage door keypad", "Side gate keypad")
_BATTERY = ("Front door", "Back door", "Garage door keypad", "Side gate keypad", "Smoke alarm")
_SCENES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "Good night": [("Living room lights", {"power": False}), ("Kitchen lights", {"power": False}),
                   ("Hallway light", {"power": False}), ("Office lamp", {"power": False}), ("TV", {"power": False}),
                   ("Front door", {"locked": True}), ("Back door", {"locked": True}),
                   ("Thermostat", {"temperature": 64})],
    "Good morning": [("Kitchen lights", {"brightness": 80}), ("Coffee maker", {"power": True}),
                     ("Thermostat", {"temperature": 69})],
    "Movie night": [("Living room lights", {"brightness": 20}), ("TV", {"power": True})],
    "Away": [("Living room lights", {"power": False}), ("Kitchen lights", {"power": False}),
             ("Bedroom lamp", {"power": False}), ("Front door", {"locked": True}), ("Back door", {"locked": True}),
             ("Thermostat", {"temperature": 60})],
}


def _devices(ctx: PlanContext) -> dict[str, Any]:
    """Installed device name -> the event that installed it (for references to its id)."""
    return {e.args["name"]: e for e in ctx.planned if e.op == "home.install"}


@planner(APP, "setup")
def smart_home(ctx: PlanContext) -> None:
    """The devices installed in the home and the scenes the user saved."""
    made = {}
    for i, (name, kind, room) in enumerate(_DEVICES):
        made[name] = ctx.add(ctx.start + timedelta(minutes=20, seconds=i), "home.install", {
            "name": name, "kind": kind, "room": room, "battery": name in _BATTERY,
            "keypad_code": f"{ctx.rng.randint(1000, 9999)}" if name in _KEYPADS else ""})
    for i, (scene, actions) in enumerate(_SCENES.items()):
        ctx.add(ctx.start + timedelta(minutes=21, seconds=i), "home.create_scene", {
            "name": scene, "actions": [{"device_id": ctx.ref(made[d]), **s} for d, s in actions]}, actor="user")


class _Day:
    """Adds one day's reports for a device set, keeping the minute-level times apart."""

    def __init__(self, ctx: PlanContext, refs: dict[str, Any]) -> None:
        self.ctx, self.refs = ctx, {n: ctx.ref(e) for n, e in refs.items()}

    def report(self, at: Any, device: str, source: str = "physical", **state: Any) -> None:
        if at > self.ctx.start + timedelta(hours=1):  # after the devices are installed
            self.ctx.add(at, "home.report", {"device_id": self.refs[device], **state, "source": source})


@planner(APP, "routine")
def household(ctx: PlanContext) -> None:
    """A household's day in device reports: readings, lights, the coffee maker, doors on the way out and back in."""
    rng, d = ctx.rng, _Day(ctx, _devices(ctx))
    scenes = {e.args["name"]: e for e in ctx.planned if e.op == "home.create_scene"}
    battery = {name: 100 for name in _BATTERY}
    temp = 66.0
    for day in ctx.days():
        for hour in range(0, 24, 2):
            temp = round(min(74.0, max(58.0, temp + rng.uniform(-1.5, 1.5))), 1)
            d.report(ctx.at(day, hour, 5), "Thermostat", "sensor", current_temp=temp)
        wake = ctx.at(day, rng.randint(6, 7), rng.randrange(60))
        if rng.random() < 0.3:
            ctx.add(wake, "home.run_scene", {"scene_id": ctx.ref(scenes["Good morning"])}, actor="user")
        else:
            d.report(wake, "Kitchen lights", power=True)
            d.report(wake + timedelta(minutes=2), "Coffee maker", power=True)
        d.report(wake - timedelta(minutes=3), "Bedroom lamp", power=True)
        d.report(wake + timedelta(minutes=25), "Bedroom lamp", power=False)
        d.report(wake + timedelta(minutes=40), "Coffee maker", power=False)
        outings = [(8, 18)] if day.weekday() < 5 else [(rng.randint(10, 14), rng.randint(15, 18))]
        for leave_h, back_h in outings:
            leave = ctx.at(day, leave_h, rng.randrange(10, 50))
            back = ctx.at(day, back_h, rng.randrange(60))
            d.report(leave - timedelta(minutes=2), "Kitchen lights", power=False)
            d.report(leave, "Front door", locked=False)
            d.report(leave + timedelta(minutes=1), "Front door", locked=True)
            d.report(back, "Front door", locked=False)
            d.report(back + timedelta(minutes=1), "Front door", locked=True)
            d.report(back + timedelta(minutes=2), "Hallway light", power=True)
            d.report(back + timedelta(minutes=4), "Living room lights", power=True)
        dusk = ctx.at(day, 17, rng.randrange(15, 45))
        d.report(dusk, "Porch light", "schedule", power=True)
        d.report(ctx.at(day, 23, 0), "Porch light", "schedule", power=False)
        if day.weekday() < 5 and rng.random() < 0.4:
            d.report(ctx.at(day, 19, rng.randrange(60)), "Office lamp", power=True)
            d.report(ctx.at(day, 21, rng.randrange(60)), "Office lamp", power=False)
        if rng.random() < 0.6:
            d.report(ctx.at(day, 20, rng.randrange(60)), "TV", power=True)
            d.report(ctx.at(day, 22, rng.randrange(20)), "TV", power=False)
        if rng.random() < 0.3:
            out = ctx.at(day, 21, rng.randrange(50))
            d.report(out, "Back door", locked=False)
            d.report(out + timedelta(minutes=4), "Back door", locked=True)
        if rng.random() < 0.5:
            ctx.add(ctx.at(day, 18, rng.randrange(60)), "home.set_temperature",
                    {"device_id": d.refs["Thermostat"], "temperature": rng.choice([67, 68, 69, 70])}, actor="user")
        bed = ctx.at(day, 22, rng.randrange(0, 20))
        d.report(bed, "Bedroom lamp", power=True)
        d.report(bed + timedelta(minutes=rng.randint(25, 70)), "Bedroom lamp", power=False)
        night = ctx.at(day, rng.choice([22, 23]), rng.randrange(25, 55))
        if rng.random() < 0.6:
            ctx.add(night, "home.run_scene", {"scene_id": ctx.ref(scenes["Good night"])}, actor="user")
        else:
            d.report(night, "Living room lights", power=False)
            d.report(night + timedelta(minutes=1), "Hallway light", power=False)
            d.report(night + timedelta(minutes=2), "Kitchen lights", power=False)
        if day.weekday() == 6:
            for name in _BATTERY:
                battery[name] = max(5, battery[name] - rng.randint(1, 6))
                d.report(ctx.at(day, 12, 0), name, "sensor", battery=battery[name])
        if day.day == 15:
            smoke = ctx.at(day, 19, rng.randrange(30))
            d.report(smoke, "Smoke alarm", "sensor", alarm=True)
            d.report(smoke + timedelta(minutes=2), "Smoke alarm", "physical", alarm=False)


@planner(APP, "seed")
def garage_code(ctx: PlanContext) -> None:
    """The user sets a new garage keypad code; after the window the front door is left unlocked at night."""
    devices = _devices(ctx)
    code = f"{ctx.rng.randint(0, 999_999):06d}"
    e = ctx.add(ctx.random_time(before=ctx.start + (ctx.end - ctx.start) / 2), "home.set_access_code",
                {"device_id": ctx.ref(devices["Garage door keypad"]), "code": code}, actor="user",
                note="seed: garage keypad code")
    ctx.fact("home.garage_code", e, table="home_device", field="code", value=code,
             description="the garage door keypad code")
    at = ctx.end + timedelta(days=1, hours=21, minutes=ctx.rng.randrange(10, 50))
    ctx.schedule(at, "home.report", {"device_id": ctx.ref(devices["Front door"]), "locked": False},
                 note="scheduled: the front door is unlocked late at night and left so")


@planner(APP, "noise")
def gate_code(ctx: PlanContext) -> None:
    """The side gate's keypad gets its own new code: a six-digit near miss of the garage code."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "home.garage_code":
            continue
        code = f"{ctx.rng.randint(0, 999_999):06d}"
        e = ctx.add(ctx.random_time(), "home.set_access_code",
                    {"device_id": ctx.ref(_devices(ctx)["Side gate keypad"]), "code": code}, actor="user")
        ctx.fact(f"noise.{seed.key}", e, table="home_device", field="code", value=code, near=seed.key)
