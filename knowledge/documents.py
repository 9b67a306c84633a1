"""The clinic's articles as documents: Markdown files with a small front-matter block."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

FRONT_MATTER_FENCE = "---"


@dataclass(frozen=True)
class Document:
    """One article; ``sha256`` lets the index notice when its text changes."""

    id: str
    title: str
    publisher: str
    source_url: str | None
    body: str
    sha256: str
    path: Path


class DocumentError(ValueError):
    """An article file that cannot be used; the message says which file and why."""


def parse_document(path: Path) -> Document:
    raw = path.read_text(encoding="utf-8")
    meta, body = _split_front_matter(raw, path)
    title = str(meta.get("title") or "").strip()
    if not title:
        raise DocumentError(f"{path}: front matter needs a 'title'")
    return Document(
        id=str(meta.get("id") or path.stem).strip(),
        title=title,
        publisher=str(meta.get("publisher") or "the clinic").strip(),
        source_url=(str(meta["source_url"]).strip() if meta.get("source_url") else None),
        body=body,
        sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        path=path,
    )


def load_documents(folder: Path) -> list[Document]:
    """Every ``*.md`` in the folder, sorted by file name; ids must be unique."""
    documents = [parse_document(p) for p in sorted(folder.glob("*.md"))]
    seen: dict[str, Path] = {}
    for doc in documents:
        if doc.id in seen:
            raise DocumentError(f"{doc.path}: id '{doc.id}' is already used by {seen[doc.id]}")
        seen[doc.id] = doc.path
    return documents


def _split_front_matter(raw: str, path: Path) -> tuple[dict[str, str], str]:
    lines = raw.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise DocumentError(f"{path}: must start with a '---' front-matter block")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == FRONT_MATTER_FENCE)
    except StopIteration as exc:
        raise DocumentError(f"{path}: front-matter block is not closed with '---'") from exc
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise DocumentError(f"{path}, line {number}: expected 'key: value'")
        # Split on the first colon only: titles such as "Hip Pain: Why..." need no quoting.
        meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, "\n".join(lines[end + 1 :])
