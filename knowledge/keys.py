"""What each passage is matched as: its embedding keys and the text word matching reads.

A passage's own words often leave its topic implicit ("Carrying excess body weight can
put additional stress on the hip joints"): the article title and section heading say
what it is about, so they go into the key that is embedded (never into the quoted text).
Each sentence is embedded too, under its heading, because a short question often matches
one sentence of a long passage better than the passage's average meaning, and so is each
question the article's author wrote for the passage.
"""

from __future__ import annotations

import re

from knowledge.chunking import Chunk

MIN_SENTENCE_CHARS = 25
_SENTENCE_BREAK = re.compile(r"(?<=[.!?:;])\s+|\n")


def passage_key(chunk: Chunk) -> str:
    """The whole passage with the title and heading that say what it is about."""
    context = [chunk.title]
    if chunk.section and chunk.section != chunk.title and chunk.kind != "faq":
        context.append(chunk.section)  # an FAQ passage starts with its question already
    body = _table_row_key(chunk) if chunk.kind == "table_row" else chunk.text
    return ": ".join([*context, body])


def sentence_keys(chunk: Chunk) -> list[str]:
    """One key per sentence (or table cell), or none if the passage is a single sentence."""
    if chunk.kind == "table_row":
        feature, cells = _feature_and_cells(chunk)
        # "Hip Arthritis pain location: Groin, ..." -- a cell means nothing without its row.
        parts = [f"{header} {feature.lower()}: {cell}" for header, cell in cells]
    else:
        parts = [p.strip(" -") for p in _SENTENCE_BREAK.split(chunk.text)]
        parts = [p for p in parts if len(p) >= MIN_SENTENCE_CHARS]
    prefix = f"{chunk.section}: " if chunk.section and chunk.kind != "faq" else ""
    return [prefix + p for p in parts] if len(parts) > 1 else []


def question_keys(chunk: Chunk) -> list[str]:
    """The questions the article's author wrote for the passage: each is a key of its own,
    as visitors word things."""
    return list(chunk.questions)


def lexical_text(chunk: Chunk) -> str:
    """Heading, text and the author's questions for word matching; the title is left out
    as every passage shares it."""
    words = [chunk.section, chunk.lead_in, chunk.text, *chunk.questions]
    return " ".join(w for w in words if w)


def _table_row_key(chunk: Chunk) -> str:
    """ "Pain location -- Hip Arthritis: Groin, ...; Lower Back Pain: ..." after the lead-in."""
    feature, cells = _feature_and_cells(chunk)
    row = f"{feature}: " + "; ".join(f"{header}: {cell}" for header, cell in cells)
    return f"{chunk.lead_in} {row}".strip()


def _feature_and_cells(chunk: Chunk) -> tuple[str, tuple[tuple[str, str], ...]]:
    """("Pain location", (("Hip Arthritis", "Groin, ..."), ...)): the row's first cell names it."""
    (_, feature), *rest = chunk.cells
    return feature, tuple(rest)
