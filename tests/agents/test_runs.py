"""Runs, replay scoring, the OpenAI agent through the env, and the command line end to end."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from clawgym.agents.baselines import OracleAgent, RandomAgent, resolve_plan_args
from clawgym.agents.fake_openai import FakeOpenAIServer
from clawgym.agents.openai_agent import OpenAIAgent
from clawgym.agents.record import EpisodeRecord
from clawgym.agents.replay import replay_run
from clawgym.agents.rollout import read_records, run_episode, run_suite, summarize
from clawgym.cli import app
from clawgym.envs.task import TaskSpec
from clawgym.verifiers.trajectory import Trajectory


def test_replay_scoring_reproduces_recorded_verdicts(suite: list[TaskSpec], tmp_path: Path) -> None:
    tasks = suite[:6]
    records = run_suite(tasks, OracleAgent, tmp_path, episodes=1)
    records += run_suite(tasks, lambda: RandomAgent(seed=1), tmp_path / "random", episodes=1)
    replays = replay_run(tmp_path, read_records(tmp_path / "trajectories.jsonl"))
    replays += replay_run(tmp_path / "random", read_records(tmp_path / "random" / "trajectories.jsonl"))
    assert [r.differs for r in replays] == [[]] * len(replays)
    assert [r.record.score for r in replays] == [r.score for r in records]


def test_replay_flags_a_tampered_record(suite: list[TaskSpec], tmp_path: Path) -> None:
    run_suite(suite[:1], OracleAgent, tmp_path)
    path = tmp_path / "trajectories.jsonl"
    record = json.loads(path.read_text())
    record["verdict"]["score"], record["verdict"]["passed"] = 0.0, False
    path.write_text(json.dumps(record) + "\n")
    assert "score" in replay_run(tmp_path, read_records(path))[0].differs


def test_each_episode_is_on_disk_as_soon_as_it_ends_and_resume_skips_it(suite: list[TaskSpec], tmp_path: Path) -> None:
    seen: list[int] = []
    run_suite(suite[:2], OracleAgent, tmp_path,
              on_episode=lambda r: seen.append(len((tmp_path / "trajectories.jsonl").read_text().splitlines())))
    assert seen == [1, 2]
    again = run_suite(suite[:3], OracleAgent, tmp_path, resume=True)
    assert len(again) == 3 and len(read_records(tmp_path / "trajectories.jsonl")) == 3


def test_summary_reports_pass_at_k_and_pass_hat_k() -> None:
    def rec(task: str, category: str, passed: bool) -> EpisodeRecord:
        return EpisodeRecord(task_id=task, category=category, agent="x", trajectory=Trajectory(), passed=passed,
                             score=float(passed))

    recs = [rec("a", "x", p) for p in (True, False)] + [rec("b", "y", True)] * 2
    s = summarize(recs)
    assert s["k"] == 2 and s["pass_at_1"] == 0.75 and s["pass_at_2"] == 1.0 and s["pass_hat_2"] == 0.5
    assert s["by_category"]["x"]["pass_at_1"] == 0.5


def _oracle_script(task: TaskSpec) -> Any:
    """A fake model that answers with the task's reference plan, one tool call per reply."""
    results: list[Any] = []

    def reply(request: dict[str, Any]) -> dict[str, Any]:
        tool_msgs = [m for m in request["messages"] if m["role"] == "tool"]
        if tool_msgs:
            try:
                results.append(json.loads(tool_msgs[-1]["content"].split("\n\n[new notifications")[0]))
            except json.JSONDecodeError:
                results.append(None)
        step = task.oracle[len(tool_msgs)]
        args = resolve_plan_args(step.args, results)
        return {"tool_calls": [{"name": step.tool, "arguments": args}]}

    return reply


def test_openai_agent_completes_a_task_against_a_local_fake_server(suite: list[TaskSpec]) -> None:
    task = next(t for t in suite if t.meta.category == "coordination")
    with FakeOpenAIServer([_oracle_script(task)] * len(task.oracle)) as server:
        agent = OpenAIAgent(model="fake-model", base_url=server.base_url, api_key="test")
        record = run_episode(task, agent)
        first = server.requests[0]
    assert record.passed and record.score == 1.0, record.verdict
    assert first["model"] == "fake-model" and first["messages"][1]["content"].startswith("You are the digital")
    assert {t["function"]["name"] for t in first["tools"]} >= {"notes_create", "finish"}
    assert record.usage is not None and record.usage["calls"] == len(task.oracle)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_cli_generate_run_score_and_audit(tmp_path: Path) -> None:
    cli = CliRunner()
    suite, run = tmp_path / "suite", tmp_path / "run"
    gen = cli.invoke(app, ["tasks", "generate", "--n", "10", "--seed", "2", "--months", "1", "--out", str(suite), "--json"])
    assert gen.exit_code == 0, gen.output
    report = json.loads(gen.stdout.strip().splitlines()[-1])
    assert report["kept"] == len(list(suite.glob("*-*.json"))) >= 8
    res = cli.invoke(app, ["run", "--agent", "oracle", "--tasks", str(suite), "--out", str(run), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert {"episodes", "pass_at_1", "mean_score", "by_category"} <= set(summary)
    assert summary["pass_at_1"] == 1.0 and summary["episodes"] == report["kept"]
    again = cli.invoke(app, ["run", "--agent", "oracle", "--tasks", str(suite), "--out", str(run)])
    assert again.exit_code == 2 and "--resume" in again.output
    html = tmp_path / "report.html"
    score = cli.invoke(app, ["score", str(run), "--json", "--report", str(html)])
    assert score.exit_code == 0, score.output
    assert json.loads(score.stdout.strip().splitlines()[-1])["mismatches"] == []
    assert "<img" in html.read_text()
    assert all(w > 100 and h > 100 for w, h in (_png_size(p) for p in tmp_path.glob("report-*.png")))
    audit = cli.invoke(app, ["audit", str(suite)])
    assert audit.exit_code == 0, audit.output
    bad = cli.invoke(app, ["run", "--agent", "nobody", "--tasks", str(suite), "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2
