"""Memory probes, checked without an LLM: a structured reply (or an action on the world) against the current value.

A probe's reply is a JSON object ``{"answer": "...", "corrections": [{"what": "...", "now": "..."}]}``: the
answer, and every fact the request took for granted that is out of date (an empty list when nothing is). A
plain-text reply counts as an answer with no corrections. What passes, by probe kind:

- ``SR``, ``asof``: the answer names the expected value (any of its spellings), no superseded one, and offers no
  alternatives ("X or Y", "one of", a list: a hedge is wrong);
- ``control``: the same, and no correction is claimed (nothing changed: claiming a change is wrong);
- ``PR``: a correction whose ``now`` names the expected value and no superseded one (the premise is resisted);
- ``IPA``: an errand of the expected kind made in the episode targets the expected value, and none targets a
  superseded one (the action is right only under the new state).

>>> check = ProbeCheck(name="n", probe="SR", expected=["14 Oak Avenue", "14 Oak Ave"], stale=["9 Elm Street"])
>>> check.judge('{"answer": "You live at 14 Oak Ave.", "corrections": []}')
(True, 'the answer names 14 Oak Ave')
>>> check.judge('{"answer": "14 Oak Ave, or maybe 9 Elm Street"}')[0]
False
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from clawgym.verifiers.answer import _ALTERNATIVES, contains_phrase
from clawgym.verifiers.context import Context, _Check
from pydantic import Field

if TYPE_CHECKING:
    from clawgym.worlds.family import Family

ERRAND_TABLE = "errand"


class ProbeCheck(_Check):
    """A memory probe's verdict (see the module docstring)."""

    type: Literal["memory_probe"] = "memory_probe"
    probe: Literal["SR", "PR", "IPA", "control", "asof"]
    expected: list[str] = Field(min_length=1, description="the current (or as-of) value in every accepted spelling")
    stale: list[str] = Field(default_factory=list, description="spellings of values that must not be given")
    errand: str = Field(default="", description="IPA: the kind of errand the action must be (order, text, ...)")

    def problems(self, family: Family) -> list[str]:
        if self.probe == "IPA" and (not self.errand or ERRAND_TABLE not in family.schema):
            return [f"errand: an IPA probe needs an errand kind and {family.name} worlds with an {ERRAND_TABLE} table"]
        return []

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        if self.probe == "IPA":
            return self._acted(ctx.diff.table(ERRAND_TABLE).added)
        return self.judge(ctx.trajectory.answer)

    def judge(self, reply: str | None) -> tuple[bool, str]:
        """Whether a reply passes this (non-IPA) probe, and why; a malformed reply fails, never raises."""
        parsed = parse_reply(reply)
        if isinstance(parsed, str):
            return False, parsed
        answer, corrections = parsed
        if self.probe == "PR":
            right = [c for c in corrections if self._names_current(c)]
            return (bool(right), f"corrected to {right[0]}" if right else
                    f"no correction names the current value (corrections: {corrections or 'none'})")
        if self.probe == "control" and corrections:
            return False, f"claims a change where nothing changed: {corrections}"
        return self._names(answer, "the answer")

    def _names_current(self, text: str) -> bool:
        return self._names(text, "")[0]

    def _names(self, text: str, what: str) -> tuple[bool, str]:
        if _ALTERNATIVES.search(text):
            return False, f"{what or 'it'} hedges between alternatives: {text[:80]!r}"
        said = next((v for v in self.stale if contains_phrase(text, v)), None)
        if said is not None:
            return False, f"{what or 'it'} names the superseded value {said!r}"
        found = next((v for v in self.expected if contains_phrase(text, v)), None)
        if found is None:
            return False, f"{what or 'it'} does not name {self.expected[0]!r}"
        return True, f"{what} names {found}".strip()

    def _acted(self, added: tuple[dict[str, Any], ...]) -> tuple[bool, str]:
        mine = [r for r in added if r.get("kind") == self.errand and str(r.get("origin", "")).startswith("agent:")]
        wrong = [r for r in mine if any(contains_phrase(str(r["target"]), v) for v in self.stale)]
        if wrong:
            return False, f"{self.errand} {wrong[0]['id']} went to the superseded {wrong[0]['target']!r}"
        right = [r for r in mine if any(contains_phrase(str(r["target"]), v) for v in self.expected)]
        if not right:
            return False, f"no new {self.errand} targets {self.expected[0]!r} ({len(mine)} {self.errand}(s) made)"
        return True, f"{self.errand} {right[0]['id']} targets {right[0]['target']!r}"


def parse_reply(reply: str | None) -> tuple[str, list[str]] | str:
    """(answer, corrections as texts) of a reply, or a line saying why it is not one."""
    if reply is None or not reply.strip():
        return "no answer given"
    try:
        data = json.loads(reply)
    except json.JSONDecodeError:
        return reply, []  # a plain-text answer: no corrections claimed
    if isinstance(data, str):
        return data, []
    if not isinstance(data, dict) or not isinstance(data.get("answer", ""), str):
        return 'the reply must be {"answer": "...", "corrections": [...]}, got ' + type(data).__name__
    raw = data.get("corrections") or []
    if not isinstance(raw, list):
        return "corrections must be a list"
    corrections = [c.get("now", "") if isinstance(c, dict) else c for c in raw]
    return str(data.get("answer", "")), [str(c) for c in corrections]
