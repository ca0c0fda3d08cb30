"""Delivery: parcels on their way to the user, their carrier scans, and what the user can change before arrival.

Shipments come from store orders (``shop``) or from elsewhere; each scan notifies the user, and a delivered
scan of an order's shipment marks the order delivered (``shop.shipment_update``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "delivery"
Day = Annotated[str, Arg(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a date, YYYY-MM-DD")]
ScanStatus = Literal["in_transit", "out_for_delivery", "delivered", "delayed", "exception"]
CHANGEABLE = ("label_created", "in_transit", "delayed")  # before out_for_delivery: address and pickup can change
DONE = ("delivered", "cancelled")
_PREFIX = {"UPS": "1Z", "FedEx": "7", "USPS": "94", "DHL": "JD"}


class Shipment(Record, table=True):
    __tablename__ = "delivery_shipment"
    order_id: int | None = Field(default=None, foreign_key="shop_order.id", index=True)
    carrier: str = ""
    tracking: str = Field(default="", index=True)
    sender: str = ""
    description: str = ""
    address: str = ""
    status: str = Field(default="label_created", index=True)
    eta: str = ""
    requested_date: str = ""  # a delivery day the user asked for
    pickup_point: str = ""  # where the parcel is held, when the user chose a pickup point
    created: str = ""
    delivered_at: str = ""
    received: bool = False  # the user confirmed they have it
    received_at: str = ""


class Scan(Record, table=True):
    __tablename__ = "delivery_scan"
    shipment_id: int = Field(foreign_key="delivery_shipment.id", index=True)
    at: str = ""
    status: str = ""
    location: str = ""
    note: str = ""


class Claim(Record, table=True):
    """A problem the user reported about a parcel (missing, damaged, wrong item, late)."""

    __tablename__ = "delivery_claim"
    shipment_id: int = Field(foreign_key="delivery_shipment.id", index=True)
    at: str = ""
    kind: str = ""
    description: str = ""
    reference: str = ""
    status: str = "open"


def _show(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "order_id", "carrier", "tracking", "sender", "description", "address", "status",
                                "eta", "requested_date", "pickup_point", "delivered_at", "received")}


def _require(world: World, shipment_id: int) -> dict[str, Any]:
    return world.store.require(Shipment, shipment_id, "shipment")


def shipment_for_order(world: World, order_id: int) -> dict[str, Any] | None:
    """The shipment of a store order, if it has one."""
    rows = world.store.select(Shipment, {"order_id": order_id}, limit=1)
    return rows[0] if rows else None


def pickup_points(world: World) -> list[dict[str, str]]:
    """Lockers and counters near the user where a parcel can wait (the same for every world of a persona)."""
    city = world.persona.user.city
    return [{"id": f"PP-{i + 1}", "name": name, "address": f"{street}, {city}", "hours": hours}
            for i, (name, street, hours) in enumerate([
                ("Parcel locker at Central Library", "100 Library Plaza", "24/7"),
                ("Corner Pharmacy counter", "415 Market St", "Mon-Sat 8-20"),
                ("Parcel locker at Union Station", "1 Station Sq", "24/7"),
                ("Carrier store Downtown", "77 Commerce Ave", "Mon-Fri 9-18, Sat 10-14")])]


def _changeable(row: dict[str, Any], what: str) -> None:
    if row["status"] not in CHANGEABLE:
        raise Forbidden(f"shipment {row['id']} is {row['status']}: {what} is only possible before it is out for "
                        "delivery")


# -- reading --------------------------------------------------------------------------------
@operation(APP, "read", example={"active_only": True})
def list_shipments(world: World, status: Literal["label_created", "in_transit", "out_for_delivery", "delivered",
                                                 "delayed", "exception", "cancelled"] | None = None,
                   active_only: bool = False, limit: Annotated[int, Arg(ge=1, le=100)] = 20) -> list[dict[str, Any]]:
    """List parcels newest first; active_only keeps those not yet delivered or cancelled."""
    conds, params = ["1 = 1"], []
    if status:
        conds.append("status = ?")
        params.append(status)
    if active_only:
        conds.append("status NOT IN ('delivered', 'cancelled')")
    rows = world.store.query(Shipment, " AND ".join(conds) + " ORDER BY created DESC, id DESC LIMIT ?",
                             (*params, limit))
    return [_show(r) for r in rows]


@operation(APP, "read", example={"shipment_id": Pick("delivery_shipment")})
def get_shipment(world: World, shipment_id: int) -> dict[str, Any]:
    """Get one parcel: carrier, tracking number, sender, contents, address, status and expected date."""
    return _show(_require(world, shipment_id))


@operation(APP, "read", example={"shipment_id": Pick("delivery_shipment")})
def track(world: World, shipment_id: int | None = None, tracking: str = "") -> dict[str, Any]:
    """Track a parcel by shipment id or tracking number: its status and every carrier scan, oldest first."""
    if shipment_id is not None:
        row = _require(world, shipment_id)
    elif tracking:
        rows = world.store.select(Shipment, {"tracking": tracking.strip().upper()}, limit=1)
        if not rows:
            raise NotFound("shipment with tracking number", tracking)
        row = rows[0]
    else:
        raise InvalidArguments("give 'shipment_id' or 'tracking'")
    scans = world.store.select(Scan, {"shipment_id": row["id"]}, order_by="at")
    return _show(row) | {"scans": [{k: s[k] for k in ("at", "status", "location", "note")} for s in scans]}


@operation(APP, "read", example={})
def list_pickup_points(world: World) -> list[dict[str, str]]:
    """Pickup points near the user where a parcel can be held instead of delivered to the door."""
    return pickup_points(world)


# -- the user's changes ---------------------------------------------------------------------
@operation(APP, "write", example={"shipment_id": Pick("delivery_shipment", status="label_created"),
                                  "address": "12 Harbor Lane, Springfield"})
def change_address(world: World, shipment_id: int, address: Annotated[str, Arg(min_length=5, max_length=200)]
                   ) -> dict[str, Any]:
    """Redirect a parcel to another address; only before it is out for delivery."""
    row = _require(world, shipment_id)
    _changeable(row, "changing the address")
    world.store.update(Shipment, shipment_id, {"address": address, "pickup_point": ""})
    return _show({**row, "address": address, "pickup_point": ""})


@operation(APP, "write", example={"shipment_id": Pick("delivery_shipment", status="label_created"),
                                  "pickup_point_id": "PP-1"})
def hold_at_pickup_point(world: World, shipment_id: int,
                         pickup_point_id: Annotated[str, Arg(pattern=r"^PP-\d+$", description="e.g. PP-1")]
                         ) -> dict[str, Any]:
    """Have a parcel held at a pickup point (see list_pickup_points) instead of delivered, before it goes out."""
    row = _require(world, shipment_id)
    _changeable(row, "holding at a pickup point")
    point = next((p for p in pickup_points(world) if p["id"] == pickup_point_id), None)
    if point is None:
        raise NotFound("pickup point", pickup_point_id)
    where = f"{point['name']}, {point['address']}"
    world.store.update(Shipment, shipment_id, {"pickup_point": where})
    return _show({**row, "pickup_point": where})


@operation(APP, "write", example={"shipment_id": Pick("delivery_shipment", status="label_created"),
                                  "date": Pick("delivery_shipment", field="eta", status="label_created")})
def reschedule_delivery(world: World, shipment_id: int, date: Day) -> dict[str, Any]:
    """Ask for delivery on another day: from the expected date up to 10 days later, and after today."""
    row = _require(world, shipment_id)
    _changeable(row, "rescheduling")
    today = world.iso_now()[:10]
    latest = (datetime.fromisoformat(row["eta"]) + timedelta(days=10)).date().isoformat() if row["eta"] else date
    if not (date > today and (not row["eta"] or row["eta"] <= date <= latest)):
        raise InvalidArguments(f"field 'date': must be after today ({today}) and between the expected date "
                               f"{row['eta'] or '(none)'} and {latest}, got {date}")
    world.store.update(Shipment, shipment_id, {"requested_date": date, "eta": date})
    return _show({**row, "requested_date": date, "eta": date})


@operation(APP, "write", example={"shipment_id": Pick("delivery_shipment", status="delivered"), "kind": "damaged",
                                  "description": "The box arrived crushed"})
def report_problem(world: World, shipment_id: int, kind: Literal["missing", "damaged", "wrong_item", "late"],
                   description: Annotated[str, Arg(min_length=3, max_length=1000)]) -> dict[str, Any]:
    """Report a problem with a parcel: missing, damaged or wrong_item (once delivered), or late (before delivery)."""
    row = _require(world, shipment_id)
    if row["status"] == "cancelled":
        raise Forbidden(f"shipment {shipment_id} was cancelled")
    if kind == "late" and row["status"] == "delivered":
        raise Forbidden(f"shipment {shipment_id} was delivered on {row['delivered_at'][:10]}; it is not late")
    if kind != "late" and row["status"] != "delivered":
        raise Forbidden(f"shipment {shipment_id} is {row['status']}: a {kind} report needs a delivered parcel")
    values = {"shipment_id": shipment_id, "at": world.iso_now(), "kind": kind, "description": description,
              "reference": "", "status": "open"}
    ident = world.store.insert(Claim, values)
    values["reference"] = f"CLM-{row['carrier'][:2].upper()}{ident + 20_000}"
    world.store.update(Claim, ident, {"reference": values["reference"]})
    return {"id": ident, **values}


@operation(APP, "write", example={"shipment_id": Pick("delivery_shipment", status="delivered", received=False)})
def confirm_receipt(world: World, shipment_id: int) -> dict[str, Any]:
    """Confirm a delivered parcel is in hand."""
    row = _require(world, shipment_id)
    if row["status"] != "delivered":
        raise Forbidden(f"shipment {shipment_id} is {row['status']}, not delivered yet")
    if row["received"]:
        raise Forbidden(f"shipment {shipment_id} was already confirmed on {row['received_at'][:10]}")
    world.store.update(Shipment, shipment_id, {"received": True, "received_at": world.iso_now()})
    return _show({**row, "received": True})


# -- what the world does --------------------------------------------------------------------
@operation(APP, "write", system=True, example={"order_id": None, "carrier": "UPS", "address": "1 Main St, Springfield",
                                               "eta": "2026-03-01", "sender": "Etsy"})
def create_shipment(world: World, carrier: Annotated[str, Arg(min_length=2)], eta: Day, order_id: int | None = None,
                    address: str = "", sender: str = "", description: str = "") -> dict[str, Any]:
    """A sender hands a parcel to a carrier (a store order's, or any other); address defaults to the user's."""
    if order_id is not None and shipment_for_order(world, order_id) is not None:
        raise Forbidden(f"order {order_id} already has a shipment")
    if not address:
        from clawgym.worlds.services import shop

        address = shop.shipping_address(world)
    values = {"order_id": order_id, "carrier": carrier, "tracking": "", "sender": sender, "description": description,
              "address": address, "status": "label_created", "eta": eta, "requested_date": "", "pickup_point": "",
              "created": world.iso_now(), "delivered_at": "", "received": False, "received_at": ""}
    ident = world.store.insert(Shipment, values)
    values["tracking"] = f"{_PREFIX.get(carrier, 'TR')}{(ident * 7_919_113 + 104_729) % 10**10:010d}"
    world.store.update(Shipment, ident, {"tracking": values["tracking"]})
    return _show({"id": ident, **values})


@operation(APP, "write", system=True, example={"shipment_id": Pick("delivery_shipment", status="in_transit"),
                                               "status": "in_transit", "location": "Memphis, TN"})
def scan(world: World, status: ScanStatus, location: Annotated[str, Arg(min_length=1)], note: str = "",
         shipment_id: int | None = None, order_id: int | None = None, eta: Day | None = None) -> dict[str, Any]:
    """A carrier scans a parcel (by shipment_id, or order_id for a store order); eta: a new expected date if delayed.

    The user is notified of each new status (not of every hub along the way).
    """
    if (shipment_id is None) == (order_id is None):
        raise InvalidArguments("give exactly one of 'shipment_id' or 'order_id'")
    if shipment_id is not None:
        row = _require(world, shipment_id)
    else:
        found = shipment_for_order(world, order_id)  # type: ignore[arg-type]  # exactly one of the two is given
        if found is None:
            raise NotFound("shipment for order", order_id)
        row = found
    if row["status"] in DONE:
        raise Forbidden(f"shipment {row['id']} is already {row['status']}")
    today = world.iso_now()[:10]
    if status in ("out_for_delivery", "delivered") and row["requested_date"] > today:
        status, note = "in_transit", f"Held at the local facility until the requested day {row['requested_date']}"
    if status == "delivered" and row["pickup_point"]:
        location, note = row["pickup_point"], note or "Ready for pickup"
    changes: dict[str, Any] = {"status": status}
    if status == "delivered":
        changes["delivered_at"] = world.iso_now()
    if eta:
        changes["eta"] = eta
    world.store.update(Shipment, row["id"], changes)
    world.store.insert(Scan, {"shipment_id": row["id"], "at": world.iso_now(), "status": status, "location": location,
                              "note": note})
    if status != row["status"]:  # hub-to-hub scans show in the tracking; the user hears of new statuses only
        what = row["description"][:60] or f"parcel from {row['sender'] or row['carrier']}"
        body = f"{row['carrier']} {row['tracking']} at {location}. {note}".strip()
        world.notify(APP, f"{_TITLES[status]}: {what}", body, "delivery_shipment", row["id"])
        if row["order_id"] is not None:
            from clawgym.worlds.services import shop

            shop.shipment_update(world, row["order_id"], status)
    return _show({**row, **changes})


_TITLES = {"in_transit": "In transit", "out_for_delivery": "Out for delivery", "delivered": "Delivered",
           "delayed": "Delayed", "exception": "Delivery problem"}


@operation(APP, "write", system=True, example={"shipment_id": Pick("delivery_shipment", status="label_created")})
def cancel_shipment(world: World, shipment_id: int) -> dict[str, Any]:
    """The sender cancels a parcel that has not left yet (an order cancelled before shipping)."""
    row = _require(world, shipment_id)
    if row["status"] != "label_created":
        raise Forbidden(f"shipment {shipment_id} is {row['status']}; only a parcel not yet shipped can be cancelled")
    world.store.update(Shipment, shipment_id, {"status": "cancelled"})
    return _show({**row, "status": "cancelled"})
