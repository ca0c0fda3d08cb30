"""State diffs: the rows a world gained, lost and changed between two moments, table by table, by primary key.

>>> from clawgym.worlds.world import World
>>> start = World.build(seed=1, months=1)
>>> end = World.restore(start.snapshot())
>>> _ = end.call("contacts.add", {"name": "Sam Rivera"})
>>> d = diff(start, end)
>>> [row["name"] for row in d.table("contact").added]
['Sam Rivera']

Fast on large worlds: worlds restored from one snapshot share their SQLite page layout, so only the rows on
pages whose bytes differ are read (``pages.py``); otherwise whole tables are read and compared as tuples.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer

from clawgym.verifiers.pages import changed_rowids
from clawgym.worlds.schema import Schema, Shape
from clawgym.worlds.store import Row, Store
from clawgym.worlds.world import World

_CHUNK = 500  # ids per IN (...) query: well under every SQLite build's variable limit


@dataclass(frozen=True)
class RowChange:
    """One row present in both worlds with different values: ``columns`` names what changed."""

    key: Any
    before: Row
    after: Row
    columns: tuple[str, ...]


@dataclass(frozen=True)
class TableDiff:
    """The differences of one table: rows as dicts (JSON and boolean columns decoded), in key order."""

    table: str
    key: str
    added: tuple[Row, ...] = ()
    removed: tuple[Row, ...] = ()
    changed: tuple[RowChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def __len__(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


@dataclass(frozen=True)
class StateDiff:
    """Differences per table of one family's schema; tables without any are left out."""

    schema: Schema
    tables: dict[str, TableDiff] = field(default_factory=dict)

    def table(self, name: str) -> TableDiff:
        """The diff of one table (empty when it did not change); a table outside the schema raises ValueError."""
        found = self.tables.get(name)
        return found if found is not None else TableDiff(name, _key_of(self.schema, name))

    def __bool__(self) -> bool:
        return bool(self.tables)

    def __iter__(self) -> Iterator[TableDiff]:
        return iter(self.tables.values())

    def summary(self, limit: int = 8) -> str:
        """The diff for people: one line per table, then up to ``limit`` rows per table."""
        if not self.tables:
            return "no differences"
        lines = []
        for td in self:
            lines.append(f"{td.table}: {len(td.added)} added, {len(td.removed)} removed, {len(td.changed)} changed")
            shown = [
                *(f"  + {r[td.key]} {_brief(r)}" for r in td.added),
                *(f"  - {r[td.key]} {_brief(r)}" for r in td.removed),
                *(f"  ~ {c.key} " + ", ".join(f"{col}: {_short(c.before[col])} -> {_short(c.after[col])}"
                                             for col in c.columns) for c in td.changed),
            ]
            lines.extend(shown[:limit])
            if len(shown) > limit:
                lines.append(f"  ... and {len(shown) - limit} more")
        return "\n".join(lines)


def diff(initial: World, final: World, tables: Iterable[str] | None = None,
         ignore_columns: Iterable[str] = ()) -> StateDiff:
    """What changed from ``initial`` to ``final`` in ``tables`` (every table if None).

    ``ignore_columns`` names columns whose changes do not count: ``"read"`` in any table, ``"email.read"`` in one.
    A row whose only changes are in ignored columns is not a changed row.
    """
    schema = final.store.schema
    if initial.store.schema is not schema:
        raise ValueError(f"cannot diff a {initial.family.name} world against a {final.family.name} world")
    names = schema.names() if tables is None else sorted(set(tables))
    for name in names:
        schema.shape(name)  # unknown names raise ValueError listing the known ones
    ignored = _ignored(schema, ignore_columns)
    if initial is final:
        return StateDiff(schema)
    candidates = changed_rowids(initial.store.conn, final.store.conn, source_image(initial), source_image(final))
    found: dict[str, TableDiff] = {}
    for name in names:
        if candidates is not None and name not in candidates:
            continue  # the pages of this table are identical
        if candidates is not None and _rowid_keyed(schema, name):
            ids = sorted(candidates[name])
            key = _key_of(schema, name)
            before, after = _fetch(initial.store, name, key, ids), _fetch(final.store, name, key, ids)
        else:
            before, after = initial.store.dump(name), final.store.dump(name)
        if before != after:
            td = _compare(schema, name, before, after, ignored)
            if td:
                found[name] = td
    return StateDiff(schema, found)


