"""Shop: an online store's catalog, the user's cart, orders, returns and reviews.

Placing an order charges a card (``bank.charge``), mails a receipt (``mail.deliver``) and creates a shipment
(``delivery.create_shipment``) whose scans move the order to shipped and delivered (``shipment_update``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field as Arg
from sqlalchemy import JSON, Column
from sqlmodel import Field

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds.money import cents, units
from clawgym.worlds.operation import Pick, operation
from clawgym.worlds.record import Record

if TYPE_CHECKING:
    from clawgym.worlds.world import World

APP = "shop"
STORE = "ShopMart"
ORDERS = "orders@shopmart.com"
TAX_RATE = 0.08
RETURN_DAYS = 30
CARRIERS = ("UPS", "FedEx", "USPS")
Category = Literal["electronics", "kitchen", "home", "books", "clothing", "beauty", "sports", "toys", "grocery",
                   "office", "garden", "pets"]
Quantity = Annotated[int, Arg(ge=1, le=20)]
Limit = Annotated[int, Arg(ge=1, le=100)]


class Product(Record, table=True):
    __tablename__ = "shop_product"
    sku: str = ""
    name: str
    brand: str = ""
    category: str = Field(index=True)
    price: int  # cents
    stock: int = 0
    rating: float = 0.0
    reviews: int = 0
    description: str = ""


class CartItem(Record, table=True):
    __tablename__ = "shop_cart_item"
    product_id: int = Field(foreign_key="shop_product.id", index=True)
    quantity: int = 1
    added_at: str = ""


class Profile(Record, table=True):
    """The user's store account: where orders ship when no address is given."""

    __tablename__ = "shop_profile"
    address: str = ""


class Order(Record, table=True):
    __tablename__ = "shop_order"
    number: str = ""
    at: str = Field(index=True)
    status: str = Field(index=True)  # placed | shipped | delivered | cancelled | return_requested | returned
    subtotal: int = 0
    shipping: int = 0
    tax: int = 0
    total: int = 0
    express: bool = False
    address: str = ""
    card_id: int | None = Field(default=None, foreign_key="bank_card.id")
    transaction_id: int | None = Field(default=None, foreign_key="bank_transaction.id")
    carrier: str = ""
    tracking: str = ""
    eta: str = ""
    delivered_at: str = ""
    cancelled_at: str = ""


class OrderItem(Record, table=True):
    __tablename__ = "shop_order_item"
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    product_id: int = Field(foreign_key="shop_product.id", index=True)
    name: str = ""
    quantity: int = 1
    unit_price: int = 0


class Return(Record, table=True):
    __tablename__ = "shop_return"
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    at: str = ""
    items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    reason: str = ""
    refund: int = 0  # cents refunded once the return is received
    label: str = ""
    status: str = Field(default="requested", index=True)  # requested | refunded
    refunded_at: str = ""
    refund_transaction_id: int | None = Field(default=None, foreign_key="bank_transaction.id")


class Review(Record, table=True):
    __tablename__ = "shop_review"
    product_id: int = Field(foreign_key="shop_product.id", index=True)
    at: str = ""
    rating: int = 5
    text: str = ""
    verified: bool = False  # the user bought the product here


# -- views and helpers ----------------------------------------------------------------------
def _product(row: dict[str, Any], full: bool = False) -> dict[str, Any]:
    out = {"id": row["id"], "name": row["name"], "brand": row["brand"], "category": row["category"],
           "price": units(row["price"]), "rating": row["rating"], "in_stock": row["stock"] > 0}
    if full:
        out.update(sku=row["sku"], stock=row["stock"], reviews=row["reviews"], description=row["description"])
    return out


def _order(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "number", "at", "status", "address", "carrier", "tracking", "eta", "delivered_at",
                                "card_id", "transaction_id", "express")} | {
        k: units(row[k]) for k in ("subtotal", "shipping", "tax", "total")} | {"return_by": _return_by(row)}


