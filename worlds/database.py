"""Databases for worlds: open a URL with a family's schema, serialize and restore snapshots, copy rows.

A snapshot is always a SQLite database image: ``sqlite3`` serializes an in-memory database in well under a
millisecond, and any other database (a file, PostgreSQL) is copied through an in-memory SQLite one.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from clawgym.worlds.schema import Schema
from clawgym.worlds.store import Store
from sqlalchemy import create_engine

from clawgym.errors import WorldError


def _sqlite_connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=MEMORY" if path == ":memory:" else "PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF" if path == ":memory:" else "PRAGMA synchronous=NORMAL")
    return conn


def _sqlite_path(url: str | None) -> str | None:
    """The file path of a SQLite URL (':memory:' for memory), or None for other databases."""
    if url is None or url in ("sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") :]
    return None


def open_store(url: str | None, schema: Schema, *, create: bool) -> Store:
    """A store on a fresh in-memory SQLite database (default) or on the database at ``url``."""
    path = _sqlite_path(url)
    if path is not None:
        conn = _sqlite_connect(path)
        if create:
            existing = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if existing:
                raise WorldError(f"database {url} already holds tables; build into an empty database")
            conn.executescript(";\n".join(schema.sqlite_ddl))
        return Store(conn, schema)
    assert url is not None
    engine = create_engine(url)
    raw: Any = engine.raw_connection()
    dbapi = raw.driver_connection
    if hasattr(dbapi, "autocommit"):
        dbapi.autocommit = True
    conn = _CursorConnection(dbapi)
    if create:
        for table in reversed(schema.in_dependency_order):
            conn.execute(f'DROP TABLE IF EXISTS "{table.name}"')
        for statement in schema.ddl(engine.dialect):
            conn.execute(statement)
    return Store(conn, schema, paramstyle=engine.dialect.paramstyle)


def snapshot_store(store: Store) -> bytes:
    """The store's database as SQLite bytes."""
    conn = store.conn
    if isinstance(conn, sqlite3.Connection):
        return conn.serialize()
    mem = open_store(None, store.schema, create=True)
    copy_rows(store, mem)
    return mem.conn.serialize()  # type: ignore[no-any-return]


def deserialize(data: bytes) -> sqlite3.Connection:
    """An in-memory SQLite connection holding snapshot bytes; anything else raises WorldError."""
    if not isinstance(data, (bytes, bytearray, memoryview)) or not bytes(data[:16]).startswith(b"SQLite format 3"):
        raise WorldError("not a world snapshot: expected the bytes of World.snapshot()")
    if bytes(data[18:20]) == b"\x02\x02":
        # The image of a WAL-mode file database; in memory there is no WAL, so read it as rollback-journal.
        data = bytes(data[:18]) + b"\x01\x01" + bytes(data[20:])
    conn = _sqlite_connect(":memory:")
    conn.deserialize(data)
    return conn


def place(conn: sqlite3.Connection, schema: Schema, url: str | None) -> Store:
    """A store for a deserialized snapshot: itself in memory, or its rows copied into the database at ``url``."""
    mem = Store(conn, schema)
    if _sqlite_path(url) == ":memory:":
        return mem
    target = open_store(url, schema, create=True)
    copy_rows(mem, target)
    conn.close()
    return target


def copy_rows(src: Store, dst: Store) -> None:
    """Copy every table's rows from one store to another with the same schema."""
    for table in src.schema.in_dependency_order:  # parents first: other databases enforce foreign keys
        name = table.name
        rows = src.dump(name)
        if not rows:
            continue
        shape = src.schema.shape(name)
        if dst._ph != "?":  # rows come in SQLite's stored form; other databases want real booleans and JSON text
            fixes = [(i, c in shape.json_cols) for i, c in enumerate(shape.columns)
                     if c in shape.json_cols or c in shape.bool_cols]
            rows = [_for_driver(r, fixes) for r in rows]
        cols = ", ".join(f'"{c}"' for c in shape.columns)
        marks = ", ".join([dst._ph] * len(shape.columns))
        dst.conn.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", [tuple(r) for r in rows])


def _for_driver(row: tuple[Any, ...], fixes: list[tuple[int, bool]]) -> tuple[Any, ...]:
    values = list(row)
    for i, is_json in fixes:
        if values[i] is not None:
            values[i] = str(values[i]) if is_json else bool(values[i])
    return tuple(values)


class _CursorConnection:
    """Gives a DB-API connection without ``execute`` (psycopg2) the sqlite3-style shortcut the store uses."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Any = ()) -> Any:
        cur = self._conn.cursor()
        cur.execute(sql, params)
        return cur

    def executemany(self, sql: str, rows: Any) -> Any:
        cur = self._conn.cursor()
        cur.executemany(sql, rows)
        return cur

    def close(self) -> None:
        self._conn.close()
