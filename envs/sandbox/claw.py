#!/usr/bin/env python3
"""``claw``: the world's operations from inside a sandbox, over the unix socket the env binds in (no network).

The client is deliberately dumb (python3-minimal, stdlib ``socket`` only): it sends its arguments, prints what
the env answers and exits with its code. Parsing, help and the operations all live in the env
(``clawgym.envs.sandbox.bridge``), so the one registry is the only manual.

Wire format: request = the arguments joined by NUL, then the socket's write side is shut; answer = one line
``<exit code> <stdout length>`` then stdout bytes then stderr bytes.
"""

import os
import socket
import sys


def main() -> int:
    path = os.environ.get("CLAW_SOCKET", "/run/claw/claw.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError as exc:
        sys.stderr.write(f"claw: cannot reach the world at {path}: {exc}\n")
        return 3
    sock.sendall("\0".join(sys.argv[1:]).encode("utf-8", "surrogateescape"))
    sock.shutdown(socket.SHUT_WR)
    chunks = []
    while True:
        data = sock.recv(65536)
        if not data:
            break
        chunks.append(data)
    reply = b"".join(chunks)
    head, _, body = reply.partition(b"\n")
    try:
        code, n = (int(x) for x in head.split())
    except ValueError:
        sys.stderr.write("claw: garbled answer from the world\n")
        return 3
    sys.stdout.buffer.write(body[:n])
    sys.stdout.flush()
    sys.stderr.buffer.write(body[n:])
    return code


if __name__ == "__main__":
    sys.exit(main())
