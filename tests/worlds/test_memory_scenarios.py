"""Memory scenarios: deterministic histories where a later session silently invalidates an earlier belief."""

from __future__ import annotations

import ast
import doctest
import hashlib
import importlib
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from itertools import islice
from pathlib import Path

import pytest

from clawgym.worlds import memory
from clawgym.worlds.memory.context import SEPARATOR, approx_tokens, arrange_context, render_context
from clawgym.worlds.memory.filler import filler
from clawgym.worlds.memory.scenario import Scenario, generate, window_of
from clawgym.worlds.memory.session import Session
from clawgym.worlds.memory.stale import from_stale, stale_haystack, to_stale
from clawgym.worlds.memory.topics import GROUPS, KINDS, TOPICS, topic
from clawgym.worlds.memory.values import POOLS, Value, draw, overlaps

START = date(2025, 1, 1)
MONTHS = 6
_HEADER = re.compile(r"^### Session (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) \|", re.MULTILINE)


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    return generate(seed=11, n=2000, start=START, months=MONTHS)


def _changed(scenarios: list[Scenario]) -> list[Scenario]:
    return [s for s in scenarios if s.type != "none"]


def _digest(seed: int) -> str:
    return hashlib.sha256(repr(generate(seed=seed, n=300, start=START, months=MONTHS)).encode()).hexdigest()


def _spoken(session: Session) -> str:
    """What was said in a session, without its dated header (a time there could read as a clock value)."""
    return "\n".join(text for _, text in session.turns).lower()


# --- determinism ---------------------------------------------------------------------------------------------------


def test_same_arguments_give_identical_scenarios() -> None:
    assert generate(seed=3, n=200, start=START, months=MONTHS) == generate(seed=3, n=200, start=START, months=MONTHS)
    assert generate(seed=3, n=50, start=START, months=MONTHS) != generate(seed=4, n=50, start=START, months=MONTHS)


