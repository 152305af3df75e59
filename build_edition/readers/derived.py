"""Title, date and sender of a document: the archive's, or derived from the record.

A bare transcription has no heading: its title is built from the form (type,
number, sender, recipients) and its date from its dateline, and the editor is
asked, by a diagnostic, to confirm them in the corrections file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .. import dates
from .. import diagnostics as diag
from ..model import BlockRole, Document, SectionKind, SourcePos, Value
from .envelope import Envelope


def with_title_and_date(document: Document, envelope: Envelope, reference: dt.date | None, path: str) -> Document:
    """The document with its title, date and sender: from the envelope, else derived, with a diagnostic."""
    found = list(document.diagnostics)
    sender = _sender(document, envelope)
    title = Value(value=envelope.title.text, pos=envelope.title.pos) if envelope.title else None
    date, original, derived = reference, envelope.date.text if envelope.date else None, False
    missing = []
    if envelope.date is None:
        missing.append("date")
        date, original = _derived_date(document, reference)
        if date is None and envelope.fallback_date is not None:
            date, original = envelope.fallback_date, envelope.fallback_date_original
        derived = date is not None
    if title is None:
        missing.append("title")
        title = _derived_title(document, sender)
    if envelope.citation is None and envelope.shape == "transcription":
        missing.append("citation")
    first = SourcePos(path=path, line=_first_line(envelope))
    if missing and title is not None and (date is not None or "date" not in missing):
        found.append(diag.make("missing-metadata", first, fields=", ".join(missing),
                               derived=_derivation_note(title, date, missing), sidecar=_sidecar_name(path)))
    if title is None:
        found.append(diag.make("missing-title", first, sidecar=_sidecar_name(path)))
    if date is None:
        found.append(diag.make("missing-date", first, sidecar=_sidecar_name(path)))
    return replace(document, title=title, date=date, date_original=original, date_derived=derived,
                   sender=sender, diagnostics=tuple(found))


def _first_line(envelope: Envelope) -> int:
    return next((line.no for line in envelope.contents if not line.blank), 1)


def _sidecar_name(path: str) -> str:
    return re.sub(r"\.[^./]*$", "", path) + ".yml"


def _derivation_note(title: Value, date: dt.date | None, missing: list[str]) -> str:
    parts = []
    if "title" in missing:
        parts.append(f"title derived as {title.value!r}")
    if "date" in missing and date is not None:
        parts.append(f"date derived as {date.isoformat()}")
    return "; ".join(parts) or "nothing could be derived"


def _sender(document: Document, envelope: Envelope) -> Value | None:
    signed = next((s for s in document.signatures if s.section is SectionKind.COVERING and s.name), None)
    if signed is not None:
        return Value(value=signed.name or "", pos=signed.pos)
    if envelope.sender is not None:
        return Value(value=envelope.sender.text, pos=envelope.sender.pos)
    title = envelope.title.text if envelope.title else ""
    if match := re.search(r"\(via ([^)]+)\)", title):
        return Value(value=match[1].strip(), pos=envelope.title.pos, derived=True)  # type: ignore[union-attr]
    sender, _ = title_parties(title)
    if sender and envelope.title is not None:
        return Value(value=sender, pos=envelope.title.pos)
    return None


_PARTIES = re.compile(
    r"^(?P<kind>(?:ciphered |coded )?(?:telegram|cable|report|letter|memorandum|note|message|instruction|directive)s?)"
    r"(?:\s+(?:No\.|#|№)\s*[\w/\-]+)?,\s+(?P<from>[^,]+?)\s+to\s+(?P<to>[^,]+?)"
    r"(?:\s*\((?:excerpt|extract|draft)\))?(?:,\s*(?P<also>for\s+[^,]+|containing\b.*|transmitting\b.*))?\.?$",
    re.I,
)
_HONORIFIC = re.compile(r"^(?:the\s+)?(?:comrades?|cdes?\.?|com\.)\s+", re.I)
_BRACKETED = re.compile(r"\s*[\[(][^\])]*[\])]")


def title_parties(title: str) -> tuple[str | None, tuple[str, ...]]:
    """``Cable, Kovalev to Filippov [Stalin]`` -> ("Kovalev", ("Filippov",)).

    The archive's titles of the form "Type, Sender to Recipients" name both
    parties; bracketed identifications and honorifics are left out of the names.
    """
    match = _PARTIES.match(" ".join(title.split()))
    if not match:
        return None, ()
    sender = _party(match["from"])
    recipients = [_party(name) for name in re.split(r"\s+and\s+|,\s*", _BRACKETED.sub("", match["to"]))]
    also = match["also"] or ""
    if also.lower().startswith("for "):
        recipients.append(_party(also[4:]))
    return sender or None, tuple(r for r in recipients if r)


def _party(text: str) -> str:
    text = _BRACKETED.sub("", text).strip(" ,.")
    text = _HONORIFIC.sub("", text)
    return re.sub(r"^the\s+", "", text, flags=re.I).strip()


def _derived_date(document: Document, reference: dt.date | None) -> tuple[dt.date | None, str | None]:
    for kind in (SectionKind.COVERING, SectionKind.ENCLOSURE):
        for section in (s for s in document.text if s.kind is kind):
            for block in (b for b in section.blocks if b.role is BlockRole.DATELINE):
                reading = dates.find_date(block.plain)
                if reading and (resolution := dates.resolve(reading, reference)):
                    return resolution.date, reading.original
    sent = next((e for e in document.transmission if e.datetime), None)
    return (sent.datetime.date(), sent.original) if sent and sent.datetime else (None, None)


def _derived_title(document: Document, sender: Value | None) -> Value | None:
    kind = document.doc_type or "Document"
    parts = [f"{kind} No. {document.telegram_number}" if document.telegram_number else kind]
    people = []
    if sender:
        people.append(sender.value)
    if document.recipients:
        people.append("to " + " and ".join(document.recipients))
    if not (document.telegram_number or people):
        return None
    return Value(value=", ".join([parts[0], " ".join(people)]) if people else parts[0], derived=True)