def source_image(world: World) -> bytes | None:
    """The bytes of a world's database when known without serializing it: the snapshot it was restored from,
    as long as nothing has been written since (``World.source``, where the core keeps it), else None."""
    source = getattr(world, "source", None)
    conn = world.store.conn
    if isinstance(source, bytes) and isinstance(conn, sqlite3.Connection) and conn.total_changes == 0:
        return source
    return None


def _ignored(schema: Schema, entries: Iterable[str]) -> dict[str | None, set[str]]:
    """``"col"`` -> {None: {col}}, ``"table.col"`` -> {table: {col}}; unknown names raise ValueError."""
    out: dict[str | None, set[str]] = {}
    every = {c for t in schema.names() for c in schema.shape(t).columns}
    for entry in entries:
        table, _, col = entry.rpartition(".")
        if table:
            columns = schema.shape(table).columns
            if col not in columns:
                raise ValueError(f"table {table} has no column {col!r}; columns: {', '.join(columns)}")
            out.setdefault(table, set()).add(col)
        else:
            if col not in every:
                raise ValueError(f"no table has a column {col!r}")
            out.setdefault(None, set()).add(col)
    return out


def _key_of(schema: Schema, name: str) -> str:
    pk = schema.shape(name).key
    if len(pk) != 1:
        raise ValueError(f"table {name} needs a single-column primary key to be diffed, has {list(pk)}")
    return pk[0]


def _rowid_keyed(schema: Schema, name: str) -> bool:
    # An INTEGER PRIMARY KEY is SQLite's rowid, which is what ``pages`` reads from leaf pages.
    pk = list(schema.table(name).primary_key.columns)
    return len(pk) == 1 and isinstance(pk[0].type, Integer)


def _fetch(store: Store, name: str, key: str, ids: Sequence[int]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows.extend(store.conn.execute(f'SELECT * FROM {name} WHERE "{key}" IN ({marks}) ORDER BY "{key}"', chunk))
    return rows


def _compare(schema: Schema, name: str, before: list[tuple[Any, ...]], after: list[tuple[Any, ...]],
             ignored: dict[str | None, set[str]]) -> TableDiff:
    shape = schema.shape(name)
    cols = shape.columns
    key = _key_of(schema, name)
    k = cols.index(key)
    skip = ignored.get(None, set()) | ignored.get(name, set())
    only_before, only_after = set(before) - set(after), set(after) - set(before)
    old = {r[k]: r for r in only_before}
    new = {r[k]: r for r in only_after}
    changed = []
    for ident in sorted(old.keys() & new.keys()):
        b, a = old[ident], new[ident]
        diffs = tuple(c for i, c in enumerate(cols) if b[i] != a[i] and c not in skip)
        if diffs:
            changed.append(RowChange(ident, _decode(shape, b), _decode(shape, a), diffs))
    return TableDiff(
        table=name,
        key=key,
        added=tuple(_decode(shape, new[i]) for i in sorted(new.keys() - old.keys())),
        removed=tuple(_decode(shape, old[i]) for i in sorted(old.keys() - new.keys())),
        changed=tuple(changed),
    )


def _decode(shape: Shape, values: tuple[Any, ...]) -> Row:
    row = dict(zip(shape.columns, values))
    for c in shape.json_cols:
        if row.get(c) is not None:
            row[c] = json.loads(row[c])
    for c in shape.bool_cols:
        if row.get(c) is not None:
            row[c] = bool(row[c])
    return row


def _brief(row: Row) -> str:
    shown = [f"{c}={_short(v)}" for c, v in row.items() if c not in ("id", "origin") and v not in ("", None, [], {})]
    return ", ".join(shown[:5]) + (", ..." if len(shown) > 5 else "")


def _short(value: Any, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."
