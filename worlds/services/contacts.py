"""Contacts: the user's address book (which may lag behind the truth: people move, change numbers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "contacts"
Relation = Literal["family", "friend", "colleague", "company", "other"]


class Contact(Record, table=True):
    __tablename__ = "contact"
    name: str = Field(index=True)
    email: str = ""
    phone: str = ""
    relation: str = "other"
    role: str = ""
    company: str = ""
    address: str = ""
    birthday: str = ""
    notes: str = ""
    favorite: bool = False


def _show(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "origin" and v not in ("", None)}


def find_by_email(world: World, email: str) -> dict[str, Any] | None:
    """The address-book entry with this email, if any (other services use it to name senders)."""
    rows = world.store.select(Contact, {"email": email.lower()}, limit=1)
    return rows[0] if rows else None


@operation(APP, "read", example={"query": "a"})
def search(world: World, query: Annotated[str, Arg(min_length=1)],
           limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """Find contacts whose name, email, phone, company or role contains the query (case-insensitive)."""
    q = f"%{query.lower()}%"
    rows = world.store.query(
        Contact,
        "LOWER(name) LIKE ? OR LOWER(email) LIKE ? OR phone LIKE ? OR LOWER(company) LIKE ? OR LOWER(role) LIKE ? "
        "ORDER BY name LIMIT ?",
        (q, q, q, q, q, limit),
    )
    return [_show(r) for r in rows]


@operation(APP, "read", example={"contact_id": Pick("contact")})
def get(world: World, contact_id: int) -> dict[str, Any]:
    """Get one contact by id with every field (email, phone, address, birthday, notes)."""
    return _show(world.store.require(Contact, contact_id, "contact"))


@operation(APP, "read", name="list", example={"relation": "friend"})
def list_(world: World, relation: Relation | None = None, favorites_only: bool = False,
          limit: Annotated[int, Arg(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    """List contacts alphabetically, optionally only one relation (family, friend, colleague, company) or favorites."""
    where: dict[str, Any] = {}
    if relation:
        where["relation"] = relation
    if favorites_only:
        where["favorite"] = True
    return [_show(r) for r in world.store.select(Contact, where, order_by="name", limit=limit)]


@operation(APP, "write", example={"name": "Sam Rivera", "email": "sam.rivera@example.com"})
def add(world: World, name: Annotated[str, Arg(min_length=1)], email: str = "", phone: str = "",
        relation: Relation = "other", role: str = "", company: str = "", address: str = "",
        birthday: Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "", notes: str = "") -> dict[str, Any]:
    """Add a contact. Email must look like name@domain; birthday as YYYY-MM-DD."""
    if email and "@" not in email:
        raise InvalidArguments(f"field 'email': expected an address like name@example.com, got {email!r}")
    if email and find_by_email(world, email):
        raise Forbidden(f"a contact with email {email} already exists")
    values = {"name": name, "email": email.lower(), "phone": phone, "relation": relation, "role": role,
              "company": company, "address": address, "birthday": birthday, "notes": notes}
    ident = world.store.insert(Contact, values)
    return _show({"id": ident, **values})


@operation(APP, "write", example={"contact_id": Pick("contact"), "notes": "met at the gym"})
def update(world: World, contact_id: int, name: str | None = None, email: str | None = None,
           phone: str | None = None, address: str | None = None, company: str | None = None,
           role: str | None = None, birthday: Annotated[str | None, Arg(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
           notes: str | None = None) -> dict[str, Any]:
    """Change fields of a contact; only the fields given change."""
    row = world.store.require(Contact, contact_id, "contact")
    changes = {k: v for k, v in {"name": name, "email": email, "phone": phone, "address": address,
                                 "company": company, "role": role, "birthday": birthday, "notes": notes}.items()
               if v is not None}
    if not changes:
        raise InvalidArguments("contacts.update: give at least one field to change")
    if "email" in changes:
        if "@" not in changes["email"]:
            raise InvalidArguments(f"field 'email': expected an address like name@example.com, got {email!r}")
        changes["email"] = changes["email"].lower()
    world.store.update(Contact, contact_id, changes)
    return _show({**row, **changes})


@operation(APP, "write", example={"contact_id": Pick("contact")})
def delete(world: World, contact_id: int) -> dict[str, Any]:
    """Delete a contact from the address book."""
    row = world.store.require(Contact, contact_id, "contact")
    world.store.delete(Contact, contact_id)
    return {"deleted": contact_id, "name": row["name"]}


@operation(APP, "write", example={"contact_id": Pick("contact")})
def favorite(world: World, contact_id: int, favorite: bool = True) -> dict[str, Any]:
    """Mark (or unmark, with favorite=false) a contact as a favorite."""
    row = world.store.require(Contact, contact_id, "contact")
    world.store.update(Contact, contact_id, {"favorite": favorite})
    return _show({**row, "favorite": favorite})