def _return_by(row: dict[str, Any]) -> str:
    """The last day a delivered order can be returned ('' before delivery)."""
    if not row["delivered_at"]:
        return ""
    return (datetime.fromisoformat(row["delivered_at"]) + timedelta(days=RETURN_DAYS)).date().isoformat()


def _return(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "order_id", "at", "items", "reason", "label", "status", "refunded_at")} | {
        "refund": units(row["refund"])}


def totals(subtotal: int, express: bool = False) -> tuple[int, int, int]:
    """Shipping, tax and total in cents for a subtotal in cents (free standard shipping from 35.00)."""
    shipping = 1299 if express else (0 if subtotal >= 3500 else 599)
    tax = round(subtotal * TAX_RATE)
    return shipping, tax, subtotal + shipping + tax


def shipping_address(world: World) -> str:
    """Where the user's parcels go: the address saved in the store account, else the user's home."""
    rows = world.store.select(Profile, limit=1)
    return rows[0]["address"] if rows and rows[0]["address"] else world.persona.user.address


def shipment_update(world: World, order_id: int, status: str) -> None:
    """Delivery tells the store a scan happened: the order becomes shipped, then delivered."""
    row = world.store.get(Order, order_id)
    if row is None or row["status"] not in ("placed", "shipped"):
        return
    if status == "delivered":
        world.store.update(Order, order_id, {"status": "delivered", "delivered_at": world.iso_now()})
    elif status in ("in_transit", "out_for_delivery", "delayed") and row["status"] == "placed":
        world.store.update(Order, order_id, {"status": "shipped"})


def _in_cart(world: World, product_id: int) -> dict[str, Any]:
    rows = world.store.select(CartItem, {"product_id": product_id}, limit=1)
    if not rows:
        raise NotFound("product in the cart", product_id)
    return rows[0]


def _cart_lines(world: World) -> list[tuple[dict[str, Any], int]]:
    lines = []
    for item in world.store.select(CartItem):
        lines.append((world.store.require(Product, item["product_id"], "product"), item["quantity"]))
    return lines


def _check_stock(product: dict[str, Any], quantity: int) -> None:
    if quantity > product["stock"]:
        left = f"only {product['stock']} left" if product["stock"] else "out of stock"
        raise Forbidden(f"product {product['id']} ({product['name']}) is {left}; {quantity} requested")


# -- catalog --------------------------------------------------------------------------------
@operation(APP, "read", example={"query": "coffee"})
def search_products(world: World, query: str = "", category: Category | None = None,
                    max_price: Annotated[float | None, Arg(gt=0)] = None,
                    min_rating: Annotated[float, Arg(ge=0, le=5)] = 0, in_stock_only: bool = False,
                    sort: Literal["relevance", "price_low", "price_high", "rating"] = "relevance",
                    limit: Limit = 20) -> list[dict[str, Any]]:
    """Search the catalog: query matches name, brand or description; filter by category, price, rating, stock."""
    conds, params = ["rating >= ?"], [min_rating]  # type: list[str], list[Any]
    if query:
        conds.append("(LOWER(name) LIKE ? OR LOWER(brand) LIKE ? OR LOWER(description) LIKE ?)")
        params += [f"%{query.lower()}%"] * 3
    if category:
        conds.append("category = ?")
        params.append(category)
    if max_price is not None:
        conds.append("price <= ?")
        params.append(round(max_price * 100))
    if in_stock_only:
        conds.append("stock > 0")
    order = {"relevance": "reviews DESC", "price_low": "price", "price_high": "price DESC",
             "rating": "rating DESC"}[sort]
    rows = world.store.query(Product, " AND ".join(conds) + f" ORDER BY {order}, id LIMIT ?", (*params, limit))
    return [_product(r) for r in rows]


@operation(APP, "read", example={"product_id": Pick("shop_product")})
def get_product(world: World, product_id: int) -> dict[str, Any]:
    """Get one product: price, stock, rating, description, and the user's own review if any."""
    row = world.store.require(Product, product_id, "product")
    mine = world.store.select(Review, {"product_id": product_id}, limit=1)
    review = {k: mine[0][k] for k in ("rating", "text", "at")} if mine else None
    return _product(row, full=True) | {"your_review": review}


