"""A persistent bash per sandbox: commands framed by a sentinel, the exit code and working folder recovered.

One ``bash`` reads its script from a pipe. Each command travels as ``__cg_run`` followed by the command text
and an EOT byte; the function reads the text with ``read -d`` (bash reads pipes byte by byte, so nothing past
the EOT is consumed), ``eval``s it with stdin from /dev/null, then prints ``RS nonce rc cwd`` on stdout and
``RS nonce`` on stderr. The host reads both streams until both sentinels arrive, keeping the first ``cap``
bytes of each. A round trip costs one pipe write and a few reads: no process is created per command.
"""

from __future__ import annotations

import os
import secrets
import select
import time
from typing import Protocol

from clawgym.envs.sandbox.protocol import ExecResult
from clawgym.errors import SandboxError

EOT = b"\x04"
RS = b"\x1e"
_INIT = r"""
set +o history 2>/dev/null
PS1= PS2=
__cg_run() {
  local __cg_cmd
  IFS= read -r -d $'\x04' __cg_cmd
  eval "$__cg_cmd" </dev/null
  local __cg_rc=$?
  printf '\x1e%s %d %s\n' "__NONCE__" "$__cg_rc" "$PWD"
  printf '\x1e%s\n' "__NONCE__" >&2
}
"""


class Channel(Protocol):
    """Bytes to a shell's stdin and frames from its stdout (1) and stderr (2)."""

    def write(self, data: bytes) -> None: ...

    def read(self, timeout: float) -> list[tuple[int, bytes]]:
        """Frames available within ``timeout`` seconds; raises SandboxError when the shell is gone."""

    def close(self) -> None: ...


class PipeChannel:
    """A local process's pipes."""

    def __init__(self, stdin: int, stdout: int, stderr: int) -> None:
        self.fds = {stdout: 1, stderr: 2}
        self.stdin = stdin
        for fd in (stdout, stderr):
            os.set_blocking(fd, False)

    def write(self, data: bytes) -> None:
        try:
            view = memoryview(data)
            while view:
                n = os.write(self.stdin, view)
                view = view[n:]
        except (BrokenPipeError, OSError) as exc:
            raise SandboxError(f"the sandbox shell is gone ({exc})") from None

    def read(self, timeout: float) -> list[tuple[int, bytes]]:
        ready, _, _ = select.select(list(self.fds), [], [], max(timeout, 0))
        frames = []
        for fd in ready:
            try:
                data = os.read(fd, 1 << 20)
            except BlockingIOError:
                continue
            if not data:
                raise SandboxError("the sandbox shell exited")
            frames.append((self.fds[fd], data))
        return frames

    def close(self) -> None:
        for fd in (self.stdin, *self.fds):
            try:
                os.close(fd)
            except OSError:
                pass


class DockerChannel:
    """A ``docker exec`` attach socket: stdin written raw, output multiplexed in 8-byte-header frames."""

    def __init__(self, sock: object) -> None:
        self.sock = getattr(sock, "_sock", sock)  # docker-py wraps the raw socket in a SocketIO
        self.sock.setblocking(False)  # type: ignore[attr-defined]
        self.buf = b""

    def write(self, data: bytes) -> None:
        self.sock.setblocking(True)  # type: ignore[attr-defined]
        try:
            self.sock.sendall(data)  # type: ignore[attr-defined]
        except OSError as exc:
            raise SandboxError(f"the sandbox shell is gone ({exc})") from None
        finally:
            self.sock.setblocking(False)  # type: ignore[attr-defined]

    def read(self, timeout: float) -> list[tuple[int, bytes]]:
        ready, _, _ = select.select([self.sock], [], [], max(timeout, 0))
        if ready:
            try:
                data = self.sock.recv(1 << 20)  # type: ignore[attr-defined]
            except BlockingIOError:
                data = None
            except OSError as exc:
                raise SandboxError(f"the sandbox shell is gone ({exc})") from None
            if data == b"":
                raise SandboxError("the sandbox shell exited (was the container stopped?)")
            if data:
                self.buf += data
        frames = []
        while len(self.buf) >= 8:
            size = int.from_bytes(self.buf[4:8], "big")
            if len(self.buf) < 8 + size:
                break
            frames.append((self.buf[0], self.buf[8:8 + size]))
            self.buf = self.buf[8 + size:]
        return frames

    def close(self) -> None:
        try:
            self.sock.close()  # type: ignore[attr-defined]
        except OSError:
            pass


