"""Row storage for a world: SQLModel declares the tables, this executes SQL built once per shape.

Operations run thousands of times per world build, so they bypass the ORM session (measured ~69 us a row
for SQLModel ``add_all`` against ~1 us for a prepared DB-API statement) while the schema stays declared
once, as SQLModel classes. Rows travel as plain dicts; JSON and boolean columns are converted here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from clawgym.worlds.schema import Schema, Shape
from sqlmodel import SQLModel

from clawgym.errors import NotFound

Row = dict[str, Any]
TableRef = type[SQLModel] | str


class Store:
    """CRUD over one DB-API connection; every statement parameterized, every SQL string cached."""

    def __init__(self, conn: Any, schema: Schema, paramstyle: str = "qmark") -> None:
        self.conn = conn
        self.schema = schema
        self.shape = schema.shape  # by table name or class; a table outside the world's family raises ValueError
        self._ph = "?" if paramstyle == "qmark" else "%s"
        self._sql: dict[tuple[Any, ...], str] = {}
        self._inserts: dict[tuple[Any, ...], tuple[str, tuple[int, ...]]] = {}
        self._next_id: dict[str, int] = {}
        self._sp_depth = 0
        # Provenance stamped on every new record: the event applying, or the agent's step.
        self.origin = ""

    # -- writing ---------------------------------------------------------------------------
    def insert(self, ref: TableRef, values: Mapping[str, Any]) -> int:
        """Insert one row and return its id (allocated here, so ids never depend on the driver)."""
        shape = self.shape(ref)
        row = {**shape.default_map, **values} if shape.default_map else dict(values)
        if "id" in shape.columns and row.get("id") is None:
            row["id"] = self._allocate(shape.name)
        if shape.has_origin and not row.get("origin"):
            row["origin"] = self.origin
        cols = tuple(row)
        key = ("insert", shape.name, cols)
        prepared = self._inserts.get(key)
        if prepared is None:
            unknown = set(cols) - set(shape.columns)
            if unknown:
                raise ValueError(f"table {shape.name} has no columns {sorted(unknown)}")
            sql = f"INSERT INTO {shape.name} ({_cols(cols)}) VALUES ({', '.join([self._ph] * len(cols))})"
            prepared = self._inserts[key] = (sql, tuple(i for i, c in enumerate(cols) if c in shape.json_cols))
        sql, json_at = prepared
        params = list(row.values())
        for i in json_at:
            if params[i] is not None:
                params[i] = _dumps(params[i])
        self.conn.execute(sql, params)
        return int(row.get("id") or 0)

    def insert_many(self, ref: TableRef, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows sharing one set of columns, in one statement execution (bulk paths matter)."""
        if not rows:
            return
        shape = self.shape(ref)
        cols = ("id", *rows[0].keys()) if "id" not in rows[0] else tuple(rows[0])
        sql = f"INSERT INTO {shape.name} ({_cols(cols)}) VALUES ({', '.join([self._ph] * len(cols))})"
        json_at = [i for i, c in enumerate(cols) if c in shape.json_cols]
        params = []
        for row in rows:
            full = {"id": self._allocate(shape.name), **row} if "id" not in row else dict(row)
            values = [full[c] for c in cols]
            for i in json_at:
                if values[i] is not None:
                    values[i] = _dumps(values[i])
            params.append(values)
        self.conn.executemany(sql, params)

    def update(self, ref: TableRef, ident: int, values: Mapping[str, Any]) -> None:
        """Set columns of one row; the row must exist (callers fetch it first)."""
        shape = self.shape(ref)
        cols = tuple(values)
        key = ("update", shape.name, cols)
        sql = self._sql.get(key)
        if sql is None:
            sets = ", ".join(f'"{c}" = {self._ph}' for c in cols)
            sql = f"UPDATE {shape.name} SET {sets} WHERE id = {self._ph}"
            self._sql[key] = sql
        self.conn.execute(sql, [*(self._encode(shape, c, values[c]) for c in cols), ident])

    def update_where(self, ref: TableRef, where: Mapping[str, Any], values: Mapping[str, Any]) -> int:
        """Set columns on every row matching equality filters; returns how many rows changed."""
        shape = self.shape(ref)
        sets = ", ".join(f'"{c}" = {self._ph}' for c in values)
        conds = " AND ".join(f'"{c}" = {self._ph}' for c in where)
        params = [self._encode(shape, c, v) for c, v in values.items()]
        params += [self._encode(shape, c, v) for c, v in where.items()]
        cur = self.conn.execute(f"UPDATE {shape.name} SET {sets}" + (f" WHERE {conds}" if conds else ""), params)
        return int(cur.rowcount)

    def delete(self, ref: TableRef, ident: int) -> None:
        """Delete one row by id."""
        shape = self.shape(ref)
        self.conn.execute(f"DELETE FROM {shape.name} WHERE id = {self._ph}", (ident,))

    # -- reading ---------------------------------------------------------------------------
    def get(self, ref: TableRef, ident: int) -> Row | None:
        """One row by id, or None."""
        rows = self.select(ref, {"id": ident}, limit=1)
        return rows[0] if rows else None

    def require(self, ref: TableRef, ident: int, what: str) -> Row:
        """One row by id; a missing id raises NotFound naming ``what`` and the id."""
        row = self.get(ref, ident)
        if row is None:
            raise NotFound(what, ident)
        return row

    def select(
        self,
        ref: TableRef,
        where: Mapping[str, Any] | None = None,
        *,
        order_by: str | None = None,
        desc: bool = False,
        limit: int | None = None,
        contains: Mapping[str, str] | None = None,
    ) -> list[Row]:
        """Rows matching equality filters (``where``) and case-insensitive substrings (``contains``)."""
        shape = self.shape(ref)
        where = where or {}
        contains = contains or {}
        if order_by is None:
            order_by = "id" if "id" in shape.columns else shape.columns[0]
        key = ("select", shape.name, tuple(where), tuple(contains), order_by, desc, limit is not None)
        sql = self._sql.get(key)
        if sql is None:
            for col in (*where, *contains, order_by):
                if col not in shape.columns:
                    raise ValueError(f"table {shape.name} has no column {col!r}")
            conds = [f'"{c}" = {self._ph}' for c in where]
            conds += [f'LOWER("{c}") LIKE {self._ph} ESCAPE \'\\\'' for c in contains]
            sql = f"SELECT * FROM {shape.name}"
            if conds:
                sql += " WHERE " + " AND ".join(conds)
            sql += f' ORDER BY "{order_by}" {"DESC" if desc else "ASC"}' + (", id" if order_by != "id" and "id" in shape.columns else "")
            if limit is not None:
                sql += f" LIMIT {self._ph}"
            self._sql[key] = sql
        params: list[Any] = [self._encode(shape, c, v) for c, v in where.items()]
        params += [f"%{_escape_like(v.lower())}%" for v in contains.values()]
        if limit is not None:
            params.append(limit)
        return self._rows(shape, self.conn.execute(sql, params))

    def count(self, ref: TableRef, where: Mapping[str, Any] | None = None) -> int:
        """How many rows match equality filters."""
        shape = self.shape(ref)
        where = where or {}
        conds = " AND ".join(f'"{c}" = {self._ph}' for c in where)
        sql = f"SELECT COUNT(*) FROM {shape.name}" + (f" WHERE {conds}" if conds else "")
        return int(self.conn.execute(sql, [self._encode(shape, c, v) for c, v in where.items()]).fetchone()[0])

    def query(self, ref: TableRef, sql_where: str, params: Sequence[Any] = ()) -> list[Row]:
        """Rows of one table under a hand-written WHERE/ORDER clause (``?`` placeholders)."""
        shape = self.shape(ref)
        if self._ph != "?":
            sql_where = sql_where.replace("?", self._ph)
        return self._rows(shape, self.conn.execute(f"SELECT * FROM {shape.name} WHERE {sql_where}", list(params)))

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row of a query (aggregates)."""
        if self._ph != "?":
            sql = sql.replace("?", self._ph)
        row = self.conn.execute(sql, list(params)).fetchone()
        return None if row is None else row[0]

    def dump(self, ref: TableRef) -> list[tuple[Any, ...]]:
        """Every row of a table in id order, as SQLite stores it (for digests and copies between databases)."""
        shape = self.shape(ref)
        order = "id" if "id" in shape.columns else shape.columns[0]
        rows = list(self.conn.execute(f"SELECT * FROM {shape.name} ORDER BY {order}"))
        if self._ph == "?" or not (shape.json_cols or shape.bool_cols):
            return rows
        # Other drivers decode JSON and booleans themselves: bring them back to SQLite's stored form, so a
        # world has one digest whatever database holds it.
        fixes = [(i, c in shape.json_cols) for i, c in enumerate(shape.columns) if c in shape.json_cols or c in shape.bool_cols]
        out = []
        for row in rows:
            values = list(row)
            for i, is_json in fixes:
                v = values[i]
                if v is None:
                    continue
                if is_json:
                    values[i] = v if isinstance(v, (int, float)) and not isinstance(v, bool) else _dumps(v)
                else:
                    values[i] = int(v)
            out.append(tuple(values))
        return out

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """All or nothing: an exception inside rolls back every write made inside."""
        self._sp_depth += 1
        name = f"sp{self._sp_depth}"
        saved_ids = dict(self._next_id)
        # SQLite opens a transaction for an outermost SAVEPOINT; other databases in autocommit need BEGIN.
        own = self._sp_depth == 1 and self._ph != "?"
        if own:
            self.conn.execute("BEGIN")
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            if own:
                self.conn.execute("COMMIT")
            self._next_id = saved_ids
            raise
        else:
            self.conn.execute(f"RELEASE {name}")
            if own:
                self.conn.execute("COMMIT")
        finally:
            self._sp_depth -= 1

    # -- internals -------------------------------------------------------------------------
    def _allocate(self, table: str) -> int:
        nxt = self._next_id.get(table)
        if nxt is None:
            top = self.conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0]
            nxt = (top or 0) + 1
        self._next_id[table] = nxt + 1
        return nxt

    def _rows(self, shape: Shape, cursor: Any) -> list[Row]:
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r)) for r in cursor.fetchall()]
        if (shape.json_cols or shape.bool_cols) and self._ph == "?":  # other drivers decode both themselves
            for row in rows:
                for c in shape.json_cols:
                    # SQLite gives a JSON column numeric affinity: a number comes back as itself, not as text.
                    if isinstance(row.get(c), str):
                        row[c] = json.loads(row[c])
                for c in shape.bool_cols:
                    if row.get(c) is not None:
                        row[c] = bool(row[c])
        return rows

    @staticmethod
    def _encode(shape: Shape, col: str, value: Any) -> Any:
        if col in shape.json_cols and value is not None:
            return _dumps(value)
        return value


_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _cols(names: Sequence[str]) -> str:
    # Quoted, since columns may be SQL keywords ("to", "order").
    return ", ".join(f'"{n}"' for n in names)


def _escape_like(text: str) -> str:
    # An agent's search text is literal: its % and _ must not act as wildcards.
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
