"""The compact record of one document that the edition stage works from.

The per-document stage (read, annotate, render) runs once per changed source; what
the edition-wide pages need of a document (its place in the chronology, its index
entries, its flags, its words for finding variant translations) is kept here, small
enough that ten thousand of them fit comfortably in memory and in the cache. No
edition page needs the parsed ``Document`` itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace

from .cache import content_key
from .model import Diagnostic, Document, InsertionKind
from .pickling import fast_pickling_in
from .registers.uses import DocumentNames, names_of

_WORD = re.compile(r"[a-z]{4,}")


def words(text: str) -> set[str]:
    """The words of four letters or more, lower-cased: what variant detection compares."""
    return set(_WORD.findall(text.lower()))


def text_words(document: Document) -> set[str]:
    return words(" ".join(b.plain for b in document.blocks))


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexEntry:
    """One line of an index: the key (a name, a number, a fond), its index, the document's role."""

    index: str
    key: str
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagEntry:
    """An editorial flag as the flags report lists it; ``number`` is its place among the document's flags."""

    number: int
    code: str
    place: str
    line: int
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Example:
    """The first insertion of a kind in a document, for the method page."""

    kind: InsertionKind
    shown: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentSummary:
    """What the edition stage knows of one document."""

    id: str
    source: str
    title: str
    date: dt.date | None
    doc_type: str | None
    telegram_number: str | None
    outgoing_number: str | None
    sender: str | None
    recipients: tuple[str, ...]
    summary: str | None
    uploaded: str | None
    entries: tuple[IndexEntry, ...]
    flags: tuple[FlagEntry, ...]
    examples: tuple[Example, ...]
    diagnostics: tuple[Diagnostic, ...]
    names: DocumentNames
    """What the document's names give the registers (``registers.uses``)."""
    words: bytes
    """The distinct words of the text (four letters or more), sorted, space-joined and zlib-compressed: only
    the comparison of the documents of a date whose documents changed reads them (``annotators.variants``)."""
    text_key: str
    """A hash of the words: equal for sources whose texts are identical."""
    shown_key: str = ""
    """A digest of every field that pages listing the document show (all but ``NOT_SHOWN``): the edition stage
    renders such a page again only when the digest of one of its documents changed (``stages._token``), so an
    edit to a document's text that changes none of them renders that document's own files only."""

    @property
    def word_set(self) -> set[str]:
        return set(zlib.decompress(self.words).decode("utf-8").split())

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


NOT_SHOWN = frozenset({"words", "text_key", "diagnostics", "shown_key"})
"""The fields no page listing documents shows: the text's words (only the comparison of translations reads them),
and the diagnostics (their pages are keyed by the diagnostics themselves, ``writers.edition.diagnostics_group``)."""


def summarize(document: Document) -> DocumentSummary:
    """The edition stage's record of ``document``."""
    summary = _summary(document)
    return replace(summary, shown_key=shown_key(summary))


def shown_key(summary: DocumentSummary) -> str:
    """The digest of the fields of ``summary`` that pages listing documents show, field by field."""
    return content_key(*(repr(getattr(summary, name)) for name in _SHOWN))


def _summary(document: Document) -> DocumentSummary:
    joined = " ".join(sorted(text_words(document)))
    return DocumentSummary(
        id=document.id,
        source=document.source,
        title=document.title_text,
        date=document.date,
        doc_type=document.doc_type,
        telegram_number=document.telegram_number,
        outgoing_number=document.outgoing_number,
        sender=document.sender.value if document.sender else None,
        recipients=document.recipients,
        summary=document.summary,
        uploaded=document.uploaded,
        entries=tuple(dict.fromkeys(_entries(document))),
        flags=tuple(
            FlagEntry(number=n, code=f.code.value, place=f.place.value, line=f.pos.line, message=f.message)
            for n, f in enumerate(document.flags, start=1)
        ),
        examples=tuple(_examples(document)),
        diagnostics=document.diagnostics,
        names=names_of(document.mentions),
        words=zlib.compress(joined.encode("utf-8"), 1),
        text_key=hashlib.sha1(joined.encode()).hexdigest() if joined else "",
    )


def _examples(document: Document) -> Iterator[Example]:
    seen: set[InsertionKind] = set()
    for i in document.insertions:
        if i.kind not in seen:
            seen.add(i.kind)
            yield Example(kind=i.kind, shown=f"{i.anchor} {i.raw}".strip() if i.anchor and not i.attached else i.raw)


def _entries(d: Document) -> Iterator[IndexEntry]:
    for index, key, role in _index_keys(d):
        if key and key.strip():
            yield IndexEntry(index=index, key=" ".join(key.split()), role=role)


def _index_keys(d: Document) -> Iterator[tuple[str, str, str]]:
    """Keys of the indexes; persons, offices and places are the registers' (``Document.mentions``)."""
    if d.telegram_number:
        yield "numbers", d.telegram_number, "telegram number"
    if d.outgoing_number:
        yield "numbers", d.outgoing_number, "outgoing number"
    for r in d.archival_references:
        fond = f"{r.repository}, fond {r.fond}" if r.fond else r.repository
        where = ", ".join(f"{n} {v}" for n, v in (("opis", r.opis), ("delo", r.delo), ("papka", r.papka),
                                                   ("folios", r.folios)) if v)
        yield "archives", fond, where or "no file given"
    if d.doc_type:
        yield "types", d.doc_type, "type"


_SHOWN = tuple(f.name for f in fields(DocumentSummary) if f.name not in NOT_SHOWN)

fast_pickling_in(globals())
