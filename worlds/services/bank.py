"""Bank: accounts, cards, transactions, payees, bills. Other services take money through ``bank.charge``.

Amounts are integer cents in the tables and currency units (negative = money out) in what agents see.
Every account keeps ``balance >= -overdraft`` (the overdraft of a credit account is its credit limit).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.event import Event
from clawgym.worlds.money import cents, units
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "bank"
ALERTS = "alerts@summitbank.com"
Day = Annotated[str, Arg(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a date, YYYY-MM-DD")]
Since = Annotated[str, Arg(pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="YYYY-MM-DD, inclusive")]
Amount = Annotated[float, Arg(gt=0, le=1_000_000, description="currency units, e.g. 12.50")]
Text = Annotated[str, Arg(min_length=1, max_length=200)]
Limit = Annotated[int, Arg(ge=1, le=200)]


class Account(Record, table=True):
    __tablename__ = "bank_account"
    name: str
    kind: str = Field(index=True)  # checking | savings | credit
    number: str = ""  # masked: ****1234
    balance: int = 0  # cents; on a credit account a negative balance is what is owed
    overdraft: int = 0  # cents the balance may go below zero (a credit account's credit limit)
    opened: str = ""


class Card(Record, table=True):
    __tablename__ = "bank_card"
    account_id: int = Field(foreign_key="bank_account.id", index=True)
    name: str
    kind: str = "debit"  # debit | credit
    last4: str = ""
    status: str = Field(default="active", index=True)  # active | frozen
    daily_limit: int | None = None  # cents a day; None: only the account's funds limit it
    is_default: bool = Field(default=False, index=True)
    expires: str = ""


class Transaction(Record, table=True):
    __tablename__ = "bank_transaction"
    account_id: int = Field(foreign_key="bank_account.id", index=True)
    card_id: int | None = Field(default=None, foreign_key="bank_card.id", index=True)
    at: str = Field(index=True)
    amount: int  # cents, negative = money out
    balance_after: int = 0
    kind: str  # card | refund | deposit | transfer | payment | bill
    merchant: str  # the merchant, or the counterparty of a transfer (searched by substring: no index helps)
    category: str = Field(index=True)
    description: str = ""
    status: str = "posted"  # posted | disputed
    refunded: int = 0  # cents refunded so far (charges only)
    original_id: int | None = Field(default=None, foreign_key="bank_transaction.id")
    dispute_reason: str = ""


class Payee(Record, table=True):
    __tablename__ = "bank_payee"
    name: str = Field(index=True)
    account_number: str
    bank: str = ""
    email: str = ""
    active: bool = Field(default=True, index=True)  # removed payees stay for the history of past payments


class Bill(Record, table=True):
    __tablename__ = "bank_bill"
    biller: str = Field(index=True)
    category: str = "utilities"
    account_ref: str = ""  # the user's customer number at the biller
    amount: int
    issued: str = Field(index=True)
    due: str = Field(index=True)
    period: str = ""
    service_address: str = ""
    status: str = Field(default="due", index=True)  # due | scheduled | paid
    paid_at: str = ""
    transaction_id: int | None = Field(default=None, foreign_key="bank_transaction.id")


class ScheduledPayment(Record, table=True):
    __tablename__ = "bank_scheduled_payment"
    account_id: int = Field(foreign_key="bank_account.id", index=True)
    payee_id: int | None = Field(default=None, foreign_key="bank_payee.id", index=True)
    bill_id: int | None = Field(default=None, foreign_key="bank_bill.id", index=True)
    amount: int
    date: str = Field(index=True)
    memo: str = ""
    status: str = Field(default="scheduled", index=True)  # scheduled | paid | cancelled | failed
    created: str = ""
    transaction_id: int | None = Field(default=None, foreign_key="bank_transaction.id")


# -- views ----------------------------------------------------------------------------------
def _account(row: dict[str, Any]) -> dict[str, Any]:
    out = {"id": row["id"], "name": row["name"], "kind": row["kind"], "number": row["number"],
           "balance": units(row["balance"]), "available": units(row["balance"] + row["overdraft"])}
    out["credit_limit" if row["kind"] == "credit" else "overdraft_limit"] = units(row["overdraft"])
    return out


def _card(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "kind": row["kind"], "last4": row["last4"],
            "account_id": row["account_id"], "status": row["status"], "default": row["is_default"],
            "daily_limit": None if row["daily_limit"] is None else units(row["daily_limit"]), "expires": row["expires"]}


def _txn(row: dict[str, Any], full: bool = False) -> dict[str, Any]:
    out = {"id": row["id"], "at": row["at"], "amount": units(row["amount"]), "merchant": row["merchant"],
           "category": row["category"], "kind": row["kind"], "account_id": row["account_id"], "status": row["status"]}
    if full:
        out.update(card_id=row["card_id"], description=row["description"], balance_after=units(row["balance_after"]),
                   refunded=units(row["refunded"]), original_id=row["original_id"],
                   dispute_reason=row["dispute_reason"])
    return out


def _payee(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "account_number": row["account_number"], "bank": row["bank"],
            "email": row["email"], "active": row["active"]}


def _bill(row: dict[str, Any], today: str = "") -> dict[str, Any]:
    overdue = row["status"] == "due" and bool(today) and row["due"] < today
    return {"id": row["id"], "biller": row["biller"], "category": row["category"], "amount": units(row["amount"]),
            "issued": row["issued"], "due": row["due"], "period": row["period"], "account_ref": row["account_ref"],
            "service_address": row["service_address"], "status": "overdue" if overdue else row["status"],
            "paid_at": row["paid_at"], "transaction_id": row["transaction_id"]}


def _scheduled(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "account_id", "payee_id", "bill_id", "date", "memo", "status", "transaction_id")
    return {k: row[k] for k in keys} | {"amount": units(row["amount"])}


# -- public helpers for other services ------------------------------------------------------
def default_card(world: World) -> int:
    """The id of the card charges go to when none is named: the default card (even if frozen), else any active one."""
    rows = (world.store.select(Card, {"is_default": True}, limit=1)
            or world.store.select(Card, {"status": "active"}, limit=1))
    if not rows:
        raise Forbidden("the user has no card to pay with")
    return int(rows[0]["id"])


def card(world: World, card_id: int) -> dict[str, Any]:
    """A card as agents see it; an unknown id raises NotFound."""
    return _card(world.store.require(Card, card_id, "card"))


def primary_account(world: World) -> dict[str, Any]:
    """The first checking account: where deposits and payments go when no account is named."""
    rows = world.store.select(Account, {"kind": "checking"}, limit=1) or world.store.select(Account, limit=1)
    if not rows:
        raise Forbidden("the user has no bank account")
    return rows[0]


def add_month(day: date) -> date:
    """The same day next month (days past the 28th become the 28th, so every month has them)."""
    year, month = day.year + day.month // 12, day.month % 12 + 1
    return date(year, month, min(day.day, 28))


def _account_for(world: World, account_id: int | None) -> dict[str, Any]:
    return primary_account(world) if account_id is None else world.store.require(Account, account_id, "account")


def _post(world: World, account: dict[str, Any], amount: int, kind: str, merchant: str, category: str,
          description: str = "", card_id: int | None = None, original_id: int | None = None) -> dict[str, Any]:
    """Move ``amount`` cents in or out of an account and record the transaction; refuses to break the overdraft."""
    if amount < 0 and account["kind"] == "checking" and account["balance"] + amount < 0:
        _protect(world, account, -(account["balance"] + amount))
    new = account["balance"] + amount
    if amount < 0 and new < -account["overdraft"]:
        raise Forbidden(f"insufficient funds in account {account['id']} ({account['name']}): "
                        f"{units(account['balance'] + account['overdraft'])} available, {units(-amount)} needed")
    world.store.update(Account, account["id"], {"balance": new})
    account["balance"] = new
    values = {"account_id": account["id"], "card_id": card_id, "at": world.iso_now(), "amount": amount,
              "balance_after": new, "kind": kind, "merchant": merchant, "category": category,
              "description": description, "status": "posted", "refunded": 0, "original_id": original_id,
              "dispute_reason": ""}
    return {"id": world.store.insert(Transaction, values), **values}


def _protect(world: World, checking: dict[str, Any], short: int) -> None:
    """Overdraft protection: savings covers a checking shortfall, in steps of 100.00, when it has the money."""
    step = -(-short // 10_000) * 10_000
    for savings in world.store.select(Account, {"kind": "savings"}):
        if savings["balance"] >= step:
            _post(world, savings, -step, "transfer", f"Overdraft protection to {checking['name']}", "transfer")
            _post(world, checking, step, "transfer", f"Overdraft protection from {savings['name']}", "transfer")
            return


# -- reading --------------------------------------------------------------------------------
@operation(APP, "read", example={})
def list_accounts(world: World) -> list[dict[str, Any]]:
    """List the user's accounts (checking, savings, credit) with balance and available funds.

    Checking has overdraft protection: when a payment would take it below zero, savings covers it in steps of 100.
    """
    return [_account(r) for r in world.store.select(Account)]


@operation(APP, "read", example={"account_id": Pick("bank_account")})
def get_account(world: World, account_id: int) -> dict[str, Any]:
    """Get one account with its balance, available funds and limits, and its cards."""
    row = world.store.require(Account, account_id, "account")
    return _account(row) | {"cards": [_card(c) for c in world.store.select(Card, {"account_id": account_id})]}


@operation(APP, "read", example={"category": "coffee"})
def list_transactions(world: World, account_id: int | None = None, card_id: int | None = None, since: Since = "",
                      until: Since = "", category: str = "", merchant: str = "",
                      kind: Literal["card", "refund", "deposit", "transfer", "payment", "bill"] | None = None,
                      limit: Limit = 50) -> list[dict[str, Any]]:
    """List transactions newest first; filter by account, card, date range, category, kind, or merchant text."""
    conds, params = ["1 = 1"], []
    for col, value in (("account_id", account_id), ("card_id", card_id), ("category", category or None),
                       ("kind", kind)):
        if value is not None:
            conds.append(f"{col} = ?")
            params.append(value)
    if merchant:
        conds.append("LOWER(merchant) LIKE ?")
        params.append(f"%{merchant.lower()}%")
    if since:
        conds.append("at >= ?")
        params.append(since)
    if until:
        conds.append("at <= ?")
        params.append(until + "T23:59:59")
    rows = world.store.query(Transaction, " AND ".join(conds) + " ORDER BY at DESC, id DESC LIMIT ?", (*params, limit))
    return [_txn(r) for r in rows]


@operation(APP, "read", example={"query": "coffee"})
def search_transactions(world: World, query: str = "", min_amount: Annotated[float, Arg(ge=0)] = 0,
                        max_amount: Annotated[float | None, Arg(ge=0)] = None, since: Since = "", until: Since = "",
                        limit: Limit = 50) -> list[dict[str, Any]]:
    """Find transactions whose merchant or description contains the query, by size (absolute amount) and dates."""
    conds, params = ["ABS(amount) >= ?"], [cents(min_amount, "min_amount")]  # type: list[str], list[Any]
    if max_amount is not None:
        conds.append("ABS(amount) <= ?")
        params.append(cents(max_amount, "max_amount"))
    if query:
        conds.append("(LOWER(merchant) LIKE ? OR LOWER(description) LIKE ?)")
        params += [f"%{query.lower()}%"] * 2
    if since:
        conds.append("at >= ?")
        params.append(since)
    if until:
        conds.append("at <= ?")
        params.append(until + "T23:59:59")
    rows = world.store.query(Transaction, " AND ".join(conds) + " ORDER BY at DESC, id DESC LIMIT ?", (*params, limit))
    return [_txn(r) for r in rows]


@operation(APP, "read", example={"transaction_id": Pick("bank_transaction")})
def get_transaction(world: World, transaction_id: int) -> dict[str, Any]:
    """Get one transaction with its description, card, balance after it, refunds and dispute state."""
    return _txn(world.store.require(Transaction, transaction_id, "transaction"), full=True)


@operation(APP, "read", example={"since": "2026-01-01"})
def spending_summary(world: World, since: Since = "", until: Since = "", account_id: int | None = None
                     ) -> dict[str, Any]:
    """Money spent per category between two dates (card purchases, bills, payments, net of refunds)."""
    conds, params = ["kind IN ('card', 'bill', 'payment', 'refund')"], []  # type: list[str], list[Any]
    if account_id is not None:
        conds.append("account_id = ?")
        params.append(account_id)
    if since:
        conds.append("at >= ?")
        params.append(since)
    if until:
        conds.append("at <= ?")
        params.append(until + "T23:59:59")
    totals: dict[str, list[int]] = {}
    for row in world.store.query(Transaction, " AND ".join(conds), params):
        entry = totals.setdefault(row["category"], [0, 0])
        entry[0] -= row["amount"]
        entry[1] += row["amount"] < 0
    by_cat = sorted(totals.items(), key=lambda kv: -kv[1][0])
    return {"since": since, "until": until, "total": units(sum(v[0] for _, v in by_cat)),
            "by_category": [{"category": c, "spent": units(v[0]), "purchases": v[1]} for c, v in by_cat]}


@operation(APP, "read", example={})
def list_cards(world: World) -> list[dict[str, Any]]:
    """List the user's cards with status (active or frozen), daily limit and which one is the default."""
    return [_card(r) for r in world.store.select(Card)]