# -- cart -----------------------------------------------------------------------------------
@operation(APP, "write", example={"product_id": Pick("shop_product"), "quantity": 1})
def add_to_cart(world: World, product_id: int, quantity: Quantity = 1) -> dict[str, Any]:
    """Put a product in the cart (adding to its quantity if it is already there)."""
    product = world.store.require(Product, product_id, "product")
    rows = world.store.select(CartItem, {"product_id": product_id}, limit=1)
    total = quantity + (rows[0]["quantity"] if rows else 0)
    _check_stock(product, total)
    if rows:
        world.store.update(CartItem, rows[0]["id"], {"quantity": total})
    else:
        world.store.insert(CartItem, {"product_id": product_id, "quantity": total, "added_at": world.iso_now()})
    return view_cart(world)


@operation(APP, "write", example={"product_id": Pick("shop_cart_item", field="product_id")})
def remove_from_cart(world: World, product_id: int) -> dict[str, Any]:
    """Take a product out of the cart entirely."""
    world.store.delete(CartItem, _in_cart(world, product_id)["id"])
    return view_cart(world)


@operation(APP, "write", example={"product_id": Pick("shop_cart_item", field="product_id"), "quantity": 2})
def update_cart_quantity(world: World, product_id: int, quantity: Quantity) -> dict[str, Any]:
    """Set how many of a product in the cart to buy."""
    item = _in_cart(world, product_id)
    _check_stock(world.store.require(Product, product_id, "product"), quantity)
    world.store.update(CartItem, item["id"], {"quantity": quantity})
    return view_cart(world)


@operation(APP, "read", example={})
def view_cart(world: World) -> dict[str, Any]:
    """The cart: items, subtotal, shipping, tax and total, and the address orders ship to."""
    lines = _cart_lines(world)
    subtotal = sum(p["price"] * q for p, q in lines)
    shipping, tax, total = totals(subtotal)
    items = [{"product_id": p["id"], "name": p["name"], "quantity": q, "unit_price": units(p["price"]),
              "line_total": units(p["price"] * q)} for p, q in lines]
    return {"items": items, "subtotal": units(subtotal), "shipping": units(shipping), "tax": units(tax),
            "total": units(total), "ship_to": shipping_address(world)}


@operation(APP, "write", example={})
def clear_cart(world: World) -> dict[str, Any]:
    """Empty the cart; returns how many products were removed."""
    rows = world.store.select(CartItem)
    for row in rows:
        world.store.delete(CartItem, row["id"])
    return {"removed": len(rows)}


@operation(APP, "write", example={"address": "12 Harbor Lane, Springfield"})
def set_shipping_address(world: World, address: Annotated[str, Arg(min_length=5, max_length=200)]) -> dict[str, Any]:
    """Save the address orders ship to by default (street, city)."""
    rows = world.store.select(Profile, limit=1)
    if rows:
        world.store.update(Profile, rows[0]["id"], {"address": address})
        return {"id": rows[0]["id"], "address": address}
    return {"id": world.store.insert(Profile, {"address": address}), "address": address}


