"""Noise robustness: near-miss distractors (same names, similar amounts, other dates) surround the answer."""

from __future__ import annotations

from clawgym.envs.tasks.facts import fact_question_draft
from clawgym.envs.tasks.template import Draft, TemplateContext, template, untouched


@template("noise", services=["mail", "bank", "notes", "files", "calendar", "shop"])
def recall_among_near_misses(ctx: TemplateContext) -> Draft | None:
    """A question about a seed fact that noise imitates; the imitations are the distractors."""
    facts = [f for f in ctx.facts("seed") if f["superseded_by"] is None and ctx.near_misses(f["key"])]
    fact = ctx.pick(facts)
    if fact is None:
        return None
    return fact_question_draft(ctx.world, fact, [n["value"] for n in ctx.near_misses(fact["key"])], "hard")


@template("noise", services=["contacts", "mail"])
def email_the_right_namesake(ctx: TemplateContext) -> Draft | None:
    """Two people share a first name: the task names the colleague, and only the colleague may get the email."""
    pairs = [(c, f) for c in ctx.people("colleague") for f in ctx.people("friend", "family") if c.first == f.first]
    if not pairs:
        return None
    colleague, namesake = ctx.pick(pairs)
    topic = ctx.pick(["the design review notes", "the Q2 budget sheet", "the release checklist", "the offsite agenda"])
    return Draft(
        instruction=f"Email {colleague.first} from work ({colleague.role} at {colleague.company}) asking for {topic}.",
        checks=[
            {"type": "exists", "name": f"an email asking for {topic} goes to {colleague.name}", "table": "email",
             "where": {"folder": "sent", "to": {"contains": colleague.email}}, "new_only": True},
            {"type": "absent", "name": f"nothing is emailed to {namesake.name}, who only shares the first name",
             "table": "email", "where": {"to": {"contains": namesake.email}}, "new_only": True},
            untouched([{"table": "email", "where": {"folder": "sent", "to": {"contains": colleague.email}}}]),
        ],
        oracle=[
            {"tool": "contacts_search", "args": {"query": colleague.first}},
            {"tool": "mail_send", "args": {"to": [colleague.email], "subject": f"Request: {topic}",
                                           "body": f"Hi {colleague.first}, could you send me {topic}? Thanks!"}},
            {"tool": "finish", "args": {"answer": "Sent."}},
        ],
        difficulty="medium",
    )
