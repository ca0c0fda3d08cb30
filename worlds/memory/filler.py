"""Everyday filler sessions (recipes, weather, work banter, travel...) that pad a history to a target length.

Filler never states a topic value: it has no digits, names, weekdays, places or shops, so every value found in a
context came from a scenario session.

>>> from datetime import date
>>> from itertools import islice
>>> [s.role for s in islice(filler(0, date(2025, 1, 1), 3), 2)]
['filler', 'filler']
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from clawgym.worlds.memory.session import Session, window_of

# theme -> (titles, questions, answer sentences, slot words); "{x}" in a question or answer takes a slot word
_THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "recipes": (
        ("Dinner ideas", "Cooking question", "What to make tonight", "Baking help"),
        ("How do I make a good {x} without it going soggy?", "Any tips for a quick {x} on a busy evening?",
         "What can I swap in if I run out of butter for a {x}?", "Why does my {x} always come out bland?"),
        ("Start with a hot pan and resist the urge to move things around too early.",
         "Salt in stages rather than all at the end; it seasons the food rather than the surface.",
         "A splash of acid, like lemon juice or vinegar, wakes up most savoury dishes.",
         "Toasting spices in a dry pan for a minute brings out far more aroma.",
         "Let the dough rest; the gluten relaxes and it rolls out without shrinking back.",
         "If it tastes flat, it usually needs salt; if it tastes heavy, it usually needs acid.",
         "Roasting at a high heat gives you caramelised edges instead of steamed vegetables.",
         "Keep a jar of stock in the freezer; it turns leftovers into a proper meal.",
         "Fresh herbs go in at the end, hardy herbs like rosemary can go in early.",
         "Pat everything dry before it hits the pan, or it will steam instead of brown."),
        ("risotto", "stir-fry", "frittata", "lentil soup", "pie crust", "banana bread", "curry", "omelette",
         "flatbread", "tomato sauce", "pancake batter", "roast chicken"),
    ),
    "weather": (
        ("Weather check", "Rain again", "Forecast chat", "Layers or not"),
        ("Should I bring a jacket if it looks like {x} later?", "How do forecasters decide when to call for {x}?",
         "Is it safe to cycle in {x}?", "What should I wear for a walk in {x}?"),
        ("Layers beat one heavy coat; you can shed them as the day warms up.",
         "A light waterproof shell packs small and saves a lot of misery.",
         "Wind makes it feel far colder than the thermometer says, so plan for the feel, not the number.",
         "Forecasts are probabilities: a forty percent chance means it rains on some of the days that look like this.",
         "Clear nights cool down quickly because there is no cloud to hold the warmth in.",
         "Wet leaves and painted road markings get slippery, so brake earlier than usual.",
         "Sun cream still matters on cloudy days; most of the light gets through.",
         "Check the hourly view rather than the daily icon; the icon hides a lot of detail."),
        ("drizzle", "a heatwave", "fog", "sleet", "strong wind", "thunderstorms", "light snow", "a cold snap"),
    ),
    "work": (
        ("Work banter", "Meeting overload", "Inbox triage", "Quick work question"),
        ("How do I politely decline a meeting about {x}?", "Any tricks for staying focused during {x}?",
         "What is a good way to run a short retro on {x}?", "How should I summarise {x} for leadership?"),
        ("Ask what decision the meeting needs to make; if there is none, an update by message may do.",
         "Block out deep work in the calendar the same way you would a meeting.",
         "Lead with the conclusion, then the evidence, then what you need from the reader.",
         "A shared agenda sent the day before makes meetings shorter almost every time.",
         "Batch email into two or three windows instead of reacting to every notification.",
         "Write down the next action for each task; vague tasks are the ones that linger.",
         "When a thread goes back and forth more than twice, a short call usually settles it.",
         "End each meeting by reading back who owns which action."),
        ("the budget review", "a product launch", "quarterly planning", "the migration project", "hiring",
         "an incident review", "the roadmap", "a vendor contract"),
    ),
    "travel": (
        ("Travel questions", "Packing list", "Trip planning", "Jet lag"),
        ("What should I pack for {x}?", "How early should I get to the airport for {x}?",
         "Any tips for sleeping well during {x}?", "How do I keep costs down on {x}?"),
        ("Roll clothes instead of folding them; they take less space and crease less.",
         "Keep medicine, chargers and a change of clothes in your carry-on.",
         "Shift your sleep by an hour a day before a long trip if you can.",
         "Booking refundable fares costs a little more but buys a lot of flexibility.",
         "A photo of your passport stored offline can save a lot of trouble.",
         "Drink water on the flight and go easy on coffee to help with jet lag.",
         "Local markets are a good way to eat well without restaurant prices.",
         "Pack a small reusable bag; it is useful for everything from snacks to laundry."),
        ("a beach holiday", "a ski trip", "a long-haul flight", "a camping weekend", "a city break",
         "a work conference", "a road trip", "a hiking holiday"),
    ),
    "garden": (
        ("Garden help", "Houseplants", "Balcony pots", "Compost question"),
        ("Why are the leaves on my {x} turning yellow?", "How often should I water a {x}?",
         "When is the best time to repot a {x}?", "Can a {x} survive on a shady windowsill?"),
        ("Yellow leaves usually mean too much water rather than too little.",
         "Water deeply and less often, so the roots grow down instead of staying at the surface.",
         "Terracotta pots dry out faster than plastic ones, which suits plants that hate wet feet.",
         "Most houseplants rest in the darker months and need far less water then.",
         "A layer of mulch keeps moisture in and weeds down.",
         "Repot when roots circle the bottom of the pot, going up only one size.",
         "Compost needs a mix of greens and browns; too many greens and it turns slimy.",
         "Turn pots a quarter every week so plants do not lean towards the light."),
        ("fern", "snake plant", "tomato plant", "basil pot", "lemon tree", "peace lily", "rubber plant",
         "lavender bush"),
    ),
    "books": (
        ("Book chat", "Reading list", "Film night", "What to watch"),
        ("Can you recommend something like {x}?", "Why do I keep abandoning {x} halfway through?",
         "What makes {x} feel satisfying at the end?", "How do I pick {x} I will actually finish?"),
        ("It is fine to stop a book you are not enjoying; life is short and the pile is long.",
         "Short stories are a good way back into reading when attention is scattered.",
         "A satisfying ending usually pays off something planted early on.",
         "Audiobooks count, and they fit into chores and walks.",
         "Reading a few pages before bed builds the habit better than long weekend sessions.",
         "Reviews from people whose taste you share beat bestseller lists.",
         "Rewatching an old favourite can be as restful as something new.",
         "A library card is the cheapest way to try a genre without committing."),
        ("a mystery novel", "a space opera", "a memoir", "a historical drama", "a romantic comedy",
         "a graphic novel", "a nature documentary", "a fantasy series"),
    ),
    "tech": (
        ("Laptop trouble", "Tech help", "Phone settings", "Backup question"),
        ("My {x} is really slow lately; what should I check first?", "How do I back up my {x} properly?",
         "Is it worth updating the software on my {x} right away?", "Why does my {x} drain its battery so fast?"),
        ("Restarting clears out a surprising number of problems, so try that first.",
         "Check which apps run at start-up; many of them do not need to.",
         "Keep one backup at home and one somewhere else, and test restoring from it.",
         "Security updates are worth installing promptly; feature updates can wait a week.",
         "Screen brightness and background refresh are the usual battery hogs.",
         "A password manager makes unique passwords painless.",
         "Free disk space matters; a nearly full drive slows everything down.",
         "Turn on two-factor sign-in for email first, since it resets everything else."),
        ("laptop", "tablet", "old phone", "smart watch", "printer", "router", "e-reader", "desktop computer"),
    ),
    "fitness": (
        ("Training question", "Sore legs", "Stretching", "Motivation"),
        ("How do I ease back into {x} after a break?", "Is it normal to feel sore after {x}?",
         "What should I eat before {x}?", "How do I stay motivated to keep up {x}?"),
        ("Build up gradually; adding a little each week beats one heroic session.",
         "Soreness a day or two later is normal; sharp pain is a reason to stop.",
         "A small snack with some carbohydrate an hour before works for most people.",
         "Sleep does more for recovery than any supplement.",
         "Pair the habit with something you already do, like right after the morning coffee.",
         "Warm up with easy movement before stretching, not the other way round.",
         "Tracking how you feel is often more useful than tracking numbers.",
         "Rest days are part of training, not a break from it."),
        ("jogging", "strength training", "long walks", "cycling", "swimming laps", "stretching routines",
         "rowing", "skipping rope"),
    ),
    "home": (
        ("Household chores", "Cleaning tips", "Small repairs", "Saving energy"),
        ("What is the best way to get rid of {x}?", "How often should I deal with {x}?",
         "Is there a cheap fix for {x}?", "How do I stop {x} coming back?"),
        ("Bicarbonate of soda and a little vinegar shift most stubborn marks.",
         "Open the windows for ten minutes a day to keep condensation down.",
         "A draught excluder is a cheap way to keep a room noticeably warmer.",
         "Bleed the radiators at the start of the cold season.",
         "Descale the kettle now and then; it boils faster afterwards.",
         "Wash the shower curtain in the machine rather than scrubbing it.",
         "Turn the fridge down a notch if the milk keeps freezing.",
         "Label the fuse box once; future you will be grateful."),
        ("limescale", "mould in the bathroom", "a dripping tap", "squeaky hinges", "fruit flies",
         "a draughty window", "a blocked sink", "dusty blinds"),
    ),
    "language": (
        ("Word question", "Grammar check", "Writing help", "Usage question"),
        ("What is the difference between {x}?", "How do I remember the difference between {x}?",
         "Is it wrong to mix up {x}?", "Do editors still care about {x}?"),
        ("Most style guides care more about consistency than about one rule.",
         "Reading a sentence out loud is the quickest way to catch a clumsy one.",
         "A short memory trick, repeated a few times, usually settles a pair like that for good.",
         "Short words usually beat long ones when the meaning is the same.",
         "The rule you learned at school was often a simplification of a looser habit.",
         "Dictionaries describe how people use words; they follow usage rather than lead it.",
         "Active voice tends to be clearer, but passive voice has its uses.",
         "Cutting the first paragraph of a draft often improves it."),
        ("affect and effect", "fewer and less", "who and whom", "that and which", "lay and lie",
         "farther and further", "its and it's", "compose and comprise"),
    ),
}
_THEME_NAMES = tuple(_THEMES)
# a quarter of filler gets the plain titles scenario sessions use too, so a title never marks a session as a key one
PLAIN_TITLES = ("Catching up", "Quick update", "A few things", "Morning chat", "Evening check-in", "Random thoughts",
                "Weekend recap", "Life admin", "Busy week", "Quick question")


def _exchange(rng: random.Random, theme: str) -> list[tuple[str, str]]:
    _, questions, answers, slots = _THEMES[theme]
    question = rng.choice(questions).replace("{x}", rng.choice(slots))
    answer = " ".join(rng.sample(answers, rng.randint(3, 6)))
    return [("user", question), ("assistant", answer)]


def small_talk(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """One everyday exchange and a title that fits it; scenario sessions wrap their key sentence in these."""
    theme = rng.choice(_THEME_NAMES)
    return rng.choice(_THEMES[theme][0]), _exchange(rng, theme)


def filler(seed: int, start: date, months: int) -> Iterator[Session]:
    """An endless, seeded stream of everyday sessions, each dated somewhere in ``[start, start + months]``.

    The dates are independent draws, not sorted: ``render_context`` re-dates the filler it uses.
    """
    origin, end = window_of(start, months)
    rng = random.Random(f"memory-filler:{seed}:{start.isoformat()}:{months}")
    span_minutes = (end - origin) // timedelta(minutes=1)
    while True:
        theme = rng.choice(_THEME_NAMES)
        turns: list[tuple[str, str]] = []
        for _ in range(rng.randint(1, 3)):
            turns.extend(_exchange(rng, theme))
        at = origin + timedelta(minutes=rng.randrange(span_minutes))
        title = rng.choice(PLAIN_TITLES) if rng.random() < 0.25 else rng.choice(_THEMES[theme][0])
        yield Session(at, title, tuple(turns), "filler")
