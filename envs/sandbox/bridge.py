"""The env's side of ``claw``: a unix socket (never TCP) bound into the sandbox, answering operation calls.

``claw --help`` lists apps and operations from the one registry; ``claw mail search --query x`` runs
``mail.search`` on the world and prints JSON. Calls are served only while a shell command of the agent runs,
so every change lands inside a step, with that step's provenance.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from typing import TYPE_CHECKING, Any

from clawgym.errors import OperationError
from clawgym.worlds.operation import Operation, describe

if TYPE_CHECKING:
    from clawgym.worlds.world import World

MAX_REQUEST = 1 << 20


class Bridge:
    """Serves ``claw`` on ``<socket_dir>/claw.sock`` in a daemon thread."""

    def __init__(self, socket_dir: str, apps: list[str] | None = None) -> None:
        self.path = os.path.join(socket_dir, "claw.sock")
        self.apps = apps
        self.world: World | None = None
        self.active = False
        self.lock = threading.Lock()
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        os.chmod(self.path, 0o777)  # the sandbox user (uid 1000) connects
        self.sock.listen(16)
        self.thread = threading.Thread(target=self._serve, name="claw-bridge", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            with conn:
                try:
                    chunks, size = [], 0
                    while size < MAX_REQUEST and (data := conn.recv(65536)):
                        chunks.append(data)
                        size += len(data)
                    raw = b"".join(chunks).decode("utf-8", "replace")
                    code, out, err = self.handle(raw.split("\0") if raw else [])
                    body = out.encode()
                    conn.sendall(f"{code} {len(body)}\n".encode() + body + err.encode())
                except OSError:
                    continue

    def handle(self, argv: list[str]) -> tuple[int, str, str]:
        """(exit code, stdout, stderr) for one ``claw`` invocation."""
        with self.lock:
            if not self.active or self.world is None:
                return 1, "", "claw: the world answers only while a command of the agent runs\n"
            return self._handle(self.world, argv)

    def _ops(self) -> list[Operation]:
        assert self.world is not None
        return self.world.operations.exposed(self.apps, "laptop")  # the world's family only

    def _handle(self, world: World, argv: list[str]) -> tuple[int, str, str]:
        ops = self._ops()
        if not argv or argv[0] in ("-h", "--help", "help"):
            return 0, self._overview(ops), ""
        app = argv[0]
        in_app = [op for op in ops if op.app == app]
        if not in_app:
            return 2, "", f"claw: unknown app {app!r}; apps: {', '.join(sorted({o.app for o in ops}))}\n"
        if len(argv) == 1 or argv[1] in ("-h", "--help"):
            return 0, "".join(f"  {op.name.split('.', 1)[1].replace('_', '-'):<16} {op.doc.splitlines()[0]}\n"
                              for op in in_app), ""
        name = f"{app}.{argv[1].replace('-', '_')}"
        op = next((o for o in in_app if o.name == name), None)
        if op is None:
            return 2, "", f"claw: {app} has no operation {argv[1]!r}; see `claw {app} --help`\n"
        if "-h" in argv[2:] or "--help" in argv[2:]:
            return 0, _usage(op), ""
        try:
            args = _parse(op, argv[2:])
        except ValueError as exc:
            return 2, "", f"claw: {exc}\n{_usage(op)}"
        try:
            result = world.call(op.name, args)
        except OperationError as exc:
            return 1, "", f"error: {exc}\n"
        return 0, json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n", ""

    @staticmethod
    def _overview(ops: list[Operation]) -> str:
        lines = ["usage: claw <app> <operation> [--field value ...]   (claw <app> --help lists operations;",
                 "       claw <app> <operation> --help shows fields; --json '{...}' passes all fields at once)", ""]
        by_app: dict[str, list[str]] = {}
        for op in ops:
            by_app.setdefault(op.app, []).append(op.name.split(".", 1)[1].replace("_", "-"))
        for app, names in sorted(by_app.items()):
            lines.append(f"{app}: {' '.join(names)}")
        return "\n".join(lines) + "\n"

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            if os.path.exists(self.path):
                os.unlink(self.path)


def _usage(op: Operation) -> str:
    props = op.parameters.get("properties", {})
    required = set(op.parameters.get("required", []))
    flags = "".join(f"  --{n.replace('_', '-')}{'' if n in required else ' (optional)'}: {describe(p)}\n"
                    for n, p in props.items())
    return f"claw {op.app} {op.name.split('.', 1)[1].replace('_', '-')}: {op.doc}\n{flags}"


def _kind(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        kinds = [_kind(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return kinds[0] if kinds else "string"
    return str(schema.get("type", "string"))


def _parse(op: Operation, argv: list[str]) -> dict[str, Any]:
    """``--field value`` pairs typed by the operation's schema; lists repeat the flag or take JSON."""
    props = op.parameters.get("properties", {})
    args: dict[str, Any] = {}
    i = 0
    while i < len(argv):
        flag = argv[i]
        if flag == "--json" and i + 1 < len(argv):
            try:
                extra = json.loads(argv[i + 1])
            except json.JSONDecodeError as exc:
                raise ValueError(f"--json is not valid JSON: {exc.msg}") from None
            if not isinstance(extra, dict):
                raise ValueError("--json must be a JSON object")
            args.update(extra)
            i += 2
            continue
        if not flag.startswith("--"):
            raise ValueError(f"expected --field, got {flag!r}")
        name, eq, inline = flag[2:].partition("=")
        name = name.replace("-", "_")
        if name not in props:
            raise ValueError(f"unknown field --{name.replace('_', '-')}")
        kind = _kind(props[name])
        if eq:
            value, i = inline, i + 1
        elif kind == "boolean" and (i + 1 >= len(argv) or argv[i + 1].startswith("--")):
            value, i = "true", i + 1
        elif i + 1 < len(argv):
            value, i = argv[i + 1], i + 2
        else:
            raise ValueError(f"--{name.replace('_', '-')} needs a value")
        args[name] = _typed(kind, value, args.get(name))
    return args


def _typed(kind: str, value: str, previous: Any) -> Any:
    if kind == "array":
        if value.startswith("["):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                pass
        return [*(previous or []), value]
    if kind in ("integer", "number", "boolean", "object"):
        try:
            return json.loads(value.lower() if kind == "boolean" else value)
        except json.JSONDecodeError:
            return value  # the operation's validation names the field and the expected form
    return value
