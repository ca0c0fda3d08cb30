"""Calendar: events, conflicts and free time, invitations and their organizers' changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World

DAY = "2026-03-10"  # after the one-month world's window: nothing there but what a test puts


def _event(world: World, title: str, start: str, end: str, **extra: object) -> dict:  # type: ignore[type-arg]
    return world.call("calendar.create_event", {"title": title, "start": f"{DAY}T{start}:00",
                                                "end": f"{DAY}T{end}:00", **extra})


def _clear_day(world: World) -> None:
    for e in world.call("calendar.list_events", {"start": DAY, "end": DAY, "include_cancelled": True}):
        world.call("calendar.delete_event", {"event_id": e["id"]})


def test_created_event_reports_the_events_it_overlaps(world: World) -> None:
    _clear_day(world)
    first = _event(world, "Dentist", "10:00", "11:00")
    assert first["conflicts"] == []
    second = _event(world, "Call", "10:30", "11:30")
    assert [c["id"] for c in second["conflicts"]] == [first["id"]]
    assert _event(world, "Lunch", "11:00", "12:00")["conflicts"] == [
        {k: second[k] for k in ("id", "title", "start", "end", "status", "response")}]


def test_free_slots_skip_busy_time_but_not_free_or_declined_events(world: World) -> None:
    _clear_day(world)
    _event(world, "Standup", "09:00", "09:30")
    _event(world, "Workshop", "11:00", "13:00")
    _event(world, "Hotel stay", "08:00", "18:00", show_as="free")
    invite = world.call("calendar.invite", {"organizer": "ceo@example.com", "title": "All hands",
                                            "start": f"{DAY}T14:00:00", "end": f"{DAY}T15:00:00"}, system=True)
    world.call("calendar.respond_to_invite", {"event_id": invite["id"], "response": "decline"})
    slots = world.call("calendar.find_free_slots", {"date": DAY, "duration_minutes": 60})
    assert slots["free"] == [{"start": f"{DAY}T09:30:00", "end": f"{DAY}T11:00:00"},
                             {"start": f"{DAY}T13:00:00", "end": f"{DAY}T17:00:00"}]
    assert [b["title"] for b in slots["busy"]] == ["Standup", "Workshop"]
    short = world.call("calendar.find_free_slots", {"date": DAY, "duration_minutes": 120, "day_end": "14:30"})
    assert short["free"] == []


def test_reschedule_keeps_the_duration(world: World) -> None:
    event = _event(world, "Review", "10:00", "10:45")
    moved = world.call("calendar.reschedule", {"event_id": event["id"], "start": f"{DAY}T15:00"})
    assert (moved["start"], moved["end"]) == (f"{DAY}T15:00:00", f"{DAY}T15:45:00")


def test_end_before_start_is_rejected_and_changes_nothing(world: World) -> None:
    before = world.digest()
    with pytest.raises(InvalidArguments, match="field 'end': must be after start"):
        _event(world, "Backwards", "11:00", "10:00")
    with pytest.raises(InvalidArguments, match="field 'calendar': no calendar named 'Nope'; calendars: "):
        _event(world, "Where", "10:00", "11:00", calendar="Nope")
    assert world.digest() == before


def test_invitation_arrives_by_mail_is_answered_and_leaves_the_pending_list(world: World) -> None:
    invite = world.call("calendar.invite", {"organizer": "Lead@Example.com", "title": "Kickoff",
                                            "start": f"{DAY}T10:00:00", "end": f"{DAY}T11:00:00"}, system=True)
    assert invite["response"] == "pending" and invite["organizer"] == "lead@example.com"
    assert world.call("mail.search", {"query": "Invitation: Kickoff"})
    assert invite["id"] in [e["id"] for e in world.call("calendar.list_invites", {})]
    world.call("calendar.respond_to_invite", {"event_id": invite["id"], "response": "tentative",
                                              "comment": "May be late"})
    assert invite["id"] not in [e["id"] for e in world.call("calendar.list_invites", {})]
    assert world.call("mail.list", {"folder": "sent"})[0]["to"] == ["lead@example.com"]


def test_only_the_organizer_may_change_an_invitation(world: World) -> None:
    invite = world.call("calendar.invite", {"organizer": "lead@example.com", "title": "Kickoff",
                                            "start": f"{DAY}T10:00:00", "end": f"{DAY}T11:00:00"}, system=True)
    before = world.digest()
    for op, args in (("calendar.update_event", {"title": "Mine now"}), ("calendar.cancel_event", {}),
                     ("calendar.reschedule", {"start": f"{DAY}T12:00:00"})):
        with pytest.raises(Forbidden, match="organized by lead@example.com"):
            world.call(op, {"event_id": invite["id"], **args})
    assert world.digest() == before
    assert world.call("calendar.update_event", {"event_id": invite["id"], "notes": "bring slides"})["notes"]


def test_organizer_moving_a_meeting_updates_it_and_emails_the_reason(world: World) -> None:
    invite = world.call("calendar.invite", {"organizer": "lead@example.com", "title": "Kickoff",
                                            "start": f"{DAY}T10:00:00", "end": f"{DAY}T11:00:00"}, system=True)
    moved = world.call("calendar.organizer_update", {"event_id": invite["id"], "start": f"{DAY}T15:00:00",
                                                     "message": "Moved to 3 pm, sorry!"}, system=True)
    assert (moved["start"], moved["end"]) == (f"{DAY}T15:00:00", f"{DAY}T16:00:00")
    mail = world.call("mail.search", {"query": "Moved to 3 pm"})[0]
    assert mail["subject"] == "Updated: Kickoff" and mail["from"] == "lead@example.com"
    world.call("calendar.organizer_update", {"event_id": invite["id"], "cancelled": True}, system=True)
    with pytest.raises(Forbidden, match="cancelled by its organizer"):
        world.call("calendar.respond_to_invite", {"event_id": invite["id"], "response": "accept"})


def test_the_planning_review_was_moved_to_3_pm(world: World) -> None:
    conflict = world.store.select("conflict", {"key": "calendar.planning_meeting"})[0]
    old, new = world.store.get("fact", conflict["superseded"]), world.store.get("fact", conflict["superseding"])
    event = world.call("calendar.get_event", {"event_id": new["record_id"]})
    assert event["start"] == new["value"] != old["value"] and event["start"].endswith("T15:00:00")
    assert world.call("mail.search", {"query": "moved to 3 pm"})


def test_attendees_are_added_and_removed_by_email(world: World) -> None:
    event = _event(world, "Dinner", "19:00", "21:00", attendees=["Sam@Example.com"])
    added = world.call("calendar.add_attendee", {"event_id": event["id"], "emails": ["kim@example.com"]})
    assert added["attendees"] == ["sam@example.com", "kim@example.com"]
    with pytest.raises(InvalidArguments, match="field 'emails': pat@example.com not invited"):
        world.call("calendar.remove_attendee", {"event_id": event["id"], "emails": ["pat@example.com"]})
    left = world.call("calendar.remove_attendee", {"event_id": event["id"], "emails": ["sam@example.com"]})
    assert left["attendees"] == ["kim@example.com"]


def test_cancel_then_delete(world: World) -> None:
    event = _event(world, "Gym", "07:00", "08:00")
    assert world.call("calendar.cancel_event", {"event_id": event["id"]})["status"] == "cancelled"
    with pytest.raises(Forbidden, match="already cancelled"):
        world.call("calendar.cancel_event", {"event_id": event["id"]})
    assert event["id"] not in [e["id"] for e in world.call("calendar.list_events", {"start": DAY, "end": DAY})]
    world.call("calendar.delete_event", {"event_id": event["id"]})
    with pytest.raises(NotFound, match="no calendar event with id"):
        world.call("calendar.get_event", {"event_id": event["id"]})


def test_reminders_and_calendars(world: World) -> None:
    event = _event(world, "Flight", "06:00", "08:00", calendar="travel")
    assert event["calendar"] == "Travel"
    reminded = world.call("calendar.set_event_reminder", {"event_id": event["id"], "minutes_before": 90})
    assert reminded["reminder_minutes"] == 90
    assert "reminder_minutes" not in world.call("calendar.set_event_reminder", {"event_id": event["id"]})
    world.call("calendar.create_calendar", {"name": "Book club"})
    with pytest.raises(Forbidden, match="already exists"):
        world.call("calendar.create_calendar", {"name": "book CLUB"})
    assert "Book club" in [c["name"] for c in world.call("calendar.list_calendars", {})]


def test_the_invitation_scheduled_after_the_window_arrives_during_the_episode(world: World) -> None:
    assert not any(e["title"] == "Budget review" for e in world.call("calendar.list_invites", {}))
    world.advance(timedelta(days=2))
    assert any(e["title"] == "Budget review" for e in world.call("calendar.list_invites", {}))