def test_a_fresh_process_with_another_hash_seed_generates_the_same_bytes() -> None:
    code = (
        "import hashlib; from datetime import date; from clawgym.worlds.memory.scenario import generate; "
        f"print(hashlib.sha256(repr(generate(seed=5, n=300, start=date({START.year}, {START.month}, {START.day}), "
        f"months={MONTHS})).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == _digest(5)


# The family's services and builder (tables, operations) use the world engine; the scenario data does not.
WORLD_MODULES = {"journal.py", "notebook.py", "errands.py", "build.py"}


def test_the_scenario_modules_import_only_themselves_and_the_stdlib() -> None:
    package = Path(memory.__file__).parent
    init = ast.parse((package / "__init__.py").read_text())
    assert len(init.body) == 1 and ast.get_docstring(init)  # a docstring and nothing else
    for module in (m for m in package.glob("*.py") if m.name not in WORLD_MODULES):
        for node in ast.walk(ast.parse(module.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                root = name.split(".")[0]
                assert name.startswith("clawgym.worlds.memory") or root in sys.stdlib_module_names, (module, name)


def test_the_docstring_examples_run() -> None:
    for name in ("values", "topics", "filler", "context", "scenario", "stale", "reader"):
        module = importlib.import_module(f"clawgym.worlds.memory.{name}")
        assert doctest.testmod(module).failed == 0, name


# --- the catalogue -------------------------------------------------------------------------------------------------


def test_the_catalogue_has_at_least_100_distinct_topics_of_known_kinds() -> None:
    assert len(TOPICS) >= 100
    assert len({t.key for t in TOPICS}) == len(TOPICS)
    assert {t.kind for t in TOPICS} <= set(KINDS)
    assert {t.owner for t in TOPICS} > {"user", "sister", "mother", "best friend"}
    assert {t.action.op for t in TOPICS if t.action} == {"order", "text", "remind", "mail"}
    assert topic("home_address").action and topic("home_address").action.as_dict() == {
        "op": "order", "field": "ship_to", "item": "phone charger"}


def test_there_are_at_least_8_type_ii_groups_over_catalogue_topics() -> None:
    assert len(GROUPS) >= 8
    for group in GROUPS:
        assert len(group.dependents) >= 2
        for key in (group.root, *group.dependents):
            topic(key)


def test_every_pool_draws_values_clear_of_the_ones_to_avoid() -> None:
    rng = random.Random("pools")
    for name in POOLS:
        taken: list[Value] = []
        for _ in range(5):
            value = draw(name, rng, taken)
            assert not any(overlaps(value, other) for other in taken), name
            taken.append(value)
    with pytest.raises(ValueError, match="unknown value pool"):
        draw("nope", rng)


def test_no_fixed_sentence_spells_a_listed_value() -> None:
    """Names and list entries must only reach a session as values ("Austin" hides in "exhausting")."""
    from clawgym.worlds.memory import filler as filler_module
    from clawgym.worlds.memory import lexicon, people_rows, phrasing, user_rows

    fixed = repr((phrasing.OPENERS, phrasing.ACKS, phrasing.REPEATS, phrasing.NAMESAKES, phrasing.THIRD_PARTIES,
                  filler_module._THEMES, filler_module.PLAIN_TITLES, user_rows.USER_ROWS, people_rows.PEOPLE_ROWS,
                  lexicon.BYSTANDERS, lexicon.RELATIONS)).lower()
    listed = [*lexicon.FIRST_NAMES, *lexicon.LAST_NAMES]
    listed += [form for entries in lexicon.LISTS.values() for entry in entries for form in entry.split("|")]
    assert not [name for name in listed if name.lower() in fixed]


# --- generated scenarios -------------------------------------------------------------------------------------------


def test_shares_of_types_explicitness_and_controls(scenarios: list[Scenario]) -> None:
    types = Counter(s.type for s in scenarios)
    changed = _changed(scenarios)
    assert types["none"] == 400 and 0.15 <= types["II"] / len(changed) <= 0.25
    assert 0.45 <= sum(s.explicit for s in changed) / len(changed) <= 0.55
    small = [generate(seed=n, n=n, start=START, months=1) for n in (5, 20)]
    for batch in (scenarios, *small):
        probes = [p for s in batch for p in s.probes]
        assert sum(p.kind == "control" for p in probes) >= 0.10 * len(probes), len(batch)


def test_changed_scenarios_probe_sr_pr_asof_and_ipa_where_the_topic_has_an_action(scenarios: list[Scenario]) -> None:
    for s in _changed(scenarios):
        kinds = Counter(p.kind for p in s.probes if p.topic == s.topic)
        assert kinds["SR"] == kinds["PR"] == kinds["asof"] == 1
        assert kinds["IPA"] == (1 if topic(s.topic).action else 0)
        assert {p.topic for p in s.probes if p.kind == "SR"} == set(s.topics)
        for p in s.probes:
            assert p.changed and p.stale and p.scenario == s.id
            if p.kind == "asof":
                assert p.expected == s.old and p.stale[0] == s.new
                assert p.as_of and s.established_at.date() < p.as_of < s.changed_at.date()  # type: ignore[union-attr]
            if p.kind == "IPA":
                assert p.action == topic(p.topic).action.as_dict()  # type: ignore[union-attr]
    for s in scenarios:
        if s.type == "none":
            assert s.new is None and s.changed_at is None and s.dependents == ()
            assert {p.kind for p in s.probes} == {"control"}
            assert all(not p.changed and p.stale == () and p.expected == s.old for p in s.probes)


def test_old_new_and_bystander_values_never_contain_each_other(scenarios: list[Scenario]) -> None:
    for s in scenarios:
        forms = {p.topic: {f.lower() for f in (p.expected, *p.expected_aliases)} for p in s.probes
                 if p.kind in ("SR", "control")}
        stale = {p.topic: {f.lower() for f in p.stale} for p in s.probes if p.kind == "SR"}
        values = [forms[k] for k in forms] + [stale[k] for k in stale]
        for i, a in enumerate(values):
            for b in values[i + 1:]:
                assert not any(x in y or y in x for x in a for y in b), (s.id, a, b)
        user_values = set().union(*values)
        for session in s.sessions:
            if session.role in ("namesake", "third_party"):
                assert not any(v in _spoken(session) for v in user_values), (s.id, session.turns)


def test_establish_comes_before_the_update_and_both_before_the_window_end(scenarios: list[Scenario]) -> None:
    origin, end = window_of(START, MONTHS)
    for s in scenarios:
        assert [x.at for x in s.sessions] == sorted(x.at for x in s.sessions)
        assert all(origin <= x.at < end and x.scenario == s.id for x in s.sessions)
        if s.changed_at is None:
            continue
        assert s.established_at < s.changed_at < end
        updates = [x.at for x in s.sessions if x.role in ("update", "dependent_update")]
        assert all(x.at < min(updates) for x in s.sessions if x.role == "establish")
        assert all(s.changed_at < at for at in updates if at != s.changed_at)


def test_most_changed_scenarios_recall_the_old_value_after_the_update(scenarios: list[Scenario]) -> None:
    changed = _changed(scenarios)
    late = [s for s in changed if s.changed_at and any(x.role == "past_mention" and x.at > s.changed_at
                                                       for x in s.sessions)]
    assert len(late) >= 0.6 * len(changed)


def test_answering_with_the_latest_mentioned_value_fails_at_least_half_of_sr_probes(scenarios: list[Scenario]) -> None:
    hits = total = 0
    for s in scenarios:
        for probe in (p for p in s.probes if p.kind == "SR"):
            candidates = {f.lower(): probe.expected for f in (probe.expected, *probe.expected_aliases)}
            candidates.update({f.lower(): "stale" for f in probe.stale})
            latest = None
            for session in s.sessions:  # already in time order
                said = _spoken(session)
                seen = [(said.rfind(f), value) for f, value in candidates.items() if f in said]
                if seen:
                    latest = max(seen)[1]
            total += 1
            hits += latest == probe.expected
    assert total > 2000 and hits <= 0.5 * total, hits / total


def test_every_value_is_said_in_some_session(scenarios: list[Scenario]) -> None:
    for s in scenarios[:300]:
        said = "\n".join(_spoken(x) for x in s.sessions)
        for p in s.probes:
            assert any(f.lower() in said for f in (p.expected, *p.expected_aliases)), (s.id, p.expected)


# --- filler and contexts -------------------------------------------------------------------------------------------


def test_filler_is_deterministic_and_never_states_a_value(scenarios: list[Scenario]) -> None:
    first = list(islice(filler(1, START, MONTHS), 300))
    assert first == list(islice(filler(1, START, MONTHS), 300))
    assert all(s.role == "filler" and s.scenario == "" for s in first)
    text = "\n".join(_spoken(s) for s in first)
    forms = {f.lower() for s in scenarios[:400] for p in s.probes for f in (p.expected, *p.expected_aliases, *p.stale)}
    assert not [f for f in forms if f in text]


@pytest.mark.parametrize("target", [8_000, 150_000])
def test_render_context_reaches_the_target_length(scenarios: list[Scenario], target: int) -> None:
    for s in scenarios[:5]:
        text = render_context(s.sessions, target_tokens=target, depths=0.5, seed=2, start=START, months=MONTHS)
        assert abs(approx_tokens(text) - target) <= 0.1 * target


@pytest.mark.parametrize("target", [8_000, 150_000])
def test_key_sessions_land_at_the_requested_depths_in_time_order(scenarios: list[Scenario], target: int) -> None:
    origin, end = window_of(START, MONTHS)
    for s in [x for x in scenarios if x.type == "II"][:5] + [x for x in scenarios if x.type == "I"][:5]:
        n = len(s.sessions)
        spread = {i: 0.05 + 0.9 * i / (n - 1) for i in range(n)}
        cases: list[tuple[dict[int, float] | float, dict[int, float]]] = [(spread, spread), ({1: 0.7}, {1: 0.7})]
        # one depth for all makes one block around it; a Type II block is up to a quarter of an 8k context
        if s.type == "I" or target > 8_000:
            cases.append((0.3, dict.fromkeys(range(n), 0.3)))
        for depths, checks in cases:
            text = render_context(s.sessions, target_tokens=target, depths=depths, seed=4, start=START, months=MONTHS)
            stamps = _HEADER.findall(text)
            assert stamps == sorted(stamps)
            assert origin <= datetime.fromisoformat(stamps[0]) and datetime.fromisoformat(stamps[-1]) <= end
            for i, wanted in checks.items():
                depth = text.index(s.sessions[i].text) / len(text)
                assert abs(depth - wanted) <= 0.1, (s.id, i, depth, wanted)


def test_depths_against_time_order_or_out_of_range_are_rejected(scenarios: list[Scenario]) -> None:
    s = _changed(scenarios)[0]
    kwargs = {"target_tokens": 4000, "seed": 0, "start": START, "months": MONTHS}
    with pytest.raises(ValueError, match="time order"):
        arrange_context(s.sessions, depths={0: 0.9, len(s.sessions) - 1: 0.1}, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"\[0.0, 1.0\]"):
        arrange_context(s.sessions, depths=1.5, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="there are"):
        arrange_context(s.sessions, depths={99: 0.5}, **kwargs)  # type: ignore[arg-type]


def test_a_context_is_never_shorter_than_its_key_sessions(scenarios: list[Scenario]) -> None:
    s = _changed(scenarios)[0]
    text = render_context(s.sessions, target_tokens=10, depths=0.5, seed=0, start=START, months=MONTHS)
    assert text == SEPARATOR.join(x.text for x in s.sessions)


def test_generation_and_rendering_are_fast() -> None:
    began = time.perf_counter()
    many = generate(seed=8, n=2000, start=START, months=12)
    generated = time.perf_counter() - began
    began = time.perf_counter()
    text = render_context(many[0].sessions, target_tokens=150_000, depths=0.5, seed=8, start=START, months=12)
    rendered = time.perf_counter() - began
    assert approx_tokens(text) > 135_000
    assert generated < 20 and rendered < 3, (generated, rendered)  # measured ~0.6 s and ~0.05 s; generous on purpose


# --- STALE interchange ---------------------------------------------------------------------------------------------


def _record(s: Scenario, target: int = 3000) -> tuple[dict[str, object], list[Session]]:
    context = arrange_context(s.sessions, target_tokens=target, depths=0.5, seed=1, start=START, months=MONTHS)
    return json.loads(json.dumps(to_stale(s, context))), context


def test_stale_round_trip_is_lossless(scenarios: list[Scenario]) -> None:
    picked = scenarios[:150]
    assert {s.type for s in picked} == {"I", "II", "none"}
    for s in picked:
        record, context = _record(s)
        assert from_stale(record, "round.json") == s
        assert stale_haystack(record) == context
        assert set(record) >= {"M_old", "M_new", "haystack_session", "relevant_session_index", "probing_queries"}
        old, new = record["relevant_session_index"]  # type: ignore[misc]
        assert context[old].at == s.established_at and old < new


def test_a_stale_record_missing_or_malformed_field_is_named(scenarios: list[Scenario]) -> None:
    record, _ = _record(_changed(scenarios)[0], target=6000)
    for mutate, field in (
        (lambda r: r.pop("M_new"), "M_new"),
        (lambda r: r.pop("haystack_session"), "haystack_session"),
        (lambda r: r["haystack_session"][3][1].pop("content"), r"haystack_session\[3\]\[1\]\.content"),
        (lambda r: r["haystack_session"][3][0].update(role="bot"), r"haystack_session\[3\]\[0\]\.role"),
        (lambda r: r.update(relevant_session_index=[10_000]), r"relevant_session_index\[0\]"),
        (lambda r: r["clawgym"]["probes"][0].pop("expected"), r"clawgym\.probes\[0\]\.expected"),
    ):
        broken = json.loads(json.dumps(record))
        mutate(broken)
        with pytest.raises(ValueError, match=rf"^bad\.json: {field}.*expected"):
            from_stale(broken, "bad.json")


def test_a_record_written_by_others_imports(scenarios: list[Scenario]) -> None:
    record = {
        "uid": "case_1", "type": "T1",
        "M_old": "I've been based in Seattle for the last few years.",
        "M_new": "I just finished settling into my new place in Austin.",
        "timestamps": ["2021-06-15 10:30", "2023-01-02 09:00", "2025-06-15T10:30:00Z"],
        "relevant_session_index": [0, 2],
        "probing_queries": {"dim1_query": "Does the user still live in Seattle?",
                            "dim2_query": "Since I'm in Seattle, what should I sign up for?",
                            "dim3_query": "What local setup steps should I take?"},
        "haystack_session": [
            [{"role": "user", "content": "I live in Seattle."}, {"role": "assistant", "content": "Got it!"}],
            [{"role": "user", "content": "Any pasta ideas?"}, {"role": "assistant", "content": "Try a carbonara."}],
            [{"role": "user", "content": "Unpacking boxes in Austin today."}],
        ],
    }
    s = from_stale(record, "theirs.json")
    assert (s.id, s.type, s.old, s.new) == ("case_1", "I", record["M_old"], record["M_new"])
    assert [p.kind for p in s.probes] == ["SR", "PR", "IPA"]
    assert s.probes[0].expected == record["M_new"] and s.probes[0].stale == (record["M_old"],)
    assert [x.role for x in s.sessions] == ["establish", "update"] and s.changed_at == datetime(2025, 6, 15, 10, 30)
    assert from_stale(to_stale(s, stale_haystack(record)), "again.json") == s
    del record["timestamps"]
    record["probing_queries"] = [{"type": "PR", "query": "Book me a Seattle dentist."}]
    record["relevant_session_index"] = [2]
    again = from_stale(record)
    assert [p.kind for p in again.probes] == ["SR", "PR"] and [x.role for x in again.sessions] == ["update"]
    assert to_stale(again, stale_haystack(record))["relevant_session_index"] == [2, 2]


def test_to_stale_needs_every_scenario_session_in_the_context(scenarios: list[Scenario]) -> None:
    s = _changed(scenarios)[0]
    with pytest.raises(ValueError, match="must contain every session"):
        to_stale(s, s.sessions[1:])
