"""Notebook: the assistant's own bounded memory, written on its own policy (the stream presentation needs it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field as Arg
from sqlmodel import Field

from clawgym.errors import Forbidden
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "notebook"
MAX_NOTES = 40  # bounded on purpose: an agent must decide what is worth keeping, and overwrite what went stale
MAX_CHARS = 400


class NotebookEntry(Record, table=True):
    __tablename__ = "notebook_entry"
    at: str = Field(index=True)
    text: str = ""


@operation(APP, "write", example={"text": "User lives at 14 Oak Avenue (since March)."})
def write(world: World, text: Annotated[str, Arg(min_length=1, max_length=MAX_CHARS)]) -> dict[str, Any]:
    """Keep a note for later (at most 40 notes of 400 characters each; update or delete the stale ones)."""
    if world.store.count(NotebookEntry) >= MAX_NOTES:
        raise Forbidden(f"the notebook is full ({MAX_NOTES} notes): delete or update a note first")
    values = {"at": world.iso_now(), "text": text}
    return {"id": world.store.insert(NotebookEntry, values), **values}


@operation(APP, "write", example={"note_id": Pick("notebook_entry"), "text": "Moved again: 9 Pine Road."})
def update(world: World, note_id: int, text: Annotated[str, Arg(min_length=1, max_length=MAX_CHARS)]) -> dict[str, Any]:
    """Replace the text of one of your notes."""
    world.store.require(NotebookEntry, note_id, "note")
    values = {"at": world.iso_now(), "text": text}
    world.store.update(NotebookEntry, note_id, values)
    return {"id": note_id, **values}


@operation(APP, "write", example={"note_id": Pick("notebook_entry")})
def delete(world: World, note_id: int) -> dict[str, Any]:
    """Delete one of your notes."""
    world.store.require(NotebookEntry, note_id, "note")
    world.store.delete(NotebookEntry, note_id)
    return {"deleted": note_id}


@operation(APP, "read", example={})
def list_(world: World) -> list[dict[str, Any]]:
    """Every note you kept, oldest first."""
    return world.store.select(NotebookEntry, order_by="id")


@operation(APP, "read", example={"query": "address"})
def search(world: World, query: Annotated[str, Arg(min_length=1, max_length=200)]) -> list[dict[str, Any]]:
    """Your notes containing ``query`` (case-insensitive)."""
    return world.store.select(NotebookEntry, contains={"text": query})
