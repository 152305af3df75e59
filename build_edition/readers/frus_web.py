"""The text of a FRUS document page on history.state.gov, as a browser copies it.

The page gives the source note (``795.00/7–2051: Telegram``), the head, the
classification, the dateline (often over two lines, sometimes missing), the
text with ``[Page N]`` markers, list items as ``- 1.`` / ``- text`` pairs, the
signature, and FRUS's footnotes at the end (``1. The Department ...``), their
numbers glued to the words they follow (``Soviet Union1``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import dates
from ..model import Block, BlockRole, Document, Inline, NoteRef, Signature, SourceNote, SourcePos, Text
from ..source import Line, SourceText
from . import frus
from .envelope import Envelope, Located

_NUMBERED = re.compile(r"^(?P<n>\d{1,5})\.\s+\S")
_ITEM_LABEL = re.compile(r"^-\s+(?P<label>\(?\w{1,3}[.)])$")
_ITEM = re.compile(r"^-\s+")
_FOOTNOTE = re.compile(r"^(?P<n>\d{1,2})\.\s+(?P<text>\S.*)$")
_SIGNATURE = re.compile(r"^[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,2}$")
# "Union1", "effect.1 Sent": a footnote number glued to a word or its stop (only numbers of notes the page has).
_GLUED = re.compile(r"(?<=[a-z’).,])(?P<n>\d{1,2})(?=[\s.,;:]|$)")
HEAD_LINES = 6  # source note, head, marks and dateline come first


class FrusWebReader:
    """A history.state.gov document page: source note first, then "The X to the Y"."""

    name = "frus-web"

    def score(self, source: SourceText) -> float:
        filled = [line.text for line in source.lines if line.text][:2]
        note = frus.SOURCE_NOTE.match(filled[0]) if len(filled) == 2 else None
        if note is None:
            return 0.0
        # a decimal file number is FRUS's mark; otherwise the note must name exactly one of FRUS's kinds
        if not (frus.DECIMAL_FILE.match(note["file"]) or note["kind"].lower() in frus.KINDS):
            return 0.0
        return 0.9 if frus.head_parties(filled[1])[0] else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        filled = [line for line in source.lines if line.text]
        match = frus.SOURCE_NOTE.match(filled[0].text) if len(filled) > 1 else None
        if match is None:  # not this shape after all: the lines as they are
            return Envelope(shape=self.name, contents=source.lines)
        note, head = filled[0], filled[1]
        rest = filled[2:]
        marks, rest = _marks(rest)
        dateline, rest = _dateline(rest, source.path)
        body, signature, notes = _body(rest, source.path)
        title = frus.FOOTNOTE_MARK.sub("", head.text)
        sender, recipients = frus.head_parties(title)
        pos = SourcePos(path=source.path, line=head.no)
        number = _NUMBERED.match(body[0].text) if body else None
        decimal = match["file"] if frus.DECIMAL_FILE.match(match["file"]) else None
        file_date = dates.file_number_date(decimal) if decimal else None
        return Envelope(
            shape=self.name,
            contents=tuple(part for line in body for part in (line, Line(text="", no=line.no))),
            title=Located(text=title, pos=pos),
            date=dateline,
            doc_type=frus.doc_type(match["kind"]),
            sender=Located(text=signature.text, pos=SourcePos(path=source.path, line=signature.no)) if signature
            else Located(text=sender, pos=pos) if sender else None,
            recipients=recipients,
            telegram_number=number["n"] if number else None,
            origin=_place(dateline.text) if dateline else None,
            classification=marks.classification if marks else None,
            file_number=decimal,
            source_refs=note.text,
            fallback_date=file_date,
            fallback_date_original=match["file"] if file_date else None,
            source_notes=(SourceNote(label="", text=note.text, pos=SourcePos(path=source.path, line=note.no),
                                     kind="source"),) + notes,
        )

    def finish(self, document: Document) -> Document:
        """FRUS's footnote numbers glued to words become calls of FRUS's notes."""
        labels = {n.label for n in document.source_notes if n.kind == "footnote"}
        sections = tuple(
            replace(section, blocks=tuple(_with_calls(block, labels) for block in section.blocks))
            for section in document.text
        )
        return _signed(replace(document, text=sections))


def _signed(document: Document) -> Document:
    """The text's last line, when it is the sender's name alone, is the signature."""
    if not document.text or not document.text[-1].blocks or document.sender is None:
        return document
    section = document.text[-1]
    last = section.blocks[-1]
    if last.plain.strip() != document.sender.value:
        return document
    signature = Signature(name=document.sender.value, original=last.plain.strip(), pos=last.pos, section=section.kind)
    signed = replace(section, blocks=section.blocks[:-1] + (replace(last, role=BlockRole.SIGNATURE),))
    return replace(document, text=document.text[:-1] + (signed,), signatures=document.signatures + (signature,))


def _marks(lines: list[Line]) -> tuple[frus.Marks | None, list[Line]]:
    found = frus.marks(lines[0].text) if lines else None
    return (found, lines[1:]) if found else (None, lines)


def _dateline(lines: list[Line], path: str) -> tuple[Located | None, list[Line]]:
    """``Washington, March 12,`` / ``1951—7 p. m.``: up to two lines before the numbered text."""
    for size in (1, 2):
        if len(lines) <= size or _NUMBERED.match(lines[0].text):
            break
        text = " ".join(line.text for line in lines[:size])
        reading = dates.find_date(text)
        if reading is not None and len(text) <= 80:
            return Located(text=text, pos=SourcePos(path=path, line=lines[0].no)), lines[size:]
    return None, lines


def _place(dateline: str) -> str | None:
    place = dateline.split(",", 1)[0].strip()
    return place if place and not dates.find_date(place) else None


def _body(lines: list[Line], path: str) -> tuple[list[Line], Line | None, tuple[SourceNote, ...]]:
    """The text (list items joined to their labels), its signature, and FRUS's footnotes after it."""
    end = len(lines)
    while end > 0 and lines[end - 1].indent > 0 and _FOOTNOTE.match(lines[end - 1].text):
        end -= 1
    signature = lines[end - 1] if end and _SIGNATURE.match(lines[end - 1].text) else None
    notes = tuple(
        SourceNote(label=m["n"], text=m["text"], pos=SourcePos(path=path, line=line.no), target=f"fn{m['n']}")
        for line in lines[end:] if (m := _FOOTNOTE.match(line.text))
    )
    body: list[Line] = []
    label: str | None = None
    for line in lines[: end - 1 if signature else end]:
        if item := _ITEM_LABEL.match(line.text):
            label = item["label"]
            continue
        text = _ITEM.sub("", line.text)
        body.append(replace(line, text=f"{label} {text}" if label else text))
        label = None
    if signature is not None:
        body.append(signature)
    return body, signature, notes


def _with_calls(block: Block, labels: set[str]) -> Block:
    inlines: list[Inline] = []
    for inline in block.inlines:
        if not isinstance(inline, Text):
            inlines.append(inline)
            continue
        start = 0
        for match in _GLUED.finditer(inline.text):
            if match["n"] not in labels:
                continue
            inlines.append(Text(text=inline.text[start: match.start()]))
            inlines.append(NoteRef(label=match["n"], target=f"fn{match['n']}"))
            start = match.end()
        if start < len(inline.text):
            inlines.append(Text(text=inline.text[start:]))
    return replace(block, inlines=tuple(i for i in inlines if not (isinstance(i, Text) and not i.text)))

