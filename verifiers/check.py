"""Checks as data: what a task requires of the final world, of the agent's calls and of its answer.

Each check is a pydantic model tagged by ``type``, named by a sentence saying what it checks, and placed in a
tier (``essential`` or ``additional``, see ``verdict.py``). ``inaction_passes`` is filled in by
``verifier.labels``, never by an author: whether an agent that does nothing would pass the check.

- state of the final world: ``exists``, ``absent``, ``count``, ``equals`` over a table and a filter (``where.py``),
  optionally only over rows new since the initial world (``new_only``);
- collateral damage: ``unchanged``, every row added, removed or changed must be allowed;
- the trajectory: ``called``, ``not_called``, ``before`` (successful calls only);
- the final answer: ``answer`` with a matcher (``answer.py``).

>>> from clawgym.worlds.family import family
>>> check = parse_checks([{"type": "exists", "name": "a mail to Bob is sent", "table": "email",
...                        "where": {"folder": "sent", "to": {"contains": "bob@example.com"}}, "new_only": True}],
...                      family("assistant"))[0]
>>> check.tier
'essential'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from clawgym.verifiers.answer import Matcher
from clawgym.verifiers.context import Context, _Check
from clawgym.verifiers.probe import ProbeCheck
from clawgym.verifiers.trajectory import PSEUDO_TOOLS
from clawgym.verifiers.where import matches, problems
from clawgym.worlds.family import Family
from clawgym.worlds.store import Row
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from clawgym.errors import TaskError

# -- state of the final world -------------------------------------------------------------------

class _StateCheck(_Check):
    table: str
    where: dict[str, Any] = Field(default_factory=dict)
    new_only: bool = False

    def problems(self, family: Family) -> list[str]:
        return _where_problems(family, self.table, self.where, "where")

    def _rows(self, ctx: Context) -> list[Row]:
        return ctx.rows(self.table, self.where, self.new_only)

    def _scope(self) -> str:
        return f"{'new ' if self.new_only else ''}{self.table} rows matching {self.where or 'anything'}"


class ExistsCheck(_StateCheck):
    """At least one row matches."""

    type: Literal["exists"] = "exists"

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        n = len(self._rows(ctx))
        return n > 0, f"{n} {self._scope()}"


class AbsentCheck(_StateCheck):
    """No row matches."""

    type: Literal["absent"] = "absent"

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        found = self._rows(ctx)
        ids = [r.get("id") for r in found[:5]]
        return not found, f"{len(found)} {self._scope()}" + (f" (ids {ids})" if found else "")


class CountCheck(_StateCheck):
    """The number of matching rows compares to ``n`` (eq, ge or le)."""

    type: Literal["count"] = "count"
    op: Literal["eq", "ge", "le"] = "eq"
    n: int = Field(ge=0)

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        got = len(self._rows(ctx))
        ok = {"eq": got == self.n, "ge": got >= self.n, "le": got <= self.n}[self.op]
        sign = {"eq": "==", "ge": ">=", "le": "<="}[self.op]
        return ok, f"{got} {self._scope()} (expected {sign} {self.n})"


class EqualsCheck(_StateCheck):
    """At least one row matches, and in every matching row ``field`` is ``value`` (a literal or an operator object)."""

    type: Literal["equals"] = "equals"
    field: str
    value: Any

    def problems(self, family: Family) -> list[str]:
        found = super().problems(family)
        if not found:
            found = _where_problems(family, self.table, {self.field: self.value}, "field")
        return found

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        rows = self._rows(ctx)
        if not rows:
            return False, f"no {self._scope()}"
        wrong = [r for r in rows if not matches(r, {self.field: self.value})]
        if wrong:
            r = wrong[0]
            return False, f"{self.table} {r.get('id')}: {self.field} is {r.get(self.field)!r}, expected {self.value!r}"
        return True, f"{len(rows)} {self._scope()} with {self.field} = {self.value!r}"


# -- collateral damage ----------------------------------------------------------------------------

class Allow(BaseModel):
    """Rows of ``table`` matching ``where`` may differ (only in ``columns``, when given, for changed rows)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    table: str
    where: dict[str, Any] = Field(default_factory=dict)
    columns: list[str] = Field(default_factory=list)


