"""The verifier end to end: hierarchical scores, verdict JSON, inaction labels, and the package's exports."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

import clawgym.verifiers as verifiers
from clawgym.verifiers import CheckResult, Trajectory, Verdict, labels, verify
from clawgym.worlds import World, family


def results(essential: list[bool], additional: list[bool]) -> list[CheckResult]:
    return [CheckResult(f"e{i}", "exists", "essential", p, "") for i, p in enumerate(essential)] + \
        [CheckResult(f"a{i}", "called", "additional", p, "") for i, p in enumerate(additional)]


@pytest.mark.parametrize(("essential", "additional", "score", "passed"), [
    ([True, True], [], 1.0, True),
    ([True, True], [True, True], 1.0, True),
    ([True, True], [True, False], 0.75, True),
    ([True, True], [False, False], 0.5, True),
    ([True, False], [True, True], 0.25, False),  # additional credit does not count while an essential fails
    ([True, True, True, False], [], 0.375, False),
    ([False, False], [True], 0.0, False),
    ([], [True, False], 0.75, True),
    ([], [], 1.0, True),
])
def test_additional_credit_counts_only_once_every_essential_passes(essential: list[bool], additional: list[bool],
                                                                  score: float, passed: bool) -> None:
    v = Verdict.of(results(essential, additional))
    assert v.score == pytest.approx(score) and v.passed is passed


def test_score_never_falls_when_one_more_check_passes() -> None:
    for n_ess in range(1, 4):
        for n_add in range(0, 3):
            for e in range(n_ess + 1):
                for a in range(n_add + 1):
                    base = Verdict.of(results([True] * e + [False] * (n_ess - e), [True] * a + [False] * (n_add - a)))
                    if e < n_ess:
                        more = Verdict.of(results([True] * (e + 1) + [False] * (n_ess - e - 1),
                                                  [True] * a + [False] * (n_add - a)))
                        assert more.score > base.score
                    if a < n_add:
                        more = Verdict.of(results([True] * e + [False] * (n_ess - e),
                                                  [True] * (a + 1) + [False] * (n_add - a - 1)))
                        assert more.score >= base.score


def test_verdict_round_trips_through_json() -> None:
    v = Verdict.of(results([True, False], [True]))
    assert Verdict.from_json(v.to_json()) == v
    assert "score 0.250 (failed)" in v.summary() and [r.name for r in v.failed()] == ["e1"]


CHECKS: list[dict[str, Any]] = [
    {"type": "exists", "name": "a mail to Bob about the move is sent", "table": "email", "new_only": True,
     "where": {"folder": "sent", "to": {"contains": "bob@example.com"}, "subject": {"contains": "moved"}}},
    {"type": "unchanged", "name": "nothing else changed",
     "allow": [{"table": "email", "where": {"folder": "sent", "subject": {"contains": "moved"}}}]},
    {"type": "answer", "name": "the answer gives the new time", "tier": "additional",
     "matcher": {"kind": "text", "expected": "15:00", "alternatives": ["3 pm", "3pm"]}},
    {"type": "not_called", "name": "nothing is deleted", "tool": "mail.delete"},
]


def test_an_episode_scores_by_its_checks(start: World, end: World, act: Callable[..., Any],
                                         traj: Callable[..., Trajectory]) -> None:
    send = {"to": ["bob@example.com"], "subject": "Dentist moved", "body": "It is at 15:00 now."}
    act(end, "mail.send", send)
    full = verify(CHECKS, start, end, traj(("mail.send", send), ("finish", {"answer": "3pm"}), answer="3pm"))
    assert (full.score, full.passed) == (1.0, True)
    quiet = verify(CHECKS, start, end, traj(("mail.send", send)))
    assert (quiet.score, quiet.passed) == (0.5, True)
    assert [r.detail for r in quiet.results if not r.passed] == ["no answer given"]
    nothing = verify(CHECKS, start, start, traj())
    assert (nothing.score, nothing.passed) == (pytest.approx(2 / 3 * 0.5), False)


def test_labels_mark_the_checks_inaction_passes(start: World) -> None:
    labelled = labels(CHECKS, start)
    assert [c.inaction_passes for c in labelled] == [False, True, False, True]
    assert all(c.inaction_passes is None for c in verifiers.parse_checks(CHECKS, family("assistant")))
    # Labelled checks that inaction passes become gates: doing nothing earns no credit, and pass/fail is unchanged.
    gated, plain = verify(labelled, start, start, Trajectory()), verify(CHECKS, start, start, Trajectory())
    assert gated.score == 0.0 < plain.score
    assert gated.passed == plain.passed is False
    assert [r.passed for r in gated.results] == [r.passed for r in plain.results]


def test_all_exports_are_importable() -> None:
    assert sorted(verifiers.__all__) == sorted(set(verifiers.__all__))
    for name in verifiers.__all__:
        assert getattr(verifiers, name) is not None, name
    # Every public name the package holds is exported (submodules aside: importing one sets an attribute).
    public = {n for n in dir(verifiers) if not n.startswith("_") and not isinstance(getattr(verifiers, n), ModuleType)}
    assert public == set(verifiers.__all__)
