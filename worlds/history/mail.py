"""History of mail: the planners of the routine, seed, noise and conflict rounds."""

from __future__ import annotations

from datetime import timedelta

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.mail import APP

_NEWSLETTERS = [("news@dailybrief.com", "Your morning brief"), ("deals@shopnow.com", "This week's deals"),
                ("digest@techweekly.io", "Tech Weekly digest"), ("hello@recipes.club", "5 dinners for this week"),
                ("updates@runclub.org", "Run club update")]
_WORK_TOPICS = ["Q{q} roadmap", "status update", "design review notes", "budget sign-off", "hiring loop feedback",
                "customer escalation", "sprint retro", "release checklist", "offsite planning", "incident follow-up"]


@planner(APP, "routine")
def newsletters(ctx: PlanContext) -> None:
    for day in ctx.days():
        for sender, subject in _NEWSLETTERS:
            if ctx.rng.random() < 0.6 * ctx.density:
                ctx.add(ctx.at(day, 6, ctx.rng.randrange(60)), "mail.receive",
                        {"sender": sender, "subject": f"{subject} - {day:%b %d}", "body": ctx.paragraph(4)})


@planner(APP, "routine")
def work_mail(ctx: PlanContext) -> None:
    colleagues = ctx.people("colleague")
    for day in ctx.days(weekdays_only=True):
        for _ in range(ctx.rng.randint(5, 12) if ctx.density >= 1 else ctx.scaled(4)):
            who = ctx.rng.choice(colleagues)
            topic = ctx.rng.choice(_WORK_TOPICS).format(q=(day.month - 1) // 3 + 1)
            at = ctx.at(day, ctx.rng.randint(8, 17), ctx.rng.randrange(60))
            first = ctx.add(at, "mail.receive", {"sender": who.email, "subject": topic,
                                                 "body": f"Hi {ctx.persona.user.first},\n\n{ctx.paragraph(3)}\n\n{who.first}"})
            if ctx.rng.random() < 0.35:
                ctx.add(at + timedelta(minutes=ctx.rng.randint(5, 90)), "mail.reply",
                        {"email_id": ctx.ref(first), "body": f"Thanks {who.first}, {ctx.sentence()}"}, actor="user")
            elif ctx.rng.random() < 0.05:
                ctx.add(at + timedelta(minutes=ctx.rng.randint(5, 90)), "mail.draft",
                        {"to": [who.email], "subject": f"Re: {topic}", "body": ctx.sentence()}, actor="user")


_AUTOMATED = [("security@accounts.example.com", "New sign-in to your account", "A new sign-in from {place}."),
              ("notifications@socialhub.com", "You have {n} new notifications", "See what your friends shared."),
              ("no-reply@cloudphotos.com", "Your memories from this week", "{n} photos were added to albums."),
              ("calendar-noreply@workspace.com", "Daily agenda", "You have {n} events today.")]


@planner(APP, "routine")
def automated_mail(ctx: PlanContext) -> None:
    """Sign-in alerts, social digests, photo memories, agendas: the inbox's background hum."""
    for day in ctx.days():
        for sender, subject, body in _AUTOMATED:
            if ctx.rng.random() < 0.55 * ctx.density:
                n = ctx.rng.randint(2, 14)
                ctx.add(ctx.at(day, ctx.rng.randint(7, 21), ctx.rng.randrange(60)), "mail.receive",
                        {"sender": sender, "subject": subject.format(n=n),
                         "body": body.format(n=n, place=ctx.persona.user.city)})


@planner(APP, "routine")
def personal_mail(ctx: PlanContext) -> None:
    """Friends and family write now and then; the user answers about half the time."""
    close = ctx.people("family", "friend")
    for day in ctx.days():
        for _ in range(ctx.rng.choice([0, 1, 1, 2, 3]) if ctx.density >= 1 else ctx.rng.choice([0, 1])):
            who = ctx.rng.choice(close)
            at = ctx.at(day, ctx.rng.randint(8, 22), ctx.rng.randrange(60))
            first = ctx.add(at, "mail.receive", {"sender": who.email, "subject": ctx.sentence()[:40].rstrip(". "),
                                                 "body": f"Hi {ctx.persona.user.first}!\n\n{ctx.paragraph(2)}\n\n{who.first}"})
            if ctx.rng.random() < 0.5 and at.hour < 22:
                ctx.add(at + timedelta(minutes=ctx.rng.randint(10, 120)), "mail.reply",
                        {"email_id": ctx.ref(first), "body": ctx.paragraph(2)}, actor="user")


@planner(APP, "seed")
def registration_code(ctx: PlanContext) -> None:
    """A conference registration with a code the user will be asked for."""
    at = ctx.random_time(before=ctx.start + (ctx.end - ctx.start) / 2)
    code = f"{ctx.fake.lexify('???').upper()}-{ctx.rng.randint(1000, 9999)}"
    conf = f"{ctx.fake.word().title()}Conf {at.year}"
    e = ctx.add(at, "mail.receive", {"sender": "registration@" + conf.split()[0].lower() + ".org",
                                     "subject": f"Your {conf} registration",
                                     "body": f"Welcome! Your registration code is {code}. Bring it to the front desk."},
                note="seed: conference registration code")
    ctx.fact("mail.registration_code", e, table="email", field="body", value=code,
             description=f"registration code for {conf}")


@planner(APP, "noise")
def near_miss_codes(ctx: PlanContext) -> None:
    """Emails with codes that look like the registration code but belong to other things."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "mail.registration_code":
            continue
        for label in ("Your parking permit", "Your webinar access"):
            code = f"{ctx.fake.lexify('???').upper()}-{ctx.rng.randint(1000, 9999)}"
            e = ctx.add(ctx.random_time(), "mail.receive", {"sender": "no-reply@events-hub.com", "subject": label,
                                                            "body": f"Your code is {code}."})
            ctx.fact(f"noise.{seed.key}", e, table="email", field="body", value=code, near=seed.key)


@planner(APP, "conflict")
def corrected_code(ctx: PlanContext) -> None:
    """The organizer corrects the registration code later, explicitly."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "mail.registration_code":
            continue
        new_code = f"{ctx.fake.lexify('???').upper()}-{ctx.rng.randint(1000, 9999)}"
        at = ctx.random_time(after=seed.at + timedelta(days=3))
        e = ctx.add(at, "mail.receive", {"sender": "registration@updates.org", "subject": "Correction: registration code",
                                         "body": f"Apologies, the code we sent was wrong. Your correct code is {new_code}."})
        ctx.supersede(seed, e, value=new_code, explicit=True, description="registration code corrected by the organizer")
