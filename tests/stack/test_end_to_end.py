"""The real action server and Rasa server, talked to over Rasa's REST channel."""

from __future__ import annotations

from tests.stack.servers import BOOKING_OFFER, BOOKING_URL

DISCLAIMER = "not a diagnosis or medical advice"
# One line of a phone-width chat bubble, about.
COMPACT_CLOSING_CHARS = 90


def texts(replies: list[dict]) -> list[str]:
    return [r.get("text", "") for r in replies]


def assert_closing(replies: list[dict]) -> None:
    """The turn ends with one short line and the clinic's own booking button (the link once,
    on the button, so the answer above stays in view on a phone)."""
    last = replies[-1]
    assert DISCLAIMER in last["text"]
    assert len(last["text"]) <= COMPACT_CLOSING_CHARS
    assert BOOKING_URL not in last["text"]
    assert {"title": BOOKING_OFFER, "url": BOOKING_URL} in [
        {"title": b["title"], "url": b.get("url")} for b in last.get("buttons", [])
    ]


def test_greeting(stack):
    replies = stack.say("e2e-greet", "hi")
    assert "hip and lower back pain" in replies[0]["text"]


def test_faq_is_answered_from_the_article_with_a_citation(stack):
    replies = stack.say("e2e-faq", "Can hip arthritis cause sciatica?")
    answer = " ".join(texts(replies))
    assert "It can mimic sciatica" in answer
    assert "From *How Hip Arthritis Can Cause Back Pain" in answer
    assert_closing(replies)


def test_off_topic_question_is_declined_with_the_booking_link(stack):
    replies = stack.say("e2e-decline", "what's the best recipe for lasagne?")
    assert "can't help with that" in replies[0]["text"] or "don't answer that" in replies[0]["text"]
    assert_closing(replies)


def test_red_flag_as_first_message_goes_to_the_emergency_department(stack):
    replies = stack.say(
        "e2e-redflag", "my back hurts and since yesterday I can't feel when I need a wee"
    )
    assert "emergency department now" in replies[0]["text"]
    assert_closing(replies)


def test_triage_to_a_hip_like_summary_and_red_flag_mid_form(stack):
    visitor = "e2e-triage"
    replies = stack.say(visitor, "can you check my symptoms")
    assert any("Where do you feel the pain" in t for t in texts(replies))
    assert next(b["title"] for b in replies[-1]["buttons"]) == "Groin or front of the thigh"
    for answer in ("Groin or front of the thigh", "walking and stairs", "Sitting eases it"):
        stack.say(visitor, answer)
    stack.say(visitor, "crossing my legs and putting socks on")
    stack.say(visitor, "about 4 months")
    replies = stack.say(visitor, "None of these")
    summary = " ".join(texts(replies))
    assert "**hip-like**" in summary
    assert "Groin, buttock, front of thigh" in summary
    assert "not a diagnosis" in summary
    assert_closing(replies)

    stack.say(visitor, "I'd like to check my symptoms again")
    stack.say(visitor, "lower back")
    replies = stack.say(
        visitor, "actually I fell off a ladder this morning and now I can't put weight on my leg"
    )
    assert "doctor today" in replies[0]["text"]
    assert_closing(replies)
    # The triage stopped: the next message is a fresh question, not a triage answer.
    replies = stack.say(visitor, "what is a hip hinge?")
    assert "hinge" in " ".join(texts(replies)).lower()


def test_the_triage_offer_buttons_do_what_they_say(stack):
    offer = stack.say("e2e-offer-yes", "my hip has been aching for weeks")[-1]
    yes, no = offer["buttons"]
    replies = stack.say("e2e-offer-yes", yes["payload"])
    assert any("Where do you feel the pain" in t for t in texts(replies))

    stack.say("e2e-offer-no", "my hip has been aching for weeks")
    replies = stack.say("e2e-offer-no", no["payload"])
    assert "No problem" in replies[0]["text"]


def test_nonsense_answer_is_reasked_politely(stack):
    visitor = "e2e-reask"
    stack.say(visitor, "start the symptom questions")
    replies = stack.say(visitor, "purple monkey dishwasher")
    joined = " ".join(texts(replies))
    assert "didn't catch that" in joined
    assert "Where do you feel the pain" in joined


def test_a_follow_up_is_answered_once_in_context_and_the_conversation_goes_on(stack):
    visitor = "e2e-follow-up"
    stack.say(visitor, "how do I know if my pain is from my hip or my back")
    # Elliptical: read with the question before it. Once, not repeated until Rasa's
    # circuit breaker stops the conversation.
    replies = stack.say(visitor, "and if it's in the groin?")
    answers = [t for t in texts(replies) if "(From *" in t]
    assert len(answers) == 1, texts(replies)
    assert "Groin" in answers[0]
    assert_closing(replies)
    # The next message is answered too (after a loop it got nothing at all).
    replies = stack.say(visitor, "what is a hip hinge?")
    assert "hip hinge" in " ".join(texts(replies))
    assert_closing(replies)


def test_a_follow_up_asking_what_to_do_gets_another_passage_that_answers_it(stack):
    visitor = "e2e-follow-up-home"
    first = [
        t for t in texts(stack.say(visitor, "can hip arthritis cause sciatica?")) if "(From *" in t
    ]
    assert len(first) == 1 and "sciatica" in first[0].lower()
    replies = stack.say(visitor, "what can I do about it at home?")
    answers = [t for t in texts(replies) if "(From *" in t]
    # Not the sciatica answer again: a passage of what to do (exercises, strengthening...).
    assert len(answers) == 1 and answers[0] != first[0], texts(replies)
    what_to_do = ("exercis", "strengthen", "stretch", "mobility")
    assert any(word in answers[0].lower() for word in what_to_do), answers[0]
    assert_closing(replies)
