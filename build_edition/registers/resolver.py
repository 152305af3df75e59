"""The one resolver: a form as a source writes it -> the register entry it names.

Every part of the edition that meets a name (header fields, transmission clerks,
distribution lists, signatures, bracket identifications, names in the running text)
asks :meth:`Resolver.resolve` or :meth:`Resolver.find_names`. Forms are compared by a key
that sets aside case, accents, spaces, hyphens and full stops (``S H T Y K O V``,
``PAK HEONYEONG``), honorifics (Comrade, Cde., Cdes.) and a possessive ``'s``. A form
that two entries claim on the document's date is ambiguous and resolves to nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from .entries import Entry, Form, FormKind, RegisterKind, Registers

FROZEN = {"frozen": True, "slots": True, "kw_only": True}
HONORIFICS = frozenset({"comrade", "comrades", "cde", "cdes", "com", "tov", "tovarishch", "the", "to", "dear",
                        "deeply", "respected", "mr", "mrs", "ms", "general", "marshal", "chairman", "president",
                        "premier", "ambassador", "товарищ", "тов", "товарищу", "товарища"})
_TEXT_HONORIFICS = frozenset({"comrade", "comrades", "cde", "cdes", "com", "tov", "тов", "товарищ"})
_POSSESSIVE = re.compile(r"[’']s$", re.I)
_INITIALS = re.compile(r"^(?:[A-ZА-Я][a-zа-я]?\.)+$")
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
# A word of a name: a letter or digit, then letters, digits, apostrophes, hyphens, full stops.
_WORD = re.compile(r"[^\W_][\w'’.\-/()]*", re.UNICODE)
_CONNECTORS = frozenset({"of", "the", "for", "de", "and"})
# A run of capitalized words (with connectors, and a lower-case honorific before it): only
# such runs can hold a name, so the rest of the text is never split into words.
_CAPITALIZED = r"[A-ZÀ-ÖØ-ÞА-ЯЁ0-9][\w'’.\-/()]*"
_RUN = re.compile(rf"(?<![\w'’\-])(?:(?:comrades?|cdes?\.|com\.|tov\.|тов\.|товарищ[а-я]*) )?{_CAPITALIZED}"
                  rf"(?:(?: | - |-)(?:of|the|for|de|and|{_CAPITALIZED}))*")
NOT_NAMES = frozenset({"onfile", "file", "archive", "copy", "copies"})


class Status(StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass(**FROZEN)
class Resolution:
    """What a form names: one entry (and by which of its forms), several, or none."""

    status: Status
    entry: Entry | None = None
    form: Form | None = None
    candidates: tuple[str, ...] = ()


@dataclass(**FROZEN)
class Found:
    """A name found in running text: where it stands in the string and what it names."""

    start: int
    end: int
    text: str
    resolution: Resolution


UNKNOWN = Resolution(status=Status.UNKNOWN)


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """The comparison key of a form: no case, accents, spaces, punctuation or honorifics.

    Cached: running text asks for the same words again and again."""
    words = text.split()
    while words and words[0].casefold().rstrip(".,:") in HONORIFICS and len(words) > 1:
        words.pop(0)
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    decomposed = unicodedata.normalize("NFKD", " ".join(words).casefold())
    return "".join(c for c in decomposed if c.isalnum())


class Resolver:
    """Forms of every entry of the registers, indexed by key; built once per build."""

    def __init__(self, registers: Registers) -> None:
        self.registers = registers
        self._index: dict[str, list[tuple[Entry, Form]]] = {}
        self._first_words: set[str] = set()
        self._longest = 1
        for entry in registers.entries.values():
            for form in entry.all_forms:
                key = name_key(form.text)
                if key:
                    self._index.setdefault(key, []).append((entry, form))
                    words = form.text.split()
                    self._first_words.add(name_key(words[0]) if words else key)
                    self._longest = max(self._longest, len(words))

    def resolve(self, form: str, kinds: Iterable[RegisterKind] = tuple(RegisterKind),
                on: dt.date | None = None) -> Resolution:
        """The entry ``form`` names among ``kinds`` on the date ``on``."""
        wanted = frozenset(kinds)
        found = self._lookup(form, wanted, on)
        if found.status is Status.UNKNOWN and RegisterKind.PERSON in wanted:
            found = self._without_initials(form, on)
        return found

    def resolve_all(self, text: str, kinds: Iterable[RegisterKind] = tuple(RegisterKind),
                    on: dt.date | None = None) -> list[tuple[str, Resolution]]:
        """A field that may name several ("KIM IL SUNG, PAK HEON-YEONG", "Kim and Pak").

        The whole text first; only when it names nothing, each part on its own.
        """
        kinds = tuple(kinds)
        whole = self.resolve(text, kinds, on)
        parts = [p.strip() for p in _SPLIT.split(text) if p and p.strip()]
        if whole.status is not Status.UNKNOWN or len(parts) < 2:
            return [(text.strip(), whole)]
        return [(part, self.resolve(part, kinds, on)) for part in parts]

    def _lookup(self, text: str, kinds: frozenset[RegisterKind], on: dt.date | None) -> Resolution:
        hits = [(e, f) for e, f in self._index.get(name_key(text), ()) if e.register in kinds and f.valid_on(on)]
        ids = sorted({e.id for e, _ in hits})
        if not ids:
            return UNKNOWN
        if len(ids) > 1:
            return Resolution(status=Status.AMBIGUOUS, candidates=tuple(ids))
        wanted = " ".join(text.split()).casefold()
        # The form as written if listed, else the preferred name, else the listed form.
        entry, form = min(hits, key=lambda h: (h[1].text.casefold() not in wanted, h[1].kind is not FormKind.NAME))
        return Resolution(status=Status.RESOLVED, entry=entry, form=form)

    def _without_initials(self, form: str, on: dt.date | None) -> Resolution:
        """"A. Vasilevsky", "Stalin I.V.": the surname alone, if the initials agree."""
        words = form.split()
        initials = [w for w in words if _INITIALS.match(w)]
        rest = [w for w in words if not _INITIALS.match(w)]
        if not initials or not rest:
            return UNKNOWN
        found = self._lookup(" ".join(rest), frozenset({RegisterKind.PERSON}), on)
        letters = "".join(part[0] for w in initials for part in w.split(".") if part).casefold()
        if found.entry is not None and found.entry.initials and not found.entry.initials.startswith(letters):
            return UNKNOWN
        return found

    def find_names(self, text: str, on: dt.date | None = None) -> Iterator[Found]:
        """Names of any register in running text, longest first, left to right.

        Only runs of capitalized words are tried (``KIM IL SUNG``, ``Ministry of Foreign
        Affairs``); an honorific just before a name is part of its source form.
        """
        for run in _RUN.finditer(text):
            at = run.start()
            words = [(at + m.start(), at + m.end(), m.group()) for m in _WORD.finditer(run.group())]
            n = 0
            while n < len(words):
                hit = self._longest_at(text, words, n, on)
                if hit is None:
                    n += 1
                    continue
                found, last = hit
                yield found
                n = last + 1

    def _longest_at(self, text: str, words: list[tuple[int, int, str]], n: int,
                    on: dt.date | None) -> tuple[Found, int] | None:
        start, _, first = words[n]
        if not _capital(first) or name_key(first) not in self._first_words:
            return None
        last = n
        while last + 1 < len(words) and last + 1 - n < self._longest and _joined(text, words, last):
            last += 1
        for end in range(last, n - 1, -1):
            if not _capital(words[end][2]):
                continue
            stop = words[end][1]
            span = _trim(text[start:stop])
            found = self._lookup(span, frozenset(RegisterKind), on)
            if found.status is Status.UNKNOWN:
                found = self._without_initials(span, on)
            if found.status is not Status.UNKNOWN:
                begin = _honorific_start(text, words, n)
                return Found(start=begin, end=start + len(span), text=text[begin:start + len(span)],
                             resolution=found), end
        return None


def _capital(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _joined(text: str, words: list[tuple[int, int, str]], n: int) -> bool:
    """Whether word ``n + 1`` continues the name that word ``n`` is in (one space between)."""
    gap = text[words[n][1]:words[n + 1][0]]
    nxt = words[n + 1][2]
    return gap in (" ", " - ", "-") and (_capital(nxt) or nxt.casefold() in _CONNECTORS)


def _trim(span: str) -> str:
    """No full stop or comma at the end (unless it closes an initial), no possessive."""
    span = _POSSESSIVE.sub("", span)
    while span and span[-1] in ".,;:)" and not _INITIALS.match(span.split()[-1]):
        span = span[:-1]
    return span


def _honorific_start(text: str, words: list[tuple[int, int, str]], n: int) -> int:
    """Where the form starts when "Comrade" or "Cde." stands just before the name."""
    if n > 0 and words[n - 1][2].casefold().rstrip(".") in _TEXT_HONORIFICS and text[words[n - 1][1]:words[n][0]] == " ":
        return words[n - 1][0]
    return words[n][0]
