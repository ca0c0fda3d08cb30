"""Calendar: the user's calendars, events and invitations. Other services add events through ``create_event``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlalchemy import JSON, Column
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.clock import fmt, parse
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "calendar"
DEFAULT_CALENDARS = ("Personal", "Work", "Family", "Travel")
# Overlap queries scan events that start up to this long before a range (the ``start`` index bounds them);
# a busy event longer than this is missed as a conflict (hotel stays are shown as free, so never conflict).
LOOKBACK = timedelta(days=2)

DateTime = Annotated[str, Arg(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$", description="YYYY-MM-DDTHH:MM:SS")]
Day = Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="YYYY-MM-DD")]
HourMin = Annotated[str, Arg(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, 24-hour")]
Address = Annotated[str, Arg(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="an email address, name@domain")]
Title = Annotated[str, Arg(min_length=1, max_length=200)]


class Calendar(Record, table=True):
    __tablename__ = "calendar"
    name: str = Field(index=True)
    color: str = ""


class CalendarEvent(Record, table=True):
    __tablename__ = "calendar_event"
    calendar_id: int = Field(foreign_key="calendar.id", index=True)
    title: str
    start: str = Field(index=True)
    end: str
    location: str = ""
    notes: str = ""
    attendees: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    organizer: str = ""  # email; the user's own address for events the user organizes
    response: str = Field(default="organizer", index=True)  # organizer | pending | accepted | declined | tentative
    status: str = Field(default="confirmed", index=True)  # confirmed | cancelled
    busy: bool = True  # false: shown as free (a hotel stay), never a conflict
    reminder_minutes: int | None = None
    created: str = ""


def _when(value: str, field: str) -> datetime:
    try:
        return parse(value)
    except ValueError:
        raise InvalidArguments(f"field '{field}': not a real date and time, got {value!r} "
                               "(expected YYYY-MM-DDTHH:MM:SS)") from None


def _day(value: str, field: str) -> datetime:
    try:
        return parse(value[:10])
    except ValueError:
        raise InvalidArguments(f"field '{field}': not a real date, got {value!r} (expected YYYY-MM-DD)") from None


def _names(world: World) -> dict[int, str]:
    return {r["id"]: r["name"] for r in world.store.select(Calendar)}


def _one(world: World, row: dict[str, Any]) -> dict[str, Any]:
    """One event shown with its calendar's name (one indexed lookup, not a scan of the calendars)."""
    cal = world.store.get(Calendar, row["calendar_id"])
    return _show(row, {row["calendar_id"]: cal["name"] if cal else ""})


def _show(row: dict[str, Any], names: dict[int, str]) -> dict[str, Any]:
    out = {"id": row["id"], "title": row["title"], "start": row["start"], "end": row["end"],
           "calendar": names.get(row["calendar_id"], ""), "location": row["location"], "status": row["status"],
           "response": row["response"], "organizer": row["organizer"], "attendees": row["attendees"]}
    if row["notes"]:
        out["notes"] = row["notes"]
    if row["reminder_minutes"] is not None:
        out["reminder_minutes"] = row["reminder_minutes"]
    if not row["busy"]:
        out["show_as"] = "free"
    return out


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "title": row["title"], "start": row["start"], "end": row["end"],
            "status": row["status"], "response": row["response"]}


def _calendar(world: World, name: str) -> tuple[int, str]:
    """(id, name) of the calendar called ``name`` (case-insensitive)."""
    rows = world.store.query(Calendar, "LOWER(name) = ? ORDER BY id LIMIT 1", (name.lower(),))
    if rows:
        return int(rows[0]["id"]), str(rows[0]["name"])
    if name in DEFAULT_CALENDARS:  # the default calendars exist as soon as something is put on them
        return world.store.insert(Calendar, {"name": name, "color": ""}), name
    known = ", ".join(sorted(_names(world).values())) or "none yet"
    raise InvalidArguments(f"field 'calendar': no calendar named {name!r}; calendars: {known}")


def _event(world: World, event_id: int) -> dict[str, Any]:
    return world.store.require(CalendarEvent, event_id, "calendar event")


def _own(world: World, row: dict[str, Any], action: str) -> None:
    if row["response"] != "organizer":
        raise Forbidden(f"event {row['id']} is organized by {row['organizer']}; only the organizer can {action} "
                        "(answer it with calendar.respond_to_invite)")


