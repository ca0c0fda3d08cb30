"""History of calendar: the planners of the setup, routine, seed, noise and conflict rounds."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from clawgym.worlds.clock import fmt, parse
from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.calendar import APP, DEFAULT_CALENDARS

_MEETINGS = ["Design review", "Sprint planning", "Roadmap sync", "Customer call", "Hiring debrief", "Budget check-in",
             "Architecture review", "Demo prep", "Retro", "Candidate interview", "Vendor call", "Product sync",
             "Launch readiness", "Metrics review", "Onboarding session", "Incident review"]
_ROOMS = ["Zoom", "Room 3A", "Room 4B", "Main conference room", "Google Meet", "Cafe area"]
_ERRANDS = [("Haircut", 45), ("Grocery run", 60), ("Pick up dry cleaning", 30), ("Farmers market", 90),
            ("Yoga class", 60), ("Book club", 120), ("Volunteer shift", 180), ("Movie night", 150)]
_DINNER_SPOTS = ["The Copper Spoon", "Saffron House", "Juniper & Vine", "Little Lantern", "Olive Tavern",
                 "Velvet Fig", "Harbor Smokehouse", "Golden Noodle Bar"]
_OTHER_SPOTS = ["Blue Oven Trattoria", "Wild Garden Bistro", "Silver Pine Grill", "Smoky Kitchen"]


def _iso(t: datetime) -> str:
    return fmt(t.replace(second=0, microsecond=0))


def _colleague(ctx: PlanContext, role: str) -> Any:
    return next(p for p in ctx.people("colleague") if p.role == role)


def _weekday(t: datetime) -> datetime:
    while t.weekday() >= 5:
        t += timedelta(days=1)
    return t


@planner(APP, "setup")
def calendars(ctx: PlanContext) -> None:
    """The user's calendars, and a weekly 1:1 with the manager for every week of the window."""
    for i, (name, color) in enumerate(zip(DEFAULT_CALENDARS, ["blue", "green", "orange", "purple"])):
        ctx.add(ctx.start + timedelta(seconds=i), "calendar.create_calendar", {"name": name, "color": color},
                actor="user")
    manager, me = _colleague(ctx, "manager"), ctx.persona.user
    day, i = ctx.start, 0
    while day < ctx.end:
        tuesday = day + timedelta(days=(1 - day.weekday()) % 7)
        ctx.add(ctx.start + timedelta(seconds=10 + i), "calendar.create_event", {
            "title": f"1:1 {me.first} / {manager.first}", "start": _iso(tuesday.replace(hour=14)),
            "end": _iso(tuesday.replace(hour=14, minute=30)), "location": "Room 3A", "attendees": [manager.email],
            "calendar": "Work"}, actor="user")
        day, i = tuesday + timedelta(days=7), i + 1


@planner(APP, "routine")
def work_meetings(ctx: PlanContext) -> None:
    """Each week's standups from the manager; colleagues' invitations answered (or not); focus blocks."""
    colleagues = [p for p in ctx.people("colleague") if p.role != "intern"]
    manager = _colleague(ctx, "manager")
    team = [p.email for p in ctx.people("colleague") if p.role in ("teammate", "designer")]
    respond = [("accept", 0.75), ("tentative", 0.08), ("decline", 0.10)]
    for day in ctx.days(weekdays_only=True):
        morning = ctx.at(day, 8, ctx.rng.randrange(30))
        if day.weekday() == 0 or day == ctx.start.date():
            for k in range(5 - day.weekday()):
                slot = ctx.at(day + timedelta(days=k), 9, 30)
                e = ctx.add(morning + timedelta(minutes=k), "calendar.invite", {
                    "organizer": manager.email, "title": "Team standup", "start": _iso(slot),
                    "end": _iso(slot + timedelta(minutes=15)), "location": "Zoom", "attendees": team})
                ctx.add(morning + timedelta(minutes=30 + k), "calendar.respond_to_invite",
                        {"event_id": ctx.ref(e), "response": "accept"}, actor="user")
        for _ in range(ctx.rng.randint(3, 6) if ctx.density >= 1 else ctx.scaled(4)):
            who = ctx.rng.choice(colleagues)
            sent = ctx.at(day, ctx.rng.randint(8, 17), ctx.rng.randrange(60))
            start = _weekday(ctx.at(day, ctx.rng.randint(10, 16), ctx.rng.choice([0, 30]))
                             + timedelta(days=ctx.rng.randint(1, 6)))
            others = [p.email for p in ctx.rng.sample(colleagues, 3) if p is not who][:ctx.rng.randint(0, 2)]
            e = ctx.add(sent, "calendar.invite", {
                "organizer": who.email, "title": ctx.rng.choice(_MEETINGS), "start": _iso(start),
                "end": _iso(start + timedelta(minutes=ctx.rng.choice([30, 45, 60]))),
                "location": ctx.rng.choice(_ROOMS), "attendees": others})
            answer_at = sent + timedelta(minutes=ctx.rng.randint(5, 240))
            r, roll = None, ctx.rng.random()
            for name, p in respond:
                if roll < p:
                    r = name
                    break
                roll -= p
            if r and answer_at <= min(ctx.end, start):
                ctx.add(answer_at, "calendar.respond_to_invite", {"event_id": ctx.ref(e), "response": r}, actor="user")
            if ctx.rng.random() < 0.04 and start - timedelta(hours=2) <= ctx.end:
                ctx.add(ctx.random_time(after=answer_at + timedelta(hours=1), before=start - timedelta(hours=1)),
                        "calendar.organizer_update", {"event_id": ctx.ref(e), "cancelled": True,
                                                      "message": f"Sorry, need to cancel - {ctx.sentence()}"})
        if ctx.rng.random() < 0.5:
            ctx.add(morning + timedelta(minutes=40), "calendar.create_event", {
                "title": "Focus time", "start": _iso(ctx.at(day, 13)), "end": _iso(ctx.at(day, 15)),
                "calendar": "Work"}, actor="user")


