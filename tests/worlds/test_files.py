"""Files: the home tree, path rules, and the file operations users rely on, end to end through world.call."""

from __future__ import annotations

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World
from clawgym.worlds.services.files import home_dir, tree


def _fact(world: World, key: str) -> dict:
    return world.store.select("fact", {"key": key, "kind": "seed"})[0]


def test_home_tree_lives_under_the_users_first_name(world: World) -> None:
    home = home_dir(world)
    assert home == f"/home/{world.persona.user.first.lower()}"
    names = [e["name"] for e in world.call("files.list_dir", {})]
    assert {"Documents", "Downloads", "Photos", "Music"} <= set(names)
    assert ".config" not in names
    assert ".config" in [e["name"] for e in world.call("files.list_dir", {"show_hidden": True})]
    assert all(row["path"].startswith(home) for row in tree(world))


def test_relative_tilde_and_absolute_paths_name_the_same_file(world: World) -> None:
    home = home_dir(world)
    a = world.call("files.read_file", {"path": "Documents/resume.txt"})
    b = world.call("files.read_file", {"path": "~/Documents/resume.txt"})
    c = world.call("files.read_file", {"path": f"{home}/Documents/./Work/../resume.txt"})
    assert a == b == c
    assert world.persona.user.name in a["content"]


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "~/../other/x.txt", "/home", "C:\\Users\\x"])
def test_paths_outside_the_home_are_refused_and_change_nothing(world: World, path: str) -> None:
    before = world.digest()
    with pytest.raises(InvalidArguments, match="field 'path'"):
        world.call("files.write_file", {"path": path, "content": "x"})
    assert world.digest() == before


def test_writing_into_a_missing_folder_says_how_to_make_it(world: World) -> None:
    before = world.digest()
    with pytest.raises(NotFound, match="files.mkdir"):
        world.call("files.write_file", {"path": "Projects/garden/plan.md", "content": "# plan"})
    assert world.digest() == before
    made = world.call("files.write_file", {"path": "Projects/garden/plan.md", "content": "# plan",
                                           "create_parents": True})
    assert made["path"].endswith("/Projects/garden/plan.md") and made["size"] == 6
    assert world.call("files.stat", {"path": "Projects"})["items"] == 1


def test_overwrite_false_refuses_to_replace_and_append_adds(world: World) -> None:
    with pytest.raises(Forbidden, match="already exists"):
        world.call("files.write_file", {"path": "Documents/resume.txt", "content": "", "overwrite": False})
    old = world.call("files.read_file", {"path": "Documents/resume.txt"})
    world.call("files.append_file", {"path": "Documents/resume.txt", "text": "\nPS"})
    new = world.call("files.read_file", {"path": "Documents/resume.txt"})
    assert new["content"] == old["content"] + "\nPS" and new["size"] == old["size"] + 3
    assert new["modified"] == world.iso_now()


def test_a_folder_with_contents_is_deleted_only_recursively(world: World) -> None:
    before = world.digest()
    with pytest.raises(Forbidden, match="recursive=true"):
        world.call("files.delete", {"path": "Documents/Taxes"})
    assert world.digest() == before
    inside = world.call("files.search", {"name": "*", "under": "Documents/Taxes"})
    gone = world.call("files.delete", {"path": "Documents/Taxes", "recursive": True})
    assert gone["items_inside"] == len(inside) > 0
    with pytest.raises(NotFound, match="Taxes"):
        world.call("files.stat", {"path": "Documents/Taxes/2025"})
    with pytest.raises(Forbidden):
        world.call("files.delete", {"path": "~"})


def test_moving_a_folder_carries_everything_inside(world: World) -> None:
    world.call("files.mkdir", {"path": "Archive"})
    moved = world.call("files.move", {"source": "Documents/Taxes", "destination": "Archive"})
    assert moved["path"] == f"{home_dir(world)}/Archive/Taxes" and moved["items_inside"] >= 4
    w2 = world.call("files.search", {"name": "W-2*", "under": "Archive"})
    assert len(w2) == 1 and w2[0]["path"].startswith(f"{home_dir(world)}/Archive/Taxes/2025/")
    assert world.call("files.search", {"name": "W-2*", "under": "Documents"}) == []
    assert world.call("files.read_file", {"path": w2[0]["path"]})["content"].startswith("Form W-2")
    with pytest.raises(Forbidden, match="inside itself"):
        world.call("files.move", {"source": "Archive", "destination": "Archive/Taxes/2024"})


