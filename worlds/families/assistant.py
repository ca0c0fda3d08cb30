"""The assistant family: one person's digital life across fifteen interdependent services.

Each service's tables and operations live in ``clawgym.worlds.services.<name>``, its planners in
``clawgym.worlds.history.<name>``; the builder is multi-round event injection (``clawgym.worlds.injection``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clawgym.worlds.family import Family

if TYPE_CHECKING:
    from clawgym.worlds.world import World

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
_WITHOUT_HISTORY = {"notifications"}  # notifications are made by the other services' operations


def intro(world: World) -> str:
    user = world.persona.user
    return f"You are the digital assistant of {user.name} ({user.email}). It is {world.iso_now()}."


FAMILY = Family(
    name="assistant",
    title="Assistant",
    description="a person's digital life: mail, calendar, messages, files, money, shopping, travel, health, home",
    services=SERVICES,
    modules=tuple(
        module
        for name in SERVICES
        for module in (f"clawgym.worlds.services.{name}",
                       *(() if name in _WITHOUT_HISTORY else (f"clawgym.worlds.history.{name}",)))
    ),
    builder="clawgym.worlds.injection:build_world",
    env="clawgym.envs.assistant:make_assistant",
    intro=intro,
    profile="clawgym.worlds.persona:persona_of",
)
