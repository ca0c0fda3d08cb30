"""GUI: the same kinds of tasks, done on the phone's and the laptop's screens (``surfaces=["gui"]``).

Some facts and settings live on one device only (alarms and lock codes on the phone). Oracle plans are GUI
actions that name elements by role and name, so they do not depend on ref numbers.

They register with the shared generator as ``surfaces=("gui",)`` templates (drawn by
``clawgym tasks generate --surfaces api,gui``), and are also listed in ``GUI_TEMPLATES`` so ``gui_tasks`` can
make exactly one task per template for tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from clawgym.envs.task import TaskMeta, TaskSpec
from clawgym.errors import OperationError
from clawgym.envs.tasks.template import SENT_MESSAGE, Draft, Template, TemplateContext, made_by_agent, untouched
from clawgym.envs.tasks.template import template as shared_template
from clawgym.envs.world_cache import CACHE, WorldCache
from clawgym.verifiers.verifier import labels
from clawgym.worlds.spec import WorldSpec

GUI = {"surfaces": ["gui"], "devices": ["phone", "laptop"]}


def click(role: str, name: str, within: str = "") -> dict[str, Any]:
    return {"tool": "gui_click", "args": {"role": role, "name": name, **({"within": within} if within else {})}}


def type_into(name: str, text: str) -> dict[str, Any]:
    return {"tool": "gui_type", "args": {"role": "textbox", "name": name, "text": text}}


def gui_draft(**fields: Any) -> Draft:
    return Draft(**fields, surfaces=GUI["surfaces"], devices=GUI["devices"])


GUI_TEMPLATES: list[Template] = []


def template(category: str, services: list[str]) -> Callable[[Callable[[TemplateContext], Draft | None]],
                                                            Callable[[TemplateContext], Draft | None]]:
    """The shared ``template`` with the GUI surface, also kept in ``GUI_TEMPLATES``."""

    def register(fn: Callable[[TemplateContext], Draft | None]) -> Callable[[TemplateContext], Draft | None]:
        GUI_TEMPLATES.append(Template(fn.__name__, "gui", tuple(services), fn, ("gui",)))
        return shared_template("gui", services, surfaces=("gui",))(fn)

    return register


def gui_tasks(world: WorldSpec, seed: int = 0, split: str = "train", cache: WorldCache = CACHE) -> list[TaskSpec]:
    """One task per GUI template that applies to ``world``, as the generator would make it."""
    tasks = []
    for tpl in GUI_TEMPLATES:
        built = cache.world(world)
        try:
            draft = tpl.fn(TemplateContext(built, random.Random(f"{split}:{seed}:{world.seed}:{tpl.name}")))
            if draft is None:
                continue
            checks = labels(draft.parsed_checks(), built)
        finally:
            built.close()
        tasks.append(TaskSpec(
            id=f"{split}-gui-{len(tasks):04d}", world=world, instruction=draft.instruction, apps=draft.apps,
            schedule=draft.events(), checks=checks, oracle=draft.plan(), max_steps=draft.max_steps, **GUI,
            meta=TaskMeta(category="gui", difficulty=draft.difficulty,  # type: ignore[arg-type]
                          services=sorted(set(draft.services or tpl.services)), seed=seed, template=tpl.name,
                          split=split,  # type: ignore[arg-type]
                          world_digest=cache.digest(world))))
    return tasks


@template("gui", services=["reminders"])
def set_a_phone_alarm(ctx: TemplateContext) -> Draft | None:
    """Alarms exist only on the phone: set one through its Reminders app."""
    hour, minute = ctx.rng.randint(5, 9), ctx.rng.choice([0, 10, 15, 20, 30, 40, 45, 50])
    time = f"{hour:02d}:{minute:02d}"
    label = ctx.rng.choice(["Early shift", "Gym", "Pick up kids", "Medication", "Flight day"])
    days = ctx.rng.choice([["mon", "wed", "fri"], ["tue", "thu"], ["sat"]])
    spoken = ", ".join(days)
    return gui_draft(
        instruction=f"Set an alarm on my phone for {time} labelled \"{label}\", repeating on {spoken}.",
        checks=[
            {"type": "exists", "name": f"a {time} alarm labelled {label} is set", "table": "reminder_alarm",
             "where": {"time": time, "label": label, "enabled": True}, "new_only": True},
            untouched([made_by_agent("reminder_alarm")]),
        ],
        oracle=[
            {"tool": "gui_open", "args": {"app": "reminders"}},
            click("link", "Set alarm"),
            type_into("Time", time),
            type_into("Label (optional)", label),
            *[click("checkbox", d) for d in days],
            click("button", "Set alarm"),
            {"tool": "finish", "args": {"answer": f"Alarm set for {time}."}},
        ],
        apps=["reminders"],
        difficulty="easy",
        max_steps=20,
    )


@template("gui", services=["reminders"])
def turn_off_a_phone_alarm(ctx: TemplateContext) -> Draft | None:
    """A phone-only setting: switch one alarm off, leaving the others as they are."""
    alarms = [a for a in ctx.world.store.select("reminder_alarm") if a["enabled"] and a["label"]]
    alarm = ctx.pick(alarms)
    if alarm is None:
        return None
    title = f"{alarm['time']} {alarm['label']}"
    return gui_draft(
        instruction=f"Turn off my \"{alarm['label']}\" alarm ({alarm['time']}) on my phone; keep the others on.",
        checks=[
            {"type": "exists", "name": f"the {alarm['label']} alarm is off", "table": "reminder_alarm",
             "where": {"id": alarm["id"], "enabled": False}},
            untouched([{"table": "reminder_alarm", "columns": ["enabled"], "where": {"id": alarm["id"]}}]),
        ],
        oracle=[
            {"tool": "gui_open", "args": {"app": "reminders"}},
            click("link", "List alarms"),
            click("link", f"Toggle alarm: {title}"),
            click("radio", "No"),
            click("button", "Toggle alarm"),
            {"tool": "finish", "args": {"answer": "The alarm is off."}},
        ],
        apps=["reminders"],
        difficulty="easy",
        max_steps=20,
    )


@template("gui", services=["mail"])
def reply_to_an_email_on_the_laptop(ctx: TemplateContext) -> Draft | None:
    """Open a colleague's email in the laptop's mail app and reply to it."""
    colleagues = {p.email: p for p in ctx.people("colleague") if p.email}
    inbox = ctx.world.call("mail.list", {"folder": "inbox", "limit": 20})
    subjects = [m["subject"] for m in inbox]
    mine = [m for m in inbox if m["from"] in colleagues and subjects.count(m["subject"]) == 1 and m["subject"]]
    email = ctx.pick(mine)
    if email is None:
        return None
    who = colleagues[email["from"]]
    text = ctx.rng.choice(["Thanks, I'll take a look this afternoon.", "Got it - will get back to you by Friday.",
                           "Sounds good, count me in."])
    return gui_draft(
        instruction=f"On my laptop, reply to {who.name}'s email \"{email['subject']}\" with: {text}",
        checks=[
            {"type": "exists", "name": f"a reply to {who.name} says the requested text", "table": "email",
             "where": {"folder": "sent", "to": {"contains": who.email}, "body": {"contains": text}},
             "new_only": True},
            untouched([made_by_agent("email")]),
        ],
        oracle=[
            {"tool": "gui_switch_device", "args": {"device": "laptop"}},
            {"tool": "gui_open", "args": {"app": "mail"}},
            click("link", email["subject"]),
            click("link", "Reply"),
            type_into("Body", text),
            click("button", "Reply"),
            {"tool": "finish", "args": {"answer": "Replied."}},
        ],
        apps=["mail"],
        difficulty="medium",
        max_steps=20,
    )


@template("gui", services=["home", "messages"])
def text_a_lock_code_from_the_laptop(ctx: TemplateContext) -> Draft | None:
    """Multi-device: a lock's keypad code shows only on the phone; the text goes out from the laptop."""
    locks = [d for d in ctx.world.call("home.list_devices", {"kind": "lock"})]
    friends = [p for p in ctx.people("friend", "family") if p.phone]
    lock, friend = ctx.pick(locks), ctx.pick(friends)
    if lock is None or friend is None:
        return None
    try:
        code = ctx.world.call("home.get_access_code", {"device_id": lock["id"]})["code"]
    except OperationError:  # a lock without a keypad has no code: no task on it
        return None
    return gui_draft(
        instruction=(f"{friend.first} is coming over. Look up the keypad code of the {lock['name']} (the smart home "
                     f"app shows it on my phone) and text it to {friend.name} from my laptop's Messages app."),
        checks=[
            {"type": "exists", "name": f"a text to {friend.name} holds the {lock['name']} code", "table": "message",
             "where": {"outgoing": True, "text": {"contains": code}}, "new_only": True},
            untouched(SENT_MESSAGE),
        ],
        oracle=[
            {"tool": "gui_open", "args": {"app": "home"}},
            click("link", lock["name"]),
            click("link", "Get access code"),
            {"tool": "gui_switch_device", "args": {"device": "laptop"}},
            {"tool": "gui_open", "args": {"app": "messages"}},
            click("link", "Send"),
            type_into("To", friend.phone),
            type_into("Text", f"The code for the {lock['name']} is {code}."),
            click("button", "Send"),
            {"tool": "finish", "args": {"answer": "Sent the code."}},
        ],
        apps=["home", "messages"],
        difficulty="medium",
        max_steps=25,
    )
