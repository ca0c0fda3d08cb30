"""Reminders: to-dos with due times in named lists, and the phone's alarms.

A due reminder fires (``reminders.fire``, something the world does) and notifies the user; completing a
repeating reminder moves it to its next due time instead of closing it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlalchemy import JSON, Column
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.clock import fmt
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "reminders"
Priority = Literal["none", "low", "medium", "high"]
Repeat = Literal["none", "daily", "weekly", "monthly", "yearly"]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
When = Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?)?$",
                          description="YYYY-MM-DD or YYYY-MM-DDTHH:MM (a date alone means 09:00; '' for none)")]
ListName = Annotated[str, Arg(min_length=1, max_length=60, description="a list name, e.g. 'Groceries'")]
ClockTime = Annotated[str, Arg(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, 24-hour")]
PHONE = ("phone",)


class Reminder(Record, table=True):
    __tablename__ = "reminder"
    title: str = Field(index=True)
    notes: str = ""
    due: str = Field(default="", index=True)  # "" when it has no due time
    list: str = Field(default="Reminders", index=True)
    priority: str = "none"
    repeat: str = "none"
    done: bool = Field(default=False, index=True)
    completed_at: str = ""
    fired_at: str = ""  # when its last due notification went out
    created: str = ""


class Alarm(Record, table=True):
    __tablename__ = "reminder_alarm"
    time: str = Field(index=True)  # HH:MM
    label: str = ""
    days: list[str] = Field(default_factory=list, sa_column=Column(JSON))  # empty: rings once
    enabled: bool = True
    created: str = ""


def _due(text: str, field: str = "due") -> str:
    """A due time in the stored form, or InvalidArguments for a date that does not exist."""
    if not text:
        return ""
    try:
        t = datetime.fromisoformat(text if len(text) > 10 else f"{text}T09:00")
    except ValueError:
        raise InvalidArguments(f"field '{field}': {text!r} is not a real date/time (YYYY-MM-DD or "
                               "YYYY-MM-DDTHH:MM)") from None
    if not 1900 <= t.year <= 2200:
        raise InvalidArguments(f"field '{field}': year {t.year} is out of range (1900-2200)")
    return fmt(t)


def _next(due: str, repeat: str) -> str:
    t = datetime.fromisoformat(due)
    if repeat == "daily":
        return fmt(t + timedelta(days=1))
    if repeat == "weekly":
        return fmt(t + timedelta(days=7))
    if repeat == "yearly":
        return fmt(t.replace(year=t.year + 1, day=min(t.day, 28) if t.month == 2 else t.day))
    month = t.month % 12 + 1
    return fmt(t.replace(year=t.year + (t.month == 12), month=month, day=min(t.day, 28)))


def _show(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "title", "due", "list", "priority", "repeat", "done", "completed_at", "notes")}


def _alarm(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "time": row["time"], "label": row["label"], "days": row["days"] or "once",
            "enabled": row["enabled"]}


@operation(APP, "read", name="list", example={"list_name": "Reminders"})
def list_(world: World, list_name: str | None = None, include_done: bool = False,
          limit: Annotated[int, Arg(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    """List reminders by due time (those without one last), optionally of one list; done ones only with include_done=true."""
    conds, params = [], []
    if list_name:
        conds.append("list = ?")
        params.append(list_name)
    if not include_done:
        conds.append("done = 0")
    where = " AND ".join(conds) or "1 = 1"
    rows = world.store.query(Reminder, f"{where} ORDER BY due = '', due, id LIMIT ?", (*params, limit))
    return [_show(r) for r in rows]


@operation(APP, "read", example={"reminder_id": Pick("reminder")})
def get(world: World, reminder_id: int) -> dict[str, Any]:
    """One reminder with its notes, due time, list, priority, repeat rule and state."""
    row = world.store.require(Reminder, reminder_id, "reminder")
    return {**_show(row), "created": row["created"], "fired_at": row["fired_at"]}


@operation(APP, "write", example={"title": "Call the plumber", "due": "2026-06-01T10:00", "priority": "high"})
def create(world: World, title: Annotated[str, Arg(min_length=1, max_length=200)], due: When = "",
           list_name: ListName = "Reminders", priority: Priority = "none", repeat: Repeat = "none",
           notes: Annotated[str, Arg(max_length=5_000)] = "") -> dict[str, Any]:
    """Create a reminder in a list ('Reminders' by default); a repeating one needs a due time."""
    stored = _due(due)
    if repeat != "none" and not stored:
        raise InvalidArguments(f"field 'due': a reminder repeating {repeat} needs a due time")
    values = {"title": title, "notes": notes, "due": stored, "list": list_name, "priority": priority,
              "repeat": repeat, "done": False, "completed_at": "", "fired_at": "", "created": world.iso_now()}
    return _show({"id": world.store.insert(Reminder, values), **values})


@operation(APP, "write", example={"reminder_id": Pick("reminder", done=False)})
def complete(world: World, reminder_id: int) -> dict[str, Any]:
    """Mark a reminder done; a repeating one moves to its next due time and stays open."""
    row = world.store.require(Reminder, reminder_id, "reminder")
    if row["done"]:
        raise Forbidden(f"reminder {reminder_id} is already done (since {row['completed_at']})")
    if row["repeat"] != "none":
        changes = {"due": _next(row["due"], row["repeat"]), "completed_at": world.iso_now(), "fired_at": ""}
    else:
        changes = {"done": True, "completed_at": world.iso_now()}
    world.store.update(Reminder, reminder_id, changes)
    return _show({**row, **changes})


@operation(APP, "write", example={"reminder_id": Pick("reminder", done=True)})
def reopen(world: World, reminder_id: int) -> dict[str, Any]:
    """Mark a done reminder as not done again."""
    row = world.store.require(Reminder, reminder_id, "reminder")
    if not row["done"]:
        raise Forbidden(f"reminder {reminder_id} is not done, so it cannot be reopened")
    changes = {"done": False, "completed_at": ""}
    world.store.update(Reminder, reminder_id, changes)
    return _show({**row, **changes})


@operation(APP, "write", example={"reminder_id": Pick("reminder"), "priority": "high"})
def update(world: World, reminder_id: int, title: Annotated[str | None, Arg(min_length=1, max_length=200)] = None,
           due: When | None = None, list_name: ListName | None = None, priority: Priority | None = None,
           repeat: Repeat | None = None, notes: Annotated[str | None, Arg(max_length=5_000)] = None) -> dict[str, Any]:
    """Change a reminder's title, due time (\"\" clears it), list, priority, repeat rule or notes; only given fields change."""
    row = world.store.require(Reminder, reminder_id, "reminder")
    changes: dict[str, Any] = {k: v for k, v in {"title": title, "list": list_name, "priority": priority,
                                                  "repeat": repeat, "notes": notes}.items() if v is not None}
    if due is not None:
        changes["due"] = _due(due)
        changes["fired_at"] = ""
    if not changes:
        raise InvalidArguments("reminders.update: give at least one of title, due, list_name, priority, repeat, notes")
    merged = {**row, **changes}
    if merged["repeat"] != "none" and not merged["due"]:
        raise InvalidArguments(f"field 'due': a reminder repeating {merged['repeat']} needs a due time")
    world.store.update(Reminder, reminder_id, changes)
    return _show(merged)


