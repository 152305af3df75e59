"""The telegram proper: from its lines to the record, the text and its sections.

Every input shape ends here. The lines are first sorted into record lines
(numbers, transmission events, copy lists) and text; the text is then laid
out into blocks of the covering telegram and of any letter it encloses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .. import dates
from .. import diagnostics as diag
from ..model import (
    ArchivalRef, Block, BlockRole, Diagnostic, Distribution, DistributionEntry, Document, Event, EventKind,
    Insertion, Section, SectionKind, Signature, SourcePos, Text,
)
from ..source import Line
from . import fields
from .envelope import Envelope
from .derived import title_parties, with_title_and_date
from .frus import CENTRAL_FILES
from .inline import parse_inlines

_SEPARATOR = re.compile(r"^(?:\\?[*\-_=~]\s*){3,}$")
_KREMLIN = re.compile(r"^moscow\W{0,4}(?:the\s+)?kremlin\.?$", re.I)
_SPACED_CAPS = re.compile(r"^(?:[A-Z]\s){2,}[A-Z]\.?$")
_CLOSING = re.compile(r"^[\"“]?(?P<word>respectfully|sincerely|yours|your|with (?:deep )?respect(?: and esteem)?)\b[,.]?\s*(?P<rest>.*?)[\"”]?$", re.I)
_CAPS_NAME = re.compile(r"^[A-Z][A-Z'’\-]+(?:[ ,]+[A-Z][A-Z'’\-.]+)*\.?$")
# Capitalised headings of a text ("THE YUGOSLAVIA QUESTION") are not signatures: names have no such words.
_CAPS_HEADING = re.compile(r"\b(?:THE|ON|OF|AND|IN|WITHIN|FOR|TO|AT|WITH|ABOUT|QUESTION|SITUATION)\b")
# "Ambassador of the USSR in China A[pollon] Petrov": an office, then the name that signs.
_OFFICE_SIGNED = re.compile(
    r"^(?:(?:USSR|Soviet)\s+)?Ambassador\s+(?:of|to|in)\b[^.]{0,60}?\s(?P<name>(?:[A-Z][.\w\[\]]*\s)?[A-Z][\w\[\]’'\-]+)\.?$")
_SIGNED_NAME = re.compile(r"^(?:[A-Z][\w.'’\-]*\s?){1,4}$")
# Capitals that sign no name: a salutation, a place, the form's words, the heading of the notes after a text.
_NOT_NAMES = {"DEAR", "MOSCOW", "URGENT", "TOP SECRET", "SECRET", "COPY", "NOTES", "NOTE", "FOOTNOTES", "ENDNOTES"}
_REFERENCE = re.compile(r"^(?:enclosure|attachment|appendix|annex)\b", re.I)
_URGENCY = re.compile(r"^(?:extremely|very|most)?\s*urgent\.?$|^(?:top|strictly) secret\.?$|^secret\.?$", re.I)
_RECIPIENT = re.compile(r"^(?:to:?\s+)?(?:comrades?|cdes?\.?)\s+(?P<names>.+?)$", re.I)
# "From: PYONGYANG", "From Pyongyang.": a place of a few words, not a sentence that opens with "From".
_FROM = re.compile(r"^from:?\s+(?P<place>[^\s,;:.!?]+(?:[ -][^\s,;:.!?]+){0,4})\.?$", re.I)
_TO_PLACE = re.compile(r"^to:\s+(?P<place>[A-Z][\w\- ]+)$", re.I)
_INSTITUTION = re.compile(r"ministry|directorate|committee|council|embassy|general staff|administration", re.I)
_FORM_TYPE = re.compile(r"^(ciphered\s+telegram|cipher\s+telegram|telegram|cable)\.?$", re.I)
# "to the VKP(b) CC", "[to the] VKP(b) CC": a party organ addressed in the header.
_TO_ORGAN = re.compile(r"^\[?to(?:\s+the)?\]?\s+(?P<organ>[\w().\- ]*?\b(?:CC|Central Committee|Politburo))\.?$", re.I)
# Short capitalised lines of a form that name no one: "Reporting:", "Draft.", "Version 1".
_FORM_WORDS = re.compile(
    r"^(?:reporting|draft|version|translation|translated|copy|scan|original|excerpt|summary|contents|top secret|secret|"
    r"strictly|ciphered|telegram|cable|series)\b"
    r"|:$|\d", re.I)
_OPEN_QUOTE = ('"', "“", "«")
_CLOSE_QUOTE = ('"', "”", "»")


@dataclass(slots=True)
class _Item:
    """A run of lines that is either record matter or text."""

    kind: str  # "number" | "event" | "copies" | "text"
    lines: list[Line]
    payload: object = None


@dataclass(slots=True)
class _State:
    """What the layout pass has gathered so far; frozen into a Document at the end."""

    path: str
    sections: list[tuple[SectionKind, list[Block]]] = field(default_factory=list)
    in_body: bool = False
    in_quote: bool = False
    enclosure_prose: bool = False
    doc_type: str | None = None
    telegram_number: str | None = None
    outgoing_number: str | None = None
    origin: str | None = None
    destination: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    urgency: str | None = None
    means: str | None = None
    events: list[tuple[Line, fields.RawEvent, str]] = field(default_factory=list)
    copies: list[tuple[Line, fields.CopyLine]] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def section(self) -> SectionKind:
        return self.sections[-1][0] if self.sections else SectionKind.COVERING

    def add(self, role: BlockRole, block: Block) -> None:
        if not self.sections:
            self.sections.append((SectionKind.COVERING, []))
        if block.role is not role:
            block = Block(role=role, inlines=block.inlines, pos=block.pos, end_line=block.end_line)
        self.sections[-1][1].append(block)

    def open(self, kind: SectionKind) -> None:
        if self.section is not kind or not self.sections:
            self.sections.append((kind, []))


def read_record(envelope: Envelope, doc_id: str, path: str) -> Document:
    """Build the Document from an envelope and the lines of the telegram proper."""
    state = _State(path=path)
    for item in _items(envelope.contents):
        _place(item, state)
    reference = _reference_date(envelope, state)
    events = _resolve_events(state, reference)
    sections = tuple(Section(kind=k, blocks=tuple(b)) for k, b in state.sections if b)
    document = Document(
        id=doc_id,
        source=path,
        shape=envelope.shape,
        doc_type=_doc_type(envelope, state),
        telegram_number=state.telegram_number or envelope.telegram_number or _titled_number(envelope),
        outgoing_number=state.outgoing_number,
        origin=state.origin or envelope.origin or _sent_place(events),
        destination=", ".join(state.destination) or None,
        recipients=tuple(dict.fromkeys(state.recipients)) or _recipients(envelope),
        urgency=state.urgency,
        transmission=events,
        distribution=_distribution(state),
        citation=envelope.citation,
        archival_references=fields.archival_refs(envelope.source_refs or envelope.citation or "") or _file(envelope),
        archival_wording=_wording(envelope),
        classification=envelope.classification,
        file_number=envelope.file_number,
        source_notes=envelope.source_notes,
        url=envelope.url,
        record_id=envelope.record_id,
        original_language=envelope.original_language,
        translation=envelope.translation,
        summary=envelope.summary,
        rights=envelope.rights,
        uploaded=envelope.uploaded,
        text=sections,
        signatures=tuple(state.signatures),
        diagnostics=tuple(envelope.diagnostics) + tuple(state.diagnostics),
    )
    return with_title_and_date(document, envelope, reference, path)


def _recipients(envelope: Envelope) -> tuple[str, ...]:
    """The archive's recipients when the text has no address: its header's, else its title's."""
    if envelope.recipients:
        return envelope.recipients
    return title_parties(envelope.title.text)[1] if envelope.title else ()


