"""A compact rendering of the archive's page: one block per line, no blank lines.

Such renderings may open with a sidebar about a *different* document (a
related document's date, title and summary). The document proper starts at
its own heading date, the last one before the telegram form begins; what
comes before is skipped and reported, so another document's summary can
never become this one's.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import dates
from .. import diagnostics as diag
from ..model import Diagnostic
from ..source import Line, SourceText
from . import fields
from .envelope import Envelope
from .record import is_prose
from .shapes import WebPageReader

MAX_BLANK_SHARE = 0.05  # a compact page has (almost) no blank lines between its blocks
MIN_LINES = 10
OPENING = 4  # a cut-off page's heading date stands in its first lines
_TITLE = re.compile(r"^(?:ciphered\s+)?(?:telegram|cable|letter|report|memorandum|record)\b.*,", re.I)
_SKIP = "skip to content"


class CompactPageReader:
    """The page with one block per line; fields as in the page scrape, sidebar skipped."""

    name = "compact"

    def score(self, source: SourceText) -> float:
        filled = [n for n, line in enumerate(source.lines) if line.text]
        if len(filled) < MIN_LINES:
            return 0.0
        span = filled[-1] + 1 - filled[0]
        blank_share = (span - len(filled)) / span  # every filled line lies in the span; the rest are blank
        if blank_share > MAX_BLANK_SHARE:
            return 0.0
        if any(line.text == "Document Information" for line in source.lines):
            return 0.85
        # A page cut off before its "Document Information": its own heading date and title open it.
        opening = [source.lines[n].text for n in filled[:OPENING]]
        titled = any(_heading_date(a) and _TITLE.match(b) for a, b in zip(opening, opening[1:]))
        return 0.5 if titled else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        filled = [line for line in source.lines if not line.blank]
        start = document_start(filled)
        skipped = [line for line in filled[:start] if line.text.lower() != _SKIP]
        spaced = tuple(part for line in filled[start:] for part in (line, Line(text="", no=line.no)))
        found = WebPageReader().envelope(SourceText(path=source.path, lines=spaced))
        notes: tuple[Diagnostic, ...] = ()
        if skipped:
            first = skipped[0]
            notes = (diag.make("sidebar-skipped", source.pos(first.no), count=len(skipped), first=first.text[:60]),)
        return replace(found, shape=self.name, diagnostics=notes + tuple(found.diagnostics))


def document_start(filled: list[Line]) -> int:
    """Index of the line with the document's own date.

    With a telegram form on the page, that is the last heading date before
    the form's first record line; without one, the first heading date that
    opens the page or follows a sidebar's summary sentence.
    """
    opening = 1 if filled and filled[0].text.lower() == _SKIP else 0
    anchor = next((n for n, line in enumerate(filled) if _record_line(line.text)), len(filled))
    heads = [n for n in range(opening, anchor) if _heading_date(filled[n].text)]
    if anchor < len(filled) and heads:
        return heads[-1]
    for n in heads:
        if n == opening or is_prose(filled[n - 1].text):
            return n
    return opening


def _heading_date(text: str) -> bool:
    return dates.find_date(text) is not None and len(text.split()) <= 5


def _record_line(text: str) -> bool:
    """A line of the telegram form: its number, a timed transmission step, a copy list."""
    if fields.telegram_number(text) or fields.copy_line(text):
        return True
    event = fields.event(text)
    return event is not None and event.time is not None and len(text.split()) <= 22
