"""``clawgym tasks generate``, ``audit``, ``run`` and ``score``: suites of tasks, and agents run over them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clawgym.agents.agent import Agent
from clawgym.agents.audit import suite_violations, MUST_FAIL, MUST_PASS, AuditResult, audit_suite
from clawgym.agents.baselines import NoopAgent, OracleAgent, RandomAgent
from clawgym.agents.replay import replay_run
from clawgym.agents.rollout import TRAJECTORIES, read_records, run_suite, summarize
from clawgym.envs.task import TaskSpec, load_suite
from clawgym.envs.tasks.generate import generate
from clawgym.errors import TaskError

tasks_app = typer.Typer(help="Generate task suites.", no_args_is_help=True)
console = Console()


def _progress(quiet: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), disable=quiet, transient=True)


@tasks_app.command("generate")
def tasks_generate(
    n: Annotated[int, typer.Option(min=1, help="how many tasks to keep")] = 24,
    seed: Annotated[int, typer.Option(min=0, help="suite seed: the same seed and split give the same tasks")] = 0,
    out: Annotated[Path, typer.Option(help="directory to write <task-id>.json files into")] = Path("suite"),
    split: Annotated[str, typer.Option(help="train or test: the splits share no world and no draw")] = "train",
    months: Annotated[int, typer.Option(min=1, max=12, help="history length of the tasks' worlds")] = 2,
    surfaces: Annotated[str, typer.Option(help="surfaces tasks may need: api, plus cli (a sandbox) and/or gui "
                                                "(a browser), comma-separated")] = "api",
    as_json: Annotated[bool, typer.Option("--json", help="print the generation report as one JSON object")] = False,
    family_name: Annotated[str, typer.Option("--family", help="assistant (templates) or memory (probes)")]
    = "assistant",
) -> None:
    """Generate tasks over freshly built worlds, audit each, keep those that pass the audit."""
    if split not in ("train", "test"):
        raise typer.BadParameter("must be 'train' or 'test'", param_hint="--split")
    allowed = tuple(s.strip() for s in surfaces.split(",") if s.strip())
    unknown = sorted(set(allowed) - {"api", "cli", "gui"})
    if unknown:
        raise typer.BadParameter(f"unknown surfaces {unknown}; use api, cli, gui", param_hint="--surfaces")
    started = time.perf_counter()
    if family_name == "memory":
        from clawgym.envs.tasks.memory import generate_memory

        tasks = generate_memory(n, seed, split, months=months)  # type: ignore[arg-type]
    elif family_name == "assistant":
        tasks = generate(n, seed, split, months=months, surfaces=allowed)  # type: ignore[arg-type]
    else:
        raise typer.BadParameter(f"no task generator for family {family_name!r}; use assistant or memory",
                                 param_hint="--family")
    generated_s = time.perf_counter() - started
    with _progress(as_json) as bar:
        job = bar.add_task("auditing", total=len(tasks))
        results = audit_suite(tasks, on_task=lambda _r: bar.advance(job))
    kept = [t for t, r in zip(tasks, results) if r.ok]
    dropped = [r for r in results if not r.ok]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    for task in kept:
        task.save(out)
    report = {
        "generated": len(tasks), "kept": len(kept), "dropped": [{"task": r.task_id, "why": r.violations} for r in dropped],
        "by_category": _count(t.meta.category for t in kept), "split": split, "seed": seed,
        "seconds": {"generate": round(generated_s, 3), "total": round(time.perf_counter() - started, 3)},
    }
    (out / "suite.json").write_text(json.dumps(report, indent=1) + "\n")
    if as_json:
        print(json.dumps(report))
        return
    console.print(f"kept {len(kept)} of {len(tasks)} tasks in {out} ({report['seconds']['total']} s)")
    for d in dropped:
        console.print(f"  dropped {d.task_id}: {'; '.join(d.violations)}")


def audit(
    tasks: Annotated[Path, typer.Argument(help="a task suite directory")],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Audit a suite: the oracle must pass every task; no-op, random, answer-stuffing and vandal agents must fail."""
    suite = load_suite(tasks)
    started = time.perf_counter()
    with _progress(as_json) as bar:
        job = bar.add_task("auditing", total=len(suite))
        results = audit_suite(suite, on_task=lambda _r: bar.advance(job))
    bad = [r for r in results if not r.ok]
    suite_problems = suite_violations(results)
    if as_json:
        print(json.dumps({"tasks": len(results), "violations": len(bad), "seconds": round(time.perf_counter() - started, 3),
                          "failed": [{"task": r.task_id, "why": r.violations} for r in bad],
                          "suite_violations": suite_problems}))
    else:
        console.print(_audit_table(results))
        console.print(f"{len(results) - len(bad)} of {len(results)} tasks pass their audit")
        for problem in suite_problems:
            console.print(f"[red]suite[/red] {problem}")
    if bad or suite_problems:
        raise typer.Exit(1)


def _audit_table(results: list[AuditResult]) -> Table:
    table = Table(title="audit")
    agents = list(dict.fromkeys(a for r in results for a in r.passed))
    for col in ("task", "category", *agents, "violations"):
        table.add_column(col)
    for r in results:
        marks = ["pass" if r.passed.get(a) else "fail" if a in r.passed else "-" for a in agents]
        table.add_row(r.task_id, r.category, *marks, "; ".join(r.violations) or "-",
                      style=None if r.ok else "red")
    return table


