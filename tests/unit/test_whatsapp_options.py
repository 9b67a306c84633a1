"""WhatsApp shows no buttons: options are numbered, and a number picks its option."""

from __future__ import annotations

from bot.channels.whatsapp import chosen_option, numbered

YES_NO = [
    {"title": "Yes", "payload": "Yes"},
    {"title": "No", "payload": "No"},
    {"title": "Not sure", "payload": "Not sure"},
    {"title": "Book a consultation", "url": "https://clinic.test/book"},
]


def question(buttons=YES_NO) -> dict:
    return {"event": "bot", "text": "have you had...?", "data": {"buttons": buttons}}


def test_options_are_written_as_a_numbered_list_without_the_links():
    text = numbered("Have you had any new trouble passing urine?", YES_NO)
    assert "1. Yes\n2. No\n3. Not sure" in text
    assert "Book a consultation" not in text
    assert "Reply with a number" in text


def test_a_number_picks_the_option_of_the_last_question():
    events = [{"event": "user", "text": "hi"}, question()]
    assert chosen_option("1", events) == "Yes"
    assert chosen_option(" 3. ", events) == "Not sure"


def test_a_number_out_of_range_or_after_the_visitor_spoke_picks_nothing():
    assert chosen_option("7", [question()]) is None
    assert chosen_option("2", [question(), {"event": "user", "text": "something"}]) is None
    assert chosen_option("2 weeks", [question()]) is None
