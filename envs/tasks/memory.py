"""Memory tasks: one per probe of every scenario of a memory world, each in one presentation (context, tools,
stream), scored by a ``memory_probe`` check and a collateral-damage check.

>>> tasks = generate_memory(6, seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
from typing import Any

from clawgym.envs.memory import MODES, STREAM_TOKENS, history
from clawgym.envs.task import PlanStep, TaskMeta, TaskSpec
from clawgym.envs.tasks.generate import Split, world_seed
from clawgym.envs.world_cache import CACHE, WorldCache
from clawgym.verifiers.verifier import labels
from clawgym.worlds.memory.build import scenarios_of
from clawgym.worlds.memory.scenario import Probe, Scenario
from clawgym.worlds.memory.topics import topic
from clawgym.worlds.spec import WorldSpec

CONTEXT_TOKENS = (8_000, 32_000)  # a suite's contexts; 150k ones are asked for with target_tokens=
DEPTHS = (0.1, 0.5, 0.9)
# errand kind -> (the operation's tool, the argument holding the value, the argument holding the payload)
ERRANDS = {"order": ("errands_order", "ship_to", "item"), "text": ("errands_text", "to", "body"),
           "remind": ("errands_remind", "at", "title"), "mail": ("errands_mail", "to", "subject")}


def generate_memory(n: int, seed: int = 0, split: Split = "train", *, months: int = 3, cache: WorldCache = CACHE,
                    modes: tuple[str, ...] = MODES, target_tokens: tuple[int, ...] = CONTEXT_TOKENS) -> list[TaskSpec]:
    """``n`` memory tasks over as many worlds as they need; presentations and depths interleave."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise ValueError(f"unknown presentation modes {unknown}; known: {MODES}")
    tasks: list[TaskSpec] = []
    for w in range(math.ceil(n / 20) + 50):
        spec = WorldSpec(family="memory", seed=world_seed(split, seed, w), months=months)
        world = cache.world(spec)
        try:
            for sc in scenarios_of(spec):
                for probe in sc.probes:
                    if len(tasks) == n:
                        return tasks
                    k = len(tasks)
                    mode = modes[k % len(modes)]
                    presentation = {"mode": mode, "scenario": sc.id, "depth": DEPTHS[(k // len(modes)) % 3],
                                    **({"target_tokens": target_tokens[k % len(target_tokens)]}
                                       if mode == "context" else {})}
                    draft = _task(sc, probe, spec, split, seed, presentation, cache)
                    tasks.append(draft.model_copy(update={"checks": labels(draft.checks, world)}))
        finally:
            world.close()
    return tasks


def _task(sc: Scenario, probe: Probe, spec: WorldSpec, split: Split, seed: int, presentation: dict[str, Any],
          cache: WorldCache) -> TaskSpec:
    mode = presentation["mode"]
    ipa = probe.kind == "IPA" and probe.action is not None
    apps = {"context": ["errands"], "tools": ["journal", "errands"], "stream": ["notebook", "errands"]}[mode]
    base = TaskSpec(
        id=f"{split}-memory-{spec.seed}-{probe.id}-{mode}".replace(":", "-"),
        family="memory", world=spec, instruction=probe.question, apps=apps,
        checks=[_probe_check(sc, probe), _untouched(probe.action["op"] if ipa and probe.action else "")],
        oracle=[PlanStep(tool="finish")], max_steps=20, presentation=presentation,
        meta=TaskMeta(category="memory", seed=seed, template=f"memory.{probe.kind}", split=split,
                      services=apps, world_digest=cache.digest(spec),
                      labels={"type": sc.type, "probe": probe.kind, "mode": mode, "topic": sc.topic,
                              "explicit": "yes" if sc.explicit else "no", **({"as_of": str(probe.as_of)}
                                                                             if probe.as_of else {})}),
    )
    plan = _oracle(sc, probe)
    if mode == "stream":
        shown = len(history(base, STREAM_TOKENS, float(presentation["depth"])))
        plan = [PlanStep(tool="next_session")] * shown + plan
    return base.model_copy(update={"oracle": plan, "max_steps": len(plan) + 20})


def _probe_check(sc: Scenario, probe: Probe) -> dict[str, Any]:
    expected = [probe.expected, *probe.expected_aliases]
    check = {"type": "memory_probe", "name": f"{probe.kind}: {probe.question}", "tier": "essential",
             "probe": probe.kind, "expected": expected, "stale": list(probe.stale)}
    if probe.kind == "IPA" and probe.action is not None:
        check["errand"] = probe.action["op"]
    return check


def _untouched(errand: str) -> dict[str, Any]:
    allow: list[dict[str, Any]] = [{"table": "notebook_entry"}]
    if errand:
        allow.append({"table": "errand", "where": {"kind": errand, "origin": {"contains": "agent:"}}})
    return {"type": "unchanged", "name": "nothing else is done or changed", "tier": "essential", "allow": allow,
            "ignore_tables": ["notification", "event_log", "meta"]}


def _oracle(sc: Scenario, probe: Probe) -> list[PlanStep]:
    if probe.kind == "IPA" and probe.action is not None:
        tool, field, payload = ERRANDS[probe.action["op"]]
        args = {field: probe.expected, payload: probe.action.get(payload) or topic(probe.topic).label}
        return [PlanStep(tool=tool, args=args), PlanStep(tool="finish", args={"answer": "Done."})]
    corrections = [{"what": topic(probe.topic).label, "now": probe.expected}] if probe.kind == "PR" else []
    reply = {"answer": probe.expected, "corrections": corrections}
    return [PlanStep(tool="finish", args={"answer": json.dumps(reply)})]
