"""The urgent-care message, for the visitor or for the person they are writing about."""

from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.closing import send_closing
from bot.safety.rules import Urgency
from bot.wording import MissingWording, Responses, phrase


def joined(
    responses: Responses, prefix: str, ids: Sequence[str], joiner: str = "utter_signs_joined"
) -> str:
    """Things in words ("changes in bladder control, or ..."), from domain.yml's parts."""
    names = []
    for name in ids:
        try:
            names.append(phrase(responses, f"{prefix}{name}"))
        except MissingWording:
            continue
    if len(names) <= 1:
        return names[0] if names else ""
    return phrase(responses, joiner, first=", ".join(names[:-1]), second=names[-1])


def send_urgent(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    urgency: Urgency | None,
    sign_ids: Sequence[str],
    someone_else: bool = False,
) -> None:
    """The urgent message at the signs' urgency (both routes when not known), then the
    closing: the disclaimer stays, and the booking link comes after the advice."""
    signs = joined(domain["responses"], "utter_sign_", sign_ids)
    if urgency is None or not signs:
        dispatcher.utter_message(response="utter_urgent_unspecified")
    else:
        name = "utter_urgent_emergency" if urgency is Urgency.EMERGENCY else "utter_urgent_same_day"
        suffix = "_someone_else" if someone_else else ""
        dispatcher.utter_message(response=name + suffix, signs=signs)
    send_closing(dispatcher, tracker)