@operation(APP, "read", example={})
def list_payees(world: World, include_removed: bool = False) -> list[dict[str, Any]]:
    """List saved payees (people and companies the user sends money to)."""
    where = None if include_removed else {"active": True}
    return [_payee(r) for r in world.store.select(Payee, where, order_by="name")]


@operation(APP, "read", example={"status": "due"})
def list_bills(world: World, status: Literal["due", "scheduled", "paid"] | None = None, biller: str = "",
               limit: Limit = 50) -> list[dict[str, Any]]:
    """List bills newest first; unpaid ones past their due date show as overdue. Filter by status or biller text."""
    where = {"status": status} if status else {}
    rows = world.store.select(Bill, where, order_by="issued", desc=True, limit=limit,
                              contains={"biller": biller} if biller else None)
    return [_bill(r, world.iso_now()[:10]) for r in rows]


@operation(APP, "read", example={})
def list_scheduled_payments(world: World, status: Literal["scheduled", "paid", "cancelled", "failed"] | None = None
                            ) -> list[dict[str, Any]]:
    """List payments scheduled for a future date (to a payee or for a bill), soonest first."""
    return [_scheduled(r) for r in world.store.select(ScheduledPayment, {"status": status} if status else None,
                                                      order_by="date")]


# -- cards ----------------------------------------------------------------------------------
def _card_row(world: World, card_id: int) -> dict[str, Any]:
    return world.store.require(Card, card_id, "card")


