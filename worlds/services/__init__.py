"""Services of the assistant world; each module holds its tables and operations.

Each service's planners live in ``clawgym.worlds.history.<name>``. Importing this package imports every service
module and, right after it, its history module, so it registers every operation, table and planner.
"""

from __future__ import annotations

import importlib

# name -> one line for people and agents; the order is the order planners run within a round.
SERVICES: dict[str, str] = {
    "contacts": "the user's address book",
    "mail": "email: inbox, sent mail, folders",
    "calendar": "events, invitations and availability",
    "messages": "chat and SMS conversations",
    "files": "the user's home directory: documents, downloads, photos",
    "notes": "notes and notebooks",
    "reminders": "reminders, to-do lists and alarms",
    "bank": "accounts, cards, transactions, transfers and bills",
    "shop": "catalog, cart, orders and returns",
    "delivery": "shipments and their tracking events",
    "travel": "flights, hotels, bookings and changes",
    "health": "activity, workouts, medications and appointments",
    "home": "smart home devices and scenes",
    "subscriptions": "recurring services and their plans",
    "notifications": "notifications shown on the user's devices",
}

for _name in SERVICES:
    # A service or history module that does not exist is skipped; an import failing inside one is not.
    for _module in (f"clawgym.worlds.services.{_name}", f"clawgym.worlds.history.{_name}"):
        try:
            importlib.import_module(_module)
        except ModuleNotFoundError as exc:
            if exc.name != _module:
                raise
