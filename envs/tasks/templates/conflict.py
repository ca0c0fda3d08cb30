"""Conflict resolution: the world holds an old fact and a later one that supersedes it; act on the later one."""

from __future__ import annotations

from clawgym.envs.tasks.template import Draft, TemplateContext, template, untouched


@template("conflict", services=["mail"])
def current_registration_code(ctx: TemplateContext) -> Draft | None:
    """The organizer corrected the code by a later email: the answer is the correction, not the first code."""
    fact = ctx.current("mail.registration_code")
    old = ctx.superseded("mail.registration_code")
    if fact is None or not old:
        return None
    first = ctx.world.store.get("email", old[0]["record_id"])
    if first is None:
        return None
    conference = first["subject"].removeprefix("Your ").removesuffix(" registration")
    distractors = [o["value"] for o in old] + [n["value"] for n in ctx.near_misses("mail.registration_code")]
    return Draft(
        instruction=f"What is my registration code for {conference}? I need it at the front desk.",
        checks=[
            {"type": "answer", "name": "the answer is the corrected registration code",
             "matcher": {"kind": "text", "expected": fact["value"], "distractors": distractors}},
            untouched(),
        ],
        oracle=[
            {"tool": "mail_search", "args": {"query": "registration code"}},
            {"tool": "mail_read", "args": {"email_id": fact["record_id"]}},
            {"tool": "finish", "args": {"answer": fact["value"]}},
        ],
        apps=["mail", "contacts", "calendar", "notes", "messages"],
        difficulty="medium",
    )
