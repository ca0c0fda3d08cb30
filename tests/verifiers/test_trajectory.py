"""Trajectories: the env's record of an episode, as JSON lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from clawgym.verifiers import Step, Trajectory, read_jsonl, write_jsonl


def test_trajectory_round_trips_through_one_json_line(tmp_path: Path, traj: Callable[..., Trajectory]) -> None:
    t = traj(("mail.send", {"to": ["a@b.co"], "subject": "Hi"}), ("finish", {"answer": "done"}), answer="done")
    t.task_id = "demo-1"
    line = t.to_json()
    assert "\n" not in line
    assert Trajectory.from_json(line) == t
    write_jsonl(tmp_path / "runs.jsonl", [t, Trajectory()])
    assert read_jsonl(tmp_path / "runs.jsonl") == [t, Trajectory()]


def test_called_returns_successful_matching_steps_only(traj: Callable[..., Trajectory]) -> None:
    t = traj(("mail.send", {"to": ["Bob@x.com"]}), ("mail.send", {"to": ["amy@x.com"]}, False),
                   ("mail.read", {"email_id": 4}), ("mail.send", {"to": ["amy@x.com"]}))
    assert [s.index for s in t.called("mail.send")] == [0, 3]
    assert [s.index for s in t.called("mail.send", {"to": {"contains": "bob@x.com"}})] == [0]
    assert t.called("mail.delete") == []


def test_step_is_frozen_and_rejects_unknown_fields() -> None:
    step = Step(index=0, tool="wait", args={"minutes": 5}, ok=True, observation="", at="2026-02-04T00:00:00")
    with pytest.raises(ValidationError):
        step.ok = False  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Step.model_validate({**step.model_dump(), "surprise": 1})
    with pytest.raises(ValueError):
        Trajectory.from_json('{"steps": [{"index": 0}]}')
