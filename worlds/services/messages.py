"""Messages: chat and SMS threads (one-to-one and groups). Other services text people through ``send``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field as Arg
from sqlalchemy import JSON, Column, Index
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "messages"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
_CANONICAL = re.compile(r"^\+1-\d{3}-\d{3}-\d{4}$")
Text = Annotated[str, Arg(min_length=1, max_length=4000)]
Recipient = Annotated[str, Arg(min_length=1, description="a phone number, an email or an exact contact name")]


class Thread(Record, table=True):
    __tablename__ = "message_thread"
    handles: str = Field(index=True)  # the participants' handles, sorted, joined by "|": finds a conversation
    title: str = ""
    is_group: bool = False
    participants: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    names: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))  # handle -> name when known
    pinned: bool = False
    muted: bool = False
    has_left: bool = False
    unread: int = 0
    last_at: str = Field(default="", index=True)
    last_text: str = ""
    created: str = ""


class Message(Record, table=True):
    __tablename__ = "message"
    __table_args__ = (Index("ix_message_thread_read", "thread_id", "read"),)
    thread_id: int = Field(foreign_key="message_thread.id", index=True)
    at: str = Field(index=True)
    sender: str = ""  # a phone number or email; the user's own phone for outgoing messages
    sender_name: str = ""
    outgoing: bool = False
    text: str = ""
    read: bool = False
    reactions: list[dict[str, str]] | None = Field(default=None, sa_column=Column(JSON))  # None: none yet


def handle_of(text: str) -> str | None:
    """A phone number in the address book's form (+1-555-123-4567) or a lowercase email; None for anything else."""
    if _CANONICAL.match(text):
        return text
    text = text.strip()
    if _EMAIL.match(text):
        return text.lower()
    if _PHONE.match(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) == 10:
            digits = "1" + digits
        if len(digits) == 11 and digits[0] == "1":
            return f"+1-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
        return "+" + digits
    return None


def _contact_name(world: World, handle: str) -> str:
    """The address-book name for a handle, or "" when the handle is not in contacts."""
    if "@" in handle:
        from clawgym.worlds.services.contacts import find_by_email

        row = find_by_email(world, handle)
        return row["name"] if row else ""
    for c in world.call("contacts.search", {"query": handle, "limit": 5}):
        if handle_of(c.get("phone", "")) == handle:
            return str(c["name"])
    return ""


def _resolve(world: World, to: str) -> tuple[str, str | None]:
    """(handle, name) for a phone, an email or an exact contact name; name None: look it up if a thread is created."""
    handle = handle_of(to)
    if handle is not None:
        return handle, None
    exact = [c for c in world.call("contacts.search", {"query": to.strip(), "limit": 50})
             if c["name"].lower() == to.strip().lower()]
    if not exact:
        raise InvalidArguments(f"field 'to': no contact named {to!r}; give a phone number, an email or an exact "
                               "contact name (contacts.search finds names)")
    if len(exact) > 1:
        raise InvalidArguments(f"field 'to': {len(exact)} contacts are named {to!r}; give a phone number or email")
    c = exact[0]
    if not c.get("phone") and not c.get("email"):
        raise InvalidArguments(f"field 'to': contact {c['name']!r} has no phone number or email")
    return handle_of(c.get("phone") or c["email"]) or c["email"], str(c["name"])


def _show_thread(row: dict[str, Any]) -> dict[str, Any]:
    out = {"id": row["id"], "title": row["title"], "is_group": row["is_group"],
           "participants": [{"handle": h, "name": row["names"].get(h, "")} for h in row["participants"]],
           "unread": row["unread"], "last_at": row["last_at"], "last_text": row["last_text"]}
    for flag in ("pinned", "muted", "has_left"):
        if row[flag]:
            out[flag] = True
    return out


def _show(row: dict[str, Any]) -> dict[str, Any]:
    out = {"id": row["id"], "thread_id": row["thread_id"], "at": row["at"],
           "from": "me" if row["outgoing"] else (row["sender_name"] or row["sender"]), "sender": row["sender"],
           "text": row["text"], "read": row["read"]}
    if row["reactions"]:
        out["reactions"] = row["reactions"]
    return out


