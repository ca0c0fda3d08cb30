"""The GUI surface in a real headless Chromium: app flows write the world, refs, shade, tasks, screenshots."""

from __future__ import annotations

import struct
import time
from collections.abc import Iterator
from typing import Any

import pytest
from clawgym.agents.baselines import NoopAgent, OracleAgent
from clawgym.agents.rollout import run_episode
from clawgym.envs.assistant import AssistantEnv
from clawgym.envs.task import TaskSpec
from clawgym.agents.audit import audit_task
from clawgym.envs.tasks.templates.gui import gui_tasks
from clawgym.worlds import WorldSpec

SPEC = WorldSpec(seed=7, months=1)


def make_task(surfaces: list[str] | None = None, schedule: list[dict[str, Any]] | None = None,
              devices: list[str] | None = None, apps: list[str] | None = None) -> TaskSpec:
    return TaskSpec.model_validate({
        "id": "gui-test", "world": SPEC.model_dump(), "instruction": "Use the screens.",
        "surfaces": surfaces or ["gui"], "devices": devices or ["phone", "laptop", "cloud"], "apps": apps,
        "schedule": schedule or [],
        "checks": [{"type": "called", "name": "anything", "tool": "mail.send"}],
        "oracle": [{"tool": "finish", "args": {"answer": ""}}], "meta": {"category": "gui"}})


class Screen:
    """A test's hands on an env: ``do`` a GUI step and get its observation; ``ok`` asserts it worked."""

    def __init__(self, env: AssistantEnv) -> None:
        self.env = env
        self.obs, self.info = env.reset()

    @property
    def world(self) -> Any:
        return self.env.world

    def do(self, tool: str, **args: Any) -> str:
        self.obs, _, _, _, self.info = self.env.step({"tool": tool, "args": args})
        return self.obs

    def ok(self, tool: str, **args: Any) -> str:
        obs = self.do(tool, **args)
        assert not obs.startswith("error"), obs
        return obs

    def click(self, role: str, name: str, **more: Any) -> str:
        return self.ok("gui_click", role=role, name=name, **more)

    def type(self, name: str, text: str) -> str:
        return self.ok("gui_type", role="textbox", name=name, text=text)


@pytest.fixture
def screen() -> Iterator[Screen]:
    env = AssistantEnv(make_task(["api", "gui"]))
    yield Screen(env)
    env.close()


# -- each app's main flow changes the world as its operation would ---------------------------------
def test_sending_mail_on_the_laptop_is_seen_by_the_api_in_the_same_step(screen: Screen) -> None:
    screen.ok("gui_switch_device", device="laptop")
    screen.ok("gui_open", app="mail")
    screen.click("link", "Send")
    screen.type("To", "sam@example.com")
    screen.type("Subject", "Lunch plans")
    screen.type("Body", "Noon at the deli?")
    obs = screen.click("button", "Send")
    assert "Send: done" in obs
    found = screen.world.call("mail.search", {"query": "Lunch plans", "folder": "sent"})
    assert [m["to"] for m in found] == [["sam@example.com"]]
    row = screen.world.store.select("email", {"subject": "Lunch plans"})[0]
    assert row["origin"].startswith("agent:"), "a GUI write carries the agent's provenance"


def test_replying_in_a_message_thread_on_the_phone(screen: Screen) -> None:
    thread = screen.world.call("messages.list_threads", {"limit": 1})[0]
    screen.ok("gui_open", app="messages")
    screen.click("link", thread["title"])
    screen.click("link", "Reply")
    screen.type("Text", "On my way!")
    screen.click("button", "Reply")
    latest = screen.world.call("messages.read_thread", {"thread_id": thread["id"]})["messages"][-1]
    assert latest["text"] == "On my way!"


def test_creating_a_calendar_event(screen: Screen) -> None:
    screen.ok("gui_open", app="calendar")
    screen.click("link", "Create event")
    screen.type("Title", "Dentist")
    screen.type("Start", "2026-02-20T09:00")
    screen.type("End", "2026-02-20T10:00")
    screen.click("button", "Create event")
    events = screen.world.call("calendar.search_events", {"query": "Dentist"})
    assert [e["start"][:16] for e in events if e["title"] == "Dentist"] == ["2026-02-20T09:00"]


