"""The glossary page, and the abbreviations each document page explains on hover.

The entries come from the sources' lists of abbreviations (FRUS's ``list
type="terms"``). A page explains only the abbreviations its own text links to
the list (FRUS's ``gloss/@target``), through Markdown's ``abbr`` extension, which
Material shows as tooltips: a word that merely looks like an abbreviation in
another document gets no explanation it was never given.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Document, Glossary, GlossaryEntry
from . import escape
from .edition import GeneratedPage, simple_page

GLOSSARY_PATH = "glossary.md"


def entries_by_id(glossary: Glossary) -> dict[str, GlossaryEntry]:
    return {entry.id: entry for entry in glossary.entries if entry.id}


def abbreviations(document: Document, glossary: Glossary, by_id: dict[str, GlossaryEntry] | None = None) -> str:
    """Abbreviation definitions (``*[AMC]: Additional Measures Committee``) for the terms the text links to."""
    table = by_id if by_id is not None else entries_by_id(glossary)
    lines: dict[str, str] = {}
    for ref in document.terms:
        entry = table.get(ref.target) if ref.kind == "term" else None
        if entry is None or not _definable(ref.term) or ref.term in lines:
            continue
        lines[ref.term] = f"*[{ref.term}]: {_plain(entry.expansion)}"
    return "\n" + "\n".join(lines.values()) + "\n" if lines else ""


def _definable(term: str) -> bool:
    return bool(term.strip()) and not any(c in term for c in "[]\n*")


def _plain(text: str) -> str:
    """One line of text for a tooltip; the abbr extension puts it in an attribute, which Markdown escapes."""
    return " ".join(text.split())


def glossary_pages(glossary: Glossary) -> list[GeneratedPage]:
    """The glossary page: every term with its meaning and the list it comes from.

    Past ``PAGE_ENTRIES`` entries (the lists of a whole series of volumes), the page
    becomes an index of one page per initial, so that no page grows without bound.
    """
    if not glossary.entries:
        body = "The sources hold no list of abbreviations. A FRUS volume's list (`list type=\"terms\"`) fills this page.\n"
        return [simple_page(GLOSSARY_PATH, "Glossary", body)]
    entries = _unique(glossary.entries)
    intro = (
        "Abbreviations and terms as the sources' own lists explain them (FRUS's list of abbreviations). "
        "On a document page, an abbreviation the source links to this list shows its meaning on hover.\n"
    )
    if len(entries) <= PAGE_ENTRIES:
        return [simple_page(GLOSSARY_PATH, "Glossary", intro + "\n" + _table(entries))]
    groups: dict[str, list[GlossaryEntry]] = {}
    for entry in entries:
        groups.setdefault(_initial(entry.term), []).append(entry)
    links = "\n".join(f"- [{escape.md(key)}](glossary/{key.lower()}.md) ({len(group)} terms)"
                      for key, group in groups.items())
    pages = [simple_page(GLOSSARY_PATH, "Glossary", intro + "\n" + links + "\n")]
    pages += [simple_page(f"glossary/{key.lower()}.md", f"Glossary: {key}", _table(group)) for key, group in groups.items()]
    return pages


PAGE_ENTRIES = 1500


def _initial(term: str) -> str:
    first = term[:1].upper()
    return first if "A" <= first <= "Z" else "other"


def _table(entries: list[GlossaryEntry]) -> str:
    rows = ["| Term | Meaning | Source |", "|---|---|---|"]
    for entry in entries:
        source = f"{entry.pos.path}, line {entry.pos.line}"
        rows.append(f"| {escape.md_cell(entry.term)} | {escape.md_cell(entry.expansion)} | {escape.md_cell(source)} |")
    return "\n".join(rows) + "\n"


def _unique(entries: Iterable[GlossaryEntry]) -> list[GlossaryEntry]:
    seen: set[tuple[str, str]] = set()
    out = []
    for entry in sorted(entries, key=lambda e: (e.term.casefold(), e.term)):
        key = (entry.term, entry.expansion)
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out