def _file(envelope: Envelope) -> tuple[ArchivalRef, ...]:
    """A State Department file number (FRUS's source note) as the archival reference."""
    if not envelope.file_number:
        return ()
    return (ArchivalRef(repository=CENTRAL_FILES, original=envelope.file_number, file=envelope.file_number),)


def _titled_number(envelope: Envelope) -> str | None:
    """``Ciphered Telegram No. 501869, Razuvaev to Shtemenko``: the number the archive's title gives."""
    found = fields.telegram_number(envelope.title.text) if envelope.title else None
    return found[1] if found else None


def _wording(envelope: Envelope) -> str | None:
    """The source's own wording of its archival references, when it states them apart from the citation."""
    refs = " ".join((envelope.source_refs or "").split())
    return refs if refs and refs != " ".join((envelope.citation or "").split()) else None


# --- sorting lines into record matter and text --------------------------------


def _items(lines: tuple[Line, ...]) -> list[_Item]:
    items: list[_Item] = []
    text: list[Line] = []
    continuing = False

    def flush() -> None:
        if text:
            items.append(_Item("text", list(text)))
            text.clear()

    for line in lines:
        if line.blank:
            flush()
            continue
        copy = fields.copy_line(line.text, continuing)
        if copy is not None:
            flush()
            items.append(_Item("copies", [line], copy))
            continuing = copy.continues
            continue
        continuing = False
        number = fields.telegram_number(line.text)
        event = None if number else fields.event(line.text)
        if number:
            flush()
            items.append(_Item("number", [line], number))
        elif event and _is_record_line(line.text, event):
            flush()
            items.append(_Item("event", [line], event))
        elif _stands_alone(line.text):
            flush()
            items.append(_Item("text", [line]))
        else:
            text.append(line)
    flush()
    return items


