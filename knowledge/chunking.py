"""Split an article into passages that follow its structure.

A passage is the unit an answer quotes and cites, so each one must make sense alone:
a paragraph under its heading, a list with the sentence that introduces it, one row of a
table with the column headers, or one FAQ question with its answer. How a passage is
matched against questions is ``knowledge.keys``' job, not this module's.
"""

from __future__ import annotations

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

_markdown = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Chunk:
    """A passage before it is embedded; ``kind`` says which structure it came from."""

    article: str
    title: str
    section: str
    position: int
    kind: str  # "paragraph" | "list" | "list_item" | "table_row" | "faq"
    text: str
    # The sentence introducing a table ("there are some clues:"): context for matching each
    # row, whose text reads "Header: cell; Header: cell".
    lead_in: str = ""
    # A table row's cells with their column headers, first column first:
    # (("Feature", "Pain location"), ("Hip Arthritis", "Groin, ..."), ...).
    cells: tuple[tuple[str, str], ...] = ()


class _Piece(NamedTuple):
    kind: str
    section: str
    text: str
    lead_in: str = ""
    cells: tuple[tuple[str, str], ...] = ()


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
    def parent(self) -> str:
        below_title = [h for h in self.headings[1:] if h]
        return below_title[-2] if len(below_title) > 1 else ""


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
            pieces.append(_Piece("faq", faq_question, f"{faq_question}\n{' '.join(faq_answer)}"))
        faq_question, faq_answer = None, []

    def flush_lead_in() -> None:
        nonlocal pending_lead_in
        if pending_lead_in:
            pieces.append(_Piece("paragraph", section.label, pending_lead_in))
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
            pieces.extend(_list_pieces(section.label, lead_in, items))
            i = end
            continue
        if tok.type == "table_open":
            end = _skip_block(tokens, i, "table_close")
            # The lead-in only announces the table: alone it would be a passage that matches
            # many questions and answers none, so it travels with each row instead.
            lead_in, pending_lead_in = pending_lead_in or "", None
            rows = _table_rows(tokens[i:end])
            pieces.extend(
                _Piece("table_row", section.label, _row_text(cells), lead_in, cells)
                for cells in rows
            )
            if lead_in and not rows:
                pieces.append(_Piece("paragraph", section.label, lead_in))
            i = end
            continue
        i += 1
    flush_lead_in()
    flush_faq()

    pieces = _merge_short_paragraphs(pieces)
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
        )
        for n, piece in enumerate(pieces)
    ]


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


def _list_items(tokens: list[Token]) -> list[str]:
    items: list[str] = []
    depth = 0
    for j, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            depth += 1
            if depth == 1:
                items.append("")
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type == "inline" and items:
            items[-1] = f"{items[-1]} {_plain(tokens[j])}".strip()
    return [item for item in items if item]


def _list_pieces(label: str, lead_in: str | None, items: list[str]) -> list[_Piece]:
    if not items:
        return [_Piece("paragraph", label, lead_in)] if lead_in else []
    prefix = f"{lead_in}\n" if lead_in else ""
    average = sum(len(item) for item in items) / len(items)
    if average >= LONG_LIST_ITEM_CHARS:
        return [_Piece("list_item", label, f"{prefix}- {item}") for item in items]
    return [_Piece("list", label, prefix + "\n".join(f"- {item}" for item in items))]


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