@planner(APP, "routine")
def personal_events(ctx: PlanContext) -> None:
    """Gym, family calls, drinks with friends and errands, some with a reminder."""
    friends = ctx.people("friend")[:9]
    mother = next(p for p in ctx.people("family") if p.role == "mother")
    for day in ctx.days():
        plans: list[tuple[str, datetime, int, list[str], str, str]] = []
        if day.weekday() in (0, 2, 4):
            plans.append(("Gym", ctx.at(day, 18, 30), 60, [], "Fitness Club", "Personal"))
        if day.weekday() == 6:
            plans.append((f"Call {mother.first}", ctx.at(day, 17), 30, [], "Phone", "Family"))
        if day.weekday() in (3, 4, 5) and ctx.rng.random() < 0.6:
            f = ctx.rng.choice(friends)
            plans.append((f"Drinks with {f.first}", ctx.at(day, 19, ctx.rng.choice([0, 30])), 120, [f.email],
                          ctx.rng.choice(_OTHER_SPOTS), "Personal"))
        if ctx.rng.random() < 0.35:
            title, minutes = ctx.rng.choice(_ERRANDS)
            hour = ctx.rng.randint(10, 16) if day.weekday() >= 5 else ctx.rng.choice([7, 20])
            plans.append((title, ctx.at(day, hour), minutes, [], "", "Personal"))
        for title, start, minutes, people, place, calendar in plans:
            ahead = timedelta(days=ctx.rng.randint(0, 5), hours=ctx.rng.randint(3, 9))
            made = max(ctx.start + timedelta(minutes=5), start - ahead)
            e = ctx.add(made, "calendar.create_event", {
                "title": title, "start": _iso(start), "end": _iso(start + timedelta(minutes=minutes)),
                "location": place, "attendees": people, "calendar": calendar}, actor="user")
            if ctx.rng.random() < 0.3:
                ctx.add(made + timedelta(minutes=1), "calendar.set_event_reminder",
                        {"event_id": ctx.ref(e), "minutes_before": ctx.rng.choice([15, 30, 60])}, actor="user")


@planner(APP, "seed")
def doctor_appointment(ctx: PlanContext) -> None:
    """The clinic texts a booked annual physical; the user confirms and puts it on the calendar."""
    doctor = f"Dr. {ctx.fake.last_name()}"
    clinic = f"{ctx.fake.last_name()} Family Medicine"
    phone = f"+1-{ctx.rng.randint(201, 989)}-555-{ctx.rng.randint(1000, 9999)}"
    span = ctx.end - ctx.start
    at = ctx.random_time(after=ctx.start + timedelta(days=2), before=ctx.start + span * 0.45)
    hour, minute = ctx.rng.choice([(8, 30), (9, 15), (10, 45), (15, 30), (16, 15)])
    start = _weekday(ctx.at(at.date() + timedelta(days=ctx.rng.randint(8, 20)), hour, minute))
    ctx.add(at, "messages.receive", {"sender": phone, "text": (
        f"Hi {ctx.persona.user.first}, this is {clinic}. You're booked for an annual physical with {doctor} on "
        f"{start:%A %B %d} at {start:%I:%M %p}. Reply C to confirm.")})
    ctx.add(at + timedelta(minutes=7), "messages.send", {"to": [phone], "text": "C"}, actor="user")
    e = ctx.add(at + timedelta(minutes=9), "calendar.create_event", {
        "title": f"Annual physical - {doctor}", "start": fmt(start), "end": fmt(start + timedelta(minutes=45)),
        "location": f"{clinic}, {ctx.rng.randint(100, 999)} {ctx.fake.street_name()}",
        "notes": "Fasting: no food after midnight."}, actor="user", note="seed: doctor appointment")
    ctx.fact("calendar.doctor_appointment", e, table="calendar_event", field="start", value=fmt(start),
             description=f"when the user's annual physical with {doctor} starts")