@operation(APP, "write", example={"card_id": Pick("bank_card", status="active")})
def freeze_card(world: World, card_id: int) -> dict[str, Any]:
    """Freeze a card: every charge on it is declined until it is unfrozen."""
    row = _card_row(world, card_id)
    if row["status"] == "frozen":
        raise Forbidden(f"card {card_id} (ending {row['last4']}) is already frozen")
    world.store.update(Card, card_id, {"status": "frozen"})
    return _card({**row, "status": "frozen"})


@operation(APP, "write", example={"card_id": Pick("bank_card", status="frozen")})
def unfreeze_card(world: World, card_id: int) -> dict[str, Any]:
    """Unfreeze a frozen card so it can be charged again."""
    row = _card_row(world, card_id)
    if row["status"] != "frozen":
        raise Forbidden(f"card {card_id} (ending {row['last4']}) is not frozen (it is {row['status']})")
    world.store.update(Card, card_id, {"status": "active"})
    return _card({**row, "status": "active"})


@operation(APP, "write", example={"card_id": Pick("bank_card", status="active"), "daily_limit": 500})
def set_card_limit(world: World, card_id: int, daily_limit: Annotated[float | None, Arg(ge=1, le=100_000)] = None
                   ) -> dict[str, Any]:
    """Set a card's daily spending limit in currency units; null removes the limit."""
    row = _card_row(world, card_id)
    value = None if daily_limit is None else cents(daily_limit, "daily_limit")
    world.store.update(Card, card_id, {"daily_limit": value})
    return _card({**row, "daily_limit": value})


@operation(APP, "write", example={"card_id": Pick("bank_card", status="active")})
def set_default_card(world: World, card_id: int) -> dict[str, Any]:
    """Make an active card the default one, used by purchases and subscriptions that name no card."""
    row = _card_row(world, card_id)
    if row["status"] != "active":
        raise Forbidden(f"card {card_id} is {row['status']}; only an active card can be the default")
    world.store.update_where(Card, {"is_default": True}, {"is_default": False})
    world.store.update(Card, card_id, {"is_default": True})
    return _card({**row, "is_default": True})


# -- moving money ---------------------------------------------------------------------------
@operation(APP, "write", example={"from_account_id": Pick("bank_account", kind="checking"),
                                  "to_account_id": Pick("bank_account", kind="savings"), "amount": 50})
def transfer(world: World, from_account_id: int, to_account_id: int, amount: Amount, note: str = "") -> dict[str, Any]:
    """Move money between two of the user's own accounts (e.g. checking to savings, or paying the credit card)."""
    if from_account_id == to_account_id:
        raise InvalidArguments("fields 'from_account_id' and 'to_account_id' must name two different accounts")
    src = world.store.require(Account, from_account_id, "account")
    dst = world.store.require(Account, to_account_id, "account")
    value = cents(amount)
    out = _post(world, src, -value, "transfer", f"Transfer to {dst['name']}", "transfer", note)
    _post(world, dst, value, "transfer", f"Transfer from {src['name']}", "transfer", note)
    return _txn(out, full=True) | {"to_account": _account(dst)}


@operation(APP, "write", example={"account_id": Pick("bank_account", kind="credit")})
def pay_credit_card(world: World, account_id: int, amount: Amount | None = None, from_account_id: int | None = None
                    ) -> dict[str, Any]:
    """Pay a credit card account from checking (or from_account_id): the whole balance owed unless amount is given."""
    card_account = world.store.require(Account, account_id, "account")
    if card_account["kind"] != "credit":
        raise InvalidArguments(f"field 'account_id': account {account_id} is a {card_account['kind']} account, "
                               "not a credit card account")
    owed = -card_account["balance"]
    if amount is None and owed <= 0:
        raise Forbidden(f"nothing is owed on account {account_id} ({card_account['name']})")
    src = _account_for(world, from_account_id)
    if src["id"] == account_id:
        raise InvalidArguments("field 'from_account_id': pay the card from another account")
    value = owed if amount is None else cents(amount)
    out = _post(world, src, -value, "transfer", f"Payment to {card_account['name']}", "transfer", "credit card payment")
    _post(world, card_account, value, "transfer", f"Payment from {src['name']}", "transfer", "credit card payment")
    return _txn(out, full=True) | {"credit_account": _account(card_account)}


@operation(APP, "write", example={"payee_id": Pick("bank_payee", active=True), "amount": 25})
def send_money(world: World, payee_id: int, amount: Amount, from_account_id: int | None = None,
               memo: str = "") -> dict[str, Any]:
    """Send money to a saved payee from an account (the main checking account by default)."""
    payee = world.store.require(Payee, payee_id, "payee")
    if not payee["active"]:
        raise Forbidden(f"payee {payee_id} ({payee['name']}) was removed; add them again to pay them")
    txn = _post(world, _account_for(world, from_account_id), -cents(amount), "payment", payee["name"], "payments", memo)
    return _txn(txn, full=True)


@operation(APP, "write", example={"name": "Jordan Lee", "account_number": "12345678"})
def add_payee(world: World, name: Text, account_number: Annotated[str, Arg(pattern=r"^\d{6,17}$",
              description="6 to 17 digits")], bank: str = "", email: str = "") -> dict[str, Any]:
    """Save a payee (a person or company) by name and account number so money can be sent to them."""
    if email and "@" not in email:
        raise InvalidArguments(f"field 'email': expected an address like name@example.com, got {email!r}")
    for row in world.store.select(Payee, {"account_number": account_number, "active": True}):
        raise Forbidden(f"account {account_number} is already saved as payee {row['id']} ({row['name']})")
    values = {"name": name, "account_number": account_number, "bank": bank, "email": email.lower(), "active": True}
    return _payee({"id": world.store.insert(Payee, values), **values})


