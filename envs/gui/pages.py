"""The service web apps: pages rendered from world state by read operations, forms that call write operations.

Every app is generated from the operation registry, so each service has an app and no rule exists twice:

    /s/<key>/<device>/                     home screen (phone: app icons) or desktop (laptop: app switcher)
    /s/<key>/<device>/shade                notifications of events that fired
    /s/<key>/<device>/app/<app>            the app's main view (its first listing)
    /s/<key>/<device>/app/<app>/view/<op>  a read operation's result, with a form for its arguments
    /s/<key>/<device>/app/<app>/item/<op>  one record (a get/read operation) with links to what can be done to it
    /s/<key>/<device>/app/<app>/form/<op>  a write operation's form; POST .../do/<op> runs it through world.call

An operation appears on a device only if it lists that device (phone-only alarms never show on the laptop).
"""

from __future__ import annotations

import functools
import re
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

from clawgym.envs.gui.forms import human, parse_form, render_form
from clawgym.worlds.operation import Operation, Registry

from clawgym.errors import OperationError

if TYPE_CHECKING:
    from clawgym.envs.gui.server import GuiServer, Session
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

APP_NAMES = {"home": "Smart home", "bank": "Bank", "mail": "Mail"}
ICONS = {"mail": "✉", "messages": "💬", "calendar": "📅", "contacts": "👤", "notes": "📝", "reminders": "⏰",
         "bank": "🏦", "shop": "🛒", "delivery": "📦", "subscriptions": "🔁", "travel": "✈", "files": "📁",
         "health": "❤", "home": "🏠", "notifications": "🔔"}
SUMMARY = ["subject", "title", "name", "label", "service", "merchant", "biller", "text", "description", "path",
           "number", "code", "provider", "notebook", "list", "category", "kind", "time", "date", "at"]
SECONDARY = ["from", "sender", "at", "start", "due", "date", "time", "days", "status", "amount", "price", "balance",
             "enabled", "unread", "done", "folder", "preview", "last_text", "plan", "eta", "dose", "power"]
MAX_ITEMS = 25
CSS = """
body{font:14px system-ui,sans-serif;margin:0;color:#111}
header{display:flex;gap:12px;align-items:center;padding:6px 10px;background:#222;color:#fff}
header a{color:#fff}
main{padding:8px 12px}
body.laptop{display:grid;grid-template-columns:180px 1fr;grid-template-rows:auto 1fr}
body.laptop header{grid-column:1/3}
body.laptop nav.switcher{padding:8px;border-right:1px solid #ccc}
body.laptop nav.switcher ul{list-style:none;padding:0;margin:0}
body.laptop nav.switcher li{margin:4px 0}
ul.icons{list-style:none;padding:0;display:grid;grid-template-columns:repeat(4,1fr);gap:14px}
ul.icons a{display:block;text-align:center;text-decoration:none;font-size:12px;padding:6px 0}
ul.icons span{display:block;font-size:28px}
nav.tabs a{margin-right:10px}
li{margin:6px 0}
.meta{color:#555;font-size:12px;margin-left:6px}
dt{font-weight:600}dd{margin:0 0 6px 0;white-space:pre-wrap}
fieldset{border:1px solid #ccc;margin:6px 0}
label{display:block;font-weight:600}
input[type=text],textarea{width:100%;max-width:520px;box-sizing:border-box}
input[type=checkbox]+label,input[type=radio]+label{display:inline;font-weight:400;margin-right:10px}
button{margin:6px 0;padding:6px 12px}
small{display:block;color:#555}
[role=alert]{background:#fdd;padding:6px}[role=status]{background:#dfd;padding:6px}
"""


def app_name(app: str) -> str:
    return APP_NAMES.get(app, app.capitalize())


# -- the registry, seen as apps ----------------------------------------------------------------
def ops_on(ops: Registry, app: str, device: str) -> list[Operation]:
    return [op for op in _app_ops(ops, app) if device in op.devices]


@functools.cache
def _app_ops(ops: Registry, app: str) -> tuple[Operation, ...]:
    return tuple(ops.exposed([app]))


def short(op: Operation) -> str:
    return op.name.split(".", 1)[1]