def _thread(world: World, thread_id: int) -> dict[str, Any]:
    return world.store.require(Thread, thread_id, "message thread")


def _message(world: World, message_id: int) -> dict[str, Any]:
    return world.store.require(Message, message_id, "message")


def _group(world: World, thread_id: int) -> dict[str, Any]:
    row = _thread(world, thread_id)
    if not row["is_group"]:
        raise Forbidden(f"thread {thread_id} is a one-to-one conversation, not a group")
    if row["has_left"]:
        raise Forbidden(f"the user has left group {thread_id} ({row['title']})")
    return row


def _open_thread(world: World, members: list[tuple[str, str | None]], title: str = "",
                 group: bool = False) -> dict[str, Any]:
    """The conversation with exactly these members (handle, name), created if there is none (or group=True)."""
    me = world.persona.user.phone  # persona phones are already in canonical form
    by_handle = {h: n for h, n in members if h != me}
    if not by_handle:
        raise InvalidArguments("field 'to': give at least one recipient other than the user")
    handles = "|".join(sorted(by_handle))
    if not group:
        found = world.store.select(Thread, {"handles": handles, "has_left": False}, order_by="id", desc=True, limit=1)
        if found:
            return found[0]
        group = len(by_handle) > 1
    names = {}
    for h in sorted(by_handle):
        name = by_handle[h] if by_handle[h] is not None else _contact_name(world, h)
        if name:
            names[h] = name
    title = title or ", ".join(names.get(h, h) for h in sorted(by_handle))
    values = {"handles": handles, "title": title, "is_group": group, "participants": sorted(by_handle),
              "names": names, "pinned": False, "muted": False, "has_left": False, "unread": 0, "last_at": "",
              "last_text": "", "created": world.iso_now()}
    return {"id": world.store.insert(Thread, values), **values}


def _post(world: World, thread: dict[str, Any], text: str) -> dict[str, Any]:
    """The user's message into a thread; writing in a thread also marks it read."""
    if thread["has_left"]:
        raise Forbidden(f"the user has left group {thread['id']} ({thread['title']})")
    now = world.iso_now()
    values = {"thread_id": thread["id"], "at": now, "sender": world.persona.user.phone, "sender_name": "",
              "outgoing": True, "text": text, "read": True, "reactions": None}
    ident = world.store.insert(Message, values)
    world.store.update(Thread, thread["id"], {"last_at": now, "last_text": text[:120], "unread": 0})
    if thread["unread"]:
        world.store.update_where(Message, {"thread_id": thread["id"], "read": False}, {"read": True})
    return _show({"id": ident, **values})


