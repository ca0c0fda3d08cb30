"""Home: the smart home's devices (lights, thermostat, locks, plugs, alarms), their history, and scenes.

What happens in the physical world (a switch flipped, a door opened with a key, a temperature reading)
arrives through ``home.report``; a door unlocking or an alarm going off notifies the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as Arg
from sqlalchemy import JSON, Column
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "home"
APPS = ("phone", "laptop")  # the home app; the cloud API has no smart-home bridge
Kind = Literal["light", "thermostat", "lock", "plug", "alarm"]
Brightness = Annotated[int, Arg(ge=0, le=100, description="percent, 0-100")]
Temperature = Annotated[float, Arg(ge=50, le=90, description="degrees Fahrenheit, 50-90")]
_STATE = ("power", "brightness", "temperature", "current_temp", "locked", "alarm", "battery")


class Device(Record, table=True):
    __tablename__ = "home_device"
    name: str = Field(index=True)
    kind: str = Field(index=True)
    room: str = ""
    power: bool | None = None  # lights, plugs, thermostat
    brightness: int | None = None  # lights, percent
    temperature: float | None = None  # thermostat set point, F
    current_temp: float | None = None  # thermostat reading, F
    locked: bool | None = None  # locks
    alarm: bool | None = None  # alarms: sounding or not
    battery: int | None = None  # percent, for battery devices
    code: str = ""  # keypad access code, for locks with a keypad
    updated: str = ""


class DeviceEvent(Record, table=True):
    __tablename__ = "home_device_event"
    device_id: int = Field(foreign_key="home_device.id", index=True)
    at: str  # read per device (by device_id), so no index of its own: reports are the hottest insert
    change: str  # "power on", "locked", "temperature 68.0"...
    source: str = ""  # app | scene:<name> | physical | sensor


class Scene(Record, table=True):
    __tablename__ = "home_scene"
    name: str = Field(index=True)
    actions: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))


class SceneAction(BaseModel):
    """What a scene does to one device; only the given settings change."""

    model_config = ConfigDict(extra="forbid")
    device_id: int
    power: bool | None = None
    brightness: Brightness | None = None
    temperature: Temperature | None = None
    locked: bool | None = None


def _show(row: dict[str, Any]) -> dict[str, Any]:
    out = {"id": row["id"], "name": row["name"], "kind": row["kind"], "room": row["room"]}
    out.update({k: row[k] for k in _STATE if row.get(k) is not None})
    if row.get("code"):
        out["has_code"] = True
    out["updated"] = row["updated"]
    return out


def _device(world: World, device_id: int, kind: str | None = None) -> dict[str, Any]:
    row = world.store.require(Device, device_id, "device")
    if kind is not None and row["kind"] != kind:
        raise Forbidden(f"device {device_id} ({row['name']}) is a {row['kind']}, not a {kind}")
    return row


def _describe(key: str, value: Any) -> str:
    """One state change as a history line: "power on", "locked", "brightness 40", "alarm sounding"."""
    if key == "locked":
        return "locked" if value else "unlocked"
    if key in ("power", "alarm"):
        words = ("on", "off") if key == "power" else ("sounding", "silenced")
        return f"{key} {words[0] if value else words[1]}"
    return f"{key} {value}"


def _change(world: World, row: dict[str, Any], changes: dict[str, Any], source: str) -> dict[str, Any]:
    """Apply state changes to a device and log each one that differs; returns the new device."""
    diff = {k: v for k, v in changes.items() if row.get(k) != v}
    if diff:
        now = world.iso_now()
        world.store.update(Device, row["id"], {**diff, "updated": now})
        for key, value in diff.items():
            world.store.insert(DeviceEvent, {"device_id": row["id"], "at": now, "source": source,
                                             "change": _describe(key, value)})
        row = {**row, **diff, "updated": now}
    return row


def _scene(world: World, scene_id: int) -> dict[str, Any]:
    return world.store.require(Scene, scene_id, "scene")


@operation(APP, "read", devices=APPS, example={"room": "living room"})
def list_devices(world: World, room: str | None = None, kind: Kind | None = None) -> list[dict[str, Any]]:
    """The home's devices with their current state, optionally of one room or kind (light, thermostat, lock, plug, alarm)."""
    where = {k: v for k, v in {"room": room.lower() if room else None, "kind": kind}.items() if v}
    return [_show(r) for r in world.store.select(Device, where, order_by="name")]


@operation(APP, "read", devices=APPS, example={"device_id": Pick("home_device")})
def get_device(world: World, device_id: int) -> dict[str, Any]:
    """One device's current state and its five latest changes."""
    row = _device(world, device_id)
    recent = world.store.query(DeviceEvent, "device_id = ? ORDER BY at DESC, id DESC LIMIT 5", (device_id,))
    return {**_show(row), "recent": [{"at": e["at"], "change": e["change"], "source": e["source"]} for e in recent]}


