"""One ASGI server per process, on 127.0.0.1 with an ephemeral port, serving every env's world by session key.

The server and the browser share one background thread running one asyncio loop (``Runtime``); the env's
synchronous ``step`` hands coroutines to it and blocks on the answer. While a step waits, only the loop thread
touches the world (sqlite connections are opened with ``check_same_thread=False``).
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from clawgym.worlds.world import World

T = TypeVar("T")
GUI_DEVICES = ("phone", "laptop")


class Runtime:
    """A daemon thread running an asyncio loop; ``run`` executes a coroutine there and waits for its result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="clawgym-gui", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        if threading.current_thread() is self.thread:
            raise RuntimeError("Runtime.run called from its own loop thread (it would deadlock)")
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


_runtime: Runtime | None = None
_server: GuiServer | None = None
_lock = threading.Lock()


def runtime() -> Runtime:
    """The process's GUI runtime thread, started on first use."""
    global _runtime
    with _lock:
        if _runtime is None:
            _runtime = Runtime()
        return _runtime


def server() -> GuiServer:
    """The process's GUI server, started on first use."""
    global _server
    rt = runtime()
    with _lock:
        if _server is None:
            srv = GuiServer()
            rt.run(srv.start())
            _server = srv
        return _server


@dataclass
class Session:
    """What the server needs of one env: its current world and what the task lets the GUI reach."""

    world: World
    apps: list[str] | None  # None: every app
    devices: tuple[str, ...]
    flash: dict[str, str] = field(default_factory=dict)  # device -> a one-shot message for the next page


class GuiServer:
    """A starlette app under uvicorn; ``sessions`` maps a key to an env's Session."""

    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}
        self.port = 0
        self._uvicorn: Any = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def open_session(self, world: World, apps: list[str] | None, devices: tuple[str, ...], key: str | None = None) -> str:
        """Serve ``world`` under ``key`` (a new key when None); the same key re-binds at each reset."""
        key = key or secrets.token_hex(6)
        self.sessions[key] = Session(world, apps, devices)
        return key

    def close_session(self, key: str) -> None:
        self.sessions.pop(key, None)

    async def start(self) -> None:
        import uvicorn
        from clawgym.envs.gui.pages import build_app

        config = uvicorn.Config(build_app(self), host="127.0.0.1", port=0, log_level="warning", lifespan="off",
                                access_log=False)
        self._uvicorn = uvicorn.Server(config)
        self._uvicorn.install_signal_handlers = lambda: None  # not the main thread: leave signals alone
        asyncio.get_running_loop().create_task(self._uvicorn.serve())
        for _ in range(500):
            if self._uvicorn.started:
                break
            await asyncio.sleep(0.01)
        else:
            raise RuntimeError("the GUI server did not start within 5 s")
        self.port = self._uvicorn.servers[0].sockets[0].getsockname()[1]
