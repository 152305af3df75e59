"""One reader per input shape. Each finds the archive's metadata (the envelope)
and hands the telegram proper to ``record.read_record``.

A reader's ``score`` says how sure it is that a source has its shape, from the
content alone; the registry in ``readers/__init__.py`` asks every reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .. import dates
from .. import diagnostics as diag
from ..model import Diagnostic, SourcePos
from ..source import Line, SourceText, clean_line
from . import fields
from .envelope import Envelope, Located

_BOLD_LABEL = re.compile(r"^\*\*(?P<label>[A-Z][A-Za-z ]+):\*\*$")
_PLAIN_LABEL = re.compile(r"^(?P<label>Citation|Summary|Original Language|Contents):\s*(?P<rest>.*)$")
_LABEL_STARTS = ("**", "Citation", "Summary", "Original Language", "Contents")  # what either label pattern opens with
_ANGLED_URL = re.compile(r"<(?P<url>https?://[^\s<>]+)>")
_BARE_URL = re.compile(r"(?<![(\w/])(?P<url>https?://[^\s<>()\[\]]+?)(?=[.,;]?(?:\s|$))")
_TRANSLATION = re.compile(r"^(?:translation\s*[-–—:]\s*(?P<after>[A-Za-z]+)|(?P<before>[A-Za-z]+)\s+translation)$", re.I)
# The PDF's list of what the record holds, besides the translation: not the document's words.
_CONTENTS_LABEL = re.compile(r"^(?:scan of (?:the )?original document|original scan|transcript(?:ion)?)$", re.I)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_WEB_LABELS = ("Source", "Rights", "Original Uploaded Date", "Type", "Language", "Record ID", "Original Language")
# The page's empty headings between the summary and "Document Information".
_PAGE_HEADINGS = re.compile(
    r"^(?:Associated (?:People & Organizations|Places|Topics|Documents)|Author\(s\):?|Related Documents|Subjects Discussed)$"
    r"|^This document was made possible with support from [^.]+\.?$")
_RIGHTS = re.compile(r"welcomes reuse|copyright|rights holders|rights status", re.I)
# What stands where a web page's e-mail protection left "[email protected]": the address is lost.
ARTIFACT_MARK = "[e-mail address lost in the web scrape]"
_ARTIFACT = re.compile(r"\[email\s*protected\]", re.I)


def blocks(lines: tuple[Line, ...] | list[Line]) -> Iterator[list[Line]]:
    """Runs of non-blank lines."""
    run: list[Line] = []
    for line in lines:
        if line.blank:
            if run:
                yield run
            run = []
        else:
            run.append(line)
    if run:
        yield run


def joined(lines: list[Line]) -> str:
    return " ".join(line.text for line in lines if line.text)


def split_labels(lines: tuple[Line, ...], label_of) -> tuple[list[Line], dict[str, list[Line]]]:
    """Lines before the first label, and each label's lines up to the next one."""
    head: list[Line] = []
    sections: dict[str, list[Line]] = {}
    current: list[Line] | None = None
    for line in lines:
        label = label_of(line)
        if label is not None:
            name, rest = label
            current = sections.setdefault(name, [])
            if rest:
                current.append(replace(line, text=rest))
        elif current is None:
            head.append(line)
        else:
            current.append(line)
    return head, sections


def date_and_title(head: list[Line], path: str) -> tuple[Located | None, Located | None]:
    date = title = None
    for block in blocks(head):
        text = joined(block).strip("* ")
        if date is None and dates.find_date(text) and len(text.split()) <= 5:
            date = Located(text=text, pos=_pos(path, block))
        elif title is None and text and text.lower() != "skip to content":
            title = Located(text=" ".join(text.replace("**", "").split()), pos=_pos(path, block))
    return date, title




def _pos(path: str, block: list[Line]) -> SourcePos:
    return SourcePos(path=path, line=block[0].no)


@dataclass(frozen=True, slots=True, kw_only=True)
class Cited:
    citation: str | None = None
    url: str | None = None


def citation_fields(text: str | None) -> Cited:
    """The citation without its URL, and the URL: the archive's ``<https://…>``, else a bare one."""
    if not text:
        return Cited()
    match = _ANGLED_URL.search(text) or _BARE_URL.search(text)
    if match is None:
        return Cited(citation=" ".join(text.split()))
    citation = (text[: match.start()] + text[match.end():]).strip()
    return Cited(citation=" ".join(citation.split()), url=match["url"])




def translation_language(text: str) -> str | None:
    """``English Translation`` or ``Translation - English`` -> ``English``."""
    match = _TRANSLATION.match(text.strip())
    return (match["after"] or match["before"]) if match else None


def labelled_envelope(shape: str, head: list[Line], parts: dict[str, list[Line]], path: str,
                      citation: str | None) -> Envelope:
    """The envelope of a source laid out under Citation / Summary / Original Language / Contents."""
    date, title = date_and_title(head, path)
    contents = [line for line in parts.get("Contents", []) if not _CONTENTS_LABEL.match(line.text)]
    first = next((line for line in contents if not line.blank), None)
    translation = translation_language(first.text) if first is not None else None
    if translation is not None:
        contents = [line for line in contents if line is not first]
    cited = citation_fields(citation)
    return Envelope(
        shape=shape,
        contents=tuple(contents),
        title=title,
        date=date,
        summary=joined(parts["Summary"]) if parts.get("Summary") else None,
        original_language=joined(parts["Original Language"]) if parts.get("Original Language") else None,
        translation=translation,
        source_refs=cited.citation,
        citation=cited.citation,
        url=cited.url,
    )


