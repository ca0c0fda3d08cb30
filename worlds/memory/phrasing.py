"""The generic sentences around a topic's own phrasings: openers, acknowledgements, bystanders and repeats.

None of them ever says that something changed: whether a change happened is carried only by the topic sentence,
so an agent cannot learn "the assistant said 'noted'" as a shortcut for "this was an update".
"""

from __future__ import annotations

# each ends a sentence or a colon, so the key sentence after it keeps its capital letter
OPENERS = (
    "", "", "", "Morning!", "Quick one.", "Long day, but a good one.", "Okay, so.", "Random aside:", "Before I forget:",
    "Ha, anyway.", "Small thing:", "Evening!",
)
# what the assistant answers, per role; an explicit update gets the same bland replies as an implicit one
ACKS: dict[str, tuple[str, ...]] = {
    "establish": ("Good to know.", "Thanks for telling me.", "That sounds nice.", "Got it.", "Lovely, thanks!"),
    "update": ("Thanks, good to know.", "Got it.", "Sounds like a full day!", "Nice one.", "Glad that went smoothly."),
    "dependent_update": ("Sounds like a full day!", "Ha, nice.", "Glad that went smoothly.", "That sounds lovely."),
    "past_mention": ("Ha, those were the days.", "Sounds like quite a memory.", "Funny how things stick with you."),
    "namesake": ("Small world!", "Ha, what a coincidence.", "Interesting!"),
    "third_party": ("Good for them.", "Sounds like a big change for them.", "Interesting, thanks for sharing."),
    "control_mention": ("Nice.", "Good to hear.", "Sounds good.", "Got it."),
}
# a repeat mentions the value as still current; it never implies that it could have changed
REPEATS = (
    "Nothing new on my end; {subject} is {v}, same as always.",
    "For the form I'm filling in: {subject} is {v}.",
    "Reminder to self: {subject} is {v}.",
    "Still very happy with {subject}, {v}.",
)
NAMESAKES = (
    "Funny coincidence: my {rel} {who} said their {label} is {v}.",
    "My {rel} {who} was telling me about their {label}, {v}. Small world.",
    "I helped my {rel} {who} fill in a form; their {label} is {v}.",
)
THIRD_PARTIES = (
    "My {rel} {who} just told me their {label} changed from {a} to {b}.",
    "Big news from my {rel} {who}: their {label} is now {b} instead of {a}.",
    "My {rel} {who} finally sorted out their {label}: it went from {a} to {b}.",
)