def _stands_alone(text: str) -> bool:
    """Form lines that are their own block even without a blank line around them."""
    return bool(fields.outgoing_number(text) or _is_dateline(text) or _URGENCY.match(text))


def _is_record_line(text: str, event: fields.RawEvent) -> bool:
    """A transmission line is short and dated; a sentence that mentions sending is not."""
    words = len(text.split())
    return words <= 22 and (event.time is not None or words <= 8 or event.by is not None)


# --- laying out text blocks ---------------------------------------------------


def _place(item: _Item, state: _State) -> None:
    line = item.lines[0]
    if item.kind == "number":
        state.doc_type, state.telegram_number = item.payload  # type: ignore[misc]
    elif item.kind == "event":
        state.events.append((line, item.payload, line.text))  # type: ignore[arg-type]
    elif item.kind == "copies":
        state.copies.append((line, item.payload))  # type: ignore[arg-type]
    else:
        _place_text(item.lines, state)


def _place_text(lines: list[Line], state: _State) -> None:
    parsed = parse_inlines(lines, state.path)
    state.diagnostics.extend(parsed.diagnostics)
    block = Block(role=BlockRole.PARAGRAPH, inlines=parsed.inlines, pos=SourcePos(path=state.path, line=lines[0].no),
                  end_line=lines[-1].no)
    text = block.plain.strip()
    if _is_annotation(block):
        state.add(BlockRole.ANNOTATION, block)
    elif not state.in_body and not is_prose(text):
        _place_address(text, block, state)
    else:
        state.in_body = True
        _place_body(text, block, state)


def _is_annotation(block: Block) -> bool:
    inserted = [i for i in block.inlines if isinstance(i, Insertion)]
    rest = "".join(i.text for i in block.inlines if isinstance(i, Text)).strip()
    return len(inserted) == 1 and not rest and not inserted[0].attached


def is_prose(text: str) -> bool:
    """A sentence of running text, as opposed to a heading, address or form field."""
    if _RECIPIENT.match(text) or _URGENCY.match(text) or _TO_PLACE.match(text) or _FROM.match(text):
        return False
    short_heading = not text.endswith((".", ":", "?", "!")) and len(text.split()) <= 10
    if short_heading and (text.lower().startswith("to ") or _INSTITUTION.search(text)):
        return False
    words = text.split()
    lower = sum(1 for w in words if w[:1].islower())
    return len(words) >= 6 and lower >= 2


def _place_address(text: str, block: Block, state: _State) -> None:
    state.add(BlockRole.ADDRESS, block)
    if _URGENCY.match(text):
        state.urgency = text.rstrip(".").capitalize()
    elif match := _FORM_TYPE.match(text):
        state.doc_type = state.doc_type or " ".join(match[1].split()).capitalize()
    elif match := _TO_ORGAN.match(text):
        state.recipients.append(match["organ"])
    elif match := _FROM.match(text):
        state.origin = person_name(match["place"])
    elif match := _RECIPIENT.match(text):
        names = re.sub(r"\s*\[[^\]]*\]?", "", match["names"])
        state.recipients.extend(person_name(n) for n in re.split(r"\s+and\s+|,\s*", names) if n)
    elif match := _TO_PLACE.match(text):
        state.destination.append(person_name(match["place"]))
    elif _INSTITUTION.search(text):
        state.destination.append(person_name(re.sub(r"^to\s+", "", text, flags=re.I)))
    elif re.fullmatch(r"by (wire|radio|telegraph|courier)", text, re.I):
        state.means = text.split()[1].lower()
    elif re.fullmatch(r"[A-Za-z\-]+", text) and len(text) > 2:
        state.destination.append(person_name(text))
    elif len(text.split()) <= 3 and text[:1].isupper() and not _FORM_WORDS.search(text):
        state.recipients.append(person_name(re.sub(r"^to\s+|\s*\[.*$", "", text, flags=re.I)))


