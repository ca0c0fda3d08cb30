"""History of shop: the planners of the setup, routine, seed, noise and conflict rounds."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.shop import APP, totals

# category: (brands, [(item, lowest price, highest price)])
_CATALOG: dict[str, tuple[list[str], list[tuple[str, int, int]]]] = {
    "electronics": (["Sony", "Anker", "Logitech", "Samsung", "JBL"], [
        ("Wireless Earbuds", 39, 199), ("Bluetooth Speaker", 29, 149), ("USB-C Charger 65W", 19, 59),
        ("Wireless Mouse", 15, 79), ("Mechanical Keyboard", 49, 169), ("Portable SSD 1TB", 69, 149),
        ("Noise Cancelling Headphones", 99, 349), ("Power Bank 20000mAh", 25, 69)]),
    "kitchen": (["OXO", "Cuisinart", "Lodge", "KitchenAid", "Hamilton Beach"], [
        ("Chef's Knife 8in", 25, 129), ("Nonstick Frying Pan 10in", 19, 69), ("Burr Coffee Grinder", 39, 199),
        ("Electric Kettle", 24, 89), ("Blender", 39, 299), ("Cast Iron Skillet 12in", 24, 59),
        ("French Press", 19, 49), ("Toaster 2-Slice", 25, 89)]),
    "home": (["IKEA", "Brooklinen", "Dyson", "Philips", "Casper"], [
        ("Queen Sheet Set", 49, 199), ("Table Lamp", 19, 129), ("Bath Towel Set", 24, 89), ("Throw Blanket", 19, 79),
        ("Air Purifier", 89, 399), ("Memory Foam Pillow", 29, 99), ("Smart LED Bulb 4-pack", 19, 59),
        ("Storage Bins 6-pack", 15, 45)]),
    "books": (["Penguin", "HarperCollins", "Vintage", "O'Reilly", "Knopf"], [
        ("Novel (hardcover)", 14, 32), ("Cookbook", 18, 45), ("Travel Guide", 12, 29), ("Python Handbook", 29, 69),
        ("History of Rome", 16, 38), ("Poetry Collection", 10, 24), ("Graphic Novel", 12, 30)]),
    "clothing": (["Uniqlo", "Patagonia", "Levi's", "Nike", "Carhartt"], [
        ("Merino Crew Sweater", 39, 129), ("Rain Jacket", 59, 229), ("Slim Jeans", 39, 99),
        ("Running Socks 3-pack", 12, 24),
        ("Fleece Pullover", 29, 139), ("Cotton T-Shirt", 12, 35), ("Beanie", 12, 39), ("Chino Pants", 29, 79)]),
    "beauty": (["CeraVe", "Neutrogena", "The Ordinary", "Olaplex", "Burt's Bees"], [
        ("Moisturizing Cream", 12, 39), ("Sunscreen SPF 50", 9, 34), ("Vitamin C Serum", 9, 49), ("Shampoo", 8, 30),
        ("Lip Balm 4-pack", 6, 14), ("Face Cleanser", 9, 25), ("Hair Mask", 14, 30)]),
    "sports": (["Manduka", "Hydro Flask", "Garmin", "Wilson", "Bowflex"], [
        ("Yoga Mat", 25, 129), ("Insulated Water Bottle 32oz", 25, 49), ("Running Watch", 149, 449),
        ("Tennis Balls 3-pack", 4, 9), ("Adjustable Dumbbells", 99, 429), ("Resistance Bands Set", 15, 39),
        ("Foam Roller", 15, 45)]),
    "toys": (["LEGO", "Hasbro", "Melissa & Doug", "Mattel", "Ravensburger"], [
        ("Building Set", 19, 129), ("Board Game", 15, 59), ("1000-Piece Puzzle", 12, 29), ("Wooden Blocks", 19, 45),
        ("Card Game", 8, 25), ("Plush Bear", 10, 35)]),
    "grocery": (["Lavazza", "Kind", "Bob's Red Mill", "Twinings", "Ghirardelli"], [
        ("Whole Bean Coffee 2lb", 14, 32), ("Granola Bars 12-pack", 8, 18), ("Steel Cut Oats", 6, 15),
        ("Earl Grey Tea 100ct", 7, 19), ("Dark Chocolate Squares", 8, 20), ("Olive Oil 1L", 10, 28)]),
    "office": (["Moleskine", "Pilot", "Post-it", "Herman Miller", "Fellowes"], [
        ("Notebook A5", 9, 29), ("Gel Pens 12-pack", 8, 19), ("Sticky Notes 24-pack", 12, 25),
        ("Ergonomic Chair", 249, 1299), ("Standing Desk Converter", 119, 399), ("Paper Shredder", 39, 149),
        ("Desk Organizer", 15, 39)]),
    "garden": (["Fiskars", "Miracle-Gro", "Gardena", "Weber", "Burpee"], [
        ("Pruning Shears", 14, 45), ("Potting Mix 25qt", 9, 22), ("Garden Hose 50ft", 25, 79),
        ("Charcoal Grill", 89, 249),
        ("Herb Seed Kit", 12, 29), ("Watering Can", 14, 39)]),
    "pets": (["Purina", "KONG", "Blue Buffalo", "Frisco", "Petmate"], [
        ("Dry Dog Food 30lb", 39, 79), ("Chew Toy", 8, 19), ("Cat Litter 40lb", 15, 29), ("Pet Bed", 25, 89),
        ("Cat Tree", 49, 149), ("Leash and Collar Set", 14, 35)]),
}
_FEATURES = ["Top rated by customers.", "Ships in recyclable packaging.", "Backed by a 2-year warranty.",
             "A customer favorite for everyday use.", "New and improved design.", "Compact and easy to store."]
_ESPRESSO = [("Breville Barista Express Espresso Machine", "Breville", 69995),
             ("De'Longhi La Specialista Espresso Machine", "De'Longhi", 64995),
             ("Gaggia Classic Pro Espresso Machine", "Gaggia", 44900)]
_ESPRESSO_NEAR = [("Breville Bambino Plus Espresso Machine", "Breville", 49995),
                  ("Breville Barista Express Impress Espresso Machine", "Breville", 79995),
                  ("De'Longhi Dedica Espresso Machine", "De'Longhi", 32995)]


def _price(ctx: PlanContext, lo: int, hi: int) -> float:
    return ctx.rng.randint(lo, hi) + ctx.rng.choice([0.99, 0.49, 0.95, 0.0])


@planner(APP, "setup")
def catalog(ctx: PlanContext) -> None:
    """About 200 products over 12 categories, and the user's saved shipping address."""
    n = 0
    for category, (brands, items) in _CATALOG.items():
        pairs = [(b, i) for i in items for b in brands]
        ctx.rng.shuffle(pairs)
        for brand, (item, lo, hi) in pairs[:17]:
            n += 1
            ctx.add(ctx.start + timedelta(seconds=30 * n), "shop.add_product", {
                "name": f"{brand} {item}", "brand": brand, "category": category, "price": _price(ctx, lo, hi),
                "stock": 0 if ctx.rng.random() < 0.04 and n > 1 else ctx.rng.randint(15, 150),
                "rating": round(ctx.rng.uniform(3.2, 4.9), 1), "reviews": ctx.rng.randint(3, 4000),
                "description": f"{item} by {brand}. {ctx.rng.choice(_FEATURES)}"})
    ctx.add(ctx.start + timedelta(hours=2), "shop.set_shipping_address", {"address": ctx.persona.user.address},
            actor="user")


