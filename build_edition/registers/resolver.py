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
import hashlib
import pickle
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple
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
# Words of the name of a body (an office, a ministry, a mission), not of a person: "8 MDGS Directorate" goes in
# the organizations register, and "Diplomatic and Consular Offices" is one name, not "Diplomatic" and another.
_BODY_NOUNS = ("ministry ministries directorate directorates administration committee committees department departments "
               "staff party embassy embassies army government governments council councils office offices mission "
               "missions bureau command posts legation legations consulate consulates delegation delegations commission "
               "commissions")
BODY_WORDS = frozenset(_BODY_NOUNS.split())


def names_a_body(text: str) -> bool:
    """Does ``text`` hold a word of a body's name (``BODY_WORDS``)?"""
    return not BODY_WORDS.isdisjoint(w.casefold() for w in re.findall(r"[\w'’-]+", text))


# A Roman numeral that numbers a paragraph ("I. Mao Zedong has long cherished ..."), not a name's initial.
_PARAGRAPH_NUMERAL = re.compile(r"[IVX]{1,4}\.\s")
# A word of a name: a letter or digit, then letters, digits, apostrophes, hyphens, full stops.
_WORD = re.compile(r"[^\W_][\w'’.\-/()]*", re.UNICODE)
_CONNECTORS = frozenset({"of", "the", "for", "de", "and"})
# A run of capitalized words (with connectors, and a lower-case honorific before it): only
# such runs can hold a name, so the rest of the text is never split into words.
_CAPITALIZED = r"[A-ZÀ-ÖØ-ÞА-ЯЁ0-9][\w'’.\-/()]*"
_RUN = re.compile(rf"(?<![\w'’\-])(?:(?:comrades?|cdes?\.|com\.|tov\.|тов\.|товарищ[а-я]*) )?{_CAPITALIZED}"
                  rf"(?:(?: | - |-)(?:of|the|for|de|and|{_CAPITALIZED}))*")
NOT_NAMES = frozenset({"onfile", "file", "archive", "copy", "copies"})
_ALL_KINDS = frozenset(RegisterKind)


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
        self._digest: str | None = None
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
        # The spans worth looking up in a run of capitalized words, by the run's text: the same
        # runs ("Comrade Stalin", "Moscow", "The") come back in every document.
        self._tries = functools.lru_cache(maxsize=1 << 15)(self._tries_of)
        # A document names the same few entries again and again, on its one date.
        self._chosen = functools.lru_cache(maxsize=1 << 14)(self._choose)

    def __reduce__(self) -> tuple[object, tuple[str, Registers]]:
        """Sent to a worker as its registers and a digest of them: the worker keeps one resolver for
        each digest (:func:`_received`), and with it the runs of words it has worked out, from one
        batch of sources to the next."""
        if self._digest is None:
            self._digest = hashlib.blake2b(pickle.dumps(self.registers, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
        return _received, (self._digest, self.registers)

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
        resolved = [(part, self.resolve(part, kinds, on)) for part in parts]
        if names_a_body(text) and all(r.status is Status.UNKNOWN for _, r in resolved):
            return [(text.strip(), whole)]  # "Diplomatic and Consular Offices": one body, not "Diplomatic" and another
        return resolved

    def _lookup(self, text: str, kinds: frozenset[RegisterKind], on: dt.date | None) -> Resolution:
        if name_key(text) not in self._index:  # most spans of running text: no form has their key
            return UNKNOWN
        return self._chosen(text, kinds, on)

    def _choose(self, text: str, kinds: frozenset[RegisterKind], on: dt.date | None) -> Resolution:
        """What ``text`` names among ``kinds`` on ``on``, of the entries some form of which has its key."""
        hits = [(e, f) for e, f in self._index[name_key(text)] if e.register in kinds and f.valid_on(on)]
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
        if "." not in form:  # an initial ends with a full stop
            return UNKNOWN
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
        Affairs``); an honorific just before a name is part of its source form. What a run
        could name is worked out once per run of words (:meth:`_tries`); only the date is
        left to settle.
        """
        for run in _RUN.finditer(text):
            tries = self._tries(run.group())
            if not tries:
                continue
            at = run.start()
            after = 0  # the first word a name may begin with: none inside the last name found
            for n, begin, start, spans in tries:
                if n < after or (at + begin == 0 and _PARAGRAPH_NUMERAL.match(text)):
                    continue
                for end, span in spans:
                    found = self._lookup(span, _ALL_KINDS, on)
                    if found.status is Status.UNKNOWN:
                        found = self._without_initials(span, on)
                    if found.status is not Status.UNKNOWN:
                        stop = at + start + len(span)
                        yield Found(start=at + begin, end=stop, text=text[at + begin:stop], resolution=found)
                        after = end + 1
                        break

    def _tries_of(self, run: str) -> tuple[_Try, ...]:
        """Each word of a run that a name could begin with, and the spans from it, longest first, that
        some form could be on some date: the spans whose key, or whose key without initials, a form
        has. Any other span resolves to nothing whatever the date, so it is never looked up."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(run)]
        tries = []
        for n, (start, _, first) in enumerate(words):
            if not _capital(first) or name_key(first) not in self._first_words:  # no form begins with this word
                continue
            last = n
            while last + 1 < len(words) and last + 1 - n < self._longest and _joined(run, words, last):
                last += 1
            spans = tuple((end, span) for end in range(last, n - 1, -1) if _capital(words[end][2])
                          for span in (_trim(run[start:words[end][1]]),) if self._could_name(span))
            if spans:
                tries.append(_Try(n, _honorific_start(run, words, n), start, spans))
        return tuple(tries)

    def _could_name(self, span: str) -> bool:
        """Whether :meth:`_lookup` or :meth:`_without_initials` could find ``span`` on some date."""
        if name_key(span) in self._index:
            return True
        if "." not in span:
            return False
        words = span.split()
        rest = [w for w in words if not _INITIALS.match(w)]
        return len(rest) < len(words) and bool(rest) and name_key(" ".join(rest)) in self._index


class _Try(NamedTuple):
    """Where a name may begin in a run of words: the word's number, where the form begins (an
    honorific before it included), where the name begins, and the (last word, span) to look up."""

    n: int
    begin: int
    start: int
    spans: tuple[tuple[int, str], ...]


@functools.lru_cache(maxsize=16)
def shared(registers: Registers) -> Resolver:
    """The one resolver of these registers (the same object while the files are unchanged) in this process."""
    return Resolver(registers)


_RECEIVED: dict[str, Resolver] = {}


def _received(digest: str, registers: Registers) -> Resolver:
    """The resolver a worker was sent: the one it already built for registers of this digest, if any."""
    if digest not in _RECEIVED:
        if len(_RECEIVED) >= 4:
            _RECEIVED.clear()
        _RECEIVED[digest] = Resolver(registers)
        _RECEIVED[digest]._digest = digest
    return _RECEIVED[digest]


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
