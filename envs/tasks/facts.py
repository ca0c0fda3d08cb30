"""Turning world facts into questions, answer matchers and the reference plan's lookup step."""

from __future__ import annotations

import re
from typing import Any

from clawgym.envs.tasks.template import Draft, untouched
from clawgym.envs.toolset import tool_name
from clawgym.worlds.operation import Pick
from clawgym.worlds.store import Row
from clawgym.worlds.world import World

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")
_MONEY = re.compile(r"^\$?([\d,]+\.\d{2})$")


def question(description: str, value: Any) -> str:
    """A question in the user's voice from a fact's description ("the user's X" -> "What is my X?")."""
    text = description.split(" (")[0]
    if ": " in text:  # descriptions that state the value after a colon keep only what precedes it
        text = text.split(": ")[0]
    text = re.sub(r"\bthe user's\b", "my", text)
    text = re.sub(r"\bthe user\b", "I", text)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"How much was {text}?" if not text.startswith(("monthly", "total")) else f"What is the {text}?"
    if text.startswith(("when ", "the day ", "the date ")):
        return f"Tell me {text}."
    return f"What is {text}?"


def answer_checks(value: Any, distractors: list[Any]) -> list[dict[str, Any]]:
    """The answer check(s) a fact's value calls for: a number, a date (and time), or text."""
    if isinstance(value, int) and not isinstance(value, bool):  # money is stored in cents
        return [_answer("the answer is the amount", {
            "kind": "number", "expected": abs(value) / 100, "abs_tol": 0.005,
            "distractors": [abs(d) / 100 for d in distractors if isinstance(d, int) and abs(d) != abs(value)]})]
    if isinstance(value, str) and _MONEY.match(value):
        amount = float(_MONEY.match(value).group(1).replace(",", ""))  # type: ignore[union-attr]
        return [_answer("the answer is the amount", {"kind": "number", "expected": amount, "abs_tol": 0.005})]
    if isinstance(value, str) and _DATE.match(value):
        return [_answer("the answer is the date", {"kind": "date", "expected": value,
                                                    "distractors": [d for d in distractors if _is_date(d, value)]})]
    if isinstance(value, str) and _DATETIME.match(value):
        day, time = value[:10], value[11:16]
        hour, minute = int(time[:2]), time[3:]
        twelve = f"{hour % 12 or 12}(:{minute})?\\s*{'pm' if hour >= 12 else 'am'}" if minute == "00" else \
            f"{hour % 12 or 12}:{minute}\\s*{'pm' if hour >= 12 else 'am'}"
        return [
            _answer("the answer is the day", {"kind": "date", "expected": day,
                                              "distractors": [d[:10] for d in distractors if _is_date(str(d)[:10], day)]}),
            _answer("the answer gives the time", {"kind": "regex", "pattern": f"\\b({time}|{twelve})\\b"}, "additional"),
        ]
    text = str(value)
    return [_answer("the answer is the value asked for", {
        "kind": "text", "expected": text, "distractors": [str(d) for d in distractors if str(d) != text]})]


def _is_date(candidate: Any, value: str) -> bool:
    return isinstance(candidate, str) and bool(_DATE.match(candidate[:10])) and candidate[:10] != value[:10]


def _answer(name: str, matcher: dict[str, Any], tier: str = "essential") -> dict[str, Any]:
    return {"type": "answer", "name": name, "tier": tier, "matcher": matcher}


def lookup_step(world: World, table: str, record_id: int | None) -> dict[str, Any] | None:
    """A read tool call that shows the record: the app's ``get``/``read`` operation for that table."""
    if record_id is None:
        return None
    if table == "file":
        row = world.store.get("file", record_id)
        return {"tool": "files_read_file", "args": {"path": row["path"]}} if row else None
    best: tuple[int, dict[str, Any]] | None = None
    for op in world.operations.exposed():
        if op.kind != "read":
            continue
        picks = [(k, v) for k, v in op.example.items() if isinstance(v, Pick)]
        if len(picks) != 1 or picks[0][1].table != table or picks[0][1].where:
            continue
        rank = 0 if op.name.split(".")[1].startswith(("get", "read")) else 1
        if best is None or rank < best[0]:
            best = (rank, {"tool": tool_name(op), "args": {picks[0][0]: record_id}})
    return best[1] if best else None


def fact_question_draft(world: World, fact: Row, distractors: list[Any], difficulty: str) -> Draft | None:
    """Ask for ``fact``: look its record up, answer with its value; ``distractors`` must not be the answer."""
    step = lookup_step(world, fact["tbl"], fact["record_id"])
    if step is None:
        return None
    return Draft(
        instruction=question(fact["description"], fact["value"]),
        checks=[*answer_checks(fact["value"], distractors), untouched()],
        oracle=[step, {"tool": "finish", "args": {"answer": fact_answer(fact)}}],
        services=[fact["app"]],
        difficulty=difficulty,
    )


def fact_answer(fact: Row) -> str:
    """The value as the oracle says it."""
    value = fact["value"]
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{abs(value) / 100:.2f}"
    if isinstance(value, str) and _DATETIME.match(value):
        return f"{value[:10]} at {value[11:16]}"
    return str(value)