@operation(APP, "write", example={"payee_id": Pick("bank_payee", active=True)})
def remove_payee(world: World, payee_id: int) -> dict[str, Any]:
    """Remove a saved payee; refused while a scheduled payment to them is pending (cancel it first)."""
    row = world.store.require(Payee, payee_id, "payee")
    if not row["active"]:
        raise Forbidden(f"payee {payee_id} was already removed")
    for pending in world.store.select(ScheduledPayment, {"payee_id": payee_id, "status": "scheduled"}, limit=1):
        raise Forbidden(f"payee {payee_id} has scheduled payment {pending['id']} on {pending['date']}; cancel it first")
    world.store.update(Payee, payee_id, {"active": False})
    return _payee({**row, "active": False})


@operation(APP, "write", example={"bill_id": Pick("bank_bill", status="due")})
def pay_bill(world: World, bill_id: int, account_id: int | None = None) -> dict[str, Any]:
    """Pay a bill in full now from an account (the main checking account by default)."""
    bill = world.store.require(Bill, bill_id, "bill")
    if bill["status"] == "paid":
        raise Forbidden(f"bill {bill_id} from {bill['biller']} was already paid on {bill['paid_at'][:10]}")
    if bill["status"] == "scheduled":
        raise Forbidden(f"bill {bill_id} already has a scheduled payment; cancel it first to pay now")
    txn = _post(world, _account_for(world, account_id), -bill["amount"], "bill", bill["biller"], bill["category"],
                f"Bill {bill['period']} {bill['account_ref']}".strip())
    changes = {"status": "paid", "paid_at": world.iso_now(), "transaction_id": txn["id"]}
    world.store.update(Bill, bill_id, changes)
    return _bill({**bill, **changes})


@operation(APP, "write", example={"bill_id": Pick("bank_bill", status="due"),
                                  "date": Pick("bank_bill", field="due", status="due")})
def schedule_payment(world: World, date: Day, bill_id: int | None = None, payee_id: int | None = None,
                     amount: Amount | None = None, account_id: int | None = None, memo: str = "") -> dict[str, Any]:
    """Schedule a payment for a later date: either a bill (its amount by default) or a payee (amount required)."""
    if (bill_id is None) == (payee_id is None):
        raise InvalidArguments("give exactly one of 'bill_id' or 'payee_id'")
    today = world.iso_now()[:10]
    if not today < date <= (world.now + timedelta(days=366)).date().isoformat():
        raise InvalidArguments(f"field 'date': must be after today ({today}) and within a year, got {date}")
    account = _account_for(world, account_id)
    if bill_id is not None:
        bill = world.store.require(Bill, bill_id, "bill")
        if bill["status"] != "due":
            raise Forbidden(f"bill {bill_id} is {bill['status']}, not due")
        value = bill["amount"] if amount is None else cents(amount)
        world.store.update(Bill, bill_id, {"status": "scheduled"})
    else:
        payee = world.store.require(Payee, payee_id, "payee")
        if not payee["active"]:
            raise Forbidden(f"payee {payee_id} ({payee['name']}) was removed")
        if amount is None:
            raise InvalidArguments("field 'amount': required when paying a payee")
        value = cents(amount)
    values = {"account_id": account["id"], "payee_id": payee_id, "bill_id": bill_id, "amount": value, "date": date,
              "memo": memo, "status": "scheduled", "created": world.iso_now(), "transaction_id": None}
    ident = world.store.insert(ScheduledPayment, values)
    if not world.building:  # while a world is built, the planner that scheduled it also plans the run
        world.schedule([Event(payment_time(date), "system", "bank.run_scheduled_payment", {"payment_id": ident}, 0,
                              "routine", f"bank.scheduled_payment.{ident}", "a payment the user scheduled")])
    return _scheduled({"id": ident, **values})


def payment_time(day: str) -> datetime:
    """When a payment scheduled for ``day`` runs."""
    return datetime.combine(date.fromisoformat(day), time(9, 0))


@operation(APP, "write", example={"payment_id": Pick("bank_scheduled_payment", status="scheduled")})
def cancel_scheduled_payment(world: World, payment_id: int) -> dict[str, Any]:
    """Cancel a scheduled payment that has not run yet (a bill it was for becomes due again)."""
    row = world.store.require(ScheduledPayment, payment_id, "scheduled payment")
    if row["status"] != "scheduled":
        raise Forbidden(f"scheduled payment {payment_id} is {row['status']}; only a pending one can be cancelled")
    world.store.update(ScheduledPayment, payment_id, {"status": "cancelled"})
    if row["bill_id"] is not None:
        world.store.update(Bill, row["bill_id"], {"status": "due"})
    return _scheduled({**row, "status": "cancelled"})


@operation(APP, "write", example={"transaction_id": Pick("bank_transaction", kind="card", status="posted"),
                                  "reason": "I do not recognize this charge"})
def dispute_transaction(world: World, transaction_id: int, reason: Annotated[str, Arg(min_length=3, max_length=500)]
                        ) -> dict[str, Any]:
    """Dispute a card purchase (unrecognized, wrong amount, not received); the bank reviews it."""
    row = world.store.require(Transaction, transaction_id, "transaction")
    if row["kind"] != "card":
        raise Forbidden(f"transaction {transaction_id} is a {row['kind']}; only card purchases can be disputed")
    if row["status"] == "disputed":
        raise Forbidden(f"transaction {transaction_id} is already disputed")
    world.store.update(Transaction, transaction_id, {"status": "disputed", "dispute_reason": reason})
    world.notify(APP, "Dispute opened", f"{row['merchant']} {units(-row['amount']):.2f}: reviewed within 10 days",
                 "bank_transaction", transaction_id)
    return _txn({**row, "status": "disputed", "dispute_reason": reason}, full=True)


# -- what the world does --------------------------------------------------------------------
@operation(APP, "write", system=True, example={"amount": 12.5, "merchant": "Corner Cafe", "category": "coffee"})
def charge(world: World, amount: Amount, merchant: Text, category: Text, description: str = "",
           card_id: int | None = None) -> dict[str, Any]:
    """A card purchase on card_id (or the default card); declined if the card is frozen, over its limit or unfunded."""
    row = _card_row(world, default_card(world) if card_id is None else card_id)
    value = cents(amount)
    if row["status"] != "active":
        raise Forbidden(f"card {row['id']} ({row['name']} ending {row['last4']}) is {row['status']}: "
                        f"the charge of {amount:.2f} at {merchant} was declined")
    if row["daily_limit"] is not None:
        spent = world.store.scalar("SELECT COALESCE(-SUM(amount), 0) FROM bank_transaction "
                                   "WHERE card_id = ? AND kind = 'card' AND at >= ?", (row["id"], world.iso_now()[:10]))
        if spent + value > row["daily_limit"]:
            raise Forbidden(f"card {row['id']} daily limit {units(row['daily_limit'])} would be exceeded "
                            f"({units(spent)} spent today): the charge at {merchant} was declined")
    account = world.store.require(Account, row["account_id"], "account")
    txn = _post(world, account, -value, "card", merchant, category, description, card_id=row["id"])
    if value >= 10_000:
        world.notify(APP, f"Card purchase: {amount:.2f} at {merchant}", f"card ending {row['last4']}",
                     "bank_transaction", txn["id"])
    return _txn(txn, full=True)


