"""A suspected sign is asked about, in the words and on the channels visitors use."""

from __future__ import annotations

from twilio.request_validator import RequestValidator

from tests.stack.servers import TWILIO_AUTH_TOKEN
from tests.stack.test_channels import twilio_post, whatsapp_form
from tests.stack.test_end_to_end import assert_closing, texts

SUSPECTED = "my wee has been a bit weird since my back went, can hip arthritis cause sciatica?"
QUESTION = "one quick safety question"


def test_the_first_thing_a_suspected_sign_gets_is_a_yes_no_question(stack):
    replies = stack.say("check-first", SUSPECTED)
    assert len(replies) == 1
    assert QUESTION in replies[0]["text"] and "bladder" in replies[0]["text"]
    assert [b["title"] for b in replies[0]["buttons"]] == ["Yes", "No", "Not sure"]


def test_no_gets_the_answer_that_was_asked_for(stack):
    stack.say("check-no", SUSPECTED)
    replies = stack.say("check-no", "No")
    assert "It can mimic sciatica" in " ".join(texts(replies))
    assert not any("emergency" in t for t in texts(replies))
    assert_closing(replies)


def test_yes_or_not_sure_to_an_emergency_sign_sends_to_the_emergency_department(stack):
    for sender, answer in (("check-yes", "Yes"), ("check-unsure", "dunno really")):
        stack.say(sender, SUSPECTED)
        replies = stack.say(sender, answer)
        assert "emergency department now" in replies[0]["text"], answer
        assert_closing(replies)


def test_mid_triage_the_question_comes_before_the_next_one_and_no_carries_on(stack):
    visitor = "check-triage"
    stack.say(visitor, "I want to check my symptoms")
    stack.say(visitor, "groin")
    asked = stack.say(visitor, "stairs, and my wee has been a bit weird")
    assert QUESTION in asked[0]["text"]
    carried_on = stack.say(visitor, "no")
    assert "How does sitting down affect it?" in " ".join(texts(carried_on))


def test_whatsapp_numbers_the_options_and_reads_a_number_back(stack):
    url = f"{stack.web_url}/webhooks/twilio/webhook"
    before = len(stack.api.texts_to("Messages.json"))

    def send(text: str) -> None:
        form = whatsapp_form(text)
        twilio_post(stack, form, RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(url, form))

    send(SUSPECTED)
    assert stack.api.wait_for(
        lambda: any(QUESTION in t for t in stack.api.texts_to("Messages.json")[before:])
    )
    question = next(t for t in stack.api.texts_to("Messages.json")[before:] if QUESTION in t)
    assert "1. Yes\n2. No\n3. Not sure" in question
    send("1")
    assert stack.api.wait_for(
        lambda: any(
            "emergency department now" in t for t in stack.api.texts_to("Messages.json")[before:]
        )
    )