def id_params(op: Operation) -> list[str]:
    return [p for p in op.parameters.get("required", []) if p.endswith("_id")]


def views(ops: Registry, app: str, device: str) -> list[Operation]:
    """Read operations that list or search (no record id needed): the app's tabs; listings first."""
    found = [op for op in ops_on(ops, app, device) if op.kind == "read" and not id_params(op)]
    return sorted(found, key=lambda op: (not short(op).startswith("list"), bool(op.parameters.get("required")),
                                       short(op) != "list", short(op)))


def app_actions(ops: Registry, app: str, device: str) -> list[Operation]:
    """Write operations that need no record id: the app's own actions (compose, create, set...)."""
    return [op for op in ops_on(ops, app, device) if op.kind == "write" and not id_params(op)]


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes")):
        return word[:-2]
    return word.removesuffix("s")


def main_entity(ops: Registry, app: str, device: str) -> str | None:
    """The record kind a bare ``list``/``search`` returns: the one a plain ``get``/``read`` opens."""
    for op in ops_on(ops, app, device):
        if op.kind == "read" and short(op) in ("get", "read") and len(id_params(op)) == 1:
            return id_params(op)[0][:-3]
    details = [op for op in ops_on(ops, app, device) if op.kind == "read" and len(id_params(op)) == 1]
    return id_params(details[0])[0][:-3] if details else None


def entity_of(ops: Registry, op: Operation, device: str) -> str | None:
    m = re.fullmatch(r"(?:list|search)_(\w+)", short(op))
    if m:
        return singular(m.group(1))
    return main_entity(ops, op.app, device) if short(op) in ("list", "search", "list_recent") else None


def id_param(ops: Registry, app: str, device: str, entity: str) -> str | None:
    """The argument naming a record of ``entity`` in this app (``alarm`` -> ``alarm_id``)."""
    for name in (f"{entity}_id", f"{entity.rsplit('_', 1)[-1]}_id"):
        if any(name in op.parameters.get("properties", {}) for op in ops_on(ops, app, device)):
            return name
    return None


def record_reads(ops: Registry, app: str, device: str, param: str) -> list[Operation]:
    """Read operations that open one record by ``param``; a plain get/read first."""
    found = [op for op in ops_on(ops, app, device) if op.kind == "read" and op.parameters.get("required", []) == [param]]
    entity = param[:-3]
    return sorted(found, key=lambda op: (short(op) not in ("get", "read", f"get_{entity}", f"read_{entity}"),
                                       not short(op).startswith(("get", "read")), short(op)))


def detail_op(ops: Registry, app: str, device: str, param: str) -> Operation | None:
    found = record_reads(ops, app, device, param)
    return found[0] if found else None


def item_actions(ops: Registry, app: str, device: str, param: str) -> list[Operation]:
    return [op for op in ops_on(ops, app, device) if op.kind == "write" and param in op.parameters.get("properties", {})]


def visible_apps(session: Session, device: str) -> list[str]:
    ops = session.world.operations
    apps = ops.apps() if session.apps is None else sorted(set(session.apps) | {"notifications"})
    return [a for a in apps if a != "notifications" and ops_on(ops, a, device)]