def _span(start: str, end: str | None, row: dict[str, Any] | None = None) -> tuple[str, str]:
    """Checked (start, end); a new start without an end keeps the event's duration."""
    t0 = _when(start, "start")
    if end is None:
        assert row is not None
        t1 = t0 + (parse(row["end"]) - parse(row["start"]))
    else:
        t1 = _when(end, "end")
    if t1 <= t0:
        raise InvalidArguments(f"field 'end': must be after start ({fmt(t0)}), got {fmt(t1)}")
    return fmt(t0), fmt(t1)


def overlapping(world: World, start: str, end: str, exclude: int | None = None) -> list[dict[str, Any]]:
    """Busy, confirmed, not declined events overlapping [start, end): the user's conflicts."""
    lo = fmt(parse(start) - LOOKBACK)
    rows = world.store.query(CalendarEvent, 'start >= ? AND start < ? AND "end" > ? AND status = ? ORDER BY start, id',
                             (lo, end, start, "confirmed"))
    return [r for r in rows if r["busy"] and r["response"] != "declined" and r["id"] != exclude]


def find_event(world: World, event_id: int | None) -> dict[str, Any] | None:
    """The event with this id, or None if the user deleted it (other services keep links to events)."""
    return None if event_id is None else world.store.get(CalendarEvent, event_id)


