"""Playwright over Debian's Chromium: one browser per process, one context per env, one page per device.

Speed comes from doing what ``locator.click`` does without its waits: one script call checks that the element
is visible, enabled and not covered and returns its centre, then ``mouse.click`` presses there. Navigation is
awaited only when the element says it navigates (a link, a submit button), and the observation is one script
call (``snapshot.py``). A reset keeps the context and its pages: it only loads the home screen again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from clawgym.envs.gui.server import runtime
from clawgym.envs.gui.snapshot import SCRIPT, stale_reason

CHROMIUM = os.environ.get("CLAWGYM_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
NAV_TIMEOUT_MS = 10_000

_browser: Any = None
_playwright: Any = None


class BrowserMissing(RuntimeError):
    """Chromium is not installed where the driver looks for it."""


def browser_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


async def _launch() -> Any:
    global _browser, _playwright
    if _browser is None or not _browser.is_connected():
        if not browser_available():
            raise BrowserMissing(f"no Chromium at {CHROMIUM}: run scripts/setup-browser.sh (apt-get install chromium)")
        from playwright.async_api import async_playwright

        if _playwright is None:
            _playwright = await async_playwright().start()
        _browser = await _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    return _browser


@dataclass
class Shot:
    """One observation: the snapshot text and where it was taken."""

    text: str
    url: str
    title: str


class Screens:
    """One env's browser context: a page per device, refs numbered per episode."""

    def __init__(self) -> None:
        self.context: Any = None
        self.pages: dict[str, Any] = {}
        self.next_ref = 1
        self.first_ref: dict[str, int] = {}
        self.limit: dict[str, int] = {}
        self.history: dict[str, int] = {}  # navigations per device this episode (``back`` stops at the first)
        self.loaded: dict[str, bool] = {}  # the device's page holds one of our documents (with the script)

    def call(self, coro: Any) -> Any:
        return runtime().run(coro)

    async def open(self) -> None:
        if self.context is None:
            browser = await _launch()
            self.context = await browser.new_context(viewport=VIEWPORTS["laptop"], device_scale_factor=1,
                                                     java_script_enabled=True, service_workers="block")
            await self.context.add_init_script(script=SCRIPT)

    async def page(self, device: str) -> Any:
        await self.open()
        if device not in self.pages:
            page = await self.context.new_page()
            await page.set_viewport_size(VIEWPORTS[device])
            page.set_default_timeout(NAV_TIMEOUT_MS)
            self.pages[device] = page
        return self.pages[device]

    async def goto(self, device: str, url: str, count: bool = True) -> Shot:
        page = await self.page(device)
        if self.loaded.get(device):  # our app is on screen: load the page in place (no document navigation)
            await page.evaluate("(u) => window.__cg.visit(u, {method: 'GET'}, true)", url)
        else:
            await page.goto(url, wait_until="domcontentloaded")
            self.loaded[device] = True
        if count:
            self.history[device] = self.history.get(device, 0) + 1
        return await self.snap(device)

    async def snap(self, device: str) -> Shot:
        page = self.pages[device]
        for _ in range(3):
            try:
                data = await page.evaluate("(s) => window.__cg.snapshot(s)", self.next_ref)
                break
            except Exception as exc:  # a navigation we did not foresee replaced the document mid-call
                if "context was destroyed" not in str(exc) and "__cg" not in str(exc):
                    raise
                await page.wait_for_load_state("domcontentloaded")
        else:
            raise RuntimeError("the page kept navigating; no snapshot could be taken")
        return self._shot(device, page, data)

    def _shot(self, device: str, page: Any, data: dict[str, Any]) -> Shot:
        if data["fresh"]:
            self.first_ref[device] = data["first"]
        self.next_ref = max(self.next_ref, data["next"])
        self.limit[device] = data["next"]
        return Shot(data["text"], page.url, data["title"])

    async def resolve(self, device: str, target: dict[str, Any]) -> tuple[str | None, str]:
        """A ref from ``{"ref": ...}`` or ``{"role": ..., "name": ..., "within"?: ...}``; else (None, why)."""
        ref = target.get("ref")
        if isinstance(ref, str) and ref:
            return ref.strip("[] "), ""
        role, name = target.get("role"), target.get("name")
        if not isinstance(role, str) or not isinstance(name, str):
            return None, "error: give a ref (e.g. \"e12\") or a role and a name (e.g. role \"button\", name \"Send\")"
        found = await self.pages[device].evaluate("([r, n, w]) => window.__cg.find(r, n, w)",
                                                  [role, name, target.get("within") or ""])
        if not found["ok"]:
            return None, f"error: {found['reason']}"
        return str(found["ref"]), ""

    async def click(self, device: str, target: dict[str, Any]) -> tuple[Shot | None, str]:
        page = self.pages[device]
        ref, why = await self.resolve(device, target)
        if ref is None:
            return None, why
        info = await page.evaluate("([r, m]) => window.__cg.prepare(r, m)", [ref, "click"])
        if not info["ok"]:
            return None, self._why(device, ref, info)
        # The page's script turns a link or submit click into a fetch; the snapshot awaits it.
        await page.mouse.click(info["x"], info["y"])
        if info["nav"]:
            self.history[device] = self.history.get(device, 0) + 1
        return await self.snap(device), ""

    async def type(self, device: str, target: dict[str, Any], text: str, submit: bool) -> tuple[Shot | None, str]:
        page = self.pages[device]
        ref, why = await self.resolve(device, target)
        if ref is None:
            return None, why
        info = await page.evaluate("([r, m]) => window.__cg.prepare(r, m)", [ref, "type"])
        if not info["ok"]:
            return None, self._why(device, ref, info)
        data = await page.evaluate("([r, t, s]) => window.__cg.type(r, t, s)", [ref, text, self.next_ref])
        if submit:
            return await self.press(device, "Enter")
        return self._shot(device, page, data), ""

    async def press(self, device: str, key: str) -> tuple[Shot | None, str]:
        page = self.pages[device]
        navigates = key == "Enter" and await page.evaluate("() => window.__cg.enterNavigates()")
        try:
            await page.keyboard.press(key)
            if navigates:
                self.history[device] = self.history.get(device, 0) + 1
        except Exception as exc:  # Playwright names the unknown key
            if "Unknown key" in str(exc):
                return None, f"error: unknown key {key!r}; use names like Enter, Tab, Escape, Backspace, ArrowDown"
            raise
        return await self.snap(device), ""

    async def scroll(self, device: str, direction: str, pages: float) -> Shot:
        page = self.pages[device]
        height = VIEWPORTS[device]["height"] * 0.8 * pages
        dy = {"down": height, "up": -height}.get(direction, 0.0)
        dx = {"right": height, "left": -height}.get(direction, 0.0)
        await page.mouse.move(VIEWPORTS[device]["width"] / 2, VIEWPORTS[device]["height"] / 2)
        await page.mouse.wheel(dx, dy)
        await page.evaluate("() => new Promise(requestAnimationFrame)")
        return await self.snap(device)

    async def back(self, device: str) -> tuple[Shot | None, str]:
        if self.history.get(device, 0) <= 1:
            return None, "error: there is no earlier screen to go back to on this device"
        page = self.pages[device]
        await page.go_back(wait_until="commit")
        self.history[device] -= 1
        return await self.snap(device), ""

    async def reload(self, device: str) -> Shot:
        page = self.pages[device]
        await page.evaluate("() => window.__cg.visit(location.href, {method: 'GET'}, false)")
        return await self.snap(device)

    async def scroll_position(self, device: str) -> dict[str, Any]:
        return await self.pages[device].evaluate(  # type: ignore[no-any-return]
            "() => ({y: Math.round(scrollY), height: document.documentElement.scrollHeight, view: innerHeight})")

    async def screenshot(self, device: str) -> bytes:
        return await self.pages[device].screenshot(type="png")  # type: ignore[no-any-return]

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()
        self.context = None
        self.pages = {}

    def _why(self, device: str, ref: str, info: dict[str, Any]) -> str:
        if info.get("missing"):
            return stale_reason(ref, self.first_ref.get(device, 1), self.limit.get(device, self.next_ref))
        return f"error: cannot act on {ref}: {info['reason']}"

    def new_episode(self) -> None:
        self.next_ref = 1
        self.first_ref = {}
        self.limit = {}
        self.history = {}
