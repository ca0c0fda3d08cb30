"""Bank: charges, freezes, limits, refunds, transfers, bills and scheduled payments, end to end through operations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World
from clawgym.worlds.services import bank


def _card(world: World, **where: Any) -> dict[str, Any]:
    return world.store.select("bank_card", where, limit=1)[0]


def _account(world: World, kind: str) -> dict[str, Any]:
    return world.call("bank.get_account", {"account_id": world.store.select("bank_account", {"kind": kind})[0]["id"]})


def _charge(world: World, amount: float, **extra: Any) -> dict[str, Any]:
    return world.call("bank.charge", {"amount": amount, "merchant": "Corner Cafe", "category": "coffee", **extra},
                      system=True)


def test_setup_gives_checking_savings_credit_and_a_default_debit_card(world: World) -> None:
    kinds = [a["kind"] for a in world.call("bank.list_accounts")]
    assert kinds == ["checking", "savings", "credit"]
    default = world.call("bank.list_cards")
    assert [c["id"] for c in default if c["default"]] == [bank.default_card(world)]
    assert _card(world, id=bank.default_card(world))["kind"] == "debit"
    for row in world.store.select("bank_account"):
        assert row["balance"] >= -row["overdraft"]


def test_charge_debits_the_default_cards_account(world: World) -> None:
    before = _account(world, "checking")["balance"]
    txn = _charge(world, 4.75)
    assert txn["amount"] == -4.75 and txn["card_id"] == bank.default_card(world) and txn["kind"] == "card"
    assert _account(world, "checking")["balance"] == pytest.approx(before - 4.75)
    assert world.call("bank.get_transaction", {"transaction_id": txn["id"]})["merchant"] == "Corner Cafe"


def test_frozen_card_declines_charges_and_changes_nothing(world: World) -> None:
    card_id = bank.default_card(world)
    world.call("bank.freeze_card", {"card_id": card_id})
    before = world.digest()
    with pytest.raises(Forbidden, match=f"card {card_id} .* frozen"):
        _charge(world, 3.5)
    assert world.digest() == before
    with pytest.raises(Forbidden, match="already frozen"):
        world.call("bank.freeze_card", {"card_id": card_id})
    world.call("bank.unfreeze_card", {"card_id": card_id})
    assert _charge(world, 3.5)["amount"] == -3.5


def test_charge_beyond_the_credit_limit_is_refused(world: World) -> None:
    credit = _card(world, kind="credit", status="active")
    available = _account(world, "credit")["available"]
    before = world.digest()
    with pytest.raises(Forbidden, match="insufficient funds"):
        _charge(world, round(available + 1, 2), card_id=credit["id"])
    assert world.digest() == before


def test_overdraft_protection_covers_checking_from_savings(world: World) -> None:
    checking, savings = _account(world, "checking"), _account(world, "savings")
    amount = round(checking["balance"] + 150.25, 2)
    _charge(world, amount)
    after_checking, after_savings = _account(world, "checking"), _account(world, "savings")
    assert after_checking["balance"] >= 0
    assert after_savings["balance"] == pytest.approx(savings["balance"] - 200)  # the shortfall, in steps of 100
    moved = world.call("bank.list_transactions", {"kind": "transfer", "limit": 2})
    assert {t["merchant"].split(" ")[0] for t in moved} == {"Overdraft"}


def test_daily_limit_declines_the_charge_that_would_exceed_it(world: World) -> None:
    card_id = bank.default_card(world)
    world.call("bank.set_card_limit", {"card_id": card_id, "daily_limit": 50})
    world.advance(timedelta(hours=10))  # a fresh day: nothing spent yet today
    _charge(world, 30)
    with pytest.raises(Forbidden, match="daily limit 50.0"):
        _charge(world, 25)
    world.call("bank.set_card_limit", {"card_id": card_id, "daily_limit": None})
    assert _charge(world, 25)["amount"] == -25


def test_refund_credits_back_and_a_second_full_refund_is_rejected(world: World) -> None:
    txn = _charge(world, 40)
    balance = _account(world, "checking")["balance"]
    part = world.call("bank.refund", {"transaction_id": txn["id"], "amount": 15}, system=True)
    assert part["amount"] == 15 and part["original_id"] == txn["id"]
    with pytest.raises(Forbidden, match="exceeds the 25.0 not yet refunded"):
        world.call("bank.refund", {"transaction_id": txn["id"], "amount": 30}, system=True)
    world.call("bank.refund", {"transaction_id": txn["id"]}, system=True)
    assert _account(world, "checking")["balance"] == pytest.approx(balance + 40)
    with pytest.raises(Forbidden, match="already fully refunded"):
        world.call("bank.refund", {"transaction_id": txn["id"]}, system=True)


def test_transfer_moves_money_between_own_accounts(world: World) -> None:
    chk, sav = _account(world, "checking"), _account(world, "savings")
    out = world.call("bank.transfer", {"from_account_id": chk["id"], "to_account_id": sav["id"], "amount": 120})
    assert out["amount"] == -120 and out["to_account"]["balance"] == pytest.approx(sav["balance"] + 120)
    with pytest.raises(InvalidArguments, match="two different accounts"):
        world.call("bank.transfer", {"from_account_id": chk["id"], "to_account_id": chk["id"], "amount": 1})
    with pytest.raises(NotFound, match="no account with id 999"):
        world.call("bank.transfer", {"from_account_id": chk["id"], "to_account_id": 999, "amount": 1})


def test_payees_can_be_paid_added_and_removed(world: World) -> None:
    payee = world.call("bank.add_payee", {"name": "Jordan Lee", "account_number": "555000111"})
    with pytest.raises(Forbidden, match="already saved"):
        world.call("bank.add_payee", {"name": "J. Lee", "account_number": "555000111"})
    sent = world.call("bank.send_money", {"payee_id": payee["id"], "amount": 20, "memo": "pizza"})
    assert sent["merchant"] == "Jordan Lee" and sent["amount"] == -20
    world.call("bank.remove_payee", {"payee_id": payee["id"]})
    assert payee["id"] not in [p["id"] for p in world.call("bank.list_payees")]
    with pytest.raises(Forbidden, match="was removed"):
        world.call("bank.send_money", {"payee_id": payee["id"], "amount": 20})


def test_pay_bill_pays_once(world: World) -> None:
    bill = world.call("bank.list_bills", {"status": "due"})[0]
    paid = world.call("bank.pay_bill", {"bill_id": bill["id"]})
    assert paid["status"] == "paid" and paid["transaction_id"] is not None
    txn = world.call("bank.get_transaction", {"transaction_id": paid["transaction_id"]})
    assert txn["amount"] == -bill["amount"] and txn["merchant"] == bill["biller"]
    before = world.digest()
    with pytest.raises(Forbidden, match="already paid"):
        world.call("bank.pay_bill", {"bill_id": bill["id"]})
    assert world.digest() == before


def test_a_bill_comes_due_after_the_window_with_a_reminder(world: World) -> None:
    due = world.call("bank.list_bills", {"status": "due"})
    assert any(b["due"] > world.iso_now()[:10] for b in due)
    reminders = [e for e in world.pending() if e["op"] == "bank.bill_reminder"]
    assert reminders
    world.advance(until=world.now + timedelta(days=12))
    titles = [n["title"] for n in world.notifications(limit=50)]
    assert any(t.startswith("Bill due") for t in titles)


def test_scheduled_payment_runs_when_its_day_comes(world: World) -> None:
    payee = world.call("bank.list_payees")[0]
    day = (world.now + timedelta(days=3)).date().isoformat()
    scheduled = world.call("bank.schedule_payment", {"payee_id": payee["id"], "amount": 42, "date": day})
    assert scheduled["status"] == "scheduled"
    with pytest.raises(Forbidden, match="scheduled payment"):
        world.call("bank.remove_payee", {"payee_id": payee["id"]})
    world.advance(timedelta(days=4))
    runs = world.call("bank.list_scheduled_payments", {"status": "paid"})
    assert scheduled["id"] in [r["id"] for r in runs]
    paid = world.call("bank.list_transactions", {"merchant": payee["name"], "kind": "payment"})
    assert [t["amount"] for t in paid if t["at"].startswith(day)] == [-42]


def test_cancelled_scheduled_payment_never_runs(world: World) -> None:
    bill = world.call("bank.list_bills", {"status": "due"})[0]
    day = (world.now + timedelta(days=2)).date().isoformat()
    scheduled = world.call("bank.schedule_payment", {"bill_id": bill["id"], "date": day})
    assert world.call("bank.list_bills", {"status": "scheduled"})[0]["id"] == bill["id"]
    with pytest.raises(Forbidden, match="scheduled payment"):
        world.call("bank.pay_bill", {"bill_id": bill["id"]})
    world.call("bank.cancel_scheduled_payment", {"payment_id": scheduled["id"]})
    world.advance(timedelta(days=3))
    assert world.store.get("bank_bill", bill["id"])["status"] == "due"
    with pytest.raises(InvalidArguments, match="after today"):
        world.call("bank.schedule_payment", {"bill_id": bill["id"], "date": world.iso_now()[:10]})


def test_only_card_purchases_can_be_disputed_once(world: World) -> None:
    txn = _charge(world, 19.99)
    disputed = world.call("bank.dispute_transaction", {"transaction_id": txn["id"], "reason": "never received"})
    assert disputed["status"] == "disputed"
    with pytest.raises(Forbidden, match="already disputed"):
        world.call("bank.dispute_transaction", {"transaction_id": txn["id"], "reason": "again"})
    deposit = world.call("bank.list_transactions", {"kind": "deposit", "limit": 1})[0]
    with pytest.raises(Forbidden, match="only card purchases"):
        world.call("bank.dispute_transaction", {"transaction_id": deposit["id"], "reason": "why"})


def test_transactions_filter_by_category_merchant_and_dates(world: World) -> None:
    coffee = world.call("bank.list_transactions", {"category": "coffee", "limit": 200})
    assert coffee and all(t["category"] == "coffee" for t in coffee)
    assert [t["at"] for t in coffee] == sorted((t["at"] for t in coffee), reverse=True)
    day = coffee[-1]["at"][:10]
    one_day = world.call("bank.list_transactions", {"since": day, "until": day, "limit": 200})
    assert one_day and all(t["at"].startswith(day) for t in one_day)
    found = world.call("bank.search_transactions", {"query": coffee[0]["merchant"][:5], "max_amount": 10})
    assert found and all(abs(t["amount"]) <= 10 for t in found)
    summary = world.call("bank.spending_summary", {})
    assert "coffee" in [c["category"] for c in summary["by_category"]]


def test_history_has_salary_rent_and_daily_spending(world: World) -> None:
    deposits = world.call("bank.list_transactions", {"kind": "deposit", "category": "income"})
    assert len(deposits) >= 2
    assert world.call("bank.list_bills", {"biller": "property"})  # rent, from the landlord
    assert world.store.count("bank_transaction") > 100


def test_after_the_move_the_electricity_bill_shows_a_new_address(world: World) -> None:
    bills = [b for b in world.call("bank.list_bills", {"limit": 200}) if b["service_address"]]
    addresses = [b["service_address"] for b in sorted(bills, key=lambda b: b["issued"])]
    assert addresses[0] == world.persona.user.address
    assert addresses[-1] != addresses[0]
    assert world.call("shop.view_cart")["ship_to"] == addresses[-1]  # the user saved it in the store too