@operation(APP, "write", system=True, example={"transaction_id": Pick("bank_transaction", kind="card")})
def refund(world: World, transaction_id: int, amount: Amount | None = None) -> dict[str, Any]:
    """A merchant refunds a card purchase, fully (default) or partly, to the account it was charged to."""
    row = world.store.require(Transaction, transaction_id, "transaction")
    if row["kind"] != "card":
        raise Forbidden(f"transaction {transaction_id} is a {row['kind']}, not a card purchase; it cannot be refunded")
    left = -row["amount"] - row["refunded"]
    if left <= 0:
        raise Forbidden(f"transaction {transaction_id} is already fully refunded")
    value = left if amount is None else cents(amount)
    if value > left:
        raise Forbidden(f"refund {units(value)} exceeds the {units(left)} not yet refunded on transaction "
                        f"{transaction_id}")
    world.store.update(Transaction, transaction_id, {"refunded": row["refunded"] + value})
    account = world.store.require(Account, row["account_id"], "account")
    txn = _post(world, account, value, "refund", row["merchant"], row["category"],
                f"Refund: {row['description']}".strip(), card_id=row["card_id"], original_id=transaction_id)
    world.notify(APP, f"Refund: {units(value):.2f} from {row['merchant']}", "", "bank_transaction", txn["id"])
    return _txn(txn, full=True)


@operation(APP, "write", system=True, example={"amount": 100, "counterparty": "Acme Payroll"})
def credit(world: World, amount: Amount, counterparty: Text, description: str = "", account_id: int | None = None,
           category: str = "income") -> dict[str, Any]:
    """Money arrives in an account (the main checking account by default): salary, a friend paying back."""
    txn = _post(world, _account_for(world, account_id), cents(amount), "deposit", counterparty, category, description)
    world.notify(APP, f"Deposit: {amount:.2f} from {counterparty}", description, "bank_transaction", txn["id"])
    return _txn(txn, full=True)


@operation(APP, "write", system=True, example={"biller": "City Water", "amount": 42.5, "due": "2026-03-01"})
def issue_bill(world: World, biller: Text, amount: Amount, due: Day, category: str = "utilities",
               account_ref: str = "", period: str = "", service_address: str = "", sender: str = "") -> dict[str, Any]:
    """A biller issues a bill: it appears in the bank's bills and arrives by email."""
    values = {"biller": biller, "category": category, "account_ref": account_ref, "amount": cents(amount),
              "issued": world.iso_now(), "due": due, "period": period, "service_address": service_address,
              "status": "due", "paid_at": "", "transaction_id": None}
    ident = world.store.insert(Bill, values)
    from clawgym.worlds.services import mail

    lines = [f"Your {period + ' ' if period else ''}bill from {biller} is ready.", f"Amount due: ${amount:,.2f}",
             f"Due date: {due}"]
    lines += [f"Account number: {account_ref}"] * bool(account_ref)
    lines += [f"Service address: {service_address}"] * bool(service_address)
    mail.deliver(world, sender or "billing@" + "".join(c for c in biller.lower() if c.isalnum()) + ".com",
                 f"Your {biller} bill: ${amount:,.2f} due {due}", "\n".join(lines))
    world.notify(APP, f"New bill from {biller}", f"{amount:.2f} due {due}", "bank_bill", ident)
    return _bill({"id": ident, **values})


@operation(APP, "write", system=True, example={"bill_id": Pick("bank_bill")})
def bill_reminder(world: World, bill_id: int) -> dict[str, Any]:
    """The bank reminds the user of a bill coming due (only while it is still unpaid)."""
    row = world.store.require(Bill, bill_id, "bill")
    if row["status"] == "due":
        world.notify(APP, f"Bill due {row['due']}: {row['biller']}", f"{units(row['amount']):.2f} is still unpaid",
                     "bank_bill", bill_id)
    return _bill(row, world.iso_now()[:10])


@operation(APP, "write", system=True, example={"payment_id": Pick("bank_scheduled_payment", status="scheduled")})
def run_scheduled_payment(world: World, payment_id: int) -> dict[str, Any]:
    """A scheduled payment's date arrives: it is paid, or fails (and the user is told) if funds are short."""
    row = world.store.require(ScheduledPayment, payment_id, "scheduled payment")
    if row["status"] != "scheduled":
        raise Forbidden(f"scheduled payment {payment_id} is {row['status']}")
    account = world.store.require(Account, row["account_id"], "account")
    bill = None if row["bill_id"] is None else world.store.require(Bill, row["bill_id"], "bill")
    payee = None if row["payee_id"] is None else world.store.require(Payee, row["payee_id"], "payee")
    to = bill["biller"] if bill else payee["name"]  # type: ignore[index]
    if account["balance"] - row["amount"] < -account["overdraft"]:
        world.store.update(ScheduledPayment, payment_id, {"status": "failed"})
        if bill:
            world.store.update(Bill, bill["id"], {"status": "due"})
        world.notify(APP, "Scheduled payment failed", f"{units(row['amount']):.2f} to {to}: insufficient funds",
                     "bank_scheduled_payment", payment_id)
        return _scheduled({**row, "status": "failed"})
    txn = _post(world, account, -row["amount"], "bill" if bill else "payment", to,
                bill["category"] if bill else "payments", row["memo"])
    world.store.update(ScheduledPayment, payment_id, {"status": "paid", "transaction_id": txn["id"]})
    if bill:
        world.store.update(Bill, bill["id"], {"status": "paid", "paid_at": world.iso_now(),
                                              "transaction_id": txn["id"]})
    return _scheduled({**row, "status": "paid", "transaction_id": txn["id"]})


@operation(APP, "write", system=True, example={"name": "Vacation fund", "kind": "savings"})
def open_account(world: World, name: Text, kind: Literal["checking", "savings", "credit"], balance: float = 0,
                 overdraft: Annotated[float, Arg(ge=0)] = 0, number: str = "") -> dict[str, Any]:
    """The bank opens an account for the user (balance may be negative on a credit account, within its limit)."""
    value, limit = round(balance * 100), cents(overdraft, "overdraft")
    if value < -limit:
        raise InvalidArguments(f"field 'balance': {balance} is below the overdraft/credit limit -{overdraft}")
    values = {"name": name, "kind": kind, "number": number or f"****{world.store.count(Account) + 1:04d}",
              "balance": value, "overdraft": limit, "opened": world.iso_now()[:10]}
    return _account({"id": world.store.insert(Account, values), **values})


