"""Delivery: shipments, scans and notifications, and the changes the user may make before a parcel arrives."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World


def _parcel(world: World, days: int = 4) -> dict[str, Any]:
    eta = (world.now + timedelta(days=days)).date().isoformat()
    return world.call("delivery.create_shipment", {"carrier": "UPS", "eta": eta, "sender": "Etsy",
                                                   "description": "Ceramic mug"}, system=True)


def _scan(world: World, shipment_id: int, status: str, **extra: Any) -> dict[str, Any]:
    return world.call("delivery.scan", {"shipment_id": shipment_id, "status": status, "location": "Memphis, TN",
                                        **extra}, system=True)


def test_a_parcel_goes_to_the_saved_address_and_scans_notify(world: World) -> None:
    parcel = _parcel(world)
    assert parcel["address"] == world.call("shop.view_cart")["ship_to"] and parcel["tracking"].startswith("1Z")
    _scan(world, parcel["id"], "in_transit")
    note = world.notifications(limit=1)[0]
    assert note["app"] == "delivery" and note["title"] == "In transit: Ceramic mug"
    _scan(world, parcel["id"], "delivered")
    tracked = world.call("delivery.track", {"shipment_id": parcel["id"]})
    assert tracked["status"] == "delivered" and [s["status"] for s in tracked["scans"]] == ["in_transit", "delivered"]
    before = world.digest()
    with pytest.raises(Forbidden, match="already delivered"):
        _scan(world, parcel["id"], "in_transit")
    assert world.digest() == before


def test_address_and_pickup_point_change_only_before_out_for_delivery(world: World) -> None:
    parcel = _parcel(world)
    moved = world.call("delivery.change_address", {"shipment_id": parcel["id"], "address": "8 Oak Ave, Springfield"})
    assert moved["address"] == "8 Oak Ave, Springfield"
    with pytest.raises(NotFound, match="no pickup point with id 'PP-99'"):
        world.call("delivery.hold_at_pickup_point", {"shipment_id": parcel["id"], "pickup_point_id": "PP-99"})
    point = world.call("delivery.list_pickup_points")[0]
    held = world.call("delivery.hold_at_pickup_point", {"shipment_id": parcel["id"], "pickup_point_id": point["id"]})
    assert held["pickup_point"].startswith(point["name"])
    _scan(world, parcel["id"], "out_for_delivery")
    before = world.digest()
    with pytest.raises(Forbidden, match="only possible before it is out for delivery"):
        world.call("delivery.change_address", {"shipment_id": parcel["id"], "address": "9 Elm St, Springfield"})
    assert world.digest() == before
    done = _scan(world, parcel["id"], "delivered")
    assert done["status"] == "delivered"
    assert world.call("delivery.track", {"shipment_id": parcel["id"]})["scans"][-1]["note"] == "Ready for pickup"


def test_rescheduled_delivery_holds_earlier_delivery_scans(world: World) -> None:
    parcel = _parcel(world, days=2)
    with pytest.raises(InvalidArguments, match="field 'date'"):
        world.call("delivery.reschedule_delivery", {"shipment_id": parcel["id"], "date": world.iso_now()[:10]})
    later = (world.now + timedelta(days=5)).date().isoformat()
    world.call("delivery.reschedule_delivery", {"shipment_id": parcel["id"], "date": later})
    held = _scan(world, parcel["id"], "delivered")
    assert held["status"] == "in_transit" and held["eta"] == later
    world.advance(timedelta(days=5, hours=10))
    assert _scan(world, parcel["id"], "delivered")["status"] == "delivered"


def test_problem_reports_match_the_parcel_state(world: World) -> None:
    parcel = _parcel(world)
    damaged = {"shipment_id": parcel["id"], "kind": "damaged", "description": "crushed"}
    with pytest.raises(Forbidden, match="needs a delivered parcel"):
        world.call("delivery.report_problem", damaged)
    late = world.call("delivery.report_problem", {"shipment_id": parcel["id"], "kind": "late", "description": "slow"})
    assert late["reference"].startswith("CLM-") and late["status"] == "open"
    _scan(world, parcel["id"], "delivered")
    world.call("delivery.report_problem", damaged)
    confirmed = world.call("delivery.confirm_receipt", {"shipment_id": parcel["id"]})
    assert confirmed["received"] is True
    with pytest.raises(Forbidden, match="already confirmed"):
        world.call("delivery.confirm_receipt", {"shipment_id": parcel["id"]})


def test_delayed_scan_scheduled_after_the_window_fires_and_moves_the_eta(world: World) -> None:
    delayed = [e for e in world.pending() if e["op"] == "delivery.scan" and e["args"]["status"] == "delayed"]
    assert delayed
    event = delayed[0]
    world.advance(until=datetime.fromisoformat(event["at"]))
    notes = [n for n in world.notifications(limit=20) if n["title"].startswith("Delayed")]
    assert notes
    shipment = world.store.get("delivery_shipment", notes[0]["ref_id"])
    assert shipment["eta"] == event["args"]["eta"]


def test_list_and_track_need_a_known_parcel(world: World) -> None:
    active = world.call("delivery.list_shipments", {"active_only": True})
    assert active and all(s["status"] not in ("delivered", "cancelled") for s in active)
    with pytest.raises(NotFound, match="tracking number"):
        world.call("delivery.track", {"tracking": "NOPE123"})
    with pytest.raises(InvalidArguments, match="'shipment_id' or 'tracking'"):
        world.call("delivery.track", {})
    with pytest.raises(NotFound, match="no shipment with id 99999"):
        world.call("delivery.get_shipment", {"shipment_id": 99999})
