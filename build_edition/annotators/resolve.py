"""Names resolved to the registers: every person, office and place a document names.

Runs after the editor's corrections (so a corrected sender is resolved as corrected) and
applies the corrections file's ``mentions:`` entries to its own result. Each mention keeps
its source form, role, line and entry; an unmatched name in the header, the transmission
record, the distribution list or a signature gets an ``unregistered-name`` diagnostic, an
ambiguous one an ``ambiguous-name`` diagnostic, and both stay unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import PurePosixPath

from .. import diagnostics as diag
from ..model import (
    BlockRole, Diagnostic, Document, EventKind, InsertionKind, Mention, MentionRole, MentionStatus, SectionKind,
    SourcePos, Text,
)
from ..registers.entries import RegisterKind
from ..registers.resolver import NOT_NAMES, Resolution, Resolver, Status, name_key, names_a_body
from .corrections import Item

P, O, L = RegisterKind.PERSON, RegisterKind.ORGANIZATION, RegisterKind.PLACE
# Roles whose names the editor must be able to find in a register: unmatched ones are reported.
CHECKED = frozenset({MentionRole.SENDER, MentionRole.RECIPIENT, MentionRole.COPY, MentionRole.SIGNATORY,
                     MentionRole.ORIGIN, MentionRole.DESTINATION, MentionRole.TRANSMISSION,
                     *(MentionRole(k.value) for k in EventKind)})
_ROLE_WORDS = {MentionRole.COPY: "distribution entry", MentionRole.TRANSMISSION: "transmission place"}


def resolve_names(document: Document, resolver: Resolver, lines: Sequence[str] = (),
                  corrections: Sequence[Item] = ()) -> Document:
    """The document with its mentions and the diagnostics resolving them gave."""
    mentions = list(dict.fromkeys(_mentions(document, resolver, lines)))
    found: list[Diagnostic] = []
    mentions = _corrected(mentions, corrections, resolver, found)
    found += _problems(document, mentions)
    return replace(document, mentions=tuple(mentions), diagnostics=document.diagnostics + tuple(found))


def _mentions(document: Document, resolver: Resolver, lines: Sequence[str]) -> Iterator[Mention]:
    on, path = document.date, document.source
    address = [(b.pos.line, b.plain) for b in document.blocks if b.role in (BlockRole.ADDRESS, BlockRole.SALUTATION)]

    def field(text: str | None, role: MentionRole, kinds: tuple[RegisterKind, ...], line: int | None = None,
              section: SectionKind = SectionKind.COVERING) -> Iterator[Mention]:
        if not text or not text.strip():
            return
        for form, resolution in resolver.resolve_all(text, kinds, on):
            if name_key(form) in NOT_NAMES:
                continue
            pos = SourcePos(path=path, line=line or _locate(form, lines, address))
            yield _mention(form, role, pos, resolution, _home(kinds, form), section)

    sender = document.sender
    if sender:
        yield from field(sender.value, MentionRole.SENDER, (P, O), sender.pos.line if sender.pos else None)
    for recipient in document.recipients:
        yield from field(recipient, MentionRole.RECIPIENT, (P, O))
    yield from field(document.origin, MentionRole.ORIGIN, (L, O))
    yield from field(document.destination, MentionRole.DESTINATION, (L, O))
    for event in document.transmission:
        yield from field(event.by, MentionRole(event.kind.value), (P,), event.pos.line)
        yield from field(event.place, MentionRole.TRANSMISSION, (L, O), event.pos.line)
    for entry in document.distribution.entries if document.distribution else ():
        yield from (replace(m, copies=entry.copies) for m in field(entry.recipient, MentionRole.COPY, (P, O), entry.pos.line))
    for signature in document.signatures:
        yield from field(signature.name, MentionRole.SIGNATORY, (P, O), signature.pos.line, signature.section)
    yield from _bracketed(document, resolver)
    yield from _running_text(document, resolver, lines)


def _bracketed(document: Document, resolver: Resolver) -> Iterator[Mention]:
    """Identifications in brackets: ``FILIPPOV [Stalin]``, ``they [Kim and Pak]``."""
    for ins in document.insertions:
        if ins.kind not in (InsertionKind.IDENTIFICATION, InsertionKind.ALTERNATE_NAME):
            continue
        for form, resolution in resolver.resolve_all(ins.text, tuple(RegisterKind), document.date):
            if resolution.status is not Status.UNKNOWN:
                yield _mention(form, MentionRole.IDENTIFIED, ins.pos, resolution, P)


def _running_text(document: Document, resolver: Resolver, lines: Sequence[str]) -> Iterator[Mention]:
    """Names in the text (address blocks name addressees), then in the title and summary."""
    for section in document.text:
        for block in section.blocks:
            if block.role is BlockRole.SIGNATURE:
                continue
            address = block.role in (BlockRole.ADDRESS, BlockRole.SALUTATION)
            for n, inline in enumerate(block.inlines):
                if isinstance(inline, Text):
                    greeting = _greeting_end(inline.text) if n == 0 else 0
                    for hit in resolver.find_names(inline.text, document.date):
                        role = MentionRole.ADDRESSEE if address or hit.start < greeting else MentionRole.MENTIONED
                        yield _mention(hit.text, role, block.pos, hit.resolution, P, section.kind)
    if document.title:
        pos = document.title.pos or SourcePos(path=document.source, line=1)
        for hit in resolver.find_names(document.title.value, document.date):
            yield _mention(hit.text, MentionRole.TITLE, replace(pos, path=document.source), hit.resolution, P)
    if document.summary:
        pos = SourcePos(path=document.source, line=_locate(document.summary[:60], lines))
        for hit in resolver.find_names(document.summary, document.date):
            yield _mention(hit.text, MentionRole.SUMMARY, pos, hit.resolution, P)


_GREETING = re.compile(r"^[\s\"“„'‘]*(?:dear|deeply respected|respected|much respected)\b[^,!:;]{0,60}", re.I)


def _greeting_end(text: str) -> int:
    """Where a greeting that opens a paragraph ends ("Dear Comrade STALIN I.V.,"): names
    before it are the letter's addressees."""
    match = _GREETING.match(text)
    return match.end() if match else 0