AGENTS = ("oracle", "noop", "random", "openai")


def _agent_factory(name: str, base_url: str | None, model: str | None, api_key: str | None) -> Callable[[], Agent]:
    if name == "oracle":
        return OracleAgent
    if name == "noop":
        return NoopAgent
    if name == "random":
        return RandomAgent
    if name == "openai":
        from clawgym.agents.openai_agent import OpenAIAgent

        OpenAIAgent(model=model, base_url=base_url, api_key=api_key)  # fail now, not at the first episode
        return lambda: OpenAIAgent(model=model, base_url=base_url, api_key=api_key)
    raise typer.BadParameter(f"unknown agent {name!r}; choose one of {', '.join(AGENTS)}", param_hint="--agent")


def run(
    tasks: Annotated[Path, typer.Option(help="a task suite directory")],
    out: Annotated[Path, typer.Option(help="run directory: trajectories.jsonl and a copy of the tasks")],
    agent: Annotated[str, typer.Option(help="oracle, noop, random or openai")] = "oracle",
    episodes: Annotated[int, typer.Option(min=1, help="episodes per task (for pass@k and pass^k)")] = 1,
    resume: Annotated[bool, typer.Option(help="continue a run in --out, skipping recorded episodes")] = False,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (or OPENAI_BASE_URL)")] = None,
    model: Annotated[str | None, typer.Option(help="model name (or OPENAI_MODEL)")] = None,
    api_key: Annotated[str | None, typer.Option(help="API key (or OPENAI_API_KEY)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as one JSON object")] = False,
) -> None:
    """Run an agent over a task suite; every episode is appended to RUN_DIR/trajectories.jsonl at once."""
    suite = load_suite(tasks)
    make = _agent_factory(agent, base_url, model, api_key)
    if (out / TRAJECTORIES).exists() and not resume:
        raise TaskError(f"{out / TRAJECTORIES} exists: pass --resume to continue that run, or choose another --out")
    with _progress(as_json) as bar:
        job = bar.add_task(f"{agent} on {tasks}", total=len(suite) * episodes)
        if resume and (out / TRAJECTORIES).exists():
            bar.advance(job, len(read_records(out / TRAJECTORIES)))
        records = run_suite(suite, make, out, episodes=episodes, resume=resume, on_episode=lambda _r: bar.advance(job))
    summary = summarize(records)
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    if as_json:
        print(json.dumps(summary))
    else:
        console.print(_summary_table(summary, f"{agent} on {tasks}"))


def _summary_table(summary: dict[str, Any], title: str) -> Table:
    k = summary["k"]
    table = Table(title=title)
    cols = ["category", "tasks", "episodes", "pass@1", *([f"pass@{k}", f"pass^{k}"] if k > 1 else []), "mean score"]
    for col in cols:
        table.add_column(col, justify="right" if col != "category" else "left")

    def row(name: str, s: dict[str, Any], style: str | None = None) -> None:
        at_k = [f"{s[f'pass_at_{k}']:.3f}", f"{s[f'pass_hat_{k}']:.3f}"] if k > 1 else []
        table.add_row(name, str(s["tasks"]), str(s["episodes"]), f"{s['pass_at_1']:.3f}", *at_k,
                      f"{s['mean_score']:.3f}", style=style)

    for cat, s in summary["by_category"].items():
        row(cat, s)
    for cell, s in summary.get("by_cell", {}).items():
        row(f"  {cell}", s)
    row("all", summary, "bold")
    return table


def score(
    run_dir: Annotated[Path, typer.Argument(help="a run directory made by clawgym run")],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    report: Annotated[Path | None, typer.Option(help="write an HTML report with PNG plots here")] = None,
) -> None:
    """Re-verify every episode by replaying its actions on a freshly built world; flag any that differ."""
    path = run_dir / TRAJECTORIES
    if not path.exists():
        raise TaskError(f"{path}: no such file; is {run_dir} a run directory?")
    records = read_records(path)
    with _progress(as_json) as bar:
        job = bar.add_task("replaying", total=len(records))
        replays = replay_run(run_dir, records, on_episode=lambda _r: bar.advance(job))
    summary = summarize([r.record for r in replays])
    summary["mismatches"] = [{"task": r.record.task_id, "episode": r.record.episode, "differs": r.differs}
                             for r in replays if r.differs]
    if report is not None:
        from clawgym.verifiers.report import write_report

        write_report(report, summary, [r.record.score for r in replays])
    if as_json:
        print(json.dumps(summary))
    else:
        console.print(_summary_table(summary, f"replayed {run_dir}"))
        for m in summary["mismatches"]:
            console.print(f"[red]replay differs[/red] {m['task']} episode {m['episode']}: {', '.join(m['differs'])}")
    if summary["mismatches"]:
        raise typer.Exit(1)


def _count(items: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return dict(sorted(counts.items()))


__all__ = ["audit", "run", "score", "tasks_app", "TaskSpec"]
