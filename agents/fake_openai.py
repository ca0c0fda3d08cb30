"""A scripted OpenAI-compatible server on loopback, for tests and offline smoke runs (stdlib only).

>>> from clawgym.agents.fake_openai import FakeOpenAIServer
>>> with FakeOpenAIServer([{"tool_calls": [{"name": "mail_search", "arguments": {"query": "invoice"}}]},
...                        {"content": "The invoice is 42 EUR."}]) as server:
...     url = server.base_url  # point an OpenAI client here; server.requests holds what it sent
>>> url.startswith("http://127.0.0.1:")
True

From a shell, ``python -m clawgym.agents.fake_openai`` serves until interrupted, answering "done" to everything.
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]
REPLY_KEYS = {"content", "tool_calls", "finish_reason", "usage"}
CALL_KEYS = {"name", "arguments", "id"}


class FakeOpenAIServer:
    """Serves ``POST /v1/chat/completions`` from a script of replies, and ``GET /v1/models``.

    A reply is ``{"content": "..."}`` and/or ``{"tool_calls": [{"name": ..., "arguments": {...}}]}`` (arguments
    given as a string are sent verbatim, to play a model that writes broken JSON), optionally with ``id`` per call,
    ``finish_reason`` and ``usage``; or a callable that gets the request body and returns such a dict. When the
    script runs out, the reply is ``{"content": "done"}``.
    """

    def __init__(self, script: Iterable[Reply] = (), model: str = "fake-model") -> None:
        self.model = model
        self.requests: list[dict[str, Any]] = []  # every chat request body, failed ones included, in order
        self.errors: list[str] = []  # script mistakes, also answered as HTTP 500 so the client sees them
        self._script: list[Reply] = []
        self._failures: list[int] = []  # statuses to answer the next requests with
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.add(*script)

    # -- control ---------------------------------------------------------------------------
    def add(self, *replies: Reply) -> None:
        """Append replies to the script."""
        for reply in replies:
            if isinstance(reply, dict):
                _check_reply(reply)
            elif not callable(reply):
                raise TypeError(f"a reply must be a dict or a callable, got {type(reply).__name__}")
        with self._lock:
            self._script.extend(replies)

    def fail_next(self, n: int = 1, status: int = 500) -> None:
        """Answer the next ``n`` chat requests with HTTP ``status`` (the script does not advance)."""
        if n < 0 or not 400 <= status <= 599:
            raise ValueError(f"n must be >= 0 and status an HTTP error (400-599), got n={n}, status={status}")
        with self._lock:
            self._failures.extend([status] * n)

    @property
    def base_url(self) -> str:
        """The URL to give an OpenAI client, e.g. ``http://127.0.0.1:43817/v1``."""
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._httpd.server_port}/v1"

    def start(self, port: int = 0) -> FakeOpenAIServer:
        """Listen on 127.0.0.1 (an ephemeral port unless ``port`` is given) in a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        httpd.daemon_threads = True
        httpd.fake = self  # type: ignore[attr-defined]
        self._httpd = httpd
        # A short poll keeps stop() quick: shutdown waits for the serving loop's next poll.
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd, self._thread = None, None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- answering -------------------------------------------------------------------------
    def _chat(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The status and JSON body that answer one chat request."""
        with self._lock:
            self.requests.append(body)
            if self._failures:
                status = self._failures.pop(0)
                return status, _error(f"scripted failure (HTTP {status})", "server_error")
            reply: Reply = self._script.pop(0) if self._script else {"content": "done"}
        if callable(reply):
            try:
                reply = reply(body)
                _check_reply(reply)
            except Exception as exc:  # noqa: BLE001 — a test's reply function failed: answer, never hang
                self.errors.append(f"{type(exc).__name__}: {exc}")
                return 500, _error(f"the scripted reply failed: {type(exc).__name__}: {exc}", "script_error")
        return 200, self._completion(body, reply)

    def _completion(self, body: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
        calls = []
        for call in reply.get("tool_calls") or []:
            arguments = call.get("arguments", {})
            calls.append({
                "id": call.get("id") or f"call_{next(self._ids)}",
                "type": "function",
                "function": {
                    "name": call["name"],
                    "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments),
                },
            })
        if calls:
            message["tool_calls"] = calls
        prompt = len(json.dumps(body.get("messages", []))) // 4  # a stable stand-in for a token count
        completion = len(json.dumps(message)) // 4
        usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
        usage.update(reply.get("usage") or {})
        return {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or self.model,
            "choices": [{
                "index": 0,
                "message": message,
                "finish_reason": reply.get("finish_reason") or ("tool_calls" if calls else "stop"),
                "logprobs": None,
            }],
            "usage": usage,
        }

    def _models(self) -> dict[str, Any]:
        return {"object": "list", "data": [{"id": self.model, "object": "model", "created": 0, "owned_by": "clawgym"}]}


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeOpenAI/1"

    def do_GET(self) -> None:  # noqa: N802 — the name http.server dispatches to
        fake: FakeOpenAIServer = self.server.fake  # type: ignore[attr-defined]
        if self.path.rstrip("/") == "/v1/models":
            self._send(200, fake._models())
        else:
            self._send(404, _error(f"no route GET {self.path}", "not_found"))

    def do_POST(self) -> None:  # noqa: N802
        fake: FakeOpenAIServer = self.server.fake  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send(404, _error(f"no route POST {self.path}", "not_found"))
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError as exc:
            self._send(400, _error(f"the request body is not JSON: {exc}", "invalid_request_error"))
            return
        if not isinstance(body, dict):
            self._send(400, _error("the request body must be a JSON object", "invalid_request_error"))
            return
        if body.get("stream"):
            self._send(400, _error("the fake server does not stream", "invalid_request_error"))
            return
        status, payload = fake._chat(body)
        self._send(status, payload)

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status >= 500:
            # Clients back off for half a second by default; a scripted failure asks for a millisecond, and a
            # broken script asks not to be retried at all.
            script_error = payload["error"]["type"] == "script_error"
            self.send_header("x-should-retry", "false" if script_error else "true")
            self.send_header("retry-after-ms", "1")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — keep test output quiet
        pass


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def _check_reply(reply: Any) -> None:
    if not isinstance(reply, dict):
        raise TypeError(f"a reply must be a dict, got {type(reply).__name__}")
    unknown = sorted(set(reply) - REPLY_KEYS)
    if unknown:
        raise ValueError(f"unknown reply keys {unknown}; expected some of {sorted(REPLY_KEYS)}")
    for call in reply.get("tool_calls") or []:
        if not isinstance(call, dict) or "name" not in call or set(call) - CALL_KEYS:
            raise ValueError(f"a tool call must be {{'name': ..., 'arguments': {{...}}}} (optional 'id'), got {call!r}")


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted, answering every chat request with "done" (a smoke test for a client)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    port = parser.parse_args(argv).port
    server = FakeOpenAIServer().start(port)
    print(f"serving at {server.base_url} (OPENAI_BASE_URL={server.base_url}); Ctrl-C stops", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