def _home(kinds: tuple[RegisterKind, ...], form: str) -> RegisterKind:
    """The register an unmatched name belongs in: "8 MDGS" is an office, "Razuvaev" a person."""
    if names_a_body(form):
        return O
    if kinds[0] is not P:
        return kinds[0]
    letters = [c for c in form if c.isalpha()]
    if form[:1].isupper() and (any(c.islower() for c in letters) or len(letters) > 5):
        return P
    return O


def _mention(form: str, role: MentionRole, pos: SourcePos, resolution: Resolution, home: RegisterKind,
             section: SectionKind = SectionKind.COVERING) -> Mention:
    entry = resolution.entry
    if entry is None:
        return Mention(register=home.value, role=role, form=form, pos=pos, status=MentionStatus(resolution.status.value),
                       candidates=resolution.candidates, section=section)
    return Mention(register=entry.register.value, role=role, form=form, pos=pos, entry_id=entry.id, name=entry.name,
                   short=entry.short, description=entry.description, section=section,
                   form_kind=resolution.form.kind.value if resolution.form else None)


def _locate(form: str, lines: Sequence[str], address: Sequence[tuple[int, str]] = ()) -> int:
    """Where a header field's name stands (the field carries no line of its own): the first
    address line that has it, else the first source line that has it."""
    wanted = " ".join(form.split()).casefold()
    key = name_key(form)
    for n, line in (*address, *enumerate(lines, start=1)):
        if wanted in line.casefold():
            return n
    for n, line in enumerate(lines, start=1):
        if key and key in name_key(line):
            return n
    return 1


def _corrected(mentions: list[Mention], items: Sequence[Item], resolver: Resolver,
               found: list[Diagnostic]) -> list[Mention]:
    """The corrections file's ``mentions:``: one form (at one line) to an entry, or to no name."""
    for item in items:
        match, line = str(item.values.get("match") or ""), item.values.get("line")
        hits = [n for n, m in enumerate(mentions) if match and (m.form == match or name_key(m.form) == name_key(match))
                and (not line or m.pos.line == line)]
        if not hits:
            found.append(diag.make("sidecar-stale", item.pos, what=f"mention {match!r}"))
            continue
        ident = item.values.get("entry")
        entry = resolver.registers.entries.get(str(ident)) if ident else None
        if ident and entry is None:
            found.append(diag.make("mention-unknown-entry", item.pos, form=match, id=ident))
            continue
        for n in hits:
            old = mentions[n]
            mentions[n] = replace(old, status=MentionStatus.RESOLVED, entry_id=None, by_editor=True) if entry is None else replace(
                old, register=entry.register.value, status=MentionStatus.RESOLVED, entry_id=entry.id, name=entry.name,
                short=entry.short, description=entry.description, form_kind=None, candidates=(), by_editor=True)
    return [m for m in mentions if not (m.by_editor and m.entry_id is None)]


def _problems(document: Document, mentions: Iterable[Mention]) -> list[Diagnostic]:
    """One diagnostic per unmatched or ambiguous name, at its first line."""
    sidecar = PurePosixPath(document.source).with_suffix(".yml").name
    seen: set[str] = set()
    found = []
    for m in mentions:
        key = name_key(m.form)
        if m.status is MentionStatus.RESOLVED or key in seen:
            continue
        if m.status is MentionStatus.UNKNOWN and m.role not in CHECKED:
            continue
        seen.add(key)
        role = _ROLE_WORDS.get(m.role, m.role.value)
        if m.status is MentionStatus.AMBIGUOUS:
            found.append(diag.make("ambiguous-name", m.pos, role=role, form=m.form,
                                   candidates=", ".join(m.candidates), sidecar=sidecar))
        else:
            found.append(diag.make("unregistered-name", m.pos, role=role, form=m.form, register=m.register,
                                   file=f"registers/{m.register}.yml in the seeds folder"))
    return found