@operation(APP, "write", system=True, example={"account_id": Pick("bank_account", kind="checking"),
                                               "name": "Backup debit card", "last4": "1111"})
def issue_card(world: World, account_id: int, name: Text, last4: Annotated[str, Arg(pattern=r"^\d{4}$")],
               kind: Literal["debit", "credit"] = "debit", status: Literal["active", "frozen"] = "active",
               default: bool = False, expires: str = "") -> dict[str, Any]:
    """The bank issues a card on an account (default=true makes it the card used when none is named)."""
    world.store.require(Account, account_id, "account")
    if default:
        world.store.update_where(Card, {"is_default": True}, {"is_default": False})
    values = {"account_id": account_id, "name": name, "kind": kind, "last4": last4, "status": status,
              "daily_limit": None, "is_default": default, "expires": expires}
    return _card({"id": world.store.insert(Card, values), **values})



# -- history --------------------------------------------------------------------------------
# category: (merchants, lowest and highest amount in cents, purchases a day, card kind, hours)
_SPEND: dict[str, tuple[list[str], int, int, float, str, tuple[int, int]]] = {
    "groceries": (["Whole Foods Market", "Trader Joe's", "Safeway", "Sprouts Farmers Market", "Costco"],
                  1800, 14500, 0.8, "debit", (10, 20)),
    "coffee": (["Blue Bottle Coffee", "Starbucks", "Peet's Coffee", "Corner Bakery Cafe"],
               350, 880, 1.2, "debit", (7, 11)),
    "restaurants": (["Chipotle", "Sweetgreen", "Shake Shack", "Pho Saigon", "Sakura Sushi", "Golden Dragon",
                     "The Local Tap", "Taqueria El Sol"], 1200, 6800, 1.0, "credit", (12, 21)),
    "transport": (["Uber", "Lyft", "Metro Transit", "Shell"], 250, 4200, 0.8, "debit", (7, 22)),
    "pharmacy": (["CVS Pharmacy", "Walgreens"], 600, 4500, 0.25, "debit", (9, 20)),
    "entertainment": (["AMC Theatres", "Regal Cinemas", "Steam", "Barnes & Noble"], 900, 4800, 0.2, "credit", (11, 22)),
    "shopping": (["Target", "Home Depot", "Best Buy", "Trader Goods Co."], 1200, 9000, 0.3, "debit", (10, 20)),
}
# An upscale restaurant and the near-miss name that noise uses for it.
_DINNERS = [("Osteria Mozza", "Pizzeria Mozza"), ("Le Petit Bistro", "Le Petit Cafe"),
            ("The Capital Grille", "Capital Grille Express"), ("Bella Vista Trattoria", "Bella Vista Pizzeria"),
            ("Nobu", "Nobu Sushi Bar")]
_STREETS = ["Maple", "Cedar", "Willow", "Lakeview", "Hillcrest", "Orchard", "Juniper", "Harbor", "Sycamore", "Ridge"]
_BANKS = ["Chase", "Wells Fargo", "Bank of America", "Ally Bank", "Capital One"]


def planned_card(ctx: PlanContext, kind: Literal["debit", "credit"] = "debit") -> dict[str, str]:
    """For planners: the reference to the setup card of this kind (the active one)."""
    for e in ctx.planned:
        if e.op == "bank.issue_card" and e.args["kind"] == kind and e.args.get("status", "active") == "active":
            return ctx.ref(e)
    raise LookupError(f"no active {kind} card planned; did the bank setup planner run?")


def _find(ctx: PlanContext, op: str, **match: Any) -> Event:
    for e in ctx.planned:
        if e.op == op and all(e.args.get(k) == v for k, v in match.items()):
            return e
    raise LookupError(f"no planned {op} event with {match}; did the bank setup planner run?")


def _cents_between(ctx: PlanContext, lo: int, hi: int) -> float:
    return ctx.rng.randint(lo, hi) / 100


def move_plan(ctx: PlanContext) -> tuple[datetime, str]:
    """When the user moves home during the window, and the new address (the same for every planner of a world)."""
    user = ctx.persona.user
    rng = random.Random(f"move:{user.email}:{user.phone}:{ctx.start}")
    day = (ctx.start + (ctx.end - ctx.start) * rng.uniform(0.5, 0.7)).date()
    apt = f" Apt. {rng.randint(2, 40)}" if rng.random() < 0.5 else ""
    street = f"{rng.randint(100, 9899)} {rng.choice(_STREETS)} {rng.choice(['St', 'Ave', 'Lane', 'Court', 'Drive'])}"
    return datetime.combine(day, time(10, 0)), f"{street}{apt}, {user.city}"


def _monthly(first: date, until: date) -> list[date]:
    days = []
    while first < until:
        days.append(first)
        first = add_month(first)
    return days


@planner(APP, "setup")
def accounts(ctx: PlanContext) -> None:
    """Checking (with overdraft), savings and a credit card account; cards; a few payees."""
    t, r = ctx.start, ctx.rng
    step = iter(range(1, 100))

    def at() -> datetime:
        return t + timedelta(minutes=next(step))

    chk = ctx.add(at(), "bank.open_account", {"name": "Everyday Checking", "kind": "checking", "overdraft": 500,
                                              "balance": r.randint(650, 950) * 10,
                                              "number": f"****{r.randint(1000, 9999)}"})
    ctx.add(at(), "bank.open_account", {"name": "High-Yield Savings", "kind": "savings",
                                        "balance": r.randint(120, 300) * 100, "number": f"****{r.randint(1000, 9999)}"})
    cc = ctx.add(at(), "bank.open_account", {"name": "Rewards Visa", "kind": "credit",
                                             "overdraft": round(8000 * max(1.0, ctx.density)),
                                             "balance": -_cents_between(ctx, 30000, 90000),
                                             "number": f"****{r.randint(1000, 9999)}"})
    exp = f"{(ctx.start.year + 3) % 100:02d}/{r.randint(1, 12):02d}"
    ctx.add(at(), "bank.issue_card", {"account_id": ctx.ref(chk), "name": "Debit card", "kind": "debit",
                                      "last4": f"{r.randint(1000, 9999)}", "default": True, "expires": exp})
    ctx.add(at(), "bank.issue_card", {"account_id": ctx.ref(cc), "name": "Rewards Visa card", "kind": "credit",
                                      "last4": f"{r.randint(1000, 9999)}", "expires": exp})
    ctx.add(at(), "bank.issue_card", {"account_id": ctx.ref(chk), "name": "Virtual card (online)", "kind": "debit",
                                      "last4": f"{r.randint(1000, 9999)}", "status": "frozen", "expires": exp})
    for p in ctx.people("family")[:2] + ctx.people("friend")[:4]:
        ctx.add(at(), "bank.add_payee", {"name": p.name, "account_number": str(r.randint(10**9, 10**10 - 1)),
                                         "bank": r.choice(_BANKS), "email": p.email}, actor="user")