@planner(APP, "seed")
def dinner_plan(ctx: PlanContext) -> None:
    """A friend proposes dinner at a restaurant; the user agrees and puts it on the calendar."""
    friend = ctx.people("friend")[0]
    spot = ctx.rng.choice(_DINNER_SPOTS)
    span = ctx.end - ctx.start
    at = ctx.random_time(after=ctx.start + span * 0.25, before=ctx.start + span * 0.6, hours=(9, 20))
    hour, minute = (19, ctx.rng.choice([30, 45])) if ctx.rng.random() < 0.5 else (20, 0)
    start = ctx.at(at.date() + timedelta(days=ctx.rng.randint(3, 9)), hour, minute)
    ctx.add(at, "messages.receive", {"sender": friend.phone, "text": (
        f"Dinner at {spot} on {start:%A %b %d} at {start:%-I:%M %p}? I can book a table for two.")})
    ctx.add(at + timedelta(minutes=12), "messages.send", {"to": [friend.phone], "text": "Yes! Book it"}, actor="user")
    ctx.add(at + timedelta(minutes=30), "messages.receive",
            {"sender": friend.phone, "text": "Done, the table is under my name."})
    e = ctx.add(at + timedelta(minutes=33), "calendar.create_event", {
        "title": f"Dinner with {friend.first}", "start": fmt(start), "end": fmt(start + timedelta(hours=2)),
        "location": spot, "attendees": [friend.email]}, actor="user", note="seed: dinner plan")
    ctx.fact("calendar.dinner_time", e, table="calendar_event", field="start", value=fmt(start),
             description=f"when the user's dinner with {friend.name} starts")
    ctx.fact("calendar.dinner_place", e, table="calendar_event", field="location", value=spot,
             description=f"the restaurant of the user's dinner with {friend.name}")


@planner(APP, "seed")
def planning_meeting(ctx: PlanContext) -> None:
    """The manager's quarterly planning review, accepted (later moved); and an invitation due after the window."""
    manager, director = _colleague(ctx, "manager"), _colleague(ctx, "director")
    span = ctx.end - ctx.start
    at = ctx.random_time(after=ctx.start + span * 0.2, before=ctx.start + span * 0.55, hours=(9, 17))
    start = _weekday(ctx.at(at.date() + timedelta(days=ctx.rng.randint(7, 12)), 11))
    quarter = f"Q{(start.month - 1) // 3 + 2 if start.month < 10 else 1}"
    e = ctx.add(at, "calendar.invite", {
        "organizer": manager.email, "title": f"{quarter} planning review", "start": fmt(start),
        "end": fmt(start + timedelta(hours=1)), "location": "Main conference room",
        "attendees": [director.email, *(p.email for p in ctx.people("colleague") if p.role == "teammate")]},
        note="seed: planning review")
    ctx.add(at + timedelta(minutes=ctx.rng.randint(10, 90)), "calendar.respond_to_invite",
            {"event_id": ctx.ref(e), "response": "accept"}, actor="user")
    ctx.fact("calendar.planning_meeting", e, table="calendar_event", field="start", value=fmt(start),
             description=f"when the {quarter} planning review organized by {manager.name} starts")
    later = _weekday(ctx.at(ctx.end.date() + timedelta(days=3), 14))
    ctx.schedule(ctx.end + timedelta(days=1, hours=9, minutes=10), "calendar.invite", {
        "organizer": director.email, "title": "Budget review", "start": fmt(later),
        "end": fmt(later + timedelta(hours=1)), "location": "Room 4B", "attendees": [manager.email]},
        note="proactive: an invitation to answer")


