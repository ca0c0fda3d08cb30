"""Mail: the user's mailbox. Other services send through ``deliver`` (receipts, tickets, bills)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlalchemy import JSON, Column
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.period import add_period
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "mail"
Folder = Literal["inbox", "sent", "drafts", "archive", "trash"]
Address = Annotated[str, Arg(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="an email address, name@domain")]


class Email(Record, table=True):
    __tablename__ = "email"
    at: str = Field(index=True)
    folder: str = Field(index=True)
    sender: str = Field(index=True)
    to: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    cc: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    subject: str = ""
    body: str = ""
    read: bool = False
    starred: bool = False
    labels: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    thread: int | None = None  # id of the first email of the conversation


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "at": row["at"], "from": row["sender"], "to": row["to"], "subject": row["subject"],
            "folder": row["folder"], "read": row["read"]}


def _full(row: dict[str, Any]) -> dict[str, Any]:
    return {**_brief(row), "cc": row["cc"], "body": row["body"], "starred": row["starred"],
            "labels": row["labels"], "thread": row["thread"]}


def deliver(world: World, sender: str, subject: str, body: str, *, to: list[str] | None = None,
            cc: list[str] | None = None, thread: int | None = None) -> dict[str, Any]:
    """Put an incoming email in the inbox and notify the user; services call this for receipts and alerts."""
    values = {"at": world.iso_now(), "folder": "inbox", "sender": sender.lower(), "to": to or [world.persona.user.email],
              "cc": cc or [], "subject": subject, "body": body, "read": False, "starred": False, "labels": [],
              "thread": thread}
    ident = world.store.insert(Email, values)
    world.notify(APP, f"New mail from {sender}", subject, "email", ident)
    return _brief({"id": ident, **values})


def _send(world: World, to: list[str], cc: list[str], subject: str, body: str, thread: int | None,
          folder: str = "sent") -> dict[str, Any]:
    values = {"at": world.iso_now(), "folder": folder, "sender": world.persona.user.email, "to": to, "cc": cc,
              "subject": subject, "body": body, "read": True, "starred": False, "labels": [], "thread": thread}
    ident = world.store.insert(Email, values)
    return _brief({"id": ident, **values})


@operation(APP, "read", example={"query": "update"})
def search(world: World, query: str = "", sender: str = "", folder: Folder | None = None,
           since: Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2}.*)?$", description="YYYY-MM-DD")] = "",
           until: Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2}.*)?$", description="YYYY-MM-DD")] = "",
           limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """Search emails, newest first: query matches subject or body; sender matches the from address; dates bound the time."""
    conds, params = ["folder != 'trash'" if folder is None else "folder = ?"], ([] if folder is None else [folder])
    if query:
        conds.append("(LOWER(subject) LIKE ? OR LOWER(body) LIKE ?)")
        params += [f"%{query.lower()}%"] * 2
    if sender:
        conds.append("sender LIKE ?")
        params.append(f"%{sender.lower()}%")
    add_period(conds, params, since, until)
    rows = world.store.query(Email, " AND ".join(conds) + " ORDER BY at DESC, id DESC LIMIT ?", (*params, limit))
    return [_brief(r) for r in rows]


@operation(APP, "read", name="list", example={"folder": "inbox"})
def list_(world: World, folder: Folder = "inbox", unread_only: bool = False,
          limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """List the newest emails of a folder (inbox by default), optionally only unread ones."""
    where: dict[str, Any] = {"folder": folder}
    if unread_only:
        where["read"] = False
    return [_brief(r) for r in world.store.select(Email, where, order_by="at", desc=True, limit=limit)]


@operation(APP, "read", example={"email_id": Pick("email")})
def read(world: World, email_id: int) -> dict[str, Any]:
    """Open one email: full body, recipients, labels. Opening marks it as read."""
    row = world.store.require(Email, email_id, "email")
    if not row["read"]:
        world.store.update(Email, email_id, {"read": True})
    return _full({**row, "read": True})


@operation(APP, "write", example={"to": ["friend@example.com"], "subject": "Hi", "body": "Hello"})
def send(world: World, to: Annotated[list[Address], Arg(min_length=1)], subject: str, body: str,
         cc: list[Address] = []) -> dict[str, Any]:  # noqa: B006 - pydantic copies defaults
    """Send a new email from the user's account to one or more addresses."""
    return _send(world, [a.lower() for a in to], [a.lower() for a in cc], subject, body, None)


