"""The World engine: determinism, snapshots, all-or-nothing calls, the clock firing scheduled events."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from clawgym.errors import Forbidden, WorldError
from clawgym.worlds import World, family
from clawgym.worlds.clock import parse
from clawgym.worlds.event import Event
from clawgym.worlds.operation import operation
from clawgym.worlds.services import mail

OPERATIONS = family("assistant").operations

_DIGEST = "from clawgym.worlds import World; print(World.build(seed={seed}, months=1).digest())"


def _digest_in_subprocess(seed: int, hash_seed: str) -> str:
    # A different PYTHONHASHSEED per process catches any iteration over sets or hash-ordered dicts.
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", _DIGEST.format(seed=seed)], env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_same_spec_gives_the_same_digest_in_separate_processes(small_snapshot: bytes) -> None:
    # conftest's session world is seed 7, one month: built in this process.
    first = _digest_in_subprocess(7, "1")
    second = _digest_in_subprocess(7, "2")
    assert first == second
    assert World.restore(small_snapshot).digest() == first


def test_different_seed_gives_a_different_world(small_snapshot: bytes) -> None:
    assert World.build(seed=8, months=1).digest() != World.restore(small_snapshot).digest()


def test_restored_snapshot_has_the_same_digest(small_snapshot: bytes) -> None:
    world = World.restore(small_snapshot)
    again = World.restore(world.snapshot())
    assert again.digest() == world.digest()
    assert again.now == world.now and again.spec == world.spec and again.persona == world.persona


def test_restored_world_is_independent_of_its_original(world: World) -> None:
    copy = World.restore(world.snapshot())
    original = world.digest()
    sent = copy.call("mail.send", {"to": ["a@example.com"], "subject": "only in the copy", "body": "x"})
    assert world.digest() == original
    assert world.store.get("email", sent["id"]) is None
    copy_digest = copy.digest()
    world.call("mail.send", {"to": ["b@example.com"], "subject": "only in the original", "body": "y"})
    assert copy.digest() == copy_digest
    assert copy.store.get("email", sent["id"])["subject"] == "only in the copy"


def test_world_built_into_a_sqlite_file_equals_the_in_memory_world(tmp_path: Any, small_snapshot: bytes) -> None:
    in_memory = World.restore(small_snapshot)
    on_disk = World.build(in_memory.spec, url=f"sqlite:///{tmp_path / 'world.db'}")
    assert (tmp_path / "world.db").stat().st_size > 0
    assert on_disk.digest() == in_memory.digest()


def test_snapshot_of_a_file_backed_world_restores(tmp_path: Any, small_snapshot: bytes) -> None:
    on_disk = World.restore(small_snapshot, url=f"sqlite:///{tmp_path / 'world.db'}")
    assert World.restore(on_disk.snapshot()).digest() == World.restore(small_snapshot).digest()


def test_snapshot_restored_into_a_sqlite_file_keeps_its_digest(tmp_path: Any, small_snapshot: bytes) -> None:
    world = World.restore(small_snapshot, url=f"sqlite:///{tmp_path / 'restored.db'}")
    assert world.digest() == World.restore(small_snapshot).digest()


def test_restoring_into_a_database_that_holds_a_world_is_refused(tmp_path: Any, small_snapshot: bytes) -> None:
    url = f"sqlite:///{tmp_path / 'taken.db'}"
    World.restore(small_snapshot, url=url).close()
    with pytest.raises(WorldError, match="already holds tables"):
        World.restore(small_snapshot, url=url)


@pytest.mark.parametrize("data", [b"", b"garbage bytes", b"\x00" * 4096, "SQLite format 3 but a str"])
def test_garbage_is_not_restored(data: Any) -> None:
    with pytest.raises(WorldError, match="not a world snapshot"):
        World.restore(data)


@pytest.mark.parametrize("cut", ["truncated", "foreign"])
def test_truncated_or_foreign_sqlite_image_raises_world_error(small_snapshot: bytes, cut: str) -> None:
    import sqlite3

    if cut == "truncated":
        data = small_snapshot[:5000]
    else:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE other (x)")
        data = conn.serialize()
    with pytest.raises(WorldError):
        World.restore(data)


# -- all or nothing --------------------------------------------------------------------------
@pytest.fixture
def failing_op() -> Iterator[str]:
    """A throwaway write operation that writes through two services, then fails; unregistered afterwards."""
    name = "testonly.write_then_fail"

    def write_then_fail(world: World, error: str = "forbidden") -> dict[str, Any]:
        """Test only: send an email, get a reply delivered and notified, then fail."""
        world.call("mail.send", {"to": ["x@example.com"], "subject": "partial", "body": "written first"})
        mail.deliver(world, "y@example.com", "partial reply", "also written")
        if error == "forbidden":
            raise Forbidden("failing after two writes")
        raise RuntimeError("a bug after two writes")

    OPERATIONS.add(operation("testonly", "write", name="write_then_fail", example={})(write_then_fail).__operation__)
    try:
        yield name
    finally:
        OPERATIONS.remove(name)


@pytest.mark.parametrize("error", ["forbidden", "bug"])
def test_operation_failing_midway_leaves_the_world_unchanged(world: World, failing_op: str, error: str) -> None:
    before = world.digest()
    emails = world.store.count("email")
    with pytest.raises(Forbidden if error == "forbidden" else RuntimeError):
        world.call(failing_op, {"error": error})
    assert world.digest() == before
    assert world.store.count("email") == emails
    # Ids are not burnt by the failed call: the next record gets the id it would have had.
    fresh = World.restore(world.snapshot())
    args = {"to": ["z@example.com"], "subject": "next", "body": "after the failure"}
    assert world.call("mail.send", args)["id"] == fresh.call("mail.send", args)["id"]


def test_system_operation_cannot_be_called_by_the_user(world: World) -> None:
    before = world.digest()
    with pytest.raises(Forbidden, match="not an action the user can take"):
        world.call("mail.receive", {"sender": "a@example.com", "subject": "s", "body": "b"})
    assert world.digest() == before


# -- the clock -------------------------------------------------------------------------------
def test_advance_fires_scheduled_events_in_time_order(world: World) -> None:
    start = world.now
    subjects = {3: "third", 1: "first", 2: "second"}
    world.schedule(Event(start + timedelta(hours=h), "system", "mail.receive",
                         {"sender": "clock@example.com", "subject": s, "body": "tick"}, 1, "routine", f"t.{h}")
                   for h, s in subjects.items())
    assert [r["eid"] for r in world.pending() if r["eid"].startswith("t.")] == ["t.1", "t.2", "t.3"]

    fired = world.advance(timedelta(minutes=90))
    mine = [r for r in fired if r["eid"].startswith("t.")]
    assert [r["eid"] for r in mine] == ["t.1"] and mine[0]["status"] == "applied"
    assert world.now == start + timedelta(minutes=90)
    assert world.store.get("email", mine[0]["result_id"])["subject"] == "first"

    fired = world.advance(until=start + timedelta(hours=5))
    mine = [r for r in fired if r["eid"].startswith("t.")]
    assert [r["eid"] for r in mine] == ["t.2", "t.3"]
    assert all(r["status"] == "applied" for r in mine)
    assert [r["eid"] for r in world.pending() if r["eid"].startswith("t.")] == []
    emails = world.store.select("email", {"sender": "clock@example.com"})
    assert [e["subject"] for e in emails] == ["first", "second", "third"]
    assert [e["at"] for e in emails] == sorted(e["at"] for e in emails)


def test_scheduling_in_the_past_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="is not after now"):
        world.schedule([Event(world.now - timedelta(hours=1), "system", "mail.receive",
                              {"sender": "a@example.com", "subject": "s", "body": "b"}, 1, "routine", "late")])


def test_advancing_past_every_planned_event_applies_them_all_in_order(small_snapshot: bytes) -> None:
    world = World.restore(small_snapshot)
    pending = world.pending()
    last = max((r["at"] for r in pending), default=world.iso_now())
    fired = world.advance(until=parse(last) + timedelta(minutes=1))
    assert [r["eid"] for r in fired] == [r["eid"] for r in pending]
    assert [r["at"] for r in fired] == sorted(r["at"] for r in fired)
    assert all(r["status"] == "applied" for r in fired), [r for r in fired if r["status"] != "applied"][:3]
    assert world.pending() == []
    log = {r["eid"]: r["status"] for r in world.store.select("event_log", {"status": "applied"})}
    assert all(log.get(r["eid"]) == "applied" for r in pending)


def test_clock_never_moves_backwards(world: World) -> None:
    now = world.now
    world.advance(timedelta(0))
    assert world.now == now
    world.advance(until=now - timedelta(days=1))
    assert world.now == now