@planner(APP, "noise")
def near_appointments(ctx: PlanContext) -> None:
    """Other appointments that look like the physical: another dentist, a physical therapist, other dates."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "calendar.doctor_appointment":
            continue
        for title, place in ((f"Dentist consultation - {ctx.fake.last_name()} Family Dentistry", "2nd floor"),
                             (f"Physical therapy - Dr. {ctx.fake.last_name()}", "Riverside Clinic")):
            start = _weekday(ctx.random_time(hours=(8, 17))).replace(minute=ctx.rng.choice([0, 15, 30, 45]))
            if start.date() == parse(seed.value).date():
                start = _weekday(start + timedelta(days=2))
            made = max(ctx.start, start - timedelta(days=ctx.rng.randint(3, 15)))
            if made > ctx.end:
                made = ctx.end - timedelta(hours=1)
            e = ctx.add(made, "calendar.create_event", {"title": title, "start": fmt(start),
                                                        "end": fmt(start + timedelta(minutes=45)), "location": place},
                        actor="user")
            ctx.fact(f"noise.{seed.key}", e, table="calendar_event", field="start", value=fmt(start), near=seed.key)


@planner(APP, "noise")
def near_dinners(ctx: PlanContext) -> None:
    """Another friend with the same first name plans dinner at another restaurant on another day."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "calendar.dinner_time":
            continue
        friend = ctx.people("friend")[0]
        namesake = f"{friend.first} {ctx.fake.last_name()}"
        phone = f"+1-{ctx.rng.randint(201, 989)}-{ctx.rng.randint(200, 999)}-{ctx.rng.randint(1000, 9999)}"
        ctx.add(ctx.start + timedelta(hours=20), "contacts.add",
                {"name": namesake, "phone": phone, "relation": "friend"}, actor="user")
        at = ctx.random_time(after=ctx.start + timedelta(days=2), before=ctx.end - timedelta(days=1), hours=(9, 20))
        while abs((at - seed.at).days) < 5 and at + timedelta(days=6) < ctx.end:
            at += timedelta(days=5)
        spot = ctx.rng.choice(_OTHER_SPOTS)
        start = ctx.at(at.date() + timedelta(days=ctx.rng.randint(2, 6)), 20)
        ctx.add(at, "messages.receive",
                {"sender": phone, "text": f"Dinner at {spot} on {start:%A} at 8? My treat this time"})
        ctx.add(at + timedelta(minutes=20), "messages.send", {"to": [phone], "text": "Deal, see you there"},
                actor="user")
        e = ctx.add(at + timedelta(minutes=22), "calendar.create_event", {
            "title": f"Dinner with {namesake}", "start": fmt(start), "end": fmt(start + timedelta(hours=2)),
            "location": spot}, actor="user")
        ctx.fact("noise.calendar.dinner_time", e, table="calendar_event", field="start", value=fmt(start),
                 near=seed.key)
        ctx.fact("noise.calendar.dinner_place", e, table="calendar_event", field="location", value=spot,
                 near="calendar.dinner_place")


@planner(APP, "noise")
def near_meetings(ctx: PlanContext) -> None:
    """A planning *prep* meeting from the director on another day."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "calendar.planning_meeting":
            continue
        director = _colleague(ctx, "director")
        at = ctx.random_time(hours=(9, 17), before=ctx.end - timedelta(days=1))
        start = _weekday(ctx.at(at.date() + timedelta(days=ctx.rng.randint(2, 5)), 11))
        if start.date() == parse(seed.value).date():
            start += timedelta(days=1)
        title = next(e for e in ctx.planned if e.id == seed.eid).args["title"].replace("review", "prep")
        e = ctx.add(at, "calendar.invite", {"organizer": director.email, "title": title, "start": fmt(start),
                                            "end": fmt(start + timedelta(minutes=30)), "location": "Room 4B"})
        ctx.add(at + timedelta(minutes=15), "calendar.respond_to_invite",
                {"event_id": ctx.ref(e), "response": "accept"}, actor="user")
        ctx.fact(f"noise.{seed.key}", e, table="calendar_event", field="start", value=fmt(start), near=seed.key)


@planner(APP, "conflict")
def meeting_moved(ctx: PlanContext) -> None:
    """The manager moves the planning review to 3 pm the same day, by email ("moved to 3 pm")."""
    for seed in ctx.seed_facts(APP):
        if seed.key != "calendar.planning_meeting":
            continue
        invite_event = next(e for e in ctx.planned if e.id == seed.eid)
        old = parse(seed.value)
        new = old.replace(hour=15)
        at = ctx.random_time(after=seed.at + timedelta(hours=2), before=old - timedelta(hours=3), hours=(8, 18))
        e = ctx.add(at, "calendar.organizer_update", {
            "event_id": ctx.ref(invite_event), "start": fmt(new), "end": fmt(new + timedelta(hours=1)),
            "message": f"Hi all, the planning review on {old:%A} is moved to 3 pm (same room): "
                       "the exec sync runs over. Thanks!"})
        ctx.supersede(seed, e, value=fmt(new), explicit=True, description="the organizer moved the meeting to 3 pm")
