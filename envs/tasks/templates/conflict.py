"""Conflict resolution: a later fact supersedes an earlier one, explicitly or silently; act on the later one."""

from __future__ import annotations

from clawgym.envs.tasks.facts import answer_checks, fact_answer, lookup_step, question
from clawgym.envs.tasks.template import Draft, TemplateContext, template, untouched
from clawgym.worlds.record import Conflict


def _conflicts(ctx: TemplateContext) -> list[tuple[dict, dict]]:
    pairs = []
    for c in ctx.world.store.select(Conflict):
        old = ctx.world.store.get("fact", c["superseded"])
        new = ctx.world.store.get("fact", c["superseding"])
        if old and new and new["superseded_by"] is None:
            pairs.append((old, new))
    return pairs


@template("conflict", services=["mail", "calendar", "messages", "notes", "bank", "subscriptions", "travel", "health"])
def current_value(ctx: TemplateContext) -> Draft | None:
    """Ask for a fact whose first value was later superseded: only the current value is right."""
    pair = ctx.pick(_conflicts(ctx))
    if pair is None:
        return None
    old, new = pair
    step = lookup_step(ctx.world, new["tbl"], new["record_id"])
    if step is None:
        return None
    distractors = [old["value"]] + [n["value"] for n in ctx.near_misses(old["key"])]
    return Draft(
        instruction=question(old["description"], old["value"]).replace("What is", "What is, as of now,", 1),
        checks=[*answer_checks(new["value"], distractors), untouched()],
        oracle=[step, {"tool": "finish", "args": {"answer": fact_answer(new)}}],
        services=[old["app"], new["app"]],
        difficulty="hard",
    )


@template("conflict", services=["messages", "contacts"])
def update_a_stale_phone_number(ctx: TemplateContext) -> Draft | None:
    """A friend texts from a new number the address book never learned: bring the contact up to date."""
    new = ctx.current("messages.friend_phone")
    old = ctx.superseded("messages.friend_phone")
    if new is None or not old:
        return None
    contact = next(iter(ctx.world.store.select("contact", {"phone": old[0]["value"]}, limit=1)), None)
    if contact is None:
        return None
    return Draft(
        instruction=f"{contact['name']} has been texting me lately; make sure my contacts have the number they use now.",
        checks=[
            {"type": "equals", "name": f"{contact['name']}'s contact holds the new number", "table": "contact",
             "where": {"id": contact["id"]}, "field": "phone", "value": new["value"]},
            untouched([{"table": "contact", "where": {"id": contact["id"]}, "columns": ["phone"]}]),
        ],
        oracle=[
            {"tool": "messages_search", "args": {"query": contact["name"].split()[0]}},
            {"tool": "contacts_update", "args": {"contact_id": contact["id"], "phone": new["value"]}},
            {"tool": "finish", "args": {"answer": f"Updated to {new['value']}."}},
        ],
        difficulty="hard",
    )
