"""State diffs: added, removed and changed rows; the page-level fast path agrees with reading every row."""

from __future__ import annotations

import importlib
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from clawgym.errors import OperationError
from clawgym.verifiers import diff as diff_fn
from clawgym.verifiers import pages
from clawgym.worlds import World


def test_identical_worlds_have_an_empty_diff(start: World, end: World) -> None:
    d = diff_fn(start, end)
    assert not d and d.summary() == "no differences"
    assert not diff_fn(start, start)


def test_added_removed_and_changed_rows_by_primary_key(start: World, end: World, act: Callable[..., Any]) -> None:
    email = end.store.select("email", {"folder": "inbox"}, limit=1)[0]
    contact = end.store.select("contact", limit=2)
    act(end, "mail.mark", {"email_id": email["id"], "starred": True})
    act(end, "contacts.delete", {"contact_id": contact[0]["id"]})
    act(end, "contacts.update", {"contact_id": contact[1]["id"], "phone": "555-0100", "notes": "new"})
    sent = act(end, "mail.send", {"to": ["bob@example.com"], "subject": "Hi", "body": "Hello"})
    d = diff_fn(start, end)
    assert sorted(t.table for t in d) == ["contact", "email"]
    mail, people = d.table("email"), d.table("contact")
    assert [r["id"] for r in mail.added] == [sent["id"]] and mail.added[0]["to"] == ["bob@example.com"]
    assert mail.added[0]["origin"] == "agent:0"
    assert [(c.key, c.columns, c.before["starred"], c.after["starred"]) for c in mail.changed] == \
        [(email["id"], ("starred",), False, True)]
    assert [r["id"] for r in people.removed] == [contact[0]["id"]]
    assert [(c.key, c.columns) for c in people.changed] == [(contact[1]["id"], ("phone", "notes"))]
    assert not d.table("notification")
    text = d.summary()
    assert "email: 1 added, 0 removed, 1 changed" in text and "starred: False -> True" in text


def test_ignored_columns_and_table_scope(start: World, end: World, act: Callable[..., Any]) -> None:
    email = end.store.select("email", limit=1)[0]
    act(end, "mail.mark", {"email_id": email["id"], "read": not email["read"], "starred": True})
    assert diff_fn(start, end, ignore_columns=["read"]).table("email").changed[0].columns == ("starred",)
    assert not diff_fn(start, end, ignore_columns=["email.read", "starred"])
    assert not diff_fn(start, end, tables=["contact"])
    with pytest.raises(ValueError, match="no table named 'emails'"):
        diff_fn(start, end, tables=["emails"])
    with pytest.raises(ValueError, match="no column 'stared'"):
        diff_fn(start, end, ignore_columns=["email.stared"])


def test_rows_that_events_add_as_the_clock_moves_show_up(start: World, end: World) -> None:
    from clawgym.worlds.event import Event

    news = {"sender": "dentist@smile.com", "subject": "Moved", "body": "Now at 15:00"}
    end.schedule([Event(end.now + timedelta(minutes=5), "system", "mail.receive", news, 99, "seed", "task.0")])
    end.advance(timedelta(minutes=10))
    d = diff_fn(start, end)
    assert [r["origin"] for r in d.table("email").added] == ["task.0"]
    assert d.table("event_log").added and d.table("notification").added


@pytest.mark.parametrize("seed", range(6))
def test_page_fast_path_agrees_with_reading_every_row(small_snapshot: bytes, seed: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    start, end = World.restore(small_snapshot), World.restore(small_snapshot)
    emails = [r["id"] for r in end.store.select("email")]
    contacts = [r["id"] for r in end.store.select("contact")]
    big = 6000 if seed == 5 else 300  # seed 5 writes rows long enough to spill into overflow pages
    for _ in range(40):
        roll = rng.random()
        try:
            if roll < 0.2:
                end.call("mail.delete", {"email_id": rng.choice(emails)})
            elif roll < 0.4:
                end.call("mail.mark", {"email_id": rng.choice(emails), "starred": rng.random() < 0.5})
            elif roll < 0.5:
                end.call("mail.send", {"to": ["a@b.co"], "subject": "s" * rng.randint(1, big), "body": "b"})
            elif roll < 0.6:
                end.call("contacts.delete", {"contact_id": rng.choice(contacts)})
            elif roll < 0.75:
                end.call("contacts.update", {"contact_id": rng.choice(contacts), "notes": "n" * rng.randint(1, big)})
            elif roll < 0.9:
                end.call("contacts.add", {"name": f"Person {rng.randrange(10**9)}"})
            else:
                end.advance(timedelta(hours=rng.randint(1, 30)))
        except OperationError:
            pass  # a record deleted earlier in the sequence
    fast = diff_fn(start, end)
    assert fast  # the sequence changed something
    assert (pages.changed_rowids(start.store.conn, end.store.conn) is None) == (seed == 5)
    # Read every row instead (the package's ``diff`` attribute is the function, so fetch the module itself).
    monkeypatch.setattr(importlib.import_module("clawgym.verifiers.diff"), "changed_rowids", lambda *_: None)
    assert diff_fn(start, end) == fast


def test_diff_of_a_three_month_world_is_fast() -> None:
    start = World.build(seed=7, months=3)
    snap = start.snapshot()
    start, end = World.restore(snap), World.restore(snap)
    end.call("mail.delete", {"email_id": 5})
    end.call("contacts.update", {"contact_id": 3, "notes": "met at the gym"})
    end.call("mail.send", {"to": ["bob@example.com"], "subject": "Hi", "body": "Hello"})
    end.advance(timedelta(hours=3))
    diff_fn(start, end)  # warm up
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        d = diff_fn(start, end)
        times.append(time.perf_counter() - t0)
    rows = sum(len(start.store.dump(t)) for t in ("email", "event_log", "notification", "contact"))
    print(f"\ndiff of a 3-month world ({rows} rows in its main tables): "
          f"median {statistics.median(times) * 1e3:.1f} ms, min {min(times) * 1e3:.1f} ms")
    assert d.table("email").changed and d.table("contact").changed
    assert statistics.median(times) < 0.2


def test_an_unwritten_world_is_read_from_the_snapshot_it_came_from(small_snapshot: bytes,
                                                                   act: Callable[..., Any]) -> None:
    start, end = World.restore(small_snapshot), World.restore(small_snapshot)
    act(end, "contacts.add", {"name": "Sam Rivera"})
    expected = diff_fn(start, end)
    start.source = small_snapshot  # type: ignore[attr-defined]  # what World.restore keeps (see diff._image)
    assert diff_fn(start, end) == expected
    # Once a world is written to, its source no longer describes it and is not used.
    end.source = small_snapshot  # type: ignore[attr-defined]
    assert diff_fn(start, end) == expected
