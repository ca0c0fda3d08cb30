"""GUI tests drive a real headless Chromium; without one they skip locally and FAIL under CI=true."""

from __future__ import annotations

import os

import pytest
from clawgym.envs.gui.driver import CHROMIUM, browser_available


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def chromium() -> None:
    """Every test here needs Chromium and Playwright: fail in CI when either is missing, else skip."""
    problem = ""
    try:
        import playwright  # noqa: F401
    except ImportError:
        problem = "playwright is not installed (pip install -e '.[dev]')"
    if not problem and not browser_available():
        problem = f"no Chromium at {CHROMIUM} (bash scripts/setup-browser.sh)"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"gui test needs a browser under CI: {problem}")
        pytest.skip(problem)