# -- orders ---------------------------------------------------------------------------------
def _checkout(world: World, lines: list[tuple[dict[str, Any], int]], card_id: int | None, address: str,
              express: bool) -> dict[str, Any]:
    for product, quantity in lines:
        _check_stock(product, quantity)
    subtotal = sum(p["price"] * q for p, q in lines)
    shipping, tax, total = totals(subtotal, express)
    eta = (world.now + timedelta(days=2 if express else 4)).date().isoformat()
    values = {"number": "", "at": world.iso_now(), "status": "placed", "subtotal": subtotal, "shipping": shipping,
              "tax": tax, "total": total, "express": express, "address": address or shipping_address(world),
              "card_id": None, "transaction_id": None, "carrier": "", "tracking": "", "eta": eta, "delivered_at": "",
              "cancelled_at": ""}
    ident = world.store.insert(Order, values)
    number = f"SM-{ident + 100_400:07d}"
    txn = world.call("bank.charge", {"amount": units(total), "merchant": STORE, "category": "shopping",
                                     "description": f"Order {number}", "card_id": card_id}, system=True)
    for product, quantity in lines:
        world.store.insert(OrderItem, {"order_id": ident, "product_id": product["id"], "name": product["name"],
                                       "quantity": quantity, "unit_price": product["price"]})
        world.store.update(Product, product["id"], {"stock": product["stock"] - quantity})
    what = ", ".join(f"{q} x {p['name']}" for p, q in lines)
    carrier = CARRIERS[ident % len(CARRIERS)]
    shipment = world.call("delivery.create_shipment", {"order_id": ident, "carrier": carrier, "eta": eta,
                                                       "address": values["address"], "sender": STORE,
                                                       "description": what[:200]}, system=True)
    changes = {"number": number, "card_id": txn["card_id"], "transaction_id": txn["id"], "carrier": carrier,
               "tracking": shipment["tracking"]}
    world.store.update(Order, ident, changes)
    from clawgym.worlds.services import mail

    body = "\n".join([f"Thanks for your order {number}!", *(f"- {q} x {p['name']}: ${units(p['price'] * q):,.2f}"
                                                            for p, q in lines),
                      f"Subtotal ${units(subtotal):,.2f}, shipping ${units(shipping):,.2f}, tax ${units(tax):,.2f}",
                      f"Total charged: ${units(total):,.2f}", f"Ships to: {values['address']}",
                      f"Estimated delivery: {eta} by {carrier}, tracking {shipment['tracking']}"])
    mail.deliver(world, ORDERS, f"Your {STORE} order {number}", body)
    return _order({"id": ident, **values, **changes}) | {"items": what}


@operation(APP, "write", example={})
def place_order(world: World, card_id: int | None = None, address: str = "", express: bool = False) -> dict[str, Any]:
    """Buy everything in the cart: charges the card (default card if none), ships to the saved address unless given."""
    lines = _cart_lines(world)
    if not lines:
        raise Forbidden("the cart is empty; add products with shop.add_to_cart first")
    order = _checkout(world, lines, card_id, address, express)
    clear_cart(world)
    return order


@operation(APP, "write", example={"product_id": Pick("shop_product"), "quantity": 1})
def buy_now(world: World, product_id: int, quantity: Quantity = 1, card_id: int | None = None, address: str = "",
            express: bool = False) -> dict[str, Any]:
    """Order one product right away, leaving the cart as it is (same charging and shipping as place_order)."""
    product = world.store.require(Product, product_id, "product")
    return _checkout(world, [(product, quantity)], card_id, address, express)


@operation(APP, "read", example={})
def list_orders(world: World, status: Literal["placed", "shipped", "delivered", "cancelled", "return_requested",
                                              "returned"] | None = None, limit: Limit = 20) -> list[dict[str, Any]]:
    """List orders newest first, optionally only one status."""
    rows = world.store.select(Order, {"status": status} if status else None, order_by="at", desc=True, limit=limit)
    return [_order(r) for r in rows]


@operation(APP, "read", example={"order_id": Pick("shop_order")})
def get_order(world: World, order_id: int) -> dict[str, Any]:
    """Get one order with its items, totals, shipping address, carrier, tracking number and delivery date."""
    row = world.store.require(Order, order_id, "order")
    items = [{"product_id": i["product_id"], "name": i["name"], "quantity": i["quantity"],
              "unit_price": units(i["unit_price"])} for i in world.store.select(OrderItem, {"order_id": order_id})]
    return _order(row) | {"items": items}