class ExportReader:
    """The archive's Markdown export: bold date and title, ``**Citation:**`` blocks."""

    name = "export"

    def score(self, source: SourceText) -> float:
        labels = {m["label"] for line in source.lines if line.text.startswith(_LABEL_STARTS)
                  and (m := _BOLD_LABEL.match(line.text) or _PLAIN_LABEL.match(line.text))}
        return 0.9 if {"Citation", "Contents"} <= labels or {"Summary", "Contents"} <= labels else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        lines = tuple(replace(line, text=_MD_ESCAPE.sub(r"\1", line.text)) if "\\" in line.text else line
                      for line in source.lines)
        head, parts = split_labels(lines, self._label)
        citation = joined(parts["Citation"]) if parts.get("Citation") else None
        return labelled_envelope(self.name, head, parts, source.path, citation)

    @staticmethod
    def _label(line: Line) -> tuple[str, str] | None:
        if match := _BOLD_LABEL.match(line.text):
            return match["label"], ""
        if match := _PLAIN_LABEL.match(line.text):
            return match["label"], match["rest"]
        return None


class WebPageReader:
    """A plain-text scrape of the archive's page: date, title, body, summary, Document Information."""

    name = "webpage"

    def score(self, source: SourceText) -> float:
        texts = [line.text for line in source.lines if line.text]
        if "Document Information" in texts:
            return 0.8
        return 0.5 if texts[:1] == ["Skip to content"] else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        lines = tuple(line for line in source.lines if not _PAGE_HEADINGS.match(line.text))
        info = next((n for n, line in enumerate(lines) if line.text == "Document Information"), len(lines))
        page = [block for block in blocks(lines[:info])]
        head, body = self._head(page)
        summary_block = body.pop() if body and info < len(lines) else None
        date, title = date_and_title([line for block in head for line in block + [Line(text="", no=0)]], source.path)
        found = document_information(lines[info + 1:], source.path)
        return Envelope(
            shape=self.name,
            contents=tuple(line for block in body for line in block + [Line(text="", no=block[-1].no)]),
            title=title,
            date=date,
            summary=joined(summary_block) if summary_block else None,
            source_refs=found.source_refs,
            rights=found.rights,
            uploaded=found.uploaded,
            doc_type=found.doc_type,
            original_language=found.original_language,
            record_id=found.record_id,
            diagnostics=found.diagnostics,
        )

    @staticmethod
    def _head(page: list[list[Line]]) -> tuple[list[list[Line]], list[list[Line]]]:
        """The leading banner, date and title blocks, and the rest of the page."""
        rest = list(page)
        head: list[list[Line]] = []
        if rest and joined(rest[0]).lower() == "skip to content":
            rest.pop(0)
        if rest and len(joined(rest[0]).split()) <= 5 and dates.find_date(joined(rest[0])):
            head.append(rest.pop(0))
        if rest:
            head.append(rest.pop(0))
        return head, rest


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentInformation:
    """The "Document Information" block of an archive page."""

    source_refs: str | None = None
    rights: tuple[str, ...] = ()
    uploaded: str | None = None
    doc_type: str | None = None
    original_language: str | None = None
    record_id: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


def document_information(lines: tuple[Line, ...], path: str) -> DocumentInformation:
    """Read the labelled fields; unlabelled blocks are placed by their content."""
    head, parts = split_labels(lines, lambda line: (line.text, "") if line.text in _WEB_LABELS else None)
    label_line = {line.text: line.no for line in lines if line.text in _WEB_LABELS}
    found: list[Diagnostic] = []
    for block in blocks(head):
        text = joined(block)
        if fields.looks_like_archival_ref(text):
            parts.setdefault("Source", []).extend(block)
        elif _RIGHTS.search(text):
            parts.setdefault("Rights", []).extend(block + [Line(text="", no=0)])
    rights = []
    for block in blocks(parts.get("Rights", [])):
        text = joined(block)
        if match := _ARTIFACT.search(text):
            found.append(diag.make("scrape-artifact", _pos(path, block), raw=match[0]))
            text = clean_line(_ARTIFACT.sub(ARTIFACT_MARK, text))
        rights.append(text)
    values = {label: joined(parts[label]) or None for label in parts}
    for label in _WEB_LABELS:
        if label in parts and not values[label]:
            found.append(diag.make("empty-field", SourcePos(path=path, line=label_line[label]), field=label))
    return DocumentInformation(
        source_refs=values.get("Source"),
        rights=tuple(rights),
        uploaded=values.get("Original Uploaded Date"),
        doc_type=values.get("Type"),
        original_language=values.get("Language") or values.get("Original Language"),
        record_id=values.get("Record ID"),
        diagnostics=tuple(found),
    )


class TranscriptionReader:
    """A bare transcription of the form: no archive metadata at all."""

    name = "transcription"

    def score(self, source: SourceText) -> float:
        return 0.1

    def envelope(self, source: SourceText) -> Envelope:
        return Envelope(shape=self.name, contents=source.lines)
