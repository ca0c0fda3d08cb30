"""History of delivery: the planners of the routine round."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.delivery import APP

_HUBS = ["Memphis, TN", "Louisville, KY", "Indianapolis, IN", "Ontario, CA", "Dallas, TX", "Newark, NJ"]
_DELAYS = ["Weather delay in the region", "Sorting facility backlog", "Missed connection at the hub"]


def plan_tracking(ctx: PlanContext, shipped: datetime, target: dict[str, Any], eta: date, *,
                  delayed: bool = False) -> datetime | None:
    """Plan a parcel's scans from ``shipped`` to delivery on ``eta`` (a day or two later if ``delayed``).

    ``target`` is ``{"order_id": ref}`` or ``{"shipment_id": ref}``. Scans after the window are scheduled, so they
    fire during episodes. Returns when it is delivered.
    """
    local = f"{ctx.persona.user.city} distribution center"
    door = datetime.combine(eta, datetime.min.time())
    at = shipped + timedelta(hours=ctx.rng.randint(12, 20), minutes=ctx.rng.randrange(60))
    hubs = [*ctx.rng.sample(_HUBS, 2), local]
    scans: list[tuple[datetime, dict[str, Any]]] = [(at, {"status": "in_transit", "location": hubs[0],
                                                          "note": "Departed facility"})]
    for hub in hubs[1:]:  # arrival and departure scans at each hub while there is time before the delivery day
        for note in ("Arrived at facility", "Departed facility" if hub != local else "Sorted for delivery"):
            at += timedelta(hours=ctx.rng.randint(3, 9), minutes=ctx.rng.randrange(60))
            if at >= door:
                break
            scans.append((at, {"status": "in_transit", "location": hub, "note": note}))
    if delayed:
        late = eta + timedelta(days=ctx.rng.randint(1, 2))
        scans.append((door + timedelta(hours=6, minutes=ctx.rng.randrange(60)), {
            "status": "delayed", "location": local, "note": ctx.rng.choice(_DELAYS), "eta": str(late)}))
        door = datetime.combine(late, datetime.min.time())
    scans.append((door + timedelta(hours=7, minutes=ctx.rng.randrange(60)), {"status": "out_for_delivery",
                                                                            "location": local}))
    delivered = door + timedelta(hours=ctx.rng.randint(11, 18), minutes=ctx.rng.randrange(60))
    scans.append((delivered, {"status": "delivered", "location": ctx.rng.choice(["Front door", "Mailroom", "Porch"])}))
    for at, args in scans:
        (ctx.add if at <= ctx.end else ctx.schedule)(at, "delivery.scan", {**target, **args})
    return delivered


_SENDERS = [("Zappos", "Running shoes"), ("Etsy", "Handmade ceramic mug"), ("Best Buy", "HDMI cable"),
            ("Chewy", "Pet supplies"), ("Apple", "Phone case"), ("Warby Parker", "Eyeglasses"),
            ("Uniqlo", "Clothing"), ("Sephora", "Skincare set")]


@planner(APP, "routine")
def other_parcels(ctx: PlanContext) -> None:
    """Two or three parcels a week from other senders, tracked to the door; some confirmed, one reported damaged."""
    reported = False
    for day in ctx.days():
        if ctx.rng.random() >= 2.5 / 7 * ctx.density:
            continue
        sender, what = ctx.rng.choice(_SENDERS)
        at = ctx.at(day, ctx.rng.randint(9, 17), ctx.rng.randrange(60))
        carrier = ctx.rng.choice(["UPS", "FedEx", "USPS", "DHL"])
        eta = (at + timedelta(days=ctx.rng.randint(2, 5))).date()
        e = ctx.add(at, "delivery.create_shipment", {"carrier": carrier, "eta": str(eta), "sender": sender,
                                                     "description": what})
        delivered = plan_tracking(ctx, at, {"shipment_id": ctx.ref(e)}, eta, delayed=ctx.rng.random() < 0.1)
        after = delivered + timedelta(hours=ctx.rng.randint(1, 30)) if delivered else None
        if after is None or after >= ctx.end:
            continue
        if not reported and ctx.rng.random() < 0.1:
            reported = True
            ctx.add(after, "delivery.report_problem", {"shipment_id": ctx.ref(e), "kind": "damaged",
                                                       "description": "The box was crushed and the item is broken."},
                    actor="user")
        elif ctx.rng.random() < 0.4:
            ctx.add(after, "delivery.confirm_receipt", {"shipment_id": ctx.ref(e)}, actor="user")
