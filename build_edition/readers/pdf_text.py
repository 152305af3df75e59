"""Text extracted from the archive's PDF (``pdftotext -layout`` and the like).

The PDF repeats its banner and footer on every page, indents everything by
a layout margin, right-aligns signatures and breaks paragraphs at page ends.
This reader removes that layout so the labels (``Citation:``, ``Summary:``,
``Original Language:``, ``Contents:``) and the telegram read as in the export.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from itertools import groupby

from .. import dates
from ..source import Line, SourceText
from .envelope import Envelope, Located
from .shapes import joined, labelled_envelope, split_labels

_LABEL = re.compile(r"^(?P<label>Citation|Summary|Credits|Original Language|Contents)\s*:\s*(?P<rest>.*)$")
# The banner's phrases; a line made only of them (in any order: pdftotext puts the two
# columns of the banner on one line) is the banner, not the document's title.
_BANNER_PHRASE = re.compile(
    r"(?:wilson center\s+)?digital archive|international history declassified|"
    r"(?:https?://)?digitalarchive\.wilsoncenter\.org/?",
    re.I,
)
_LABEL_INLINE = re.compile(r"\s(?=(?:Citation|Summary|Credits|Original Language|Contents):\s)")
_TRANSLATION_FIRST = re.compile(r"^([A-Z][a-z]+ Translation)\s+")
ONE_LINE = 400  # a first line this long holding the labels is the one-line layout
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?$|^[-–—]\s*\d{1,3}\s*[-–—]$", re.I)
_WRAPPED_URL = re.compile(r"(https?://\S*[/\-])\s+(?=[\w\-./?=&%#]+(?:\s|$))")
_SENTENCE_END = tuple(".!?:;\"”’)]")
EDGE = 4  # lines at the top and bottom of a page where headers and footers live
ASIDE = 20  # columns beyond the margin from which a line is centred or right-aligned


class PdfTextReader:
    """The archive's PDF as text: a centred banner, then unemphasised ``Citation:`` labels."""

    name = "pdf"

    def score(self, source: SourceText) -> float:
        opening = [line.text for line in source.lines if line.text][:15]
        if not any("declassified" in text[:200].lower() and _BANNER_PHRASE.search(text[:200]) for text in opening):
            return 0.0
        labels = {match["label"] for line in _unfolded(source.lines) if (match := _LABEL.match(line.text))}
        return 0.95 if {"Citation", "Contents"} & labels else 0.6

    def envelope(self, source: SourceText) -> Envelope:
        lines = _set_apart(_without_page_furniture(_unfolded(source.lines)))
        head, parts = split_labels(lines, _label)
        citation = _WRAPPED_URL.sub(r"\1", joined(parts["Citation"])) if parts.get("Citation") else None
        found = labelled_envelope(self.name, head, parts, source.path, citation)
        if found.title is None and found.citation:
            found = replace(found, title=_title_from_citation(found.citation, found.date))
        return found


