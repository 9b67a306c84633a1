"""The report's reading of visitors' words: identifiers masked, alike questions together."""

from __future__ import annotations

from bot.staff.report import masked, themes, what_is_asked


def test_email_addresses_and_phone_numbers_are_masked():
    text = masked("call me on +44 7700 900123 or mail jo.bloggs@example.com about my hip")
    assert text == "call me on [phone] or mail [email] about my hip"


def test_declined_questions_alike_in_meaning_make_one_theme(embedder):
    questions = [
        "can you treat a stiff neck?",
        "do you sell gift vouchers for a massage?",
        "my neck hurts when I turn my head, can you help?",
        "is there parking near the clinic?",
    ]
    grouped = themes(questions, embedder.encode)
    assert [t.size for t in grouped] == [2, 1, 1]
    assert grouped[0].examples == [questions[0], questions[2]]


def test_contact_details_are_not_part_of_what_a_question_is_about():
    assert what_is_asked("can you treat a stiff neck? my email is [email]") == (
        "can you treat a stiff neck?"
    )
    assert what_is_asked("call me on [phone]") == "call me on [phone]"


def test_a_visitors_control_characters_never_reach_a_staff_terminal():
    shown = masked("\x1b[31mmy neck\x1b[0m hurts\r\n\x07 can you help?")
    assert shown == "[31mmy neck[0m hurts can you help?"
    assert not any(ord(c) < 32 for c in shown)


def test_a_theme_shows_distinct_examples(embedder):
    questions = ["can you treat a stiff neck?"] * 3 + [
        "Can you  treat a stiff neck?",
        "my neck is stiff, can you help?",
    ]
    grouped = themes(questions, embedder.encode)
    assert grouped[0].size == 5
    assert grouped[0].examples == ["can you treat a stiff neck?", "my neck is stiff, can you help?"]
