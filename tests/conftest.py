"""Shared fixtures: small worlds are built once per session and restored per test (restore is ~1 ms)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clawgym.envs.task import TaskSpec
from clawgym.envs.tasks.generate import generate
from clawgym.worlds import World, WorldSpec

SMALL = WorldSpec(seed=7, months=1)


@pytest.fixture(scope="session")
def small_snapshot() -> bytes:
    return World.build(SMALL).snapshot()


@pytest.fixture
def world(small_snapshot: bytes) -> World:
    """A fresh one-month world for each test."""
    return World.restore(small_snapshot)


@pytest.fixture(scope="session")
def suite() -> list[TaskSpec]:
    """A small generated suite on one 2-month world, every category present."""
    return generate(24, seed=0, split="train", months=2)


@pytest.fixture(scope="session")
def suite_dir(suite: list[TaskSpec], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("suite")
    for task in suite:
        task.save(root)
    return root