@operation(APP, "write", example={"email_id": Pick("email", folder="inbox"), "body": "Thanks!"})
def reply(world: World, email_id: int, body: str, reply_all: bool = False) -> dict[str, Any]:
    """Reply to an email (to its sender; reply_all also to everyone else on it)."""
    row = world.store.require(Email, email_id, "email")
    me = world.persona.user.email
    to = [row["sender"]] if row["sender"] != me else list(row["to"])
    cc = [a for a in row["to"] + row["cc"] if a != me and a not in to] if reply_all else []
    subject = row["subject"] if row["subject"].lower().startswith("re:") else f"Re: {row['subject']}"
    return _send(world, to, cc, subject, body, row["thread"] or row["id"])


@operation(APP, "write", example={"email_id": Pick("email"), "to": ["friend@example.com"]})
def forward(world: World, email_id: int, to: Annotated[list[Address], Arg(min_length=1)], note: str = "") -> dict[str, Any]:
    """Forward an email, with an optional note above the original message."""
    row = world.store.require(Email, email_id, "email")
    body = f"{note}\n\n---------- Forwarded message ----------\nFrom: {row['sender']}\nSubject: {row['subject']}\n\n{row['body']}"
    return _send(world, [a.lower() for a in to], [], f"Fwd: {row['subject']}", body.strip(), row["thread"] or row["id"])


@operation(APP, "write", example={"to": ["friend@example.com"], "subject": "Later", "body": "Draft"})
def draft(world: World, to: list[Address], subject: str, body: str) -> dict[str, Any]:
    """Save an email as a draft without sending it."""
    return _send(world, [a.lower() for a in to], [], subject, body, None, folder="drafts")


@operation(APP, "write", example={"email_id": Pick("email", folder="drafts")})
def send_draft(world: World, email_id: int) -> dict[str, Any]:
    """Send a saved draft."""
    row = world.store.require(Email, email_id, "email")
    if row["folder"] != "drafts":
        raise Forbidden(f"email {email_id} is not a draft (it is in {row['folder']})")
    if not row["to"]:
        raise InvalidArguments(f"draft {email_id} has no recipients; add them with a new draft")
    world.store.update(Email, email_id, {"folder": "sent", "at": world.iso_now()})
    return _brief({**row, "folder": "sent", "at": world.iso_now()})


@operation(APP, "write", example={"email_id": Pick("email"), "folder": "archive"})
def move(world: World, email_id: int, folder: Literal["inbox", "archive", "trash"]) -> dict[str, Any]:
    """Move an email to the inbox, the archive or the trash."""
    row = world.store.require(Email, email_id, "email")
    world.store.update(Email, email_id, {"folder": folder})
    return _brief({**row, "folder": folder})


@operation(APP, "write", example={"email_id": Pick("email")})
def delete(world: World, email_id: int) -> dict[str, Any]:
    """Delete an email for good if it is in the trash, else move it to the trash."""
    row = world.store.require(Email, email_id, "email")
    if row["folder"] == "trash":
        world.store.delete(Email, email_id)
        return {"deleted": email_id}
    world.store.update(Email, email_id, {"folder": "trash"})
    return _brief({**row, "folder": "trash"})


@operation(APP, "write", example={"email_id": Pick("email"), "starred": True})
def mark(world: World, email_id: int, read: bool | None = None, starred: bool | None = None) -> dict[str, Any]:
    """Mark an email read/unread and/or starred/unstarred."""
    row = world.store.require(Email, email_id, "email")
    changes = {k: v for k, v in {"read": read, "starred": starred}.items() if v is not None}
    if not changes:
        raise InvalidArguments("mail.mark: give read and/or starred")
    world.store.update(Email, email_id, changes)
    return _full({**row, **changes})


@operation(APP, "write", example={"email_id": Pick("email"), "label": "travel"})
def label(world: World, email_id: int, label: Annotated[str, Arg(min_length=1, max_length=40)],
          remove: bool = False) -> dict[str, Any]:
    """Add a label to an email (or remove it with remove=true)."""
    row = world.store.require(Email, email_id, "email")
    labels = [x for x in row["labels"] if x != label] + ([] if remove else [label])
    world.store.update(Email, email_id, {"labels": labels})
    return _full({**row, "labels": labels})


@operation(APP, "write", system=True, example={"sender": "someone@example.com", "subject": "Hello", "body": "Hi there"})
def receive(world: World, sender: Address, subject: str, body: str, cc: list[Address] = [],  # noqa: B006
            reply_to: int | None = None) -> dict[str, Any]:
    """An email arrives in the user's inbox (reply_to: the email it answers)."""
    thread = None
    if reply_to is not None:
        parent = world.store.require(Email, reply_to, "email")
        thread = parent["thread"] or parent["id"]
    return deliver(world, sender, subject, body, cc=cc, thread=thread)
