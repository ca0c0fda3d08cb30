"""Packaging: the wheel holds every subpackage under ``clawgym``, and nothing at top level but ``clawgym``."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ["worlds", "verifiers", "envs", "agents"]
REQUIRED = ["clawgym", "clawgym.worlds", "clawgym.worlds.services", "clawgym.verifiers", "clawgym.envs", "clawgym.agents"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """A wheel built from a copy of the sources (the build's scratch folders never land in the repo)."""
    src = tmp_path_factory.mktemp("src")
    for name in ["pyproject.toml", "setup.py", "README.md", "LICENSE"]:
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    for folder in ["clawgym", *FOLDERS]:
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-cache-dir", "-q",
         "-w", str(out), str(src)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = out.glob("clawgym-*.whl")
    return zipfile.ZipFile(path)


def _packages(wheel: zipfile.ZipFile) -> set[str]:
    return {name.rsplit("/", 1)[0].replace("/", ".") for name in wheel.namelist() if name.endswith("/__init__.py")}


def test_wheel_holds_every_subpackage_under_clawgym(wheel: zipfile.ZipFile) -> None:
    packages = _packages(wheel)
    assert set(REQUIRED) <= packages, sorted(set(REQUIRED) - packages)
    # Every folder with an __init__.py in the source tree made it into the wheel (nothing dropped by a hand list).
    for folder in FOLDERS:
        for init in (ROOT / folder).rglob("__init__.py"):
            if "__pycache__" not in init.parts:
                rel = init.parent.relative_to(ROOT).as_posix().replace("/", ".")
                assert f"clawgym.{rel}" in packages
    assert "clawgym/py.typed" in wheel.namelist()
    assert "clawgym/worlds/services/mail.py" in wheel.namelist()


def test_wheel_installs_nothing_at_top_level_but_clawgym(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/", 1)[0] for name in wheel.namelist() if not name.split("/", 1)[0].endswith(".dist-info")}
    assert tops == {"clawgym"}
    assert not tops & {"agents", "envs", "worlds", "verifiers", "tests", "bench"}


def test_wheel_declares_the_clawgym_console_script(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "clawgym = clawgym.cli:app" in wheel.read(entry_points).decode()


def test_installed_environment_has_no_top_level_project_folders(tmp_path: Path) -> None:
    # Run from elsewhere: the repo root on sys.path (as `python -m pytest` puts it) would hide the question.
    code = (
        "import importlib.util, json\n"
        f"print(json.dumps({{n: getattr(importlib.util.find_spec(n), 'origin', None) for n in {FOLDERS!r}}}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=True)
    origins = json.loads(out.stdout)
    mine = {name: origin for name, origin in origins.items() if origin and Path(origin).is_relative_to(ROOT)}
    assert mine == {}


def test_installed_subpackages_resolve_to_the_project_folders() -> None:
    for folder in FOLDERS:
        spec = importlib.util.find_spec(f"clawgym.{folder}")
        assert spec is not None and spec.origin is not None
        assert Path(spec.origin).parent == ROOT / folder
    scripts = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="console_scripts")}
    assert scripts.get("clawgym") == "clawgym.cli:app"
