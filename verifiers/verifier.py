"""The verifier: checks evaluated on the initial world, the final world and the trajectory, into a Verdict.

>>> from clawgym.worlds.world import World
>>> start = World.build(seed=1, months=1)
>>> end = World.restore(start.snapshot())
>>> _ = end.call("contacts.add", {"name": "Sam Rivera"})
>>> checks = [{"type": "exists", "name": "Sam is in the address book", "table": "contact",
...            "where": {"name": "Sam Rivera"}, "new_only": True},
...           {"type": "unchanged", "name": "nothing else changed", "allow": [{"table": "contact"}]}]
>>> verify(checks, start, end, Trajectory()).score
1.0
>>> [c.inaction_passes for c in labels(checks, start)]
[False, True]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clawgym.verifiers.check import Check, Context, parse_checks
from clawgym.verifiers.trajectory import Trajectory
from clawgym.verifiers.verdict import CheckResult, Verdict
from clawgym.worlds.world import World


def verify(checks: Sequence[Check | Mapping[str, Any]], initial: World, final: World,
           trajectory: Trajectory) -> Verdict:
    """Evaluate every check; bad check data raises TaskError before any is evaluated."""
    parsed = parse_checks(checks, final.family)
    ctx = Context(initial, final, trajectory)
    results = []
    try:
        for check in parsed:
            passed, detail = check.evaluate(ctx)
            results.append(CheckResult(check.name, check.type, check.tier, passed, detail, check.inaction_passes))
    finally:
        ctx.close()
    return Verdict.of(results)


def labels(checks: Sequence[Check | Mapping[str, Any]], initial: World) -> list[Check]:
    """The checks with ``inaction_passes`` set: whether each passes when the agent does nothing and says nothing.

    Inaction is the initial world left as it is, an empty trajectory and no answer. A task should fail inaction
    on at least one essential check.
    """
    ctx = Context(initial, initial, Trajectory())
    return [c.model_copy(update={"inaction_passes": c.evaluate(ctx)[0]}) for c in parse_checks(checks, initial.family)]
