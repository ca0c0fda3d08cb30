"""CLI: tasks done in a shell on the user's laptop, whose home folder is the world's files (``surfaces=["cli"]``).

Organize files, find facts in documents, and combine shell tools with ``claw`` (the world's operations from
inside the sandbox). Checks look at the file table and the rest of the world, never at the sandbox itself: what
the shell changed reaches the world through the files operations. Oracle plans are ``shell`` steps, computed
from the world here, so they are deterministic.

Drawn by the generator only when ``surfaces`` allows "cli" (``clawgym tasks generate --surfaces api,cli``).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections import Counter
from datetime import date, timedelta
from typing import Any

from clawgym.envs.tasks.template import Draft, TemplateContext, made_by_agent, template, untouched
from clawgym.worlds.services.files import home_dir
from clawgym.worlds.store import Row

from clawgym.errors import OperationError

SHELL_ONLY = (["cli"], ["laptop"])
SHELL_AND_API = (["api", "cli"], ["laptop", "phone"])


def sh(command: str) -> dict[str, Any]:
    """One oracle step: a shell command line on the laptop."""
    return {"tool": "shell", "args": {"command": command}}


def finish(answer: str) -> dict[str, Any]:
    return {"tool": "finish", "args": {"answer": answer}}


def cli_draft(reach: tuple[list[str], list[str]] = SHELL_ONLY, **fields: Any) -> Draft:
    surfaces, devices = reach
    return Draft(**fields, surfaces=list(surfaces), devices=list(devices))


def _files_in(ctx: TemplateContext, folder: str) -> list[Row]:
    """The plain files directly inside ``folder`` (an absolute path), by path."""
    rows = ctx.world.store.select("file", {"parent": folder, "is_dir": False})
    return sorted(rows, key=lambda r: r["path"])


def _month_before(day: date) -> date:
    """The first day of the calendar month before ``day``'s."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


# -- organize files ---------------------------------------------------------------------------------

@template("cli", services=["files"], surfaces=("cli",))
def file_downloads_into_a_folder(ctx: TemplateContext) -> Draft | None:
    """Move every receipt (or invoice) in ~/Downloads into its folder under ~/Documents, nothing else."""
    home = home_dir(ctx.world)
    downloads = f"{home}/Downloads"
    kind, dest = ctx.pick([("receipt", "Documents/Receipts"), ("invoice", "Documents/Invoices")])
    moving = [r for r in _files_in(ctx, downloads) if posixpath.basename(r["path"]).startswith(f"{kind}_")]
    if len(moving) < 2:
        return None
    folder = f"{home}/{dest}"
    finals = [f"{folder}/{posixpath.basename(r['path'])}" for r in moving]
    existing = {p for p in (folder, *finals) if ctx.world.store.select("file", {"path": p}, limit=1)}
    if any(f in existing for f in finals):
        return None  # a name already taken there: moving would overwrite a file the user kept
    new_folder = folder not in existing
    allow = [
        {"table": "file", "where": {"path": {"in": finals}}},  # the moved files, at their new paths
        {"table": "file", "where": {"path": {"in": [r["path"] for r in moving]}}},  # copied-then-removed originals
    ]
    if new_folder:
        allow.append({"table": "file", "where": {"path": folder, "is_dir": True}})
    plural = f"{kind}s"
    return cli_draft(
        instruction=(f"Tidy up my Downloads folder: move every {kind} file in ~/Downloads (the {kind}_*.txt files) "
                     f"into ~/{dest}{' (make the folder)' if new_folder else ''}. Leave everything else where it is."),
        checks=[
            {"type": "absent", "name": f"no {kind} file is left in ~/Downloads", "table": "file",
             "where": {"parent": downloads, "path": {"in": [r["path"] for r in moving]}}},
            {"type": "count", "name": f"all {len(moving)} {plural} are in ~/{dest} with their content", "table": "file",
             "where": {"path": {"in": finals}, "content": {"in": [r["content"] for r in moving]}, "is_dir": False},
             "n": len(moving)},
            untouched(allow, name=f"nothing but the {plural} (and their folder) changed in the world"),
        ],
        oracle=[
            sh(f"ls ~/Downloads | grep '^{kind}_' | head -50"),
            sh(f"mkdir -p ~/{dest} && mv ~/Downloads/{kind}_*.txt ~/{dest}/ && ls ~/{dest} | wc -l"),
            finish(f"Moved {len(moving)} {plural} into ~/{dest}."),
        ],
        apps=None,  # claw reaches every app of the laptop
        difficulty="easy",
        max_steps=20,
    )


# -- find facts in documents --------------------------------------------------------------------------

_PLACE = re.compile(r"^place: (.+)$", re.MULTILINE)


