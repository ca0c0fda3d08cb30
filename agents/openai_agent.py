"""An agent that asks any OpenAI-compatible chat endpoint (OpenAI, ``vllm serve``, ...) for tool calls.

>>> from clawgym.agents.openai_agent import OpenAIAgent
>>> agent = OpenAIAgent(model="Qwen/Qwen3-8B", base_url="http://localhost:8000/v1")  # doctest: +SKIP
>>> agent.reset(task=None, observation=obs, info=info)  # doctest: +SKIP
>>> action = agent.act(obs, info)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import openai

from clawgym.agents.agent import Action, finish
from clawgym.envs.task import TaskSpec

SYSTEM_PROMPT = (
    "You are the user's digital assistant. You act in their digital world (mail, calendar, messages, files, "
    "bank, shop...) only through the tools you are given. Look facts up instead of guessing; the newest "
    "information can supersede older facts. Do only what the user asked and change nothing else. Call one tool "
    "at a time and read its result. When the task is done, call finish with the answer the user asked for, or "
    "a short summary of what you did (or why you refused)."
)


class OpenAIAgent:
    """Chat completions with tools: one model reply may hold several tool calls, returned one per ``act``."""

    name = "openai"

    def __init__(
        self,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        temperature: float = 0.0,
        max_tokens: int = 1024,
        timeout: float = 60,
        max_retries: int = 2,
        system_prompt: str | None = None,
    ) -> None:
        model = model or os.environ.get("OPENAI_MODEL") or os.environ.get("CLAWGYM_MODEL")
        base_url = base_url or os.environ.get("OPENAI_BASE_URL")
        missing = []
        if not model:
            missing.append("a model (pass model=... or set OPENAI_MODEL or CLAWGYM_MODEL)")
        if not base_url:
            missing.append("a base URL (pass base_url=... or set OPENAI_BASE_URL, e.g. http://localhost:8000/v1)")
        if missing:
            raise ValueError("OpenAIAgent needs " + " and ".join(missing))
        assert model is not None and base_url is not None
        self.model = model
        self.base_url = base_url
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.system_prompt = system_prompt if system_prompt is not None else SYSTEM_PROMPT
        # Local servers ignore the key, but the client refuses to start without one.
        key = api_key or os.environ.get("OPENAI_API_KEY") or "EMPTY"
        self.client = openai.OpenAI(base_url=base_url, api_key=key, timeout=timeout, max_retries=max_retries)
        self.messages: list[dict[str, Any]] = []
        self.usage: dict[str, Any] = _fresh_usage()
        self._tools: list[dict[str, Any]] = []
        self._queue: list[tuple[str, Action]] = []  # (tool_call_id, action) still to hand to the env
        self._awaiting: str | None = None  # the tool_call_id whose result the next observation is
        self._fresh = False  # the next observation is the one reset already put in the user message

    def reset(self, task: TaskSpec | None, observation: str, info: dict[str, Any]) -> None:
        """Start a conversation: the system prompt, then the first observation as the user's message."""
        self.messages = [
            {"role": "system", "content": self.system_prompt},
            {"role": "user", "content": observation},
        ]
        self.usage = _fresh_usage()
        self._tools = list(info.get("tools") or [])
        self._queue = []
        self._awaiting = None
        self._fresh = True

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        """The next tool call: from the queue of the last reply, or from a new chat completion."""
        if not self.messages:
            raise RuntimeError("call reset() before act()")
        if self._awaiting is not None:
            self.messages.append({"role": "tool", "tool_call_id": self._awaiting, "content": observation})
            self._awaiting = None
        elif not self._fresh:
            # No tool call is waiting for this observation (the env went on without one): tell the model.
            self.messages.append({"role": "user", "content": observation})
        self._fresh = False
        if not self._queue:
            reply = self._complete(info.get("tools") or self._tools)
            self._queue = self._read(reply)
            if not self._queue:
                content = reply.content if isinstance(reply.content, str) else ""
                return finish(content.strip())
        self._awaiting, action = self._queue.pop(0)
        return action

    # -- the endpoint ----------------------------------------------------------------------
    def _complete(self, tools: list[dict[str, Any]]) -> Any:
        """One chat completion; usage and latency are added to ``self.usage``."""
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": self.messages,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        if tools:  # an empty tools list is an error on OpenAI's side
            kwargs["tools"] = tools
        start = time.perf_counter()
        try:
            completion = self.client.chat.completions.create(**kwargs)
        except openai.APIStatusError as exc:
            raise RuntimeError(
                f"chat completion at {self.base_url} failed with HTTP {exc.status_code}: {exc.message}"
            ) from exc
        except openai.APIError as exc:  # connection refused, timeout, unreadable response
            raise RuntimeError(f"chat completion at {self.base_url} failed: {exc}") from exc
        latency = time.perf_counter() - start
        self.usage["calls"] += 1
        self.usage["latency_s"] += latency
        self.usage["latencies_s"].append(latency)
        if completion.usage is not None:
            self.usage["prompt_tokens"] += completion.usage.prompt_tokens or 0
            self.usage["completion_tokens"] += completion.usage.completion_tokens or 0
        if not completion.choices:
            raise RuntimeError(f"chat completion at {self.base_url} returned no choices")
        return completion.choices[0].message

    def _read(self, message: Any) -> list[tuple[str, Action]]:
        """Record the assistant's reply in the conversation; its tool calls as actions for the env."""
        calls = [c for c in (message.tool_calls or []) if getattr(c, "function", None) is not None]
        entry: dict[str, Any] = {"role": "assistant", "content": message.content}
        if not calls:
            self.messages.append(entry)
            return []
        entry["tool_calls"] = []
        actions: list[tuple[str, Action]] = []
        for i, call in enumerate(calls):
            call_id = call.id or f"call_{len(self.messages)}_{i}"
            name, arguments = call.function.name, call.function.arguments or ""
            raw = {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
            args = _parse_arguments(arguments)
            if args is None:
                # The env is the one place that reports a bad action: hand it the call as the model made it.
                actions.append((call_id, {"role": "assistant", "content": message.content, "tool_calls": [raw]}))
                # Servers such as vLLM parse the arguments of past calls and reject the whole request on bad
                # JSON, so the history keeps "{}"; the env's error message in the tool result says what was wrong.
                raw = {**raw, "function": {"name": name, "arguments": "{}"}}
            else:
                actions.append((call_id, {"tool": name, "args": args}))
            entry["tool_calls"].append(raw)
        self.messages.append(entry)
        return actions


def _parse_arguments(arguments: str) -> dict[str, Any] | None:
    """The arguments as a dict, or None when they are not a JSON object."""
    if not arguments.strip():
        return {}
    try:
        args = json.loads(arguments)
    except json.JSONDecodeError:
        return None
    return args if isinstance(args, dict) else None


def _fresh_usage() -> dict[str, Any]:
    return {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "latency_s": 0.0, "latencies_s": []}
