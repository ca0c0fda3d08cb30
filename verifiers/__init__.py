"""Rewards: checks over the final world, the trajectory and the answer, aggregated into a Verdict.

>>> from clawgym.verifiers import verify, labels, diff, Trajectory, Step, Verdict
"""

from clawgym.verifiers.answer import DateMatcher, Matcher, NumberMatcher, RegexMatcher, SetMatcher, TextMatcher
from clawgym.verifiers.check import (
    AbsentCheck,
    Allow,
    AnswerCheck,
    BeforeCheck,
    CalledCheck,
    Check,
    CountCheck,
    EqualsCheck,
    ExistsCheck,
    NotCalledCheck,
    UnchangedCheck,
    parse_checks,
)
from clawgym.verifiers.diff import RowChange, StateDiff, TableDiff, diff
from clawgym.verifiers.trajectory import Step, Trajectory, read_jsonl, write_jsonl
from clawgym.verifiers.verdict import CheckResult, Verdict
from clawgym.verifiers.verifier import labels, verify

__all__ = [
    "AbsentCheck",
    "Allow",
    "AnswerCheck",
    "BeforeCheck",
    "CalledCheck",
    "Check",
    "CheckResult",
    "CountCheck",
    "DateMatcher",
    "EqualsCheck",
    "ExistsCheck",
    "Matcher",
    "NotCalledCheck",
    "NumberMatcher",
    "RegexMatcher",
    "RowChange",
    "SetMatcher",
    "StateDiff",
    "Step",
    "TableDiff",
    "TextMatcher",
    "Trajectory",
    "UnchangedCheck",
    "Verdict",
    "diff",
    "labels",
    "parse_checks",
    "read_jsonl",
    "verify",
    "write_jsonl",
]