def test_creating_a_note_in_a_notebook(screen: Screen) -> None:
    screen.ok("gui_open", app="notes")
    screen.click("link", "Create")
    screen.type("Title", "Gate code")
    screen.type("Body", "4412#")
    screen.type("Notebook (optional)", "Home")
    screen.click("button", "Create")
    notes = screen.world.call("notes.search", {"query": "Gate code"})
    assert [(n["title"], n["notebook"]) for n in notes] == [("Gate code", "Home")]


def test_completing_a_reminder(screen: Screen) -> None:
    reminder = screen.world.call("reminders.list", {})[0]
    screen.ok("gui_open", app="reminders")
    screen.click("link", reminder["title"])
    screen.click("link", "Complete")
    screen.click("button", "Complete")
    after = screen.world.call("reminders.get", {"reminder_id": reminder["id"]})
    assert after["done"] or after["due"] != reminder["due"], "done, or a repeating one moved to its next time"


def test_favoriting_a_contact(screen: Screen) -> None:
    contact = next(c for c in screen.world.call("contacts.list", {}) if not c["favorite"])
    screen.ok("gui_open", app="contacts")
    screen.click("link", contact["name"])
    screen.click("link", "Favorite")
    assert '[checked]' in screen.obs.split('checkbox "Favorite"', 1)[1].split("\n", 1)[0]
    screen.click("button", "Favorite")
    assert screen.world.call("contacts.get", {"contact_id": contact["id"]})["favorite"] is True


def test_an_api_write_shows_on_the_screen_at_the_next_step(screen: Screen) -> None:
    screen.ok("gui_open", app="notes")
    assert "Shed combination" not in screen.obs
    screen.env.step({"tool": "notes_create", "args": {"title": "Shed combination", "body": "31-7-22"}})
    assert "Shed combination" in screen.ok("gui_open", app="notes")


def test_a_rejected_gui_write_shows_the_operations_error_and_changes_nothing(screen: Screen) -> None:
    before = screen.world.call("reminders.list_alarms")
    screen.ok("gui_open", app="reminders")
    screen.click("link", "Set alarm")
    screen.type("Time", "25:99")
    obs = screen.click("button", "Set alarm")
    assert "- text: Error: invalid arguments for reminders.set_alarm: field 'time'" in obs
    assert 'textbox "Time": 25:99' in obs, "the form keeps what was typed"
    assert screen.world.call("reminders.list_alarms") == before


# -- refs and bad actions ------------------------------------------------------------------------
def test_a_stale_ref_after_navigation_is_a_clear_observation(screen: Screen) -> None:
    first = screen.ok("gui_open", app="mail")
    old_ref = next(line.split("]")[0].split("[")[-1] for line in first.splitlines() if "link \"Send\"" in line)
    screen.click("link", "Send")
    obs = screen.do("gui_click", ref=old_ref)
    assert obs.startswith("error: ref") and "stale" in obs and "latest snapshot" in obs


def test_bad_refs_and_impossible_actions_are_observations_not_exceptions(screen: Screen) -> None:
    screen.ok("gui_open", app="mail")
    assert "does not exist" in screen.do("gui_click", ref="e9999")
    assert "not a ref" in screen.do("gui_click", ref="button")
    assert "not a text field" in screen.do("gui_type", role="link", name="Send", text="x")
    assert "no link named" in screen.do("gui_click", role="link", name="Teleport")
    assert "no app" in screen.do("gui_open", app="casino")
    assert "unknown key" in screen.do("gui_press", key="Hyperdrive")
    assert "device must be" in screen.do("gui_switch_device", device="fridge")
    assert "error" in screen.do("gui_scroll", direction="sideways")
    assert screen.env.trajectory.steps[-1].ok is False
    screen.env.reset()
    assert "no earlier screen" in screen.do("gui_back")


def test_back_returns_to_the_previous_screen(screen: Screen) -> None:
    screen.ok("gui_open", app="mail")
    screen.click("link", "Send")
    assert "url: /phone/app/mail\n" in screen.ok("gui_back")


def test_refs_are_the_same_for_the_same_actions_in_a_new_episode(screen: Screen) -> None:
    a = screen.ok("gui_open", app="contacts")
    screen.obs, _ = screen.env.reset()
    b = screen.ok("gui_open", app="contacts")
    assert a == b and "[e17] link" in a


