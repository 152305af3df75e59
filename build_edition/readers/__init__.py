"""Readers: one per input shape, chosen from a registry by the source's content."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from ..model import Document
from ..source import SourceText
from .compact import CompactPageReader
from .compilation import CompilationReader
from .frus_tei import FrusTeiReader
from .frus_terms import FrusTermsReader
from .frus_web import FrusWebReader
from .envelope import Envelope
from .html_page import HtmlPageReader
from .legacy_page import LegacyPageReader
from .pdf_text import PdfTextReader
from .record import read_record
from .shapes import ExportReader, TranscriptionReader, WebPageReader


class Reader(Protocol):
    name: str

    def score(self, source: SourceText) -> float: ...

    def envelope(self, source: SourceText) -> Envelope: ...


REGISTRY: tuple[Reader, ...] = (
    FrusTermsReader(),
    FrusTeiReader(),
    HtmlPageReader(),
    PdfTextReader(),
    CompilationReader(),
    FrusWebReader(),
    CompactPageReader(),
    LegacyPageReader(),
    ExportReader(),
    WebPageReader(),
    TranscriptionReader(),
)


def choose_reader(source: SourceText) -> Reader:
    """The reader most sure of the source's shape; the bare transcription last."""
    return max(REGISTRY, key=lambda reader: reader.score(source))


def read_documents(source: SourceText, doc_id: str) -> tuple[Document, ...]:
    """Read one decoded source into its Documents (a FRUS volume holds many), whatever its shape.

    Readers of structured sources (TEI) build the Documents themselves (``documents``);
    the others hand an envelope to the one record parser.
    """
    reader = choose_reader(source)
    direct = getattr(reader, "documents", None)
    if direct is not None:
        found = direct(source, doc_id)
        if source.diagnostics and found:
            found = (replace(found[0], diagnostics=source.diagnostics + found[0].diagnostics),) + found[1:]
        return found
    envelope = reader.envelope(source)
    if source.diagnostics:
        envelope = replace(envelope, diagnostics=source.diagnostics + envelope.diagnostics)
    document = read_record(envelope, doc_id, source.path)
    finish = getattr(reader, "finish", None)
    return (finish(document) if finish is not None else document,)


def read_document(source: SourceText, doc_id: str) -> Document:
    """Read one decoded source into a Document, whatever its shape (the first, for a volume)."""
    return read_documents(source, doc_id)[0]


__all__ = ["REGISTRY", "Reader", "choose_reader", "read_document", "read_documents"]