# -- pages -------------------------------------------------------------------------------------
class Page:
    """What one request renders: title, body and the session context to draw the device chrome."""

    def __init__(self, session: Session, device: str, base: str) -> None:
        self.session = session
        self.device = device
        self.base = base
        self.here = base  # the page's own path and query: where item actions come back to

    @property
    def ops(self) -> Registry:
        """The operations of the world's family: the only ones its pages show."""
        return self.session.world.operations

    def url(self, *parts: str, **query: Any) -> str:
        path = "/".join([self.base, *parts])
        q = {k: v for k, v in query.items() if v is not None and v != ""}
        return path + ("?" + urlencode(q) if q else "")

    def layout(self, title: str, body: str) -> str:
        world = self.session.world
        unread = int(world.store.scalar("SELECT COUNT(*) FROM notification WHERE read = 0"))
        flash = self.session.flash.pop(self.device, "")
        status = f'<p role="status">{escape(flash)}</p>' if flash else ""
        clock = world.now.strftime("%a %d %b %H:%M")
        header = (f'<header><span aria-label="Time">{clock}</span><a href="{self.url("")}">Home screen</a>'
                  f'<a href="{self.url("shade")}">Notifications ({unread if unread < 100 else "99+"})</a></header>')
        switcher = ""
        if self.device == "laptop":
            links = "".join(f'<li><a href="{self.url("app", a)}">{escape(app_name(a))}</a></li>'
                            for a in visible_apps(self.session, self.device))
            switcher = f'<nav class="switcher" aria-label="App switcher"><ul>{links}</ul></nav>'
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
                f'<style>{CSS}</style></head><body class="{self.device}">{header}{switcher}'
                f'<main>{status}{body}</main></body></html>')

    def home(self) -> str:
        apps = visible_apps(self.session, self.device)
        if self.device == "phone":
            icons = "".join(f'<li><a href="{self.url("app", a)}" aria-label="{escape(app_name(a))}">'
                            f'<span aria-hidden="true">{ICONS.get(a, "■")}</span>{escape(app_name(a))}</a></li>'
                            for a in apps)
            return self.layout("Home", f'<h1>Home</h1><ul class="icons" aria-label="Apps">{icons}</ul>')
        user = self.session.world.persona.user
        return self.layout("Desktop", f"<h1>Desktop</h1><p>Signed in as {escape(user.name)} ({escape(user.email)}). "
                                      "Open an app from the app switcher.</p>")

    def shade(self) -> str:
        rows = self.session.world.call("notifications.list", {"unread_only": True, "limit": MAX_ITEMS})
        items = "".join(
            f'<li><a href="{self.url("app", r["app"])}">{escape(app_name(r["app"]))}: {escape(r["title"])}</a>'
            f'<span class="meta">{escape(r["at"][5:16].replace("T", " "))}'
            f'{" — " + escape(r["body"][:120]) if r["body"] else ""}</span></li>'
            for r in rows if r["app"] in self.ops.apps())
        empty = "" if rows else "<p>No new notifications.</p>"
        clear = render_form(self.ops.get("notifications.dismiss_all"), self.url("app", "notifications", "do", "dismiss_all"),
                            {}, {"app"}, nxt=self.url("shade")) if rows else ""
        return self.layout("Notifications", f'<h1>Notifications</h1>{empty}<ul aria-label="Notifications">{items}</ul>'
                                            f"{clear.replace('>Dismiss all<', '>Clear all<')}")

    def app_home(self, app: str) -> str:
        tabs = views(self.ops, app, self.device)
        if not tabs:
            return self.app_page(app, "<p>Nothing to show.</p>")
        free = [op for op in tabs if not op.parameters.get("required")]
        main = main_entity(self.ops, app, self.device)
        first = next((op for op in free if main and entity_of(self.ops, op, self.device) == main), free[0] if free else tabs[0])
        return self.view(first, {})

    def app_page(self, app: str, content: str, title: str = "") -> str:
        tabs = " ".join(f'<a href="{self.url("app", app, "view", short(op))}">{escape(human(short(op)))}</a>'
                        for op in views(self.ops, app, self.device))
        acts = " ".join(f'<a href="{self.url("app", app, "form", short(op))}">{escape(human(short(op)))}</a>'
                        for op in app_actions(self.ops, app, self.device))
        nav = f'<nav class="tabs" aria-label="{escape(app_name(app))} views">{tabs}</nav>'
        if acts:
            nav += f'<nav class="tabs" aria-label="{escape(app_name(app))} actions">{acts}</nav>'
        name = app_name(app)
        return self.layout(f"{name} — {title}" if title else name, f"<h1>{escape(name)}</h1>{nav}{content}")

    def view(self, op: Operation, query: Any) -> str:
        args = parse_form(op, query)
        form = ""
        if op.parameters.get("properties"):
            form = render_form(op, self.url("app", op.app, "view", short(op)), args, set(), method="get")
        missing = [p for p in op.parameters.get("required", []) if p not in args]
        if missing:
            body = f"<p>Fill in {', '.join(human(m).lower() for m in missing)} and press {human(short(op))}.</p>"
        else:
            try:
                result = self.session.world.call(op.name, args)
                body = self.value(result, op.app, entity_of(self.ops, op, self.device))
            except OperationError as exc:
                body = f'<p role="alert">Error: {escape(str(exc))}</p>'
        return self.app_page(op.app, f"<h2>{escape(human(short(op)))}</h2>{form}<section aria-label=\"Results\">"
                                     f"{body}</section>", human(short(op)))

    def item(self, op: Operation, query: Any) -> str:
        args = parse_form(op, query)
        param = op.parameters["required"][0]
        try:
            result = self.session.world.call(op.name, args)
        except OperationError as exc:
            return self.app_page(op.app, f'<p role="alert">Error: {escape(str(exc))}</p>')
        record = result.get(param[:-3], result) if isinstance(result, dict) else result
        title = _summary(record) if isinstance(record, dict) else human(param[:-3])
        here = self.url("app", op.app, "item", short(op), **{param: args.get(param)})
        reads = [f'<a href="{self.url("app", op.app, "item", short(r), **{param: args.get(param)})}">'
                 f"{escape(human(short(r)))}</a>" for r in record_reads(self.ops, op.app, self.device, param) if r is not op]
        links = " ".join(reads + [
            f'<a href="{self.url("app", op.app, "form", short(a), **{param: args.get(param), "_next": here})}">'
            f"{escape(human(short(a)))}</a>" for a in item_actions(self.ops, op.app, self.device, param)])
        actions = f'<nav class="tabs" aria-label="Actions">{links}</nav>' if links else ""
        return self.app_page(op.app, f"<h2>{escape(title)}</h2>{actions}{self.value(result, op.app, param[:-3])}",
                             title)

    def form(self, op: Operation, values: dict[str, Any], error: str = "", nxt: str = "") -> str:
        hidden = {k for k in values if k.endswith("_id") and k in op.parameters.get("required", [])
                  and values.get(k) not in (None, "")}
        alert = f'<p role="alert">Error: {escape(error)}</p>' if error else ""
        doc = op.doc.split("\n\n")[0]
        body = (f"<h2>{escape(human(short(op)))}</h2>{alert}<p>{escape(doc)}</p>"
                f"{render_form(op, self.url('app', op.app, 'do', short(op)), values, hidden, nxt=nxt)}")
        return self.app_page(op.app, body, human(short(op)))

    # -- values --------------------------------------------------------------------------------
    def value(self, value: Any, app: str, entity: str | None, depth: int = 0) -> str:
        if isinstance(value, list):
            if not value:
                return "<p>Nothing here.</p>"
            if all(isinstance(v, dict) for v in value):
                return self.records(value, app, entity)
            return f"<p>{escape(', '.join(str(v) for v in value))}</p>"
        if isinstance(value, dict):
            rows = []
            for k, v in value.items():
                if isinstance(v, (dict, list)) and v and depth < 2 and not _scalars(v):
                    rows.append(f"<dt>{escape(human(k))}</dt><dd>{self.value(v, app, singular(k), depth + 1)}</dd>")
                else:
                    rows.append(f"<dt>{escape(human(k))}</dt><dd>{escape(_fmt(v))}</dd>")
            return f"<dl>{''.join(rows)}</dl>"
        return f"<p>{escape(_fmt(value))}</p>"

    def records(self, rows: list[dict[str, Any]], app: str, entity: str | None) -> str:
        param = id_param(self.ops, app, self.device, entity) if entity else None
        detail = detail_op(self.ops, app, self.device, param) if param else None
        actions = item_actions(self.ops, app, self.device, param) if param and detail is None else []
        here, key = self.here, param or "id"
        items = []
        for row in rows[:MAX_ITEMS]:
            title = _summary(row)
            rid = row.get("id")
            if detail is not None and rid is not None:
                head = f'<a href="{self.url("app", app, "item", short(detail), **{key: rid})}">{escape(title)}</a>'
            else:
                head = f"<span>{escape(title)}</span>"
            extra = [f"{human(k).lower()}: {_fmt(row[k])}" for k in SECONDARY if k in row and row[k] not in ("", None)
                     and _fmt(row[k]) != title][:4]
            meta = f'<span class="meta">{escape(" · ".join(extra))}</span>' if extra else ""
            acts = "".join(
                f' <a href="{self.url("app", app, "form", short(a), **{key: rid, "_next": here})}" '
                f'aria-label="{escape(human(short(a)))}: {escape(title)}">{escape(human(short(a)))}</a>'
                for a in actions if rid is not None)
            items.append(f"<li>{head}{meta}{acts}</li>")
        more = f"<p>{len(rows) - MAX_ITEMS} more not shown: narrow the search.</p>" if len(rows) > MAX_ITEMS else ""
        return f"<ul>{''.join(items)}</ul>{more}"


