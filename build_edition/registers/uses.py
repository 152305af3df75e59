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
from sys import intern
from dataclasses import dataclass

from ..model import Mention, MentionRole, MentionStatus, SectionKind
from ..pickling import fast_pickling_in
from .entries import RegisterKind

PLACES = RegisterKind.PLACE.value
WRITERS = (MentionRole.SENDER, MentionRole.SIGNATORY)


FormUse = tuple[str, int, "str | None", "str | None"]
"""A form of an entry's name as one document writes it: the form, how often, the kind of form of its first use
(``Mention.form_kind``: a pseudonym or a title is shown with the entry's short name) and the entry's short name."""

EntryUse = tuple[str, tuple[str, ...], tuple[FormUse, ...], int]
"""One document's use of one register entry: the entry's id; its roles (``MentionRole`` values, in the order the
document first gives each); its forms (in the order of first use); the copies of the document the entry received
as a reader of its distribution list (0: none).

Both are plain tuples, not named ones: every build after a change loads every document's uses from the cache
(some 400,000 tuples at 10,000 documents), and plain tuples load several times faster than objects of a class
(0.07 against 0.3 s for 400,000). Their one reader, the edition stage's loop over all uses
(``writers.registers``), unpacks them in place."""


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
    forms: dict[str, dict[str, FormUse]] = {}
    copies: dict[str, int] = {}
    sections: dict[SectionKind, list[Mention]] = {}
    for m in mentions:
        entry = m.entry_id
        if not entry:
            continue
        roles.setdefault(entry, {})[m.role.value] = None
        found = forms.setdefault(entry, {}).get(m.form)
        forms[entry][m.form] = (m.form, 1, m.form_kind, m.short) if found is None else (
            m.form, found[1] + 1, found[2], found[3])
        if m.role is MentionRole.COPY:
            copies[entry] = copies.get(entry, 0) + (m.copies or 1)
        if m.register != PLACES:
            sections.setdefault(m.section, []).append(m)
    uses: tuple[EntryUse, ...] = tuple((entry, tuple(roles[entry]), tuple(forms[entry].values()), copies.get(entry, 0))
                                       for entry in roles)
    return DocumentNames(uses=uses, pairs=tuple(p for ms in sections.values() for p in _pairs(ms)),
                         unresolved=tuple(m for m in mentions if m.status is not MentionStatus.RESOLVED))


def _pairs(mentions: list[Mention]) -> list[tuple[str, str]]:
    """Who writes to whom in one part of a document: its sender and signatories to its recipients (to the
    names of its address lines when the header names none)."""
    writers = {m.entry_id for m in mentions if m.role in WRITERS}
    addressees = {m.entry_id for m in mentions if m.role is MentionRole.RECIPIENT} or {
        m.entry_id for m in mentions if m.role is MentionRole.ADDRESSEE}
    return sorted((w, a) for w in writers for a in addressees if w and a and w != a)


def shared_names(names: DocumentNames, roles: dict[tuple[str, ...], tuple[str, ...]]) -> DocumentNames:
    """``names`` with each entry id, form and short name as the one string all documents' names share
    (``sys.intern``), and each set of roles as the one tuple of ``roles`` (a table the caller keeps).

    The build's index pickles a shared object once a shard and every later use as a reference to it, so
    the next build makes one string where it made one a use: loading the index of 10,000 documents made
    some 800,000 strings and tuples, most of them entry ids and names written again and again."""
    uses = tuple((intern(entry), roles.setdefault(entry_roles, tuple(map(intern, entry_roles))),
                  tuple((intern(form), n, kind and intern(kind), short and intern(short)) for form, n, kind, short in forms),
                  copies)
                 for entry, entry_roles, forms, copies in names.uses)
    return DocumentNames(uses=uses, pairs=tuple((intern(w), intern(a)) for w, a in names.pairs),
                         unresolved=names.unresolved)


fast_pickling_in(globals())
