"""The engine answers from the right passage, rejects what the articles don't cover,
and picks up new or changed articles by re-indexing alone."""

import json
import subprocess
import sys

import pytest

from knowledge.engine import KnowledgeEngine


def test_sciatica_question_finds_the_faq_answer(clinic_engine):
    result = clinic_engine.search("can hip arthritis cause sciatica", k=3)
    assert result.answerable
    best = result.passages[0]
    assert best.article == "hip-arthritis-back-pain"
    assert "It can mimic sciatica" in best.text
    assert best.citation.startswith("From *How Hip Arthritis Can Cause Back Pain")


@pytest.mark.parametrize(
    "question",
    [
        "how much ibuprofen can I take",
        "my knee hurts when I kneel",
        "what's the weather like tomorrow",
        "tell me a joke",
        "write me a python script",
    ],
)
def test_off_topic_questions_fall_below_the_relevance_bar(clinic_engine, question):
    assert not clinic_engine.search(question, k=3).answerable


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what is a hip hinge", "hip hinge"),
        ("does sitting make hip arthritis pain better or worse", "sitting"),
        ("should i keep exercising with arthritic hips", "low-impact"),
    ],
)
def test_in_scope_questions_clear_the_bar(clinic_engine, question, expected):
    result = clinic_engine.search(question, k=3)
    assert result.answerable
    assert any(expected in p.text for p in result.passages)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what are the symptoms of hip arthritus", "Stiffness, especially in the morning"),
        ("what stabilises the pelvis", "stabilizing the pelvis"),
    ],
)
def test_misspelt_and_uk_spelt_words_still_meet_the_article(clinic_engine, question, expected):
    passages = clinic_engine.search(question, k=3).passages
    assert any(expected in p.text for p in passages)


def test_new_article_is_found_after_reindexing_only(articles_copy, tmp_path, embedder):
    engine = KnowledgeEngine(articles_copy, tmp_path / "index", embedder=embedder)
    question = "does swimming help hip pain"
    assert not any("Swimming" in p.text for p in engine.search(question, 3).passages)

    (articles_copy / "swimming.md").write_text(
        "---\ntitle: Swimming and Your Hips\n---\n\n# Swimming and Your Hips\n\n"
        "## Why swimming helps\n\nSwimming takes weight off painful hips while keeping "
        "them moving, which many people with hip pain find eases their symptoms.\n",
        encoding="utf-8",
    )
    changes = engine.refresh()
    assert changes.added == ["swimming"]
    best = engine.search(question, 3).passages[0]
    assert best.article == "swimming"
    assert best.citation == "From *Swimming and Your Hips*, section *Why swimming helps*"


def test_changed_and_removed_articles_are_reindexed(articles_copy, tmp_path, embedder):
    engine = KnowledgeEngine(articles_copy, tmp_path / "index", embedder=embedder)
    target = articles_copy / "hip-and-low-back-connection.md"
    target.write_text(target.read_text(encoding="utf-8").replace("hip hinge", "hip pivot"))
    (articles_copy / "hip-and-back-pain-together.md").unlink()

    changes = engine.refresh()
    assert changes.changed == ["hip-and-low-back-connection"]
    assert changes.removed == ["hip-and-back-pain-together"]
    texts = " ".join(p.text for p in engine.search("hip pivot bending", 5).passages)
    assert "hip pivot" in texts
    assert all(
        p.article != "hip-and-back-pain-together" for p in engine.search("socks", 5).passages
    )


def test_unchanged_articles_are_not_reindexed(articles_copy, tmp_path, embedder):
    KnowledgeEngine(articles_copy, tmp_path / "index", embedder=embedder)
    again = KnowledgeEngine(articles_copy, tmp_path / "index", embedder=embedder)
    assert not again.last_changes.rebuilt


def test_command_line_batch_mode(tmp_path):
    lines = "\n".join(
        json.dumps(item)
        for item in (
            {"id": 1, "text": "can hip arthritis cause sciatica"},
            {"id": 2, "text": "how much ibuprofen can I take"},
        )
    )
    env = {"KNOWLEDGE_INDEX_DIR": str(tmp_path / "index")}
    done = subprocess.run(
        [sys.executable, "-m", "knowledge", "search", "--jsonl", "--top-k", "2"],
        input=lines,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
        check=True,
    )
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 2]
    assert out[0]["answerable"] is True
    assert out[0]["results"][0]["article"] == "hip-arthritis-back-pain"
    assert out[1]["answerable"] is False
    assert len(out[1]["results"]) == 2
