"""The red-flag detector on messages as Rasa passes them, trained and saved as Rasa does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.red_flag_detector import CHECK_INTENT, RedFlagDetector
from bot.safety import ASSESSMENT_KEY
from bot.safety.decision import Assessment, Decision, assessment_of
from bot.safety.rules import Urgency

NLU = [
    ("can hip arthritis cause sciatica?", "ask_health_question"),
    ("my lower back aches when I sit", "describe_own_pain"),
    ("hello there", "greet"),
]
# A small labelled set, as eval/red_flags*.jsonl and eval/questions_blind_*.jsonl are.
RED_FLAG_SET = [
    {"id": "t-1", "text": "I cant pee since this morning", "red_flag": True, "sign": "bladder"},
    {"id": "t-2", "text": "my bum has gone numb since my back went", "red_flag": True},
    {"id": "t-3", "text": "I fell down the stairs and my hip is agony", "red_flag": True},
    {"id": "t-4", "text": "no bladder problems, just a stiff back", "red_flag": False},
]
QUESTIONS = [
    {"id": "q-1", "text": "can hip arthritis cause sciatica?"},
    {"id": "q-2", "text": "my lower back aches when I sit"},
]
CORPUS = """
red_flags:
  bladder:
    - nothing comes out when I try to wee
not_red_flags:
  - I leak a little when I sneeze, since my kids
"""


def message(text: str, intent: str = "ask_health_question") -> Message:
    m = Message(data={TEXT: text})
    m.set(INTENT, {"name": intent, "confidence": 0.9})
    m.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    return m


@pytest.fixture(scope="module")
def trained(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("detector")
    corpus = folder / "corpus.yml"
    corpus.write_text(CORPUS)
    storage = LocalModelStorage(folder)
    resource = Resource("red_flag_detector")
    context = ExecutionContext(GraphSchema({}), "test")
    labelled = folder / "eval"
    labelled.mkdir()
    write_jsonl(labelled / "red_flags_test.jsonl", RED_FLAG_SET)
    write_jsonl(labelled / "questions_blind_test.jsonl", QUESTIONS)
    config = {"corpus": str(corpus), "labelled_sets": str(labelled)}
    detector = RedFlagDetector.create(config, storage, resource, context)
    detector.train(nlu_data(NLU))
    return detector, storage, resource, context, config


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def nlu_data(examples: list[tuple[str, str]]) -> TrainingData:
    return TrainingData([Message(data={TEXT: t, INTENT: i}) for t, i in examples])


def test_a_red_flag_the_rules_confirm_is_an_alarm_whatever_the_classifiers_said(trained):
    detector = trained[0]
    m = message("I've wet myself twice since my back went", "describe_own_pain")
    detector.process([m])
    assert m.get(INTENT)["name"] == "red_flag"
    found = assessment_of(m.as_dict(only_output_properties=True))
    assert found.urgency is Urgency.EMERGENCY
    assert found.signs == ("bladder",)
    assert m.get("overridden_intent")["name"] == "describe_own_pain"


def test_an_ordinary_question_passes_unchanged(trained):
    detector = trained[0]
    m = message("what stretches help a stiff hip?")
    detector.process([m])
    assert m.get(INTENT)["name"] == "ask_health_question"
    assert m.get(ASSESSMENT_KEY)["decision"] == "none"


def test_a_suspicion_asks_and_keeps_what_the_visitor_was_doing(trained, monkeypatch):
    detector = trained[0]
    suspected = Assessment(Decision.ASK, ("bladder",), source="classifier", probability=0.6)
    monkeypatch.setattr(detector, "assess", lambda text, vector=None: suspected)
    m = message("things aren't working right downstairs, what stretches help?")
    detector.process([m])
    assert m.get(INTENT)["name"] == CHECK_INTENT
    assert assessment_of(m.as_dict(only_output_properties=True)) == suspected
    assert m.get("overridden_intent")["name"] == "ask_health_question"


def test_the_classifier_survives_saving_and_loading(trained):
    detector, storage, resource, context, config = trained
    loaded = RedFlagDetector.load(config, storage, resource, context)
    probe = ["I haven't been able to go to the toilet since yesterday", "hello"]
    for text in probe:
        before, after = detector.assess(text), loaded.assess(text)
        assert (after.decision, after.signs) == (before.decision, before.signs)
        assert after.probability == pytest.approx(before.probability, abs=1e-6)


def test_an_edit_to_the_nlu_examples_does_not_change_what_is_safe(trained):
    detector, storage, _, context, config = trained
    other = RedFlagDetector.create(config, storage, Resource("other_nlu"), context)
    other.train(nlu_data([*NLU, ("my bladder is fine, I just want to book", "book")]))
    for text in ("I leak when I sneeze", "my wee has stopped since my back went", "hello"):
        assert other.assess(text) == detector.assess(text)


def learned_from(folder: Path) -> tuple[Path, Path, dict[str, str]]:
    """A corpus and a labelled set in ``folder``, and the detector's config naming them."""
    corpus = folder / "corpus.yml"
    corpus.write_text(CORPUS)
    labelled = folder / "eval"
    labelled.mkdir()
    write_jsonl(labelled / "red_flags_test.jsonl", RED_FLAG_SET)
    return corpus, labelled, {"corpus": str(corpus), "labelled_sets": str(labelled)}


def test_a_changed_corpus_retrains_the_classifier(tmp_path):
    corpus, _, config = learned_from(tmp_path)
    before = RedFlagDetector.fingerprint_addon(config)
    corpus.write_text(CORPUS + "  - my back aches after gardening\n")
    assert RedFlagDetector.fingerprint_addon(config) != before


def test_a_changed_labelled_set_retrains_the_classifier(tmp_path):
    _, labelled, config = learned_from(tmp_path)
    before = RedFlagDetector.fingerprint_addon(config)
    write_jsonl(labelled / "red_flags_test.jsonl", RED_FLAG_SET[:-1])
    assert RedFlagDetector.fingerprint_addon(config) != before


def test_the_detector_reads_the_featurizers_vector_instead_of_encoding_again(embedder):
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

    from bot.nlu.featurizer import SentenceEmbeddingFeaturizer, sentence_vector
    from bot.nlu.vector_wire import SENTENCE_VECTOR_KEY, from_wire

    texts = ["I can't pee since this morning", "what stretches help a stiff hip?"]
    messages = [Message(data={TEXT: text}) for text in texts]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(messages)
    config = SentenceEmbeddingFeaturizer.get_default_config()
    featurizer = SentenceEmbeddingFeaturizer(config, "featurizer", embedder)
    featurizer.process(messages)
    for message, text in zip(messages, texts, strict=True):
        own = embedder.encode([text])[0]
        shared = sentence_vector(message, embedder.dimension)
        assert float(shared @ own) == pytest.approx(1.0, abs=1e-5)
        # Published in Rasa's parse output for the action server, which then does not
        # encode the message again: the same vector, to half precision.
        published = message.as_dict(only_output_properties=True)[SENTENCE_VECTOR_KEY]
        assert float(from_wire(published) @ own) == pytest.approx(1.0, abs=1e-3)
    assert sentence_vector(Message(data={TEXT: "no features"}), embedder.dimension) is None
