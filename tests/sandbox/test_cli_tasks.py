"""CLI tasks: every generated task of category cli passes its audit on both sandbox backends.

The oracle's shell plan passes; the no-op, random, answer-stuffing and vandal agents fail. The audit builds its
envs with the default surface options (``sandbox="auto"``), so the backend is chosen here by what ``auto``
resolves to.
"""

from __future__ import annotations

import functools
import os

import clawgym.envs.sandbox.surface as shell_surface
import pytest
from clawgym.agents.audit import audit_task
from clawgym.envs.task import TaskSpec
from clawgym.envs.tasks.generate import generate, load_templates

BACKENDS = ["local", pytest.param("docker", marks=pytest.mark.docker)]


MULTI_DEVICE = "save_a_phone_only_code_on_the_laptop"


@functools.lru_cache(maxsize=1)
def cli_tasks() -> tuple[TaskSpec, ...]:
    tasks = generate(40, seed=0, months=1, surfaces=("api", "cli"))
    return tuple(t for t in tasks if t.meta.category == "cli")


@functools.lru_cache(maxsize=1)
def multi_device_tasks() -> tuple[TaskSpec, ...]:
    tasks = generate(40, seed=0, months=1, surfaces=("api", "cli", "gui"))
    return tuple(t for t in tasks if t.meta.template == MULTI_DEVICE)


def _need_browser() -> None:
    from clawgym.envs.gui.driver import CHROMIUM, browser_available

    try:
        import playwright  # noqa: F401
    except ImportError:
        problem = "playwright is not installed (pip install -e '.[dev]')"
    else:
        problem = "" if browser_available() else f"no Chromium at {CHROMIUM} (bash scripts/setup-browser.sh)"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"gui test needs a browser under CI: {problem}")
        pytest.skip(problem)


def test_every_cli_template_makes_a_task_with_a_shell_plan() -> None:
    names = {t.name for t in load_templates() if t.category == "cli" and set(t.surfaces) <= {"api", "cli"}}
    tasks = cli_tasks()
    assert len(names) >= 3
    assert {t.meta.template for t in tasks} == names
    for task in tasks:
        assert "cli" in task.surfaces and "laptop" in task.devices
        assert any(step.tool == "shell" for step in task.oracle), task.id


def test_api_only_generation_draws_no_cli_task() -> None:
    assert all(t.meta.category != "cli" for t in generate(12, seed=0, months=1))


@pytest.mark.parametrize("backend", BACKENDS)
def test_audit_passes_on_every_cli_task(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # "auto" -> the backend under test, for the envs the audit makes.
    monkeypatch.setattr(shell_surface, "_docker_answers", lambda: backend == "docker")
    failures = {}
    for task in cli_tasks():
        result = audit_task(task)
        if not result.ok:
            failures[f"{task.id} ({task.meta.template})"] = result.violations
    assert not failures, failures


def test_the_multi_device_task_needs_the_phone_screen_and_the_laptop_shell() -> None:
    tasks = multi_device_tasks()
    assert tasks, "no world of the suite has a lock with a keypad code"
    for task in tasks:
        assert set(task.surfaces) == {"cli", "gui"} and set(task.devices) == {"phone", "laptop"}
        tools = {step.tool for step in task.oracle}
        assert "shell" in tools and "gui_click" in tools


@pytest.mark.gui
@pytest.mark.parametrize("backend", BACKENDS)
def test_audit_passes_on_the_multi_device_task(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _need_browser()
    monkeypatch.setattr(shell_surface, "_docker_answers", lambda: backend == "docker")
    for task in multi_device_tasks():
        result = audit_task(task)
        assert result.ok, (task.id, result.violations)