@operation(APP, "write", devices=APPS, example={"device_id": Pick("home_device", kind="light"), "on": True})
def set_power(world: World, device_id: int, on: bool) -> dict[str, Any]:
    """Turn a light, plug or the thermostat on or off."""
    row = _device(world, device_id)
    if row["power"] is None:
        raise Forbidden(f"device {device_id} ({row['name']}) is a {row['kind']}, it has no power switch")
    return _show(_change(world, row, {"power": on}, "app"))


@operation(APP, "write", devices=APPS, example={"device_id": Pick("home_device", kind="light"), "brightness": 40})
def set_brightness(world: World, device_id: int, brightness: Brightness) -> dict[str, Any]:
    """Dim a light to 0-100 percent; above 0 turns it on, 0 turns it off."""
    row = _device(world, device_id, "light")
    return _show(_change(world, row, {"brightness": brightness, "power": brightness > 0}, "app"))


@operation(APP, "write", devices=APPS, example={"device_id": Pick("home_device", kind="thermostat"), "temperature": 68})
def set_temperature(world: World, device_id: int, temperature: Temperature) -> dict[str, Any]:
    """Set the thermostat's target temperature in Fahrenheit (50-90); it turns the thermostat on."""
    row = _device(world, device_id, "thermostat")
    return _show(_change(world, row, {"temperature": float(temperature), "power": True}, "app"))


@operation(APP, "write", devices=APPS, example={"device_id": Pick("home_device", kind="lock")})
def lock(world: World, device_id: int) -> dict[str, Any]:
    """Lock a door lock (nothing changes if it is already locked)."""
    return _show(_change(world, _device(world, device_id, "lock"), {"locked": True}, "app"))


@operation(APP, "write", devices=("phone",), example={"device_id": Pick("home_device", kind="lock")})
def unlock(world: World, device_id: int) -> dict[str, Any]:
    """Unlock a door lock from the phone (nothing changes if it is already unlocked)."""
    return _show(_change(world, _device(world, device_id, "lock"), {"locked": False}, "app"))


@operation(APP, "write", devices=("phone",),
           example={"device_id": Pick("home_device", name="Garage door keypad"), "code": "482913"})
def set_access_code(world: World, device_id: int,
                    code: Annotated[str, Arg(pattern=r"^\d{4,8}$", description="4 to 8 digits")]) -> dict[str, Any]:
    """Set the keypad code of a lock that has a keypad (4 to 8 digits), from the phone."""
    row = _device(world, device_id, "lock")
    if row["code"] == "":
        raise Forbidden(f"lock {device_id} ({row['name']}) has no keypad")
    now = world.iso_now()
    world.store.update(Device, device_id, {"code": code, "updated": now})
    world.store.insert(DeviceEvent, {"device_id": device_id, "at": now, "change": "keypad code changed",
                                     "source": "app"})
    return {**_show({**row, "updated": now}), "code": code}


@operation(APP, "read", devices=("phone",), example={"device_id": Pick("home_device", name="Garage door keypad")})
def get_access_code(world: World, device_id: int) -> dict[str, Any]:
    """Show the keypad code of a lock (phone only)."""
    row = _device(world, device_id, "lock")
    if row["code"] == "":
        raise Forbidden(f"lock {device_id} ({row['name']}) has no keypad")
    return {"id": device_id, "name": row["name"], "code": row["code"]}


@operation(APP, "read", devices=APPS, example={})
def list_scenes(world: World) -> list[dict[str, Any]]:
    """The saved scenes with what each does."""
    scenes = world.store.select(Scene, order_by="name")
    return [{"id": s["id"], "name": s["name"], "actions": s["actions"]} for s in scenes]


@operation(APP, "write", devices=APPS, example={"scene_id": Pick("home_scene")})
def run_scene(world: World, scene_id: int) -> dict[str, Any]:
    """Run a scene: apply each of its device settings; returns the devices it changed."""
    scene = _scene(world, scene_id)
    changed = []
    for action in scene["actions"]:
        row = world.store.get(Device, action["device_id"])
        if row is None:
            raise NotFound("device", action["device_id"])
        settings = {k: v for k, v in action.items() if k != "device_id" and v is not None}
        if "brightness" in settings:
            settings["power"] = settings["brightness"] > 0
        after = _change(world, row, settings, f"scene:{scene['name']}")
        if after is not row:
            changed.append(_show(after))
    return {"id": scene_id, "scene": scene["name"], "changed": changed}


@operation(APP, "write", devices=APPS, example={
    "name": "Reading", "actions": [{"device_id": Pick("home_device", kind="light"), "brightness": 70}]})
