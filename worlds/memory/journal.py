"""Journal: the user's past conversations with their assistant, one dated session each (the memory history)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field as Arg
from sqlalchemy import JSON, Column
from sqlmodel import Field

from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "journal"
Day = Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2}.*)?$", description="YYYY-MM-DD")]


class JournalSession(Record, table=True):
    __tablename__ = "journal_session"
    at: str = Field(index=True)
    title: str = ""
    turns: list[list[str]] = Field(default_factory=list, sa_column=Column(JSON))  # [speaker, text] pairs
    text: str = ""  # the session as one text, for search


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "at": row["at"], "title": row["title"]}


@operation(APP, "write", system=True, example={"title": "Weekend plans", "turns": [["user", "Any ideas?"]]})
def record(world: World, title: Annotated[str, Arg(max_length=200)],
           turns: Annotated[list[list[str]], Arg(min_length=1)]) -> dict[str, Any]:
    """A conversation happens now (the world's history; agents read sessions, they never write them)."""
    text = "\n".join(f"{speaker}: {said}" for speaker, said in turns)
    values = {"at": world.iso_now(), "title": title, "turns": turns, "text": text}
    return _brief({"id": world.store.insert(JournalSession, values), **values})


@operation(APP, "read", example={"query": "address"})
def search(world: World, query: Annotated[str, Arg(max_length=200)] = "", since: Day = "", until: Day = "",
           limit: Annotated[int, Arg(ge=1, le=50)] = 10) -> list[dict[str, Any]]:
    """Past sessions whose title or text contains ``query`` (case-insensitive), newest first, with a snippet."""
    conds, params = ["1 = 1"], []
    if query:
        conds.append("(LOWER(text) LIKE ? ESCAPE '\\' OR LOWER(title) LIKE ? ESCAPE '\\')")
        like = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    if since:
        conds.append("at >= ?")
        params.append(since[:10])
    if until:
        conds.append("at < ?")
        params.append(until[:10] + "T99")  # until is inclusive: every time on that day sorts below "T99"
    rows = world.store.query(JournalSession, " AND ".join(conds) + " ORDER BY at DESC, id DESC LIMIT ?",
                             (*params, limit))
    return [{**_brief(r), "snippet": _snippet(r["text"], query)} for r in rows]


@operation(APP, "read", example={"session_id": Pick("journal_session")})
def read(world: World, session_id: int) -> dict[str, Any]:
    """One past session in full: its time, title and every turn."""
    row = world.store.require(JournalSession, session_id, "journal session")
    return {**_brief(row), "turns": row["turns"]}


def _snippet(text: str, query: str, width: int = 160) -> str:
    at = text.lower().find(query.lower()) if query else 0
    start = max(0, at - width // 3)
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
