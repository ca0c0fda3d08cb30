"""A family's tables: names, column facts and DDL, collected from the modules that declare them.

SQLModel declares each table once, as a class; which tables a world has is decided by its family, never by
what the process happens to have imported (``SQLModel.metadata`` fills as a side effect of imports).

>>> from clawgym.worlds.family import family
>>> schema = family("assistant").schema
>>> "email" in schema, schema.shape("email").json_cols >= {"to", "cc"}
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any

from sqlalchemy import JSON, Boolean, Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateIndex, CreateTable, sort_tables
from sqlmodel import SQLModel


@dataclass(frozen=True)
class Shape:
    """What the store needs to know about one table."""

    name: str
    columns: tuple[str, ...]
    json_cols: frozenset[str]
    bool_cols: frozenset[str]
    has_origin: bool
    default_map: dict[str, Any]  # scalar column defaults, filled in when an insert omits them
    key: tuple[str, ...]  # primary key columns

    @classmethod
    def of(cls, table: Table) -> Shape:
        cols = tuple(c.name for c in table.columns)
        return cls(
            name=table.name,
            columns=cols,
            json_cols=frozenset(c.name for c in table.columns if isinstance(c.type, JSON)),
            bool_cols=frozenset(c.name for c in table.columns if isinstance(c.type, Boolean)),
            has_origin="origin" in cols,
            default_map={
                c.name: c.default.arg
                for c in table.columns
                if c.default is not None and getattr(c.default, "is_scalar", False)
            },
            key=tuple(c.name for c in table.primary_key.columns),
        )


class Schema:
    """Tables by name, with their shapes; looked up by name or by SQLModel class in one dict access."""

    def __init__(self, tables: Iterable[type[SQLModel]]) -> None:
        self.classes: dict[str, type[SQLModel]] = {}
        self._shapes: dict[Any, Shape] = {}
        for cls in tables:
            table: Table = cls.__table__  # type: ignore[attr-defined]
            if table.name in self.classes and self.classes[table.name] is not cls:
                raise ValueError(f"table {table.name!r} is declared twice")
            self.classes[table.name] = cls
            self._shapes[table.name] = self._shapes[cls] = Shape.of(table)
        self._names = sorted(self.classes)

    @classmethod
    def collect(cls, modules: Iterable[ModuleType]) -> Schema:
        """The SQLModel tables defined in ``modules`` (tables a module only imports are not its own)."""
        return cls(
            value for m in modules for value in vars(m).values()
            if isinstance(value, type) and issubclass(value, SQLModel) and "__table__" in value.__dict__
            and value.__module__ == m.__name__
        )

    def shape(self, ref: Any) -> Shape:
        """The shape of a table given by name or class; a table outside the schema raises ValueError."""
        found = self._shapes.get(ref)
        if found is None:
            name = getattr(ref, "__tablename__", ref)
            raise ValueError(f"no table named {name!r} in these worlds; known: {', '.join(self._names)}")
        return found

    def table(self, name: str) -> Table:
        """The SQLAlchemy table named ``name``."""
        return self.classes[self.shape(name).name].__table__  # type: ignore[attr-defined,no-any-return]

    def names(self) -> list[str]:
        """Table names in sorted order (the order digests and copies use)."""
        return self._names

    def __contains__(self, name: object) -> bool:
        return name in self.classes

    def __iter__(self) -> Iterator[Table]:
        return (self.table(n) for n in self._names)

    @cached_property
    def in_dependency_order(self) -> list[Table]:
        """Tables with every table a foreign key points to before the tables pointing to it (creates, copies)."""
        return list(sort_tables(list(self)))

    @cached_property
    def sqlite_ddl(self) -> list[str]:
        """CREATE statements for every table and index, compiled once for SQLite."""
        return self.ddl(sqlite_dialect.dialect())

    def ddl(self, dialect: Dialect) -> list[str]:
        """CREATE statements for every table and index in ``dialect``."""
        out: list[str] = []
        for table in self.in_dependency_order:
            out.append(str(CreateTable(table).compile(dialect=dialect)))
            out.extend(str(CreateIndex(ix).compile(dialect=dialect))
                       for ix in sorted(table.indexes, key=lambda i: str(i.name)))
        return out
