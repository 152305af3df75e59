"""The typed, frozen document model shared by readers, annotators and writers.

Readers build it, annotators return changed copies (``dataclasses.replace``),
writers present it. Nothing here knows about Markdown or about input shapes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from .pickling import fast_pickling_in

FROZEN = {"frozen": True, "slots": True, "kw_only": True}


@dataclass(**FROZEN)
class SourcePos:
    """A place in a source file: its path as given and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(**FROZEN)
class Diagnostic:
    """One finding about a source; prints as ``path:line: severity: message``."""

    pos: SourcePos
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:  # the fields' plain values: a build prints tens of thousands of these
        return f"{self.pos.path}:{self.pos.line}: {self.severity.value}: {self.message} [{self.code}]"


class InsertionKind(StrEnum):
    """Kinds of bracketed editorial matter; see ``annotators.insertions`` for TEI."""

    UNCLASSIFIED = "unclassified"
    NOTE = "note"
    SUPPLIED = "supplied"
    COMPLETION = "completion"
    IDENTIFICATION = "identification"
    ALTERNATE_NAME = "alternate-name"
    EXPANSION = "expansion"
    GLOSS = "gloss"
    FOREIGN = "foreign"
    UNCLEAR = "unclear"
    GAP = "gap"
    ILLEGIBLE = "illegible"
    HANDWRITTEN = "handwritten"
    STAMP = "stamp"
    PAGE_BREAK = "page-break"
    ARTIFACT = "artifact"


@dataclass(**FROZEN)
class Insertion:
    """Bracketed editorial matter at its place in the text.

    ``anchor`` is the word or name just before the bracket that it refers to
    (``KPA`` in ``KPA [Korean People's Army]``); ``attached`` is true when the
    bracket completes a word (``c[omrade]``). Writers number it; the model does not.
    """

    kind: InsertionKind
    text: str
    raw: str
    pos: SourcePos
    resp: str | None = None
    anchor: str = ""
    attached: bool = False
    closed: bool = True
    date: dt.date | None = None
    note: str | None = None
    by_editor: bool = False
    children: tuple[Inline, ...] = ()


@dataclass(**FROZEN)
class Text:
    """Plain running text, exactly as the source has it (whitespace folded)."""

    text: str


class FlagCode(StrEnum):
    """Stable codes of the anomalies the edition marks in the text."""

    YEAR_INCONSISTENT = "year-inconsistent"
    AMBIGUOUS_DATE = "ambiguous-date"
    EVENTS_OUT_OF_ORDER = "events-out-of-order"
    COPIES_MISMATCH = "copies-mismatch"
    REPEATED_WORD = "repeated-word"
    PARAGRAPH_JOINED = "paragraph-joined"
    SIC = "sic"


class FlagPlace(StrEnum):
    """Where a flag stands on the page."""

    TEXT = "text"
    TRANSMISSION = "transmission"
    DISTRIBUTION = "distribution"
    HEADER = "header"


@dataclass(**FROZEN)
class Flag:
    """An editorial flag: inline after the words it concerns, or on a table."""

    code: FlagCode
    message: str
    pos: SourcePos
    place: FlagPlace = FlagPlace.TEXT
    correction: str | None = None
    by_editor: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteRef:
    """Where a note of the published source (a FRUS footnote) is called in the text.

    ``label`` is the source's own number; the note itself is in ``Document.source_notes``.
    """

    label: str
    target: str


Inline = Text | Insertion | Flag | NoteRef


class BlockRole(StrEnum):
    """What a block of the text is, as far as the layout of the form tells."""

    ADDRESS = "address"
    PARAGRAPH = "paragraph"
    SALUTATION = "salutation"
    SIGNATURE = "signature"
    DATELINE = "dateline"
    REFERENCE = "reference"
    SEPARATOR = "separator"
    ANNOTATION = "annotation"


@dataclass(**FROZEN)
class Block:
    """A paragraph-like unit of the text, in source order."""

    role: BlockRole
    inlines: tuple[Inline, ...]
    pos: SourcePos
    end_line: int = 0

    @property
    def plain(self) -> str:
        """The block's words as the source has them, brackets included."""
        return "".join(
            i.text if isinstance(i, Text) else i.raw if isinstance(i, Insertion) else ""
            for i in self.inlines
        )


