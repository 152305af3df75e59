"""Parsers for the record fields of a telegram form, one line or phrase at a time.

Each function takes text and returns a small typed result or None; none of them
knows which input shape the text came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import dates
from ..model import ArchivalRef, EventKind

NUMBER_SIGN = r"(?:#|No\.?|N[º°o]\.?|№)"
_TELEGRAM_NO = re.compile(
    rf"^(?P<type>ciphered\s+telegram|cipher\s+telegram|telegram|cable|coded\s+telegram)\s*{NUMBER_SIGN}\s*(?P<no>[\w/\-]+)",
    re.I,
)
_OUTGOING_NO = re.compile(rf"^{NUMBER_SIGN}\s*(?P<no>\d[\w/\-]*)\.?$", re.I)
_VERB = re.compile(r"\b(?P<verb>sent|received|arrived|deciphered|decoded|typed|cabled|printed|dispatched)\b", re.I)
# What any verb above holds: "ed" (all but one end so) or "ent" ("sent"); these letters match only
# their own two cases under re.I, so a line without either holds no verb, and this finds that sooner.
_VERB_MARK = re.compile(r"[eE][dD]|[eE][nN][tT]")
# The verbs themselves, for a line of ASCII only: there re.I matches no other letters than the two
# cases of each, so a lower-cased line holds one of these wherever the pattern could match.
_VERB_WORDS = ("sent", "received", "arrived", "deciphered", "decoded", "typed", "cabled", "printed", "dispatched")
_BY_PERSON = re.compile(r"\bby\s+(?!wire\b|radio\b|telegraph\b|cable\b|courier\b)(?P<by>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)")
_MEANS = re.compile(r"\bby\s+(?P<means>wire|radio|telegraph|cable|courier)\b", re.I)
_PLACE = re.compile(
    r"^\s*(?:from|in|at|to|into)\s+(?:the\s+)?(?P<place>(?:\d+\s+)?\d*[A-Za-z][^,;]*?)(?=\s+(?:on|at|by|from)\s|\s+\d|\s*$|,)", re.I
)
_ORIGIN_BEFORE = re.compile(r"\bfrom\s+(?P<place>[A-Za-z][\w' \-]*?)\s*$", re.I)
_NOT_A_PLACE = re.compile(r"^(?:comrade|cde\.?|cdes\.?)\b", re.I)
_KIND = {
    "sent": EventKind.SENT, "dispatched": EventKind.SENT, "received": EventKind.RECEIVED,
    "arrived": EventKind.ARRIVED, "deciphered": EventKind.DECIPHERED, "decoded": EventKind.DECIPHERED,
    "typed": EventKind.TYPED, "cabled": EventKind.CABLED, "printed": EventKind.PRINTED,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RawEvent:
    """A transmission line read, before its date is resolved against the record."""

    kind: EventKind
    by: str | None
    place: str | None
    means: str | None
    date: dates.DateReading | None
    time: dates.TimeReading | None
    leading_time: dates.TimeReading | None


def telegram_number(text: str) -> tuple[str, str] | None:
    """``CIPHERED TELEGRAM # 600301/sh`` -> ("Ciphered telegram", "600301/sh")."""
    match = _TELEGRAM_NO.match(text)
    if not match:
        return None
    kind = " ".join(match["type"].split()).capitalize()
    return kind, match["no"].rstrip(".")


def outgoing_number(text: str) -> str | None:
    """``No. 1351`` or ``Nº 1447/sh`` standing alone -> the number."""
    match = _OUTGOING_NO.match(text.strip())
    return match["no"] if match else None


# A person before the verb ("I received your telegram of 13 June."): a sentence of the text, not a record line.
_NARRATOR = re.compile(r"\bI\b|\b(?i:we|he|she|they|you)\b")


def narrated(text: str) -> bool:
    """Does a person (a pronoun) tell of the sending or receiving, before its verb? (``event`` reads no such line.)"""
    verb = _VERB.search(text)
    return verb is not None and _NARRATOR.search(text, 0, verb.start()) is not None


