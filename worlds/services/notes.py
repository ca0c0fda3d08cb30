"""Notes: the user's notes in notebooks; where people jot down passwords, codes and what the doctor said."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field as Arg
from sqlmodel import Field

from clawgym.errors import InvalidArguments
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "notes"
Notebook = Annotated[str, Arg(min_length=1, max_length=60, description="a notebook name, e.g. 'Personal'")]
Title = Annotated[str, Arg(min_length=1, max_length=200)]


class Note(Record, table=True):
    __tablename__ = "note"
    title: str = Field(index=True)
    body: str = ""
    notebook: str = Field(default="Notes", index=True)
    pinned: bool = False
    created: str = ""
    updated: str = Field(default="", index=True)


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    preview = row["body"][:80].replace("\n", " ")
    return {"id": row["id"], "title": row["title"], "notebook": row["notebook"], "pinned": row["pinned"],
            "updated": row["updated"], "preview": preview + ("..." if len(row["body"]) > 80 else "")}


def _full(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "title", "body", "notebook", "pinned", "created", "updated")}


@operation(APP, "read", name="list", example={"notebook": "Personal"})
def list_(world: World, notebook: str | None = None, pinned_only: bool = False,
          limit: Annotated[int, Arg(ge=1, le=200)] = 30) -> list[dict[str, Any]]:
    """List notes, pinned first then most recently updated, optionally of one notebook or only pinned ones."""
    conds, params = ["pinned = 1" if pinned_only else "1 = 1"], []
    if notebook:
        conds.append("notebook = ?")
        params.append(notebook)
    rows = world.store.query(Note, " AND ".join(conds) + " ORDER BY pinned DESC, updated DESC, id DESC LIMIT ?",
                             (*params, limit))
    return [_brief(r) for r in rows]


@operation(APP, "read", example={"query": "wifi"})
def search(world: World, query: Annotated[str, Arg(min_length=1, max_length=200)], notebook: str | None = None,
           limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """Find notes whose title or body contains the query (case-insensitive), most recently updated first."""
    q = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    conds, params = "(LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(body) LIKE ? ESCAPE '\\')", [q, q]
    if notebook:
        conds += " AND notebook = ?"
        params.append(notebook)
    rows = world.store.query(Note, conds + " ORDER BY updated DESC, id DESC LIMIT ?", (*params, limit))
    return [_brief(r) for r in rows]


@operation(APP, "read", example={"note_id": Pick("note")})
def get(world: World, note_id: int) -> dict[str, Any]:
    """Open one note with its whole body."""
    return _full(world.store.require(Note, note_id, "note"))


@operation(APP, "write", example={"title": "Gift ideas", "body": "- a scarf for mom", "notebook": "Personal"})
def create(world: World, title: Title, body: Annotated[str, Arg(max_length=50_000)] = "", notebook: Notebook = "Notes",
           pinned: bool = False) -> dict[str, Any]:
    """Create a note in a notebook ('Notes' by default; a new notebook name creates that notebook)."""
    now = world.iso_now()
    values = {"title": title, "body": body, "notebook": notebook, "pinned": pinned, "created": now, "updated": now}
    return _full({"id": world.store.insert(Note, values), **values})


@operation(APP, "write", example={"note_id": Pick("note"), "body": "Rewritten."})
def update(world: World, note_id: int, title: Title | None = None,
           body: Annotated[str | None, Arg(max_length=50_000)] = None) -> dict[str, Any]:
    """Replace a note's title and/or whole body (to add to the end, use notes.append)."""
    row = world.store.require(Note, note_id, "note")
    changes: dict[str, Any] = {k: v for k, v in {"title": title, "body": body}.items() if v is not None}
    if not changes:
        raise InvalidArguments("notes.update: give title and/or body")
    changes["updated"] = world.iso_now()
    world.store.update(Note, note_id, changes)
    return _full({**row, **changes})


@operation(APP, "write", example={"note_id": Pick("note"), "text": "- one more thing"})
def append(world: World, note_id: int, text: Annotated[str, Arg(min_length=1, max_length=20_000)]) -> dict[str, Any]:
    """Add text as a new line at the end of a note."""
    row = world.store.require(Note, note_id, "note")
    body = f"{row['body']}\n{text}" if row["body"] else text
    changes = {"body": body, "updated": world.iso_now()}
    world.store.update(Note, note_id, changes)
    return _full({**row, **changes})


@operation(APP, "write", example={"note_id": Pick("note")})
def delete(world: World, note_id: int) -> dict[str, Any]:
    """Delete a note for good."""
    row = world.store.require(Note, note_id, "note")
    world.store.delete(Note, note_id)
    return {"deleted": note_id, "title": row["title"]}


@operation(APP, "write", example={"note_id": Pick("note"), "pinned": True})
def pin(world: World, note_id: int, pinned: bool = True) -> dict[str, Any]:
    """Pin a note to the top of lists (or unpin it with pinned=false)."""
    row = world.store.require(Note, note_id, "note")
    world.store.update(Note, note_id, {"pinned": pinned})
    return _full({**row, "pinned": pinned})


@operation(APP, "read", example={})
def list_notebooks(world: World) -> list[dict[str, Any]]:
    """Every notebook with how many notes it holds, by name."""
    rows = world.store.conn.execute("SELECT notebook, COUNT(*) FROM note GROUP BY notebook ORDER BY notebook")
    return [{"notebook": name, "notes": n} for name, n in rows.fetchall()]


@operation(APP, "write", example={"note_id": Pick("note"), "notebook": "Archive"})
def move_to_notebook(world: World, note_id: int, notebook: Notebook) -> dict[str, Any]:
    """Move a note to another notebook (a new name creates that notebook)."""
    row = world.store.require(Note, note_id, "note")
    world.store.update(Note, note_id, {"notebook": notebook})
    return _full({**row, "notebook": notebook})
