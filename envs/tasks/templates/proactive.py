"""Proactive: something arrives during the episode that needs action, and nobody says so."""

from __future__ import annotations

from clawgym.envs.tasks.template import SENT_MESSAGE, Draft, TemplateContext, made_by_agent, template, untouched


@template("proactive", services=["mail", "contacts"])
def answer_a_colleagues_request(ctx: TemplateContext) -> Draft | None:
    """A colleague emails mid-episode asking for the user's mobile number; the assistant should reply with it."""
    colleague = ctx.pick(ctx.people("colleague"))
    phone = ctx.world.persona.user.phone
    after = ctx.rng.randint(10, 45)
    return Draft(
        instruction=None,
        trigger=f"{colleague.name} emails asking for the user's mobile number",
        schedule=[{"after_minutes": after, "op": "mail.receive", "args": {
            "sender": colleague.email, "subject": "Quick favour",
            "body": f"Hi {ctx.world.persona.user.first}, could you send me your mobile number? I need it for the "
                    f"on-call sheet. Just reply to this email. Thanks, {colleague.first}"}}],
        checks=[
            {"type": "exists", "name": f"a reply to {colleague.name} holds the user's mobile number", "table": "email",
             "where": {"folder": "sent", "to": {"contains": colleague.email}, "body": {"contains": phone}},
             "new_only": True},
            untouched([made_by_agent("email")]),
        ],
        oracle=[
            {"tool": "wait", "args": {"minutes": 60}},
            {"tool": "mail_search", "args": {"sender": colleague.email, "limit": 1}},
            {"tool": "mail_reply", "args": {"email_id": {"$step": 1, "index": 0, "field": "id"},
                                            "body": f"Sure, it's {phone}."}},
            {"tool": "finish", "args": {"answer": "Replied with the mobile number."}},
        ],
        difficulty="medium",
    )


@template("proactive", services=["messages", "notes"])
def tell_a_friend_the_current_wifi_password(ctx: TemplateContext) -> Draft | None:
    """A friend texts for the wifi password; the right one is in the newest note (the old note was never fixed)."""
    new = ctx.current("notes.wifi_password")
    old = ctx.superseded("notes.wifi_password")
    friends = [p for p in ctx.people("friend", "family") if p.phone]
    if new is None or not old or not friends:
        return None
    friend = ctx.pick(friends)
    after = ctx.rng.randint(10, 45)
    return Draft(
        instruction=None,
        trigger=f"{friend.name} texts asking for the wifi password",
        schedule=[{"after_minutes": after, "op": "messages.receive", "args": {
            "sender": friend.phone, "text": "Hey! Coming over in a bit - what's your wifi password again?"}}],
        checks=[
            {"type": "exists", "name": "a text gives the current wifi password", "table": "message",
             "where": {"outgoing": True, "text": {"contains": new["value"]}}, "new_only": True},
            {"type": "absent", "name": "the old, replaced password is not sent", "table": "message",
             "where": {"outgoing": True, "text": {"contains": old[0]["value"]}}, "new_only": True},
            untouched(SENT_MESSAGE),
        ],
        oracle=[
            {"tool": "wait", "args": {"minutes": 60}},
            {"tool": "notes_search", "args": {"query": "wifi"}},
            {"tool": "messages_send", "args": {"to": [friend.phone], "text": f"It's {new['value']} - see you soon!"}},
            {"tool": "finish", "args": {"answer": "Sent the current wifi password."}},
        ],
        difficulty="hard",
    )
