"""Bank: accounts, cards, transactions, payees, bills. Other services take money through ``bank.charge``.

Amounts are integer cents in the tables and currency units (negative = money out) in what agents see.
Every account keeps ``balance >= -overdraft`` (the overdraft of a credit account is its credit limit).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments
from clawgym.worlds.event import Event
from clawgym.worlds.money import cents, units
from clawgym.worlds.period import add_period
from clawgym.worlds.operation import Pick, operation
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
    add_period(conds, params, since, until)
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
    add_period(conds, params, since, until)
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
    add_period(conds, params, since, until)
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
