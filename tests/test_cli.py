"""The ``clawgym`` command: world build/show/ops, and user errors as messages with exit code 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clawgym.cli import app
from clawgym.worlds import World

WIDE = {"COLUMNS": "200"}  # rich wraps to the terminal; keep names on one line for the assertions


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def seed3_digest() -> str:
    return World.build(seed=3, months=1).digest()


@pytest.fixture(scope="module")
def snapshot_file(tmp_path_factory: pytest.TempPathFactory, runner: CliRunner) -> Path:
    path = tmp_path_factory.mktemp("cli") / "world.db"
    result = runner.invoke(app, ["world", "build", "--seed", "3", "--months", "1", "--out", str(path)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "digest" in result.stdout and "conflicts" in result.stdout
    return path


def test_build_json_prints_one_object_with_the_summary(runner: CliRunner, seed3_digest: str) -> None:
    result = runner.invoke(app, ["world", "build", "--seed", "3", "--months", "1", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"digest", "services", "operations", "events", "conflicts", "seconds"} <= set(report)
    assert report["digest"] == seed3_digest
    assert {"mail", "contacts"} <= set(report["services"]) and report["operations"] > 0
    assert set(report["events"]) == {"by_round", "by_kind", "total"}
    assert sum(report["events"]["by_kind"].values()) == report["events"]["total"]
    assert report["conflicts"] >= 1 and report["seconds"] > 0


def test_out_writes_a_snapshot_that_restores_to_the_same_world(snapshot_file: Path, seed3_digest: str) -> None:
    assert World.restore(snapshot_file.read_bytes()).digest() == seed3_digest


def test_show_service_prints_its_records_as_a_table(runner: CliRunner, snapshot_file: Path) -> None:
    result = runner.invoke(app, ["world", "show", str(snapshot_file), "--service", "mail", "--limit", "3"], env=WIDE)
    assert result.exit_code == 0, result.output
    world = World.restore(snapshot_file.read_bytes())
    assert f"email (3 of {world.store.count('email')})" in result.stdout
    first = world.store.select("email", limit=1)[0]
    assert first["at"][:10] in result.stdout and "sender" in result.stdout


def test_show_without_service_counts_rows_per_table(runner: CliRunner, snapshot_file: Path) -> None:
    result = runner.invoke(app, ["world", "show", str(snapshot_file)], env=WIDE)
    assert result.exit_code == 0, result.output
    for name in ("email", "contact", "event_log", "fact"):
        assert name in result.stdout


def test_ops_lists_a_service_operations_with_arguments(runner: CliRunner) -> None:
    result = runner.invoke(app, ["world", "ops", "--service", "mail"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "mail.send" in result.stdout and "mail.receive" in result.stdout
    assert "email_id: integer" in result.stdout and "contacts." not in result.stdout


@pytest.mark.parametrize("command", [["world", "show", "{snap}", "--service", "nope"], ["world", "ops", "--service", "nope"]])
def test_unknown_service_exits_2_listing_the_known_ones(runner: CliRunner, snapshot_file: Path, command: list[str]) -> None:
    result = runner.invoke(app, [c.format(snap=snapshot_file) for c in command], env=WIDE)
    assert result.exit_code == 2
    assert "unknown service 'nope'" in result.output and "mail" in result.output
    assert "Traceback" not in result.output


def test_missing_or_invalid_snapshot_is_a_clear_error(runner: CliRunner, tmp_path: Path,
                                                      snapshot_file: Path) -> None:
    missing = runner.invoke(app, ["world", "show", str(tmp_path / "absent.db")], env=WIDE)
    assert missing.exit_code == 2 and "cannot read snapshot" in missing.output
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a world at all")
    invalid = runner.invoke(app, ["world", "show", str(junk)], env=WIDE)
    assert invalid.exit_code == 2 and "not a world snapshot" in invalid.output
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(snapshot_file.read_bytes()[:5000])
    cut = runner.invoke(app, ["world", "show", str(truncated)], env=WIDE)
    assert cut.exit_code == 2 and "snapshot" in cut.output
    for result in (missing, invalid, cut):
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output


def test_bad_option_values_are_usage_errors(runner: CliRunner) -> None:
    result = runner.invoke(app, ["world", "build", "--months", "0"], env=WIDE)
    assert result.exit_code == 2 and "--months" in result.output


def test_console_script_runs(tmp_path: Path) -> None:
    exe = shutil.which("clawgym")
    assert exe is not None, "the clawgym console script is installed"
    out = subprocess.run([exe, "world", "ops", "--service", "contacts"], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "200"})
    assert out.returncode == 0, out.stderr
    assert "contacts.search" in out.stdout
