"""A small generated suite, built once per test session (one 2-month world, every category)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clawgym.envs.task import TaskSpec
from clawgym.envs.tasks.generate import generate


@pytest.fixture(scope="session")
def suite() -> list[TaskSpec]:
    return generate(24, seed=0, split="train", months=2)


@pytest.fixture(scope="session")
def suite_dir(suite: list[TaskSpec], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("suite")
    for task in suite:
        task.save(root)
    return root