@template("cli", services=["files"], surfaces=("cli",))
def count_photos_taken_at_a_place(ctx: TemplateContext) -> Draft | None:
    """How many photos of one month were taken at one place (each photo's metadata file says where)."""
    home = home_dir(ctx.world)
    photos = [r for r in ctx.world.store.select("file", {"is_dir": False})
              if r["path"].startswith(f"{home}/Photos/") and r["path"].endswith(".jpg")]
    counts: Counter[tuple[str, str]] = Counter()
    for r in photos:
        found = _PLACE.search(r["content"])
        month = r["path"][len(home) + len("/Photos/"):][:7]  # YYYY/MM
        if found and re.fullmatch(r"\d{4}/\d{2}", month):
            counts[(month, found.group(1))] += 1
    choices = sorted(k for k, n in counts.items() if n >= 2)
    if not choices:
        return None
    month, place = ctx.pick(choices)
    n = counts[(month, place)]
    whole = sum(v for (_, p), v in counts.items() if p == place)
    label = date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")
    distractors = sorted({whole, n - 1, n + 1} - {n})
    return cli_draft(
        instruction=(f"How many photos did I take at {place} in {label}? Each photo in ~/Photos has its metadata "
                     "(time, place, camera) as text. Answer with just the number."),
        checks=[
            {"type": "answer", "name": f"the answer is {n}",
             "matcher": {"kind": "number", "expected": n, "distractors": distractors}},
            untouched(name="nothing in the world is changed"),
        ],
        oracle=[
            sh(f"grep -rlx {shlex.quote('place: ' + place)} ~/Photos/{month} | wc -l"),
            finish(str(n)),
        ],
        apps=None,  # claw reaches every app of the laptop
        difficulty="medium",
        max_steps=15,
    )


