"""Filters: literals, operators, lists and text."""

from __future__ import annotations

import pytest

from clawgym.verifiers.where import matches, problems

ROW = {"id": 3, "folder": "sent", "to": ["Bob@Example.com", "amy@x.org"], "subject": "Dentist moved",
       "read": True, "at": "2026-03-05T15:00:00", "args": {"email_id": 4}, "note": None}


@pytest.mark.parametrize("where", [
    {},
    {"folder": "sent"},
    {"folder": "sent", "id": 3},
    {"to": {"contains": "bob@example.com"}},
    {"subject": {"contains": "DENTIST"}},
    {"at": {"ge": "2026-03-05", "lt": "2026-03-06"}},
    {"id": {"gt": 2, "le": 3}},
    {"folder": {"in": ["sent", "drafts"]}},
    {"folder": {"ne": "inbox"}},
    {"read": True},
    {"args": {"email_id": 4}},
    {"args": {"contains": "email_id"}},
    {"note": None},
    {"missing": None},
])
def test_filters_that_hold(where: dict) -> None:
    assert matches(ROW, where)


@pytest.mark.parametrize("where", [
    {"folder": "inbox"},
    {"folder": "sent", "id": 4},
    {"to": {"contains": "carl@example.com"}},
    {"to": {"contains": "bob"}},  # list items match whole, not as substrings
    {"at": {"lt": "2026-03-05"}},
    {"id": {"gt": "a"}},  # not comparable: does not hold, does not crash
    {"note": {"gt": 1}},
    {"folder": {"in": ["inbox"]}},
    {"read": 1},  # a boolean is not the number 1
    {"id": True},
])
def test_filters_that_do_not_hold(where: dict) -> None:
    assert not matches(ROW, where)


def test_problems_name_unknown_columns_and_operators() -> None:
    cols = ["id", "folder", "args"]
    assert problems({"folder": "x"}, cols) == []
    assert "unknown column 'nope'" in problems({"nope": 1}, cols)[0]
    assert "unknown operator(s) ['contians']" in problems({"folder": {"contians": "x"}}, cols)[0]
    assert "needs a list" in problems({"folder": {"in": "x"}}, cols)[0]
    # An object is a literal in a JSON column, but a half-operator object is still a mistake.
    assert problems({"args": {"email_id": 4}}, cols, literal_dicts=["args"]) == []
    assert problems({"args": {"eq": 1, "email_id": 4}}, cols, literal_dicts=["args"])
