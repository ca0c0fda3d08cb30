"""Operations: every action on the world, declared once, reaching every surface from that declaration.

``@operation`` marks a function as an operation and registers it nowhere: a family collects the operations of
the modules it names into its own ``Registry`` (``worlds/family.py``), so no process-wide registry exists.

>>> from clawgym.worlds.family import family
>>> family("assistant").operations.get("mail.send").kind
'write'
"""

from __future__ import annotations

import difflib
import functools
import inspect
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from clawgym.errors import InvalidArguments, UnknownOperation

if TYPE_CHECKING:
    from clawgym.worlds.world import World

Kind = Literal["read", "write"]
Device = Literal["phone", "laptop", "cloud"]
DEVICES: tuple[Device, ...] = ("phone", "laptop", "cloud")


@dataclass(frozen=True)
class Pick:
    """In an operation's example: the ``field`` of the first ``table`` row matching ``where`` in a built world."""

    table: str
    where: tuple[tuple[str, Any], ...] = ()
    field: str = "id"

    def __init__(self, table: str, field: str = "id", **where: Any) -> None:
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "where", tuple(sorted(where.items())))


@dataclass(frozen=True)
class Operation:
    """One typed action of one app: name, argument model, agent-facing docstring, kind and reach."""

    name: str
    app: str
    kind: Kind
    devices: tuple[Device, ...]
    args: type[BaseModel]
    fn: Callable[..., Any]
    doc: str
    system: bool  # only the world's own events call it (an email arriving), never an agent
    example: dict[str, Any]  # valid arguments on any built world; Pick(...) stands for an existing record

    def validate(self, args: dict[str, Any]) -> dict[str, Any]:
        """Checked keyword arguments, or InvalidArguments naming each bad field and its expected form."""
        if not isinstance(args, dict):
            raise InvalidArguments(f"{self.name}: arguments must be a JSON object, got {type(args).__name__}")
        try:
            model = self.args.model_validate(args)
        except ValidationError as exc:
            raise InvalidArguments(self._explain(exc)) from None
        return dict(model.__dict__)

    @functools.cached_property
    def parameters(self) -> dict[str, Any]:
        """The JSON schema of the arguments, computed once (pydantic takes ~1 ms to build it)."""
        params = self.args.model_json_schema()
        params.pop("title", None)
        for prop in params.get("properties", {}).values():
            prop.pop("title", None)
        return params

    def schema(self) -> dict[str, Any]:
        """The operation as an OpenAI function-calling tool (a fresh dict; the parameters are shared)."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.doc, "parameters": self.parameters},
        }

    def _explain(self, exc: ValidationError) -> str:
        props = self.parameters.get("properties", {})
        required = set(self.parameters.get("required", []))
        problems = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "arguments"
            where = ".".join(str(p) for p in err["loc"]) or "arguments"
            if err["type"] == "missing":
                problem = f"missing required field '{where}'"
            elif err["type"] == "extra_forbidden":
                problem = f"unknown field '{where}'"
            else:
                problem = f"field '{where}': {err['msg']}"
            if field in props:
                problem += f" (expected {describe(props[field])})"
            problems.append(problem)
        accepted = ", ".join(f"{n}{'' if n in required else '?'}: {describe(p)}" for n, p in props.items())
        return f"invalid arguments for {self.name}: " + "; ".join(problems) + f". Accepted: {{{accepted}}}"


def describe(schema: dict[str, Any]) -> str:
    """A JSON schema property in a few words an agent can act on: ``list of string (an email address)``."""
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    if "anyOf" in schema:
        text = " or ".join(describe(s) for s in schema["anyOf"])
    elif schema.get("type") == "array":
        text = f"list of {describe(schema.get('items', {}))}"
    else:
        text = str(schema.get("type", "any"))
        bounds = [f"{op} {schema[k]}" for k, op in (("minimum", ">="), ("maximum", "<="), ("minLength", "length >="))
                  if k in schema]
        if bounds:
            text += " " + ", ".join(bounds)
    if "description" in schema:
        text += f" ({schema['description']})"
    elif "pattern" in schema:
        text += f" matching {schema['pattern']}"
    return text


def example_args(op: Operation, world: World) -> dict[str, Any]:
    """The operation's example with every ``Pick`` replaced by a value from ``world``."""

    def fill(value: Any) -> Any:
        if isinstance(value, Pick):
            rows = world.store.select(value.table, dict(value.where), limit=1)
            if not rows:
                raise LookupError(f"{op.name} example: no {value.table} row with {dict(value.where)} in this world")
            return rows[0][value.field]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    return fill(op.example)  # type: ignore[no-any-return]