class SectionKind(StrEnum):
    COVERING = "covering"
    ENCLOSURE = "enclosure"


@dataclass(**FROZEN)
class Section:
    """The covering telegram, or a letter or telegram it encloses or quotes."""

    kind: SectionKind
    blocks: tuple[Block, ...]


class EventKind(StrEnum):
    SENT = "sent"
    RECEIVED = "received"
    ARRIVED = "arrived"
    DECIPHERED = "deciphered"
    TYPED = "typed"
    CABLED = "cabled"
    PRINTED = "printed"


@dataclass(**FROZEN)
class Event:
    """One step of the transmission record, with its original wording."""

    kind: EventKind
    original: str
    pos: SourcePos
    by: str | None = None
    place: str | None = None
    means: str | None = None
    datetime: dt.datetime | None = None
    date_only: dt.date | None = None
    date_problem: str | None = None
    date_alternative: dt.date | None = None
    by_editor: bool = False

    @property
    def iso(self) -> str | None:
        """Normalized ISO date-time, or date alone when no time is stated."""
        if self.datetime is not None:
            return self.datetime.isoformat(timespec="minutes")
        return self.date_only.isoformat() if self.date_only else None


@dataclass(**FROZEN)
class DistributionEntry:
    recipient: str
    copies: int | None
    pos: SourcePos
    copy_numbers: tuple[int, ...] = ()


@dataclass(**FROZEN)
class Distribution:
    """The distribution list: the stated copy count and the entries listed."""

    stated_copies: int | None
    entries: tuple[DistributionEntry, ...]
    original: tuple[str, ...]
    pos: SourcePos

    @property
    def listed_copies(self) -> int | None:
        counts = [e.copies for e in self.entries if e.copies is not None]
        return sum(counts) if counts else None


@dataclass(**FROZEN)
class ArchivalRef:
    """One archival location: repository, fond, opis, delo, papka, folios."""

    repository: str
    original: str
    fond: str | None = None
    opis: str | None = None
    delo: str | None = None
    papka: str | None = None
    folios: str | None = None
    file: str | None = None


@dataclass(**FROZEN)
class SourceNote:
    """A note of the published source (FRUS's source note or footnote), not the edition's.

    ``target`` is the id a ``NoteRef`` in the text points at; a source note has none.
    """

    label: str
    text: str
    pos: SourcePos
    kind: str = "footnote"  # "source" | "footnote"
    by: str = "FRUS"
    target: str = ""


@dataclass(**FROZEN)
class TermRef:
    """A word of the text that the source links to one of its lists.

    ``kind`` is ``term`` (FRUS's ``gloss/@target`` into the list of abbreviations)
    or ``person`` (``persName/@corresp`` into the list of persons).
    """

    term: str
    target: str
    kind: str = "term"


@dataclass(**FROZEN)
class GlossaryEntry:
    """One abbreviation or term of a published list (FRUS's ``list type="terms"``)."""

    term: str
    expansion: str
    id: str
    pos: SourcePos


@dataclass(**FROZEN)
class Glossary:
    """The edition's glossary: every entry of the sources' lists of abbreviations."""

    entries: tuple[GlossaryEntry, ...] = ()

    def by_id(self, ref: str) -> GlossaryEntry | None:
        """The entry a ``#t_AMC1`` target points at."""
        key = ref.lstrip("#")
        return next((e for e in self.entries if e.id == key), None)


@dataclass(**FROZEN)
class Signature:
    name: str | None
    original: str
    pos: SourcePos
    section: SectionKind = SectionKind.COVERING


@dataclass(**FROZEN)
class Value:
    """A metadata value with where it came from, so pages can credit the editor."""

    value: str
    pos: SourcePos | None = None
    by_editor: bool = False
    derived: bool = False


@dataclass(**FROZEN)
class EditorNote:
    text: str
    pos: SourcePos