@planner(APP, "routine")
def paychecks(ctx: PlanContext) -> None:
    """Salary on the 15th and the last day of every month."""
    pay = ctx.rng.randint(460, 560) * 10 * max(1.0, ctx.density) + ctx.rng.randint(0, 99) / 100
    day = ctx.start.date()
    while day < ctx.end.date():
        if day.day == 15 or (day + timedelta(days=1)).day == 1:
            ctx.add(ctx.at(day, 6, 0), "bank.credit", {"amount": round(pay, 2), "counterparty": ctx.persona.employer,
                                                      "description": "Payroll direct deposit", "category": "income"})
        day += timedelta(days=1)


@planner(APP, "routine")
def card_spending(ctx: PlanContext) -> None:
    """Everyday card purchases: groceries, coffee, restaurants, transport and the odd extra, about 4.5 a day."""
    cards = {"debit": planned_card(ctx, "debit"), "credit": planned_card(ctx, "credit")}
    for day in ctx.days():
        for category, (merchants, lo, hi, rate, kind, hours) in _SPEND.items():
            n = int(rate * ctx.density) + (ctx.rng.random() < (rate * ctx.density) % 1)
            for _ in range(n):
                at = ctx.at(day, ctx.rng.randint(hours[0], hours[1] - 1), ctx.rng.randrange(60))
                ctx.add(at, "bank.charge", {"amount": _cents_between(ctx, lo, hi), "category": category,
                                            "merchant": ctx.rng.choice(merchants), "card_id": cards[kind]})


def _biller(ctx: PlanContext, role: str, fallback: str) -> tuple[str, str]:
    found = [p for p in ctx.people("company") if p.role == role]
    return (found[0].name, found[0].email) if found else (fallback, "")


def _settle(ctx: PlanContext, bill: Event, due: date) -> None:
    """The user pays a bill a few days after it arrives, and always by its due date while inside the window."""
    paid = bill.at + timedelta(days=ctx.rng.randint(1, 7), hours=ctx.rng.randint(1, 9))
    if due <= ctx.end.date():
        paid = min(paid, ctx.at(due, 7), ctx.end - timedelta(hours=1))
    if paid < ctx.end:
        ctx.add(paid, "bank.pay_bill", {"bill_id": ctx.ref(bill)}, actor="user")


def _month_before(day: date) -> date:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, 28))


@planner(APP, "routine")
def monthly_bills(ctx: PlanContext) -> None:
    """Phone, internet and insurance bills, paid a few days after they arrive; the last phone bill comes due later."""
    start, end = ctx.start.date(), ctx.end.date()
    phone = [end - timedelta(days=3)]  # anchored at its last issue, so one bill is still due when the window ends
    while _month_before(phone[-1]) > start:
        phone.append(_month_before(phone[-1]))
    billers = [("Horizon Wireless", "", "phone", 5500, 9500, sorted(phone)),
               (*_biller(ctx, "internet provider", "Metro Fiber"), "internet", 6000, 9000,
                _monthly(start + timedelta(days=ctx.rng.randint(2, 12)), end)),
               (*_biller(ctx, "insurance", "Mutual Insurance"), "insurance", 9500, 16000,
                _monthly(start + timedelta(days=ctx.rng.randint(4, 16)), end))]
    for biller, sender, category, lo, hi, days in billers:
        args = {"biller": biller, "category": category, "account_ref": f"{ctx.rng.randint(10**7, 10**8 - 1)}",
                "sender": sender}
        for day in days:
            at = ctx.at(day, 8, ctx.rng.randrange(60))
            due = day + timedelta(days=12 if category == "phone" else 18)
            e = ctx.add(at, "bank.issue_bill", {**args, "amount": _cents_between(ctx, lo, hi), "due": str(due),
                                                "period": f"{day:%B %Y}"})
            if category != "phone" or day != days[-1]:
                _settle(ctx, e, due)
            else:  # a bill coming due after the window: the bank reminds the user two days before
                remind = ctx.at(due - timedelta(days=2), 9)
                if remind > at:
                    plan = ctx.add if remind <= ctx.end else ctx.schedule
                    plan(remind, "bank.bill_reminder", {"bill_id": ctx.ref(e)})
        nxt = ctx.at(add_month(days[-1]), 8)
        if ctx.end < nxt <= ctx.end + timedelta(days=30):
            due = (nxt + timedelta(days=18)).date()
            ctx.schedule(nxt, "bank.issue_bill", {**args, "amount": _cents_between(ctx, lo, hi), "due": str(due),
                                                  "period": f"{nxt:%B %Y}"})


@planner(APP, "routine")
def money_moves(ctx: PlanContext) -> None:
    """Savings transfers, the credit card paid in full, money sent to and received from friends, a payment scheduled."""
    chk, sav = _find(ctx, "bank.open_account", kind="checking"), _find(ctx, "bank.open_account", kind="savings")
    cc = _find(ctx, "bank.open_account", kind="credit")
    payees = [e for e in ctx.planned if e.op == "bank.add_payee"]
    for day in _monthly(ctx.start.date() + timedelta(days=ctx.rng.randint(1, 10)), ctx.end.date()):
        ctx.add(ctx.at(day, 19, ctx.rng.randrange(60)), "bank.transfer", {
            "from_account_id": ctx.ref(chk), "to_account_id": ctx.ref(sav), "amount": ctx.rng.randint(30, 80) * 10,
            "note": "monthly savings"}, actor="user")
        pay_day = min(day + timedelta(days=9), ctx.end.date() - timedelta(days=1))
        ctx.add(ctx.at(pay_day, 20, ctx.rng.randrange(60)), "bank.pay_credit_card", {"account_id": ctx.ref(cc)},
                actor="user")
    memos = ["dinner split", "concert tickets", "rent share for the cabin", "birthday gift pool", "groceries", "taxi"]
    for day in ctx.days(every=7):
        friend = ctx.rng.choice(payees[2:] or payees)
        ctx.add(ctx.random_time(after=ctx.at(day, 0), before=ctx.at(day, 23)), "bank.send_money", {
            "payee_id": ctx.ref(friend), "amount": ctx.rng.randint(15, 80), "memo": ctx.rng.choice(memos)},
                actor="user")
        payer = ctx.rng.choice(ctx.people("friend"))
        ctx.add(ctx.random_time(after=ctx.at(day, 0), before=ctx.at(day, 23)), "bank.credit", {
            "amount": ctx.rng.randint(10, 60), "counterparty": payer.name, "description": ctx.rng.choice(memos),
            "category": "transfers"})
    if payees:
        when = str((ctx.end + timedelta(days=5)).date())
        e = ctx.add(ctx.end - timedelta(days=2), "bank.schedule_payment", {
            "payee_id": ctx.ref(payees[min(1, len(payees) - 1)]), "amount": ctx.rng.randint(10, 20) * 10,
            "memo": "birthday gift", "date": when}, actor="user")
        ctx.schedule(payment_time(when), "bank.run_scheduled_payment", {"payment_id": ctx.ref(e)})


