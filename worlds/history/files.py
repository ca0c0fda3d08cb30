"""History of files: the planners of the setup, routine, seed and noise rounds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from clawgym.worlds.planner import PlanContext, planner
from clawgym.worlds.services.files import APP

_FOLDERS = ["Documents/Taxes/2024", "Documents/Taxes/2025", "Documents/Insurance", "Documents/Receipts",
            "Documents/Recipes", "Documents/Work", "Documents/Identity", "Documents/Housing", "Downloads",
            "Photos", "Music/Playlists", ".config/clawsync"]
_MERCHANTS = [("Green Basket Grocers", "groceries"), ("City Hardware", "home"), ("Bean There Coffee", "coffee"),
              ("PageTurner Books", "books"), ("Voltmart Electronics", "electronics"), ("Corner Pharmacy", "pharmacy"),
              ("Trailhead Outfitters", "outdoor"), ("Noodle House", "dining")]
_ITEMS = ["paper towels", "AA batteries", "olive oil", "notebook", "phone charger", "coffee beans", "bananas",
          "light bulbs", "dish soap", "hiking socks", "printer paper", "vitamin C", "rice", "cheddar cheese"]
_PLACES = ["home", "Riverside Park", "downtown", "the farmers market", "Lakeview Trail", "the office", "Main Street",
           "the beach", "Grandma's house", "the museum"]
_CAMERAS = ["iPhone 15 Pro", "Pixel 8", "iPhone 15 Pro back camera"]


def _docs(ctx: PlanContext) -> list[tuple[str, str]]:
    from clawgym.worlds.history import bank

    u, employer = ctx.persona.user, ctx.persona.employer
    year = ctx.start.year
    # Last year's wages agree with the paychecks in the bank: take-home pay is about 68% of gross (federal tax 14%,
    # state tax, social security and benefits the rest).
    salary = round(bank.budget(ctx).paycheck * 24 / 0.68, -3)
    return [
        ("Documents/resume.txt", f"{u.name}\n{u.email} | {u.phone}\n{u.address}\n\nEXPERIENCE\n{employer}, "
                                 f"{ctx.rng.choice(['Analyst', 'Engineer', 'Project Manager', 'Designer'])} "
                                 f"({year - ctx.rng.randint(2, 7)}-present)\n- {ctx.sentence()}\n- {ctx.sentence()}\n\n"
                                 f"EDUCATION\nB.S., State University\n"),
        (f"Documents/Taxes/2025/W-2_{year - 1}.txt",
         f"Form W-2 Wage and Tax Statement {year - 1}\nEmployer: {employer}\nEmployee: {u.name}\n"
         f"Wages, tips, other compensation: ${salary:,.2f}\nFederal income tax withheld: ${salary * 0.14:,.2f}\n"),
        (f"Documents/Taxes/2025/1099-INT_{year - 1}.txt",
         f"Form 1099-INT {year - 1}\nPayer: First Harbor Bank\n"
         f"Interest income: ${ctx.rng.randint(40, 900)}.{ctx.rng.randint(10, 99)}\n"),
        (f"Documents/Taxes/2024/return_summary_{year - 2}.txt",
         f"{year - 2} federal return summary\nFiling status: Single\nRefund: ${ctx.rng.randint(200, 2400)}.00\n"
         f"Filed: {year - 1}-04-0{ctx.rng.randint(1, 9)}\n"),
        ("Documents/Insurance/car_insurance_card.txt",
         f"Auto insurance ID card\nInsured: {u.name}\nPolicy: AUT-{ctx.rng.randint(1000000, 9999999)}\n"
         f"Valid through {year}-12-31\n"),
        ("Documents/Recipes/banana_bread.md", "# Banana bread\n\n- 3 ripe bananas\n- 1/3 cup melted butter\n"
                                              "- 3/4 cup sugar\n- 1 1/2 cups flour\n\nBake 60 min at 350F.\n"),
        ("Documents/Work/meeting_notes.md", f"# Team sync\n\n{ctx.paragraph(3)}\n"),
        ("Documents/budget.csv", "category,monthly\nrent,0\ngroceries,450\ntransport,120\nutilities,160\nfun,200\n"),
        ("Music/Playlists/running.m3u", "#EXTM3U\nHigh Hopes.mp3\nRun Boy Run.mp3\nEye of the Tiger.mp3\n"),
        (".config/clawsync/settings.json", '{"sync": true, "photos": "~/Photos", "theme": "dark"}\n'),
    ]


@planner(APP, "setup")
def home_tree(ctx: PlanContext) -> None:
    """The home folder with its usual folders and the documents a person keeps."""
    at = ctx.start
    for i, folder in enumerate(_FOLDERS):
        ctx.add(at + timedelta(seconds=i), "files.mkdir", {"path": folder, "parents": True}, actor="user")
    for i, (path, content) in enumerate(_docs(ctx)):
        ctx.add(at + timedelta(minutes=1, seconds=i), "files.write_file", {"path": path, "content": content},
                actor="user")


def _receipt(ctx: PlanContext, day: Any) -> tuple[str, str]:
    merchant, kind = ctx.rng.choice(_MERCHANTS)
    items = [(ctx.rng.choice(_ITEMS), ctx.rng.randint(199, 4999)) for _ in range(ctx.rng.randint(1, 4))]
    total = sum(p for _, p in items)
    lines = "\n".join(f"  {name:<20} ${p / 100:.2f}" for name, p in items)
    slug = merchant.split()[0].lower()
    return (f"Downloads/receipt_{slug}_{day:%Y-%m-%d}.txt",
            f"RECEIPT - {merchant}\nDate: {day:%Y-%m-%d}\nCategory: {kind}\n{lines}\nTOTAL ${total / 100:.2f}\n"
            f"Paid with card ending {ctx.rng.randint(1000, 9999)}\n")


def _invoice(ctx: PlanContext, day: Any) -> tuple[str, str]:
    company = ctx.rng.choice(ctx.people("company"))
    number = f"INV-{day:%Y%m}-{ctx.rng.randint(100, 999)}"
    return (f"Downloads/invoice_{number}.txt",
            f"INVOICE {number}\nFrom: {company.name}\nTo: {ctx.persona.user.name}\nDate: {day:%Y-%m-%d}\n"
            f"Service period: {day:%B %Y}\nAmount due: ${ctx.rng.randint(30, 220)}.{ctx.rng.randint(10, 99)}\n"
            f"Due by: {day + timedelta(days=21):%Y-%m-%d}\n")


@planner(APP, "routine")
def downloads_and_photos(ctx: PlanContext) -> None:
    """About three files a day: receipts and invoices downloaded, phone photos synced; now and then some tidying."""
    used: set[str] = set()
    for day in ctx.days():
        for _ in range(ctx.rng.choice([0, 1, 1, 2])):
            path, content = (_receipt if ctx.rng.random() < 0.7 else _invoice)(ctx, day)
            stem, n = path[:-4], 1
            while path in used:
                n += 1
                path = f"{stem}_{n}.txt"
            used.add(path)
            at = ctx.at(day, ctx.rng.randint(9, 22), ctx.rng.randrange(60))
            ctx.add(at, "files.sync", {"path": path, "content": content})
            later = min(at + timedelta(minutes=ctx.rng.randint(2, 300)), ctx.end)
            roll = ctx.rng.random()
            if roll < 0.2:
                ctx.add(later, "files.move", {"source": path, "destination": "Documents/Receipts"}, actor="user")
            elif roll < 0.3:
                ctx.add(later, "files.tag_file", {"path": path, "tag": "expenses"}, actor="user")
            elif roll < 0.35:
                ctx.add(later, "files.delete", {"path": path}, actor="user")
        for _ in range(ctx.rng.choice([0, 1, 1, 2, 3])):
            at = ctx.at(day, ctx.rng.randint(8, 21), ctx.rng.randrange(60)) + timedelta(seconds=ctx.rng.randrange(60))
            content = (f"taken_at: {at:%Y-%m-%dT%H:%M:%S}\nplace: {ctx.rng.choice(_PLACES)}\n"
                       f"camera: {ctx.rng.choice(_CAMERAS)}\nwidth: 4032\nheight: 3024\n")
            ctx.add(at, "files.sync", {"path": f"Photos/{at:%Y/%m}/IMG_{at:%Y%m%d_%H%M%S}.jpg", "content": content})


def _passport(ctx: PlanContext, number: str, issued: str, expires: str) -> str:
    u = ctx.persona.user
    last, first = u.name.split()[-1].upper(), u.first.upper()
    return (f"PASSPORT (scan, transcribed)\nType: P  Country: USA\nPassport No: {number}\nSurname: {last}\n"
            f"Given names: {first}\nDate of birth: {u.birthday}\nDate of issue: {issued}\n"
            f"Date of expiration: {expires}\n")


@planner(APP, "seed")
def identity_and_lease(ctx: PlanContext) -> None:
    """The passport scan and the apartment lease in ~/Documents, with the numbers tasks ask for."""
    first_third = ctx.start + (ctx.end - ctx.start) / 3
    number = f"{ctx.rng.choice('56')}{ctx.rng.randint(10_000_000, 99_999_999)}"
    year = ctx.start.year - ctx.rng.randint(1, 8)
    issued = f"{year}-{ctx.rng.randint(1, 12):02d}-{ctx.rng.randint(1, 28):02d}"
    expires = f"{year + 10}{issued[4:]}"
    e = ctx.add(ctx.random_time(before=first_third), "files.write_file",
                {"path": "Documents/Identity/passport.txt", "content": _passport(ctx, number, issued, expires)},
                actor="user", note="seed: passport number")
    ctx.fact("files.passport_number", e, table="file", field="content", value=number,
             description="the user's passport number, in ~/Documents/Identity/passport.txt")
    landlord = next(p for p in ctx.people("company") if p.role == "landlord")
    rent = f"${ctx.rng.randrange(1400, 2900, 25):,.2f}"
    month = ctx.rng.randint(6, 12)
    begin = date(ctx.start.year - 1, month, 1)
    end = (date(ctx.start.year, month, 1) - timedelta(days=1)).isoformat()
    e = ctx.add(ctx.random_time(before=first_third), "files.write_file", {
        "path": "Documents/Housing/lease_agreement.txt",
        "content": f"RESIDENTIAL LEASE AGREEMENT\nLandlord: {landlord.name}\nTenant: {ctx.persona.user.name}\n"
                   f"Premises: {ctx.persona.user.address}\nTerm: {begin} to {end}\nMonthly rent: {rent}, due on the "
                   f"1st of each month\nSecurity deposit: {rent}\nPets: not allowed without written consent\n"},
        actor="user", note="seed: lease terms")
    ctx.fact("files.lease_rent", e, table="file", field="content", value=rent,
             description="monthly rent in the lease, ~/Documents/Housing/lease_agreement.txt")
    ctx.fact("files.lease_end", e, table="file", field="content", value=end,
             description="the date the current lease ends")


@planner(APP, "noise")
def old_drafts(ctx: PlanContext) -> None:
    """An old draft with a passport number one digit off, and the lease of the previous apartment."""
    for seed in ctx.seed_facts(APP):
        if seed.key == "files.passport_number":
            digits = list(seed.value)
            i = ctx.rng.randrange(1, len(digits))
            digits[i] = str((int(digits[i]) + ctx.rng.randint(1, 9)) % 10)
            near = "".join(digits)
            e = ctx.add(ctx.random_time(), "files.write_file", {
                "path": "Documents/Drafts/passport_renewal_form_DRAFT_old.txt",
                "content": f"DRAFT - renewal form, never sent (typo?)\nPassport number: {near}\n{ctx.sentence()}\n",
                "create_parents": True}, actor="user")
            ctx.fact(f"noise.{seed.key}", e, table="file", field="content", value=near, near=seed.key)
        elif seed.key == "files.lease_rent":
            rent = f"${ctx.rng.randrange(1200, 2700, 25):,.2f}"
            year = ctx.start.year - 3
            e = ctx.add(ctx.random_time(), "files.write_file", {
                "path": f"Documents/Housing/old_apartment_lease_{year}.txt",
                "content": f"RESIDENTIAL LEASE AGREEMENT (previous apartment)\nTerm: {year}-03-01 to {year + 1}-02-28\n"
                           f"Monthly rent: {rent}\n"}, actor="user")
            ctx.fact(f"noise.{seed.key}", e, table="file", field="content", value=rent, near=seed.key)
