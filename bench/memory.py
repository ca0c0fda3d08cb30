"""Memory-family benchmark: suite generation and audit, a 150k-token context, reset, and the seam's cost.

Baselines measured in the same run on the same machine:
- suite: building the suite's worlds alone (what generation and audit add on top of them);
- context: generating the scenarios of the task's world (the renderer re-reads them on every reset);
- reset: rebuilding the task's world from its spec (what the snapshot cache saves);
- seam: the assistant env's reset and read step beside a bare ``World.restore`` and operation call, so the
  family seam's routing and the env's bookkeeping show as a ratio.

Usage: ``python bench/memory.py [--scenarios 2000] [--months 12] [--json]`` (``--json``: one JSON object last).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from measure import figure, p50_us  # noqa: E402  (bench/ is the script's folder)

import clawgym
from clawgym.agents.audit import audit_suite, suite_violations
from clawgym.envs.assistant import AssistantEnv
from clawgym.envs.tasks.generate import generate
from clawgym.envs.tasks.memory import generate_memory
from clawgym.envs.world_cache import WorldCache
from clawgym.worlds import World, WorldSpec
from clawgym.worlds.memory.build import scenario_count, scenarios_of
from clawgym.worlds.memory.context import approx_tokens, render_context


def bench_suite(scenarios: int, months: int) -> dict[str, Any]:
    cache = WorldCache(max_items=256)
    per_world = scenario_count(WorldSpec(family="memory", months=months))
    worlds = -(-scenarios // per_world)
    t0 = time.perf_counter()
    probes = sum(len(s.probes) for w in range(worlds)
                 for s in scenarios_of(WorldSpec(family="memory", seed=2 * w, months=months)))
    tasks = generate_memory(probes, seed=0, months=months, cache=cache)
    generate_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    results = audit_suite(tasks, cache=cache)
    audit_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    for w in range(worlds):
        World.build(WorldSpec(family="memory", seed=10_000 + w, months=months)).close()
    build_s = time.perf_counter() - t2
    total = generate_s + audit_s
    bad = sum(not r.ok for r in results) + len(suite_violations(results))
    return figure(total, "s", f"<= 120 s for {scenarios} scenarios", total <= 120 and bad == 0,
                  {"worlds_build_s": build_s, "generate_s": generate_s, "audit_s": audit_s, "scenarios":
                   worlds * per_world, "probes": len(tasks), "audit_violations": bad},
                  total / build_s, "(generate + audit) / building the worlds alone")


def bench_context_and_reset() -> dict[str, Any]:
    cache = WorldCache()
    task = generate_memory(1, seed=3, cache=cache)[0]
    spec = task.world
    scenario = next(s for s in scenarios_of(spec) if s.id == task.presentation["scenario"])
    render_ms = p50_us(lambda i: render_context(scenario.sessions, target_tokens=150_000, depths=0.5, seed=spec.seed,
                                               start=spec.start, months=spec.months), 7) / 1000
    tokens = approx_tokens(render_context(scenario.sessions, target_tokens=150_000, depths=0.5, seed=spec.seed,
                                          start=spec.start, months=spec.months))
    t = time.perf_counter()
    scenarios_of.__wrapped__(spec)  # type: ignore[attr-defined]
    scenarios_ms = (time.perf_counter() - t) * 1000
    env = clawgym.make(task.model_copy(update={"presentation": {**task.presentation, "mode": "tools"}}), cache=cache)
    env.reset()
    t = time.perf_counter()
    World.build(spec).close()
    rebuild_s = time.perf_counter() - t
    reset_us = p50_us(lambda i: env.reset(seed=i), 50)
    env.close()
    return {
        "context_150k": figure(render_ms, "ms", "<= 1000 ms", render_ms <= 1000, {"tokens": tokens,
                               "scenarios_ms": scenarios_ms}, render_ms / max(scenarios_ms, 1e-9),
                               "render / generating the world's scenarios"),
        "reset": figure(reset_us / 1000, "ms", "<= 10 ms p50", reset_us <= 10_000, {"rebuild_s": rebuild_s},
                        rebuild_s * 1e6 / reset_us, "rebuild time / reset time"),
    }


def bench_seam() -> dict[str, Any]:
    cache = WorldCache()
    task = next(t for t in generate(8, seed=11, months=3, cache=cache) if t.meta.category == "history")
    env = AssistantEnv(task, cache=cache)
    env.reset()
    snapshot = cache.snapshot(task.world)
    restore_us = p50_us(lambda i: World.restore(snapshot).close(), 50)
    reset_us = p50_us(lambda i: env.reset(seed=i), 50)
    env.reset()
    action = json.dumps({"tool": "mail_search", "args": {"query": "update", "limit": 5}})
    step_us = p50_us(lambda i: env.step(action), 200)
    world = World.restore(snapshot)
    call_us = p50_us(lambda i: world.call("mail.search", {"query": "update", "limit": 5}), 200)
    env.close()
    return {
        "assistant_reset": figure(reset_us / 1000, "ms", "<= 10 ms p50", reset_us <= 10_000,
                                  {"restore_us": restore_us}, reset_us / restore_us, "env reset / World.restore"),
        "assistant_step": figure(step_us, "us", "<= 500 us p50", step_us <= 500, {"call_us": call_us},
                                 step_us / call_us, "env step / the operation called directly"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=2000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = {"suite": bench_suite(args.scenarios, args.months), **bench_context_and_reset(), **bench_seam()}
    for name, f in figures.items():
        print(f"{name:16} {f['value']:9.3f} {f['unit']:3} target {f['target']:28} {'ok' if f['ok'] else 'MISS'}"
              f"  ratio {f['ratio']:.2f} ({f['ratio_means']})  {f['baselines']}")
    if args.json:
        print(json.dumps({"figures": figures}))


if __name__ == "__main__":
    main()
