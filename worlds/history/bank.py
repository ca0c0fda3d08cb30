"""History of bank: the planners of the setup, routine, seed, noise and conflict rounds."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from clawgym.worlds.event import Event
from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.bank import APP, payment_time


def add_month(day: date) -> date:
    """The same day next month (days past the 28th become the 28th, so every month has them)."""
    year, month = day.year + day.month // 12, day.month % 12 + 1
    return date(year, month, min(day.day, 28))


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


# What a month costs beyond rent and the card purchases of ``_SPEND``, in dollars, as the other planners draw it:
# online orders net of returns (their count follows the density), and trips, bills, subscriptions and money sent
# to friends (~1,200 + 460 + 80 + 40, whatever the density).
_ORDERS_A_MONTH = 1_700  # at density 1
_FIXED_A_MONTH = 1_700
_DAYS_A_MONTH = 30.44


@dataclass(frozen=True)
class Budget:
    """A month of the persona's money, in dollars: take-home pay, rent and the standing transfer to savings."""

    paycheck: float  # paid twice a month
    rent: int
    saving: int


def budget(ctx: PlanContext) -> Budget:
    """The persona's budget: pay covers rent and everyday life with a share left to save, in a window of any length.

    Pay follows from what the planners spend, so no seed's balances drift down month after month (a fixed pay
    range did: low pay and high rent emptied checking and savings within a year or two).
    """
    user = ctx.persona.user
    # Its own generator, fixed by the persona: the paychecks, rent and savings planners run in different rounds and
    # must agree, and one person earns and pays the same in a window of any length.
    rng = random.Random(f"budget:{user.email}:{user.phone}")
    rent = rng.randint(66, 116) * 25
    rate = rng.uniform(0.10, 0.20)  # the share of take-home pay the persona saves
    living = _card_spending_a_month(ctx.density) + _ORDERS_A_MONTH * ctx.density + _FIXED_A_MONTH
    paycheck = round((rent + living) / (1 - rate) / 2, -1) + rng.randint(0, 99) / 100
    # Three quarters of what is left goes to savings; the rest stays in checking for the months that cost more.
    saving = round((2 * paycheck - rent - living) * 0.75, -1)
    return Budget(paycheck, rent, int(saving))


def _card_spending_a_month(density: float) -> float:
    """Dollars a month the purchases of ``card_spending`` cost on average (its expected count times mean amount)."""
    daily = sum(rate * density * (lo + hi) / 200 for _, lo, hi, rate, _, _ in _SPEND.values())
    return daily * _DAYS_A_MONTH


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
    pay = budget(ctx).paycheck
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
    saving = budget(ctx).saving
    for day in _monthly(ctx.start.date() + timedelta(days=ctx.rng.randint(1, 10)), ctx.end.date()):
        ctx.add(ctx.at(day, 19, ctx.rng.randrange(60)), "bank.transfer", {
            "from_account_id": ctx.ref(chk), "to_account_id": ctx.ref(sav), "amount": saving,
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
    amount = budget(ctx).rent
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
