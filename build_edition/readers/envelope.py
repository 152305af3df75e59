"""What a reader finds around the telegram itself: the archive's metadata."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Diagnostic, SourceNote, SourcePos
from ..source import Line


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """A metadata string and the line it came from."""

    text: str
    pos: SourcePos


@dataclass(frozen=True, slots=True, kw_only=True)
class Envelope:
    """The archive's metadata around a telegram, as one reader found it.

    ``contents`` holds the lines of the telegram proper, which every shape
    hands to the same record parser (``readers.record``). ``sender`` and
    ``recipients`` are the archive's (from a header or the title): the record
    parser's own findings in the text come first. ``fallback_date`` is a date the
    shape implies without stating it (a FRUS file number): used, as derived, only
    when the text has no date of its own.
    """

    shape: str
    contents: tuple[Line, ...]
    title: Located | None = None
    date: Located | None = None
    citation: str | None = None
    url: str | None = None
    summary: str | None = None
    original_language: str | None = None
    translation: str | None = None
    source_refs: str | None = None
    rights: tuple[str, ...] = ()
    uploaded: str | None = None
    doc_type: str | None = None
    record_id: str | None = None
    sender: Located | None = None
    recipients: tuple[str, ...] = ()
    telegram_number: str | None = None
    origin: str | None = None
    classification: str | None = None
    file_number: str | None = None
    fallback_date: dt.date | None = None
    fallback_date_original: str | None = None
    source_notes: tuple[SourceNote, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())