def test_copy_keeps_the_source_and_refuses_to_clobber(world: World) -> None:
    copy = world.call("files.copy", {"source": "Documents/Recipes", "destination": "Documents/Recipes backup"})
    assert copy["items_inside"] == 1
    assert world.call("files.read_file", {"path": "Documents/Recipes backup/banana_bread.md"})["content"].startswith(
        "# Banana bread")
    assert world.call("files.read_file", {"path": "Documents/Recipes/banana_bread.md"})
    with pytest.raises(Forbidden, match="overwrite=true"):
        world.call("files.copy", {"source": "Documents/resume.txt", "destination": "Documents/budget.csv"})
    world.call("files.copy", {"source": "Documents/resume.txt", "destination": "Documents/budget.csv",
                              "overwrite": True})
    assert world.call("files.stat", {"path": "Documents/budget.csv"})["mime"] == "text/csv"


def test_search_by_glob_and_by_content_finds_the_seeded_passport(world: World) -> None:
    number = _fact(world, "files.passport_number")["value"]
    hits = world.call("files.search", {"text": number})
    assert [h["name"] for h in hits] == ["passport.txt"]
    assert number in hits[0]["match"]
    names = {h["name"] for h in world.call("files.search", {"name": "passport"})}
    assert names == {"passport.txt", "passport_renewal_form_DRAFT_old.txt"}
    assert all(h["name"].endswith(".jpg") for h in world.call("files.search", {"name": "*.JPG", "under": "Photos"}))
    with pytest.raises(InvalidArguments, match="name"):
        world.call("files.search", {})


def test_near_miss_draft_holds_a_different_passport_number(world: World) -> None:
    seed = _fact(world, "files.passport_number")
    noise = world.store.select("fact", {"key": "noise.files.passport_number"})[0]
    assert noise["value"] != seed["value"] and len(noise["value"]) == len(seed["value"])
    row = world.store.get("file", seed["record_id"])
    assert seed["value"] in row["content"] and noise["value"] not in row["content"]


def test_tags_stat_and_recent_files(world: World) -> None:
    world.call("files.tag_file", {"path": "Documents/resume.txt", "tag": "job hunt"})
    assert world.call("files.stat", {"path": "Documents/resume.txt"})["tags"] == ["job hunt"]
    world.call("files.tag_file", {"path": "Documents/resume.txt", "tag": "job hunt", "remove": True})
    assert world.call("files.stat", {"path": "Documents/resume.txt"})["tags"] == []
    recent = world.call("files.list_recent", {"limit": 5})
    assert [r["modified"] for r in recent] == sorted((r["modified"] for r in recent), reverse=True)
    assert not any(r["is_dir"] for r in recent)


def test_synced_files_get_a_fresh_name_instead_of_replacing(world: World) -> None:
    first = world.call("files.sync", {"path": "Downloads/statement.txt", "content": "one"}, system=True)
    second = world.call("files.sync", {"path": "Downloads/statement.txt", "content": "two"}, system=True)
    assert second["name"] == "statement (1).txt" and first["id"] != second["id"]
    with pytest.raises(Forbidden):
        world.call("files.sync", {"path": "Downloads/x.txt", "content": ""})


def test_reading_a_folder_or_listing_a_file_names_the_mistake(world: World) -> None:
    with pytest.raises(Forbidden, match="is a folder"):
        world.call("files.read_file", {"path": "Documents"})
    with pytest.raises(Forbidden, match="not a folder"):
        world.call("files.list_dir", {"path": "Documents/resume.txt"})
    with pytest.raises(NotFound, match="no file or folder at"):
        world.call("files.read_file", {"path": "Documents/nope.txt"})
