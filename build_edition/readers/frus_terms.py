"""A FRUS volume's list of abbreviations and terms: not a document, but the glossary.

``<list type="terms">`` holds items like ``<hi rend="strong"><term xml:id="t_AMC1">AMC</term>,</hi>
Additional Measures Committee (United Nations)``. The documents point at the
entries with ``gloss/@target="#t_AMC1"``; the edition's glossary page lists them
and each page explains the abbreviations its text links to.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .. import diagnostics as diag
from ..model import Diagnostic, Document, Glossary, GlossaryEntry, SourcePos
from ..source import SourceText, read_source
from .envelope import Envelope
from .frus_tei import TEI_NS, flat, local, looks_like_frus, parse, source_xml, xml_id

XML_SUFFIXES = (".xml", ".tei")


class FrusTermsReader:
    """The list of abbreviations copied out of a volume: it yields the glossary, no page."""

    name = "frus-terms"

    def score(self, source: SourceText) -> float:
        if not any('type="terms"' in line.text for line in source.lines):
            return 0.0  # the mark holds no white space, so it lies within one line or nowhere
        text = source_xml(source)
        if not looks_like_frus(text) and 'type="terms"' not in text[:4000]:
            return 0.0
        return 0.98 if 'type="terms"' in text and 'type="document"' not in text else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        """The lines as they are; ``documents`` is how this shape is read."""
        return Envelope(shape=self.name, contents=source.lines)

    def documents(self, source: SourceText, doc_id: str) -> tuple[Document, ...]:
        """No document to publish: only a note that the list feeds the glossary."""
        entries, problem = read_terms(source)
        first = SourcePos(path=source.path, line=1)
        note = problem or diag.make("glossary-source", first, count=len(entries))
        return (Document(id=doc_id, source=source.path, shape=self.name, diagnostics=(note,)),)


def read_terms(source: SourceText) -> tuple[tuple[GlossaryEntry, ...], Diagnostic | None]:
    """Every entry of every ``list type="terms"`` in the source (a list, or a whole volume)."""
    root, problem = parse(source)
    if root is None:
        return (), problem
    entries: list[GlossaryEntry] = []
    for terms in root.iter(f"{{{TEI_NS}}}list"):
        if terms.get("type") != "terms":
            continue
        for item in (i for i in terms if local(i) == "item"):
            term = next((t for t in item.iter() if local(t) == "term"), None)
            if term is None:
                continue
            word = flat(term)
            whole = flat(item)
            expansion = whole[len(word):].lstrip(" ,:—–-") if whole.startswith(word) else whole
            entries.append(GlossaryEntry(term=word, expansion=expansion, id=xml_id(term),
                                         pos=SourcePos(path=source.path, line=term.sourceline or 1)))
    return tuple(entries), None


def glossary_from_files(files: Iterable[Path], shown: Iterable[str]) -> Glossary:
    """The glossary of every list of terms among the sources (other files are not parsed)."""
    entries: list[GlossaryEntry] = []
    for path, name in zip(files, shown):
        if path.suffix.lower() not in XML_SUFFIXES:
            continue
        try:
            with path.open("rb") as handle:
                if b'type="terms"' not in handle.read():
                    continue
        except OSError:
            continue
        found, _ = read_terms(read_source(path, name))
        entries.extend(found)
    return Glossary(entries=tuple(entries))