def test_phone_only_settings_are_not_on_the_laptop(screen: Screen) -> None:
    phone = screen.ok("gui_open", app="reminders")
    assert 'link "Set alarm"' in phone and 'link "List alarms"' in phone
    screen.ok("gui_switch_device", device="laptop")
    laptop = screen.ok("gui_open", app="reminders")
    assert "alarm" not in laptop.lower().replace("reminders", "")
    assert "navigation \"App switcher\"" in laptop


# -- the phone's notification shade --------------------------------------------------------------
def test_the_notification_shade_shows_an_event_that_fired_mid_episode() -> None:
    text = "Running 10 minutes late, save me a seat"
    task = make_task(schedule=[{"after_minutes": 5, "op": "messages.receive",
                                "args": {"sender": "+1-555-010-2030", "text": text}}])
    env = AssistantEnv(task)
    try:
        screen = Screen(env)
        assert text not in screen.ok("gui_open", app="notifications")
        screen.ok("gui_wait", minutes=10)
        assert text in screen.obs, screen.obs
        screen.ok("gui_home")
        assert text in screen.click("link", "Notifications")
    finally:
        env.close()


# -- screenshots ---------------------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_screenshots_are_pngs_of_each_devices_viewport() -> None:
    env = AssistantEnv(make_task(), surface_options={"gui": {"obs_mode": "screenshot"}})
    try:
        screen = Screen(env)
        screen.ok("gui_open", app="mail")
        assert png_size(screen.info["result"]["screenshot"]) == (390, 844)
        screen.ok("gui_switch_device", device="laptop")
        assert png_size(screen.info["result"]["screenshot"]) == (1280, 800)
    finally:
        env.close()


def test_screenshots_are_off_by_default(screen: Screen) -> None:
    screen.ok("gui_open", app="mail")
    assert "screenshot" not in screen.info["result"]


# -- tasks ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tasks() -> list[TaskSpec]:
    return gui_tasks(SPEC)


def test_every_gui_template_makes_a_task(tasks: list[TaskSpec]) -> None:
    assert len(tasks) == 4 and all(t.surfaces == ["gui"] for t in tasks)


@pytest.mark.parametrize("index", range(4))
def test_gui_task_passes_its_audit(tasks: list[TaskSpec], index: int) -> None:
    """The assistant-env audit on GUI tasks: the oracle passes; no-op, random, stuffing and vandal fail."""
    task = tasks[index]
    oracle = run_episode(task, OracleAgent())
    assert oracle.passed, [s.observation[:200] for s in oracle.trajectory.steps]
    noop = run_episode(task, NoopAgent())
    assert not noop.passed and noop.score == 0.0
    result = audit_task(task)
    assert result.ok, result.violations


# -- scale ---------------------------------------------------------------------------------------
def test_resets_reuse_the_browser_context_and_are_fast(screen: Screen) -> None:
    context = screen.env.surface("gui").screens.context  # type: ignore[attr-defined]
    times = []
    for _ in range(5):
        t = time.perf_counter()
        screen.env.reset()
        times.append(time.perf_counter() - t)
    assert screen.env.surface("gui").screens.context is context  # type: ignore[attr-defined]
    assert sorted(times)[2] < 1.0


def test_eight_envs_step_in_one_process() -> None:
    envs = [AssistantEnv(make_task()) for _ in range(8)]
    try:
        screens = [Screen(env) for env in envs]
        for app in ("mail", "notes", "calendar"):
            for s in screens:
                assert app.capitalize() in s.ok("gui_open", app=app)
        keys = {env.surface("gui").key for env in envs}  # type: ignore[attr-defined]
        assert len(keys) == 8
    finally:
        for env in envs:
            env.close()


def test_screenshot_obs_mode_returns_text_and_a_png_of_the_device_screen(tasks: list[TaskSpec]) -> None:
    env = AssistantEnv(tasks[0], obs_mode="screenshot")
    try:
        obs, _ = env.reset()
        assert env.observation_space.contains(obs) and obs["text"].startswith("You are the digital assistant")
        assert png_size(obs["screenshot"]) == (390, 844)  # the phone
        obs, *_ = env.step({"tool": "gui_switch_device", "args": {"device": "laptop"}})
        assert env.observation_space.contains(obs) and png_size(obs["screenshot"]) == (1280, 800)
    finally:
        env.close()
    with pytest.raises(ValueError, match="needs a task with the gui surface"):
        AssistantEnv(make_task(surfaces=["api"]), obs_mode="screenshot")
