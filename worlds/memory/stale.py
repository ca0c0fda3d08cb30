"""STALE interchange: a scenario and its context as a STALE record, and records (ours or others') back.

A record has STALE's keys (``M_old``, ``M_new``, ``haystack_session``, ``relevant_session_index``,
``probing_queries``, ``timestamps``, ``uid``, ``type``, ``explanation``) plus, from us, a ``"clawgym"`` key holding
what STALE has no place for, so ``from_stale(to_stale(s, ctx)) == s`` and ``stale_haystack(...) == ctx``. Others'
records import too: their probes are read from a list of ``{type, query, answer}`` or STALE's
``{dim1_query, dim2_query, dim3_query}`` (SR, PR, IPA), the old and new values are the ``M_old``/``M_new`` text.

>>> from datetime import date
>>> from clawgym.worlds.memory.scenario import generate
>>> s = generate(seed=0, n=1, start=date(2025, 1, 1), months=3)[0]
>>> from_stale(to_stale(s, s.sessions)) == s
True
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from clawgym.worlds.memory.reader import Reader
from clawgym.worlds.memory.scenario import Probe, ProbeKind, Scenario, ScenarioType
from clawgym.worlds.memory.session import ROLES, Role, Session
from clawgym.worlds.memory.topics import topic

FORMAT_VERSION = 1
_TYPES: dict[str, ScenarioType] = {"I": "I", "II": "II", "none": "none", "T1": "I", "T2": "II"}
_STALE_TYPE = {"I": "T1", "II": "T2", "none": "none"}
_KINDS: tuple[str, ...] = ("SR", "PR", "IPA", "control", "asof")
_DIMENSIONS = {"dim1_query": "SR", "dim2_query": "PR", "dim3_query": "IPA"}
_FOREIGN_EPOCH = datetime(2000, 1, 1, 9, 0)  # sessions of an undated foreign record are one day apart from here


def _root_forms(scenario: Scenario) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every spelling of the root topic's old value, and of its new one (the same value for a control)."""
    sr = next(p for p in scenario.probes if p.topic == scenario.topic and p.kind in ("SR", "control"))
    current = (sr.expected, *sr.expected_aliases)
    return (sr.stale or current), current


def _key_turn(session: Session, forms: tuple[str, ...], fallback: str) -> str:
    """The user turn of ``session`` that states one of ``forms``: STALE's M_old and M_new are utterances."""
    for speaker, text in session.turns:
        if speaker == "user" and any(f in text for f in forms):
            return text
    return fallback


def _key_sessions(scenario: Scenario) -> tuple[Session, Session]:
    """The session that established the root value, and the one that changed it (for a control, the last repeat)."""
    # a foreign record with one relevant session has no establish session: its first session stands in
    established = next((s for s in scenario.sessions if s.role == "establish" and s.at == scenario.established_at),
                       scenario.sessions[0])
    later_role = "update" if scenario.new is not None else "control_mention"
    later = [s for s in scenario.sessions if s.role == later_role]
    return established, (later[-1] if later else established)


def _probe_json(p: Probe) -> dict[str, Any]:
    return {"id": p.id, "kind": p.kind, "question": p.question, "expected": p.expected,
            "expected_aliases": list(p.expected_aliases), "stale": list(p.stale), "changed": p.changed,
            "topic": p.topic, "as_of": p.as_of.isoformat() if p.as_of else None, "action": p.action}


def to_stale(scenario: Scenario, context_sessions: Sequence[Session]) -> dict[str, Any]:
    """``scenario`` as a STALE record whose haystack is ``context_sessions`` (which must hold all its sessions)."""
    index = {session: i for i, session in enumerate(context_sessions)}
    missing = [s.at.isoformat() for s in scenario.sessions if s not in index]
    if missing:
        raise ValueError(f"context_sessions must contain every session of {scenario.id}; missing those at {missing}")
    established, later = _key_sessions(scenario)
    old_forms, new_forms = _root_forms(scenario)
    subject = _subject(scenario).capitalize()
    m_old = _key_turn(established, old_forms, f"{subject} is {scenario.old}.")
    return {
        "uid": scenario.id,
        "type": _STALE_TYPE[scenario.type],
        "M_old": m_old,
        "M_new": _key_turn(later, new_forms, f"{subject} is {scenario.new or scenario.old}."),
        "explanation": _explanation(scenario),
        "haystack_session": [[{"role": r, "content": c} for r, c in s.turns] for s in context_sessions],
        "timestamps": [f"{s.at:%Y-%m-%d %H:%M}" for s in context_sessions],
        "relevant_session_index": [index[established], index[later]],
        "probing_queries": [{"type": p.kind, "query": p.question, "answer": p.expected} for p in scenario.probes],
        "clawgym": {
            "version": FORMAT_VERSION, "id": scenario.id, "topic": scenario.topic, "type": scenario.type,
            "explicit": scenario.explicit, "old": scenario.old, "new": scenario.new,
            "established_at": scenario.established_at.isoformat(),
            "changed_at": scenario.changed_at.isoformat() if scenario.changed_at else None,
            "dependents": [list(d) for d in scenario.dependents],
            "sessions": [{"at": s.at.isoformat(), "title": s.title, "role": s.role, "scenario": s.scenario}
                         for s in context_sessions],
            "probes": [_probe_json(p) for p in scenario.probes],
        },
    }


