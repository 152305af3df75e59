"""Side-by-side pages of two translations, paragraphs aligned, differences marked."""

from __future__ import annotations

import difflib

from ..annotators.variants import align, comparable_blocks
from ..model import Block, Document
from . import escape
from .edition import GeneratedPage, simple_page
from .urls import document_path, relative, variant_path


def variant_pages(documents: list[Document]) -> list[GeneratedPage]:
    """One page per pair of translations, named by their ids in order."""
    by_id = {d.id: d for d in documents}
    pages = []
    for document in documents:
        for link in document.variants:
            if document.id < link.other_id and link.other_id in by_id:
                pages.append(comparison_page(document, by_id[link.other_id], link.reasons))
    return pages


def comparison_page(left: Document, right: Document, reasons: tuple[str, ...]) -> GeneratedPage:
    path = variant_path(left.id, right.id)
    rows = align(comparable_blocks(left), comparable_blocks(right))
    lines = [
        "Two translations of the same document, paragraph by paragraph. Words that differ are "
        "<mark>marked</mark>; an empty cell means the other translation has no paragraph there.\n",
        f"Matched on: {escape.md(', '.join(reasons))}.\n",
        f"| [{escape.md_cell(left.title_text)}]({relative(path, document_path(left.id))}) "
        f"| [{escape.md_cell(right.title_text)}]({relative(path, document_path(right.id))}) |",
        "|---|---|",
    ]
    for row in rows:
        a, b = _text(row.left), _text(row.right)
        lines.append(f"| {_marked(a, b)} | {_marked(b, a)} |")
    return simple_page(path, f"Two translations compared: {left.date.isoformat() if left.date else left.id}", "\n".join(lines))


def _text(blocks: tuple[Block, ...]) -> str:
    return " ".join(" ".join(b.plain.split()) for b in blocks)


def _marked(mine: str, other: str) -> str:
    """``mine`` with the words absent from ``other`` wrapped in <mark>."""
    if not mine:
        return "—"
    a, b = mine.split(), other.split()
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    out = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        chunk = escape.md_cell(" ".join(a[i1:i2]))
        if chunk:
            out.append(chunk if tag == "equal" else f"<mark>{chunk}</mark>")
    return " ".join(out)
