"""History of messages: the planners of the setup, routine, seed, noise and conflict rounds."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.messages import APP

if TYPE_CHECKING:
    from clawgym.worlds.persona import Person


_CASUAL = ["ok", "Sounds good!", "On my way", "haha yes", "Can you call me later?", "Running 10 min late",
           "Did you see this?", "lol", "Thanks!", "Love it", "What time works for you?",
           "Let me check and get back to you", "Sure thing", "Miss you!", "How was your day?", "Just got home",
           "Yes please", "No worries", "Talk tomorrow?",
           "👍", "Good morning!", "Any plans this weekend?", "That's hilarious", "I'll bring snacks", "Call you in 5",
           "Happy Friday!", "Can't wait", "Where are you?", "Almost there", "Let's do it"]
_GROUPS = (("Family", "family"), ("Weekend crew", "friend"), ("Team", "colleague"))
_NEW_SPOTS = [("Ember & Oak", "wood-fired", "short rib"), ("Tamarind Table", "Thai", "khao soi"),
              ("Casa Azul", "Oaxacan", "mole"), ("Koji Counter", "Japanese", "omakase"),
              ("Fennel & Fig", "Mediterranean", "lamb")]
_OLD_SPOTS = [("Rusty Anchor", "seafood"), ("Maple Diner", "brunch"), ("Pho Corner", "Vietnamese"),
              ("Brick Oven Co.", "pizza")]


def _text(ctx: PlanContext) -> str:
    return ctx.rng.choice(_CASUAL) if ctx.rng.random() < 0.55 else ctx.sentence()


def _phone_changer(ctx: PlanContext) -> Person:
    """The friend who will text from a new number (kept out of routine chats so the old number never reappears)."""
    return ctx.people("friend")[9]


def _group_members(ctx: PlanContext, relation: str) -> list[Person]:
    people = ctx.people(relation)
    if relation == "family":
        return [p for p in people if p.role in ("mother", "father", "sister", "brother")]
    if relation == "friend":
        return people[2:7]
    return [p for p in people if p.role in ("manager", "teammate", "designer")]


@planner(APP, "setup")
def group_chats(ctx: PlanContext) -> None:
    """The family, friends and team group conversations the user started."""
    for i, (name, relation) in enumerate(_GROUPS):
        ctx.add(ctx.start + timedelta(minutes=1 + i), "messages.create_group",
                {"name": name, "members": [p.phone for p in _group_members(ctx, relation)]}, actor="user")


@planner(APP, "routine")
def chats(ctx: PlanContext) -> None:
    """One-to-one conversations with family, friends and colleagues (about 50 messages a day)."""
    changer = _phone_changer(ctx)
    family, colleagues = ctx.people("family"), ctx.people("colleague")
    friends = [p for p in ctx.people("friend") if p is not changer]
    for day in ctx.days():
        for _ in range(ctx.scaled(ctx.rng.randint(8, 12))):
            pool = ctx.rng.choice([family, friends, friends, colleagues] if day.weekday() < 5 else [family, friends])
            who = ctx.rng.choice(pool)
            t = ctx.at(day, ctx.rng.randint(7, 22), ctx.rng.randrange(60))
            theirs = ctx.rng.random() < 0.65
            for _ in range(ctx.rng.randint(2, 8)):
                if t > ctx.end:
                    break
                if theirs:
                    ctx.add(t, "messages.receive", {"sender": who.phone, "text": _text(ctx)})
                else:
                    ctx.add(t, "messages.send", {"to": [who.phone], "text": _text(ctx)}, actor="user")
                theirs = not theirs if ctx.rng.random() < 0.75 else theirs
                t += timedelta(minutes=ctx.rng.randint(1, 20))


@planner(APP, "routine")
def group_talk(ctx: PlanContext) -> None:
    """Bursts of group messages (the team's on weekdays), with the user chiming in."""
    groups = {e.args["name"]: e for e in ctx.planned if e.op == "messages.create_group"}
    for day in ctx.days():
        for name, relation in _GROUPS:
            if name not in groups or (relation == "colleague" and day.weekday() >= 5):
                continue
            members = _group_members(ctx, relation)
            bursts = {"family": 2, "friend": 3 if day.weekday() >= 4 else 2, "colleague": 3}[relation]
            for _ in range(ctx.scaled(bursts)):
                t = ctx.at(day, ctx.rng.randint(8, 21), ctx.rng.randrange(60))
                for _ in range(ctx.rng.randint(2, 6)):
                    if t > ctx.end:
                        break
                    if ctx.rng.random() < 0.2:
                        ctx.add(t, "messages.reply", {"thread_id": ctx.ref(groups[name]), "text": _text(ctx)},
                                actor="user")
                    else:
                        ctx.add(t, "messages.receive", {"sender": ctx.rng.choice(members).phone, "text": _text(ctx),
                                                        "thread_id": ctx.ref(groups[name])})
                    t += timedelta(minutes=ctx.rng.randint(1, 15))


@planner(APP, "seed")
def restaurant_tip(ctx: PlanContext) -> None:
    """A friend recommends a new restaurant."""
    friend = ctx.people("friend")[1]
    name, cuisine, dish = ctx.rng.choice(_NEW_SPOTS)
    at = ctx.random_time(after=ctx.start + timedelta(days=1), before=ctx.start + (ctx.end - ctx.start) * 0.6)
    e = ctx.add(at, "messages.receive", {"sender": friend.phone, "text": (
        f"You have to try {name}, the new {cuisine} place on {ctx.fake.street_name()}. Best {dish} I've had in ages!")},
        note="seed: restaurant recommendation")
    ctx.add(at + timedelta(minutes=ctx.rng.randint(3, 40)), "messages.send",
            {"to": [friend.phone], "text": "Ooh adding it to my list, thanks!"}, actor="user")
    ctx.fact("messages.restaurant_recommendation", e, table="message", field="text", value=name,
             description=f"the new restaurant {friend.name} recommended")


@planner(APP, "seed")
def old_number(ctx: PlanContext) -> None:
    """A friend catches up from the number in the address book."""
    friend = _phone_changer(ctx)
    span = ctx.end - ctx.start
    first = None
    for i, text in enumerate([f"Hey {ctx.persona.user.first}! Long time, how have you been?",
                              "We should catch up properly soon", "Saw this and thought of you"]):
        at = ctx.random_time(after=ctx.start + span * (0.05 + 0.12 * i), before=ctx.start + span * (0.15 + 0.12 * i))
        e = ctx.add(at, "messages.receive", {"sender": friend.phone, "text": text})
        ctx.add(at + timedelta(minutes=ctx.rng.randint(4, 50)), "messages.send",
                {"to": [friend.phone], "text": _text(ctx)}, actor="user")
        first = first or e
    assert first is not None
    ctx.fact("messages.friend_phone", first, table="message", field="sender", value=friend.phone,
             description=f"the phone number {friend.name} texts from")


@planner(APP, "noise")
def other_restaurants(ctx: PlanContext) -> None:
    """Other restaurants mentioned by other people: a lukewarm review and a lunch idea."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "messages.restaurant_recommendation":
            continue
        friend, colleague = ctx.people("friend")[4], ctx.rng.choice(ctx.people("colleague"))
        (a, kind_a), (b, kind_b) = ctx.rng.sample(_OLD_SPOTS, 2)
        for who, text, spot in ((friend, f"We went to {a} last night. Honestly overrated {kind_a}", a),
                                (colleague, f"Lunch at {b} tomorrow? Their {kind_b} is decent", b)):
            e = ctx.add(ctx.random_time(), "messages.receive", {"sender": who.phone, "text": text})
            ctx.fact(f"noise.{seed.key}", e, table="message", field="text", value=spot, near=seed.key)


@planner(APP, "conflict")
def new_number(ctx: PlanContext) -> None:
    """The friend texts from a new number, signing with their name; the address book keeps the old one."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "messages.friend_phone":
            continue
        friend = _phone_changer(ctx)
        phone = f"+1-{ctx.rng.randint(201, 989)}-{ctx.rng.randint(200, 999)}-{ctx.rng.randint(1000, 9999)}"
        span = ctx.end - ctx.start
        t = ctx.random_time(after=max(ctx.start + span * 0.55, seed.at + timedelta(days=1)),
                            before=ctx.start + span * 0.7)
        first = None
        for text in [f"Hey {ctx.persona.user.first}! Are you free this weekend? - {friend.first}",
                     f"Also, do you still have my blue jacket? - {friend.first}",
                     f"Ok see you Saturday! - {friend.first}"]:
            e = ctx.add(t, "messages.receive", {"sender": phone, "text": text})
            first = first or e
            ctx.add(t + timedelta(minutes=ctx.rng.randint(5, 60)), "messages.send", {"to": [phone], "text": _text(ctx)},
                    actor="user")
            t += timedelta(days=ctx.rng.randint(1, 3), minutes=ctx.rng.randint(0, 300))
            if t > ctx.end - timedelta(hours=2):
                break
        assert first is not None
        ctx.supersede(seed, first, value=phone, explicit=False, table="message", field="sender",
                      description=f"{friend.name} texts from a new number; the address book still has the old one")