def _subject(scenario: Scenario) -> str:
    # an imported foreign record has no topic of ours
    return topic(scenario.topic).subject if scenario.topic else "the state"


def _explanation(scenario: Scenario) -> str:
    label = _subject(scenario)
    if scenario.new is None:
        return f"Unchanged: {label} is still {scenario.old}."
    moved = "".join(f" It brought {topic(k).subject} from {o} to {n}." for k, o, n in scenario.dependents)
    return f"{label.capitalize()} changed from {scenario.old} to {scenario.new}.{moved}"


def _haystack(r: Reader, record: dict[str, Any]) -> list[tuple[tuple[str, str], ...]]:
    sessions = r.items(record, "haystack_session", "a list of sessions, each a list of {role, content} turns")
    out = []
    for i, session in enumerate(sessions):
        turns = r.items_at(session, f"haystack_session[{i}]", "a list of {role, content} turns")
        out.append(tuple(r.turn(turn, f"haystack_session[{i}][{j}]") for j, turn in enumerate(turns)))
    return out


def _relevant(r: Reader, record: dict[str, Any], n: int) -> list[int]:
    indices = r.items(record, "relevant_session_index", f"a non-empty list of session indices in 0..{n - 1}")
    if not indices:
        r.fail("relevant_session_index", f"a non-empty list of session indices in 0..{n - 1}", indices)
    for j, i in enumerate(indices):
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < n:
            r.fail(f"relevant_session_index[{j}]", f"an index into haystack_session (0..{n - 1})", i)
    return cast(list[int], indices)


def stale_haystack(record: dict[str, Any], source: str = "<record>") -> list[Session]:
    """The record's whole haystack as sessions: our dates, titles and roles when it has them, else synthetic ones."""
    r = Reader(source)
    turns = _haystack(r, r.mapping(record, "the record", "a JSON object"))
    meta = record.get("clawgym")
    if meta is not None:
        rows = r.items(r.mapping(meta, "clawgym", "an object"), "sessions", "a list, one entry per haystack session",
                       path="clawgym.sessions")
        if len(rows) != len(turns):
            r.fail("clawgym.sessions", f"{len(turns)} entries, one per haystack session", f"{len(rows)} entries")
        return [_our_session(r, row, f"clawgym.sessions[{i}]", t) for i, (row, t) in enumerate(zip(rows, turns))]
    times = _times(r, record, len(turns))
    relevant = _relevant(r, record, len(turns))
    # STALE's relevant sessions are [the old observation, the new one]; with a single index it is the new one
    roles: dict[int, Role] = {i: "update" for i in relevant}
    if len(relevant) > 1:
        roles[relevant[0]] = "establish"
    sid = str(record.get("uid") or source)
    return [Session(times[i], f"Session {i + 1}", t, roles.get(i, "filler"), sid if i in roles else "")
            for i, t in enumerate(turns)]


def _our_session(r: Reader, row: object, path: str, turns: tuple[tuple[str, str], ...]) -> Session:
    row = r.mapping(row, path, "an object with at, title, role, scenario")
    role = r.choice(row, "role", ROLES, path=f"{path}.role")
    return Session(r.moment(row, "at", path=f"{path}.at"), r.string(row, "title", path=f"{path}.title"), turns,
                   cast(Role, role), r.string(row, "scenario", path=f"{path}.scenario", empty=True))


def _times(r: Reader, record: dict[str, Any], n: int) -> list[datetime]:
    if "timestamps" not in record:
        return [_FOREIGN_EPOCH + timedelta(days=i) for i in range(n)]
    stamps = r.items(record, "timestamps", f"a list of {n} ISO dates, one per haystack session")
    if len(stamps) != n:
        r.fail("timestamps", f"{n} ISO dates, one per haystack session", f"{len(stamps)} entries")
    out = []
    for i, _ in enumerate(stamps):
        at = r.moment(stamps, i, path=f"timestamps[{i}]")
        out.append(at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at)
    return out


def from_stale(record: dict[str, Any], source: str = "<record>") -> Scenario:
    """The scenario a STALE record describes; raises ``ValueError`` naming ``source`` and the field at fault."""
    r = Reader(source)
    record = r.mapping(record, "the record", "a JSON object")
    for key in ("M_old", "M_new"):
        r.string(record, key)
    haystack = stale_haystack(record, source)
    _relevant(r, record, len(haystack))
    if "clawgym" in record:
        return _ours(r, record["clawgym"], haystack)
    return _foreign(r, record, haystack, source)