def _unfolded(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The one-line layout (a PDF text with no line breaks at all) as the labelled layout.

    The line is cut before each label; the opening (banner, date, title) becomes the
    banner, the date and the title on lines of their own. All keep the line's number.
    """
    filled = [line for line in lines if not line.blank]
    if len(filled) > 3 or not filled or len(filled[0].text) < ONE_LINE or not _LABEL_INLINE.search(filled[0].text):
        return lines
    first = filled[0]
    parts = _LABEL_INLINE.split(first.text)
    opening = _BANNER_PHRASE.sub("\n", parts[0]).strip()
    reading = dates.find_date(opening)
    head = [opening]
    if reading is not None and reading.start <= 2:
        head = [opening[: reading.end], opening[reading.end:]]
    out = [Line(text=text.strip(), no=first.no) for piece in head for text in (piece, "") if text.strip() or not text]
    for part in parts[1:]:
        label, _, rest = part.partition(":")
        out.append(Line(text=f"{label}:", no=first.no))
        translation = _TRANSLATION_FIRST.match(rest.strip()) if label == "Contents" else None
        if translation:
            out.append(Line(text=translation[1], no=first.no))
            rest = rest.strip()[translation.end():]
        out.append(Line(text=rest.strip(), no=first.no))
        out.append(Line(text="", no=first.no))
    return tuple(out) + tuple(line for line in lines if line.no != first.no)


def _title_from_citation(citation: str, date: Located | None) -> Located | None:
    """The archive's citation opens with the title in quotation marks."""
    match = re.match(r"^[\"“](?P<title>.+?),?[\"”]", citation)
    if not match or date is None:
        return None
    return Located(text=match["title"].rstrip(","), pos=date.pos)


def _label(line: Line) -> tuple[str, str] | None:
    match = _LABEL.match(line.text)
    return (match["label"], match["rest"]) if match else None


def _without_page_furniture(lines: tuple[Line, ...]) -> list[Line]:
    """Every page without its header and footer, pages joined where a paragraph runs on."""
    pages = [list(page) for _, page in groupby(lines, key=lambda line: line.page)]
    repeated = _repeated_at_edges(pages)
    kept: list[Line] = []
    for page in pages:
        body = _trim(page, repeated)
        if not body:
            continue
        if kept and _runs_on(kept, body):
            while kept and kept[-1].blank:
                kept.pop()
        elif kept and not kept[-1].blank:
            kept.append(Line(text="", no=body[0].no, page=body[0].page))
        if kept and len(pages) > 1:
            kept.append(page_marker(page[0]))
        kept.extend(body)
    return kept


def page_marker(first: Line) -> Line:
    """``[Page 3]`` at the line where a form feed starts page 3: it joins the paragraph the break cuts.

    The insertions annotator reads it as a page break, as it reads the ``[Page 227]`` of a FRUS page.
    """
    return Line(text=f"[Page {first.page}]", no=first.no, page=first.page)


def _shape_of(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _edges(page: list[Line]) -> list[Line]:
    filled = [line for line in page if not line.blank]
    return filled[:EDGE] + filled[-EDGE:]


def _repeated_at_edges(pages: list[list[Line]]) -> set[str]:
    """Lines (digits aside) found at the top or bottom of more than one page."""
    counts = Counter(shape for page in pages for shape in {_shape_of(line.text) for line in _edges(page)})
    return {shape for shape, count in counts.items() if count > 1} if len(pages) > 1 else set()


def is_banner(text: str) -> bool:
    """A line made of the archive's banner phrases and nothing else."""
    return bool(text) and _BANNER_PHRASE.search(text) is not None and not _BANNER_PHRASE.sub("", text).strip(" |·-–")


def _is_furniture(line: Line, repeated: set[str]) -> bool:
    return is_banner(line.text) or bool(_PAGE_NUMBER.match(line.text)) or _shape_of(line.text) in repeated


def _trim(page: list[Line], repeated: set[str]) -> list[Line]:
    """The page without the furniture and blank lines at its top and bottom."""
    start, end = 0, len(page)
    while start < end and (page[start].blank or _is_furniture(page[start], repeated)):
        start += 1
    while end > start and (page[end - 1].blank or _is_furniture(page[end - 1], repeated)):
        end -= 1
    return page[start:end]


def _runs_on(before: list[Line], after: list[Line]) -> bool:
    """A sentence cut by the page break: no final stop before, a small letter after."""
    last = next((line.text for line in reversed(before) if not line.blank), "")
    return bool(last) and not last.endswith(_SENTENCE_END) and after[0].text[:1].islower()


def _set_apart(lines: list[Line]) -> tuple[Line, ...]:
    """Right-aligned or centred lines (signatures, datelines) and the heading date get
    their own blocks: in the PDF only their position sets them apart."""
    indents = [line.indent for line in lines if not line.blank]
    margin = Counter(indents).most_common(1)[0][0] if indents else 0
    out: list[Line] = []
    in_head = True
    for line in lines:
        in_head = in_head and not _label(line)
        if not line.blank and out and not out[-1].blank and (
            _alone(line, margin, in_head) or _alone(out[-1], margin, in_head)
        ):
            out.append(Line(text="", no=line.no, page=line.page))
        out.append(line)
    return tuple(out)


def _alone(line: Line, margin: int, in_head: bool) -> bool:
    if in_head:  # the head is centred as a whole: only the heading date stands apart from the title
        return dates.find_date(line.text) is not None and len(line.text.split()) <= 5
    return line.indent >= margin + ASIDE