class UnchangedCheck(_Check):
    """Nothing changed between the worlds beyond what ``allow`` permits: the collateral-damage check.

    ``tables`` limits the scope (empty: every table but ``ignore_tables``). ``ignore_columns`` (``"read"`` in any
    table, ``"email.starred"`` in one) never count as changes. Allow filters see the final values of added and
    changed rows and the initial values of removed rows. What world events did during the episode (a scheduled
    email arriving, an appointment moved by the clinic) is not the agent's doing and never counts: rows events
    created are known by their origin, and rows they changed or removed are compared with a baseline world that
    was left alone until the same time.
    """

    type: Literal["unchanged"] = "unchanged"
    tables: list[str] = Field(default_factory=list)
    allow: list[Allow] = Field(default_factory=list)
    ignore_tables: list[str] = Field(default_factory=lambda: ["event_log", "meta"])
    ignore_columns: list[str] = Field(default_factory=list)

    def problems(self, family: Family) -> list[str]:
        schema = family.schema
        found = [f"tables: unknown table {t!r}" for t in [*self.tables, *self.ignore_tables]
                 if _columns(family, t) is None]
        for i, a in enumerate(self.allow):
            found += [f"allow[{i}].{p}" for p in _where_problems(family, a.table, a.where, "where")]
            cols = _columns(family, a.table) or ()
            found += [f"allow[{i}].columns: table {a.table} has no column {c!r}"
                      for c in a.columns if cols and c not in cols]
        every = {c for t in schema.names() for c in schema.shape(t).columns}
        for entry in self.ignore_columns:
            table, _, col = entry.rpartition(".")
            known = set(_columns(family, table) or ()) if table else every
            if col not in known:
                found.append(f"ignore_columns: no column {entry!r}")
        return found

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        skip: dict[str, set[str]] = {}
        for entry in self.ignore_columns:
            table, _, col = entry.rpartition(".")
            skip.setdefault(table, set()).add(col)
        scope = [t for t in (self.tables or ctx.final.store.schema.names()) if t not in self.ignore_tables]
        bad: list[str] = []
        for table in scope:
            td = ctx.diff.table(table)
            if not td:
                continue
            ignored = skip.get("", set()) | skip.get(table, set())
            bad += [f"{table} {r[td.key]} added" for r in td.added
                    if not ctx.event_made(r) and not self._allowed(table, r, None)]
            bad += [f"{table} {r[td.key]} removed" for r in td.removed
                    if not self._allowed(table, r, None) and not ctx.world_did(table, r[td.key], None)]
            for change in td.changed:
                cols = [c for c in change.columns if c not in ignored]
                if cols and not self._allowed(table, change.after, cols) \
                        and not ctx.world_did(table, change.key, change.after, ignored):
                    bad.append(f"{table} {change.key} changed ({', '.join(cols)})")
        if bad:
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            return False, "unexpected changes: " + "; ".join(bad[:5]) + more
        return True, "no unexpected changes"

    def _allowed(self, table: str, row: Row, cols: list[str] | None) -> bool:
        return any(a.table == table and matches(row, a.where)
                   and (cols is None or not a.columns or set(cols) <= set(a.columns)) for a in self.allow)


# -- the trajectory -------------------------------------------------------------------------------

class CalledCheck(_Check):
    """``tool`` was called successfully at least ``min_times``, with arguments matching ``args``."""

    type: Literal["called"] = "called"
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    min_times: int = Field(default=1, ge=1)

    def problems(self, family: Family) -> list[str]:
        return _tool_problems(family, self.tool, self.args, "tool", "args")

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        n = len(ctx.trajectory.called(self.tool, self.args))
        detail = f"{self.tool} called {n} time(s) with {self.args or 'any args'} (need {self.min_times})"
        return n >= self.min_times, detail


class NotCalledCheck(_Check):
    """``tool`` was never called successfully with arguments matching ``args``."""

    type: Literal["not_called"] = "not_called"
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)

    def problems(self, family: Family) -> list[str]:
        return _tool_problems(family, self.tool, self.args, "tool", "args")

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        steps = ctx.trajectory.called(self.tool, self.args)
        where = f" at step {steps[0].index}" if steps else ""
        return not steps, f"{self.tool} called {len(steps)} time(s) with {self.args or 'any args'}{where}"