class Registry:
    """Operations by name: one family's (``Family.operations``)."""

    def __init__(self, ops: Iterable[Operation] = ()) -> None:
        self._ops: dict[str, Operation] = {}
        for op in ops:
            self.add(op)
        self._sorted: list[Operation] | None = None

    @classmethod
    def collect(cls, modules: Iterable[ModuleType]) -> Registry:
        """The operations declared (with ``@operation``) in ``modules``, in declaration order."""
        return cls(op for m in modules for op in declared(m, "__operation__"))

    def add(self, op: Operation) -> None:
        if op.name in self._ops:
            raise ValueError(f"operation {op.name} is declared twice")
        self._ops[op.name] = op
        self._sorted = None

    def remove(self, name: str) -> None:
        """Forget the operation ``name`` (tests that add a throwaway operation take it out again)."""
        del self._ops[name]
        self._sorted = None

    def get(self, name: str) -> Operation:
        """The operation named ``name``; an unknown name raises UnknownOperation with close matches."""
        op = self._ops.get(name)
        if op is None:
            close = difflib.get_close_matches(str(name), list(self._ops), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownOperation(f"unknown operation {name!r}{hint}")
        return op

    def __contains__(self, name: object) -> bool:
        return name in self._ops

    def __iter__(self) -> Iterator[Operation]:
        if self._sorted is None:
            self._sorted = sorted(self._ops.values(), key=lambda o: o.name)
        return iter(self._sorted)

    def __len__(self) -> int:
        return len(self._ops)

    def apps(self) -> list[str]:
        """App names in sorted order."""
        return sorted({op.app for op in self})

    def exposed(self, apps: list[str] | None = None, device: Device | None = None) -> list[Operation]:
        """Operations an agent may call, optionally limited to some apps and one device."""
        return [
            op
            for op in self
            if not op.system and (apps is None or op.app in apps) and (device is None or device in op.devices)
        ]


def declared(module: ModuleType, marker: str) -> list[Any]:
    """What functions defined in ``module`` carry under ``marker`` (``@operation``, ``@planner``), in source order.

    Only functions defined in the module itself count, so a module that imports another's function does not
    declare it twice.
    """
    found = []
    for value in vars(module).values():
        item = getattr(value, marker, None)
        if item is not None and getattr(value, "__module__", None) == module.__name__:
            found.append(item)
    return found


def operation(
    app: str,
    kind: Kind = "read",
    *,
    devices: tuple[Device, ...] = DEVICES,
    system: bool = False,
    name: str | None = None,
    example: dict[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a function ``fn(world, **args)`` as the operation ``app.name`` (a family collects it).

    The argument model is derived from the signature (after ``world``) with ``extra="forbid"``;
    ``Annotated[T, Field(description=...)]`` documents a field. The docstring is the agent's manual.
    ``example`` holds valid arguments for any built world (``Pick("email")`` for an existing email's id);
    a registry-wide test calls every operation with it, and with broken variants of it.
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.getdoc(fn)
        if not doc:
            raise ValueError(f"operation {app}.{fn.__name__} needs a docstring: it is the agent's manual")
        op_name = f"{app}.{name or fn.__name__.rstrip('_')}"
        fn.__operation__ = (  # type: ignore[attr-defined]
            Operation(
                name=op_name,
                app=app,
                kind=kind,
                devices=devices,
                args=_args_model(op_name, fn),
                fn=fn,
                doc=doc,
                system=system,
                example=dict(example or {}),
            )
        )
        return fn

    return register


def _args_model(op_name: str, fn: Callable[..., Any]) -> type[BaseModel]:
    # ``World`` is imported only for type checkers in service modules; it is not an argument anyway.
    hints = typing.get_type_hints(fn, localns={"World": Any}, include_extras=True)
    params = list(inspect.signature(fn).parameters.values())[1:]  # the first is the world
    fields: dict[str, Any] = {}
    for p in params:
        if p.name not in hints:
            raise TypeError(f"operation {op_name}: parameter {p.name!r} needs a type annotation")
        default = ... if p.default is inspect.Parameter.empty else p.default
        fields[p.name] = (hints[p.name], default)
    model_name = "".join(part.title() for part in op_name.replace(".", "_").split("_")) + "Args"
    return create_model(model_name, __config__=ConfigDict(extra="forbid"), **fields)
