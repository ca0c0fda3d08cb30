"""Constrained planning: time windows, budgets and preferences decide what the right action is."""

from __future__ import annotations

from datetime import datetime, timedelta

from clawgym.envs.tasks.template import Draft, TemplateContext, made_by_agent, template, untouched


@template("planning", services=["calendar", "contacts"])
def meeting_in_a_free_hour(ctx: TemplateContext) -> Draft | None:
    """Schedule a one-hour meeting on a busy workday, inside working hours, overlapping nothing."""
    day = ctx.world.now + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    date = day.date().isoformat()
    slots = ctx.world.call("calendar.find_free_slots", {"date": date, "duration_minutes": 60,
                                                        "day_start": "09:00", "day_end": "17:00"})
    starts, ends = [], []
    for window in slots["free"]:
        t, end = datetime.fromisoformat(window["start"]), datetime.fromisoformat(window["end"])
        while t + timedelta(minutes=60) <= end:
            starts.append(t.isoformat())
            ends.append((t + timedelta(minutes=60)).isoformat())
            t += timedelta(minutes=15)
    if not starts or len(slots["busy"]) < 2:
        return None
    colleague = ctx.pick(ctx.people("colleague"))
    title = f"1:1 with {colleague.first}"
    return Draft(
        instruction=(f"Find a free hour on {date} between 09:00 and 17:00 and put a meeting called '{title}' in my "
                     f"calendar, inviting {colleague.name}. It must not overlap anything I already have."),
        checks=[
            {"type": "exists", "name": f"'{title}' is scheduled for an hour in a free slot with {colleague.name} invited",
             "table": "calendar_event", "new_only": True,
             "where": {"title": title, "attendees": {"contains": colleague.email}, "start": {"in": starts},
                       "end": {"in": ends}}},
            {"type": "count", "name": "exactly one meeting is added", "table": "calendar_event", "new_only": True,
             "op": "eq", "n": 1, "tier": "additional"},
            untouched([made_by_agent("calendar_event")]),
        ],
        oracle=[
            {"tool": "calendar_find_free_slots", "args": {"date": date, "duration_minutes": 60,
                                                          "day_start": "09:00", "day_end": "17:00"}},
            {"tool": "calendar_create_event", "args": {"title": title, "start": starts[0], "end": ends[0],
                                                       "attendees": [colleague.email]}},
            {"tool": "finish", "args": {"answer": f"Scheduled at {starts[0][11:16]}."}},
        ],
        difficulty="medium",
    )


@template("planning", services=["shop", "bank", "delivery"])
def cheapest_good_product_within_budget(ctx: TemplateContext) -> Draft | None:
    """Buy the cheapest in-stock product of a category rated 4+ under a budget, and nothing else."""
    category = ctx.pick(["electronics", "kitchen", "home", "sports", "books", "beauty", "toys", "office"])
    products = [p for p in ctx.world.store.select("shop_product", {"category": category})
                if p["stock"] > 0 and p["rating"] >= 4.0]
    if len(products) < 3:
        return None
    products.sort(key=lambda p: (p["price"], p["id"]))
    budget = products[2]["price"] / 100 + 0.01
    best = products[0]
    if products[1]["price"] == best["price"]:
        return None
    return Draft(
        instruction=(f"Order the cheapest {category} product that is in stock and rated at least 4 stars, if it "
                     f"costs at most ${budget:.2f}. Only that one item: nothing else in the order."),
        checks=[
            {"type": "exists", "name": f"an order holds {best['name']}", "table": "shop_order_item",
             "where": {"product_id": best["id"]}, "new_only": True},
            {"type": "count", "name": "the new order holds exactly one line", "table": "shop_order_item",
             "new_only": True, "op": "eq", "n": 1},
            {"type": "count", "name": "exactly one order is placed", "table": "shop_order", "new_only": True,
             "op": "eq", "n": 1, "tier": "additional"},
            untouched([made_by_agent(t) for t in ("shop_order", "shop_order_item", "bank_transaction",
                                                  "delivery_shipment", "email", "shop_cart_item")]
                      + [{"table": "shop_cart_item"}, {"table": "shop_product", "columns": ["stock"]},
                         {"table": "bank_account", "columns": ["balance"]}]),
        ],
        oracle=[
            {"tool": "shop_search_products", "args": {"category": category, "min_rating": 4.0, "in_stock_only": True,
                                                      "sort": "price_low", "limit": 5}},
            {"tool": "shop_clear_cart", "args": {}},
            {"tool": "shop_add_to_cart", "args": {"product_id": best["id"], "quantity": 1}},
            {"tool": "shop_place_order", "args": {}},
            {"tool": "finish", "args": {"answer": f"Ordered {best['name']}."}},
        ],
        difficulty="hard",
        max_steps=30,
    )
