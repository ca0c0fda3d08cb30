"""Turning what an agent sends into one tool call, or into a message saying what was wrong."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ACCEPTED = (
    'Send one tool call as JSON: {"tool": "<name>", "args": {...}}, '
    'or an OpenAI assistant message with "tool_calls".'
)


@dataclass(frozen=True)
class ToolCall:
    """A parsed action: a tool name and its arguments, and the text it came from."""

    tool: str
    args: dict[str, Any]
    raw: str
    call_id: str = ""
    note: str = ""  # e.g. "2 further tool calls ignored"


class MalformedAction(ValueError):
    """An action that is not a tool call; its message is the agent's observation."""


def parse_action(action: str | dict[str, Any]) -> ToolCall:
    """A ToolCall from a JSON string or dict: ``{"tool", "args"}`` or an assistant message with ``tool_calls``."""
    raw = action if isinstance(action, str) else json.dumps(action, ensure_ascii=False, default=str)
    data: Any = action
    if isinstance(action, str):
        try:
            data = json.loads(action)
        except json.JSONDecodeError as exc:
            raise MalformedAction(f"error: the action is not valid JSON ({exc.msg} at column {exc.colno}). {ACCEPTED}") from None
    if not isinstance(data, dict):
        raise MalformedAction(f"error: the action must be a JSON object, got {type(data).__name__}. {ACCEPTED}")
    if "tool_calls" in data:
        return _from_message(data, raw)
    if "tool" not in data:
        raise MalformedAction(f"error: the action has no \"tool\" field. {ACCEPTED}")
    tool, args = data["tool"], data.get("args", {})
    extra = sorted(set(data) - {"tool", "args"})
    if extra:
        raise MalformedAction(f"error: unexpected fields {extra} in the action. {ACCEPTED}")
    return ToolCall(_name(tool), _args(args), raw)


def _from_message(message: dict[str, Any], raw: str) -> ToolCall:
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list) or not calls:
        content = message.get("content")
        if isinstance(content, str) and content.strip():
            raise MalformedAction(
                "error: the message has text but no tool call; to answer, call finish with your answer. " + ACCEPTED
            )
        raise MalformedAction(f"error: \"tool_calls\" is empty. {ACCEPTED}")
    call = calls[0]
    fn = call.get("function") if isinstance(call, dict) else None
    if not isinstance(fn, dict) or "name" not in fn:
        raise MalformedAction("error: a tool call needs {\"function\": {\"name\": ..., \"arguments\": \"<JSON>\"}}")
    arguments = fn.get("arguments") or "{}"
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError as exc:
            raise MalformedAction(
                f"error: the arguments of {fn['name']} are not valid JSON ({exc.msg} at column {exc.colno})"
            ) from None
    note = f"only the first tool call runs per step; {len(calls) - 1} more ignored" if len(calls) > 1 else ""
    return ToolCall(_name(fn["name"]), _args(arguments), raw, str(call.get("id", "")), note)


def _name(tool: Any) -> str:
    if not isinstance(tool, str) or not tool:
        raise MalformedAction(f"error: \"tool\" must be a tool name string, got {tool!r}. {ACCEPTED}")
    return tool


def _args(args: Any) -> dict[str, Any]:
    if not isinstance(args, dict):
        raise MalformedAction(f"error: \"args\" must be a JSON object, got {type(args).__name__}. {ACCEPTED}")
    return args
