"""World engine benchmark: build, restore, operation latency and memory, each against a target and a baseline.

Every baseline is measured in the same run on the same machine, so ratios stay meaningful across machines:
- build: writing the finished world's rows straight into a fresh SQLite database (the floor of any build);
- restore: rebuilding the world from its spec (what a snapshot saves) and a bare ``sqlite3`` deserialize;
- operations: a raw ``sqlite3`` statement and SQLModel ``session.get`` on the same database;
- memory: the snapshot's size, and the RSS growth of a bare ``sqlite3`` deserialize of it.

Usage: ``python bench/world.py [--months 3] [--json]`` (``--json`` prints one JSON object on the last line).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from measure import figure, p50_us  # noqa: E402  (bench/ is the script's folder)

from clawgym.errors import OperationError
from clawgym.worlds import World, WorldSpec, family
from clawgym.worlds.operation import example_args
from clawgym.worlds.database import copy_rows, open_store
from clawgym.worlds.services.mail import Email

SEED = 1


def bench_build(months: int) -> tuple[dict[str, Any], World, float]:
    spec = WorldSpec(seed=SEED, months=months)
    # The first build in a process also pays one-time costs (text pool, DDL, statement caches); a trainer
    # builds many worlds per process, so the figure is the median of three warm builds, and cold is shown.
    t = time.perf_counter()
    world = World.build(spec)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(3):
        world.close()
        t = time.perf_counter()
        world = World.build(spec)
        warm.append(time.perf_counter() - t)
    seconds = statistics.median(warm)
    t = time.perf_counter()
    copy_rows(world.store, open_store(None, world.store.schema, create=True))
    floor = time.perf_counter() - t
    events = world.store.scalar("SELECT COUNT(*) FROM event_log")
    figs = {
        "build_seconds": figure(seconds, "s", "<= 2 s (3 months)", seconds <= 2.0,
                                {"raw_row_copy_s": floor, "cold_first_build_s": cold},
                                seconds / floor, "build time (warm median of 3) / time to write the same rows raw"),
        "build_events": figure(events, "events", ">= 20000 (3 months)", events >= 20000,
                               {"events_per_second": events / seconds}, None, ""),
    }
    return figs, world, seconds


def bench_restore(world: World, rebuild_s: float) -> dict[str, Any]:
    import sqlite3

    snap = world.snapshot()
    restore_us = p50_us(lambda i: World.restore(snap).close(), 60)

    def raw(i: int) -> None:
        conn = sqlite3.connect(":memory:")
        conn.deserialize(snap)
        conn.close()

    raw_us = p50_us(raw, 60)
    speedup = rebuild_s * 1e6 / restore_us
    return {
        "restore_ms_p50": figure(restore_us / 1000, "ms", "<= 5 ms", restore_us <= 5000,
                                 {"sqlite3_deserialize_ms": raw_us / 1000}, restore_us / raw_us,
                                 "restore / bare sqlite3 deserialize"),
        "rebuild_over_restore": figure(speedup, "x", ">= 200x", speedup >= 200,
                                       {"rebuild_s": rebuild_s, "snapshot_mb": len(snap) / 1e6}, speedup,
                                       "rebuild time / restore p50"),
    }


def bench_ops(world: World) -> dict[str, Any]:
    conn = world.store.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM email ORDER BY id")]
    rng = random.Random(0)
    pick = [rng.choice(ids) for _ in range(4096)]
    n = 2000

    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
    session = Session(engine)
    raw_read = p50_us(lambda i: conn.execute("SELECT * FROM email WHERE id = ?", (pick[i],)).fetchone(), n)
    orm_read = p50_us(lambda i: session.get(Email, pick[i], populate_existing=True), n)

    def orm_write(i: int) -> None:
        row = session.get(Email, pick[i], populate_existing=True)
        assert row is not None
        row.starred = bool(i % 2)
        session.commit()

    raw_write = p50_us(lambda i: conn.execute("UPDATE email SET starred = ? WHERE id = ?", (i % 2, pick[i])), n)
    orm_write_us = p50_us(orm_write, n)
    session.close()

    figs: dict[str, Any] = {}

    def read(name: str, args: Callable[[int], dict[str, Any]], same_sql: tuple[str, tuple[Any, ...]] | None = None) -> None:
        us = p50_us(lambda i: world.call(name, args(i)), n)
        base = {"sqlite3_point_read_us": raw_read, "sqlmodel_session_get_us": orm_read}
        ratio, means = us / raw_read, "operation / raw sqlite3 point read"
        if same_sql is not None:
            # A search is not a point read: its fair floor is its own SQL run raw.
            base["same_query_raw_sqlite3_us"] = p50_us(lambda i: conn.execute(*same_sql).fetchall(), n)
            ratio, means = us / base["same_query_raw_sqlite3_us"], "operation / its own query run raw"
        figs[f"read_us_p50[{name}]"] = figure(us, "us", "<= 150 us", us <= 150, base, ratio, means)

    def write(name: str, args: Callable[[int], dict[str, Any]]) -> None:
        us = p50_us(lambda i: world.call(name, args(i)), n)
        figs[f"write_us_p50[{name}]"] = figure(us, "us", "<= 300 us", us <= 300,
                                               {"sqlite3_update_us": raw_write, "sqlmodel_get_set_commit_us": orm_write_us},
                                               us / raw_write, "operation / raw sqlite3 update")

    read("mail.read", lambda i: {"email_id": pick[i]})
    like = "%an%"
    read("contacts.search", lambda i: {"query": "an"},
         ("SELECT * FROM contact WHERE LOWER(name) LIKE ? OR LOWER(email) LIKE ? OR phone LIKE ? OR LOWER(company) "
          "LIKE ? OR LOWER(role) LIKE ? ORDER BY name LIMIT ?", (like, like, like, like, like, 20)))
    write("mail.mark", lambda i: {"email_id": pick[i], "starred": bool(i % 2)})
    # One read and one write of the bank and calendar services, where they exist: their examples, each call
    # undone afterwards (money moved twice thousands of times would run out), so every sample sees the same world.
    for app in ("bank", "calendar"):
        for kind, base, target in (("read", {"sqlite3_point_read_us": raw_read}, 150),
                                   ("write", {"sqlite3_update_us": raw_write}, 300)):
            found = _first_working(world, app, kind)
            if found is None:
                continue
            name, args = found
            us = p50_undone_us(world, name, args, 500)
            raw = next(iter(base.values()))
            figs[f"{kind}_us_p50[{name}]"] = figure(us, "us", f"<= {target} us", us <= target, base, us / raw,
                                                    f"operation (example args, undone after each call) / raw sqlite3 "
                                                    f"{'point read' if kind == 'read' else 'update'}")
    return figs


class _Undo(Exception):
    """Raised inside a savepoint to roll a measured call back."""


def p50_undone_us(world: World, name: str, args: dict[str, Any], n: int) -> float:
    """Median time of ``world.call(name, args)`` in microseconds, each call rolled back after it is timed."""
    samples = []
    for i in range(n + 20):
        try:
            with world.store.savepoint():
                t = time.perf_counter_ns()
                world.call(name, args)
                samples.append(time.perf_counter_ns() - t)
                raise _Undo
        except _Undo:
            pass
    return statistics.median(samples[20:]) / 1000


# What an assistant does most with money and time; any other operation of the app stands in if these are gone.
PREFERRED = ["bank.list_transactions", "bank.transfer", "bank.send_money", "calendar.list_events",
             "calendar.create_event"]


def _first_working(world: World, app: str, kind: str) -> tuple[str, dict[str, Any]] | None:
    """The preferred (else the first) agent-facing ``kind`` operation of ``app`` whose example succeeds here."""
    ops = [op for op in family("assistant").operations.exposed([app]) if op.kind == kind]
    ops.sort(key=lambda op: PREFERRED.index(op.name) if op.name in PREFERRED else len(PREFERRED))
    for op in ops:
        try:
            args = example_args(op, world)
            with world.store.savepoint():
                world.call(op.name, args)
                raise _Undo
        except _Undo:
            return op.name, args
        except (OperationError, LookupError):
            continue
    return None


_RSS = """
import sys, sqlite3
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) * 1024
from clawgym.worlds import World
import clawgym.worlds.services
data = open(sys.argv[1], 'rb').read()
before = rss()
if sys.argv[2] == 'world':
    w = World.restore(data)
    w.store.count('email')