def _summary(row: dict[str, Any]) -> str:
    for key in SUMMARY:
        value = row.get(key)
        if value not in (None, "", []):
            text = _fmt(value)
            if key == "label" and "time" in row:
                text = f"{row['time']} {text}"
            return text[:100]
    return f"#{row.get('id', '?')}"


def _scalars(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if value is None:
        return "—"
    return str(value)


# -- the ASGI app ------------------------------------------------------------------------------
def build_app(srv: GuiServer) -> Starlette:
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, RedirectResponse
    from starlette.routing import Route

    def closed(text: str, code: int = 404) -> Response:
        return HTMLResponse(f'<!doctype html><html lang="en"><title>Closed</title><main><h1>{escape(text)}</h1>'
                            "</main></html>", code)

    async def handle(request: Request) -> Response:
        key, device, rest = request.path_params["key"], request.path_params["device"], request.path_params["rest"]
        session = srv.sessions.get(key)
        if session is None:
            return closed("This screen is no longer connected.")
        if device not in session.devices:
            return closed(f"There is no {device} in this task.")
        page = Page(session, device, f"/s/{key}/{device}")
        page.here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        parts = [p for p in rest.split("/") if p]
        if not parts:
            return HTMLResponse(page.home())
        if parts == ["shade"]:
            return HTMLResponse(page.shade())
        if parts[0] != "app" or len(parts) < 2:
            return closed("No such page.")
        app = parts[1]
        if app not in visible_apps(session, device) and app != "notifications":
            return closed(f"No app {app!r} on the {device}.")
        if len(parts) == 2:
            return HTMLResponse(page.app_home(app))
        if len(parts) != 4 or parts[2] not in ("view", "item", "form", "do"):
            return closed("No such page.")
        name = f"{app}.{parts[3]}"
        op = next((o for o in ops_on(session.world.operations, app, device) if o.name == name), None)
        if op is None:
            return closed(f"{human(parts[3])} is not available in {app_name(app)} on the {device}.")
        if parts[2] == "view":
            return HTMLResponse(page.view(op, request.query_params))
        if parts[2] == "item":
            return HTMLResponse(page.item(op, request.query_params))
        if parts[2] == "form":
            given = set(request.query_params.keys())  # prefill only what the link names; the rest keeps defaults
            values = {k: v for k, v in parse_form(op, request.query_params).items() if k in given}
            return HTMLResponse(page.form(op, values, nxt=request.query_params.get("_next", "")))
        if request.method != "POST":
            return closed("Submit the form to do this.", 405)
        form = parse_qs((await request.body()).decode(), keep_blank_values=True)  # urlencoded: no multipart here
        nxt = (form.get("_next") or [""])[0]
        args = parse_form(op, form)
        try:
            result = session.world.call(op.name, args)
        except OperationError as exc:
            return HTMLResponse(page.form(op, args, error=str(exc), nxt=nxt))
        done = f"{human(parts[3])}: done"
        if isinstance(result, dict) and result:
            done += f" ({_summary(result)})"
        session.flash[device] = done + "."
        if not nxt or short(op).startswith(("delete", "remove", "leave", "cancel")) and "/item/" in nxt:
            nxt = page.url("app", app)
        return RedirectResponse(nxt, status_code=303)

    return Starlette(routes=[Route("/s/{key}/{device}/{rest:path}", handle, methods=["GET", "POST"])])
