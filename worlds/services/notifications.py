"""Notifications: what the user's devices show; every service posts here through ``World.notify``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Notification

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "notifications"


def _show(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "at", "app", "title", "body", "read")}


@operation(APP, "read", name="list", example={"unread_only": True})
def list_(world: World, unread_only: bool = True, app: str | None = None,
          limit: Annotated[int, Field(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """List notifications, newest first. Filter to unread ones (default) or to one app, e.g. "mail"."""
    where: dict[str, Any] = {}
    if unread_only:
        where["read"] = False
    if app:
        where["app"] = app
    return [_show(r) for r in world.store.select(Notification, where, order_by="at", desc=True, limit=limit)]


@operation(APP, "write", example={"notification_id": Pick("notification")})
def dismiss(world: World, notification_id: int) -> dict[str, Any]:
    """Mark one notification as read so it no longer shows as new."""
    row = world.store.require(Notification, notification_id, "notification")
    world.store.update(Notification, notification_id, {"read": True})
    return _show({**row, "read": True})


@operation(APP, "write", example={"app": "mail"})
def dismiss_all(world: World, app: str | None = None) -> dict[str, Any]:
    """Mark every unread notification (or every one of one app) as read; returns how many."""
    where: dict[str, Any] = {"read": False}
    if app:
        where["app"] = app
    return {"dismissed": world.store.update_where(Notification, where, {"read": True})}
