"""Which messages get the "I only answer in English" note instead of an answer."""

from __future__ import annotations

import pytest

from bot.nlu.language import looks_non_english


@pytest.mark.parametrize(
    "text",
    [
        "Me duele la cadera y la espalda desde hace un mes",
        "J'ai mal à la hanche depuis une semaine, que faire ?",
        "Ich habe seit Wochen Schmerzen in der Hüfte und im Rücken",
        "мне больно в бедре",
    ],
)
def test_other_languages_are_recognised(text):
    assert looks_non_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "r u human",
        "r u a bot or a real person",
        "y does my hip hurt when i sit",
        "k thx bye",
        "my hip is sore",
        "can hip arthritis cause sciatica?",
    ],
)
def test_english_text_speak_is_not_taken_for_another_language(text):
    assert not looks_non_english(text)
