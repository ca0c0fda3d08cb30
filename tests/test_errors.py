"""Errors: the tree drawn in clawgym.errors is the real class tree, and messages tell an agent what to fix."""

from __future__ import annotations

import re

import pytest

import clawgym.errors as errors
from clawgym.errors import ClawgymError, InvalidArguments, NotFound, OperationError, UnknownOperation
from clawgym.worlds import World


def documented_tree() -> dict[str, str | None]:
    """Class name -> parent class name, read from the tree at the top of the module docstring."""
    parents: dict[str, str | None] = {}
    stack: list[str] = []
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^([\s│├└─]*)([A-Z]\w+Error|[A-Z]\w+)\b", line)
        if not match or not (match.group(1).strip() or not stack) or match.group(2) not in errors.__all__:
            continue
        depth = len(match.group(1)) // 3
        del stack[depth:]
        parents[match.group(2)] = stack[-1] if stack else None
        stack.append(match.group(2))
    return parents


def test_documented_error_tree_matches_the_classes() -> None:
    tree = documented_tree()
    assert set(tree) == set(errors.__all__), "every exported error is drawn in the tree, and only those"
    for name, parent in tree.items():
        cls = getattr(errors, name)
        assert cls.__bases__ == ((getattr(errors, parent),) if parent else (Exception,)), name


def test_every_error_is_a_clawgym_error_and_agent_misuse_is_an_operation_error() -> None:
    assert all(issubclass(getattr(errors, n), ClawgymError) for n in errors.__all__)
    for name in ("InvalidArguments", "UnknownOperation", "NotFound", "Forbidden"):
        assert issubclass(getattr(errors, name), OperationError)
    for name in ("WorldError", "TaskError", "SandboxError"):
        assert not issubclass(getattr(errors, name), OperationError)


def test_invalid_argument_names_the_field_and_the_expected_form(world: World) -> None:
    with pytest.raises(InvalidArguments) as bad_address:
        world.call("mail.send", {"to": ["not-an-address"], "subject": "s", "body": "b"})
    assert "'to.0'" in str(bad_address.value) and "an email address" in str(bad_address.value)

    with pytest.raises(InvalidArguments) as bad_limit:
        world.call("mail.search", {"limit": 0})
    assert "'limit'" in str(bad_limit.value) and ">= 1" in str(bad_limit.value)

    with pytest.raises(InvalidArguments) as bad_type:
        world.call("mail.read", {"email_id": "seven"})
    assert "'email_id'" in str(bad_type.value) and "integer" in str(bad_type.value)


def test_missing_and_unknown_fields_are_named_with_the_accepted_ones(world: World) -> None:
    with pytest.raises(InvalidArguments) as exc:
        world.call("mail.send", {"to": ["a@example.com"], "subjet": "typo", "body": "b"})
    message = str(exc.value)
    assert "missing required field 'subject'" in message and "unknown field 'subjet'" in message
    assert "Accepted: {" in message and "cc?:" in message


def test_unknown_id_names_the_id_and_what_it_was_for(world: World) -> None:
    with pytest.raises(NotFound) as exc:
        world.call("mail.read", {"email_id": 987654})
    assert "987654" in str(exc.value) and "email" in str(exc.value)
    assert exc.value.ident == 987654 and exc.value.what == "email"


def test_unknown_operation_suggests_close_names(world: World) -> None:
    with pytest.raises(UnknownOperation) as exc:
        world.call("mail.sned", {})
    assert "'mail.sned'" in str(exc.value) and "did you mean" in str(exc.value) and "mail.send" in str(exc.value)
    with pytest.raises(UnknownOperation) as far:
        world.call("zzz.qqq", {})
    assert "did you mean" not in str(far.value)
