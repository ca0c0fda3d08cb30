"""The GUI device surface: service web apps for the phone and the laptop, driven in a real Chromium.

Pages are rendered from the world's state by its read operations and act only through its write operations
(``pages.py``); one ASGI server per process serves every env's world by a session key (``server.py``); one
browser per process holds one context per env (``driver.py``); agents see an accessibility snapshot with
element refs (``snapshot.py``) and act with ``gui_*`` tools (``surface.py``).
"""

from __future__ import annotations

__all__ = ["GuiSurface"]


def __getattr__(name: str) -> object:
    # Lazy: importing the package must not import Playwright.
    if name == "GuiSurface":
        from clawgym.envs.gui.surface import GuiSurface

        return GuiSurface
    raise AttributeError(name)