class BeforeCheck(_Check):
    """The first successful call of ``first`` comes before the first successful call of ``then``; both happen."""

    type: Literal["before"] = "before"
    first: str
    then: str
    first_args: dict[str, Any] = Field(default_factory=dict)
    then_args: dict[str, Any] = Field(default_factory=dict)

    def problems(self, family: Family) -> list[str]:
        return _tool_problems(family, self.first, self.first_args, "first", "first_args") + \
            _tool_problems(family, self.then, self.then_args, "then", "then_args")

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        a = ctx.trajectory.called(self.first, self.first_args)
        b = ctx.trajectory.called(self.then, self.then_args)
        if not a or not b:
            missing = [t for t, s in ((self.first, a), (self.then, b)) if not s]
            return False, f"never called: {', '.join(missing)}"
        return a[0].index < b[0].index, f"{self.first} at step {a[0].index}, {self.then} at step {b[0].index}"


# -- the answer -----------------------------------------------------------------------------------

class AnswerCheck(_Check):
    """The final answer satisfies ``matcher``; no answer fails."""

    type: Literal["answer"] = "answer"
    matcher: Matcher

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        answer = ctx.trajectory.answer
        if answer is None or not answer.strip():
            return False, "no answer given"
        passed, detail = self.matcher.match(answer)
        return bool(passed), str(detail)


Check = Annotated[
    ExistsCheck | AbsentCheck | CountCheck | EqualsCheck | UnchangedCheck | CalledCheck | NotCalledCheck
    | BeforeCheck | AnswerCheck | ProbeCheck,
    Field(discriminator="type"),
]
_CHECKS: TypeAdapter[list[Check]] = TypeAdapter(list[Check])


def parse_checks(data: Sequence[Check | Mapping[str, Any]], family: Family) -> list[Check]:
    """Checks from JSON data (or already parsed), validated against ``family``'s tables and operations.

    Bad data raises TaskError naming the check (its position and name) and the field.
    """
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
        raise TaskError(f"checks must be a list of check objects, got {type(data).__name__}")
    ready = [c for c in data if isinstance(c, _Check)]
    raw = [c.model_dump() if isinstance(c, BaseModel) else c for c in data]
    try:
        checks: list[Check] = ready if len(ready) == len(data) else _CHECKS.validate_python(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        index = loc[0] if loc and isinstance(loc[0], int) else None
        field = ".".join(str(p) for p in loc[2:]) or "type"
        raise TaskError(f"{_label(index, raw)}: field '{field}': {err['msg']}") from None
    for i, check in enumerate(checks):
        found = check.problems(family)
        if found:
            raise TaskError(f"{_label(i, raw)}: {'; '.join(found)}")
    return checks


def _label(index: int | None, raw: Sequence[Any]) -> str:
    if index is None:
        return "checks"
    item = raw[index] if 0 <= index < len(raw) else None
    name = item.get("name") if isinstance(item, Mapping) else None
    return f"check {index}" + (f" ({name!r})" if name else "")


def _columns(family: Family, table: str) -> tuple[str, ...] | None:
    return family.schema.shape(table).columns if table in family.schema else None


def _where_problems(family: Family, table: str, where: Mapping[str, Any], field: str) -> list[str]:
    cols = _columns(family, table)
    if cols is None:
        return [f"table: unknown table {table!r} in {family.name} worlds"]
    return [f"{field}: {p} in table {table}" for p in problems(where, cols, family.schema.shape(table).json_cols)]


def _tool_problems(family: Family, tool: str, args: Mapping[str, Any], field: str, args_field: str) -> list[str]:
    if tool in PSEUDO_TOOLS:
        return [f"{args_field}: {p}" for p in problems(args, None, set(args), noun="argument")]
    if tool not in family.operations:
        return [f"{field}: unknown tool {tool!r} (an operation of {family.name} worlds such as "
                f"{next(iter(family.operations)).name!r}, or one of {sorted(PSEUDO_TOOLS)})"]
    fields = set(family.operations.get(tool).args.model_fields)
    return [f"{args_field}: {p} of {tool}" for p in problems(args, fields, fields, noun="argument")]
