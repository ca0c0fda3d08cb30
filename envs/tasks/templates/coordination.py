"""Multi-step coordination across three or more services."""

from __future__ import annotations

from datetime import datetime, timedelta

from clawgym.envs.tasks.template import SENT_MESSAGE, Draft, TemplateContext, made_by_agent, template, untouched


@template("coordination", services=["calendar", "notes", "reminders", "messages"])
def prepare_for_a_dinner(ctx: TemplateContext) -> Draft | None:
    """From a calendar dinner: a note with place and time, a reminder an hour before, a text to the friend."""
    fact = ctx.current("calendar.dinner_place")
    if fact is None:
        return None
    event = ctx.world.store.get("calendar_event", fact["record_id"])
    if event is None or event["status"] != "confirmed":
        return None
    name = fact["description"].rsplit(" with ", 1)[-1]
    friend = next((p for p in ctx.people() if p.name == name and p.phone), None)
    if friend is None:
        return None
    start = datetime.fromisoformat(event["start"])
    remind_at = (start - timedelta(hours=1)).isoformat()
    title = f"Dinner with {friend.first}"
    return Draft(
        instruction=(f"About my dinner with {friend.name}: save a note titled '{title}' with the restaurant and the "
                     f"time, add a reminder one hour before it starts, and text {friend.first} that I'm looking "
                     f"forward to it."),
        checks=[
            {"type": "exists", "name": "a note holds the restaurant", "table": "note", "new_only": True,
             "where": {"title": title, "body": {"contains": event["location"]}}},
            {"type": "exists", "name": "a reminder is due one hour before the dinner", "table": "reminder",
             "new_only": True, "where": {"due": remind_at}},
            {"type": "exists", "name": f"a text goes to {friend.first}", "table": "message_thread",
             "where": {"handles": {"contains": friend.phone}, "last_at": {"ge": ctx.world.iso_now()}}},
            {"type": "exists", "name": "the note gives the time too", "table": "note", "new_only": True,
             "where": {"title": title, "body": {"contains": event["start"][11:16]}}, "tier": "additional"},
            untouched([made_by_agent("note"), made_by_agent("reminder"), *SENT_MESSAGE]),
        ],
        oracle=[
            {"tool": "calendar_get_event", "args": {"event_id": event["id"]}},
            {"tool": "notes_create", "args": {"title": title, "body": f"{event['location']} at {event['start'][11:16]} "
                                                                      f"on {event['start'][:10]}."}},
            {"tool": "reminders_create", "args": {"title": title, "due": remind_at[:16]}},
            {"tool": "messages_send", "args": {"to": [friend.phone], "text": "Looking forward to dinner!"}},
            {"tool": "finish", "args": {"answer": "Done."}},
        ],
        difficulty="hard",
    )
