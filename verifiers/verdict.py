"""Verdicts: the result of every check of an episode, and one score in [0, 1].

Aggregation is hierarchical: additional checks earn credit only once every essential check passes.

    e = essential checks passed / essential checks      (1 when the task has none)
    a = additional checks passed / additional checks    (1 when the task has none)
    score = 0.5 * e                  when some essential check fails
    score = 0.5 + 0.5 * a            when every essential check passes
    passed = every essential check passes

So a task with essential checks only scores 1.0 when they all pass, partial essential progress earns at most
just under 0.5, and no amount of additional polish outweighs a missed essential. The score never falls when one
more check passes.

Checks that pass under inaction (``inaction_passes``, set by ``verifier.labels``: "nothing else changed", "no
money was sent") are gates: they must pass for ``passed``, but earn no partial credit in ``e``, so doing nothing
never scores above zero.

>>> v = Verdict.of([CheckResult("a", "exists", "essential", True, ""),
...                 CheckResult("b", "called", "additional", False, "")])
>>> v.score, v.passed
(0.5, True)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome: its name, type and tier, whether it passed, and a line saying why."""

    name: str
    type: str
    tier: str
    passed: bool
    detail: str
    inaction_passes: bool | None = None  # a gate: must pass, earns no partial credit


@dataclass(frozen=True)
class Verdict:
    """The score of an episode, whether it passed, and every check's result."""

    score: float
    passed: bool
    results: tuple[CheckResult, ...]

    @classmethod
    def of(cls, results: Sequence[CheckResult]) -> Verdict:
        """Aggregate results hierarchically (see the module docstring)."""
        essential = [r.passed for r in results if r.tier == "essential" and not r.inaction_passes]
        additional = [r.passed for r in results if r.tier != "essential"]
        e = sum(essential) / len(essential) if essential else 1.0
        a = sum(additional) / len(additional) if additional else 1.0
        passed = all(r.passed for r in results if r.tier == "essential")
        score = 0.5 + 0.5 * a if passed else 0.5 * e
        return cls(score=score, passed=passed, results=tuple(results))

    def failed(self) -> list[CheckResult]:
        """The checks that failed, essential first."""
        return sorted((r for r in self.results if not r.passed), key=lambda r: r.tier != "essential")

    def summary(self) -> str:
        """The verdict for people: the score, then one line per check."""
        head = f"score {self.score:.3f} ({'passed' if self.passed else 'failed'})"
        lines = [f"  [{'x' if r.passed else ' '}] {r.tier[:3]} {r.name} — {r.detail}" for r in self.results]
        return "\n".join([head, *lines])

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "passed": self.passed, "results": [asdict(r) for r in self.results]}

    def to_json(self) -> str:
        """One line of JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        return cls(score=float(data["score"]), passed=bool(data["passed"]),
                   results=tuple(CheckResult(**r) for r in data["results"]))

    @classmethod
    def from_json(cls, text: str) -> Verdict:
        """The inverse of ``to_json``."""
        return cls.from_dict(json.loads(text))
