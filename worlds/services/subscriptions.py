"""Subscriptions: recurring services the user pays monthly, their plans, billing and price changes.

Billing charges the subscription's card through ``bank.charge`` and mails a receipt; a declined card leaves the
subscription ``past_due`` and tells the user. Price changes arrive as notices that supersede the old price.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.money import cents, units
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "subscriptions"
Day = Annotated[str, Arg(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a date, YYYY-MM-DD")]
Price = Annotated[float, Arg(gt=0, le=10_000, description="currency units a month")]


class Plan(Record, table=True):
    __tablename__ = "subscription_plan"
    service: str = Field(index=True)
    name: str = Field(index=True)
    price: int  # cents a month
    features: str = ""
    sender: str = ""  # the email address the service writes from


class Subscription(Record, table=True):
    __tablename__ = "subscription"
    service: str = Field(index=True)
    plan_id: int = Field(foreign_key="subscription_plan.id", index=True)
    plan: str = ""
    price: int  # cents a month, what the next bill charges
    status: str = Field(default="active", index=True)  # active | paused | past_due | cancelled
    card_id: int | None = Field(default=None, foreign_key="bank_card.id", index=True)
    started: str = ""
    next_billing: str = Field(default="", index=True)
    paused_until: str = ""
    cancelled_at: str = ""


class Charge(Record, table=True):
    __tablename__ = "subscription_charge"
    subscription_id: int = Field(foreign_key="subscription.id", index=True)
    at: str = ""
    amount: int = 0
    transaction_id: int | None = Field(default=None, foreign_key="bank_transaction.id")


def _plan(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "service": row["service"], "name": row["name"], "price": units(row["price"]),
            "features": row["features"]}


def _show(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "service", "plan_id", "plan", "status", "card_id", "started", "next_billing",
                                "paused_until", "cancelled_at")} | {"price": units(row["price"])}


def _require(world: World, subscription_id: int) -> dict[str, Any]:
    return world.store.require(Subscription, subscription_id, "subscription")


def next_month(day: str) -> str:
    """The same day next month, as YYYY-MM-DD (billing days are 1 to 28)."""
    d = date.fromisoformat(day[:10])
    year, month = d.year + d.month // 12, d.month % 12 + 1
    return date(year, month, min(d.day, 28)).isoformat()


def _active_card(world: World, card_id: int) -> None:
    from clawgym.worlds.services import bank

    card = bank.card(world, card_id)
    if card["status"] != "active":
        raise Forbidden(f"card {card_id} (ending {card['last4']}) is {card['status']}; choose an active card")


def _mail(world: World, plan: dict[str, Any] | None, service: str, subject: str, body: str) -> None:
    from clawgym.worlds.services import mail

    sender = (plan or {}).get("sender") or f"billing@{''.join(c for c in service.lower() if c.isalnum())}.com"
    mail.deliver(world, sender, subject, body)


def _charge(world: World, sub: dict[str, Any], what: str) -> dict[str, Any]:
    """Charge one month of ``sub`` (raises Forbidden if the card declines) and record it."""
    txn = world.call("bank.charge", {"amount": units(sub["price"]), "merchant": sub["service"],
                                     "category": "subscriptions", "card_id": sub["card_id"],
                                     "description": f"{sub['service']} {sub['plan']} {what}"}, system=True)
    values = {"subscription_id": sub["id"], "at": world.iso_now(), "amount": sub["price"], "transaction_id": txn["id"]}
    return {"id": world.store.insert(Charge, values), **values}


# -- reading --------------------------------------------------------------------------------
@operation(APP, "read", name="list", example={})
def list_(world: World, status: Literal["active", "paused", "past_due", "cancelled"] | None = None
          ) -> list[dict[str, Any]]:
    """List the user's subscriptions with plan, monthly price, status and next billing date."""
    return [_show(r) for r in world.store.select(Subscription, {"status": status} if status else None,
                                                 order_by="service")]


@operation(APP, "read", example={"subscription_id": Pick("subscription")})
def get(world: World, subscription_id: int) -> dict[str, Any]:
    """Get one subscription with its last charges."""
    row = _require(world, subscription_id)
    charges = world.store.select(Charge, {"subscription_id": subscription_id}, order_by="at", desc=True, limit=6)
    return _show(row) | {"recent_charges": [{"at": c["at"], "amount": units(c["amount"]),
                                            "transaction_id": c["transaction_id"]} for c in charges]}


@operation(APP, "read", example={"service": "StreamFlix"})
def list_plans(world: World, service: str = "") -> list[dict[str, Any]]:
    """List the plans on offer (all services, or those whose name contains service) with monthly prices."""
    rows = world.store.select(Plan, order_by="service", contains={"service": service} if service else None)
    return [_plan(r) for r in rows]


