"""``clawgym world``: build a world, look inside a snapshot, list the operations agents can call.

>>> from typer.testing import CliRunner
>>> result = CliRunner().invoke(app, ["build", "--seed", "3", "--months", "1", "--json"])
>>> sorted(json.loads(result.stdout.splitlines()[-1]))[:3]
['conflicts', 'digest', 'events']
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Table as SATable

from clawgym.errors import WorldError
from clawgym.worlds.family import Family, family, family_names
from clawgym.worlds.injection import summary
from clawgym.worlds.operation import Operation, describe
from clawgym.worlds.spec import WorldSpec
from clawgym.worlds.world import World

app = typer.Typer(help="Build worlds, inspect snapshots, list operations.", no_args_is_help=True)

# Tables declared outside a service module (meta, event log, facts, notifications) show under this name.
CORE = "world"
_CELL = 48  # characters of a record's cell shown before it is cut
_NARROW = 6  # below this many characters a column says nothing: show records one field per line instead


@app.command()
def build(
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same world, byte for byte")] = 0,
    months: Annotated[int, typer.Option(min=1, max=24, help="length of the history window in months")] = 3,
    out: Annotated[Path | None, typer.Option(help="write the world's snapshot bytes to this file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object instead of a table")] = False,
    family_name: Annotated[str, typer.Option("--family", help="the world family: " + ", ".join(family_names()))]
    = "assistant",
) -> None:
    """Build a world with its family's builder and summarize it."""
    fam = _family(family_name)
    started = time.perf_counter()
    world = World.build(WorldSpec(family=fam.name, seed=seed, months=months))
    seconds = time.perf_counter() - started
    if out is not None:
        try:
            out.write_bytes(world.snapshot())
        except OSError as exc:
            raise typer.BadParameter(f"cannot write {out}: {exc.strerror}", param_hint="--out") from None
    counts = summary(world)
    exposed = fam.operations.exposed()
    report = {
        "family": fam.name,
        "seed": seed,
        "months": months,
        "digest": world.digest(),
        "services": fam.operations.apps(),
        "operations": len(exposed),
        "events": counts["events"],
        "conflicts": counts["conflicts"],
        "seconds": round(seconds, 3),
        "out": str(out) if out is not None else None,
    }
    if as_json:
        typer.echo(json.dumps(report))
        return
    table = Table(title=f"{fam.name} world seed={seed} months={months}", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    events = counts["events"]
    rows = [
        ("digest", report["digest"]),
        ("window", f"{world.spec.window_start:%Y-%m-%d} .. {world.spec.window_end:%Y-%m-%d}"),
        ("services", ", ".join(report["services"])),
        ("operations", f"{len(exposed)} agent-facing, {len(fam.operations) - len(exposed)} system"),
        ("events", str(events["total"])),
        ("by round", ", ".join(f"{k}: {v}" for k, v in events["by_round"].items())),
        ("by kind", ", ".join(f"{k}: {v}" for k, v in events["by_kind"].items())),
        ("pending", str(len(world.pending()))),
        ("conflicts", str(counts["conflicts"])),
        ("built in", f"{seconds:.2f} s"),
    ]
    if out is not None:
        rows.append(("snapshot", f"{out} ({out.stat().st_size / 1e6:.1f} MB)"))
    for key, value in rows:
        table.add_row(key, value)
    Console().print(table)


@app.command()
def show(
    path: Annotated[Path, typer.Argument(help="a snapshot file written by `clawgym world build --out`")],
    service: Annotated[str | None, typer.Option(help=f"show this service's records ('{CORE}': the core tables)")] = None,
    limit: Annotated[int, typer.Option(min=1, help="records shown per table")] = 10,
) -> None:
    """Show a snapshot's records: counts per table, or one service's records as tables."""
    world = _open(path)
    tables = service_tables(world.family)
    console = Console()
    if service is None:
        overview = Table(title=f"{path}: seed={world.spec.seed} months={world.spec.months} now={world.iso_now()}")
        for col in ("service", "table", "rows"):
            overview.add_column(col, justify="right" if col == "rows" else "left")
        for name, tabs in tables.items():
            for tab in tabs:
                overview.add_row(name, tab.name, str(world.store.count(tab.name)))
        console.print(overview)
        return
    known = sorted(set(tables) | set(world.operations.apps()))
    if service not in known:
        raise typer.BadParameter(f"unknown service {service!r}; known: {', '.join(known)}", param_hint="--service")
    if not tables.get(service):
        console.print(f"{service} keeps no tables of its own; its records live in the '{CORE}' tables")
        return
    for tab in tables[service]:
        console.print(_records(world, tab, limit, console.width))


@app.command()
def ops(
    service: Annotated[str | None, typer.Option(help="only this service's operations")] = None,
    family_name: Annotated[str, typer.Option("--family", help="the world family: " + ", ".join(family_names()))]
    = "assistant",
) -> None:
    """List a family's operations per service: kind, devices, arguments (`?`: optional) and the agent's manual."""
    registry = _family(family_name).operations
    apps = registry.apps()
    if service is not None and service not in apps:
        raise typer.BadParameter(f"unknown service {service!r}; known: {', '.join(apps)}", param_hint="--service")
    console = Console()
    for name in [service] if service else apps:
        found = [op for op in registry if op.app == name]
        table = Table(title=f"{name}: {len(found)} operations", show_lines=False)
        for col in ("operation", "kind", "devices", "arguments", "description"):
            table.add_column(col, overflow="fold")
        for op in found:
            kind = f"{op.kind} (system)" if op.system else op.kind
            devices = "-" if op.system else ", ".join(op.devices)
            table.add_row(op.name, kind, devices, arguments(op), op.doc.splitlines()[0])
        console.print(table)


def arguments(op: Operation) -> str:
    """An operation's arguments in short form: ``email_id: integer; starred?: boolean or null``."""
    schema = op.args.model_json_schema()
    required = set(schema.get("required", []))
    props = schema.get("properties", {})
    return "; ".join(f"{name}{'' if name in required else '?'}: {describe(prop)}" for name, prop in props.items())


def service_tables(fam: Family) -> dict[str, list[SATable]]:
    """Every table of a family's worlds by the service whose module declared it; core tables under ``world``."""
    prefix = "clawgym.worlds.services."
    found: dict[str, list[SATable]] = {}
    for name in fam.schema.names():
        module = fam.schema.classes[name].__module__
        owner = module[len(prefix):].split(".")[0] if module.startswith(prefix) else CORE
        if owner == CORE and module != "clawgym.worlds.record":
            owner = module.rsplit(".", 1)[-1]  # another family's own service modules
        found.setdefault(owner, []).append(fam.schema.table(name))
    return {name: sorted(tabs, key=lambda t: t.name) for name, tabs in sorted(found.items())}


def _family(name: str) -> Family:
    try:
        return family(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--family") from None


def _open(path: Path) -> World:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorldError(f"cannot read snapshot {path}: {exc.strerror}") from None
    try:
        return World.restore(data)
    except sqlite3.DatabaseError as exc:
        # A SQLite file that is truncated or is some other program's database.
        raise WorldError(f"{path} is not a clawgym world snapshot ({exc})") from None


def _records(world: World, tab: SATable, limit: int, width: int) -> Table:
    """Up to ``limit`` records as one table, each column cut to fit ``width``; one row per field if too narrow."""
    total = world.store.count(tab.name)
    rows = world.store.select(tab.name, limit=limit)
    columns = [c.name for c in tab.columns]
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    title = f"{tab.name} ({len(rows)} of {total})"
    natural = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    room = width - 3 * len(columns) - 1  # borders and padding
    cap = max(natural, default=0)
    while cap > _NARROW and sum(min(w, cap) for w in natural) > room:
        cap -= 1
    if sum(min(w, cap) for w in natural) > room:
        # Too many columns for the terminal: one line per field instead, records side by side.
        table = Table(title=title)
        table.add_column("field", style="bold", no_wrap=True)
        for row in rows:
            table.add_column(f"#{row.get('id', '')}", overflow="ellipsis", no_wrap=True)
        for i, col in enumerate(columns):
            table.add_row(col, *(r[i] for r in cells))
        return table
    table = Table(title=title)
    for col, w in zip(columns, natural):
        table.add_column(col, overflow="ellipsis", no_wrap=True, width=min(w, cap))
    for r in cells:
        table.add_row(*r)
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value)
    text = " ".join(text.split())
    return text if len(text) <= _CELL else text[: _CELL - 1] + "…"
