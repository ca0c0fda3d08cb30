"""What every benchmark script shares: a median timer and the shape of one reported figure."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def p50_us(fn: Callable[[int], Any], n: int) -> float:
    """Median wall time of ``fn(i)`` over ``n`` calls, in microseconds (after a short warm-up)."""
    for i in range(min(50, n)):
        fn(i)
    samples = []
    for i in range(n):
        t = time.perf_counter_ns()
        fn(i)
        samples.append(time.perf_counter_ns() - t)
    return statistics.median(samples) / 1000


def figure(value: float, unit: str, target: str, ok: bool, baselines: dict[str, float], ratio: float | None,
           ratio_means: str) -> dict[str, Any]:
    return {"value": round(value, 3), "unit": unit, "target": target, "ok": ok,
            "baselines": {k: round(v, 3) for k, v in baselines.items()},
            "ratio": None if ratio is None else round(ratio, 2), "ratio_means": ratio_means}