def create_scene(world: World, name: Annotated[str, Arg(min_length=1, max_length=60)],
                 actions: Annotated[list[SceneAction], Arg(min_length=1)]) -> dict[str, Any]:
    """Save a scene: a name and, per device, the settings to apply (power, brightness, temperature, locked)."""
    if world.store.select(Scene, {"name": name}, limit=1):
        raise Forbidden(f"a scene named {name!r} already exists")
    stored = []
    for i, action in enumerate(actions):
        row = world.store.require(Device, action.device_id, "device")
        settings = action.model_dump(exclude_none=True)
        if len(settings) == 1:
            raise InvalidArguments(f"field 'actions.{i}': give at least one of power, brightness, temperature, locked")
        allowed = {"light": {"power", "brightness"}, "plug": {"power"}, "thermostat": {"power", "temperature"},
                   "lock": {"locked"}, "alarm": set()}[row["kind"]]
        wrong = sorted(set(settings) - {"device_id"} - allowed)
        if wrong:
            takes = ", ".join(sorted(allowed)) or "nothing"
            raise InvalidArguments(f"field 'actions.{i}': device {row['id']} ({row['name']}) is a {row['kind']} and "
                                   f"cannot take {', '.join(wrong)} (it takes {takes})")
        stored.append(settings)
    values = {"name": name, "actions": stored}
    return {"id": world.store.insert(Scene, values), **values}


@operation(APP, "write", devices=APPS, example={"scene_id": Pick("home_scene")})
def delete_scene(world: World, scene_id: int) -> dict[str, Any]:
    """Delete a saved scene (the devices keep their state)."""
    scene = _scene(world, scene_id)
    world.store.delete(Scene, scene_id)
    return {"deleted": scene_id, "name": scene["name"]}


@operation(APP, "read", devices=APPS, example={"device_id": Pick("home_device")})
def device_history(world: World, device_id: int, since: Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2}.*)?$",
                                                                            description="YYYY-MM-DD")] = "",
                   limit: Annotated[int, Arg(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    """A device's state changes, newest first, optionally since a date: what changed, when, and by what (app, scene, physical, sensor)."""
    _device(world, device_id)
    rows = world.store.query(DeviceEvent, "device_id = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?",
                             (device_id, since, limit))
    return [{"at": r["at"], "change": r["change"], "source": r["source"]} for r in rows]


# -- what the world does ----------------------------------------------------------------------
@operation(APP, "write", system=True, example={"name": "Desk lamp", "kind": "light", "room": "office"})
def install(world: World, name: Annotated[str, Arg(min_length=1, max_length=60)], kind: Kind,
            room: Annotated[str, Arg(max_length=40)] = "",
            keypad_code: Annotated[str, Arg(pattern=r"^(\d{4,8})?$")] = "",
            battery: bool = False) -> dict[str, Any]:
    """A device is installed and paired with the home app, in its default state."""
    values: dict[str, Any] = {"name": name, "kind": kind, "room": room.lower(), "code": keypad_code,
                              "updated": world.iso_now(), "battery": 100 if battery else None}
    if kind in ("light", "plug", "thermostat"):
        values["power"] = False
    if kind == "light":
        values["brightness"] = 100
    if kind == "thermostat":
        values.update(power=True, temperature=68.0, current_temp=66.0)
    if kind == "lock":
        values["locked"] = True
    if kind == "alarm":
        values["alarm"] = False
    return _show({"id": world.store.insert(Device, values), **{c: None for c in _STATE}, **values})


@operation(APP, "write", system=True, example={"device_id": Pick("home_device", kind="light"), "power": True})
def report(world: World, device_id: int, power: bool | None = None, brightness: Brightness | None = None,
           current_temp: Annotated[float | None, Arg(ge=-40, le=140)] = None, locked: bool | None = None,
           alarm: bool | None = None, battery: Annotated[int | None, Arg(ge=0, le=100)] = None,
           source: Literal["physical", "sensor", "schedule"] = "physical") -> dict[str, Any]:
    """A device's state changes in the physical world (a switch, a key, a reading); door unlocks and alarms notify."""
    row = _device(world, device_id)
    changes = {k: v for k, v in {"power": power, "brightness": brightness, "current_temp": current_temp,
                                 "locked": locked, "alarm": alarm, "battery": battery}.items() if v is not None}
    if not changes:
        raise InvalidArguments("home.report: give at least one state field")
    wrong = [k for k in changes if row[k] is None]
    if wrong:
        raise InvalidArguments(f"device {device_id} ({row['name']}) is a {row['kind']} and has no {', '.join(wrong)}")
    before = row
    quiet = {k: v for k, v in changes.items() if k in ("current_temp", "battery")}
    if quiet:  # readings are not changes worth a history line
        world.store.update(Device, device_id, {**quiet, "updated": world.iso_now()})
        row = {**row, **quiet, "updated": world.iso_now()}
    loud = {k: v for k, v in changes.items() if k not in quiet}
    after = _change(world, row, loud, source) if loud else row
    if locked is False and before["locked"]:
        world.notify(APP, f"{row['name']} unlocked", f"Unlocked at {world.iso_now()[11:16]}", "home_device", device_id)
    if alarm and not before["alarm"]:
        world.notify(APP, f"{row['name']} is sounding!", f"Alarm in the {row['room']}", "home_device", device_id)
    if battery is not None and battery <= 15 and before["battery"] > 15:
        world.notify(APP, f"{row['name']} battery low", f"{battery}% left", "home_device", device_id)
    return _show(after)
