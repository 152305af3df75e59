"""A compilation's page of documents, as its PDF text gives it.

Some collections of the archive's documents were printed with a form at the head
of every document: ``1949 Speeches/Documents``, then ``Title:``, ``Author:``, a
``Date:`` column beside a ``Source:`` column, and ``Description:``, then the text.
The two columns share lines (``Date: December   Source:. See Pei ...`` /
``18,1949   Diplomatic History ...``): the date is the run of date words at the
start of each line, the source the rest.
"""

from __future__ import annotations

import re

from .. import dates
from ..model import SourcePos
from ..source import Line, SourceText
from .envelope import Envelope, Located
from .shapes import citation_fields

_YEAR_HEAD = re.compile(r"^\d{4}\s+Speeches/Documents$", re.I)
_FIELD = re.compile(r"^(?P<label>Title|Author|Date|Description):\s*\.?\s*(?P<rest>.*)$")
_SOURCE = re.compile(r"\bSource:\s*\.?\s*(?:Source:\s*)?")
_DATE_WORD = re.compile(
    r"^(?:\d{1,4}(?:,\d{4})?,?|January|February|March|April|May|June|July|August|September|October|November|December)$"
)
OPENING = 3  # the year heading is among the first lines


class CompilationReader:
    """The compilation's form: year heading, Title, Author, Date and Source, Description."""

    name = "compilation"

    def score(self, source: SourceText) -> float:
        filled = [line.text for line in source.lines if line.text]
        if not any(_YEAR_HEAD.match(text) for text in filled[:OPENING]):
            return 0.0
        labels = {m["label"] for text in filled[:40] if (m := _FIELD.match(text))}
        return 0.93 if {"Title", "Date"} <= labels else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        lines = source.lines
        fields: dict[str, tuple[int, str]] = {}
        order: list[int] = []
        for n, line in enumerate(lines):
            match = _FIELD.match(line.text)
            if match and match["label"] not in fields:
                fields[match["label"]] = (n, match["rest"])
                order.append(n)
        described = fields.get("Description", (len(lines) - 1, ""))[0]
        date, source_text = _date_and_source(lines, fields, described, source.path)
        summary, body_start = _description(lines, fields)
        cited = citation_fields(source_text)
        title = _located(fields, "Title", lines, source.path)
        author = _located(fields, "Author", lines, source.path)
        return Envelope(
            shape=self.name,
            contents=paragraphs(lines[body_start:]),
            title=title,
            date=date,
            summary=summary,
            source_refs=cited.citation,
            citation=cited.citation,
            url=cited.url,
            sender=author,
            recipients=_recipients(title.text if title else ""),
        )


def _located(fields: dict[str, tuple[int, str]], label: str, lines: tuple[Line, ...], path: str) -> Located | None:
    if label not in fields:
        return None
    n, rest = fields[label]
    text = rest.strip(" .")
    return Located(text=text, pos=_pos(path, lines[n])) if text else None


def _date_and_source(lines: tuple[Line, ...], fields: dict[str, tuple[int, str]], end: int,
                     path: str) -> tuple[Located | None, str | None]:
    """The date column (date words at the start of each line) and the source column beside it."""
    if "Date" not in fields:
        return None, None
    start, first = fields["Date"]
    date_words: list[str] = []
    source_parts: list[str] = []
    taking = True  # the date column goes on while each line starts with date words
    for n in range(start, end):
        if n == start:
            before, after = _SOURCE.split(first, maxsplit=1) if _SOURCE.search(first) else (first, "")
            date_words.extend(before.split())
            source_parts.append(after)
            continue
        words = lines[n].text.split()
        k = 0
        while taking and k < len(words) and _DATE_WORD.match(words[k]):
            k += 1
        taking = taking and (k > 0 or lines[n].blank)
        date_words.extend(words[:k])
        source_parts.append(" ".join(words[k:]))
    text = " ".join(date_words).replace(",", ", ").replace(" ,", ",")
    text = " ".join(text.split())
    reading = dates.find_date(text)
    date = Located(text=reading.original, pos=_pos(path, lines[start])) if reading else None
    source = " ".join(" ".join(source_parts).split())
    return date, source or None


def _description(lines: tuple[Line, ...], fields: dict[str, tuple[int, str]]) -> tuple[str | None, int]:
    """The description up to its first blank line, and where the text starts.

    An empty ``Description:.`` is followed straight by the text.
    """
    if "Description" not in fields:
        return None, max((n for n, _ in fields.values()), default=-1) + 1
    n, rest = fields["Description"]
    if not rest.strip(" ."):
        return None, n + 1
    parts = [rest]
    k = n + 1
    while k < len(lines) and not lines[k].blank:
        parts.append(lines[k].text)
        k += 1
    return " ".join(parts), k


# Where a hard-wrapped paragraph ends: a line that stops well short of the others (the next word would have
# fitted), or one that ends a sentence short of the margin, or a sentence's end before a numbered item.
_SENTENCE_END = re.compile(r"[.?!:;][\"”’)\]]*$")
_NUMBERED = re.compile(r"^(?:\(\d+\)|\d+(?:,\s*\d+)*\.|[IVX]+\.)\s")  # "(2)", "2.", "3, 4.", "II."
_FULL_LINE = 0.9  # a full line: as long as the 90th percentile of the text's line lengths
_SHORT = 0.75  # a line under this share of a full line's length ends its paragraph (unless its sentence goes on)
_SHORT_SENTENCE_END = 0.85  # a sentence ending under this share ends its paragraph


def paragraphs(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The text with a blank line where each of its paragraphs ends.

    The compilation's PDF text has no blank line between paragraphs: every line is wrapped at the
    page's margin, and a paragraph ends on a short line. Without the breaks, the whole text was one
    paragraph (and a text opening "From the Diary of ..." was read as a place of origin).
    """
    lengths = sorted(len(line.text) for line in lines if line.text)
    if len(lengths) < 4:
        return lines
    full = lengths[min(len(lengths) - 1, int(len(lengths) * _FULL_LINE))]
    out: list[Line] = []
    for line in lines:
        before = out[-1] if out else None
        if before is not None and before.text and line.text and _ends_paragraph(before.text, line.text, full):
            out.append(Line(text="", no=before.no, page=before.page))
        out.append(line)
    return tuple(out)


def _ends_paragraph(text: str, following: str, full: int) -> bool:
    ends_sentence = _SENTENCE_END.search(text) is not None
    if ends_sentence and (len(text) < _SHORT_SENTENCE_END * full or _NUMBERED.match(following)):
        return True
    return len(text) < _SHORT * full and not following[:1].islower()


def _recipients(title: str) -> tuple[str, ...]:
    """``Telegram to Liu`` -> ("Liu",): the compilation's titles name the addressee after "to"."""
    match = re.match(r"^(?:telegram|cable|letter|message|instruction)s?\s+to\s+(?P<to>[^,]+)$", title.strip(), re.I)
    return (match["to"].strip(" ."),) if match else ()


def _pos(path: str, line: Line) -> SourcePos:
    return SourcePos(path=path, line=line.no)