@dataclass(**FROZEN)
class VariantLink:
    """Another source that is a different translation of the same document."""

    other_id: str
    other_title: str
    score: float
    reasons: tuple[str, ...]


class MentionRole(StrEnum):
    """What a named person, office or place is to a document."""

    SENDER = "sender"
    RECIPIENT = "recipient"
    SIGNATORY = "signatory"
    ADDRESSEE = "addressee"
    COPY = "copy"
    ORIGIN = "origin"
    DESTINATION = "destination"
    SENT = "sent"
    RECEIVED = "received"
    ARRIVED = "arrived"
    DECIPHERED = "deciphered"
    TYPED = "typed"
    CABLED = "cabled"
    PRINTED = "printed"
    TRANSMISSION = "transmission"
    IDENTIFIED = "identified"
    MENTIONED = "mentioned"
    TITLE = "title"
    SUMMARY = "summary"


class MentionStatus(StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass(**FROZEN)
class Mention:
    """A name as the source writes it, where, in what role, and the register entry it names.

    ``register`` is the register of the entry (or, unresolved, the one an entry belongs
    in); ``name``, ``short`` and ``description`` are the entry's, copied so that writers
    of one document need no registers; ``form_kind`` says a pseudonym or a title was used.
    """

    register: str
    role: MentionRole
    form: str
    pos: SourcePos
    status: MentionStatus = MentionStatus.RESOLVED
    entry_id: str | None = None
    name: str | None = None
    short: str | None = None
    description: str = ""
    form_kind: str | None = None
    candidates: tuple[str, ...] = ()
    section: SectionKind = SectionKind.COVERING
    copies: int | None = None
    by_editor: bool = False


@dataclass(**FROZEN)
class Document:
    """One archival document (telegram, letter, cable) as the edition knows it."""

    id: str
    source: str
    shape: str
    title: Value | None = None
    date: dt.date | None = None
    date_original: str | None = None
    date_derived: bool = False
    doc_type: str | None = None
    telegram_number: str | None = None
    outgoing_number: str | None = None
    origin: str | None = None
    destination: str | None = None
    sender: Value | None = None
    recipients: tuple[str, ...] = ()
    urgency: str | None = None
    transmission: tuple[Event, ...] = ()
    distribution: Distribution | None = None
    citation: str | None = None
    archival_references: tuple[ArchivalRef, ...] = ()
    url: str | None = None
    record_id: str | None = None
    original_language: str | None = None
    translation: str | None = None
    translator: str | None = None
    summary: str | None = None
    rights: tuple[str, ...] = ()
    uploaded: str | None = None
    text: tuple[Section, ...] = ()
    signatures: tuple[Signature, ...] = ()
    editor_notes: tuple[EditorNote, ...] = ()
    variants: tuple[VariantLink, ...] = ()
    record_flags: tuple[Flag, ...] = ()
    edited_fields: tuple[str, ...] = ()
    classification: str | None = None
    file_number: str | None = None
    date_time: dt.datetime | None = None
    date_range: tuple[str, str] | None = None
    archival_wording: str | None = None
    source_notes: tuple[SourceNote, ...] = ()
    terms: tuple[TermRef, ...] = ()
    cross_references: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(b for s in self.text for b in s.blocks)

    @property
    def insertions(self) -> tuple[Insertion, ...]:
        """Every insertion in reading order, those nested in another included."""
        return tuple(i for b in self.blocks for i in walk_insertions(b.inlines))

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Every flag: those on the record's tables, then those in the text."""
        inline = tuple(i for b in self.blocks for i in b.inlines if isinstance(i, Flag))
        return self.record_flags + inline

    @property
    def title_text(self) -> str:
        """The title to show: the id stands in for a missing or empty one."""
        return self.title.value if self.title and self.title.value.strip() else self.id


def walk_insertions(inlines: tuple[Inline, ...]) -> list[Insertion]:
    """Insertions in order, each followed by those nested inside it."""
    found: list[Insertion] = []
    for inline in inlines:
        if isinstance(inline, Insertion):
            found.append(inline)
            found.extend(walk_insertions(inline.children))
    return found


fast_pickling_in(globals())