@operation(APP, "read", example={"start": "2026-01-05", "end": "2026-01-11"})
def list_events(world: World, start: Day = "", end: Day = "", calendar: str = "", include_cancelled: bool = False,
                limit: Annotated[int, Arg(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    """List events overlapping the days start..end (YYYY-MM-DD, both included; default: the next 7 days from today), in time order."""
    lo = _day(start, "start") if start else parse(world.iso_now()[:10])
    hi = _day(end, "end") + timedelta(days=1) if end else lo + timedelta(days=7)
    if hi <= lo:
        raise InvalidArguments(f"field 'end': must not be before start ({fmt(lo)[:10]})")
    rows = world.store.query(CalendarEvent, 'start >= ? AND start < ? AND "end" > ? ORDER BY start, id',
                             (fmt(lo - LOOKBACK), fmt(hi), fmt(lo)))
    names = _names(world)
    cal_id = _calendar(world, calendar)[0] if calendar else None
    rows = [r for r in rows if (include_cancelled or r["status"] != "cancelled")
            and (cal_id is None or r["calendar_id"] == cal_id)]
    return [_show(r, names) for r in rows[:limit]]


@operation(APP, "read", example={"event_id": Pick("calendar_event")})
def get_event(world: World, event_id: int) -> dict[str, Any]:
    """Get one event with every field: time, place, attendees, organizer, the user's response, notes, reminder."""
    return _one(world, _event(world, event_id))


@operation(APP, "read", example={"query": "1:1"})
def search_events(world: World, query: Annotated[str, Arg(min_length=1)], since: Day = "", until: Day = "",
                  limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """Find events whose title, location, notes, organizer or attendees contain the query; since/until bound the start day."""
    q = f"%{query.lower()}%"
    conds = ["(LOWER(title) LIKE ? OR LOWER(location) LIKE ? OR LOWER(notes) LIKE ? OR LOWER(organizer) LIKE ? "
             "OR LOWER(attendees) LIKE ?)"]
    params: list[Any] = [q] * 5
    if since:
        conds.append("start >= ?")
        params.append(fmt(_day(since, "since")))
    if until:
        conds.append("start < ?")
        params.append(fmt(_day(until, "until") + timedelta(days=1)))
    rows = world.store.query(CalendarEvent, " AND ".join(conds) + " ORDER BY start, id LIMIT ?", (*params, limit))
    names = _names(world)
    return [_show(r, names) for r in rows]


@operation(APP, "write", example={"title": "Lunch with Sam", "start": "2026-03-02T12:00:00",
                                  "end": "2026-03-02T13:00:00"})
def create_event(world: World, title: Title, start: DateTime, end: DateTime, location: str = "",
                 attendees: list[Address] = [], notes: str = "", calendar: str = "Personal",  # noqa: B006
                 show_as: Literal["busy", "free"] = "busy") -> dict[str, Any]:
    """Put an event on a calendar (default Personal). The answer lists "conflicts": busy events already overlapping it."""
    t0, t1 = _span(start, end)
    cal_id, calendar = _calendar(world, calendar)
    values = {"calendar_id": cal_id, "title": title, "start": t0, "end": t1,
              "location": location, "notes": notes, "attendees": list(dict.fromkeys(a.lower() for a in attendees)),
              "organizer": world.persona.user.email, "response": "organizer", "status": "confirmed",
              "busy": show_as == "busy", "reminder_minutes": None, "created": world.iso_now()}
    conflicts = overlapping(world, t0, t1) if values["busy"] else []
    ident = world.store.insert(CalendarEvent, values)
    shown = _show({"id": ident, **values}, {values["calendar_id"]: calendar})
    return {**shown, "conflicts": [_brief(r) for r in conflicts]}


@operation(APP, "write", example={"event_id": Pick("calendar_event", response="organizer", status="confirmed"),
                                  "title": "Renamed"})
def update_event(world: World, event_id: int, title: Title | None = None, start: DateTime | None = None,
                 end: DateTime | None = None, location: str | None = None, notes: str | None = None) -> dict[str, Any]:
    """Change an event the user organizes; only the fields given change (a new start alone keeps the duration)."""
    row = _event(world, event_id)
    changes: dict[str, Any] = {k: v for k, v in {"title": title, "location": location, "notes": notes}.items()
                               if v is not None}
    if start is not None or end is not None:
        changes["start"], changes["end"] = _span(start or row["start"], end, row)
    if not changes:
        raise InvalidArguments("calendar.update_event: give at least one of title, start, end, location, notes")
    if set(changes) != {"notes"}:
        _own(world, row, "change it")
    world.store.update(CalendarEvent, event_id, changes)
    return _one(world, {**row, **changes})


@operation(APP, "write", example={"event_id": Pick("calendar_event", response="organizer", status="confirmed"),
                                  "start": "2026-03-03T10:00:00"})
def reschedule(world: World, event_id: int, start: DateTime) -> dict[str, Any]:
    """Move an event the user organizes to a new start time, keeping its duration; lists conflicts at the new time."""
    row = _event(world, event_id)
    _own(world, row, "move it")
    if row["status"] == "cancelled":
        raise Forbidden(f"event {event_id} is cancelled; create a new event instead")
    t0, t1 = _span(start, None, row)
    world.store.update(CalendarEvent, event_id, {"start": t0, "end": t1})
    conflicts = overlapping(world, t0, t1, exclude=event_id) if row["busy"] else []
    return {**_one(world, {**row, "start": t0, "end": t1}), "conflicts": [_brief(r) for r in conflicts]}


@operation(APP, "write", example={"event_id": Pick("calendar_event", response="organizer", status="confirmed")})
def cancel_event(world: World, event_id: int) -> dict[str, Any]:
    """Cancel an event the user organizes (it stays on the calendar, marked cancelled). Decline invitations instead."""
    row = _event(world, event_id)
    _own(world, row, "cancel it")
    if row["status"] == "cancelled":
        raise Forbidden(f"event {event_id} is already cancelled")
    world.store.update(CalendarEvent, event_id, {"status": "cancelled"})
    return _one(world, {**row, "status": "cancelled"})


@operation(APP, "write", example={"event_id": Pick("calendar_event")})
def delete_event(world: World, event_id: int) -> dict[str, Any]:
    """Remove an event from the calendar for good."""
    row = _event(world, event_id)
    world.store.delete(CalendarEvent, event_id)
    return {"deleted": event_id, "title": row["title"]}


@operation(APP, "write", example={"event_id": Pick("calendar_event", response="organizer", status="confirmed"),
                                  "emails": ["friend@example.com"]})
def add_attendee(world: World, event_id: int, emails: Annotated[list[Address], Arg(min_length=1)]) -> dict[str, Any]:
    """Invite one or more people (email addresses) to an event the user organizes."""
    row = _event(world, event_id)
    _own(world, row, "invite people")
    if row["status"] == "cancelled":
        raise Forbidden(f"event {event_id} is cancelled")
    attendees = list(dict.fromkeys([*row["attendees"], *(e.lower() for e in emails)]))
    world.store.update(CalendarEvent, event_id, {"attendees": attendees})
    return _one(world, {**row, "attendees": attendees})


@operation(APP, "write", example={"event_id": Pick("calendar_event", response="organizer", status="confirmed"),
                                  "emails": Pick("calendar_event", field="attendees", response="organizer",
                                                 status="confirmed")})
def remove_attendee(world: World, event_id: int, emails: Annotated[list[Address], Arg(min_length=1)]) -> dict[str, Any]:
    """Remove one or more attendees (email addresses) from an event the user organizes."""
    row = _event(world, event_id)
    _own(world, row, "remove attendees")
    drop = [e.lower() for e in emails]
    missing = [e for e in drop if e not in row["attendees"]]
    if missing:
        raise InvalidArguments(f"field 'emails': {', '.join(missing)} not invited to event {event_id}; "
                               f"attendees: {', '.join(row['attendees']) or 'none'}")
    attendees = [a for a in row["attendees"] if a not in drop]
    world.store.update(CalendarEvent, event_id, {"attendees": attendees})
    return _one(world, {**row, "attendees": attendees})


@operation(APP, "write", example={"event_id": Pick("calendar_event", response="pending", status="confirmed"),
                                  "response": "accept"})
def respond_to_invite(world: World, event_id: int, response: Literal["accept", "decline", "tentative"],
                      comment: str = "") -> dict[str, Any]:
    """Answer an invitation: accept, decline or tentative; a comment is emailed to the organizer."""
    row = _event(world, event_id)
    if row["response"] == "organizer":
        raise Forbidden(f"event {event_id} is the user's own event, not an invitation")
    if row["status"] == "cancelled":
        raise Forbidden(f"event {event_id} was cancelled by its organizer")
    answer = {"accept": "accepted", "decline": "declined", "tentative": "tentative"}[response]
    world.store.update(CalendarEvent, event_id, {"response": answer})
    if comment:
        world.call("mail.send", {"to": [row["organizer"]], "subject": f"{answer.title()}: {row['title']}",
                                 "body": comment})
    return _one(world, {**row, "response": answer})


@operation(APP, "read", example={})
def list_invites(world: World, include_answered: bool = False,
                 limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """Upcoming invitations from others, soonest first: unanswered ones, or all of them with include_answered=true."""
    cond = "response != 'organizer'" if include_answered else "response = 'pending'"
    rows = world.store.query(CalendarEvent, f"{cond} AND status = 'confirmed' AND start >= ? "
                             "ORDER BY start, id LIMIT ?", (world.iso_now(), limit))
    names = _names(world)
    return [_show(r, names) for r in rows]


@operation(APP, "read", example={"date": "2026-01-07", "duration_minutes": 30})
def find_free_slots(world: World, date: Annotated[str, Arg(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")],
                    duration_minutes: Annotated[int, Arg(ge=5, le=720)] = 30, day_start: HourMin = "09:00",
                    day_end: HourMin = "17:00") -> dict[str, Any]:
    """Free windows of at least duration_minutes on a day between day_start and day_end, and the busy events around them."""
    day = fmt(_day(date, "date"))[:10]
    lo, hi = f"{day}T{day_start}:00", f"{day}T{day_end}:00"
    if hi <= lo:
        raise InvalidArguments(f"field 'day_end': must be after day_start ({day_start}), got {day_end}")
    busy = overlapping(world, lo, hi)
    free, cursor, need = [], lo, timedelta(minutes=duration_minutes)
    for r in busy:
        if parse(r["start"]) - parse(cursor) >= need:
            free.append({"start": cursor, "end": r["start"]})
        cursor = max(cursor, r["end"])
    if cursor < hi and parse(hi) - parse(cursor) >= need:
        free.append({"start": cursor, "end": hi})
    return {"date": day, "duration_minutes": duration_minutes, "free": free, "busy": [_brief(r) for r in busy]}


@operation(APP, "read", example={})
def list_calendars(world: World) -> list[dict[str, Any]]:
    """The user's calendars with how many events each holds."""
    return [{"id": r["id"], "name": r["name"], "color": r["color"],
             "events": world.store.count(CalendarEvent, {"calendar_id": r["id"]})}
            for r in world.store.select(Calendar)]


@operation(APP, "write", example={"name": "Book club", "color": "purple"})
def create_calendar(world: World, name: Annotated[str, Arg(min_length=1, max_length=60)],
                    color: str = "") -> dict[str, Any]:
    """Create a new calendar; names are unique (case-insensitive)."""
    if world.store.query(Calendar, "LOWER(name) = ? LIMIT 1", (name.lower(),)):
        raise Forbidden(f"a calendar named {name!r} already exists")
    ident = world.store.insert(Calendar, {"name": name, "color": color})
    return {"id": ident, "name": name, "color": color, "events": 0}


@operation(APP, "write", example={"event_id": Pick("calendar_event"), "minutes_before": 30})
def set_event_reminder(world: World, event_id: int,
                       minutes_before: Annotated[int | None, Arg(ge=0, le=40320)] = None) -> dict[str, Any]:
    """Set a reminder minutes_before an event starts (up to 4 weeks); leave it out to remove the reminder."""
    row = _event(world, event_id)
    world.store.update(CalendarEvent, event_id, {"reminder_minutes": minutes_before})
    return _one(world, {**row, "reminder_minutes": minutes_before})


@operation(APP, "write", system=True, example={"organizer": "boss@example.com", "title": "Sync",
                                               "start": "2026-03-02T10:00:00", "end": "2026-03-02T10:30:00"})
def invite(world: World, organizer: Address, title: Title, start: DateTime, end: DateTime, location: str = "",
           attendees: list[Address] = [], notes: str = "", calendar: str = "Work") -> dict[str, Any]:  # noqa: B006
    """Someone invites the user to an event: it appears unanswered on the calendar and an invitation email arrives."""
    from clawgym.worlds.services.mail import deliver

    t0, t1 = _span(start, end)
    me = world.persona.user.email
    cal_id, calendar = _calendar(world, calendar)
    values = {"calendar_id": cal_id, "title": title, "start": t0, "end": t1,
              "location": location, "notes": notes,
              "attendees": list(dict.fromkeys([me, *(a.lower() for a in attendees if a.lower() != organizer.lower())])),
              "organizer": organizer.lower(), "response": "pending", "status": "confirmed", "busy": True,
              "reminder_minutes": None, "created": world.iso_now()}
    ident = world.store.insert(CalendarEvent, values)
    when = parse(t0)
    deliver(world, organizer, f"Invitation: {title} @ {when:%a %b %d, %Y %H:%M}",
            f"You are invited to {title}.\nWhen: {when:%A %B %d, %Y %H:%M} - {t1[11:16]}\n"
            f"Where: {location or 'TBD'}\n\n{notes}".strip())
    world.notify(APP, f"Invitation: {title}", f"{when:%a %b %d %H:%M} from {organizer}", "calendar_event", ident)
    return _show({"id": ident, **values}, {values["calendar_id"]: calendar})


@operation(APP, "write", system=True, example={"event_id": Pick("calendar_event", response="accepted"),
                                               "location": "Room 4B", "message": "New room."})
def organizer_update(world: World, event_id: int, title: Title | None = None, start: DateTime | None = None,
                     end: DateTime | None = None, location: str | None = None, cancelled: bool = False,
                     message: str = "") -> dict[str, Any]:
    """The organizer of an invitation moves, changes or cancels it; the user is emailed and notified."""
    from clawgym.worlds.services.mail import deliver

    row = _event(world, event_id)
    if row["response"] == "organizer":
        raise Forbidden(f"event {event_id} is organized by the user")
    changes: dict[str, Any] = {k: v for k, v in {"title": title, "location": location}.items() if v is not None}
    if start is not None or end is not None:
        changes["start"], changes["end"] = _span(start or row["start"], end, row)
    if cancelled:
        changes["status"] = "cancelled"
    if not changes:
        raise InvalidArguments("calendar.organizer_update: give a new title, start, end, location or cancelled=true")
    world.store.update(CalendarEvent, event_id, changes)
    new = {**row, **changes}
    when = parse(new["start"])
    verb = "Cancelled" if cancelled else "Updated"
    body = message or (f"{row['title']} is cancelled." if cancelled else f"{new['title']} has changed.")
    deliver(world, row["organizer"], f"{verb}: {new['title']}",
            f"{body}\n\nWhen: {when:%A %B %d, %Y %H:%M} - {new['end'][11:16]}\nWhere: {new['location'] or 'TBD'}")
    world.notify(APP, f"{verb}: {new['title']}", message or f"{when:%a %b %d %H:%M}", "calendar_event", event_id)
    return _one(world, new)