def event(text: str) -> RawEvent | None:
    """Read a transmission line (``Deciphered by Vakushin on 09/30/50 at 15:50``)."""
    if len(text) > 200 or not _may_hold_verb(text):
        return None
    verb = _VERB.search(text)
    if not verb or _NARRATOR.search(text, 0, verb.start()):
        return None  # no verb, or a person tells of the sending: a sentence of the text
    after = text[verb.end():]
    before = text[: verb.start()]
    date = dates.find_date(after)
    time = dates.find_time(after)
    leading = dates.find_time(before)
    if date is None and time is None:
        return None
    kind = _KIND[verb["verb"].lower()]
    place = _place(after, before)
    if kind is EventKind.SENT and re.match(r"\s*to\b", after, re.I) and place:
        kind = EventKind.ARRIVED
    by = _BY_PERSON.search(after)
    means = _MEANS.search(text)
    return RawEvent(
        kind=kind,
        by=by["by"] if by else None,
        place=place,
        means=means["means"].lower() if means else None,
        date=date,
        time=time,
        leading_time=leading if leading and not dates.find_date(before) else None,
    )


def _may_hold_verb(text: str) -> bool:
    """Whether ``_VERB`` could find a verb in ``text``: by plain substrings where the text is ASCII (a
    search of the pattern on every line took most of the time of reading a long source's lines)."""
    if not text.isascii():
        return _VERB_MARK.search(text) is not None
    lowered = text.lower()
    if "ed" not in lowered and "sent" not in lowered:  # what most lines lack, asked first
        return False
    for verb in _VERB_WORDS:
        if verb in lowered:
            return True
    return False


def _place(after: str, before: str) -> str | None:
    match = _PLACE.match(after)
    if match and not _NOT_A_PLACE.match(match["place"]):
        return _tidy_name(match["place"])
    origin = _ORIGIN_BEFORE.search(before)
    if origin:
        return _tidy_name(origin["place"])
    return None


def _tidy_name(text: str) -> str:
    return capitalize_caps(text.strip(" .,:"))


ACRONYMS = frozenset(
    "USSR USA US UK UN DPRK ROK KPA CPV PRC CCP CPSU VKP WPK CC MFA MDGS GS VVS MGB MVD NKVD KGB GRU TASS".split()
)
_SMALL_WORDS = frozenset("of the and for in on at to de".split())


