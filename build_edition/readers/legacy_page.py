"""The archive's older page layout: search bar, citation, summary, body.

The old pages open with the site's search bar, then the citation (with its
"get citation" link text), then a ``Summary`` heading and the summary, then
``Original Language:`` and ``Contents:`` lines, the body, and the document
information as ``Label: value`` lines. When the page has no heading date and
title of its own, both are read from the citation, which always starts with
them (``"Title", October 12, 1950, ...``).
"""

from __future__ import annotations

import re

from .. import dates
from ..model import SourcePos
from ..source import Line, SourceText
from .envelope import Envelope, Located
from .shapes import blocks, citation_fields, date_and_title, document_information, joined, split_labels, translation_language

_SEARCH = re.compile(
    r"^(?:search(?: the (?:digital )?archive| this site)?|advanced search(?:\s*\|.*)?|browse(?: by [\w ]+)?|go|submit)$",
    re.I,
)
_TOOLS = re.compile(r"^(?:get citation|citation|download pdf|print|share|e-?mail|skip to content)$", re.I)
_LABEL = re.compile(r"^(?P<label>Summary|Original Language|Contents)(?::\s*(?P<rest>.*)|\s*)$")
_INFO_LABEL = re.compile(
    r"^(?P<label>Source|Rights|Original Uploaded Date|Type|Language|Original Language|Record ID):\s*(?P<value>.+)$"
)
_CITED = re.compile(r"^[\"“](?P<title>.+?)[\"”],\s*(?P<rest>.+)$")
OPENING = 8  # the search bar sits in the page's first lines


class LegacyPageReader:
    """The old page: a search bar first, and a "get citation" link under the citation."""

    name = "legacy"

    def score(self, source: SourceText) -> float:
        texts = [line.text for line in source.lines if line.text]
        search = any(_SEARCH.match(text) for text in texts[:OPENING])
        return 0.92 if search and any(text.lower() == "get citation" for text in texts) else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        lines = source.lines
        cite = next((n for n, line in enumerate(lines) if line.text.lower() == "get citation"), -1)
        info = next((n for n, line in enumerate(lines) if line.text == "Document Information" and n > cite), len(lines))
        date, title, citation = self._front(lines[: max(cite, 0)], source.path)
        cited = citation_fields(joined(citation) if citation else None)
        contents, found = _body(lines[cite + 1: info])
        information = document_information(_unfold(lines[info + 1:]), source.path)
        return Envelope(
            shape=self.name,
            contents=contents,
            title=title,
            date=date,
            summary=found.get("summary"),
            translation=found.get("translation"),
            source_refs=information.source_refs or cited.citation,
            original_language=information.original_language or found.get("language"),
            rights=information.rights,
            uploaded=information.uploaded,
            doc_type=information.doc_type,
            record_id=information.record_id,
            diagnostics=information.diagnostics,
            citation=cited.citation,
            url=cited.url,
        )

    @staticmethod
    def _front(lines: tuple[Line, ...], path: str) -> tuple[Located | None, Located | None, list[Line] | None]:
        """Heading date and title, and the citation: from the page, else from the citation."""
        kept = [line for line in lines if not (_SEARCH.match(line.text) or _TOOLS.match(line.text))]
        parts = list(blocks(kept))
        citation = parts.pop() if parts and _looks_cited(joined(parts[-1])) else None
        date, title = date_and_title([line for part in parts for line in part + [Line(text="", no=0)]], path)
        if citation is not None and (date is None or title is None):
            from_date, from_title = _from_citation(citation, path)
            date, title = date or from_date, title or from_title
        return date, title, citation


def _looks_cited(text: str) -> bool:
    return text.startswith(("\"", "“")) or "Digital Archive" in text


def _from_citation(citation: list[Line], path: str) -> tuple[Located | None, Located | None]:
    """``"Title", October 12, 1950, ...`` -> the date and the title."""
    match = _CITED.match(joined(citation))
    if not match:
        return None, None
    pos = SourcePos(path=path, line=citation[0].no)
    reading = dates.find_date(match["rest"])
    date = Located(text=reading.original, pos=pos) if reading and reading.start == 0 else None
    return date, Located(text=" ".join(match["title"].split()), pos=pos)


def _body(lines: tuple[Line, ...]) -> tuple[tuple[Line, ...], dict[str, str]]:
    """The telegram's lines, and the summary, language and translation found around them."""
    _, parts = split_labels(lines, _label)
    used = {line.no for line in lines if _label(line) or _TOOLS.match(line.text)}
    found: dict[str, str] = {}
    for key, label in (("summary", "Summary"), ("language", "Original Language")):
        first = next(blocks(parts.get(label, [])), [])
        used |= {line.no for line in first}
        if first:
            found[key] = joined(first)
    opening = next((line for line in parts.get("Contents", []) if not line.blank), None)
    if opening is not None and (language := translation_language(opening.text)):
        found["translation"] = language
        used.add(opening.no)
    return tuple(line for line in lines if line.no not in used), found


def _label(line: Line) -> tuple[str, str] | None:
    match = _LABEL.match(line.text)
    return (match["label"], match["rest"] or "") if match else None


def _unfold(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """``Source: APRF ...`` -> a ``Source`` line and its value, as the page scrape has them."""
    out: list[Line] = []
    for line in lines:
        match = _INFO_LABEL.match(line.text)
        if match:
            out.extend((Line(text=match["label"], no=line.no), Line(text=match["value"], no=line.no)))
        else:
            out.append(line)
    return tuple(out)