def _products(ctx: PlanContext) -> list[Any]:
    """The catalog's setup events, in stock at the start (routine orders buy these)."""
    return [e for e in ctx.planned if e.op == "shop.add_product" and e.round == 0 and e.args["stock"] > 0]


def _slots(ctx: PlanContext, count: int, before: datetime) -> list[datetime]:
    """Start times of cart sessions: at most one per slot, so two sessions never share the cart."""
    slots = [ctx.at(d, h, ctx.rng.randrange(20)) for d in ctx.days() for h in (12, 19, 21)]
    slots = [s for s in slots if ctx.start + timedelta(hours=3) < s < before]
    return sorted(ctx.rng.sample(slots, min(count, len(slots))))


@planner(APP, "routine")
def online_orders(ctx: PlanContext) -> None:
    """About three orders a week through the cart, their shipments' scans, and what follows delivery."""
    from clawgym.worlds.history import delivery

    products = _products(ctx)
    weeks = (ctx.end - ctx.start).days / 7
    last = ctx.end - timedelta(hours=8)  # its first scan comes after the window ends
    times = _slots(ctx, ctx.scaled(round(3 * weeks)) - 2, ctx.end - timedelta(days=3))
    times += [ctx.end - timedelta(days=2, hours=12), last]  # one still in transit (delayed later), one not shipped
    untouched: list[tuple[Any, datetime]] = []  # delivered orders nothing followed
    for t in times:
        chosen = ctx.rng.sample(products, ctx.rng.choice([1, 1, 1, 2, 2, 3]))
        for k, p in enumerate(chosen):
            ctx.add(t + timedelta(minutes=2 * k), "shop.add_to_cart", {"product_id": ctx.ref(p),
                                                                      "quantity": ctx.rng.choice([1, 1, 1, 2])},
                    actor="user")
        express = ctx.rng.random() < 0.15 and t < times[-2]  # the last two ship standard: still on their way
        order = ctx.add(t + timedelta(minutes=10), "shop.place_order", {"express": express}, actor="user")
        if ctx.rng.random() < 0.05 and t < times[-2]:
            ctx.add(t + timedelta(minutes=ctx.rng.randint(20, 90)), "shop.cancel_order", {"order_id": ctx.ref(order)},
                    actor="user")
            continue
        eta = (t + timedelta(minutes=10, days=2 if express else 4)).date()
        delivered = delivery.plan_tracking(ctx, order.at, {"order_id": ctx.ref(order)}, eta,
                                           delayed=t == times[-2] or ctx.rng.random() < 0.08)
        if delivered is not None and delivered < ctx.end and not _after_delivery(ctx, order, delivered, chosen):
            untouched.append((order, delivered))
    late = [(o, d) for o, d in untouched if d < ctx.end - timedelta(days=1, hours=12)]
    if late:  # a return still on its way back when the window ends
        order, delivered = late[-1]
        ret = ctx.add(max(delivered + timedelta(hours=2), ctx.end - timedelta(days=1)), "shop.request_return",
                      {"order_id": ctx.ref(order), "reason": "Changed my mind"}, actor="user")
        ctx.schedule(ctx.end + timedelta(days=3, hours=11), "shop.complete_return", {"return_id": ctx.ref(ret)})
    ctx.add(ctx.end - timedelta(hours=6), "shop.add_to_cart", {"product_id": ctx.ref(ctx.rng.choice(products))},
            actor="user")


