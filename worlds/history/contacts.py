"""History of contacts: the planners of the setup round."""

from __future__ import annotations

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.contacts import APP


@planner(APP, "setup")
def address_book(ctx: PlanContext) -> None:
    """Everyone the user knows is in the address book at the start of the window."""
    for i, p in enumerate(ctx.persona.people):
        ctx.add(ctx.start.replace(minute=i % 60, second=0), "contacts.add", {
            "name": p.name, "email": p.email, "phone": p.phone, "relation": p.relation, "role": p.role,
            "company": p.company, "address": p.address if p.relation != "company" else "",
            "birthday": p.birthday if p.relation != "company" else "",
        }, actor="user")