_TOTAL = re.compile(r"^TOTAL \$(\d+\.\d{2})$", re.MULTILINE)
_CATEGORY = re.compile(r"^Category: (\w+)$", re.MULTILINE)
_DATE = re.compile(r"^Date: (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def _receipts(rows: list[Row]) -> list[tuple[Row, str, str, int]]:
    """(row, category, date, total in cents) of every receipt file among ``rows``."""
    out = []
    for r in rows:
        cat, day, total = _CATEGORY.search(r["content"]), _DATE.search(r["content"]), _TOTAL.search(r["content"])
        if posixpath.basename(r["path"]).startswith("receipt_") and cat and day and total:
            out.append((r, cat.group(1), day.group(1), round(float(total.group(1)) * 100)))
    return out


@template("cli", services=["files"], surfaces=("cli",))
def find_the_largest_receipt(ctx: TemplateContext) -> Draft | None:
    """Which store the largest receipt of one category in ~/Downloads came from, and its total."""
    home = home_dir(ctx.world)
    receipts = _receipts(_files_in(ctx, f"{home}/Downloads"))
    by_cat: dict[str, list[tuple[Row, str, str, int]]] = {}
    for item in receipts:
        by_cat.setdefault(item[1], []).append(item)
    # A unique largest total, and at least one other receipt to confuse it with.
    def unique_top(items: list[tuple[Row, str, str, int]]) -> bool:
        totals = sorted(i[3] for i in items)
        return len(totals) >= 2 and totals[-1] != totals[-2]

    cats = sorted(c for c, items in by_cat.items() if unique_top(items))
    cat = ctx.pick(cats)
    if cat is None:
        return None
    items = sorted(by_cat[cat], key=lambda i: i[3])
    top = items[-1]
    amount = f"{top[3] / 100:.2f}"
    others = [f"{i[3] / 100:.2f}" for i in items[:-1]]
    return cli_draft(
        instruction=(f"Among the receipts in ~/Downloads whose category is {cat}, which one has the largest total? "
                     "Tell me just that total in dollars."),
        checks=[
            {"type": "answer", "name": f"the answer is ${amount}",
             "matcher": {"kind": "number", "expected": float(amount), "abs_tol": 0.005,
                         "distractors": [float(o) for o in others]}},
            untouched(name="nothing in the world is changed"),
        ],
        oracle=[
            sh(f"cd ~/Downloads && grep -lx 'Category: {cat}' receipt_*.txt | xargs grep -h '^TOTAL' | sort -t'$' -k2 -n"),
            finish(f"${amount}"),
        ],
        apps=None,  # claw reaches every app of the laptop
        difficulty="medium",
        max_steps=15,
    )


# -- shell tools with claw --------------------------------------------------------------------------

@template("cli", services=["files", "notes"], surfaces=("api", "cli"))
def total_last_months_receipts_as_a_note(ctx: TemplateContext) -> Draft | None:
    """Add up last month's receipts of one category found in ~/Downloads; file the sum as a note with ``claw``."""
    home = home_dir(ctx.world)
    last = _month_before(ctx.world.now.date())
    prefix = last.strftime("%Y-%m-")
    receipts = _receipts(_files_in(ctx, f"{home}/Downloads"))
    cats = Counter(c for _, c, d, _ in receipts if d.startswith(prefix))
    cat = ctx.pick(sorted(c for c, n in cats.items() if n >= 2) or sorted(cats))
    if cat is None:
        return None
    mine = [i for i in receipts if i[1] == cat and i[2].startswith(prefix)]
    cents = sum(i[3] for i in mine)
    total = f"${cents / 100:.2f}"
    # Near misses a careless sum would give: other months' receipts, or the ones already filed away.
    filed = [i for i in _receipts(_files_in(ctx, f"{home}/Documents/Receipts")) if i[1] == cat and i[2].startswith(prefix)]
    title = f"{cat.capitalize()} {last:%B %Y}"
    script = (f"cd ~/Downloads && total=$(grep -lx 'Category: {cat}' receipt_*.txt | xargs grep -lx 'Date: {prefix}..' "
              "| xargs sed -n 's/^TOTAL \\$//p' | awk '{s += $1} END {printf \"%.2f\", s}') && echo \"$total\" && "
              f"claw notes create --title {shlex.quote(title)} --body \"\\$$total\"")
    return cli_draft(
        SHELL_AND_API,
        instruction=(f"Add up last month's ({last:%B %Y}) {cat} receipts that are in my ~/Downloads folder (each "
                     "receipt says its date and category) and save the sum as a note titled "
                     f"\"{title}\" whose body is the total, like $12.34."),
        checks=[
            {"type": "exists", "name": f"a note \"{title}\" holds the total {total}", "table": "note",
             "where": {"title": title, "body": {"contains": total}}, "new_only": True},
            {"type": "count", "name": "exactly one such note is made", "table": "note",
             "where": {"title": title}, "new_only": True, "n": 1},
            untouched([made_by_agent("note")], name="nothing but the new note changed in the world"),
        ],
        oracle=[
            sh(f"cd ~/Downloads && grep -lx 'Category: {cat}' receipt_*.txt | xargs grep -H '^Date: {prefix}'"),
            sh(script),
            finish(f"Saved the note \"{title}\": {total} over {len(mine)} receipts"
                   + (f" ({len(filed)} already filed in ~/Documents/Receipts not counted)." if filed else ".")),
        ],
        apps=["files", "notes"],
        difficulty="hard",
        max_steps=25,
    )


# -- two devices: the phone's screen and the laptop's shell ---------------------------------------------

@template("cli", services=["home", "files"], surfaces=("cli", "gui"))
def save_a_phone_only_code_on_the_laptop(ctx: TemplateContext) -> Draft | None:
    """A lock's keypad code shows only in the phone's smart home app; it goes into a file through the laptop shell."""
    locks = ctx.world.call("home.list_devices", {"kind": "lock"})
    lock = ctx.pick(locks)
    if lock is None:
        return None
    try:
        code = ctx.world.call("home.get_access_code", {"device_id": lock["id"]})["code"]
    except OperationError:
        return None  # a lock without a keypad has no code: no task on it
    home = home_dir(ctx.world)
    path = f"{home}/Documents/Housing/door_code.txt"
    if ctx.world.store.select("file", {"path": path}, limit=1):
        return None
    return cli_draft(
        (["cli", "gui"], ["phone", "laptop"]),
        instruction=(f"My phone's smart home app shows the keypad code of the {lock['name']}. Look it up there and "
                     "save it on my laptop in ~/Documents/Housing/door_code.txt (just the code on one line)."),
        checks=[
            {"type": "exists", "name": f"~/Documents/Housing/door_code.txt holds the {lock['name']} code",
             "table": "file", "where": {"path": path, "content": {"contains": code}, "is_dir": False},
             "new_only": True},
            untouched([{"table": "file", "where": {"path": path}}],
                      name="nothing but the new file changed in the world"),
        ],
        oracle=[
            {"tool": "gui_open", "args": {"app": "home"}},
            {"tool": "gui_click", "args": {"role": "link", "name": lock["name"]}},
            {"tool": "gui_click", "args": {"role": "link", "name": "Get access code"}},
            sh(f"printf '%s\\n' {shlex.quote(code)} > ~/Documents/Housing/door_code.txt && cat "
               "~/Documents/Housing/door_code.txt"),
            finish("Saved the code in ~/Documents/Housing/door_code.txt."),
        ],
        apps=["home", "files"],
        difficulty="medium",
        max_steps=20,
    )