def _ours(r: Reader, meta: dict[str, Any], haystack: list[Session]) -> Scenario:
    sid = r.string(meta, "id", path="clawgym.id")
    version = meta.get("version")
    if version != FORMAT_VERSION:
        r.fail("clawgym.version", f"{FORMAT_VERSION}", version)
    kind = _TYPES[r.choice(meta, "type", ("I", "II", "none"), path="clawgym.type")]
    new = meta.get("new")
    if new is not None and not isinstance(new, str):
        r.fail("clawgym.new", "a string or null", new)
    changed_at = meta.get("changed_at")
    dependents = r.items(meta, "dependents", "a list of [topic, old, new]", path="clawgym.dependents")
    for i, d in enumerate(dependents):
        if not (isinstance(d, list) and len(d) == 3 and all(isinstance(x, str) for x in d)):
            r.fail(f"clawgym.dependents[{i}]", "[topic, old, new], three strings", d)
    probes = r.items(meta, "probes", "a list of probe objects", path="clawgym.probes")
    return Scenario(
        sid, r.string(meta, "topic", path="clawgym.topic", empty=True), kind,
        r.flag(meta, "explicit", path="clawgym.explicit"),
        r.string(meta, "old", path="clawgym.old"), new, r.moment(meta, "established_at", path="clawgym.established_at"),
        None if changed_at is None else r.moment(meta, "changed_at", path="clawgym.changed_at"),
        tuple((d[0], d[1], d[2]) for d in dependents), tuple(s for s in haystack if s.scenario == sid),
        tuple(_probe(r, p, f"clawgym.probes[{i}]", sid) for i, p in enumerate(probes)),
    )


def _probe(r: Reader, raw: object, path: str, sid: str) -> Probe:
    p = r.mapping(raw, path, "a probe object")
    as_of, action = p.get("as_of"), p.get("action")
    if action is not None and not (isinstance(action, dict) and all(isinstance(v, str) for v in action.values())):
        r.fail(f"{path}.action", "null or an object of strings", action)
    return Probe(
        r.string(p, "id", path=f"{path}.id"), sid, cast(ProbeKind, r.choice(p, "kind", _KINDS, path=f"{path}.kind")),
        r.string(p, "question", path=f"{path}.question"), r.string(p, "expected", path=f"{path}.expected"),
        r.strings(p, "expected_aliases", path=f"{path}.expected_aliases"), r.strings(p, "stale", path=f"{path}.stale"),
        r.flag(p, "changed", path=f"{path}.changed"), r.string(p, "topic", path=f"{path}.topic", empty=True),
        None if as_of is None else date.fromisoformat(r.string(p, "as_of", path=f"{path}.as_of")), action,
    )


def _queries(r: Reader, record: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(kind, query, answer)`` from either probe layout; an empty answer means "the new state"."""
    raw = record.get("probing_queries")
    accepted = "a list of {type, query, answer} or an object with dim1_query, dim2_query, dim3_query"
    if isinstance(raw, dict):
        return [(kind, r.string(raw, key, path=f"probing_queries.{key}"), "")
                for key, kind in _DIMENSIONS.items() if key in raw]
    queries = r.items(record, "probing_queries", accepted)
    out = []
    for i, q in enumerate(queries):
        q = r.mapping(q, f"probing_queries[{i}]", "an object with type, query and optionally answer")
        kind = r.choice(q, "type", _KINDS, path=f"probing_queries[{i}].type")
        answer = r.string(q, "answer", path=f"probing_queries[{i}].answer", empty=True) if "answer" in q else ""
        out.append((kind, r.string(q, "query", path=f"probing_queries[{i}].query"), answer))
    return out


def _foreign(r: Reader, record: dict[str, Any], haystack: list[Session], source: str) -> Scenario:
    """A record without our key: the values are the M_old/M_new text, the SR probe's answer is M_new."""
    sid = str(record.get("uid") or source)
    old, new = record["M_old"], record["M_new"]
    relevant = _relevant(r, record, len(haystack))
    queries = _queries(r, record)
    if not any(kind == "SR" for kind, _, _ in queries):
        queries.insert(0, ("SR", "Given everything I have told you, what is the current state of affairs?", ""))
    probes = tuple(Probe(f"{sid}:{kind.lower()}:{i}", sid, cast(ProbeKind, kind), query, answer or new, (),
                         (old,), kind != "control", "") for i, (kind, query, answer) in enumerate(queries))
    ours = [s for s in haystack if s.scenario == sid]
    established, changed = haystack[relevant[0]].at, haystack[relevant[-1]].at
    kind = _TYPES.get(str(record.get("type", "T1")), "I")
    return Scenario(sid, "", kind, False, old, new, established, changed, (), tuple(ours), probes)
