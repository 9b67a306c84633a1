"""How a component after the classifiers changes a message's reading, the way Rasa's own
classifiers write it (intent, ranking, entities), keeping what it replaced."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

# The reading a guard replaced, kept on the message for the actions (and Rasa's logs).
OVERRIDDEN_INTENT_KEY = "overridden_intent"
MAX_RANKING = 10


def override_intent(message: Message, intent: str, confidence: float = 1.0) -> None:
    previous = message.get(INTENT) or {}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        [{"name": intent, "confidence": confidence}, *ranking][:MAX_RANKING],
        add_to_output=True,
    )
    if previous.get("name") and previous.get("name") != intent:
        message.set(OVERRIDDEN_INTENT_KEY, previous, add_to_output=True)