@operation(APP, "read", example={})
def list_threads(world: World, unread_only: bool = False, query: str = "",
                 limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """List conversations, pinned first then most recent; query matches the title or a participant's number/email."""
    conds: list[str] = ["1 = 1"]
    params: list[Any] = []
    if unread_only:
        conds.append("unread > 0")
    if query:
        conds.append("(LOWER(title) LIKE ? OR LOWER(participants) LIKE ? OR LOWER(names) LIKE ?)")
        params += [f"%{query.lower()}%"] * 3
    rows = world.store.query(Thread, " AND ".join(conds) + " ORDER BY pinned DESC, last_at DESC, id DESC LIMIT ?",
                             (*params, limit))
    return [_show_thread(r) for r in rows]


@operation(APP, "read", example={"thread_id": Pick("message_thread")})
def read_thread(world: World, thread_id: int, limit: Annotated[int, Arg(ge=1, le=200)] = 30) -> dict[str, Any]:
    """Open a conversation: its latest messages (oldest first) and participants. Opening marks it read."""
    row = _thread(world, thread_id)
    msgs = world.store.select(Message, {"thread_id": thread_id}, order_by="at", desc=True, limit=limit)
    if row["unread"]:
        world.store.update_where(Message, {"thread_id": thread_id, "read": False}, {"read": True})
        world.store.update(Thread, thread_id, {"unread": 0})
    return {"thread": _show_thread({**row, "unread": 0}), "messages": [_show(m) for m in reversed(msgs)]}


@operation(APP, "read", example={"query": "dinner"})
def search(world: World, query: Annotated[str, Arg(min_length=1)], sender: str = "", thread_id: int | None = None,
           limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """Find messages containing the query, newest first; sender narrows to a phone/email/name, thread_id to one conversation."""
    conds: list[str] = ["LOWER(text) LIKE ?"]
    params: list[Any] = [f"%{query.lower()}%"]
    if sender:
        conds.append("(LOWER(sender) LIKE ? OR LOWER(sender_name) LIKE ?)")
        params += [f"%{sender.lower()}%"] * 2
    if thread_id is not None:
        conds.append("thread_id = ?")
        params.append(thread_id)
    rows = world.store.query(Message, " AND ".join(conds) + " ORDER BY at DESC, id DESC LIMIT ?", (*params, limit))
    return [_show(r) for r in rows]


@operation(APP, "write", example={"to": ["+1-202-555-0147"], "text": "Running 10 minutes late"})
def send(world: World, to: Annotated[list[Recipient], Arg(min_length=1)], text: Text) -> dict[str, Any]:
    """Text one person or several (a group conversation): phone numbers, emails or exact contact names."""
    thread = _open_thread(world, [_resolve(world, t) for t in to])
    return _post(world, thread, text)


@operation(APP, "write", example={"thread_id": Pick("message_thread", has_left=False), "text": "Sounds good!"})
def reply(world: World, thread_id: int, text: Text) -> dict[str, Any]:
    """Send a message into an existing conversation."""
    return _post(world, _thread(world, thread_id), text)


@operation(APP, "write", example={"name": "Book club", "members": ["+1-202-555-0147", "+1-202-555-0199"]})
def create_group(world: World, name: Annotated[str, Arg(min_length=1, max_length=80)],
                 members: Annotated[list[Recipient], Arg(min_length=2)]) -> dict[str, Any]:
    """Start a named group conversation with two or more people (phones, emails or exact contact names)."""
    return _show_thread(_open_thread(world, [_resolve(world, m) for m in members], title=name, group=True))


@operation(APP, "write", example={"thread_id": Pick("message_thread", is_group=True, has_left=False), "name": "Crew"})
def rename_group(world: World, thread_id: int,
                 name: Annotated[str, Arg(min_length=1, max_length=80)]) -> dict[str, Any]:
    """Rename a group conversation."""
    row = _group(world, thread_id)
    world.store.update(Thread, thread_id, {"title": name})
    return _show_thread({**row, "title": name})


@operation(APP, "write", example={"thread_id": Pick("message_thread", is_group=True, has_left=False),
                                  "members": ["+1-202-555-0188"]})
def add_to_group(world: World, thread_id: int,
                 members: Annotated[list[Recipient], Arg(min_length=1)]) -> dict[str, Any]:
    """Add people (phones, emails or exact contact names) to a group conversation."""
    row = _group(world, thread_id)
    added = [_resolve(world, m) for m in members]
    new = [(h, n if n is not None else _contact_name(world, h)) for h, n in added if h not in row["participants"]]
    if not new:
        raise Forbidden(f"everyone given is already in group {thread_id}")
    participants = sorted([*row["participants"], *(h for h, _ in new)])
    names = {**row["names"], **{h: n for h, n in new if n}}
    changes = {"participants": participants, "names": names, "handles": "|".join(participants)}
    world.store.update(Thread, thread_id, changes)
    return _show_thread({**row, **changes})


@operation(APP, "write", example={"thread_id": Pick("message_thread", is_group=True, has_left=False)})
def leave_group(world: World, thread_id: int) -> dict[str, Any]:
    """Leave a group conversation: no more messages arrive from it and the user can no longer write in it."""
    row = _group(world, thread_id)
    world.store.update(Thread, thread_id, {"has_left": True})
    return _show_thread({**row, "has_left": True})


@operation(APP, "write", example={"thread_id": Pick("message_thread")})
def mark_read(world: World, thread_id: int, read: bool = True) -> dict[str, Any]:
    """Mark a whole conversation read, or (read=false) mark its latest incoming message unread."""
    row = _thread(world, thread_id)
    if read:
        world.store.update_where(Message, {"thread_id": thread_id, "read": False}, {"read": True})
        unread = 0
    else:
        last = world.store.select(Message, {"thread_id": thread_id, "outgoing": False}, order_by="at", desc=True,
                                  limit=1)
        if not last:
            raise Forbidden(f"thread {thread_id} has no incoming message to mark unread")
        world.store.update(Message, last[0]["id"], {"read": False})
        unread = max(1, row["unread"])
    world.store.update(Thread, thread_id, {"unread": unread})
    return _show_thread({**row, "unread": unread})


@operation(APP, "write", example={"message_id": Pick("message")})
def delete_message(world: World, message_id: int) -> dict[str, Any]:
    """Delete one message from its conversation (on the user's devices only)."""
    row = _message(world, message_id)
    world.store.delete(Message, message_id)
    if not row["read"]:
        thread = _thread(world, row["thread_id"])
        world.store.update(Thread, thread["id"], {"unread": max(0, thread["unread"] - 1)})
    return {"deleted": message_id, "thread_id": row["thread_id"]}


@operation(APP, "write", example={"message_id": Pick("message"), "emoji": "👍"})
def react(world: World, message_id: int, emoji: Annotated[str, Arg(min_length=1, max_length=8)],
          remove: bool = False) -> dict[str, Any]:
    """React to a message with an emoji (the user's earlier reaction is replaced), or remove it with remove=true."""
    row = _message(world, message_id)
    before = row["reactions"] or []
    reactions = [r for r in before if r["by"] != "me"]
    if remove:
        if len(reactions) == len(before):
            raise Forbidden(f"message {message_id} has no reaction from the user to remove")
    else:
        reactions.append({"by": "me", "emoji": emoji})
    world.store.update(Message, message_id, {"reactions": reactions})
    return _show({**row, "reactions": reactions})


@operation(APP, "write", example={"thread_id": Pick("message_thread")})
def pin_thread(world: World, thread_id: int, pinned: bool = True) -> dict[str, Any]:
    """Pin a conversation to the top of the list (pinned=false unpins it)."""
    row = _thread(world, thread_id)
    world.store.update(Thread, thread_id, {"pinned": pinned})
    return _show_thread({**row, "pinned": pinned})


@operation(APP, "write", example={"thread_id": Pick("message_thread")})
def mute_thread(world: World, thread_id: int, muted: bool = True) -> dict[str, Any]:
    """Mute a conversation: its messages still arrive but no longer notify (muted=false unmutes)."""
    row = _thread(world, thread_id)
    world.store.update(Thread, thread_id, {"muted": muted})
    return _show_thread({**row, "muted": muted})


@operation(APP, "read", example={"message_id": Pick("message")})
def get_message(world: World, message_id: int) -> dict[str, Any]:
    """Get one message with its sender's number or email, time, text and reactions."""
    return _show(_message(world, message_id))


@operation(APP, "write", system=True, example={"sender": "+1-202-555-0147", "text": "Are we still on for tonight?"})
def receive(world: World, sender: Annotated[str, Arg(min_length=3, description="a phone number or email")], text: Text,
            thread_id: int | None = None) -> dict[str, Any]:
    """A message arrives from a phone number or email, in its one-to-one conversation or in group thread_id."""
    handle = handle_of(sender)
    if handle is None:
        raise InvalidArguments(f"field 'sender': expected a phone number or an email, got {sender!r}")
    if thread_id is not None:
        thread = _thread(world, thread_id)
        if thread["has_left"]:
            raise Forbidden(f"the user has left group {thread_id}; nothing arrives from it")
        if handle not in thread["participants"]:
            raise Forbidden(f"{handle} is not a participant of thread {thread_id}")
    else:
        thread = _open_thread(world, [(handle, None)])
    name = thread["names"].get(handle, "")
    now = world.iso_now()
    values = {"thread_id": thread["id"], "at": now, "sender": handle, "sender_name": name, "outgoing": False,
              "text": text, "read": False, "reactions": None}
    ident = world.store.insert(Message, values)
    world.store.update(Thread, thread["id"], {"last_at": now, "last_text": text[:120], "unread": thread["unread"] + 1})
    if not thread["muted"]:
        title = f"{name or handle} in {thread['title']}" if thread["is_group"] else (name or handle)
        world.notify(APP, title, text[:100], "message", ident)
    return _show({"id": ident, **values})
