"""Errands: what the assistant does for the user: orders shipped somewhere, texts, reminders, emails.

Each is one row, so a verifier reads where an order went or whom a text reached straight from the world.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field as Arg
from sqlmodel import Field

from clawgym.worlds.operation import operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "errands"
Short = Annotated[str, Arg(min_length=1, max_length=200)]


class Errand(Record, table=True):
    __tablename__ = "errand"
    at: str = Field(index=True)
    kind: str = Field(index=True)  # order | text | remind | mail
    target: str = ""  # where or to whom or when: the shipping address, the number, the reminder time, the address
    subject: str = ""  # what: the item, the reminder title, the mail subject
    body: str = ""


def _do(world: World, kind: str, target: str, subject: str, body: str = "") -> dict[str, Any]:
    values = {"at": world.iso_now(), "kind": kind, "target": target, "subject": subject, "body": body}
    return {"id": world.store.insert(Errand, values), **values}


@operation(APP, "write", example={"item": "phone charger", "ship_to": "14 Oak Avenue"})
def order(world: World, item: Short, ship_to: Annotated[Short, Arg(description="the shipping address")]) -> dict[str, Any]:
    """Order ``item`` to be delivered to ``ship_to``."""
    return _do(world, "order", ship_to, item)


@operation(APP, "write", example={"to": "+1-202-555-0147", "body": "Running late"})
def text(world: World, to: Annotated[Short, Arg(description="a phone number")], body: Short) -> dict[str, Any]:
    """Send a text message to the phone number ``to``."""
    return _do(world, "text", to, "", body)


@operation(APP, "write", example={"title": "Stand-up", "at": "Tuesday 09:30"})
def remind(world: World, title: Short, at: Annotated[Short, Arg(description="when, e.g. 'Tuesday 09:30'")]) -> dict[str, Any]:
    """Set a reminder called ``title`` for the time ``at``."""
    return _do(world, "remind", at, title)


@operation(APP, "write", example={"to": "sam@example.com", "subject": "Slides"})
def mail(world: World, to: Annotated[Short, Arg(description="an email address")], subject: Short,
         body: Annotated[str, Arg(max_length=5000)] = "") -> dict[str, Any]:
    """Send an email to ``to``."""
    return _do(world, "mail", to, subject, body)


@operation(APP, "read", example={})
def list_(world: World) -> list[dict[str, Any]]:
    """Every errand done so far, oldest first."""
    return world.store.select(Errand, order_by="id")
