"""OpenAIAgent against the scripted fake server, over real HTTP on 127.0.0.1 only."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from clawgym.agents.fake_openai import FakeOpenAIServer
from clawgym.agents.openai_agent import OpenAIAgent
from clawgym.envs.action import parse_action

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "mail_search",
            "description": "Search the user's mail.",
            "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "finish",
            "description": "End the task.",
            "parameters": {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]},
        },
    },
]
INFO = {"tools": TOOLS}
FIRST = "You are the digital assistant of Ada. How much was the last invoice?"
ENV_VARS = ("OPENAI_BASE_URL", "OPENAI_MODEL", "CLAWGYM_MODEL", "OPENAI_API_KEY")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy and no configuration from the outside: requests go to the fake server and nowhere else."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", *ENV_VARS):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def make_agent(server: FakeOpenAIServer, **kwargs: Any) -> OpenAIAgent:
    agent = OpenAIAgent(model="fake-model", base_url=server.base_url, timeout=10, **kwargs)
    agent.reset(task=None, observation=FIRST, info=INFO)
    return agent


def search(query: str, call_id: str | None = None) -> dict[str, Any]:
    call: dict[str, Any] = {"name": "mail_search", "arguments": {"query": query}}
    if call_id:
        call["id"] = call_id
    return {"tool_calls": [call]}


def test_first_request_carries_system_user_and_tools(server: FakeOpenAIServer) -> None:
    server.add(search("invoice"))
    agent = make_agent(server, temperature=0.3, max_tokens=77)
    agent.act(FIRST, INFO)
    (request,) = server.requests
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert request["messages"][1]["content"] == FIRST
    assert request["tools"] == TOOLS
    assert request["model"] == "fake-model"
    assert request["temperature"] == 0.3 and request["max_tokens"] == 77


def test_tool_call_becomes_action_and_its_result_goes_back_with_its_id(server: FakeOpenAIServer) -> None:
    server.add(search("invoice", call_id="call_abc"), {"content": "42 EUR"})
    agent = make_agent(server)
    assert agent.act(FIRST, INFO) == {"tool": "mail_search", "args": {"query": "invoice"}}
    result = '[{"id": "m1", "subject": "Invoice", "amount": 42}]'
    agent.act(result, INFO)
    assistant, tool = server.requests[1]["messages"][-2:]
    assert assistant["role"] == "assistant"
    assert assistant["tool_calls"][0]["id"] == "call_abc"
    assert json.loads(assistant["tool_calls"][0]["function"]["arguments"]) == {"query": "invoice"}
    assert tool == {"role": "tool", "tool_call_id": "call_abc", "content": result}


def test_two_tool_calls_in_one_reply_come_back_over_two_acts(server: FakeOpenAIServer) -> None:
    server.add({"tool_calls": [
        {"name": "mail_search", "arguments": {"query": "invoice"}, "id": "c1"},
        {"name": "mail_search", "arguments": {"query": "receipt"}, "id": "c2"},
    ]})
    agent = make_agent(server)
    assert agent.act(FIRST, INFO)["args"] == {"query": "invoice"}
    assert agent.act("result one", INFO)["args"] == {"query": "receipt"}
    assert len(server.requests) == 1  # the second call came from the queue, not from the model
    agent.act("result two", INFO)
    tail = server.requests[1]["messages"][-3:]
    assert [m["role"] for m in tail] == ["assistant", "tool", "tool"]
    assert [(m["tool_call_id"], m["content"]) for m in tail[1:]] == [("c1", "result one"), ("c2", "result two")]


def test_text_reply_finishes_with_the_text_as_answer(server: FakeOpenAIServer) -> None:
    server.add({"content": "  The last invoice was 42 EUR.\n"})
    assert make_agent(server).act(FIRST, INFO) == {"tool": "finish", "args": {"answer": "The last invoice was 42 EUR."}}


def test_empty_script_answers_done(server: FakeOpenAIServer) -> None:
    assert make_agent(server).act(FIRST, INFO) == {"tool": "finish", "args": {"answer": "done"}}


def test_reply_function_answers_from_the_last_tool_message(server: FakeOpenAIServer) -> None:
    def answer(request: dict[str, Any]) -> dict[str, Any]:
        return {"content": f"found: {request['messages'][-1]['content']}"}

    server.add(search("invoice"), answer)
    agent = make_agent(server)
    agent.act(FIRST, INFO)
    assert agent.act("42 EUR", INFO)["args"] == {"answer": "found: 42 EUR"}


def test_malformed_arguments_go_to_the_env_as_an_assistant_message(server: FakeOpenAIServer) -> None:
    bad = '{"query": "invoice"'
    server.add({"tool_calls": [{"name": "mail_search", "arguments": bad, "id": "bad1"}]}, {"content": "gave up"})
    agent = make_agent(server)
    action = agent.act(FIRST, INFO)
    assert isinstance(action, dict) and action["role"] == "assistant"
    assert action["tool_calls"][0]["function"] == {"name": "mail_search", "arguments": bad}
    with pytest.raises(ValueError, match="not valid JSON"):  # what the env turns into an observation
        parse_action(action)
    error = "error: the arguments of mail_search are not valid JSON"
    agent.act(error, INFO)
    assistant, tool = server.requests[1]["messages"][-2:]
    assert assistant["tool_calls"][0]["function"]["arguments"] == "{}"  # history stays parseable for the server
    assert tool == {"role": "tool", "tool_call_id": "bad1", "content": error}


def test_usage_sums_tokens_and_times_each_call(server: FakeOpenAIServer) -> None:
    server.add(
        {**search("invoice"), "usage": {"prompt_tokens": 100, "completion_tokens": 7}},
        {"content": "42", "usage": {"prompt_tokens": 130, "completion_tokens": 3}},
    )
    agent = make_agent(server)
    agent.act(FIRST, INFO)
    agent.act("result", INFO)
    assert agent.usage["calls"] == 2
    assert (agent.usage["prompt_tokens"], agent.usage["completion_tokens"]) == (230, 10)
    latencies = agent.usage["latencies_s"]
    assert len(latencies) == 2 and agent.usage["latency_s"] == pytest.approx(sum(latencies))
    agent.reset(task=None, observation=FIRST, info=INFO)
    assert agent.usage["calls"] == 0


def test_environment_variables_configure_the_agent(server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("CLAWGYM_MODEL", "env-model")
    agent = OpenAIAgent()
    agent.reset(task=None, observation=FIRST, info=INFO)
    agent.act(FIRST, INFO)
    assert server.requests[0]["model"] == "env-model"
    monkeypatch.setenv("OPENAI_MODEL", "openai-model")  # OPENAI_MODEL comes before CLAWGYM_MODEL
    assert OpenAIAgent().model == "openai-model"
    assert OpenAIAgent(model="given").model == "given"  # an argument beats the environment


def test_one_server_error_is_retried(server: FakeOpenAIServer) -> None:
    server.fail_next(1)
    server.add({"content": "ok"})
    assert make_agent(server, max_retries=2).act(FIRST, INFO)["args"] == {"answer": "ok"}
    assert len(server.requests) == 2


def test_final_failure_raises_runtime_error_naming_endpoint_and_status(server: FakeOpenAIServer) -> None:
    server.fail_next(3, status=503)
    agent = make_agent(server, max_retries=1)
    with pytest.raises(RuntimeError, match=r"127\.0\.0\.1.*HTTP 503"):
        agent.act(FIRST, INFO)
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "OPENAI_MODEL"),
        ({"OPENAI_MODEL": "m"}, "OPENAI_BASE_URL"),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, "CLAWGYM_MODEL"),
    ],
)
def test_missing_configuration_names_the_variable(
    env: dict[str, str], missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    with pytest.raises(ValueError, match=missing):
        OpenAIAgent()


def test_fake_server_lists_its_model() -> None:
    with FakeOpenAIServer(model="tiny") as fake, urllib.request.urlopen(f"{fake.base_url}/models", timeout=5) as resp:
        assert json.load(resp)["data"][0]["id"] == "tiny"
    assert fake.requests == []


def test_no_tools_sends_no_tools_field(server: FakeOpenAIServer) -> None:
    agent = OpenAIAgent(model="fake-model", base_url=server.base_url, timeout=10)
    agent.reset(task=None, observation=FIRST, info={})
    agent.act(FIRST, {})
    assert "tools" not in server.requests[0]  # OpenAI rejects an empty tools list


def test_a_failing_reply_function_is_reported_not_retried(server: FakeOpenAIServer) -> None:
    def broken(request: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("tool")

    server.add(broken)
    with pytest.raises(RuntimeError, match="HTTP 500.*KeyError"):
        make_agent(server).act(FIRST, INFO)
    assert len(server.requests) == 1 and server.errors == ["KeyError: 'tool'"]