def _after_delivery(ctx: PlanContext, order: Any, delivered: datetime, chosen: list[Any]) -> bool:
    """Sometimes a review a few days later; sometimes a return, refunded when the parcel is back. Did either happen?"""
    roll = ctx.rng.random()
    if roll < 0.15:
        at = delivered + timedelta(days=ctx.rng.randint(1, 6), hours=ctx.rng.randint(1, 5))
        if at < ctx.end:
            ctx.add(at, "shop.write_review", {"product_id": ctx.ref(chosen[0]), "text": ctx.sentence(),
                                              "rating": ctx.rng.choice([3, 4, 4, 5, 5])}, actor="user")
        return False
    if roll < 0.22:
        at = delivered + timedelta(days=ctx.rng.randint(2, 6), hours=ctx.rng.randint(1, 5))
        if at < ctx.end:
            reason = ctx.rng.choice(["Does not fit", "Arrived damaged", "Changed my mind", "Not as described"])
            ret = ctx.add(at, "shop.request_return", {"order_id": ctx.ref(order), "reason": reason}, actor="user")
            done = at + timedelta(days=ctx.rng.randint(4, 8))
            (ctx.add if done <= ctx.end else ctx.schedule)(done, "shop.complete_return", {"return_id": ctx.ref(ret)})
            return True
    return False


@planner(APP, "routine")
def browsing(ctx: PlanContext) -> None:
    """Products put in the cart and taken out again, twice a week (never during an order's session)."""
    products = _products(ctx)
    taken = {e.at.replace(minute=0) for e in ctx.planned if e.op == "shop.add_to_cart"}
    for day in ctx.days(every=3):
        t = ctx.at(day + timedelta(days=ctx.rng.randint(0, 2)), 15, ctx.rng.randrange(30))
        if t.replace(minute=0) in taken or t > ctx.end - timedelta(days=1):
            continue
        p = ctx.rng.choice(products)
        ctx.add(t, "shop.add_to_cart", {"product_id": ctx.ref(p), "quantity": 1}, actor="user")
        if ctx.rng.random() < 0.5:
            ctx.add(t + timedelta(minutes=3), "shop.update_cart_quantity", {"product_id": ctx.ref(p), "quantity": 2},
                    actor="user")
        ctx.add(t + timedelta(minutes=8), "shop.remove_from_cart", {"product_id": ctx.ref(p)}, actor="user")


