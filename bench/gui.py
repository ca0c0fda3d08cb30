"""GUI benchmark: one GUI step and one GUI reset, each against a naive Playwright baseline measured in the same run.

- step: ``env.step`` of ``gui_click`` on a checkbox by ref (action + accessibility snapshot with refs, through the
  env; the figure by role+name is printed too) against Playwright's ``locator.click`` + ``aria_snapshot`` on the same element of the same page;
- page step: a link click that loads another page (fetch + swap) against ``page.goto`` + ``aria_snapshot``;
- reset: ``env.reset`` (world restore + GUI home screen in the kept context) and the GUI part alone, against a
  fresh browser context + page (what a reset without reuse would at least cost);
- scale: 8 envs with GUI devices stepping in one process.

Usage: ``python bench/gui.py [--n 40] [--json]`` (``--json``: one JSON object on the last line, key
``gui_step_ratio`` = naive step time / clawgym step time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from clawgym.envs.assistant import AssistantEnv
from clawgym.envs.gui.server import runtime
from clawgym.envs.task import TaskSpec
from clawgym.worlds import WorldSpec


def task() -> TaskSpec:
    return TaskSpec.model_validate({
        "id": "bench-gui", "world": WorldSpec(seed=7, months=1).model_dump(), "instruction": "bench",
        "surfaces": ["gui"], "devices": ["phone", "laptop"],
        "checks": [{"type": "called", "name": "x", "tool": "mail.send"}],
        "oracle": [{"tool": "finish", "args": {"answer": ""}}], "meta": {"category": "gui"}})


def p50_ms(fn: Callable[[], Any], n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def step(env: AssistantEnv, tool: str, **args: Any) -> str:
    obs = env.step({"tool": tool, "args": args})[0]
    if obs.startswith("error"):
        raise RuntimeError(obs)
    return obs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40, help="repetitions per figure")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    opts = parser.parse_args()
    n = opts.n
    env = AssistantEnv(task())
    env.reset()
    surface: Any = env.surface("gui")
    screens = surface.screens
    rt = runtime()
    step(env, "gui_open", app="reminders")
    step(env, "gui_click", role="link", name="Set alarm")
    page = screens.pages["phone"]

    # One GUI step: click a checkbox (no page load) and observe, through env.step.
    gui_step = p50_ms(lambda: step(env, "gui_click", role="checkbox", name="mon"), n)
    ref = screens.call(screens.resolve("phone", {"role": "checkbox", "name": "mon"}))[0]
    gui_step_ref = p50_ms(lambda: step(env, "gui_click", ref=ref), n)

    async def naive_click() -> None:
        await page.get_by_role("checkbox", name="mon").click()
        await page.locator("body").aria_snapshot()

    naive_step = p50_ms(lambda: rt.run(naive_click()), n)

    # A step that loads another page.
    def nav_pair() -> None:
        step(env, "gui_click", role="link", name="List alarms")
        step(env, "gui_click", role="link", name="Set alarm")

    gui_nav = p50_ms(nav_pair, n // 2) / 2
    url = page.url

    async def naive_nav() -> None:
        await page.goto(url, wait_until="domcontentloaded")
        await page.locator("body").aria_snapshot()

    naive_nav_ms = p50_ms(lambda: rt.run(naive_nav()), n // 2)
    rt.run(page.goto(url))  # leave a page of ours loaded
    screens.loaded["phone"] = True

    # Resets.
    env_reset = p50_ms(lambda: env.reset(), n // 2)
    gui_reset = p50_ms(lambda: surface.reset(env.world, env.task), n // 2)

    async def fresh_context() -> None:
        ctx = await screens.context.browser.new_context()
        await ctx.new_page()
        await ctx.close()

    new_context = p50_ms(lambda: rt.run(fresh_context()), max(3, n // 8))
    env.close()

    # Scale: 8 envs in one process.
    envs = [AssistantEnv(task()) for _ in range(8)]
    failures = steps = 0
    t = time.perf_counter()
    for e in envs:
        e.reset()
    for app in ("mail", "notes", "calendar", "contacts"):
        for e in envs:
            obs = e.step({"tool": "gui_open", "args": {"app": app}})[0]
            steps += 1
            failures += obs.startswith("error")
    eight_s = time.perf_counter() - t
    for e in envs:
        e.close()

    figures = {
        "gui_step_p50_ms": round(gui_step, 2),
        "gui_step_by_ref_p50_ms": round(gui_step_ref, 2),
        "naive_step_p50_ms": round(naive_step, 2),
        "gui_step_ratio": round(naive_step / gui_step_ref, 2),
        "gui_step_by_role_ratio": round(naive_step / gui_step, 2),
        "gui_page_step_p50_ms": round(gui_nav, 2),
        "naive_page_step_p50_ms": round(naive_nav_ms, 2),
        "gui_page_step_ratio": round(naive_nav_ms / gui_nav, 2),
        "env_reset_p50_ms": round(env_reset, 2),
        "gui_reset_p50_ms": round(gui_reset, 2),
        "new_context_p50_ms": round(new_context, 2),
        "gui_reset_ratio": round(new_context / gui_reset, 2),
        "eight_envs_steps": steps,
        "eight_envs_failures": failures,
        "eight_envs_s": round(eight_s, 2),
    }
    print(f"GUI step (checkbox click by ref + snapshot):    {gui_step_ref:7.2f} ms p50  (by role+name: {gui_step:.2f} ms)")
    print(f"  naive locator.click + aria_snapshot:          {naive_step:7.2f} ms p50  -> ratio "
          f"{naive_step / gui_step_ref:.2f}x (by role+name {naive_step / gui_step:.2f}x; target >= 2.5x, <= 20 ms)")
    print(f"GUI page step (link -> new page):               {gui_nav:7.2f} ms p50")
    print(f"  naive page.goto + aria_snapshot:              {naive_nav_ms:7.2f} ms p50  -> ratio {naive_nav_ms / gui_nav:.2f}x")
    print(f"GUI reset (surface only):                       {gui_reset:7.2f} ms p50  (env.reset in all: {env_reset:.2f} ms;"
          " target <= 60 ms)")
    print(f"  new context + page:                           {new_context:7.2f} ms p50  -> ratio {new_context / gui_reset:.2f}x")
    print(f"8 envs in one process: {steps} steps, {failures} failures, {eight_s:.2f} s (with resets)")
    if opts.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