@operation(APP, "write", example={"order_id": Pick("shop_order", status="placed")})
def cancel_order(world: World, order_id: int) -> dict[str, Any]:
    """Cancel an order that has not shipped yet: the charge is refunded and the shipment cancelled."""
    row = world.store.require(Order, order_id, "order")
    if row["status"] != "placed":
        hint = "; request a return once it is delivered" if row["status"] == "shipped" else ""
        raise Forbidden(f"order {order_id} is {row['status']}: only orders not yet shipped can be cancelled{hint}")
    from clawgym.worlds.services import delivery, mail

    world.call("bank.refund", {"transaction_id": row["transaction_id"]}, system=True)
    shipment = delivery.shipment_for_order(world, order_id)
    if shipment is not None:
        world.call("delivery.cancel_shipment", {"shipment_id": shipment["id"]}, system=True)
    for item in world.store.select(OrderItem, {"order_id": order_id}):
        product = world.store.require(Product, item["product_id"], "product")
        world.store.update(Product, product["id"], {"stock": product["stock"] + item["quantity"]})
    changes = {"status": "cancelled", "cancelled_at": world.iso_now()}
    world.store.update(Order, order_id, changes)
    mail.deliver(world, ORDERS, f"Order {row['number']} cancelled",
                 f"Your order {row['number']} was cancelled. ${units(row['total']):,.2f} will be refunded to your "
                 "card.")
    return _order({**row, **changes})


@operation(APP, "write", example={"order_id": Pick("shop_order", status="delivered"), "reason": "It does not fit"})
def request_return(world: World, order_id: int, reason: Annotated[str, Arg(min_length=3, max_length=300)],
                   product_ids: list[int] = []) -> dict[str, Any]:  # noqa: B006 - pydantic copies defaults
    """Return a delivered order within 30 days of delivery: all items, or only product_ids. Refund once received."""
    row = world.store.require(Order, order_id, "order")
    if row["status"] != "delivered":
        raise Forbidden(f"order {order_id} is {row['status']}: only delivered orders can be returned")
    closes = _return_by(row)
    if world.iso_now()[:10] > closes:
        raise Forbidden(f"order {order_id} was delivered on {row['delivered_at'][:10]}; its return window closed "
                        f"on {closes}")
    items = world.store.select(OrderItem, {"order_id": order_id})
    unknown = [p for p in product_ids if p not in {i["product_id"] for i in items}]
    if unknown:
        raise InvalidArguments(f"field 'product_ids': {unknown} are not in order {order_id}; it has "
                               f"{[i['product_id'] for i in items]}")
    chosen = [i for i in items if not product_ids or i["product_id"] in product_ids]
    value = sum(i["unit_price"] * i["quantity"] for i in chosen)
    refund = value + round(row["tax"] * value / row["subtotal"]) if row["subtotal"] else value
    values = {"order_id": order_id, "at": world.iso_now(), "reason": reason, "refund": refund, "status": "requested",
              "items": [{"product_id": i["product_id"], "name": i["name"], "quantity": i["quantity"]} for i in chosen],
              "label": "", "refunded_at": "", "refund_transaction_id": None}
    ident = world.store.insert(Return, values)
    values["label"] = f"RMA-{ident + 5000:06d}"
    world.store.update(Return, ident, {"label": values["label"]})
    world.store.update(Order, order_id, {"status": "return_requested"})
    from clawgym.worlds.services import mail

    mail.deliver(world, ORDERS, f"Return label for order {row['number']}",
                 f"Print your return label {values['label']} and drop the parcel at any {row['carrier']} location. "
                 f"We refund ${units(refund):,.2f} once it reaches us.")
    return _return({"id": ident, **values})


@operation(APP, "read", example={})
def list_returns(world: World, status: Literal["requested", "refunded"] | None = None) -> list[dict[str, Any]]:
    """List return requests with their label, items, refund amount and status, newest first."""
    rows = world.store.select(Return, {"status": status} if status else None, order_by="at", desc=True)
    return [_return(r) for r in rows]


