"""The memory family: a person's history of dated conversations in which later facts silently supersede earlier
ones, probed for state resolution, premise resistance and acting on the updated state.

Services: the journal (the history, searched in the ``tools`` presentation), the notebook (the agent's own
bounded memory, for the ``stream`` presentation) and errands (actions whose target must be the current value).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clawgym.worlds.family import Family

if TYPE_CHECKING:
    from clawgym.worlds.world import World

SERVICES: dict[str, str] = {
    "journal": "the user's past conversations with their assistant, one dated session each",
    "notebook": "the assistant's own notes: at most 40, kept on its own judgement",
    "errands": "orders, texts, reminders and emails done for the user",
}


def intro(world: World) -> str:
    user = world.persona.user
    return (f"You are the long-term assistant of {user.name}. It is {world.iso_now()}. People's circumstances "
            "change: a later conversation can make an earlier fact out of date without saying so.")


FAMILY = Family(
    name="memory",
    title="Memory",
    description="long histories of conversations whose later facts silently supersede earlier ones",
    services=SERVICES,
    modules=("clawgym.worlds.memory.journal", "clawgym.worlds.memory.notebook", "clawgym.worlds.memory.errands"),
    builder="clawgym.worlds.memory.build:build_world",
    env="clawgym.envs.memory:make_memory",
    intro=intro,
    profile="clawgym.worlds.persona:persona_of",
)
