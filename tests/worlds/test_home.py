"""Home: device control, physical reports that notify, scenes, history, and the phone-only keypad codes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World, family

OPERATIONS = family("assistant").operations


def _device(world: World, name: str) -> dict:
    return next(d for d in world.call("home.list_devices", {}) if d["name"] == name)


def test_devices_by_room_and_kind(world: World) -> None:
    kitchen = {d["name"] for d in world.call("home.list_devices", {"room": "Kitchen"})}
    assert {"Kitchen lights", "Coffee maker", "Back door", "Smoke alarm"} <= kitchen
    locks = world.call("home.list_devices", {"kind": "lock"})
    assert all("locked" in d for d in locks) and len(locks) == 4


def test_brightness_turns_a_light_on_and_wrong_kinds_are_refused(world: World) -> None:
    lamp = _device(world, "Office lamp")
    on = world.call("home.set_brightness", {"device_id": lamp["id"], "brightness": 35})
    assert on["power"] and on["brightness"] == 35
    assert not world.call("home.set_brightness", {"device_id": lamp["id"], "brightness": 0})["power"]
    door = _device(world, "Front door")
    before = world.digest()
    with pytest.raises(Forbidden, match="no power switch"):
        world.call("home.set_power", {"device_id": door["id"], "on": True})
    with pytest.raises(Forbidden, match="not a thermostat"):
        world.call("home.set_temperature", {"device_id": lamp["id"], "temperature": 70})
    with pytest.raises(InvalidArguments, match="temperature"):
        world.call("home.set_temperature", {"device_id": _device(world, "Thermostat")["id"], "temperature": 120})
    with pytest.raises(NotFound, match="device with id 9999"):
        world.call("home.lock", {"device_id": 9999})
    assert world.digest() == before


def test_changes_are_logged_newest_first_and_no_op_changes_are_not(world: World) -> None:
    door = _device(world, "Back door")
    world.call("home.unlock", {"device_id": door["id"]})
    world.call("home.lock", {"device_id": door["id"]})
    again = world.call("home.lock", {"device_id": door["id"]})
    assert again["locked"]
    history = world.call("home.device_history", {"device_id": door["id"], "limit": 3})
    assert [h["change"] for h in history[:2]] == ["locked", "unlocked"] and history[0]["source"] == "app"
    assert world.call("home.get_device", {"device_id": door["id"]})["recent"][0]["change"] == "locked"


def test_a_physical_unlock_notifies_but_a_reading_does_not(world: World) -> None:
    door, thermo = _device(world, "Front door"), _device(world, "Thermostat")
    world.call("home.lock", {"device_id": door["id"]})
    n0 = world.store.count("notification", {"app": "home"})
    world.call("home.report", {"device_id": thermo["id"], "current_temp": 71.5, "source": "sensor"}, system=True)
    assert world.store.count("notification", {"app": "home"}) == n0
    assert world.call("home.get_device", {"device_id": thermo["id"]})["current_temp"] == 71.5
    world.call("home.report", {"device_id": door["id"], "locked": False}, system=True)
    note = world.call("notifications.list", {"app": "home", "limit": 1})[0]
    assert note["title"] == "Front door unlocked"
    with pytest.raises(InvalidArguments, match="has no brightness"):
        world.call("home.report", {"device_id": door["id"], "brightness": 10}, system=True)


def test_the_door_left_unlocked_after_the_window_notifies_when_the_clock_passes(world: World) -> None:
    door = _device(world, "Front door")
    assert door["locked"]
    world.advance(timedelta(days=3))
    assert not _device(world, "Front door")["locked"]
    assert "Front door unlocked" in [n["title"] for n in world.call("notifications.list", {"app": "home"})]


def test_scenes_apply_their_settings_and_are_validated(world: World) -> None:
    scenes = {s["name"]: s for s in world.call("home.list_scenes", {})}
    assert {"Good night", "Good morning", "Movie night", "Away"} <= set(scenes)
    tv = _device(world, "TV")
    world.call("home.set_power", {"device_id": tv["id"], "on": False})
    ran = world.call("home.run_scene", {"scene_id": scenes["Movie night"]["id"]})
    assert tv["id"] in [d["id"] for d in ran["changed"]]
    assert world.call("home.device_history", {"device_id": tv["id"], "limit": 1})[0]["source"] == "scene:Movie night"
    lamp, door = _device(world, "Bedroom lamp"), _device(world, "Back door")
    before = world.digest()
    with pytest.raises(InvalidArguments, match="cannot take brightness"):
        world.call("home.create_scene", {"name": "Bad", "actions": [{"device_id": door["id"], "brightness": 5}]})
    with pytest.raises(Forbidden, match="already exists"):
        world.call("home.create_scene", {"name": "Away", "actions": [{"device_id": lamp["id"], "power": True}]})
    assert world.digest() == before
    made = world.call("home.create_scene",
                      {"name": "Reading", "actions": [{"device_id": lamp["id"], "brightness": 60}]})
    world.call("home.run_scene", {"scene_id": made["id"]})
    assert _device(world, "Bedroom lamp")["brightness"] == 60
    world.call("home.delete_scene", {"scene_id": made["id"]})
    with pytest.raises(NotFound, match="scene"):
        world.call("home.run_scene", {"scene_id": made["id"]})


def test_keypad_codes_are_phone_only_and_the_seeded_garage_code_holds(world: World) -> None:
    assert OPERATIONS.get("home.get_access_code").devices == ("phone",)
    assert "home.get_access_code" not in {op.name for op in OPERATIONS.exposed(device="laptop")}
    fact = world.store.select("fact", {"key": "home.garage_code", "kind": "seed"})[0]
    garage = _device(world, "Garage door keypad")
    assert garage["id"] == fact["record_id"] and "code" not in garage and garage["has_code"]
    assert world.call("home.get_access_code", {"device_id": garage["id"]})["code"] == fact["value"]
    gate = world.store.select("fact", {"key": "noise.home.garage_code"})[0]
    assert gate["record_id"] != garage["id"] and gate["value"] != fact["value"]
    with pytest.raises(Forbidden, match="no keypad"):
        world.call("home.set_access_code", {"device_id": _device(world, "Front door")["id"], "code": "1234"})
    with pytest.raises(InvalidArguments, match="code"):
        world.call("home.set_access_code", {"device_id": garage["id"], "code": "12ab"})
