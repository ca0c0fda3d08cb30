"""Each check type passes and fails where it should; bad checks are TaskErrors naming the check and the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from clawgym.errors import TaskError
from clawgym.verifiers import Trajectory, parse_checks, verify
from clawgym.worlds import World, family
from clawgym.worlds.event import Event


def outcome(check: dict[str, Any], start: World, end: World, t: Trajectory | None = None) -> bool:
    return verify([{"name": "the check", **check}], start, end, t or Trajectory()).results[0].passed


def test_exists_absent_count_over_the_final_world(start: World, end: World, act: Callable[..., Any]) -> None:
    act(end, "mail.send", {"to": ["bob@example.com"], "subject": "Dentist moved", "body": "15:00"})
    sent_to_bob = {"folder": "sent", "to": {"contains": "BOB@example.com"}}
    assert outcome({"type": "exists", "table": "email", "where": sent_to_bob}, start, end)
    assert not outcome({"type": "exists", "table": "email", "where": sent_to_bob}, start, start)
    assert outcome({"type": "absent", "table": "email", "where": sent_to_bob}, start, start)
    assert not outcome({"type": "absent", "table": "email", "where": sent_to_bob}, start, end)
    inbox = start.store.count("email", {"folder": "inbox"})
    assert outcome({"type": "count", "table": "email", "where": {"folder": "inbox"}, "n": inbox}, start, end)
    assert outcome({"type": "count", "table": "email", "where": {"folder": "inbox"}, "op": "ge", "n": 1}, start, end)
    assert not outcome({"type": "count", "table": "email", "where": {"folder": "inbox"}, "op": "le", "n": 1},
                       start, end)
    assert outcome({"type": "count", "table": "email", "where": {"subject": {"contains": "dentist"}}, "new_only": True,
                    "n": 1}, start, end)


def test_new_only_ignores_rows_that_were_already_there(start: World, end: World, act: Callable[..., Any]) -> None:
    old = start.store.select("email", {"folder": "inbox"}, limit=1)[0]
    where = {"subject": old["subject"], "sender": old["sender"]}
    assert outcome({"type": "exists", "table": "email", "where": where}, start, end)
    assert not outcome({"type": "exists", "table": "email", "where": where, "new_only": True}, start, end)
    assert outcome({"type": "absent", "table": "email", "where": where, "new_only": True}, start, end)


def test_equals_needs_a_match_and_the_value_in_every_match(start: World, end: World, act: Callable[..., Any]) -> None:
    person = end.store.select("contact", limit=1)[0]
    act(end, "contacts.update", {"contact_id": person["id"], "phone": "555-0199"})
    check = {"type": "equals", "table": "contact", "where": {"id": person["id"]}, "field": "phone"}
    assert outcome({**check, "value": "555-0199"}, start, end)
    assert not outcome({**check, "value": "555-0199"}, start, start)
    assert outcome({**check, "value": {"contains": "0199"}}, start, end)
    assert not outcome({**check, "where": {"id": 10**6}, "value": "555-0199"}, start, end)


def test_unchanged_accepts_allowed_changes_and_catches_a_vandal(start: World, end: World,
                                                                act: Callable[..., Any]) -> None:
    target = end.store.select("email", {"folder": "inbox"}, limit=2)
    act(end, "mail.move", {"email_id": target[0]["id"], "folder": "archive"})
    act(end, "mail.send", {"to": ["bob@example.com"], "subject": "Done", "body": "Archived it"})
    check = {"type": "unchanged", "allow": [{"table": "email", "where": {"id": target[0]["id"]}, "columns": ["folder"]},
                                            {"table": "email", "where": {"folder": "sent", "subject": "Done"}}]}
    assert outcome(check, start, end)
    assert outcome(check, start, start)
    assert not outcome({**check, "allow": check["allow"][:1]}, start, end)  # the sent mail is not allowed

    vandal = World.restore(end.snapshot())
    act(vandal, "contacts.delete", {"contact_id": vandal.store.select("contact", limit=1)[0]["id"]})
    assert not outcome(check, start, vandal)
    altered = World.restore(end.snapshot())
    act(altered, "mail.label", {"email_id": target[1]["id"], "label": "junk"})
    result = verify([{"name": "nothing else changed", **check}], start, altered, Trajectory()).results[0]
    assert not result.passed and f"email {target[1]['id']} changed (labels)" in result.detail
    # An allowed row changed in a column it may not change is still damage.
    moved_and_starred = World.restore(end.snapshot())
    act(moved_and_starred, "mail.mark", {"email_id": target[0]["id"], "starred": True})
    assert not outcome(check, start, moved_and_starred)


def test_unchanged_ignores_columns_tables_and_world_events(start: World, end: World, act: Callable[..., Any]) -> None:
    email = end.store.select("email", {"read": False}, limit=1)[0]
    act(end, "mail.read", {"email_id": email["id"]})
    act(end, "notifications.dismiss_all", {})
    news = {"sender": "dentist@smile.com", "subject": "Moved", "body": "Now at 15:00"}
    end.schedule([Event(end.now + timedelta(minutes=5), "system", "mail.receive", news, 99, "seed", "task.0")])
    end.advance(timedelta(minutes=10))
    assert not outcome({"type": "unchanged"}, start, end)
    assert outcome({"type": "unchanged", "ignore_columns": ["email.read", "notification.read"]}, start, end)
    assert outcome({"type": "unchanged", "ignore_columns": ["read"]}, start, end)
    assert outcome({"type": "unchanged", "tables": ["contact"]}, start, end)
    assert outcome({"type": "unchanged", "ignore_columns": ["email.read"],
                    "ignore_tables": ["notification", "event_log", "meta"]}, start, end)


def test_called_not_called_and_before(start: World, traj: Callable[..., Trajectory]) -> None:
    t = traj(("mail.search", {"query": "dentist"}), ("mail.read", {"email_id": 4}),
             ("mail.send", {"to": ["bob@x.com"], "subject": "s", "body": "b"}, False),
             ("mail.reply", {"email_id": 4, "body": "Thanks"}))
    assert outcome({"type": "called", "tool": "mail.read", "args": {"email_id": 4}}, start, start, t)
    assert not outcome({"type": "called", "tool": "mail.read", "args": {"email_id": 5}}, start, start, t)
    assert not outcome({"type": "called", "tool": "mail.read", "min_times": 2}, start, start, t)
    assert not outcome({"type": "called", "tool": "mail.send"}, start, start, t)  # it failed
    assert outcome({"type": "not_called", "tool": "mail.send"}, start, start, t)
    thanks = {"body": {"contains": "thanks"}}
    assert not outcome({"type": "not_called", "tool": "mail.reply", "args": thanks}, start, start, t)
    assert outcome({"type": "before", "first": "mail.read", "then": "mail.reply"}, start, start, t)
    assert not outcome({"type": "before", "first": "mail.reply", "then": "mail.read"}, start, start, t)
    assert not outcome({"type": "before", "first": "mail.read", "then": "mail.forward"}, start, start, t)
    assert outcome({"type": "called", "tool": "finish"}, start, start, traj(("finish", {"answer": "x"})))


def test_answer_check_reads_the_trajectory_answer(start: World, traj: Callable[..., Trajectory]) -> None:
    check = {"type": "answer", "matcher": {"kind": "text", "expected": "ABC-1234"}}
    assert outcome(check, start, start, traj(answer="It is ABC-1234."))
    assert not outcome(check, start, start, traj(answer="ABC-1234 or ABC-1235"))
    assert not outcome(check, start, start, traj())


@pytest.mark.parametrize(("check", "message"), [
    ({"type": "exists", "name": "n", "table": "emails"}, r"check 0 \('n'\): table: unknown table 'emails'"),
    ({"type": "exists", "name": "n", "table": "email", "where": {"foldr": "x"}}, "unknown column 'foldr'"),
    ({"type": "exists", "name": "n", "table": "email", "where": {"folder": {"contians": "x"}}}, "unknown operator"),
    ({"type": "equals", "name": "n", "table": "email", "field": "colour", "value": 1},
     "field: unknown column 'colour'"),
    ({"type": "unchanged", "name": "n", "allow": [{"table": "emial"}]}, r"allow\[0\].table: unknown table 'emial'"),
    ({"type": "unchanged", "name": "n", "ignore_columns": ["email.stared"]}, "no column 'email.stared'"),
    ({"type": "called", "name": "n", "tool": "mail.sendd"}, "unknown tool 'mail.sendd'"),
    ({"type": "called", "name": "n", "tool": "mail.send", "args": {"recipient": "x"}}, "unknown argument 'recipient'"),
    ({"type": "count", "name": "n", "table": "email", "n": -1}, r"check 0 \('n'\): field 'n'"),
    ({"type": "exists", "name": "n", "table": "email", "surprise": 1}, "field 'surprise': Extra inputs"),
    ({"type": "teleport", "name": "n"}, "field 'type'"),
    ({"type": "answer", "name": "n", "matcher": {"kind": "number"}}, "field 'matcher.number.expected'"),
    ({"table": "email"}, r"check 0: field 'type'"),
])
def test_bad_checks_are_task_errors_naming_check_and_field(start: World, check: dict[str, Any], message: str) -> None:
    with pytest.raises(TaskError, match=message):
        verify([check], start, start, Trajectory())


def test_checks_round_trip_through_json() -> None:
    data = [{"type": "exists", "name": "a", "table": "email", "where": {"folder": "sent"}, "new_only": True},
            {"type": "unchanged", "name": "b", "tier": "additional", "allow": [{"table": "email"}]},
            {"type": "answer", "name": "c", "matcher": {"kind": "date", "expected": "2026-03-05",
                                                        "distractors": ["2026-03-02"]}}]
    checks = parse_checks(data, family("assistant"))
    again = parse_checks([c.model_dump(mode="json") for c in checks], family("assistant"))
    assert again == checks and checks[1].tier == "additional"
    with pytest.raises(TaskError, match="must be a list"):
        parse_checks("not a list", family("assistant"))  # type: ignore[arg-type]


def test_unchanged_excuses_what_scheduled_events_did_but_not_the_agent(small_snapshot: bytes,
                                                                      act: Callable[..., Any]) -> None:
    setup = World.restore(small_snapshot)
    moved, other = setup.store.select("contact", limit=2)
    setup.schedule([
        Event(setup.now + timedelta(minutes=5), "system", "contacts.update",
              {"contact_id": moved["id"], "address": "1 New Street"}, 99, "seed", "task.0"),
        Event(setup.now + timedelta(minutes=10), "system", "mail.receive",
              {"sender": "clinic@smile.com", "subject": "Moved", "body": "Now at 15:00"}, 99, "seed", "task.1"),
    ])
    snap = setup.snapshot()
    start, end = World.restore(snap), World.restore(snap)
    act(end, "mail.send", {"to": ["bob@example.com"], "subject": "Done", "body": "ok"})
    end.advance(timedelta(minutes=30))
    check = {"type": "unchanged", "allow": [{"table": "email", "where": {"subject": "Done"}}], "ignore_tables":
             ["event_log", "meta", "notification"]}
    assert outcome(check, start, end)
    vandal = World.restore(end.snapshot())
    act(vandal, "contacts.update", {"contact_id": other["id"], "notes": "x"})
    assert not outcome(check, start, vandal)
    overwrite = World.restore(end.snapshot())
    act(overwrite, "contacts.update", {"contact_id": moved["id"], "address": "2 Old Road"})
    assert not outcome(check, start, overwrite)
