"""A warm pool of started sandboxes, so an env never waits for a container start (~400 ms) on its first reset
or when a broken sandbox is replaced. Starts run in a thread executor (the Docker SDK blocks); the pool's
own event loop lives in a daemon thread so synchronous envs can use it through ``acquire_sync``.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Callable
from typing import Any

from clawgym.envs.sandbox.protocol import Sandbox


class WarmPool:
    """Keeps ``size`` started sandboxes ready; ``acquire`` hands one over and starts its replacement."""

    def __init__(self, factory: Callable[[], Any], size: int = 2) -> None:
        if size < 0:
            raise ValueError(f"size must be >= 0, got {size}")
        self.factory = factory
        self.size = size
        self.ready: list[Sandbox] = []
        self._filling: asyncio.Task[None] | None = None
        self._closed = False

    def _start_one(self) -> Sandbox:
        sandbox: Sandbox = self.factory()
        sandbox.start()
        return sandbox

    async def fill(self) -> None:
        """Start sandboxes until ``size`` are ready."""
        loop = asyncio.get_running_loop()
        while len(self.ready) < self.size and not self._closed:
            sandbox = await loop.run_in_executor(None, self._start_one)
            if self._closed:
                sandbox.close()
                return
            self.ready.append(sandbox)

    def _refill(self) -> None:
        if self._filling is None or self._filling.done():
            self._filling = asyncio.get_running_loop().create_task(self.fill())

    async def acquire(self) -> Sandbox:
        """A started sandbox: a warm one at once, else one started now; the pool refills behind."""
        if self.ready:
            sandbox = self.ready.pop(0)
        else:
            sandbox = await asyncio.get_running_loop().run_in_executor(None, self._start_one)
        self._refill()
        return sandbox

    async def close(self) -> None:
        """Stop refilling and close every ready sandbox."""
        self._closed = True
        if self._filling is not None:
            try:
                await self._filling
            except Exception:  # a failed start while closing changes nothing
                pass
        while self.ready:
            self.ready.pop().close()


class _Loop:
    """One event loop in a daemon thread for every pool of this process."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="sandbox-pool", daemon=True).start()

    def run(self, coro: Any, timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


_LOOP: _Loop | None = None
_POOLS: dict[str, WarmPool] = {}
_LOCK = threading.Lock()


def shared_pool(key: str, factory: Callable[[], Any], size: int = 2) -> WarmPool:
    """The process-wide pool for ``key`` (one per backend configuration)."""
    global _LOOP
    with _LOCK:
        if _LOOP is None:
            _LOOP = _Loop()
            atexit.register(close_pools)  # warm containers must not outlive the process
        if key not in _POOLS:
            _POOLS[key] = WarmPool(factory, size)
        return _POOLS[key]


def acquire_sync(pool: WarmPool) -> Sandbox:
    """``pool.acquire()`` from synchronous code."""
    assert _LOOP is not None, "use shared_pool() to make pools used from synchronous code"
    return _LOOP.run(pool.acquire())  # type: ignore[no-any-return]


def close_pools() -> None:
    """Close every shared pool (tests, process exit)."""
    if _LOOP is None:
        return
    for pool in list(_POOLS.values()):
        _LOOP.run(pool.close())
    _POOLS.clear()
