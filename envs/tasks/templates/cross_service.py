"""Cross-service actions: find something in one app, act with it in another."""

from __future__ import annotations

from clawgym.envs.tasks.template import SENT_MESSAGE, Draft, TemplateContext, template, untouched


@template("cross_service", services=["contacts", "mail"])
def email_a_phone_number(ctx: TemplateContext) -> Draft | None:
    """Look a contact's phone number up and email it to a friend."""
    friends = ctx.people("friend", "family")
    about = ctx.people("colleague", "company")
    if len(friends) < 1 or not about:
        return None
    to, who = ctx.pick(friends), ctx.pick(about)
    row = next(iter(ctx.world.store.select("contact", {"email": who.email}, limit=1)), None)
    if row is None or not row["phone"]:
        return None
    return Draft(
        instruction=f"Email {to.name} the phone number of {who.name}, from my contacts.",
        checks=[
            {"type": "exists", "name": f"an email to {to.name} holds {who.name}'s phone number", "table": "email",
             "where": {"folder": "sent", "to": {"contains": to.email}, "body": {"contains": row["phone"]}},
             "new_only": True},
            {"type": "count", "name": "exactly one email is sent", "table": "email",
             "where": {"folder": "sent"}, "new_only": True, "op": "eq", "n": 1, "tier": "additional"},
            untouched([{"table": "email", "where": {"folder": "sent"}}]),
        ],
        oracle=[
            {"tool": "contacts_search", "args": {"query": who.name}},
            {"tool": "mail_send", "args": {"to": [to.email], "subject": f"{who.name}'s number",
                                           "body": f"Hi {to.first}, {who.name}'s phone number is {row['phone']}."}},
            {"tool": "finish", "args": {"answer": "Sent."}},
        ],
        apps=["contacts", "mail", "messages", "calendar"],
        difficulty="easy",
    )


@template("cross_service", services=["travel", "messages"])
def text_a_flight_code(ctx: TemplateContext) -> Draft | None:
    """Find a booking's confirmation code in travel and text it to someone close."""
    fact = ctx.current("travel.next_flight_code") or ctx.current("travel.flight_code")
    people = [p for p in ctx.people("family", "friend") if p.phone]
    if fact is None or not people:
        return None
    to = ctx.pick(people)
    what = fact["description"].replace("the user's", "my").split(" with ")[0]
    return Draft(
        instruction=f"Text {to.name} {what}.",
        checks=[
            {"type": "exists", "name": "a text holds the confirmation code", "table": "message", "new_only": True,
             "where": {"outgoing": True, "text": {"contains": fact["value"]}}},
            {"type": "exists", "name": f"the text goes to {to.first}", "table": "message_thread",
             "where": {"handles": {"contains": to.phone}, "last_at": {"ge": ctx.world.iso_now()}}},
            untouched(SENT_MESSAGE),
        ],
        oracle=[
            {"tool": "travel_list_bookings", "args": {"kind": "flight"}},
            {"tool": "messages_send", "args": {"to": [to.phone], "text": f"My confirmation code is {fact['value']}."}},
            {"tool": "finish", "args": {"answer": "Sent."}},
        ],
        difficulty="easy",
    )
