"""Every operation, through the registry: one valid call and invalid ones that change nothing."""

from __future__ import annotations

import pytest

from clawgym.errors import InvalidArguments
from clawgym.worlds import World, family
from clawgym.worlds.operation import example_args

OPERATIONS = family("assistant").operations

OPS = [op.name for op in OPERATIONS]


def test_registry_has_at_least_150_operations_over_12_services() -> None:
    exposed = OPERATIONS.exposed()
    assert len(exposed) >= 150, f"only {len(exposed)} agent-facing operations"
    assert len({op.app for op in exposed}) >= 12


@pytest.mark.parametrize("name", OPS)
def test_operation_declares_docstring_schema_and_example(name: str) -> None:
    op = OPERATIONS.get(name)
    assert op.doc and len(op.doc) > 15, "the docstring is the agent's manual"
    assert op.args.model_config.get("extra") == "forbid"
    schema = op.schema()["function"]
    assert schema["name"] == name and schema["parameters"]["type"] == "object"
    assert op.example is not None


@pytest.mark.parametrize("name", OPS)
def test_valid_example_call_succeeds(world: World, name: str) -> None:
    op = OPERATIONS.get(name)
    result = world.call(name, example_args(op, world), system=op.system)
    assert result is not None


@pytest.mark.parametrize("name", OPS)
def test_invalid_calls_are_rejected_and_change_nothing(world: World, name: str) -> None:
    op = OPERATIONS.get(name)
    args = example_args(op, world)
    before = world.digest()
    with pytest.raises(InvalidArguments, match="unknown field 'not_a_field'"):
        world.call(name, {**args, "not_a_field": 1}, system=op.system)
    required = [f for f, info in op.args.model_fields.items() if info.is_required()]
    if required:
        broken = {k: v for k, v in args.items() if k != required[0]}
        with pytest.raises(InvalidArguments, match=f"missing required field '{required[0]}'"):
            world.call(name, broken, system=op.system)
    assert world.digest() == before