else:
    c = sqlite3.connect(':memory:'); c.deserialize(data); c.execute('SELECT COUNT(*) FROM email').fetchone()
print(rss() - before)
"""


def bench_memory(world: World) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".db") as f:
        snap = world.snapshot()
        f.write(snap)
        f.flush()

        def growth(mode: str) -> float:
            out = subprocess.run([sys.executable, "-c", _RSS, f.name, mode], capture_output=True, text=True, check=True)
            return int(out.stdout.strip()) / 1e6

        mb, raw_mb = growth("world"), growth("raw")
    return {
        "restored_world_mb": figure(mb, "MB", "<= 50 MB", mb <= 50,
                                    {"snapshot_mb": len(snap) / 1e6, "sqlite3_deserialize_rss_mb": raw_mb},
                                    mb / (len(snap) / 1e6),
                                    "RSS growth of World.restore in a fresh subprocess (/proc VmRSS) / snapshot size"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object of all figures on the last line")
    opts = parser.parse_args()

    figs, world, build_s = bench_build(opts.months)
    figs |= bench_restore(world, build_s)
    figs |= bench_memory(world)
    figs |= bench_ops(world)
    if not opts.json:
        print(f"world benchmark: seed={SEED} months={opts.months} python={sys.version.split()[0]} cpus={os.cpu_count()}")
    for name, f in figs.items():
        base = ", ".join(f"{k}={v}" for k, v in f["baselines"].items())
        ratio = f" ratio={f['ratio']} ({f['ratio_means']})" if f["ratio"] is not None else ""
        line = f"{'ok  ' if f['ok'] else 'MISS'} {name}: {f['value']} {f['unit']} (target {f['target']}); {base};{ratio}"
        print(line, file=sys.stderr if opts.json else sys.stdout)
    if opts.json:
        print(json.dumps({"seed": SEED, "months": opts.months, "figures": figs}))


if __name__ == "__main__":
    main()