def capitalize_caps(text: str) -> str:
    """``MINISTRY OF FOREIGN AFFAIRS`` -> ``Ministry of Foreign Affairs``.

    Only text written wholly in capitals is changed; acronyms and initials stay.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return text
    words = []
    for n, word in enumerate(text.split()):
        core = word.strip(".,;:'’()")
        if core in ACRONYMS or "." in word or len(core) < 2 or not any(c in "AEIOUY" for c in core):
            words.append(word)
        elif n and core.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


@dataclass(frozen=True, slots=True, kw_only=True)
class CopyLine:
    """What one distribution line says: a stated total and/or entries."""

    stated: int | None
    entries: tuple[tuple[str, int | None, int | None], ...]  # recipient, copies, copy number
    continues: bool


_DIST_HEAD = re.compile(r"^distribution(?:\s+list)?\s*[-–—:]\s*(?P<n>\d+)\s+copies\s*:?\s*(?P<rest>.*)$", re.I)
_COPIES_PRINTED = re.compile(r"^(?P<n>\d+)\s+copies\s+(?:printed|made|typed)\.?$", re.I)
_COPY_TO = re.compile(rf"^copy\s*{NUMBER_SIGN}?\s*(?P<no>\d+)\s+to\s+(?:cde\.?|comrade)?\s*(?P<who>.+?)\.?$", re.I)
_COPIES_LIST = re.compile(r"^copies\s*:\s*(?P<rest>.+)$", re.I)
_COPY_FIRST = frozenset("dDcC")  # the first letter of the patterns above that begin with one
_ENTRY_DASH = re.compile(r"^(?P<who>[^()]+?)\s*[-–—]\s*(?P<n>\d+)$")
_ENTRY_PAREN = re.compile(r"^(?P<who>[^\d()]+?)\s*\((?P<n>\d+)\)$")
_ENTRY_BARE = re.compile(r"^(?P<who>[A-Z][\w.'’\- ]*)$")


def copy_line(text: str, continuing: bool = False) -> CopyLine | None:
    """Read one line of a distribution list; ``continuing`` after a trailing comma."""
    if not continuing and not (text[:1] in _COPY_FIRST or text[:1].isdecimal()):
        return None  # no pattern below can match (``\d`` is a decimal digit, as ``isdecimal`` says)
    if match := _DIST_HEAD.match(text):
        entries, more = _entries(match["rest"])
        return CopyLine(stated=int(match["n"]), entries=entries, continues=more or not match["rest"].strip())
    if match := _COPIES_PRINTED.match(text):
        return CopyLine(stated=int(match["n"]), entries=(), continues=False)
    if match := _COPY_TO.match(text):
        return CopyLine(stated=None, entries=((_person(match["who"]), 1, int(match["no"])),), continues=False)
    if match := _COPIES_LIST.match(text):
        entries, more = _entries(match["rest"], bare_is_one=True)
        return CopyLine(stated=None, entries=entries, continues=more)
    if continuing:
        entries, more = _entries(text, bare_is_one=True)
        if entries:
            return CopyLine(stated=None, entries=entries, continues=more)
    return None


def _entries(text: str, bare_is_one: bool = False) -> tuple[tuple[tuple[str, int | None, None], ...], bool]:
    text = text.strip()
    continues = text.endswith(",")
    found: list[tuple[str, int | None, None]] = []
    for part in (p.strip(" .") for p in text.split(",")):
        if not part:
            continue
        if m := _ENTRY_DASH.match(part) or _ENTRY_PAREN.match(part):
            found.append((_person(m["who"]), int(m["n"]), None))
        elif bare_is_one and _ENTRY_BARE.match(part):
            found.append((_person(part), 1, None))
        elif part.lower() in ("on file", "file"):
            found.append((part, None, None))
        else:
            return (), False
    return tuple(found), continues


def _person(text: str) -> str:
    text = re.sub(r"^(?:to\s+)?(?:cde\.?|cdes\.?|comrade)\s+", "", text.strip(), flags=re.I)
    return text.strip(" .")


_REPOSITORY = re.compile(r"\b(?P<repo>APRF|AVPRF|AVP\s?RF|RGASPI|RGANI|GARF|TsAMO|RGVA|RGAE|AMVD|TsA\s?FSB|SVR)\b")
_GLOSS = r"\s*(?:\([^)]{0,12}\)\s*)?"  # "fond (f.) 45": the abbreviation the citation adds
_PART = {
    "fond": re.compile(rf"\b(?:fond|f\.){_GLOSS}(?P<v>\d[\w\-]*)", re.I),
    "opis": re.compile(rf"\b(?:opis|op\.){_GLOSS}(?P<v>\d[\w\-]*)", re.I),
    "delo": re.compile(rf"\b(?:delo|d\.){_GLOSS}(?P<v>\d[\w\-]*)", re.I),
    "papka": re.compile(rf"\b(?:papka|pap\.|p\.){_GLOSS}(?P<v>\d[\w\-]*)", re.I),
    "folios": re.compile(rf"\b(?:listy|listi|list|ll\.|l\.){_GLOSS}(?P<v>\d[\d\-–, ]*\d|\d)", re.I),
}
# Where a reference ends inside a citation: "… Ll. 74-77. Reprinted in …", "… ll. 81-85; translation from …".
_REF_END = re.compile(r"(?:\.|;)\s+(?=[A-Z][a-z]+\s+(?:in|by|from|for|to)\b|[a-z]{3,}\s)")


def archival_refs(text: str) -> tuple[ArchivalRef, ...]:
    """``APRF, fond 45, opis 1, delo 347, listy 41-45 and RGASPI, f. 558 …`` -> refs."""
    starts = [m for m in _REPOSITORY.finditer(text)]
    refs = []
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        chunk = text[match.start():end]
        if stop := _REF_END.search(chunk):
            chunk = chunk[: stop.start()]
        chunk = re.sub(r"[\s;,]*(?:\band\b)?[\s;,]*$", "", chunk).rstrip(". ")
        parts = {name: (m["v"].strip(" ,") if (m := rx.search(chunk)) else None) for name, rx in _PART.items()}
        refs.append(ArchivalRef(repository=match["repo"].replace(" ", ""), original=chunk, **parts))
    return tuple(refs)


def looks_like_archival_ref(text: str) -> bool:
    return bool(_REPOSITORY.search(text)) and bool(_PART["fond"].search(text))
