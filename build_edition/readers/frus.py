"""What FRUS (Foreign Relations of the United States) documents share, whatever their shape.

A FRUS document opens with its source note (the State Department file number and
the document's type, ``320.2–AC/3–2351: Telegram``), then its head (``The
Ambassador in Korea (Muccio) to the Secretary of State``), a dateline, and the
classification and handling marks (``secret``, ``niact``, ``priority``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# FRUS prints documents from the State Department's Central Files under their decimal file number.
CENTRAL_FILES = "Department of State, Central Files"
CLASSIFICATIONS = ("top secret", "secret", "confidential", "restricted", "official use only", "unclassified")
URGENCIES = ("niact", "priority", "operational immediate", "immediate", "urgent", "flash", "routine")
# FRUS's kinds of document, as its source notes name them.
KINDS = (
    "telegram", "circular telegram", "circular airgram", "airgram", "despatch", "dispatch", "letter", "note",
    "memorandum", "memorandum of conversation", "minutes", "message", "instruction", "report", "paper", "editorial note",
)
# ``357.AK/3–1251: Telegram``, ``Lot 55D388: Memorandum of Conversation``: where FRUS found it, and what it is.
SOURCE_NOTE = re.compile(
    r"^(?P<file>[^:\n]{3,80}?):\s*(?P<kind>(?:" + "|".join(sorted(KINDS, key=len, reverse=True)) + r")\b[^:]{0,60})$",
    re.I,
)
# A State Department decimal file number: ``795.00/7–2051``, ``320.2–AC/3–2351``, ``357.AK/3–1251``.
DECIMAL_FILE = re.compile(r"^\d{3}(?:\.[\w–—\-]+)*/[\d–—\-]+$")
_HEAD = re.compile(r"^(?:the\s+)?(?P<from>.+?)\s+to\s+(?P<to>.+?)\.?$", re.I | re.S)
_BY = re.compile(r"^(?P<kind>[^,]+),\s+by\s+(?:the\s+)?(?P<from>.+?)\.?$", re.I | re.S)
_PERSON = re.compile(r"\((?P<name>[^)]+)\)")
FOOTNOTE_MARK = re.compile(r"(?<=[a-z’)])(?P<n>\d{1,2})$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Marks:
    """The classification and handling marks of a FRUS document."""

    classification: str | None = None
    urgency: str | None = None


def marks(text: str) -> Marks | None:
    """``top secret`` -> classification; ``niact`` -> urgency; ``secret niact`` -> both; else None."""
    rest = " ".join(text.lower().strip(" .").split())
    if not rest:
        return None
    classification = urgency = None
    for word in CLASSIFICATIONS:
        if rest.startswith(word):
            classification, rest = word, rest[len(word):].strip(" ,;")
            break
    for word in URGENCIES:
        if rest.startswith(word):
            urgency, rest = word, rest[len(word):].strip(" ,;")
            break
    if rest or not (classification or urgency):
        return None
    return Marks(classification=classification, urgency=urgency)


def head_parties(head: str) -> tuple[str | None, tuple[str, ...]]:
    """``The Ambassador in Korea (Muccio) to the Secretary of State`` -> ("Muccio", ("Secretary of State",)).

    The person in parentheses is the sender when the head names one; otherwise the office.
    """
    text = " ".join(head.split())
    if by := _BY.match(text):  # "Memorandum of Conversation, by the Director of ... (Clubb)"
        return _party(by["from"]), ()
    match = _HEAD.match(text)
    if not match:
        return None, ()
    return _party(match["from"]), tuple(p for p in (_party(match["to"]),) if p)


def _party(text: str) -> str:
    person = _PERSON.search(text)
    if person:
        return person["name"].strip()
    return re.sub(r"^the\s+", "", text.strip(" ,."), flags=re.I)


def doc_type(kind: str) -> str:
    """``Circular telegram`` as FRUS writes it, first letter capitalised."""
    kind = " ".join(kind.split())
    return kind[:1].upper() + kind[1:]
