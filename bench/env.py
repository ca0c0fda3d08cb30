"""Environment benchmark: reset, step and suite generation+audit, each against a target and an in-run baseline.

Baselines measured in the same run on the same machine:
- reset: rebuilding the task's world from its spec (what the snapshot cache saves);
- step: a JSON round trip of a ~2 KB tool call (the floor of any text protocol) and a SQLModel point read;
- suite: nothing to compare with but the target; the figure is split into generation and audit time.

Usage: ``python bench/env.py [--months 3] [--tasks 200] [--json]`` (``--json``: one JSON object on the last line).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from measure import figure, p50_us  # noqa: E402  (bench/ is the script's folder)

from clawgym.agents.audit import audit_suite
from clawgym.envs.assistant import AssistantEnv
from clawgym.envs.tasks.generate import generate
from clawgym.envs.world_cache import WorldCache
from clawgym.worlds import World
from clawgym.worlds.services.mail import Email


def bench_reset_and_step(months: int) -> dict[str, Any]:
    cache = WorldCache()
    task = next(t for t in generate(8, seed=11, months=months, cache=cache) if t.meta.category == "history")
    env = AssistantEnv(task, cache=cache)
    env.reset()
    t = time.perf_counter()
    World.build(task.world).close()
    rebuild_s = time.perf_counter() - t
    reset_us = p50_us(lambda i: env.reset(seed=i), 50)

    env.reset()
    action = json.dumps({"tool": "mail_search", "args": {"query": "update", "limit": 5}})
    read_us = p50_us(lambda i: env.step(action), 200)
    env.reset()
    write = json.dumps({"tool": "contacts_favorite", "args": {"contact_id": 3, "favorite": True}})
    write_us = p50_us(lambda i: env.step(write), 200)

    blob = {"tool": "mail_send", "args": {"to": ["a@b.co"], "subject": "x" * 100, "body": "lorem ipsum " * 160}}
    json_us = p50_us(lambda i: json.loads(json.dumps(blob)), 2000)
    assert env.world is not None
    engine = create_engine("sqlite://", creator=lambda: env.world.store.conn, poolclass=StaticPool)  # type: ignore[union-attr]
    with Session(engine) as session:
        sqlmodel_us = p50_us(lambda i: (session.get(Email, 1 + i % 500), session.expunge_all()), 2000)
    env.close()
    return {
        "reset": figure(reset_us / 1000, "ms", "<= 10 ms p50", reset_us <= 10_000, {"rebuild_s": rebuild_s},
                        rebuild_s * 1e6 / reset_us, "rebuild time / reset time"),
        "step_read": figure(read_us, "us", "<= 500 us p50", read_us <= 500,
                            {"json_roundtrip_2kb_us": json_us, "sqlmodel_get_us": sqlmodel_us},
                            read_us / (json_us + sqlmodel_us), "step / (JSON round trip + SQLModel point read)"),
        "step_write": figure(write_us, "us", "<= 500 us p50", write_us <= 500,
                             {"json_roundtrip_2kb_us": json_us, "sqlmodel_get_us": sqlmodel_us},
                             write_us / (json_us + sqlmodel_us), "step / (JSON round trip + SQLModel point read)"),
    }


def bench_suite(n: int, months: int) -> dict[str, Any]:
    cache = WorldCache()
    t = time.perf_counter()
    tasks = generate(n, seed=0, months=months, cache=cache)
    gen_s = time.perf_counter() - t
    results = audit_suite(tasks, cache=cache)
    total_s = time.perf_counter() - t
    bad = sum(not r.ok for r in results)
    return {"suite": figure(total_s, "s", f"<= 60 s for {n} tasks", total_s <= 60 and len(tasks) == n,
                            {"generate_s": gen_s, "audit_s": total_s - gen_s, "tasks": len(tasks),
                             "audit_violations": bad}, None, "")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=3, help="history length of the worlds used for reset/step")
    parser.add_argument("--suite-months", type=int, default=2, help="history length of the generated suite's worlds")
    parser.add_argument("--tasks", type=int, default=200, help="suite size for the generation+audit figure")
    parser.add_argument("--json", action="store_true", help="print one JSON object of all figures on the last line")
    opts = parser.parse_args()
    if not opts.json:
        print(f"env benchmark: months={opts.months} tasks={opts.tasks} python={sys.version.split()[0]} cpus={os.cpu_count()}")
    figs = {**bench_reset_and_step(opts.months), **bench_suite(opts.tasks, opts.suite_months)}
    for name, f in figs.items():
        ratio = f" ratio {f['ratio']} ({f['ratio_means']})" if f["ratio"] is not None else ""
        line = f"{name:11s} {f['value']:>10} {f['unit']:3s} target {f['target']:<22s} {'ok' if f['ok'] else 'MISS'}{ratio}  {f['baselines']}"
        print(line, file=sys.stderr if opts.json else sys.stdout)
    if opts.json:
        print(json.dumps({"months": opts.months, "figures": figs}))


if __name__ == "__main__":
    main()
