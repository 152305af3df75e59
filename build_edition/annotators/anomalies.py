"""Anomalies of the source made into visible editorial flags.

Each annotator takes a Document and returns one with flags added (inline in the
text, or on the record's tables) and a diagnostic for each. They are idempotent:
a flag already present is not added twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .. import diagnostics as diag
from ..dates import MONTHS
from ..model import (
    Block, BlockRole, Document, Event, EventKind, Flag, FlagCode, FlagPlace, Inline, Text,
)
from ..readers.record import long_date

_TERMINAL = (".", "!", "?", ":", ";", '"', "”", "»", "…")
_STAGES = (EventKind.SENT, EventKind.RECEIVED, EventKind.ARRIVED, EventKind.DECIPHERED, EventKind.TYPED)
_REPEAT = re.compile(
    # possessive: a shorter word would be followed by a letter or digit, never by the white space wanted
    r"\b(?P<word>[A-Za-z]{2,}+|\d{1,4}+)\s+(?P=word)\b"
    r"|\b(?P<day>\d{1,2})\s+(?P<month>" + "|".join(m for m in MONTHS if len(m) > 3) + r")\s+(?P=day)\b",
    re.I,
)

_WORD = re.compile(r"[\w'’\-]+")


def join_broken_paragraphs(document: Document) -> Document:
    """Join paragraphs the source breaks mid-sentence, recording each join."""
    plains = [[block.plain for block in section.blocks] for section in document.text]  # each block's, once
    words = _Bigrams(text for texts in plains for text in texts)
    found = list(document.diagnostics)
    sections = []
    for section, texts in zip(document.text, plains):
        blocks: list[Block] = []
        kept: list[str] = []  # the plain text of each block in ``blocks``
        for block, text in zip(section.blocks, texts):
            if blocks and _broken(blocks[-1], block, kept[-1], text, words):
                previous = blocks.pop()
                flag = Flag(code=FlagCode.PARAGRAPH_JOINED, pos=block.pos,
                            message=f"The source starts a new paragraph here (line {block.pos.line}), mid-sentence.")
                found.append(diag.make("paragraph-joined", block.pos, before=_tail(kept.pop()), after=_head(text)))
                block = replace(previous, inlines=previous.inlines + (flag, Text(text=" ")) + block.inlines,
                                end_line=block.end_line)
                text = block.plain
            blocks.append(block)
            kept.append(text)
        sections.append(replace(section, blocks=tuple(blocks)) if len(blocks) < len(section.blocks) else section)
    if len(found) == len(document.diagnostics):
        return document  # no paragraph joined
    return replace(document, text=tuple(sections), diagnostics=tuple(found))


def _broken(before: Block, after: Block, before_plain: str, after_plain: str, bigrams: _Bigrams) -> bool:
    if before.role is not BlockRole.PARAGRAPH or after.role is not BlockRole.PARAGRAPH:
        return False
    left, right = before_plain.rstrip(), after_plain.lstrip()
    if not left or not right or left.endswith(_TERMINAL):
        return False
    if right[0].islower() or right[0] == "[":
        return True
    last, first = _last_word(left), _WORD.search(right.lower())
    return last is not None and first is not None and bigrams.has(last, first[0])


class _Bigrams:
    """Whether two words stand side by side somewhere in the document's text (a block's words only:
    the last word of a block and the first of the next are no pair). Most documents never ask; one
    that does asks a few times, so each question is one search of the lowered text, not a set of
    every pair."""

    _TOKEN = r"[\w'’\-]"

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts = texts
        self._lowered: str | None = None

    def has(self, first: str, second: str) -> bool:
        if self._lowered is None:
            # " A " parts the blocks: a capital never stands in lowered text, so no pair spans two blocks
            self._lowered = " A ".join(text.lower() for text in self._texts)
        t = self._TOKEN
        # ``first`` not preceded by a word character (the look-behind after it keeps the search on its letters)
        pattern = rf"{re.escape(first)}(?<!{t}{re.escape(first)})[^\w'’\-]+{re.escape(second)}(?!{t})"
        return re.search(pattern, self._lowered) is not None


def _last_word(text: str) -> str | None:
    """The last of the text's words (lower-cased), found from its end: the whole paragraph is split
    into words only when its last 80 characters hold a single word, which may begin before them."""
    lowered = text.lower()
    tail = _WORD.findall(lowered[-80:])
    if len(tail) < 2 and len(lowered) > 80:
        tail = _WORD.findall(lowered)
    return tail[-1] if tail else None


def _tail(text: str) -> str:
    return " ".join(text.split()[-3:])


def _head(text: str) -> str:
    return " ".join(text.split()[:3])


def flag_repeated_words(document: Document) -> Document:
    """Mark a word or date the source repeats (``On 29 September 29``)."""
    found = list(document.diagnostics)
    sections = []
    for section in document.text:
        blocks = []
        for block in section.blocks:
            inlines: list[Inline] = []
            changed = False
            for n, inline in enumerate(block.inlines):
                following = block.inlines[n + 1] if n + 1 < len(block.inlines) else None
                if isinstance(inline, Text) and not _is_repeat_flag(following):
                    split = _split_at_repeats(inline, block, found)
                    changed = changed or split[0] is not inline
                    inlines.extend(split)
                else:
                    inlines.append(inline)
            blocks.append(replace(block, inlines=tuple(inlines)) if changed else block)
        sections.append(replace(section, blocks=tuple(blocks))
                        if any(new is not old for new, old in zip(blocks, section.blocks)) else section)
    if len(found) == len(document.diagnostics):
        return document  # no repeat found: every flag adds a diagnostic
    return replace(document, text=tuple(sections), diagnostics=tuple(found))


def _is_repeat_flag(inline: Inline | None) -> bool:
    return isinstance(inline, Flag) and inline.code is FlagCode.REPEATED_WORD


def _split_at_repeats(inline: Text, block: Block, found: list) -> list[Inline]:
    out: list[Inline] = []
    rest = 0
    for match in _REPEAT.finditer(inline.text):
        word = match["word"] or match["day"]
        if word and word.lower() in ("had", "that", "is"):
            continue
        out.append(Text(text=inline.text[rest:match.end()]))
        message = f"The source repeats {word!r} here: {match[0]!r}."
        out.append(Flag(code=FlagCode.REPEATED_WORD, pos=block.pos, message=message))
        found.append(diag.make("repeated-word", block.pos, word=word, context=match[0]))
        rest = match.end()
    if not out:
        return [inline]  # no repeat: the text as it was
    if rest < len(inline.text):
        out.append(Text(text=inline.text[rest:]))
    return out


def flag_record(document: Document) -> Document:
    """Flags on the transmission record and the distribution list."""
    if any(f.place is not FlagPlace.TEXT for f in document.record_flags):
        return document
    flags: list[Flag] = []
    found = list(document.diagnostics)
    for event in document.transmission:
        if event.date_problem == "year-inconsistent":
            flags.append(Flag(code=FlagCode.YEAR_INCONSISTENT, pos=event.pos, place=FlagPlace.TRANSMISSION,
                              message=f"The source's year ({event.date_alternative.year}) disagrees with the record; read as {event.iso}.",  # type: ignore[union-attr]
                              correction=event.iso))
        elif event.date_problem == "ambiguous-date":
            flags.append(Flag(code=FlagCode.AMBIGUOUS_DATE, pos=event.pos, place=FlagPlace.TRANSMISSION,
                              message=f"Ambiguous date: read as {event.iso}; {long_date(event.date_alternative)} was also possible."))
    flags.extend(_out_of_order(document.transmission, found))
    dist = document.distribution
    if dist and dist.stated_copies is not None and dist.listed_copies is not None and dist.stated_copies != dist.listed_copies:
        flags.append(Flag(code=FlagCode.COPIES_MISMATCH, pos=dist.pos, place=FlagPlace.DISTRIBUTION,
                          message=f"{dist.stated_copies} copies are stated but {dist.listed_copies} are listed."))
        found.append(diag.make("copies-mismatch", dist.pos, stated=dist.stated_copies, listed=dist.listed_copies))
    if not flags and len(found) == len(document.diagnostics):
        return document
    return replace(document, record_flags=document.record_flags + tuple(flags), diagnostics=tuple(found))


def _out_of_order(events: tuple[Event, ...], found: list) -> list[Flag]:
    """Stages of the usual chain whose times run backwards (arrived before received)."""
    first: dict[EventKind, Event] = {}
    for event in events:
        if event.kind in _STAGES and event.datetime is not None:
            first.setdefault(event.kind, event)
    chain = [first[k] for k in _STAGES if k in first]
    flags = []
    for earlier, later in zip(chain, chain[1:]):
        if later.datetime < earlier.datetime:  # type: ignore[operator]
            flags.append(Flag(code=FlagCode.EVENTS_OUT_OF_ORDER, pos=later.pos, place=FlagPlace.TRANSMISSION,
                              message=f"{later.kind.value.capitalize()} at {later.iso} is earlier than "
                                      f"{earlier.kind.value} at {earlier.iso}."))
            found.append(diag.make("events-out-of-order", later.pos, later=later.kind.value, later_time=later.iso,
                                   earlier=earlier.kind.value, earlier_time=earlier.iso))
    return flags



def check_truncation(document: Document) -> Document:
    """Warn when the text's last paragraph stops mid-sentence: a file cut off in transfer."""
    if any(d.code == "truncated-source" for d in document.diagnostics) or not document.blocks:
        return document
    last = document.blocks[-1]
    text = last.plain.rstrip()
    if last.role is not BlockRole.PARAGRAPH or not text or text.endswith(_TERMINAL) or not text[-1].isalpha():
        return document
    pos = replace(last.pos, line=max(last.end_line, last.pos.line))
    note = diag.make("truncated-source", pos, tail=_tail(text))
    return replace(document, diagnostics=document.diagnostics + (note,))