@planner(APP, "seed")
def rent(ctx: PlanContext) -> None:
    """Rent bills from the landlord, the same amount every month, paid before the 1st."""
    landlord, sender = _biller(ctx, "landlord", "Property Management")
    amount = ctx.rng.randint(66, 116) * 25
    days = [d for d in (date(y, m, 24) for y, m in _months(ctx)) if ctx.start.date() < d < ctx.end.date()]
    first = None
    for day in days or [ctx.start.date() + timedelta(days=2)]:
        due = add_month(day.replace(day=1))
        e = ctx.add(ctx.at(day, 9, 15), "bank.issue_bill", {"biller": landlord, "amount": amount, "due": str(due),
                                                             "category": "rent", "sender": sender,
                                                             "period": f"{due:%B %Y}", "account_ref": "Unit rent"})
        first = first or e
        _settle(ctx, e, due)
    assert first is not None
    ctx.fact("bank.rent_amount", first, table="bank_bill", field="amount", value=amount * 100,
             description=f"monthly rent billed by {landlord}: ${amount:,.2f} (amount in cents)")


def _months(ctx: PlanContext) -> list[tuple[int, int]]:
    y, m, out = ctx.start.year, ctx.start.month, []
    while date(y, m, 1) <= ctx.end.date():
        out.append((y, m))
        y, m = y + m // 12, m % 12 + 1
    return out


@planner(APP, "seed")
def special_dinner(ctx: PlanContext) -> None:
    """One dinner at an upscale restaurant, paid by credit card."""
    name, _ = ctx.rng.choice(_DINNERS)
    day = ctx.random_time(before=ctx.start + (ctx.end - ctx.start) * 0.6).date()
    day += timedelta(days=(4 - day.weekday()) % 7)  # a Friday
    amount = _cents_between(ctx, 8500, 16500)
    e = ctx.add(ctx.at(day, 21, ctx.rng.randrange(10, 50)), "bank.charge", {
        "amount": amount, "merchant": name, "category": "restaurants", "card_id": planned_card(ctx, "credit")})
    ctx.fact("bank.restaurant_charge", e, table="bank_transaction", field="amount", value=-round(amount * 100),
             description=f"dinner at {name} on {day}: ${amount:.2f} (signed cents, negative = spent)")


@planner(APP, "seed")
def electricity(ctx: PlanContext) -> None:
    """Electricity bills at the home address, monthly until the move."""
    utility, sender = _biller(ctx, "electric utility", "Power & Light")
    moved, _ = move_plan(ctx)
    ref = f"{ctx.rng.randint(10**8, 10**9 - 1)}"
    first = None
    for day in _monthly(ctx.start.date() + timedelta(days=ctx.rng.randint(3, 6)), moved.date()):
        e = ctx.add(ctx.at(day, 7, 40), "bank.issue_bill", {
            "biller": utility, "amount": _cents_between(ctx, 6000, 14000), "due": str(day + timedelta(days=21)),
            "category": "utilities", "sender": sender, "account_ref": ref, "period": f"{day:%B %Y}",
            "service_address": ctx.persona.user.address})
        first = first or e
        _settle(ctx, e, day + timedelta(days=21))
    assert first is not None
    ctx.fact("bank.service_address", first, table="bank_bill", field="service_address", value=ctx.persona.user.address,
             description=f"the user's home address, as on the {utility} electricity bill")


def _other_day(ctx: PlanContext, t: datetime, shift: int) -> datetime:
    """``t`` moved by ``shift`` days, or the other way, or less far, so that it stays a day inside the window."""
    for days in (shift, -shift, shift // 2, -shift // 2, 1, -1):
        moved = t + timedelta(days=days)
        if ctx.start + timedelta(days=1) <= moved <= ctx.end - timedelta(days=1):
            return moved
    return t


@planner(APP, "noise")
def near_miss_charges(ctx: PlanContext) -> None:
    """The same restaurant on other dates, a similar name the same week; a one-off fee from the landlord."""
    for seed in ctx.seed_facts(APP):
        if seed.key == "bank.restaurant_charge":
            name = next(d for d in _DINNERS if d[0] in seed.description)
            amount = -seed.value / 100
            for merchant, shift, scale in ((name[0], ctx.rng.choice([-1, 1]) * ctx.rng.randint(15, 30), 0.8),
                                           (name[1], ctx.rng.randint(1, 3), 0.97)):
                day = _other_day(ctx, seed.at, shift)
                value = round(amount * scale + ctx.rng.randint(-300, 300) / 100, 2)
                e = ctx.add(day.replace(hour=20, minute=ctx.rng.randrange(60)), "bank.charge", {
                    "amount": value, "merchant": merchant, "category": "restaurants",
                    "card_id": planned_card(ctx, "credit")})
                ctx.fact(f"noise.{seed.key}", e, table="bank_transaction", field="amount", value=-round(value * 100),
                         near=seed.key, description=f"{merchant} on {day.date()}")
        elif seed.key == "bank.rent_amount":
            landlord, sender = _biller(ctx, "landlord", "Property Management")
            fee = ctx.rng.randint(35, 180)
            at = ctx.random_time(after=seed.at + timedelta(days=1))
            e = ctx.add(at, "bank.issue_bill", {"biller": landlord, "amount": fee, "category": "rent", "sender": sender,
                                                "due": str((at + timedelta(days=14)).date()), "period": "one-off",
                                                "account_ref": "Maintenance fee"})
            _settle(ctx, e, (at + timedelta(days=14)).date())
            ctx.fact(f"noise.{seed.key}", e, table="bank_bill", field="amount", value=fee * 100, near=seed.key,
                     description=f"a one-off maintenance fee from {landlord}")


@planner(APP, "conflict")
def new_home(ctx: PlanContext) -> None:
    """After the move, electricity bills arrive with the new service address (the old one is never retracted)."""
    utility, sender = _biller(ctx, "electric utility", "Power & Light")
    moved, address = move_plan(ctx)
    ref = f"{ctx.rng.randint(10**8, 10**9 - 1)}"
    for seed in ctx.seed_facts(APP):
        if seed.key != "bank.service_address":
            continue
        first = None
        for day in _monthly(moved.date() + timedelta(days=ctx.rng.randint(3, 6)), ctx.end.date()):
            e = ctx.add(ctx.at(day, 7, 45), "bank.issue_bill", {
                "biller": utility, "amount": _cents_between(ctx, 3000, 9000) if first is None else
                _cents_between(ctx, 6000, 14000), "due": str(day + timedelta(days=21)), "category": "utilities",
                "sender": sender, "account_ref": ref, "period": f"{day:%B %Y}", "service_address": address})
            first = first or e
            _settle(ctx, e, day + timedelta(days=21))
        if first is not None:
            ctx.supersede(seed, first, value=address, explicit=False, table="bank_bill", field="service_address",
                          description="the user moved: the electricity bill now shows a new service address")
