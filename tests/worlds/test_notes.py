"""Notes: writing, finding and organizing notes; the wifi password that changed without the old note changing."""

from __future__ import annotations

import pytest

from clawgym.errors import InvalidArguments, NotFound
from clawgym.worlds import World


def test_create_search_append_and_get(world: World) -> None:
    note = world.call("notes.create", {"title": "Boiler", "body": "Service code B-17", "notebook": "House"})
    assert note["created"] == note["updated"] == world.iso_now()
    assert [n["id"] for n in world.call("notes.search", {"query": "b-17"})] == [note["id"]]
    world.call("notes.append", {"note_id": note["id"], "text": "Filter changed"})
    assert world.call("notes.get", {"note_id": note["id"]})["body"] == "Service code B-17\nFilter changed"


def test_search_text_is_literal_not_a_wildcard(world: World) -> None:
    world.call("notes.create", {"title": "Discounts", "body": "50% off at the bakery"})
    assert len(world.call("notes.search", {"query": "50%"})) == 1
    assert world.call("notes.search", {"query": "zz%zz"}) == []


def test_pinned_notes_come_first(world: World) -> None:
    old = world.call("notes.create", {"title": "Pinned one", "notebook": "Lists"})
    world.call("notes.create", {"title": "Newer", "notebook": "Lists"})
    world.call("notes.pin", {"note_id": old["id"]})
    listed = world.call("notes.list", {"notebook": "Lists"})
    assert [n["title"] for n in listed] == ["Pinned one", "Newer"] and listed[0]["pinned"]
    assert [n["title"] for n in world.call("notes.list", {"notebook": "Lists", "pinned_only": True})] == ["Pinned one"]


def test_notebooks_are_counted_and_notes_move_between_them(world: World) -> None:
    counts = {b["notebook"]: b["notes"] for b in world.call("notes.list_notebooks", {})}
    assert counts.get("Personal", 0) >= 2
    note = world.call("notes.create", {"title": "Tmp", "notebook": "Scratch"})
    world.call("notes.move_to_notebook", {"note_id": note["id"], "notebook": "Personal"})
    after = {b["notebook"]: b["notes"] for b in world.call("notes.list_notebooks", {})}
    assert "Scratch" not in after and after["Personal"] == counts["Personal"] + 1


def test_update_needs_a_field_and_missing_notes_are_named(world: World) -> None:
    note = world.call("notes.create", {"title": "A", "body": "b"})
    before = world.digest()
    with pytest.raises(InvalidArguments, match="title and/or body"):
        world.call("notes.update", {"note_id": note["id"]})
    with pytest.raises(NotFound, match="note with id 999999"):
        world.call("notes.get", {"note_id": 999999})
    assert world.digest() == before
    assert world.call("notes.update", {"note_id": note["id"], "title": "A2"})["body"] == "b"
    world.call("notes.delete", {"note_id": note["id"]})
    with pytest.raises(NotFound):
        world.call("notes.delete", {"note_id": note["id"]})


def test_the_new_wifi_password_lives_in_a_later_note_while_the_old_note_is_unchanged(world: World) -> None:
    seed = world.store.select("fact", {"key": "notes.wifi_password", "kind": "seed"})[0]
    new = world.store.select("fact", {"key": "notes.wifi_password", "kind": "conflict"})[0]
    assert seed["superseded_by"] == new["id"] and new["record_id"] != seed["record_id"]
    old_note = world.call("notes.get", {"note_id": seed["record_id"]})
    new_note = world.call("notes.get", {"note_id": new["record_id"]})
    assert seed["value"] in old_note["body"] and new["value"] not in old_note["body"]
    assert new["value"] in new_note["body"] and new_note["created"] > old_note["updated"]
    conflict = world.store.select("conflict", {"key": "notes.wifi_password"})[0]
    assert not conflict["explicit"]
    hits = world.call("notes.search", {"query": "wifi password"})
    assert hits[0]["id"] == new["record_id"]


def test_noise_notes_hold_other_codes(world: World) -> None:
    locker = world.store.select("fact", {"key": "notes.locker_code", "kind": "seed"})[0]
    bike = world.store.select("fact", {"key": "noise.notes.locker_code"})[0]
    assert bike["near"] == "notes.locker_code" and bike["record_id"] != locker["record_id"]
    assert locker["value"] in world.call("notes.get", {"note_id": locker["record_id"]})["body"]
