"""The family seam: a world's tables, operations and digest come from its own family, never from the process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from clawgym.errors import TaskError, WorldError
from clawgym.envs.task import parse_task
from clawgym.worlds import World, WorldSpec, family
from clawgym.worlds.family import family_names
from clawgym.worlds.operation import Registry


def test_every_family_module_defines_its_family_and_env_id() -> None:
    assert {"assistant"} <= set(family_names())
    for name in family_names():
        fam = family(name)
        assert fam.name == name and fam.env_id.startswith("clawgym/") and fam.env_id.endswith("-v0")
        assert len(fam.operations) > 0 and "meta" in fam.schema and "event_log" in fam.schema


def test_a_snapshot_restored_in_a_fresh_interpreter_digests_first_to_the_build_digest(tmp_path: Path) -> None:
    # Nothing is imported before the restore: the digest must not depend on what the process has loaded.
    world = World.build(seed=5, months=1)
    path = tmp_path / "w.db"
    path.write_bytes(world.snapshot())
    code = ("import sys; from clawgym.worlds.world import World; "
            f"print(World.restore(open({str(path)!r}, 'rb').read()).digest())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == world.digest()


def test_the_spec_family_is_part_of_the_cache_key_and_the_world() -> None:
    spec = WorldSpec(seed=3, months=1)
    assert spec.family == "assistant"
    assert World.build(spec).meta("spec")["family"] == "assistant"
    assert spec.key() != WorldSpec(seed=3, months=1, start=spec.start.replace(day=6)).key()


def test_an_unknown_family_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown family 'nope'; known: .*assistant"):
        WorldSpec(family="nope")
    with pytest.raises(ValueError, match="unknown services"):
        WorldSpec(services=("mail", "teleporter"))


def test_a_task_naming_an_unknown_family_is_a_task_error_naming_the_field() -> None:
    with pytest.raises(TaskError, match=r"t\.json: invalid task: field 'family'.*unknown family 'nope'"):
        parse_task('{"id": "x", "family": "nope", "world": {}, "instruction": "hi", "oracle": [{"tool": "finish"}],'
                   ' "checks": [{"type": "called", "name": "n", "tool": "finish"}], "meta": {"category": "history"}}',
                   source="t.json")


def test_a_registry_collects_only_what_a_module_declares_itself() -> None:
    import clawgym.worlds.services.mail as mail
    import clawgym.worlds.services.shop as shop

    ops = Registry.collect([shop])
    assert all(op.app == "shop" for op in ops)  # shop imports mail's helpers, but declares none of mail's ops
    assert "mail.send" in Registry.collect([mail])


def test_a_table_outside_the_worlds_family_is_refused_by_name(world: World) -> None:
    with pytest.raises(ValueError, match="no table named 'no_such_table'"):
        world.store.select("no_such_table")


def test_a_world_does_not_need_its_builder_or_a_persona_to_exist() -> None:
    spec = WorldSpec(seed=1, months=1)
    empty = World.empty(spec)  # no history, no persona: a family without people could stop here
    with pytest.raises(WorldError, match="persona"):
        _ = empty.persona
    assert empty.store.count("event_log") == 0