class _Capped:
    """The first ``cap`` bytes of a stream, the total count, and a rolling tail to find the sentinel in."""

    def __init__(self, cap: int, marker: bytes) -> None:
        self.cap, self.marker = cap, marker
        self.kept = bytearray()
        self.total = 0
        self.tail = b""
        self.done_at = -1  # offset of the sentinel within the stream, once seen

    def feed(self, data: bytes) -> None:
        if self.done_at >= 0:
            self.tail += data  # the rest of the sentinel line
            return
        window = self.tail + data
        at = window.find(self.marker)
        if at >= 0:
            self.done_at = self.total - len(self.tail) + at
            body = data[: max(0, at - len(self.tail))]
            self.tail = window[at:]
        else:
            body = data
            self.tail = window[-len(self.marker):]
        room = self.cap - len(self.kept)
        if room > 0:
            self.kept += body[:room]
        self.total += len(body)

    @property
    def complete(self) -> bool:
        return self.done_at >= 0 and b"\n" in self.tail

    def finish(self) -> tuple[bytes, bytes]:
        """(kept output with the sentinel cut off, the sentinel line)."""
        self.total = min(self.total, self.done_at)
        out = bytes(self.kept[: self.done_at])
        return out, self.tail.split(b"\n", 1)[0]


class PersistentShell:
    """One long-lived bash behind a channel; ``run`` is one framed command."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.nonce = "CG" + secrets.token_hex(8)
        self.cwd = ""
        self.dead = False
        self.channel.write(_INIT.replace("__NONCE__", self.nonce).encode())

    def run(self, command: str, timeout: float, cap: int, on_timeout: object = None) -> ExecResult:
        """Run ``command``; past ``timeout`` call ``on_timeout()`` (kills its processes) and wait briefly."""
        if "\x04" in command or "\x00" in command:
            return ExecResult("", "error: the command holds a NUL or EOT control character\n", 2)
        t0 = time.perf_counter()
        marker = RS + self.nonce.encode()
        out, err = _Capped(cap, marker), _Capped(cap, marker)
        self.channel.write(b"__cg_run\n" + command.encode("utf-8", "surrogateescape") + EOT)
        deadline = t0 + timeout
        timed_out = False
        try:
            while not (out.complete and err.complete):
                left = deadline - time.perf_counter()
                if left <= 0:
                    if timed_out:
                        raise SandboxError(f"the sandbox shell did not answer after its command was killed at {timeout:g}s")
                    timed_out = True
                    if callable(on_timeout):
                        on_timeout()
                    deadline = time.perf_counter() + 2.0
                    continue
                for stream, data in self.channel.read(min(left, 0.5)):
                    (out if stream == 1 else err).feed(data)
        except SandboxError:
            if not timed_out:
                raise
            self.dead = True  # the kill took the shell with it; the backend starts a new one
        for s in (out, err):
            if s.done_at < 0:
                s.done_at = s.total
        stdout, line = out.finish()
        stderr, _ = err.finish()
        parts = line[len(marker):].decode(errors="replace").split(" ", 2)
        code = int(parts[1]) if len(parts) > 1 and parts[1].lstrip("-").isdigit() else -1
        self.cwd = parts[2] if len(parts) > 2 else self.cwd
        return ExecResult(stdout.decode(errors="replace"), stderr.decode(errors="replace"), 124 if timed_out else code,
                          timed_out, out.total, err.total, self.cwd, time.perf_counter() - t0)

    def close(self) -> None:
        self.channel.close()
