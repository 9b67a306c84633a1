"""Conversations survive a restart of Rasa, and staff can delete them on request or by age."""

from __future__ import annotations

import re

from tests.stack.servers import bot_command


def user_texts(stack, sender: str) -> list[str]:
    return [e["text"] for e in stack.tracker(sender)["events"] if e["event"] == "user"]


def deleted(output: str) -> int:
    return int(re.search(r"Deleted (\d+)", output).group(1))


def test_triage_continues_after_rasa_restarts(stack):
    visitor = "persist-triage-1"
    stack.say(visitor, "I want to check my symptoms")
    stack.say(visitor, "groin")
    stack.restart_rasa()
    replies = stack.say(visitor, "walking and stairs")
    assert "How does sitting down affect it?" in " ".join(r.get("text", "") for r in replies)


def test_one_visitors_conversation_can_be_forgotten(stack):
    visitor = "privacy-forget-1"
    stack.say(visitor, "my hip hurts when I walk")
    assert user_texts(stack, visitor)
    assert deleted(bot_command(stack.running, "forget", visitor)) > 0
    assert user_texts(stack, visitor) == []


def test_conversations_past_retention_are_purged(stack):
    visitor = "privacy-purge-1"
    stack.say(visitor, "hello")
    bot_command(stack.running, "purge", "--days", "30")
    assert user_texts(stack, visitor), "a conversation from today must be kept"
    # Zero days: every conversation idle until now is past retention.
    assert deleted(bot_command(stack.running, "purge", "--days", "0")) > 0
    assert user_texts(stack, visitor) == []
