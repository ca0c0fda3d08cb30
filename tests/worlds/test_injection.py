"""Multi-round injection on a 3-month world: the history, the facts and the conflicts tasks rely on."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clawgym.worlds import World
from clawgym.worlds.clock import fmt
from clawgym.worlds.event import KINDS
from clawgym.worlds.injection import summary

Row = dict[str, Any]


@pytest.fixture(scope="module")
def world() -> World:
    """One 3-month world for the whole module; tests here only read it."""
    return World.build(seed=5, months=3)


@pytest.fixture(scope="module")
def facts(world: World) -> dict[int, Row]:
    """Facts by id, read raw: the store's JSON decoding has its own test below."""
    cur = world.store.conn.execute("SELECT * FROM fact ORDER BY id")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    for row in rows:
        # A JSON number comes back as a number: SQLite gives a column declared JSON numeric affinity.
        row["value"] = json.loads(row["value"]) if isinstance(row["value"], str) else row["value"]
    return {f["id"]: f for f in rows}


def test_fact_values_read_back_through_the_store_as_declared(world: World, facts: dict[int, Row]) -> None:
    # Numbers (amounts in cents), strings and lists must all survive the store's JSON column.
    assert {f["id"]: f["value"] for f in world.store.select("fact")} == {i: f["value"] for i, f in facts.items()}


def _holds(actual: Any, expected: Any) -> bool:
    """A record's field holds a fact's value: equal, contained in its text, or an element of its list."""
    if actual == expected:
        return True
    if isinstance(actual, str) and isinstance(expected, str):
        return expected in actual
    if isinstance(actual, list):
        return expected in actual
    return False


def _check_record(world: World, fact: Row) -> str | None:
    """Why the fact's record does not hold its value, or None when it does."""
    if fact["record_id"] is None:
        return f"fact {fact['key']} ({fact['kind']}, event {fact['eid']}): its event returned no record id"
    row = world.store.get(fact["tbl"], fact["record_id"])
    if row is None:
        return f"fact {fact['key']} ({fact['kind']}): {fact['tbl']} {fact['record_id']} no longer exists"
    if fact["field"] not in row:
        return f"fact {fact['key']}: table {fact['tbl']} has no field {fact['field']!r}"
    if not _holds(row[fact["field"]], fact["value"]):
        return (f"fact {fact['key']} ({fact['kind']}): {fact['tbl']} {fact['record_id']}.{fact['field']} is "
                f"{row[fact['field']]!r}, expected {fact['value']!r}")
    return None


def test_no_applied_event_lies_outside_the_window(world: World) -> None:
    start, end = fmt(world.spec.window_start), fmt(world.spec.window_end)
    outside = world.store.query("event_log", "status = ? AND (at < ? OR at > ?)", ("applied", start, end))
    assert outside == []
    assert world.store.count("event_log", {"status": "failed"}) == 0


def test_scheduled_events_all_lie_after_the_window(world: World) -> None:
    end = fmt(world.spec.window_end)
    assert all(r["at"] > end for r in world.pending())
    assert world.store.query("event_log", "status = ? AND at > ?", ("applied", end)) == []


def test_event_log_is_in_time_order_with_unique_ids(world: World) -> None:
    log = world.store.select("event_log")
    assert [r["at"] for r in log] == sorted(r["at"] for r in log)
    eids = [r["eid"] for r in log]
    assert all(eids) and len(set(eids)) == len(eids)


def test_every_round_is_present_with_its_kind(world: World) -> None:
    pairs = {(r, k) for r, k in world.store.conn.execute("SELECT DISTINCT round, kind FROM event_log")}
    assert pairs == {(i, kind) for i, kind in enumerate(KINDS)}
    by_round = summary(world)["events"]["by_round"]
    assert sorted(by_round) == [str(i) for i in range(len(KINDS))]
    assert all(n > 0 for n in by_round.values())


def test_every_conflict_supersedes_an_earlier_real_fact(world: World, facts: dict[int, Row]) -> None:
    conflicts = world.store.select("conflict")
    assert conflicts, "a 3-month world has conflicts"
    for c in conflicts:
        old, new = facts.get(c["superseded"]), facts.get(c["superseding"])
        assert old is not None and new is not None, c
        assert old["key"] == new["key"] == c["key"]
        assert old["at"] < new["at"], (old, new)
        assert old["superseded_by"] == new["id"]
        assert old["kind"] in ("seed", "conflict") and new["kind"] == "conflict"
        assert c["description"]


def test_superseded_facts_are_exactly_those_named_by_conflicts(world: World, facts: dict[int, Row]) -> None:
    named = {c["superseded"] for c in world.store.select("conflict")}
    assert {i for i, f in facts.items() if f["superseded_by"] is not None} == named


def test_seed_facts_hold_in_the_final_world_unless_superseded(world: World, facts: dict[int, Row]) -> None:
    seeds = [f for f in facts.values() if f["kind"] == "seed"]
    assert seeds
    problems = [p for f in seeds if f["superseded_by"] is None for p in [_check_record(world, f)] if p]
    assert problems == []


def test_superseding_facts_hold_in_the_final_world(world: World, facts: dict[int, Row]) -> None:
    latest = [f for f in facts.values() if f["kind"] == "conflict" and f["superseded_by"] is None]
    assert latest
    problems = [p for f in latest for p in [_check_record(world, f)] if p]
    assert problems == []


def test_noise_facts_imitate_a_real_seed_fact(world: World, facts: dict[int, Row]) -> None:
    seed_keys = {f["key"] for f in facts.values() if f["kind"] == "seed"}
    noise = [f for f in facts.values() if f["kind"] == "noise"]
    assert noise
    assert [f for f in noise if f["near"] not in seed_keys] == []


def test_seed_fact_keys_are_unique_and_name_their_app(world: World, facts: dict[int, Row]) -> None:
    seeds = [f for f in facts.values() if f["kind"] == "seed"]
    keys = [f["key"] for f in seeds]
    assert len(set(keys)) == len(keys)
    assert all(f["key"].startswith(f["app"] + ".") for f in seeds)


def test_three_month_world_has_at_least_20000_events_once_all_services_exist(world: World) -> None:
    assert summary(world)["events"]["total"] >= 20_000