@operation(APP, "write", example={"product_id": Pick("shop_product"), "rating": 5, "text": "Works great"})
def write_review(world: World, product_id: int, rating: Annotated[int, Arg(ge=1, le=5)],
                 text: Annotated[str, Arg(max_length=2000)] = "") -> dict[str, Any]:
    """Rate a product 1 to 5 stars with an optional text; a second review of the same product replaces the first."""
    product = world.store.require(Product, product_id, "product")
    bought = world.store.select(OrderItem, {"product_id": product_id}, limit=1)
    values = {"product_id": product_id, "at": world.iso_now(), "rating": rating, "text": text, "verified": bool(bought)}
    mine = world.store.select(Review, {"product_id": product_id}, limit=1)
    n, avg = product["reviews"], product["rating"]
    if mine:
        ident = mine[0]["id"]
        world.store.update(Review, ident, values)
        avg = round(avg + (rating - mine[0]["rating"]) / max(n, 1), 2)
    else:
        ident = world.store.insert(Review, values)
        n, avg = n + 1, round((avg * n + rating) / (n + 1), 2)
    world.store.update(Product, product_id, {"reviews": n, "rating": avg})
    return {"id": ident, **values}


# -- what the world does --------------------------------------------------------------------
@operation(APP, "write", system=True, example={"name": "Acme Travel Mug", "category": "kitchen", "price": 19.99})
def add_product(world: World, name: Annotated[str, Arg(min_length=2)], category: Category,
                price: Annotated[float, Arg(gt=0, le=100_000)], brand: str = "", stock: Annotated[int, Arg(ge=0)] = 20,
                rating: Annotated[float, Arg(ge=0, le=5)] = 0, reviews: Annotated[int, Arg(ge=0)] = 0,
                description: str = "") -> dict[str, Any]:
    """The store lists a new product."""
    values = {"sku": "", "name": name, "brand": brand, "category": category, "price": cents(price, "price"),
              "stock": stock, "rating": rating, "reviews": reviews, "description": description}
    ident = world.store.insert(Product, values)
    values["sku"] = f"{category[:3].upper()}-{ident:05d}"
    world.store.update(Product, ident, {"sku": values["sku"]})
    return _product({"id": ident, **values}, full=True)


@operation(APP, "write", system=True, example={"product_id": Pick("shop_product"), "price": 24.99})
def update_price(world: World, product_id: int, price: Annotated[float, Arg(gt=0, le=100_000)]) -> dict[str, Any]:
    """The store changes a product's price."""
    if not world.store.update_where(Product, {"id": product_id}, {"price": cents(price, "price")}):
        raise NotFound("product", product_id)
    return {"id": product_id, "price": price}


@operation(APP, "write", system=True, example={"product_id": Pick("shop_product"), "quantity": 10})
def restock(world: World, product_id: int, quantity: Annotated[int, Arg(ge=1, le=10_000)]) -> dict[str, Any]:
    """The store receives more units of a product."""
    row = world.store.require(Product, product_id, "product")
    world.store.update(Product, product_id, {"stock": row["stock"] + quantity})
    return _product({**row, "stock": row["stock"] + quantity}, full=True)


@operation(APP, "write", system=True, example={"return_id": Pick("shop_return", status="requested")})
def complete_return(world: World, return_id: int) -> dict[str, Any]:
    """A returned parcel reaches the store: the items go back in stock and the refund goes to the card."""
    row = world.store.require(Return, return_id, "return")
    if row["status"] != "requested":
        raise Forbidden(f"return {return_id} is already {row['status']}")
    order = world.store.require(Order, row["order_id"], "order")
    txn = world.call("bank.refund", {"transaction_id": order["transaction_id"], "amount": units(row["refund"])},
                     system=True)
    for item in row["items"]:
        product = world.store.require(Product, item["product_id"], "product")
        world.store.update(Product, product["id"], {"stock": product["stock"] + item["quantity"]})
    changes = {"status": "refunded", "refunded_at": world.iso_now(), "refund_transaction_id": txn["id"]}
    world.store.update(Return, return_id, changes)
    world.store.update(Order, order["id"], {"status": "returned"})
    return _return({**row, **changes})
