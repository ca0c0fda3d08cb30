"""History of notes: the planners of the routine, seed, noise and conflict rounds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.notes import APP

_NOTEBOOKS = {
    "Personal": ["Gift ideas", "Books to read", "Weekend plans", "Things to fix at home", "Packing list"],
    "Work": ["1:1 agenda", "Project ideas", "Standup notes", "Questions for the offsite", "Goals for Q{q}"],
    "Recipes": ["Chili", "Overnight oats", "Pad thai", "Lemon cake", "Tomato soup"],
    "Journal": ["Journal {d}", "Thoughts {d}", "Today {d}"],
    "Shopping": ["Groceries", "Hardware store", "Pharmacy run"],
}
_ITEMS = ["milk", "eggs", "spinach", "coffee", "rice", "batteries", "tape", "apples", "yogurt", "bread", "lemons",
          "toothpaste", "onions", "pasta", "tomatoes", "cheese"]


def _routine_note(ctx: PlanContext, day: Any) -> tuple[str, str, str]:
    notebook = ctx.rng.choice(list(_NOTEBOOKS))
    title = ctx.rng.choice(_NOTEBOOKS[notebook]).format(q=(day.month - 1) // 3 + 1, d=f"{day:%b %d}")
    if notebook == "Shopping":
        body = "\n".join(f"- {x}" for x in ctx.rng.sample(_ITEMS, ctx.rng.randint(3, 7)))
    elif notebook == "Recipes":
        body = "Ingredients:\n" + "\n".join(f"- {ctx.word()}" for _ in range(ctx.rng.randint(3, 6))) + \
               f"\n\n{ctx.paragraph(2)}"
    else:
        body = ctx.paragraph(ctx.rng.randint(2, 5))
    return notebook, title, body


@planner(APP, "routine")
def daily_notes(ctx: PlanContext) -> None:
    """About a note a day across notebooks; shopping lists grow, a few notes get pinned, edited or tidied away."""
    for day in ctx.days():
        if ctx.rng.random() > 0.9:
            continue
        notebook, title, body = _routine_note(ctx, day)
        at = ctx.at(day, ctx.rng.randint(7, 22), ctx.rng.randrange(60))
        e = ctx.add(at, "notes.create", {"title": title, "body": body, "notebook": notebook}, actor="user")
        later = min(at + timedelta(hours=ctx.rng.randint(1, 30)), ctx.end)
        roll = ctx.rng.random()
        if notebook == "Shopping" and roll < 0.6:
            ctx.add(later, "notes.append", {"note_id": ctx.ref(e), "text": f"- {ctx.rng.choice(_ITEMS)}"}, actor="user")
        elif roll < 0.08:
            ctx.add(later, "notes.pin", {"note_id": ctx.ref(e)}, actor="user")
        elif roll < 0.18:
            ctx.add(later, "notes.update", {"note_id": ctx.ref(e), "body": body + "\n\n" + ctx.sentence()},
                    actor="user")
        elif roll < 0.22:
            ctx.add(later, "notes.delete", {"note_id": ctx.ref(e)}, actor="user")
        elif roll < 0.26:
            ctx.add(later, "notes.move_to_notebook", {"note_id": ctx.ref(e), "notebook": "Archive"}, actor="user")


def _password(ctx: PlanContext) -> str:
    words = ["maple", "harbor", "falcon", "copper", "meadow", "saturn", "pepper", "willow", "cobalt", "tundra"]
    first, second = ctx.rng.choice(words).capitalize(), ctx.rng.choice(words)
    return f"{first}{second}{ctx.rng.randint(10, 99)}{ctx.rng.choice('!#$%')}"


@planner(APP, "seed")
def codes_and_passwords(ctx: PlanContext) -> None:
    """The home wifi password and the gym locker code, written down in notes."""
    half = ctx.start + (ctx.end - ctx.start) / 2
    network = f"{ctx.persona.user.name.split()[-1]}-Home-5G"
    password = _password(ctx)
    e = ctx.add(ctx.random_time(before=half), "notes.create", {
        "title": "Home wifi", "notebook": "Personal",
        "body": f"Network: {network}\nPassword: {password}\nRouter admin is on the sticker under the router."},
        actor="user", note="seed: wifi password")
    ctx.fact("notes.wifi_password", e, table="note", field="body", value=password,
             description=f"the password of the home wifi network {network}")
    code = f"{ctx.rng.randint(0, 9999):04d}"
    locker = ctx.rng.randint(100, 399)
    e = ctx.add(ctx.random_time(before=half), "notes.create", {
        "title": "Gym locker", "notebook": "Personal",
        "body": f"Locker #{locker} at the gym, combination {code}. Towel service renews in spring."},
        actor="user", note="seed: gym locker code")
    ctx.fact("notes.locker_code", e, table="note", field="body", value=code,
             description=f"the combination of the user's gym locker #{locker}")


@planner(APP, "noise")
def similar_codes(ctx: PlanContext) -> None:
    """Other networks' passwords and other combinations that look like the seeded ones."""
    for seed in ctx.seed_facts(APP):
        if seed.key == "notes.wifi_password":
            for title, body in (("Guest wifi", "Guest network for visitors: {net}-Guest\nPassword: {pw}"),
                                ("Parents' wifi", "At mom and dad's: network {net}Family, password {pw}")):
                pw = _password(ctx)
                e = ctx.add(ctx.random_time(), "notes.create", {
                    "title": title, "notebook": "Personal",
                    "body": body.format(net=ctx.persona.user.name.split()[-1], pw=pw)}, actor="user")
                ctx.fact(f"noise.{seed.key}", e, table="note", field="body", value=pw, near=seed.key)
        elif seed.key == "notes.locker_code":
            code = f"{ctx.rng.randint(0, 9999):04d}"
            e = ctx.add(ctx.random_time(), "notes.create", {
                "title": "Bike lock", "notebook": "Personal",
                "body": f"Bike lock combination: {code} (the blue U-lock)."}, actor="user")
            ctx.fact(f"noise.{seed.key}", e, table="note", field="body", value=code, near=seed.key)


@planner(APP, "conflict")
def router_reset(ctx: PlanContext) -> None:
    """The ISP resets the router; the new wifi password lands in a new note and the old note is never edited."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "notes.wifi_password":
            continue
        password = _password(ctx)
        at = ctx.random_time(after=seed.at + timedelta(days=7))
        e = ctx.add(at, "notes.create", {
            "title": "Router reset", "notebook": "Notes",
            "body": f"Technician reset the router today. New wifi password: {password}\n{ctx.sentence()}"},
            actor="user", note="conflict: new wifi password after a router reset")
        ctx.supersede(seed, e, value=password, explicit=False, table="note", field="body",
                      description="the wifi password changed after a router reset; only a new note says so")
