"""History of subscriptions: the planners of the setup, routine, seed, noise and conflict rounds."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.subscriptions import APP, next_month

_PLANS: list[tuple[str, str, list[tuple[str, float]]]] = [
    ("StreamFlix", "Movies and series, ad-free", [("Basic", 7.99), ("Standard", 15.49), ("Premium", 22.99)]),
    ("Tunely", "Music streaming", [("Individual", 10.99), ("Duo", 14.99), ("Family", 16.99)]),
    ("CloudVault", "Cloud storage and photo backup", [("100 GB", 1.99), ("2 TB", 9.99), ("5 TB", 24.99)]),
    ("FitPulse", "Guided workouts", [("Monthly", 12.99), ("Plus", 19.99)]),
    ("NewsDaily", "Unlimited news articles", [("Digital", 17.00), ("All Access", 25.00)]),
    ("GameHub", "Cloud gaming library", [("Essential", 9.99), ("Premium", 17.99)]),
    ("MealBox", "Meal kits delivered weekly", [("2 meals a week", 59.94), ("4 meals a week", 99.90)]),
    ("PhotoStudio", "Photo editing apps", [("Photography", 11.99), ("All Apps", 59.99)]),
    ("LinguaLeap", "Language lessons", [("Super", 12.99), ("Max", 29.99)]),
]
# service, plan, card kind: what the user already pays for when the history starts
_HELD = [("StreamFlix", "Standard", "credit"), ("Tunely", "Individual", "credit"), ("NewsDaily", "Digital", "debit"),
         ("FitPulse", "Monthly", "debit"), ("GameHub", "Essential", "credit"), ("PhotoStudio", "Photography", "credit"),
         ("MealBox", "2 meals a week", "debit")]


def _sender(service: str) -> str:
    return f"billing@{service.lower()}.com"


def _at(ctx: PlanContext, day: date) -> datetime:
    return ctx.at(day, 5, ctx.rng.randrange(60))


def _renewals(ctx: PlanContext, sub: dict[str, str], first: date, stop: datetime) -> None:
    """Monthly bills from ``first`` while before ``stop``; the next one after the window is scheduled."""
    day = first
    while _at(ctx, day) < min(stop, ctx.end):
        ctx.add(_at(ctx, day), "subscriptions.bill", {"subscription_id": sub})
        day = date.fromisoformat(next_month(day.isoformat()))
    at = _at(ctx, day)
    if stop >= ctx.end and ctx.end < at <= ctx.end + timedelta(days=30):
        ctx.schedule(at, "subscriptions.bill", {"subscription_id": sub})


@planner(APP, "setup")
def memberships(ctx: PlanContext) -> None:
    """The plans on offer, and the subscriptions the user already has (one of them paused)."""
    from clawgym.worlds.history import bank

    plans: dict[tuple[str, str], Any] = {}
    for service, features, tiers in _PLANS:
        for name, price in tiers:
            at = ctx.start + timedelta(minutes=30, seconds=len(plans))
            plans[service, name] = ctx.add(at, "subscriptions.add_plan", {
                "service": service, "name": name, "price": price, "features": features, "sender": _sender(service)})
    days = ctx.rng.sample(range(1, 29), len(_HELD))
    for i, (service, name, kind) in enumerate(_HELD):
        first = ctx.start.date() + timedelta(days=days[i])
        paused = service == "MealBox"
        ctx.add(ctx.start + timedelta(minutes=40 + i), "subscriptions.enroll", {
            "plan_id": ctx.ref(plans[service, name]), "card_id": bank.planned_card(ctx, kind),  # type: ignore[arg-type]
            "started": str(ctx.start.date() - timedelta(days=ctx.rng.randint(60, 900))),
            "next_billing": str(first.replace(day=min(first.day, 28))), "status": "paused" if paused else "active",
            "paused_until": str((ctx.end + timedelta(days=20)).date()) if paused else ""}, note=f"{service} {name}")


def _held(ctx: PlanContext, service: str) -> Any:
    return next(e for e in ctx.planned if e.op == "subscriptions.enroll" and e.note.startswith(service + " "))


@planner(APP, "routine")
def renewals(ctx: PlanContext) -> None:
    """Every active subscription renews monthly; mid-window the user cancels the game service."""
    for service, _, _ in _HELD:
        e = _held(ctx, service)
        if e.args["status"] != "active":
            continue
        stop = ctx.end + timedelta(days=1)
        if service == "GameHub":
            stop = ctx.random_time(after=ctx.start + (ctx.end - ctx.start) * 0.4,
                                   before=ctx.start + (ctx.end - ctx.start) * 0.6)
            ctx.add(stop, "subscriptions.cancel", {"subscription_id": ctx.ref(e)}, actor="user")
        _renewals(ctx, ctx.ref(e), date.fromisoformat(e.args["next_billing"]), stop)


@planner(APP, "seed")
def cloud_storage(ctx: PlanContext) -> None:
    """The user subscribes to 2 TB of cloud storage; its monthly price is a fact (until a price change)."""
    plan = next(e for e in ctx.planned if e.op == "subscriptions.add_plan" and e.args["service"] == "CloudVault"
                and e.args["name"] == "2 TB")
    at = ctx.random_time(before=ctx.start + (ctx.end - ctx.start) * 0.35)
    e = ctx.add(at, "subscriptions.subscribe", {"plan_id": ctx.ref(plan)}, actor="user")
    day = at.date() if at.day <= 28 else at.date().replace(day=28)
    _renewals(ctx, ctx.ref(e), date.fromisoformat(next_month(day.isoformat())), ctx.end + timedelta(days=1))
    ctx.fact("subscriptions.cloud_price", e, table="subscription", field="price", value=round(plan.args["price"] * 100),
             description=f"monthly price of the CloudVault 2 TB plan: ${plan.args['price']:.2f} (cents)")


@planner(APP, "noise")
def other_price_change(ctx: PlanContext) -> None:
    """Another service the user pays for announces a price change too."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "subscriptions.cloud_price":
            continue
        e = _held(ctx, "Tunely")
        price = ctx.rng.choice([11.99, 12.49])
        notice = ctx.add(ctx.random_time(after=ctx.start + timedelta(days=2)), "subscriptions.price_change", {
            "subscription_id": ctx.ref(e), "new_price": price})
        ctx.fact(f"noise.{seed.key}", notice, table="subscription", field="price", value=round(price * 100),
                 near=seed.key, description=f"Tunely Individual price raised to ${price:.2f}")


@planner(APP, "conflict")
def cloud_price_increase(ctx: PlanContext) -> None:
    """CloudVault announces a higher price; the notice supersedes the price the user signed up for."""
    from clawgym.worlds.event import Ref

    for seed in ctx.seed_facts(APP):
        if seed.key != "subscriptions.cloud_price":
            continue
        price = round(seed.value / 100 + ctx.rng.choice([2.0, 3.0]), 2)
        at = ctx.random_time(after=seed.at + timedelta(days=7), before=ctx.end - timedelta(days=1))
        e = ctx.add(at, "subscriptions.price_change", {"subscription_id": Ref(seed.eid).as_arg(), "new_price": price})
        ctx.supersede(seed, e, value=round(price * 100), explicit=True,
                      description=f"CloudVault raised the 2 TB plan to ${price:.2f} a month")
