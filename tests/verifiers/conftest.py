"""Fixtures for verifier tests: a start world and a final world restored from the shared one-month snapshot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from clawgym.verifiers import Step, Trajectory
from clawgym.worlds import World

Act = Callable[..., Any]
MakeTrajectory = Callable[..., Trajectory]


@pytest.fixture
def start(small_snapshot: bytes) -> World:
    """The world as the episode found it."""
    return World.restore(small_snapshot)


@pytest.fixture
def end(small_snapshot: bytes) -> World:
    """A copy the test changes, as an agent would."""
    return World.restore(small_snapshot)


def _act(world: World, op: str, args: dict[str, Any], index: int = 0) -> Any:
    # As the env calls an operation for an agent's step: the records it makes are stamped with the step.
    world.store.origin = f"agent:{index}"
    try:
        return world.call(op, args)
    finally:
        world.store.origin = ""


def _trajectory(*calls: tuple[Any, ...], answer: str | None = None) -> Trajectory:
    steps = []
    for i, call in enumerate(calls):
        tool, args, ok = call if len(call) == 3 else (*call, True)
        steps.append(Step(index=i, tool=tool, args=args, ok=ok, observation="", at=f"2026-02-04T00:{i:02d}:00"))
    return Trajectory(steps=steps, answer=answer)


@pytest.fixture
def act() -> Act:
    """``act(world, op, args)``: an agent's call of an operation."""
    return _act


@pytest.fixture
def traj() -> MakeTrajectory:
    """``traj((tool, args[, ok]), ..., answer=...)``: a trajectory of those steps."""
    return _trajectory
