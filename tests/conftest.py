"""Shared fixtures: small worlds are built once per session and restored per test (restore is ~1 ms)."""

from __future__ import annotations

import pytest

from clawgym.worlds import World, WorldSpec

SMALL = WorldSpec(seed=7, months=1)


@pytest.fixture(scope="session")
def small_snapshot() -> bytes:
    return World.build(SMALL).snapshot()


@pytest.fixture
def world(small_snapshot: bytes) -> World:
    """A fresh one-month world for each test."""
    return World.restore(small_snapshot)