@operation(APP, "write", example={"reminder_id": Pick("reminder")})
def delete(world: World, reminder_id: int) -> dict[str, Any]:
    """Delete a reminder for good."""
    row = world.store.require(Reminder, reminder_id, "reminder")
    world.store.delete(Reminder, reminder_id)
    return {"deleted": reminder_id, "title": row["title"]}


@operation(APP, "read", example={})
def list_lists(world: World) -> list[dict[str, Any]]:
    """Every reminder list with how many open and done reminders it holds."""
    rows = world.store.conn.execute(
        "SELECT list, SUM(done = 0), SUM(done = 1) FROM reminder GROUP BY list ORDER BY list").fetchall()
    return [{"list": name, "open": int(o or 0), "done": int(d or 0)} for name, o, d in rows]


@operation(APP, "write", system=True, example={"reminder_id": Pick("reminder", done=False)})
def fire(world: World, reminder_id: int) -> dict[str, Any]:
    """A reminder comes due: the user's devices show it."""
    row = world.store.require(Reminder, reminder_id, "reminder")
    if row["done"]:
        raise Forbidden(f"reminder {reminder_id} is already done")
    world.store.update(Reminder, reminder_id, {"fired_at": world.iso_now()})
    world.notify(APP, f"Reminder: {row['title']}", f"Due {row['due']}" if row["due"] else "", "reminder", reminder_id)
    return _show(row)


# -- alarms: the phone's clock app ------------------------------------------------------------
@operation(APP, "write", devices=PHONE, example={"time": "07:30", "label": "Gym", "days": ["mon", "wed"]})
def set_alarm(world: World, time: ClockTime, label: Annotated[str, Arg(max_length=60)] = "",
              days: list[Day] = []) -> dict[str, Any]:  # noqa: B006 - pydantic copies defaults
    """Set a phone alarm at HH:MM (24-hour), repeating on the given days (mon..sun) or ringing once if none."""
    order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    values = {"time": time, "label": label, "days": sorted(set(days), key=order.index), "enabled": True,
              "created": world.iso_now()}
    return _alarm({"id": world.store.insert(Alarm, values), **values})


@operation(APP, "read", devices=PHONE, example={})
def list_alarms(world: World) -> list[dict[str, Any]]:
    """The phone's alarms by time, with their days and whether they are on."""
    return [_alarm(r) for r in world.store.select(Alarm, order_by="time")]


@operation(APP, "write", devices=PHONE, example={"alarm_id": Pick("reminder_alarm"), "enabled": False})
def toggle_alarm(world: World, alarm_id: int, enabled: bool | None = None) -> dict[str, Any]:
    """Turn a phone alarm on or off (enabled=true/false; omitted flips it)."""
    row = world.store.require(Alarm, alarm_id, "alarm")
    state = (not row["enabled"]) if enabled is None else enabled
    world.store.update(Alarm, alarm_id, {"enabled": state})
    return _alarm({**row, "enabled": state})


@operation(APP, "write", devices=PHONE, example={"alarm_id": Pick("reminder_alarm")})
def delete_alarm(world: World, alarm_id: int) -> dict[str, Any]:
    """Delete a phone alarm."""
    row = world.store.require(Alarm, alarm_id, "alarm")
    world.store.delete(Alarm, alarm_id)
    return {"deleted": alarm_id, "time": row["time"], "label": row["label"]}
