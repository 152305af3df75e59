"""Splitting a paragraph's text into running text and bracketed insertions.

Brackets are found here, with their source line; what *kind* of insertion each
one is is decided later by ``annotators.insertions``. An unclosed bracket ends
at the end of its paragraph, never later, so it cannot swallow the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .. import diagnostics as diag
from ..model import Diagnostic, Inline, Insertion, InsertionKind, SourcePos, Text
from ..source import Line

_CAPS_RUN = re.compile(r"((?:[A-Z][A-Z'’.\-]*\s+)*[A-Z][A-Z'’.\-]*[A-Z.]?)\s*$")
_LAST_WORD = re.compile(r"([\w'’.\-]+)\s*$")
_BRACKET = re.compile(r"[\[\]]")


@dataclass(frozen=True, slots=True)
class Parsed:
    inlines: tuple[Inline, ...]
    diagnostics: tuple[Diagnostic, ...]


def parse_inlines(lines: list[Line], path: str) -> Parsed:
    """Join a paragraph's lines with single spaces and find its brackets."""
    text, line_of = _join(lines)
    found: list[Diagnostic] = []
    inlines = _scan(text, 0, line_of, path, lines[-1].no if lines else 1, found)
    return Parsed(inlines=inlines, diagnostics=tuple(found))


def _scan(text: str, base: int, line_of: Callable[[int], int], path: str, last: int,
          found: list[Diagnostic]) -> tuple[Inline, ...]:
    """Text and insertions of ``text``, which starts at offset ``base`` of its paragraph."""
    out: list[Inline] = []
    start = 0
    i = 0
    while (bracket := _BRACKET.search(text, i)) is not None:
        i = bracket.start()
        if text[i] == "[":
            end, closed, nested = _closing(text, i)
            raw = text[i:end]
            pos = SourcePos(path=path, line=line_of(base + i))
            if not closed:
                found.append(diag.make("unclosed-bracket", pos, end=last))
            before = text[start:i]
            if before:
                out.append(Text(text=before))
            insertion = _insertion(raw, closed, pos, text[:i])
            if nested and not _double(raw):
                inner_start = i + 1
                inner = raw[1:-1] if closed else raw[1:]
                insertion = replace(insertion, children=_scan(inner, base + inner_start, line_of, path, last, found))
            out.append(insertion)
            start = i = end
            continue
        found.append(diag.make("stray-bracket", SourcePos(path=path, line=line_of(base + i))))
        i += 1
    if start < len(text):
        out.append(Text(text=text[start:]))
    return tuple(out)


def _double(raw: str) -> bool:
    """``[[several illegible words]]``: one insertion in doubled brackets."""
    return raw.startswith("[[") and raw.endswith("]]") and raw.count("[") == 2


def _join(lines: list[Line]) -> tuple[str, Callable[[int], int]]:
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    for line in lines:
        if not line.text:
            continue
        if parts:
            parts.append(" ")
            offset += 1
        starts.append((offset, line.no))
        parts.append(line.text)
        offset += len(line.text)

    def line_of(index: int) -> int:
        number = starts[0][1] if starts else 1
        for begin, no in starts:
            if begin > index:
                break
            number = no
        return number

    return "".join(parts), line_of


def _closing(text: str, start: int) -> tuple[int, bool, bool]:
    """Where the bracket opened at ``start`` ends: (end, closed, had nesting)."""
    depth = 0
    nested = False
    for bracket in _BRACKET.finditer(text, start):
        if bracket[0] == "[":
            depth += 1
            nested = nested or depth > 1
        else:
            depth -= 1
            if depth == 0:
                return bracket.end(), True, nested
    return len(text), False, nested


def _insertion(raw: str, closed: bool, pos: SourcePos, before: str) -> Insertion:
    inner = raw[1:-1] if closed else raw[1:]
    while closed and inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    attached = bool(before) and (before[-1].isalnum())
    return Insertion(
        kind=InsertionKind.UNCLASSIFIED,
        text=inner.strip(),
        raw=raw,
        pos=pos,
        anchor=_anchor(before),
        attached=attached,
        closed=closed,
    )


def _anchor(before: str) -> str:
    """The words the bracket comments on: a run of capitals, else the last word."""
    tail = before[-80:]
    caps = _CAPS_RUN.search(tail)
    if caps and len(caps.group(1)) > 1 and not tail.rstrip().endswith(","):
        return caps.group(1).strip()
    word = _LAST_WORD.search(tail)
    return word.group(1) if word else ""
