"""Built worlds, cached per spec as snapshots: an episode's reset restores (~1 ms) instead of rebuilding (~1 s)."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from clawgym.worlds.spec import WorldSpec
from clawgym.worlds.world import World

_MAX = 16  # snapshots kept per process; a 3-month world is ~10 MB


class WorldCache:
    """Least-recently-used snapshots by spec key."""

    def __init__(self, max_items: int = _MAX) -> None:
        self.max_items = max_items
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._digests: dict[str, str] = {}
        self._lock = Lock()

    def snapshot(self, spec: WorldSpec) -> bytes:
        """The snapshot of the world ``spec`` describes, built on first use."""
        key = spec.key()
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
                return data
        data = World.build(spec).snapshot()
        with self._lock:
            self._items[key] = data
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        return data

    def put(self, spec: WorldSpec, data: bytes) -> None:
        """Seed the cache with a snapshot built elsewhere (a task generator hands over its worlds)."""
        with self._lock:
            self._items[spec.key()] = data

    def digest(self, spec: WorldSpec) -> str:
        """The digest of the world ``spec`` describes, computed once (hashing a whole world takes tens of ms)."""
        key = spec.key()
        found = self._digests.get(key)
        if found is None:
            world = self.world(spec)
            found = self._digests[key] = world.digest()
            world.close()
        return found

    def world(self, spec: WorldSpec) -> World:
        """A fresh world restored from the cached snapshot."""
        return World.restore(self.snapshot(spec))


CACHE = WorldCache()