@planner(APP, "routine")
def catalog_changes(ctx: PlanContext) -> None:
    """The store reprices a few products every day and restocks the ones running low."""
    products = [e for e in ctx.planned if e.op == "shop.add_product" and e.round == 0]
    for day in ctx.days():
        for _ in range(ctx.scaled(16)):  # dynamic pricing: each product is repriced about every 12 days
            p = ctx.rng.choice(products)
            base = p.args["price"]
            ctx.add(ctx.at(day, 3, ctx.rng.randrange(60)), "shop.update_price", {
                "product_id": ctx.ref(p), "price": max(1.0, round(int(base * ctx.rng.uniform(0.75, 1.15)) + 0.99, 2))})
        for _ in range(ctx.rng.randint(0, 2)):
            ctx.add(ctx.at(day, 4, ctx.rng.randrange(60)), "shop.restock", {
                "product_id": ctx.ref(ctx.rng.choice(products)), "quantity": ctx.rng.randint(10, 60)})


@planner(APP, "seed")
def espresso_machine(ctx: PlanContext) -> None:
    """The user buys an espresso machine; its total and delivery date are facts."""
    from clawgym.worlds.history import delivery

    name, brand, price = ctx.rng.choice(_ESPRESSO)
    listed = ctx.random_time(before=ctx.start + (ctx.end - ctx.start) * 0.3)
    product = ctx.add(listed, "shop.add_product", {"name": name, "brand": brand, "category": "kitchen",
                                                   "price": price / 100, "stock": 12, "rating": 4.6, "reviews": 2140,
                                                   "description": f"15-bar pump espresso machine by {brand}."})
    at = listed + timedelta(days=ctx.rng.randint(1, 3), hours=ctx.rng.randint(1, 3))
    order = ctx.add(at, "shop.buy_now", {"product_id": ctx.ref(product)}, actor="user")
    eta = (at + timedelta(days=4)).date()
    delivered = delivery.plan_tracking(ctx, at, {"order_id": ctx.ref(order)}, eta)
    assert delivered is not None and delivered < ctx.end
    total = totals(price)[2]
    ctx.fact("shop.order_total", order, table="shop_order", field="total", value=total,
             description=f"total charged for the {name}: ${total / 100:,.2f} (cents)")
    ctx.fact("shop.order_delivery_date", order, table="shop_order", field="delivered_at", value=str(delivered.date()),
             description=f"the day the {name} was delivered")


@planner(APP, "noise")
def similar_orders(ctx: PlanContext) -> None:
    """Other espresso machines bought at other times, and a gift shipped to a friend's address."""
    from clawgym.worlds.history import delivery

    for seed in ctx.seed_facts(APP):
        if seed.key != "shop.order_total":
            continue
        for name, brand, price in ctx.rng.sample(_ESPRESSO_NEAR, 2):
            listed = ctx.random_time(before=ctx.end - timedelta(days=10))
            product = ctx.add(listed, "shop.add_product", {"name": name, "brand": brand, "category": "kitchen",
                                                           "price": price / 100, "stock": 8, "rating": 4.4,
                                                           "reviews": 830})
            at = listed + timedelta(hours=ctx.rng.randint(2, 30))
            order = ctx.add(at, "shop.buy_now", {"product_id": ctx.ref(product)}, actor="user")
            delivered = delivery.plan_tracking(ctx, at, {"order_id": ctx.ref(order)}, (at + timedelta(days=4)).date())
            ctx.fact(f"noise.{seed.key}", order, table="shop_order", field="total", value=totals(price)[2],
                     near=seed.key, description=f"another espresso machine: {name}")
            if delivered is not None and delivered < ctx.end:
                ctx.fact("noise.shop.order_delivery_date", order, table="shop_order", field="delivered_at",
                         value=str(delivered.date()), near="shop.order_delivery_date")
    if any(f.key == "bank.service_address" for f in ctx.seed_facts()):
        friend = ctx.rng.choice(ctx.people("friend", "family"))
        at = ctx.random_time(before=ctx.end - timedelta(days=6))
        gift = ctx.rng.choice(_products(ctx))
        order = ctx.add(at, "shop.buy_now", {"product_id": ctx.ref(gift), "address": friend.address}, actor="user")
        delivery.plan_tracking(ctx, at, {"order_id": ctx.ref(order)}, (at + timedelta(days=4)).date())
        ctx.fact("noise.bank.service_address", order, table="shop_order", field="address", value=friend.address,
                 near="bank.service_address", description=f"a gift shipped to {friend.name}")


@planner(APP, "conflict")
def new_address(ctx: PlanContext) -> None:
    """After moving, the user saves the new address in the store account; later orders ship there."""
    from clawgym.worlds.history import bank

    moved, address = bank.move_plan(ctx)
    ctx.add(moved + timedelta(hours=ctx.rng.randint(2, 30)), "shop.set_shipping_address", {"address": address},
            actor="user")