def _place_body(text: str, block: Block, state: _State) -> None:
    if _SEPARATOR.match(text):
        state.add(BlockRole.SEPARATOR, block)
        state.open(SectionKind.ENCLOSURE)
        return
    if _KREMLIN.match(text):
        state.open(SectionKind.ENCLOSURE)
        state.add(BlockRole.DATELINE, block)
        return
    if text.startswith(_OPEN_QUOTE) and not state.in_quote and state.section is SectionKind.COVERING:
        state.open(SectionKind.ENCLOSURE)
        state.in_quote = True
    state.add(_body_role(text, block, state), block)
    if state.in_quote and text.endswith(_CLOSE_QUOTE) and not (len(text) == 1):
        state.in_quote = False
        state.open(SectionKind.COVERING)


def _body_role(text: str, block: Block, state: _State) -> BlockRole:
    if number := fields.outgoing_number(text):
        if state.section is SectionKind.COVERING and state.outgoing_number is None:
            state.outgoing_number = number
        return BlockRole.REFERENCE
    if _REFERENCE.match(text):
        return BlockRole.REFERENCE
    if _is_dateline(text):
        return BlockRole.DATELINE
    signature = _signature(text, block, state)
    if signature is not None:
        state.signatures.append(signature)
        return BlockRole.SIGNATURE
    if state.section is SectionKind.ENCLOSURE and not state.enclosure_prose:
        if is_prose(text) and len(text.split()) > 8:
            state.enclosure_prose = True
            return BlockRole.PARAGRAPH
        return BlockRole.SALUTATION
    return BlockRole.PARAGRAPH


def _is_dateline(text: str) -> bool:
    if len(text) > 60 or not any(map(str.isdigit, text)):
        return False
    reading = dates.find_date(text)
    if reading is None or len(text.split()) > 5:
        return False
    rest = (text[: reading.start] + text[reading.end:]).strip(" .,\"”“")
    return len(rest.split()) <= 1


def _signature(text: str, block: Block, state: _State) -> Signature | None:
    pos = block.pos
    bare = text.strip("\"“” ")
    marks = [n for n, i in enumerate(block.inlines) if isinstance(i, Insertion) and "signature" in i.text.lower()]
    if marks:
        after = "".join(i.text for i in block.inlines[marks[-1] + 1:] if isinstance(i, Text)).strip(" .,")
        named = after if _SIGNED_NAME.match(after) else None
        return Signature(name=person_name(named) if named else None, original=text, pos=pos, section=state.section)
    if len(bare.split()) > 10:
        return None
    if _SPACED_CAPS.match(bare):
        return Signature(name=person_name(bare.replace(" ", "")), original=text, pos=pos, section=state.section)
    if match := _CLOSING.match(bare):
        rest = match["rest"].strip(" ,")
        if rest and len(rest.split()) <= 8:
            return Signature(name=person_name(rest), original=text, pos=pos, section=state.section)
    if match := _OFFICE_SIGNED.match(bare):
        return Signature(name=person_name(match["name"]), original=text, pos=pos, section=state.section)
    if _CAPS_NAME.match(bare) and bare.rstrip(".") not in _NOT_NAMES and state.in_body and not _CAPS_HEADING.search(bare):
        return Signature(name=person_name(bare.rstrip(".")), original=text, pos=pos, section=state.section)
    return None


def person_name(text: str) -> str:
    """``GROMYKO`` -> ``Gromyko``; initials, acronyms and mixed case are kept."""
    text = text.strip(" ,:;!")
    if text.endswith(".") and not re.search(r"\b[A-Z][a-z]?\.$", text):
        text = text[:-1]
    return fields.capitalize_caps(text)


# --- the record ---------------------------------------------------------------


def _reference_date(envelope: Envelope, state: _State) -> dt.date | None:
    """The date other dates of the record are read against."""
    if envelope.date is not None:
        reading = dates.find_date(envelope.date.text)
        if reading and (resolution := dates.resolve(reading, None)):
            return resolution.date
    for _, raw, _ in state.events:
        if raw.date and len(raw.date.candidates) == 1 and raw.date.candidates[0][0] is not None:
            return dates.resolve(raw.date, None).date  # type: ignore[union-attr]
    for block in (b for _, blocks in state.sections for b in blocks if b.role is BlockRole.DATELINE):
        reading = dates.find_date(block.plain)
        if reading and len(reading.candidates) == 1 and reading.candidates[0][0] is not None:
            return dates.resolve(reading, None).date  # type: ignore[union-attr]
    return None


