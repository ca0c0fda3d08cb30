"""GuiSurface: the phone's and the laptop's screens as tools (``gui_click``, ``gui_type``, ...).

>>> env = AssistantEnv(task_with_surfaces_gui)  # doctest: +SKIP
>>> obs, info = env.reset()  # the first observation ends with the phone's home screen  # doctest: +SKIP
>>> env.step({"tool": "gui_open", "args": {"app": "mail"}})  # doctest: +SKIP

Every write goes through ``world.call`` inside the page's request, during the step, so the API and the CLI
see it at once. Bad refs and impossible actions come back as observations starting with ``error:``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from clawgym.envs.gui.driver import Screens, Shot
from clawgym.envs.gui.pages import app_name, visible_apps
from clawgym.envs.gui.server import GUI_DEVICES, server
from clawgym.envs.surface import Outcome

if TYPE_CHECKING:
    from clawgym.envs.task import TaskSpec
    from clawgym.worlds.world import World

ObsMode = Literal["text", "screenshot"]
_TARGET = {
    "ref": {"type": "string", "description": "the element's ref from the latest snapshot, e.g. e12"},
    "role": {"type": "string", "description": "instead of a ref: the element's role, e.g. button, link, textbox"},
    "name": {"type": "string", "description": "with role: the element's accessible name as the snapshot shows it"},
    "within": {"type": "string", "description": "with role and name: the name of an enclosing group, form or item"},
}


def _tool(name: str, doc: str, props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": doc, "parameters": {
        "type": "object", "properties": props, "required": required or []}}}


TOOLS = [
    _tool("gui_click", "Click (tap) an element of the current screen: a link, button, checkbox or radio. "
          "Name it by its ref from the snapshot ([e12] -> \"e12\"), or by role and name.", _TARGET),
    _tool("gui_tap", "Same as gui_click (for touch screens).", _TARGET),
    _tool("gui_type", "Type text into a text field, replacing what it holds; submit=true then presses Enter.",
          {**_TARGET, "text": {"type": "string"}, "submit": {"type": "boolean", "default": False}}, ["text"]),
    _tool("gui_press", "Press a key on the focused element, e.g. Enter, Tab, Escape, Backspace, ArrowDown.",
          {"key": {"type": "string"}}, ["key"]),
    _tool("gui_scroll", "Scroll the current screen up or down by a number of screen heights (default 1).",
          {"direction": {"type": "string", "enum": ["up", "down", "left", "right"]},
           "pages": {"type": "number", "minimum": 0.1, "maximum": 10}}, ["direction"]),
    _tool("gui_open", "Open an app on the current device (e.g. mail, messages, calendar).",
          {"app": {"type": "string"}}, ["app"]),
    _tool("gui_back", "Go back to the previous screen.", {}),
    _tool("gui_home", "Go to the home screen (phone) or the desktop (laptop).", {}),
    _tool("gui_switch_device", "Use the other device's screen: phone or laptop.",
          {"device": {"type": "string", "enum": list(GUI_DEVICES)}}, ["device"]),
    _tool("gui_wait", "Let time pass (1 to 1440 minutes) looking at the screen, then see it again.",
          {"minutes": {"type": "integer", "minimum": 1, "maximum": 1440}}, ["minutes"]),
]
NAMES = {t["function"]["name"] for t in TOOLS}
_PATH = re.compile(r"^/s/[^/]+(/.*)$")


class GuiSurface:
    """The ``gui`` surface: a browser context with one page per device, showing this env's world."""

    name = "gui"

    def __init__(self, obs_mode: ObsMode = "text", start_device: str | None = None) -> None:
        if obs_mode not in ("text", "screenshot"):
            raise ValueError(f"obs_mode must be 'text' or 'screenshot', got {obs_mode!r}")
        self.obs_mode = obs_mode
        self.start_device = start_device
        self.screens = Screens()
        self.key: str | None = None
        self.devices: tuple[str, ...] = ()
        self.device = "phone"
        self.world: World | None = None
        self._loaded: set[str] = set()

    # -- Surface protocol ------------------------------------------------------------------------
    def tools(self) -> list[dict[str, Any]]:
        return TOOLS

    def handles(self, tool: str) -> bool:
        return tool in NAMES

    def reset(self, world: World, task: TaskSpec) -> str:
        srv = server()
        self.world = world
        self.devices = tuple(d for d in GUI_DEVICES if d in task.devices) or ("phone",)
        self.key = srv.open_session(world, task.apps, self.devices, self.key)
        start = self.start_device if self.start_device in self.devices else self.devices[0]
        self.device = start
        self.screens.new_episode()
        self._loaded = {start}
        shot = self.screens.call(self.screens.goto(start, self._url(start, "")))
        others = " and the ".join(d for d in self.devices if d != start)
        hint = f" (gui_switch_device reaches the {others})" if others else ""
        return f"You are looking at the {start}'s screen{hint}; act on it with the gui_* tools.\n{self._render(shot)}"

    def step(self, world: World, tool: str, args: dict[str, Any], index: int) -> Outcome:
        if self.key is None:
            return Outcome("error: the screens are not ready; reset the env first", None, False)
        if not isinstance(args, dict):
            return Outcome("error: arguments must be a JSON object", None, False)
        self.world = world
        shot, error = self._act(tool.replace("gui_", "", 1), args)
        if shot is None:
            return Outcome(error, {"device": self.device}, False)
        result: dict[str, Any] = {"device": self.device, "app": self._app(shot.url), "url": self._path(shot.url)}
        if self.obs_mode == "screenshot":
            result["screenshot"] = self.screenshot()
        return Outcome(self._render(shot), result, True)

    def sync(self, world: World) -> None:
        """Nothing to bring back: every page change already went through world.call."""

    def close(self) -> None:
        if self.key is not None:
            server().close_session(self.key)
            self.key = None
        if self.screens.context is not None:
            self.screens.call(self.screens.close())

    # -- actions ---------------------------------------------------------------------------------
    def screenshot(self) -> bytes:
        """A PNG of the current device's screen (its viewport size)."""
        return self.screens.call(self.screens.screenshot(self.device))  # type: ignore[no-any-return]

    def _act(self, action: str, args: dict[str, Any]) -> tuple[Shot | None, str]:
        s, device = self.screens, self.device
        if action in ("click", "tap"):
            return s.call(s.click(device, args))  # type: ignore[no-any-return]
        if action == "type":
            text = args.get("text")
            if not isinstance(text, str):
                return None, "error: gui_type needs \"text\": the string to type"
            return s.call(s.type(device, args, text, bool(args.get("submit", False))))  # type: ignore[no-any-return]
        if action == "press":
            key = args.get("key")
            if not isinstance(key, str) or not key:
                return None, "error: gui_press needs \"key\", e.g. Enter"
            return s.call(s.press(device, key))  # type: ignore[no-any-return]
        if action == "scroll":
            direction = args.get("direction")
            if direction not in ("up", "down", "left", "right"):
                return None, f"error: direction must be up, down, left or right, got {direction!r}"
            pages = args.get("pages", 1)
            if not isinstance(pages, (int, float)) or not 0.1 <= pages <= 10:
                return None, f"error: pages must be a number from 0.1 to 10, got {pages!r}"
            return s.call(s.scroll(device, direction, float(pages))), ""
        if action == "open":
            return self._open(args.get("app"))
        if action == "back":
            return s.call(s.back(device))  # type: ignore[no-any-return]
        if action == "home":
            return s.call(s.goto(device, self._url(device, ""))), ""
        if action == "switch_device":
            return self._switch(args.get("device"))
        if action == "wait":
            return self._wait(args.get("minutes"))
        return None, f"error: unknown GUI action {action!r}"

    def _open(self, app: Any) -> tuple[Shot | None, str]:
        assert self.world is not None and self.key is not None
        session = server().sessions[self.key]
        apps = visible_apps(session, self.device)
        if app == "notifications":
            return self.screens.call(self.screens.goto(self.device, self._url(self.device, "shade"))), ""
        if not isinstance(app, str) or app not in apps:
            names = ", ".join(apps)
            return None, f"error: no app {app!r} on the {self.device}; its apps: {names}"
        return self.screens.call(self.screens.goto(self.device, self._url(self.device, f"app/{app}"))), ""

    def _switch(self, device: Any) -> tuple[Shot | None, str]:
        if device not in self.devices:
            return None, f"error: device must be one of {', '.join(self.devices)}, got {device!r}"
        self.device = device
        if device not in self._loaded:  # first use this episode: start at its home screen
            self._loaded.add(device)
            return self.screens.call(self.screens.goto(device, self._url(device, ""))), ""
        return self.screens.call(self.screens.snap(device)), ""

    def _wait(self, minutes: Any) -> tuple[Shot | None, str]:
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 1440:
            return None, f"error: gui_wait needs \"minutes\": an integer from 1 to 1440, got {minutes!r}"
        assert self.world is not None
        self.world.advance(timedelta(minutes=minutes))
        return self.screens.call(self.screens.reload(self.device)), ""

    # -- observation -----------------------------------------------------------------------------
    def _url(self, device: str, rest: str) -> str:
        return f"{server().base_url}/s/{self.key}/{device}/{rest}"

    def _path(self, url: str) -> str:
        path = url.split("://", 1)[-1]
        path = path[path.find("/"):] if "/" in path else "/"
        m = _PATH.match(path)
        return m.group(1) if m else path

    def _app(self, url: str) -> str:
        parts = self._path(url).split("?")[0].split("/")
        if len(parts) > 3 and parts[2] == "app":
            return parts[3]
        return "notifications" if len(parts) > 2 and parts[2] == "shade" else "home screen"

    def _render(self, shot: Shot) -> str:
        app = self._app(shot.url)
        shown = app_name(app) if app not in ("home screen", "notifications") else app
        return f"[{self.device}] app: {shown} · url: {self._path(shot.url)}\n{shot.text}"
