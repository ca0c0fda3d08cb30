"""World invariants under random sequences of agent-facing writes (Hypothesis).

Whatever an agent does: a call that fails changes nothing, no account overdraws past its limit, and no record
is left pointing at a record that no longer exists (every ForeignKey column of every table is checked).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table

from clawgym.errors import OperationError
from clawgym.worlds import World, family
from clawgym.worlds.operation import Operation, example_args

OPERATIONS = family("assistant").operations
SCHEMA = family("assistant").schema

WRITES = [op for op in OPERATIONS.exposed() if op.kind == "write"]


def orphans(world: World) -> list[str]:
    """Every (table.column -> parent) reference whose non-null value names no existing parent row."""
    found = []
    for table in SCHEMA:
        for col in table.columns:
            for fk in col.foreign_keys:
                parent: Table = fk.column.table
                missing = world.store.scalar(
                    f'SELECT COUNT(*) FROM {table.name} c WHERE c."{col.name}" IS NOT NULL AND NOT EXISTS '
                    f'(SELECT 1 FROM {parent.name} p WHERE p."{fk.column.name}" = c."{col.name}")'
                )
                if missing:
                    found.append(f"{missing} {table.name}.{col.name} -> {parent.name}.{fk.column.name}")
    return found


def overdrawn(world: World) -> list[dict[str, Any]]:
    """Bank accounts whose balance is below minus their overdraft limit (none while there is no bank)."""
    if "bank_account" not in SCHEMA:
        return []
    table = SCHEMA.table("bank_account")
    limit = '"overdraft"' if "overdraft" in table.columns else "0"
    return world.store.query("bank_account", f"balance < -{limit}")


@pytest.fixture(scope="module")
def snapshot() -> bytes:
    return World.build(seed=7, months=1).snapshot()


def test_a_built_world_has_no_orphans_and_no_overdrawn_account(snapshot: bytes) -> None:
    world = World.restore(snapshot)
    assert orphans(world) == []
    assert overdrawn(world) == []


def test_reference_columns_are_declared_as_foreign_keys() -> None:
    # The orphan check only sees what is declared; a reference column without a ForeignKey escapes it.
    undeclared = [f"{t.name}.{c.name}" for t in SCHEMA for c in t.columns
                  if c.name.endswith("_id") and c.name not in ("record_id", "result_id", "ref_id")
                  and not c.foreign_keys]
    assert undeclared == []


def _mutation(name: str, prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of the argument's own type, near and far from valid: ids that may not exist, odd text, amounts."""
    kind = prop.get("type") or next((p.get("type") for p in prop.get("anyOf", []) if p.get("type") != "null"), None)
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    if kind == "integer":
        return st.integers(-3, 400) if name.endswith("_id") or name == "id" else st.integers(-10**6, 10**7)
    if kind == "number":
        return st.floats(-10**5, 10**7, allow_nan=False, allow_infinity=False)
    if kind == "string":
        return st.one_of(st.text(max_size=12), st.sampled_from(["", "0", "-5.00", "2026-01-15", "a@b.co", "x" * 300]))
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(_mutation(name, prop.get("items", {})), max_size=3)
    return st.none()


def _draw_args(data: st.DataObject, op: Operation, world: World) -> dict[str, Any]:
    try:
        args = example_args(op, world)
    except LookupError:
        args = {}  # the example's record is gone (deleted earlier in this sequence)
    props = op.args.model_json_schema().get("properties", {})
    for name, prop in props.items():
        if data.draw(st.integers(0, 2), label=f"mutate {name}") == 0:
            args[name] = data.draw(_mutation(name, prop), label=name)
    return args


@pytest.mark.skipif(not WRITES, reason="no agent-facing write operations registered")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_writes_keep_the_world_consistent(snapshot: bytes, data: st.DataObject) -> None:
    world = World.restore(snapshot)
    for _ in range(data.draw(st.integers(1, 8), label="steps")):
        op = data.draw(st.sampled_from(WRITES), label="operation")
        args = _draw_args(data, op, world)
        before = world.store.conn.serialize()
        try:
            world.call(op.name, args)
        except OperationError as exc:
            event(f"rejected: {type(exc).__name__}")  # shown by --hypothesis-show-statistics
            assert unchanged(world, before), f"{op.name}({args}) failed but changed the world"
            continue
        event("applied")
    assert overdrawn(world) == []
    assert orphans(world) == []


def unchanged(world: World, before: bytes) -> bool:
    """The world holds the same records as the database image ``before`` (bytes first: a digest is slow)."""
    if world.store.conn.serialize() == before:
        return True
    return World.restore(before).digest() == world.digest()