def _resolve_events(state: _State, reference: dt.date | None) -> tuple[Event, ...]:
    events: list[Event] = []
    pending_time: dict[int, dates.TimeReading] = {}
    for n, (line, raw, original) in enumerate(state.events):
        if raw.leading_time and n and state.events[n - 1][1].time is None:
            pending_time[n - 1] = raw.leading_time
            state.events[n] = (line, raw, original.replace(raw.leading_time.original, "", 1).strip())
    for n, (line, raw, original) in enumerate(state.events):
        pos = SourcePos(path=state.path, line=line.no)
        time = raw.time if raw.time is not None else pending_time.get(n)
        if n + 1 < len(state.events) and n in pending_time:
            original = f"{original} {pending_time[n].original}"
        if time is not None and time.redundant_meridiem:
            state.diagnostics.append(diag.make("redundant-meridiem", pos, original=time.original))
        date, problem, alternative = _resolve(raw.date, reference, events, pos, state)
        stamp = dt.datetime.combine(date, dt.time(time.hour, time.minute)) if date and time else None
        events.append(Event(
            kind=raw.kind, original=original, pos=pos, by=raw.by, place=raw.place,
            means=raw.means or (state.means if raw.kind is EventKind.SENT and n == _first_sent(state) else None),
            datetime=stamp, date_only=None if stamp else date,
            date_problem=problem, date_alternative=alternative,
        ))
    return tuple(events)


def _first_sent(state: _State) -> int:
    return next((n for n, (_, raw, _) in enumerate(state.events) if raw.kind is EventKind.SENT), -1)


def _resolve(reading: dates.DateReading | None, reference: dt.date | None,
             events: list[Event], pos: SourcePos, state: _State) -> tuple[dt.date | None, str | None, dt.date | None]:
    """The event's date, and the problem met in choosing it, if any."""
    if reading is None:
        return (events[-1].datetime.date() if events and events[-1].datetime else None), None, None
    nearest = next((e.datetime.date() for e in reversed(events) if e.datetime), reference)
    resolution = dates.resolve(reading, nearest)
    if resolution is None:
        state.diagnostics.append(diag.make("unparsed-date", pos, original=reading.original))
        return None, None, None
    if resolution.problem == "ambiguous-date":
        state.diagnostics.append(diag.make(
            "ambiguous-date", pos, original=reading.original,
            chosen=long_date(resolution.date), alternative=long_date(resolution.alternative)))
    elif resolution.problem == "year-inconsistent":
        state.diagnostics.append(diag.make(
            "year-inconsistent", pos, original=reading.original,
            year=(nearest or resolution.date).year, chosen=long_date(resolution.date)))
    return resolution.date, resolution.problem, resolution.alternative


def long_date(date: dt.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "none"


def _sent_place(events: tuple[Event, ...]) -> str | None:
    return next((e.place for e in events if e.kind is EventKind.SENT and e.place), None)


def _distribution(state: _State) -> Distribution | None:
    if not state.copies:
        return None
    stated = next((c.stated for _, c in state.copies if c.stated is not None), None)
    merged: dict[str, DistributionEntry] = {}
    for line, copy in state.copies:
        pos = SourcePos(path=state.path, line=line.no)
        for who, copies, number in copy.entries:
            old = merged.get(who)
            numbers = (old.copy_numbers if old else ()) + ((number,) if number else ())
            total = None if copies is None else (copies + (old.copies or 0) if old else copies)
            merged[who] = DistributionEntry(recipient=who, copies=total, pos=old.pos if old else pos, copy_numbers=numbers)
    first = state.copies[0][0]
    return Distribution(
        stated_copies=stated,
        entries=tuple(merged.values()),
        original=tuple(line.text for line, _ in state.copies),
        pos=SourcePos(path=state.path, line=first.no),
    )


def _doc_type(envelope: Envelope, state: _State) -> str | None:
    if state.doc_type:
        return state.doc_type
    title = envelope.title.text if envelope.title else ""
    if match := re.match(r"^(ciphered telegram|record of conversation|memorandum of conversation|telegram|cable|letter|"
                         r"memorandum|report|note)\b", title, re.I):
        return match[1].capitalize()
    return envelope.doc_type.capitalize() if envelope.doc_type else None
