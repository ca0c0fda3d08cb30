"""Shop: cart and checkout charge the bank, mail a receipt and ship through delivery; cancels, returns, reviews."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World
from clawgym.worlds.services import bank, delivery, shop


def _in_stock(world: World, n: int = 1) -> list[dict[str, Any]]:
    return world.store.query("shop_product", "stock >= 5 ORDER BY id LIMIT ?", (n,))


def _order(world: World, **extra: Any) -> dict[str, Any]:
    world.call("shop.clear_cart")
    a, b = _in_stock(world, 2)
    world.call("shop.add_to_cart", {"product_id": a["id"], "quantity": 2})
    world.call("shop.add_to_cart", {"product_id": b["id"]})
    return world.call("shop.place_order", extra)


def _scan(world: World, order_id: int, status: str) -> dict[str, Any]:
    return world.call("delivery.scan", {"order_id": order_id, "status": status, "location": "Memphis, TN"}, system=True)


def test_place_order_charges_mails_ships_and_decrements_stock(world: World) -> None:
    world.call("shop.clear_cart")
    a, b = _in_stock(world, 2)
    world.call("shop.add_to_cart", {"product_id": a["id"], "quantity": 2})
    cart = world.call("shop.add_to_cart", {"product_id": b["id"]})
    subtotal = 2 * a["price"] + b["price"]
    assert cart["subtotal"] == pytest.approx(subtotal / 100)
    order = world.call("shop.place_order")
    shipping, tax, total = shop.totals(subtotal)
    assert order["status"] == "placed" and order["total"] == pytest.approx(total / 100)
    txn = world.call("bank.get_transaction", {"transaction_id": order["transaction_id"]})
    assert txn["amount"] == -order["total"] and txn["merchant"] == shop.STORE
    assert txn["card_id"] == bank.default_card(world)
    receipt = world.call("mail.search", {"query": order["number"]})
    assert receipt and receipt[0]["from"] == shop.ORDERS
    shipment = delivery.shipment_for_order(world, order["id"])
    assert shipment is not None and shipment["tracking"] == order["tracking"] and shipment["status"] == "label_created"
    assert world.store.get("shop_product", a["id"])["stock"] == a["stock"] - 2
    assert world.call("shop.view_cart")["items"] == []


def test_scans_notify_and_the_delivered_scan_delivers_the_order(world: World) -> None:
    order = _order(world)
    _scan(world, order["id"], "in_transit")
    assert world.call("shop.get_order", {"order_id": order["id"]})["status"] == "shipped"
    world.advance(timedelta(days=2))
    _scan(world, order["id"], "out_for_delivery")
    _scan(world, order["id"], "delivered")
    got = world.call("shop.get_order", {"order_id": order["id"]})
    assert got["status"] == "delivered" and got["delivered_at"] == world.iso_now()
    shipment_id = delivery.shipment_for_order(world, order["id"])["id"]  # type: ignore[index]
    titles = [n["title"] for n in world.store.select("notification", {"ref_table": "delivery_shipment",
                                                                      "ref_id": shipment_id})]
    assert [t.split(":")[0] for t in titles] == ["In transit", "Out for delivery", "Delivered"]
    tracked = world.call("delivery.track", {"tracking": order["tracking"]})
    assert [s["status"] for s in tracked["scans"]] == ["in_transit", "out_for_delivery", "delivered"]


def test_cancel_refunds_and_cancels_the_shipment_but_not_once_shipped(world: World) -> None:
    order = _order(world)
    balance = world.call("bank.list_accounts")[0]["balance"]
    cancelled = world.call("shop.cancel_order", {"order_id": order["id"]})
    assert cancelled["status"] == "cancelled"
    assert world.call("bank.list_accounts")[0]["balance"] == pytest.approx(balance + order["total"])
    assert delivery.shipment_for_order(world, order["id"])["status"] == "cancelled"  # type: ignore[index]
    with pytest.raises(Forbidden, match="is cancelled"):
        world.call("shop.cancel_order", {"order_id": order["id"]})
    shipped = _order(world)
    _scan(world, shipped["id"], "in_transit")
    before = world.digest()
    with pytest.raises(Forbidden, match="request a return once it is delivered"):
        world.call("shop.cancel_order", {"order_id": shipped["id"]})
    assert world.digest() == before


def test_order_on_a_frozen_card_fails_and_changes_nothing(world: World) -> None:
    world.call("bank.freeze_card", {"card_id": bank.default_card(world)})
    product = _in_stock(world)[0]
    world.call("shop.add_to_cart", {"product_id": product["id"]})
    before = world.digest()
    with pytest.raises(Forbidden, match="frozen"):
        world.call("shop.place_order")
    assert world.digest() == before
    credit = world.store.select("bank_card", {"kind": "credit"}, limit=1)[0]
    order = world.call("shop.place_order", {"card_id": credit["id"]})
    assert order["card_id"] == credit["id"]


def test_cart_rules(world: World) -> None:
    world.call("shop.clear_cart")
    before = world.digest()
    with pytest.raises(Forbidden, match="cart is empty"):
        world.call("shop.place_order")
    product = _in_stock(world)[0]
    with pytest.raises(NotFound, match="no product in the cart with id"):
        world.call("shop.remove_from_cart", {"product_id": product["id"]})
    with pytest.raises(NotFound, match="no product with id 99999"):
        world.call("shop.add_to_cart", {"product_id": 99999})
    assert world.digest() == before
    world.call("shop.add_to_cart", {"product_id": product["id"]})
    cart = world.call("shop.update_cart_quantity", {"product_id": product["id"], "quantity": 3})
    assert cart["items"][0]["quantity"] == 3
    assert world.call("shop.remove_from_cart", {"product_id": product["id"]})["items"] == []
    scarce = world.store.query("shop_product", "stock > 0 ORDER BY stock, id LIMIT 1")[0]
    left = scarce["stock"]
    while left:
        world.call("shop.add_to_cart", {"product_id": scarce["id"], "quantity": min(20, left)})
        left -= min(20, left)
    stock = scarce["stock"]
    with pytest.raises(Forbidden, match=f"product {scarce['id']} .* only {stock} left; {stock + 1} requested"):
        world.call("shop.add_to_cart", {"product_id": scarce["id"]})


def test_returns_only_for_delivered_orders_within_30_days(world: World) -> None:
    order = _order(world)
    with pytest.raises(Forbidden, match="only delivered orders"):
        world.call("shop.request_return", {"order_id": order["id"], "reason": "too big"})
    _scan(world, order["id"], "delivered")
    item = world.call("shop.get_order", {"order_id": order["id"]})["items"][0]
    with pytest.raises(InvalidArguments, match="product_ids"):
        world.call("shop.request_return", {"order_id": order["id"], "reason": "too big", "product_ids": [99999]})
    ret = world.call("shop.request_return", {"order_id": order["id"], "reason": "too big",
                                             "product_ids": [item["product_id"]]})
    expected = round(item["unit_price"] * item["quantity"] * (1 + shop.TAX_RATE), 2)
    assert ret["status"] == "requested" and ret["label"].startswith("RMA-")
    assert ret["refund"] == pytest.approx(expected, abs=0.01)
    balance = world.call("bank.list_accounts")[0]["balance"]
    done = world.call("shop.complete_return", {"return_id": ret["id"]}, system=True)
    assert done["status"] == "refunded"
    assert world.call("bank.list_accounts")[0]["balance"] == pytest.approx(balance + ret["refund"])
    assert world.call("shop.get_order", {"order_id": order["id"]})["status"] == "returned"
    late = _order(world)
    _scan(world, late["id"], "delivered")
    world.advance(timedelta(days=31))
    with pytest.raises(Forbidden, match="return window closed"):
        world.call("shop.request_return", {"order_id": late["id"], "reason": "too big"})


def test_buy_now_leaves_the_cart_alone_and_ships_to_a_given_address(world: World) -> None:
    cart = world.call("shop.view_cart")
    product = _in_stock(world)[0]
    order = world.call("shop.buy_now", {"product_id": product["id"], "address": "9 Elm St, Springfield",
                                        "express": True})
    assert order["express"] and order["shipping"] == 12.99 and order["address"] == "9 Elm St, Springfield"
    assert world.call("shop.view_cart") == cart
    assert delivery.shipment_for_order(world, order["id"])["address"] == "9 Elm St, Springfield"  # type: ignore[index]


def test_saved_shipping_address_is_where_new_orders_go(world: World) -> None:
    world.call("shop.set_shipping_address", {"address": "1 New Road, Springfield"})
    order = _order(world)
    assert order["address"] == "1 New Road, Springfield"


def test_a_second_review_replaces_the_first(world: World) -> None:
    product = _in_stock(world)[0]
    first = world.call("shop.write_review", {"product_id": product["id"], "rating": 2, "text": "meh"})
    second = world.call("shop.write_review", {"product_id": product["id"], "rating": 5, "text": "grew on me"})
    assert first["id"] == second["id"]
    assert world.call("shop.get_product", {"product_id": product["id"]})["your_review"]["rating"] == 5


def test_search_filters_and_sorts(world: World) -> None:
    cheap = world.call("shop.search_products", {"category": "kitchen", "sort": "price_low", "limit": 50})
    assert cheap and all(p["category"] == "kitchen" for p in cheap)
    assert [p["price"] for p in cheap] == sorted(p["price"] for p in cheap)
    capped = world.call("shop.search_products", {"max_price": 20, "min_rating": 4, "limit": 100})
    assert all(p["price"] <= 20 and p["rating"] >= 4 for p in capped)
    assert world.store.count("shop_product") >= 200


def test_history_has_orders_in_every_state_and_a_delayed_scan_scheduled(world: World) -> None:
    statuses = {o["status"] for o in world.call("shop.list_orders", {"limit": 100})}
    assert {"placed", "shipped", "delivered"} <= statuses
    pending = [e for e in world.pending() if e["op"] == "delivery.scan"]
    assert any(e["args"]["status"] == "delayed" for e in pending)
    assert world.call("shop.list_returns", {"status": "requested"})
