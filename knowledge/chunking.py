"""Split an article into passages that follow its structure.

A passage is the unit an answer quotes and cites, so each one must make sense alone:
a paragraph under its heading, a list with the sentence that introduces it, one row of a
table with the column headers, or one FAQ question with its answer. How a passage is
matched against questions is ``knowledge.keys``' job, not this module's.

Some paragraphs are not answers: a signpost ("Here, we'll explore the key components..."),
a summary of what came before ("Each of these factors can contribute..."), or an opening
about the clinic or the article ("Every day at Adaptive Massage, we encounter..."). They
are kept as ``signpost`` passages, never quoted; a signpost's words travel with the
passages of its part of the article, as context for matching them.

An author may add, after a passage, the questions it answers, as a Markdown comment:

    <!-- questions:
    - Can I swim with hip arthritis?
    - Is swimming good for a bad back?
    -->

and ``<!-- not an answer -->`` after a paragraph that should never be quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.token import Token

from knowledge.documents import Document

# A list whose items are this long on average is split into one passage per item
# (each still carrying its lead-in); shorter items stay together as one passage.
LONG_LIST_ITEM_CHARS = 90
# Paragraphs shorter than this ("Healthy hips mean a healthy back.") join a neighbour.
SHORT_PARAGRAPH_CHARS = 60
SIGNPOST = "signpost"
# How a paragraph says it announces, sums up or introduces rather than answers.
_SIGNPOST_CUES = re.compile(
    r"\b(?:here,? we(?:['’]ll| will)?|in this (?:section|post|article|blog)|"
    r"this (?:section|post|article|blog|guide) (?:will|explores|outlines|covers|looks|aims)|"
    r"the (?:next|following) section|let['’]?s (?:look|explore|take a look)|"
    r"each of these (?:factors|causes|consequences|strategies)|"
    r"understanding these (?:causes|consequences|factors))\b",
    re.IGNORECASE,
)
_ABOUT_THE_WRITER = re.compile(
    r"\b(?:every day at|at our (?:clinic|practice)|we (?:encounter|see|treat) (?:at least|many|lots)|"
    r"(?:this|our) (?:post|article|blog) (?:will|is))\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_QUESTIONS_COMMENT = re.compile(r"<!--\s*questions:\s*(.*?)-->", re.IGNORECASE | re.DOTALL)
_NOT_AN_ANSWER = re.compile(r"<!--\s*not an answer\s*-->", re.IGNORECASE)

_markdown = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Chunk:
    """A passage before it is embedded; ``kind`` says which structure it came from."""

    article: str
    title: str
    section: str
    position: int
    kind: str  # "paragraph" | "list" | "list_item" | "table_row" | "faq" | "signpost"
    text: str
    # The sentence introducing a table ("there are some clues:"): context for matching each
    # row, whose text reads "Header: cell; Header: cell".
    lead_in: str = ""
    # A table row's cells with their column headers, first column first:
    # (("Feature", "Pain location"), ("Hip Arthritis", "Groin, ..."), ...).
    cells: tuple[tuple[str, str], ...] = ()
    # Questions the author wrote for this passage (matched as keys too).
    questions: tuple[str, ...] = ()
    # The article's part (its h2 heading) the passage is in.
    part: str = ""


class _Piece(NamedTuple):
    kind: str
    section: str
    text: str
    lead_in: str = ""
    cells: tuple[tuple[str, str], ...] = ()
    questions: tuple[str, ...] = ()
    part: str = ""


@dataclass
class _Section:
    headings: list[str] = field(default_factory=list)

    def set(self, level: int, text: str) -> None:
        del self.headings[level - 1 :]
        while len(self.headings) < level - 1:
            self.headings.append("")
        self.headings.append(text)

    @property
    def label(self) -> str:
        """The deepest heading below the title (h2, or h3 under it)."""
        below_title = [h for h in self.headings[1:] if h]
        return below_title[-1] if below_title else ""

    @property
    def part(self) -> str:
        """The h2 heading the section is under (or is)."""
        return self.headings[1] if len(self.headings) > 1 else ""


def chunk_document(doc: Document) -> list[Chunk]:
    """Passages of one article, in reading order."""
    tokens = _markdown.parse(doc.body)
    section = _Section(headings=[doc.title])
    pieces: list[_Piece] = []
    pending_lead_in: str | None = None
    faq_question: str | None = None
    faq_answer: list[str] = []

    def flush_faq() -> None:
        nonlocal faq_question, faq_answer
        if faq_question and faq_answer:
            text = f"{faq_question}\n{' '.join(faq_answer)}"
            pieces.append(_Piece("faq", faq_question, text, part=section.part))
        faq_question, faq_answer = None, []

    def flush_lead_in() -> None:
        nonlocal pending_lead_in
        if pending_lead_in:
            pieces.append(_Piece("paragraph", section.label, pending_lead_in, part=section.part))
        pending_lead_in = None

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            flush_lead_in()
            flush_faq()
            level = int(tok.tag[1])
            text = tokens[i + 1].content.strip()
            if level == 1:
                section = _Section(headings=[text])
            else:
                section.set(level, text)
                if level >= 3 and text.endswith("?"):
                    faq_question = text
            i += 3
            continue
        if tok.type == "html_block":
            # An author's note on the passage just before it.
            flush_lead_in()
            flush_faq()
            if pieces:
                pieces[-1] = _annotated(pieces[-1], tok.content)
            i += 1
            continue
        if tok.type == "blockquote_open":
            # Editorial notes (such as "the source copy ends here") are not clinic content.
            i = _skip_block(tokens, i, "blockquote_close")
            continue
        if tok.type == "paragraph_open":
            text = _plain(tokens[i + 1])
            i += 3
            if faq_question:
                faq_answer.append(text)
                continue
            flush_lead_in()
            pending_lead_in = text
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            close = tok.type.replace("_open", "_close")
            end = _skip_block(tokens, i, close)
            items = _list_items(tokens[i:end])
            lead_in, pending_lead_in = pending_lead_in, None
            pieces.extend(
                p._replace(part=section.part) for p in _list_pieces(section.label, lead_in, items)
            )
            i = end
            continue
        if tok.type == "table_open":
            end = _skip_block(tokens, i, "table_close")
            # The lead-in only announces the table: alone it would be a passage that matches
            # many questions and answers none, so it travels with each row instead.
            lead_in, pending_lead_in = pending_lead_in or "", None
            rows = _table_rows(tokens[i:end])
            pieces.extend(
                _Piece(
                    "table_row", section.label, _row_text(cells), lead_in, cells, part=section.part
                )
                for cells in rows
            )
            if lead_in and not rows:
                pieces.append(_Piece("paragraph", section.label, lead_in, part=section.part))
            i = end
            continue
        i += 1
    flush_lead_in()
    flush_faq()

    pieces = _with_signposts(_merge_short_paragraphs(pieces))
    return [
        Chunk(
            article=doc.id,
            title=doc.title,
            section=piece.section,
            position=n,
            kind=piece.kind,
            text=piece.text,
            lead_in=piece.lead_in,
            cells=piece.cells,
            questions=piece.questions,
            part=piece.part,
        )
        for n, piece in enumerate(pieces)
    ]


def _is_signpost_sentence(sentence: str) -> bool:
    return bool(_SIGNPOST_CUES.search(sentence) or _ABOUT_THE_WRITER.search(sentence))


def _annotated(piece: _Piece, comment: str) -> _Piece:
    if _NOT_AN_ANSWER.search(comment):
        piece = piece._replace(kind=SIGNPOST)
    found = _QUESTIONS_COMMENT.search(comment)
    if found:
        asked = [line.strip().lstrip("-").strip() for line in found.group(1).splitlines()]
        piece = piece._replace(questions=piece.questions + tuple(q for q in asked if q))
    return piece


def _with_signposts(pieces: list[_Piece]) -> list[_Piece]:
    """Take the sentences that announce, sum up or introduce out of the paragraphs; a
    paragraph left with little else is a signpost. Their words travel with the passages
    after them in the same part of the article."""
    marked: list[_Piece] = []
    context = {"part": None, "text": ""}
    for piece in pieces:
        if piece.kind == "paragraph":
            sentences = _SENTENCE.findall(piece.text)
            kept = [t for t in sentences if not _is_signpost_sentence(t)]
            content = " ".join(t.strip() for t in kept)
            if len(content) < SHORT_PARAGRAPH_CHARS:
                piece = piece._replace(kind=SIGNPOST)
            elif len(kept) < len(sentences):
                context = {"part": piece.part, "text": piece.text}
                piece = piece._replace(text=content)
        if piece.kind == SIGNPOST:
            context = {"part": piece.part, "text": piece.text}
        elif context["text"] and piece.part == context["part"] and not piece.lead_in:
            piece = piece._replace(lead_in=context["text"])
        marked.append(piece)
    return marked


def _plain(inline: Token) -> str:
    """Inline Markdown as plain text (emphasis markers dropped, line breaks folded)."""
    if not inline.children:
        return inline.content.strip()
    parts = []
    for child in inline.children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _skip_block(tokens: list[Token], start: int, close_type: str) -> int:
    """Index just past the token closing the block opened at ``start`` (nesting aware)."""
    open_type = close_type.replace("_close", "_open")
    depth = 0
    for j in range(start, len(tokens)):
        if tokens[j].type == open_type:
            depth += 1
        elif tokens[j].type == close_type:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(tokens)


def _list_items(tokens: list[Token]) -> list[tuple[str, str]]:
    """Each item's text, with any author's note inside it (``<!-- questions: -->``)."""
    items: list[list[str]] = []
    depth = 0
    for j, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            depth += 1
            if depth == 1:
                items.append(["", ""])
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type == "inline" and items:
            items[-1][0] = f"{items[-1][0]} {_plain(tokens[j])}".strip()
        elif tok.type == "html_block" and items:
            items[-1][1] += tok.content
    return [(text, note) for text, note in items if text]


def _list_pieces(label: str, lead_in: str | None, items: list[tuple[str, str]]) -> list[_Piece]:
    if not items:
        return [_Piece("paragraph", label, lead_in)] if lead_in else []
    prefix = f"{lead_in}\n" if lead_in else ""
    average = sum(len(text) for text, _ in items) / len(items)
    if average >= LONG_LIST_ITEM_CHARS:
        return [
            _annotated(_Piece("list_item", label, f"{prefix}- {text}"), note)
            for text, note in items
        ]
    whole = _Piece("list", label, prefix + "\n".join(f"- {text}" for text, _ in items))
    return [_annotated(whole, "".join(note for _, note in items))]


def _table_rows(tokens: list[Token]) -> list[tuple[tuple[str, str], ...]]:
    """Each body row's cells, each with its column header ("" where the header is empty)."""
    headers: list[str] = []
    rows: list[list[str]] = []
    in_head = False
    for j, tok in enumerate(tokens):
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open" and not in_head:
            rows.append([])
        elif tok.type == "inline":
            (headers if in_head else rows[-1]).append(_plain(tokens[j]))
    padded = [*headers, *[""] * max((len(r) for r in rows), default=0)]
    return [tuple(zip(padded, cells, strict=False)) for cells in rows if cells]


def _row_text(cells: tuple[tuple[str, str], ...]) -> str:
    """A row as it is quoted: "Header: cell; Header: cell"."""
    return "; ".join(f"{header}: {cell}" if header else cell for header, cell in cells)


def _merge_short_paragraphs(pieces: list[_Piece]) -> list[_Piece]:
    """A one-line paragraph is too thin to answer alone; attach it to its neighbour."""
    merged: list[_Piece] = []
    for piece in pieces:
        short = piece.kind == "paragraph" and len(piece.text) < SHORT_PARAGRAPH_CHARS
        prev = merged[-1] if merged else None
        if short and prev and prev.kind == "paragraph" and prev.section == piece.section:
            merged[-1] = prev._replace(text=f"{prev.text} {piece.text}")
        else:
            merged.append(piece)
    return merged
