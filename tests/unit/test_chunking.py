"""Passages follow the article's structure, so each one can be quoted and cited alone."""

from pathlib import Path

from knowledge.chunking import chunk_document
from knowledge.documents import parse_document
from knowledge.keys import passage_key, sentence_keys

ARTICLE = """---
id: sample
title: Sample: A Test Article
publisher: the clinic
---

# Sample: A Test Article

An introduction that is long enough to stand on its own as a passage of text.

## Helpful strategies

Helpful strategies include:

- exercises to increase hip range of motion,
- strengthening the gluteal muscles,

## Hip vs back clues

There are some clues:

| Feature | Hip | Back |
|---|---|---|
| Pain location | Groin, thigh | Lower back, leg |
| Relief position | Eased by sitting | Worsened by sitting |

## Frequently Asked Questions

### Can hip arthritis cause sciatica?

It can mimic sciatica.

### Should I still exercise?

Absolutely. Controlled activity helps.

> Note: the source copy of this article ends here.
"""


def _chunks(tmp_path: Path):
    path = tmp_path / "sample.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return chunk_document(parse_document(path))


def test_list_items_stay_with_their_lead_in(tmp_path):
    lists = [c for c in _chunks(tmp_path) if c.kind.startswith("list")]
    assert len(lists) == 1
    assert lists[0].text.startswith("Helpful strategies include:")
    assert "- strengthening the gluteal muscles," in lists[0].text
    assert lists[0].section == "Helpful strategies"


def test_each_table_row_carries_the_column_headers(tmp_path):
    rows = [c.text for c in _chunks(tmp_path) if c.kind == "table_row"]
    assert rows == [
        "Feature: Pain location; Hip: Groin, thigh; Back: Lower back, leg",
        "Feature: Relief position; Hip: Eased by sitting; Back: Worsened by sitting",
    ]


def test_a_table_lead_in_travels_with_each_row_not_as_a_passage(tmp_path):
    chunks = _chunks(tmp_path)
    assert not any(c.text == "There are some clues:" for c in chunks)
    assert {c.lead_in for c in chunks if c.kind == "table_row"} == {"There are some clues:"}


def test_keys_carry_title_heading_and_the_row_feature(tmp_path):
    row = next(c for c in _chunks(tmp_path) if c.kind == "table_row")
    assert passage_key(row) == (
        "Sample: A Test Article: Hip vs back clues: There are some clues: "
        "Pain location: Hip: Groin, thigh; Back: Lower back, leg"
    )
    assert sentence_keys(row) == [
        "Hip vs back clues: Hip pain location: Groin, thigh",
        "Hip vs back clues: Back pain location: Lower back, leg",
    ]
    faq = next(c for c in _chunks(tmp_path) if c.kind == "faq")
    assert passage_key(faq) == f"Sample: A Test Article: {faq.text}"


def test_each_faq_question_is_kept_with_its_answer(tmp_path):
    faqs = [c for c in _chunks(tmp_path) if c.kind == "faq"]
    assert [f.text for f in faqs] == [
        "Can hip arthritis cause sciatica?\nIt can mimic sciatica.",
        "Should I still exercise?\nAbsolutely. Controlled activity helps.",
    ]
    assert faqs[0].section == "Can hip arthritis cause sciatica?"


def test_editorial_notes_are_not_passages(tmp_path):
    assert not any("source copy" in c.text for c in _chunks(tmp_path))


def test_title_with_colon_needs_no_quoting(tmp_path):
    assert _chunks(tmp_path)[0].title == "Sample: A Test Article"


def test_the_clinic_articles_keep_the_comparison_table_and_faq():
    from knowledge import ARTICLES_DIR as ARTICLES

    chunks = [c for p in sorted(ARTICLES.glob("*.md")) for c in chunk_document(parse_document(p))]
    assert sum(c.kind == "table_row" for c in chunks) == 4
    questions = {c.section for c in chunks if c.kind == "faq"}
    assert "Can hip arthritis cause sciatica?" in questions
    assert len(questions) == 4