# -- changes --------------------------------------------------------------------------------
@operation(APP, "write", example={"plan_id": Pick("subscription_plan", service="LinguaLeap")})
def subscribe(world: World, plan_id: int, card_id: int | None = None) -> dict[str, Any]:
    """Subscribe to a plan: the first month is charged now (default card unless card_id) and renews monthly."""
    plan = world.store.require(Plan, plan_id, "plan")
    for row in world.store.query(Subscription, "service = ? AND status != 'cancelled' LIMIT 1", (plan["service"],)):
        raise Forbidden(f"already subscribed to {plan['service']} (subscription {row['id']}, {row['status']}); "
                        "use change_plan to switch plans")
    from clawgym.worlds.services import bank

    card_id = bank.default_card(world) if card_id is None else card_id
    _active_card(world, card_id)
    today = world.iso_now()[:10]
    billing = today if int(today[8:]) <= 28 else today[:8] + "28"
    values = {"service": plan["service"], "plan_id": plan_id, "plan": plan["name"], "price": plan["price"],
              "status": "active", "card_id": card_id, "started": today, "next_billing": next_month(billing),
              "paused_until": "", "cancelled_at": ""}
    ident = world.store.insert(Subscription, values)
    _charge(world, {"id": ident, **values}, "first month")
    _mail(world, plan, plan["service"], f"Welcome to {plan['service']} {plan['name']}",
          f"You're subscribed. We charged ${units(plan['price']):,.2f} today; your plan renews monthly on "
          f"{values['next_billing'][8:]}.")
    return _show({"id": ident, **values})


@operation(APP, "write", example={"subscription_id": Pick("subscription", service="StreamFlix", status="active"),
                                  "plan_id": Pick("subscription_plan", service="StreamFlix", name="Premium")})
def change_plan(world: World, subscription_id: int, plan_id: int) -> dict[str, Any]:
    """Switch a subscription to another plan of the same service; the new price applies from the next bill."""
    row = _require(world, subscription_id)
    plan = world.store.require(Plan, plan_id, "plan")
    if plan["service"] != row["service"]:
        raise InvalidArguments(f"field 'plan_id': plan {plan_id} is a {plan['service']} plan; subscription "
                               f"{subscription_id} is {row['service']} (see list_plans)")
    if row["status"] == "cancelled":
        raise Forbidden(f"subscription {subscription_id} is cancelled; subscribe again instead")
    if row["plan_id"] == plan_id:
        raise Forbidden(f"subscription {subscription_id} is already on the {plan['name']} plan")
    changes = {"plan_id": plan_id, "plan": plan["name"], "price": plan["price"]}
    world.store.update(Subscription, subscription_id, changes)
    _mail(world, plan, row["service"], f"Your {row['service']} plan is now {plan['name']}",
          f"From your next bill on {row['next_billing']} you pay ${units(plan['price']):,.2f} a month.")
    return _show({**row, **changes})


@operation(APP, "write", example={"subscription_id": Pick("subscription", status="active")})
def cancel(world: World, subscription_id: int) -> dict[str, Any]:
    """Cancel a subscription: no further bills; access lasts until the paid period ends."""
    row = _require(world, subscription_id)
    if row["status"] == "cancelled":
        raise Forbidden(f"subscription {subscription_id} was already cancelled on {row['cancelled_at'][:10]}")
    changes = {"status": "cancelled", "cancelled_at": world.iso_now()}
    world.store.update(Subscription, subscription_id, changes)
    _mail(world, None, row["service"], f"Your {row['service']} subscription is cancelled",
          f"You will not be billed again. Access continues until {row['next_billing']}.")
    return _show({**row, **changes})


@operation(APP, "write", example={"subscription_id": Pick("subscription", status="active"), "months": 1})
def pause(world: World, subscription_id: int, months: Annotated[int, Arg(ge=1, le=3)] = 1) -> dict[str, Any]:
    """Pause an active subscription for 1 to 3 months: no bills until it is resumed."""
    row = _require(world, subscription_id)
    if row["status"] != "active":
        raise Forbidden(f"subscription {subscription_id} is {row['status']}; only an active one can be paused")
    until = world.iso_now()[:10]
    for _ in range(months):
        until = next_month(until)
    changes = {"status": "paused", "paused_until": until}
    world.store.update(Subscription, subscription_id, changes)
    return _show({**row, **changes})


@operation(APP, "write", example={"subscription_id": Pick("subscription", status="paused")})
def resume(world: World, subscription_id: int) -> dict[str, Any]:
    """Resume a paused or past-due subscription: one month is charged now and billing restarts from today."""
    row = _require(world, subscription_id)
    if row["status"] not in ("paused", "past_due"):
        raise Forbidden(f"subscription {subscription_id} is {row['status']}; only a paused or past-due one can resume")
    _active_card(world, row["card_id"])
    today = world.iso_now()[:10]
    changes = {"status": "active", "paused_until": "",
               "next_billing": next_month(today if int(today[8:]) <= 28 else today[:8] + "28")}
    world.store.update(Subscription, subscription_id, changes)
    _charge(world, {**row, **changes}, "resumed")
    return _show({**row, **changes})


