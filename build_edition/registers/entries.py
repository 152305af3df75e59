"""The registers' model: entries of persons, organizations and places, and their forms.

An entry is what every attested form of a name points at (a TEI ``person`` with its
``persName``s, a FRUS list-of-persons line). Frozen like the document model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..model import Diagnostic, SourcePos

FROZEN = {"frozen": True, "slots": True, "kw_only": True}


class RegisterKind(StrEnum):
    """The three registers; the value is the file name's stem and the page folder."""

    PERSON = "persons"
    ORGANIZATION = "organizations"
    PLACE = "places"


class FormKind(StrEnum):
    """How a form relates to the entry's preferred name (TEI ``persName/@type``)."""

    NAME = "name"
    VARIANT = "variant"
    ROMANIZATION = "romanization"
    INITIALS = "initials"
    PSEUDONYM = "pseudonym"
    TITLE = "title"
    ABBREVIATION = "abbreviation"
    MISSPELLING = "misspelling"


@dataclass(**FROZEN)
class Form:
    """One attested form; a pseudonym may stand for this entry only between two dates."""

    text: str
    kind: FormKind = FormKind.VARIANT
    start: dt.date | None = None
    end: dt.date | None = None
    note: str | None = None

    def valid_on(self, date: dt.date | None) -> bool:
        """Whether the form can mean this entry on ``date`` (an undated use always can)."""
        if date is None:
            return True
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)

    @property
    def period(self) -> str:
        if self.start is None and self.end is None:
            return ""
        return f"{self.start.isoformat() if self.start else '…'} – {self.end.isoformat() if self.end else '…'}"


@dataclass(**FROZEN)
class Entry:
    """A person, organization or place with its forms and identifiers."""

    id: str
    register: RegisterKind
    name: str
    short: str
    pos: SourcePos
    forms: tuple[Form, ...] = ()
    given: str | None = None
    dates: str | None = None
    description: str = ""
    wikidata: str | None = None
    geonames: str | None = None
    lat: float | None = None
    lon: float | None = None
    by_editor: bool = False

    @property
    def all_forms(self) -> tuple[Form, ...]:
        """The preferred and short names as forms, then every listed form."""
        names = [Form(text=self.name, kind=FormKind.NAME)]
        if self.short != self.name:
            names.append(Form(text=self.short, kind=FormKind.NAME))
        if self.given and "," in self.name:
            surname = self.name.split(",", 1)[0].strip()
            names += [Form(text=f"{self.given} {surname}", kind=FormKind.NAME),
                      Form(text=f"{surname} {self.given}", kind=FormKind.NAME)]
        unique: dict[str, Form] = {}
        for form in (*names, *self.forms):
            unique.setdefault(" ".join(form.text.split()).casefold(), form)
        return tuple(unique.values())

    @property
    def initials(self) -> str:
        """First letters of the given names ("IV" for Iosif Vissarionovich), for "I.V. Stalin"."""
        return "".join(part[0] for part in (self.given or "").split()).casefold()


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Registers:
    """Every entry of the three registers, by id, and what loading them found.

    Compared and hashed by identity: the loader returns the same object while files are unchanged.
    """

    entries: Mapping[str, Entry] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    files: tuple[str, ...] = ()

    def of(self, register: RegisterKind) -> list[Entry]:
        """The entries of one register, sorted by preferred name."""
        return sorted((e for e in self.entries.values() if e.register is register),
                      key=lambda e: (e.name.casefold(), e.id))
