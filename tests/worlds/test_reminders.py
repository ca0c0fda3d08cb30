"""Reminders and alarms: due times, completion and repetition, firing as the clock passes, phone-only alarms."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World, family

OPERATIONS = family("assistant").operations


def test_a_date_alone_is_due_at_nine_and_bad_dates_are_named(world: World) -> None:
    r = world.call("reminders.create", {"title": "Dentist forms", "due": "2026-03-02"})
    assert r["due"] == "2026-03-02T09:00:00" and r["list"] == "Reminders" and not r["done"]
    before = world.digest()
    with pytest.raises(InvalidArguments, match="field 'due'"):
        world.call("reminders.create", {"title": "x", "due": "2026-02-30"})
    with pytest.raises(InvalidArguments, match="field 'due'"):
        world.call("reminders.create", {"title": "x", "due": "next tuesday"})
    with pytest.raises(InvalidArguments, match="needs a due time"):
        world.call("reminders.create", {"title": "x", "repeat": "weekly"})
    assert world.digest() == before


def test_complete_then_reopen_and_no_double_completion(world: World) -> None:
    r = world.call("reminders.create", {"title": "Call the bank", "list_name": "Errands"})
    done = world.call("reminders.complete", {"reminder_id": r["id"]})
    assert done["done"] and done["completed_at"] == world.iso_now()
    before = world.digest()
    with pytest.raises(Forbidden, match="already done"):
        world.call("reminders.complete", {"reminder_id": r["id"]})
    assert world.digest() == before
    assert r["id"] not in [x["id"] for x in world.call("reminders.list", {"list_name": "Errands"})]
    assert world.call("reminders.list", {"list_name": "Errands", "include_done": True})[0]["id"] == r["id"]
    assert not world.call("reminders.reopen", {"reminder_id": r["id"]})["done"]
    with pytest.raises(Forbidden, match="not done"):
        world.call("reminders.reopen", {"reminder_id": r["id"]})


def test_completing_a_repeating_reminder_moves_it_to_the_next_time(world: World) -> None:
    r = world.call("reminders.create", {"title": "Rent", "due": "2026-01-31T10:00", "repeat": "monthly"})
    nxt = world.call("reminders.complete", {"reminder_id": r["id"]})
    assert not nxt["done"] and nxt["due"] == "2026-02-28T10:00:00"
    weekly = world.call("reminders.create", {"title": "Trash", "due": "2026-02-03T19:00", "repeat": "weekly"})
    assert world.call("reminders.complete", {"reminder_id": weekly["id"]})["due"] == "2026-02-10T19:00:00"


def test_the_weekly_chore_was_fired_and_done_every_week(world: World) -> None:
    chore = world.store.select("reminder", {"title": "Take out the trash"})[0]
    assert chore["repeat"] == "weekly" and not chore["done"] and chore["due"] > world.iso_now()
    fired = world.store.select("notification", {"app": "reminders", "title": "Reminder: Take out the trash"})
    assert len(fired) >= 3


def test_update_changes_only_given_fields(world: World) -> None:
    r = world.call("reminders.create", {"title": "Pack", "due": "2026-03-01T08:00", "priority": "low"})
    up = world.call("reminders.update", {"reminder_id": r["id"], "priority": "high", "list_name": "Trip"})
    assert (up["priority"], up["list"], up["due"], up["title"]) == ("high", "Trip", "2026-03-01T08:00:00", "Pack")
    assert world.call("reminders.update", {"reminder_id": r["id"], "due": ""})["due"] == ""
    with pytest.raises(InvalidArguments, match="at least one"):
        world.call("reminders.update", {"reminder_id": r["id"]})
    lists = {x["list"]: x for x in world.call("reminders.list_lists", {})}
    assert lists["Trip"]["open"] == 1


def test_the_renewal_reminder_fires_after_the_window_when_the_clock_passes_it(world: World) -> None:
    fact = world.store.select("fact", {"key": "reminders.car_registration_due", "kind": "seed"})[0]
    reminder = world.call("reminders.get", {"reminder_id": fact["record_id"]})
    assert reminder["due"] == fact["value"] > world.iso_now() and reminder["fired_at"] == ""
    world.advance(timedelta(days=10))
    assert world.call("reminders.get", {"reminder_id": fact["record_id"]})["fired_at"] == fact["value"]
    titles = [n["title"] for n in world.call("notifications.list", {"app": "reminders", "limit": 100})]
    assert "Reminder: Renew car registration" in titles


def test_firing_a_done_reminder_is_refused(world: World) -> None:
    r = world.call("reminders.create", {"title": "x", "due": "2026-02-05T10:00"})
    world.call("reminders.complete", {"reminder_id": r["id"]})
    with pytest.raises(Forbidden):
        world.call("reminders.fire", {"reminder_id": r["id"]}, system=True)
    with pytest.raises(Forbidden, match="something the world does"):
        world.call("reminders.fire", {"reminder_id": r["id"]})


def test_alarms_are_on_the_phone_only(world: World) -> None:
    for name in ("set_alarm", "list_alarms", "toggle_alarm", "delete_alarm"):
        assert OPERATIONS.get(f"reminders.{name}").devices == ("phone",)
    laptop = {op.name for op in OPERATIONS.exposed(device="laptop")}
    assert "reminders.list_alarms" not in laptop and "reminders.list" in laptop


def test_alarm_lifecycle_and_the_seeded_weekday_alarm(world: World) -> None:
    fact = world.store.select("fact", {"key": "reminders.alarm_time", "kind": "seed"})[0]
    alarms = world.call("reminders.list_alarms", {})
    wake = next(a for a in alarms if a["id"] == fact["record_id"])
    assert wake["time"] == fact["value"] and wake["days"] == ["mon", "tue", "wed", "thu", "fri"]
    a = world.call("reminders.set_alarm", {"time": "05:50", "days": ["sun", "mon", "mon"]})
    assert a["days"] == ["mon", "sun"] and a["enabled"]
    assert not world.call("reminders.toggle_alarm", {"alarm_id": a["id"]})["enabled"]
    assert world.call("reminders.toggle_alarm", {"alarm_id": a["id"], "enabled": True})["enabled"]
    world.call("reminders.delete_alarm", {"alarm_id": a["id"]})
    with pytest.raises(NotFound, match="alarm"):
        world.call("reminders.toggle_alarm", {"alarm_id": a["id"]})
    with pytest.raises(InvalidArguments, match="time"):
        world.call("reminders.set_alarm", {"time": "25:00"})