@operation(APP, "write", example={"subscription_id": Pick("subscription", status="active"),
                                  "card_id": Pick("bank_card", status="active")})
def update_payment_card(world: World, subscription_id: int, card_id: int) -> dict[str, Any]:
    """Pay a subscription with another (active) card from now on."""
    row = _require(world, subscription_id)
    if row["status"] == "cancelled":
        raise Forbidden(f"subscription {subscription_id} is cancelled")
    _active_card(world, card_id)
    world.store.update(Subscription, subscription_id, {"card_id": card_id})
    return _show({**row, "card_id": card_id})


# -- what the world does --------------------------------------------------------------------
@operation(APP, "write", system=True, example={"subscription_id": Pick("subscription", status="active")})
def bill(world: World, subscription_id: int) -> dict[str, Any]:
    """The monthly renewal: charge the card and mail a receipt; a declined card makes the subscription past_due."""
    row = _require(world, subscription_id)
    if row["status"] not in ("active", "past_due"):
        raise Forbidden(f"subscription {subscription_id} is {row['status']}; it is not billed")
    plan = world.store.get(Plan, row["plan_id"])
    try:
        charged = _charge(world, row, f"monthly ({world.iso_now()[:7]})")
    except Forbidden as declined:
        world.store.update(Subscription, subscription_id, {"status": "past_due"})
        world.notify(APP, f"{row['service']} payment failed", str(declined), "subscription", subscription_id)
        _mail(world, plan, row["service"], f"Action needed: your {row['service']} payment failed",
              f"We could not charge ${units(row['price']):,.2f}: {declined} Update your card to keep your plan.")
        return _show({**row, "status": "past_due"})
    changes = {"status": "active", "next_billing": next_month(row["next_billing"] or world.iso_now())}
    world.store.update(Subscription, subscription_id, changes)
    _mail(world, plan, row["service"], f"Your {row['service']} receipt",
          f"{row['plan']} plan: ${units(row['price']):,.2f} charged on {world.iso_now()[:10]}. "
          f"Next bill on {changes['next_billing']}.")
    return _show({**row, **changes}) | {"charge_id": charged["id"]}


@operation(APP, "write", system=True, example={"subscription_id": Pick("subscription"), "new_price": 19.99})
def price_change(world: World, subscription_id: int, new_price: Price, effective: Day | None = None) -> dict[str, Any]:
    """The service announces a new monthly price for the user's plan, from the next bill (or ``effective``)."""
    row = _require(world, subscription_id)
    value = cents(new_price, "new_price")
    plan = world.store.require(Plan, row["plan_id"], "plan")
    world.store.update(Plan, plan["id"], {"price": value})
    world.store.update(Subscription, subscription_id, {"price": value})
    when = effective or row["next_billing"]
    _mail(world, plan, row["service"], f"Changes to your {row['service']} price",
          f"Starting with your bill on {when}, your {row['plan']} plan costs ${new_price:,.2f} a month "
          f"(currently ${units(row['price']):,.2f}).")
    world.notify(APP, f"{row['service']} price change", f"${new_price:,.2f}/month from {when}", "subscription",
                 subscription_id)
    return _show({**row, "price": value})


@operation(APP, "write", system=True, example={"service": "PodPass", "name": "Basic", "price": 4.99})
def add_plan(world: World, service: Annotated[str, Arg(min_length=2)], name: Annotated[str, Arg(min_length=1)],
             price: Price, features: str = "", sender: str = "") -> dict[str, Any]:
    """A service offers a plan."""
    values = {"service": service, "name": name, "price": cents(price, "price"), "features": features, "sender": sender}
    return _plan({"id": world.store.insert(Plan, values), **values})


@operation(APP, "write", system=True, example={"plan_id": Pick("subscription_plan", service="LinguaLeap"),
                                               "started": "2025-06-03", "next_billing": "2026-03-03"})
def enroll(world: World, plan_id: int, started: Day, next_billing: Day, card_id: int | None = None,
           status: Literal["active", "paused"] = "active", paused_until: str = "") -> dict[str, Any]:
    """A subscription the user already had before the history starts (nothing is charged now)."""
    plan = world.store.require(Plan, plan_id, "plan")
    from clawgym.worlds.services import bank

    values = {"service": plan["service"], "plan_id": plan_id, "plan": plan["name"], "price": plan["price"],
              "status": status, "card_id": bank.default_card(world) if card_id is None else card_id,
              "started": started, "next_billing": next_billing, "paused_until": paused_until, "cancelled_at": ""}
    return _show({"id": world.store.insert(Subscription, values), **values})
