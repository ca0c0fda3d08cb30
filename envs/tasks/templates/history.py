"""History retrieval: the answer lies somewhere in months of activity."""

from __future__ import annotations

from collections import Counter

from clawgym.envs.tasks.facts import fact_question_draft
from clawgym.envs.tasks.template import Draft, TemplateContext, template, untouched


@template("history", services=["mail", "calendar", "files", "notes", "bank", "shop", "travel", "health", "home"])
def recall_a_fact(ctx: TemplateContext) -> Draft | None:
    """A question about a seed fact that nothing superseded and nothing imitates."""
    facts = [f for f in ctx.facts("seed") if f["superseded_by"] is None and not ctx.near_misses(f["key"])]
    fact = ctx.pick(facts)
    return None if fact is None else fact_question_draft(ctx.world, fact, [], "medium")


@template("history", services=["mail"])
def count_emails_from_a_colleague(ctx: TemplateContext) -> Draft | None:
    """How many emails one colleague sent in one calendar month of the history."""
    colleague = ctx.pick(ctx.people("colleague"))
    rows = ctx.world.store.select("email", {"sender": colleague.email, "folder": "inbox"})
    months = Counter(r["at"][:7] for r in rows)
    full = [m for m in sorted(months) if f"{m}-28" < ctx.world.iso_now()[:10] and m > ctx.world.spec.start.isoformat()[:7]]
    if not full:
        return None
    month = ctx.pick(full)
    n = months[month]
    label = f"{month}-01"
    return Draft(
        instruction=f"How many emails did {colleague.name} send me in the month starting {label}? Just the number.",
        checks=[{"type": "answer", "name": f"the answer is {n}",
                 "matcher": {"kind": "number", "expected": n, "distractors": [n - 1, n + 1]}}, untouched()],
        oracle=[{"tool": "mail_search", "args": {"sender": colleague.email, "since": label,
                                                  "until": f"{month}-31", "limit": 100}},
                {"tool": "finish", "args": {"answer": str(n)}}],
        difficulty="hard",
    )
