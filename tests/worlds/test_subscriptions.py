"""Subscriptions: subscribing charges the first month, renewals charge the card, price notices change the price."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds import World


def _sub(world: World, service: str) -> dict[str, Any]:
    return world.store.select("subscription", {"service": service}, limit=1)[0]


def _plan(world: World, service: str, name: str) -> dict[str, Any]:
    return world.store.select("subscription_plan", {"service": service, "name": name}, limit=1)[0]


def test_subscribe_charges_the_first_month_and_refuses_a_second_subscription(world: World) -> None:
    plan = _plan(world, "LinguaLeap", "Super")
    sub = world.call("subscriptions.subscribe", {"plan_id": plan["id"]})
    assert sub["status"] == "active" and sub["price"] == 12.99 and sub["next_billing"] > world.iso_now()[:10]
    txn = world.call("bank.list_transactions", {"merchant": "LinguaLeap"})[0]
    assert txn["amount"] == -12.99 and txn["category"] == "subscriptions"
    assert world.call("mail.search", {"query": "Welcome to LinguaLeap"})
    before = world.digest()
    with pytest.raises(Forbidden, match="already subscribed to LinguaLeap"):
        world.call("subscriptions.subscribe", {"plan_id": _plan(world, "LinguaLeap", "Max")["id"]})
    assert world.digest() == before


def test_renewal_charges_the_card_mails_a_receipt_and_moves_the_billing_date(world: World) -> None:
    sub = _sub(world, "StreamFlix")
    billed = world.call("subscriptions.bill", {"subscription_id": sub["id"]}, system=True)
    assert billed["next_billing"] > sub["next_billing"] and billed["status"] == "active"
    txn = world.call("bank.list_transactions", {"merchant": "StreamFlix"})[0]
    assert txn["amount"] == -sub["price"] / 100
    assert txn["account_id"] == world.store.get("bank_card", sub["card_id"])["account_id"]
    assert world.call("mail.search", {"query": "StreamFlix receipt"})
    charges = world.call("subscriptions.get", {"subscription_id": sub["id"]})["recent_charges"]
    assert charges[0]["transaction_id"] == txn["id"]


def test_a_frozen_card_makes_the_renewal_past_due_without_charging(world: World) -> None:
    sub = _sub(world, "StreamFlix")
    world.call("bank.freeze_card", {"card_id": sub["card_id"]})
    before = world.store.count("bank_transaction")
    out = world.call("subscriptions.bill", {"subscription_id": sub["id"]}, system=True)
    assert out["status"] == "past_due" and world.store.count("bank_transaction") == before
    assert world.notifications(limit=1)[0]["title"] == "StreamFlix payment failed"
    with pytest.raises(Forbidden, match="frozen"):
        world.call("subscriptions.resume", {"subscription_id": sub["id"]})
    debit = world.store.select("bank_card", {"kind": "debit", "status": "active"}, limit=1)[0]
    world.call("subscriptions.update_payment_card", {"subscription_id": sub["id"], "card_id": debit["id"]})
    assert world.call("subscriptions.resume", {"subscription_id": sub["id"]})["status"] == "active"


def test_a_price_notice_changes_the_next_bill(world: World) -> None:
    sub = _sub(world, "StreamFlix")
    world.call("subscriptions.price_change", {"subscription_id": sub["id"], "new_price": 17.99}, system=True)
    assert world.call("mail.search", {"query": "Changes to your StreamFlix price"})
    world.call("subscriptions.bill", {"subscription_id": sub["id"]}, system=True)
    assert world.call("bank.list_transactions", {"merchant": "StreamFlix"})[0]["amount"] == -17.99


def test_plans_change_only_within_the_same_service(world: World) -> None:
    sub = _sub(world, "StreamFlix")
    premium = _plan(world, "StreamFlix", "Premium")
    changed = world.call("subscriptions.change_plan", {"subscription_id": sub["id"], "plan_id": premium["id"]})
    assert changed["plan"] == "Premium" and changed["price"] == premium["price"] / 100
    with pytest.raises(InvalidArguments, match="plan_id"):
        world.call("subscriptions.change_plan", {"subscription_id": sub["id"],
                                                 "plan_id": _plan(world, "Tunely", "Duo")["id"]})


def test_pause_resume_and_cancel(world: World) -> None:
    sub = _sub(world, "StreamFlix")
    paused = world.call("subscriptions.pause", {"subscription_id": sub["id"], "months": 2})
    assert paused["status"] == "paused" and paused["paused_until"] > world.iso_now()[:10]
    with pytest.raises(Forbidden, match="is paused; it is not billed"):
        world.call("subscriptions.bill", {"subscription_id": sub["id"]}, system=True)
    assert world.call("subscriptions.resume", {"subscription_id": sub["id"]})["status"] == "active"
    cancelled = world.call("subscriptions.cancel", {"subscription_id": sub["id"]})
    assert cancelled["status"] == "cancelled"
    with pytest.raises(Forbidden, match="already cancelled"):
        world.call("subscriptions.cancel", {"subscription_id": sub["id"]})


def test_history_has_renewals_a_cancelled_service_and_renewals_scheduled(world: World) -> None:
    statuses = {s["service"]: s["status"] for s in world.call("subscriptions.list")}
    assert statuses["GameHub"] == "cancelled" and statuses["MealBox"] == "paused"
    assert statuses["CloudVault"] == "active"
    assert world.store.count("subscription_charge") >= 5
    renewals = [e for e in world.pending() if e["op"] == "subscriptions.bill"]
    assert renewals
    world.advance(until=datetime.fromisoformat(renewals[0]["at"]))
    assert world.store.query("event_log", "eid = ?", (renewals[0]["eid"],))[0]["status"] == "applied"
