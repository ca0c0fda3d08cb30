"""Messages: conversations found by who is in them, groups, read state, and a friend's new number."""

from __future__ import annotations

import pytest

from clawgym.errors import Forbidden, InvalidArguments, NotFound
from clawgym.worlds import World


def _friend(world: World, i: int = 0):  # type: ignore[no-untyped-def]
    return [p for p in world.persona.people if p.relation == "friend"][i]


def test_texting_a_number_in_any_format_reaches_the_same_conversation(world: World) -> None:
    friend = _friend(world, 3)
    digits = friend.phone.replace("+1-", "").replace("-", "")
    first = world.call("messages.send", {"to": [friend.phone], "text": "Hi!"})
    again = world.call("messages.send", {"to": [f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"], "text": "Again"})
    assert first["thread_id"] == again["thread_id"]
    thread = world.call("messages.read_thread", {"thread_id": first["thread_id"]})["thread"]
    assert thread["title"] == friend.name and thread["participants"][0]["handle"] == friend.phone


def test_texting_by_exact_contact_name_uses_their_phone(world: World) -> None:
    friend = _friend(world, 4)
    sent = world.call("messages.send", {"to": [friend.name.upper()], "text": "Coffee?"})
    assert world.store.get("message_thread", sent["thread_id"])["handles"] == friend.phone


def test_an_unknown_name_is_rejected_and_changes_nothing(world: World) -> None:
    before = world.digest()
    with pytest.raises(InvalidArguments, match="field 'to': no contact named 'Nobody Atall'"):
        world.call("messages.send", {"to": ["Nobody Atall"], "text": "hello"})
    assert world.digest() == before


def test_incoming_message_notifies_counts_unread_and_reading_clears_it(world: World) -> None:
    friend = _friend(world, 5)
    msg = world.call("messages.receive", {"sender": friend.phone, "text": "Call me"}, system=True)
    thread = world.store.get("message_thread", msg["thread_id"])
    assert thread["unread"] >= 1 and msg["from"] == friend.name
    assert world.call("notifications.list", {"app": "messages"})[0]["body"] == "Call me"
    opened = world.call("messages.read_thread", {"thread_id": thread["id"]})
    assert opened["messages"][-1]["text"] == "Call me" and opened["thread"]["unread"] == 0
    assert world.store.count("message", {"thread_id": thread["id"], "read": False}) == 0
    assert world.call("messages.mark_read", {"thread_id": thread["id"], "read": False})["unread"] == 1


def test_replying_marks_the_conversation_read(world: World) -> None:
    friend = _friend(world, 5)
    msg = world.call("messages.receive", {"sender": friend.phone, "text": "You there?"}, system=True)
    world.call("messages.reply", {"thread_id": msg["thread_id"], "text": "Yes"})
    assert world.store.get("message_thread", msg["thread_id"])["unread"] == 0
    assert world.call("messages.get_message", {"message_id": msg["id"]})["read"] is True


def test_muted_conversation_does_not_notify(world: World) -> None:
    friend = _friend(world, 6)
    thread_id = world.call("messages.send", {"to": [friend.phone], "text": "hey"})["thread_id"]
    world.call("messages.mute_thread", {"thread_id": thread_id})
    before = world.call("notifications.list", {"app": "messages", "limit": 100})
    world.call("messages.receive", {"sender": friend.phone, "text": "quiet please"}, system=True)
    assert world.call("notifications.list", {"app": "messages", "limit": 100}) == before


def test_group_lifecycle_rename_add_and_leave(world: World) -> None:
    a, b, c = _friend(world, 2), _friend(world, 3), _friend(world, 4)
    group = world.call("messages.create_group", {"name": "Hike", "members": [a.phone, b.name]})
    assert group["is_group"] and {p["handle"] for p in group["participants"]} == {a.phone, b.phone}
    world.call("messages.receive", {"sender": a.phone, "text": "Saturday?", "thread_id": group["id"]}, system=True)
    with pytest.raises(Forbidden, match="not a participant"):
        world.call("messages.receive", {"sender": c.phone, "text": "me too", "thread_id": group["id"]}, system=True)
    assert world.call("messages.rename_group", {"thread_id": group["id"], "name": "Hikers"})["title"] == "Hikers"
    added = world.call("messages.add_to_group", {"thread_id": group["id"], "members": [c.phone]})
    assert c.phone in [p["handle"] for p in added["participants"]]
    world.call("messages.leave_group", {"thread_id": group["id"]})
    before = world.digest()
    with pytest.raises(Forbidden, match="left group"):
        world.call("messages.reply", {"thread_id": group["id"], "text": "bye"})
    with pytest.raises(Forbidden, match="left group"):
        world.call("messages.receive", {"sender": a.phone, "text": "?", "thread_id": group["id"]}, system=True)
    assert world.digest() == before


def test_group_operations_refuse_one_to_one_threads(world: World) -> None:
    thread_id = world.call("messages.send", {"to": [_friend(world, 2).phone], "text": "hi"})["thread_id"]
    with pytest.raises(Forbidden, match="not a group"):
        world.call("messages.rename_group", {"thread_id": thread_id, "name": "x"})


def test_reactions_replace_and_remove(world: World) -> None:
    msg = world.call("messages.receive", {"sender": _friend(world, 2).phone, "text": "Got the job!"}, system=True)
    world.call("messages.react", {"message_id": msg["id"], "emoji": "🎉"})
    assert world.call("messages.react", {"message_id": msg["id"], "emoji": "❤️"})["reactions"] == [
        {"by": "me", "emoji": "❤️"}]
    world.call("messages.react", {"message_id": msg["id"], "emoji": "❤️", "remove": True})
    with pytest.raises(Forbidden, match="no reaction"):
        world.call("messages.react", {"message_id": msg["id"], "emoji": "❤️", "remove": True})


def test_deleting_an_unread_message_lowers_the_unread_count(world: World) -> None:
    msg = world.call("messages.receive", {"sender": "+1-202-555-0111", "text": "spam"}, system=True)
    unread = world.store.get("message_thread", msg["thread_id"])["unread"]
    world.call("messages.delete_message", {"message_id": msg["id"]})
    assert world.store.get("message_thread", msg["thread_id"])["unread"] == unread - 1
    with pytest.raises(NotFound, match="no message with id"):
        world.call("messages.get_message", {"message_id": msg["id"]})


def test_pinned_threads_list_first(world: World) -> None:
    threads = world.call("messages.list_threads", {"limit": 50})
    last = threads[-1]
    world.call("messages.pin_thread", {"thread_id": last["id"]})
    assert world.call("messages.list_threads", {})[0]["id"] == last["id"]


def test_the_restaurant_recommendation_can_be_found(world: World) -> None:
    fact = world.store.select("fact", {"key": "messages.restaurant_recommendation", "kind": "seed"})[0]
    hits = world.call("messages.search", {"query": fact["value"]})
    assert fact["record_id"] in [h["id"] for h in hits]


def test_the_friend_with_a_new_number_is_only_known_by_signature(world: World) -> None:
    conflict = world.store.select("conflict", {"key": "messages.friend_phone"})[0]
    assert not conflict["explicit"]
    old, new = world.store.get("fact", conflict["superseded"]), world.store.get("fact", conflict["superseding"])
    message = world.call("messages.get_message", {"message_id": new["record_id"]})
    friend = next(p for p in world.persona.people if p.phone == old["value"])
    assert message["sender"] == new["value"] != old["value"] and message["from"] == new["value"]
    assert message["text"].endswith(f"- {friend.first}")
    listed = world.call("contacts.search", {"query": friend.name})
    assert listed[0]["phone"] == old["value"]  # the address book is never updated
