"""What one document contributes to the registers, in the compact form the edition stage merges.

A document names an entry many times (fifty names a telegram is common); the register pages
need, per entry, the document's roles, the forms it used and how often, and the copies it
received, and for the correspondence who wrote to whom. ``names_of`` sums that up once, in
the per-document stage, so that the edition stage of ten thousand documents merges a few
small tuples per document instead of half a million mentions. Names that match no entry,
or several, stay whole: the unregistered-names report shows where they stand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..model import Mention, MentionRole, MentionStatus, SectionKind
from ..pickling import fast_pickling_in
from .entries import RegisterKind

PLACES = RegisterKind.PLACE.value
WRITERS = (MentionRole.SENDER, MentionRole.SIGNATORY)


class FormUse(NamedTuple):
    """A form of an entry's name as one document writes it: how often, and what kind of form it is."""

    form: str
    times: int
    kind: str | None
    """``Mention.form_kind`` of its first use (a pseudonym or a title is shown with the entry's short name)."""
    short: str | None


class EntryUse(NamedTuple):
    """One document's use of one register entry."""

    entry_id: str
    roles: tuple[str, ...]
    """``MentionRole`` values, in the order the document first gives each."""
    forms: tuple[FormUse, ...]
    """In the order of first use."""
    copies: int
    """Copies of the document the entry received (as a reader of its distribution list); 0: none."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentNames:
    """A document's share of the registers."""

    uses: tuple[EntryUse, ...] = ()
    """One per entry named, in the order of first mention."""
    pairs: tuple[tuple[str, str], ...] = ()
    """Writer and addressee entry ids, once for each part of the document (covering telegram, enclosed letter)
    in which the one writes to the other."""
    unresolved: tuple[Mention, ...] = ()
    """Names that match no entry, or more than one."""


def names_of(mentions: Sequence[Mention]) -> DocumentNames:
    """The register record of a document's mentions."""
    roles: dict[str, dict[str, None]] = {}
    forms: dict[str, dict[str, list[object]]] = {}
    copies: dict[str, int] = {}
    sections: dict[SectionKind, list[Mention]] = {}
    for m in mentions:
        entry = m.entry_id
        if not entry:
            continue
        roles.setdefault(entry, {})[m.role.value] = None
        found = forms.setdefault(entry, {}).get(m.form)
        if found is None:
            forms[entry][m.form] = [m.form, 1, m.form_kind, m.short]
        else:
            found[1] += 1  # type: ignore[operator]
        if m.role is MentionRole.COPY:
            copies[entry] = copies.get(entry, 0) + (m.copies or 1)
        if m.register != PLACES:
            sections.setdefault(m.section, []).append(m)
    uses = tuple(EntryUse(entry_id=entry, roles=tuple(roles[entry]),
                          forms=tuple(FormUse(*f) for f in forms[entry].values()),  # type: ignore[arg-type]
                          copies=copies.get(entry, 0)) for entry in roles)
    return DocumentNames(uses=uses, pairs=tuple(p for ms in sections.values() for p in _pairs(ms)),
                         unresolved=tuple(m for m in mentions if m.status is not MentionStatus.RESOLVED))


def _pairs(mentions: list[Mention]) -> list[tuple[str, str]]:
    """Who writes to whom in one part of a document: its sender and signatories to its recipients (to the
    names of its address lines when the header names none)."""
    writers = {m.entry_id for m in mentions if m.role in WRITERS}
    addressees = {m.entry_id for m in mentions if m.role is MentionRole.RECIPIENT} or {
        m.entry_id for m in mentions if m.role is MentionRole.ADDRESSEE}
    return sorted((w, a) for w in writers for a in addressees if w and a and w != a)


fast_pickling_in(globals())
