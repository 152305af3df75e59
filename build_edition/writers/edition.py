"""Edition-wide pages: home, chronology, indexes, editorial method, reports.

They are written from the documents' compact summaries (``summary.DocumentSummary``),
never from parsed documents, and every list is split so that no page grows without
bound with the collection: the chronology by year and, where a year is large, by
month; each index into an overview and one page per entry; the reports by kind; and
any list longer than ``PER_PAGE`` lines into numbered pages.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..annotators.insertions import KINDS
from ..cache import content_key
from ..diagnostics import CATALOGUE
from ..model import Diagnostic, FlagCode, InsertionKind, Severity
from ..summary import DocumentSummary
from . import escape
from .generated import (PER_PAGE, GeneratedPage, PageGroup, list_key, listing, paginated, simple_page, slug,
                        unique_slugs)
from .page import FLAG_LABELS, long_date
from .urls import document_path, month_path, relative, year_path

__all__ = ["GeneratedPage", "simple_page", "edition_pages", "chronological"]

_md = functools.lru_cache(maxsize=1 << 17)(escape.md)
"""Names, roles and messages recur on thousands of lines of the edition pages: each escaped once."""
_cell = functools.lru_cache(maxsize=1 << 17)(escape.md_cell)

YEAR_SPLIT = int(PER_PAGE * 1.5)
"""A year with more documents than this gets a page per month."""
OVERVIEW_SPLIT = 600
"""An index with more entries than this gets a page per initial letter."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Index:
    """One index of the edition: its folder under ``indexes/``, title and how to call an entry."""

    name: str
    title: str
    noun: str


INDEXES = (
    Index(name="types", title="Document types", noun="document type"),
    Index(name="archives", title="Archival references", noun="archive and fond"),
)
NUMBERS = Index(name="numbers", title="Telegram numbers", noun="number")
REGISTERS = (("persons", "Persons"), ("organizations", "Organizations and offices"), ("places", "Places"))
"""The registers (writers/registers.py): every person, office and place resolved to one entry."""


def chronological(summaries: Iterable[DocumentSummary]) -> list[DocumentSummary]:
    """Dated documents by date, then undated ones; ties by id so output is stable."""
    return sorted(summaries, key=lambda d: (d.date is None, d.date or dt.date.min, d.id))


def _link(from_page: str, d: DocumentSummary) -> str:
    return _cached_link(from_page.count("/"), d.id, d.title)


@functools.lru_cache(maxsize=65536)
def _cached_link(depth: int, doc_id: str, title: str) -> str:
    """A document's link from a page ``depth`` folders down: the same on every such page, so made once."""
    return f"[{_md(title)}]({'../' * depth}{document_path(doc_id)})"


def _document_line(path: str, d: DocumentSummary, extra: str = "") -> str:
    return _line_head(path.count("/"), d.id, d.title, d.date, d.doc_type, d.telegram_number) + extra


@functools.lru_cache(maxsize=65536)
def _line_head(depth: int, doc_id: str, title: str, date: dt.date | None, doc_type: str | None, number: str | None) -> str:
    when = long_date(date) if date else "undated"
    kind = " ".join(p for p in (doc_type or "", f"No. {number}" if number else "") if p)
    return f"- {when}: {_cached_link(depth, doc_id, title)}" + (f" ({_md(kind)})" if kind else "")


# --- home -----------------------------------------------------------------------


def home_page(ordered: list[DocumentSummary], newest: int = 10) -> GeneratedPage:
    path = "index.md"
    years = Counter(d.year for d in ordered)
    rows = [f"| [{y or 'Undated'}]({relative(path, year_path(y))}) | {n} |" for y, n in years.items()]
    dated = [d.date for d in ordered if d.date]
    span = f" from {long_date(dated[0])} to {long_date(dated[-1])}" if dated else ""
    uploaded = sorted((d for d in ordered if d.uploaded and _ISO.match(d.uploaded)), key=lambda d: (d.uploaded, d.id), reverse=True)
    body = [
        "This edition publishes Cold War telegrams and letters of 1949–1953, among them Soviet ciphered "
        "telegrams on the Korean War translated from Russian, as archives released them. Each page gives the "
        "document's transmission record and distribution list as tables, and its text with every bracketed "
        "editorial insertion explained in a note of its own kind. Anomalies of the sources are flagged where "
        "they occur and gathered in the [report of editorial flags](reports/flags.md); the "
        "[editorial method](method.md) explains the notes.",
        f"**{len(ordered)} documents**{span}.",
        "## Ways in",
        "- [Chronology](chronology/index.md): every document by year and month, each page linked to the "
        "previous and next document.\n"
        + "".join(f"- [{title}](registers/{name}/index.md)\n" for name, title in REGISTERS)
        + "- [Correspondence](registers/correspondence.md): who wrote to whom, and [who saw what](registers/who-saw-what.md)\n"
        + "".join(f"- [{ix.title}](indexes/{ix.name}/index.md)\n" for ix in (*INDEXES, NUMBERS))
        + "- [Editorial method](method.md), [editorial flags](reports/flags.md) and "
        "[build diagnostics](reports/diagnostics.md)",
        "## Documents by year",
        "| Year | Documents |\n|---|---|\n" + "\n".join(rows),
    ]
    if uploaded:
        body.append("## Newest uploads to the archives\n\nBy the archive's upload date, where the source gives one:\n\n"
                    + "\n".join(_document_line(path, d, f", uploaded {_md(d.uploaded or '')}") for d in uploaded[:newest]))
    body.append("## For machines\n\nEvery document as [JSON](data/documents.json); citations as "
                "[CSL-JSON](data/citations.json), [BibTeX](data/citations.bib) and [RIS](data/citations.ris) for "
                "Zotero and other reference managers; CSV tables of the documents, transmission events, "
                "distribution entries, editorial insertions and flags, described on the "
                "[data page](data/index.md) and by a Frictionless `datapackage.json`; and a TEI P5 file linked "
                "from each document's page.")
    return simple_page(path, "Cold War Telegrams", "\n\n".join(body),
                       "A scholarly digital edition of Cold War telegrams and letters, 1949–1953.")


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- chronology -----------------------------------------------------------------


def chronology_pages(ordered: list[DocumentSummary], tokens: Tokens | None = None) -> list[GeneratedPage | PageGroup]:
    """The chronology's index, and each year's pages as a group keyed by the year and its documents' tokens."""
    index = "chronology/index.md"
    tokens = tokens or {}
    years: dict[int | None, list[DocumentSummary]] = {}
    for d in ordered:
        years.setdefault(d.year, []).append(d)
    lines = []
    pages: list[GeneratedPage | PageGroup] = []
    for year, docs in years.items():
        months = _by_month(docs)
        shown = ", ".join(f"{name} ({len(ds)})" for name, ds in months.items())
        lines.append(f"- [{year or 'Undated'}]({relative(index, year_path(year))}): {len(docs)} documents"
                     + (f": {shown}" if year else ""))
        key = list_key(f"chronology\0{year}", [tokens.get(d.id, "") for d in docs])
        pages.append(PageGroup(name=year_path(year), key=key, render=functools.partial(_year_pages, year, docs, months)))
    return [simple_page(index, "Chronology", "Documents by year and month.\n\n" + "\n".join(lines)), *pages]


def _by_month(docs: list[DocumentSummary]) -> dict[str, list[DocumentSummary]]:
    return {name: list(group) for name, group in
            itertools.groupby(docs, key=lambda d: d.date.strftime("%B") if d.date else "Undated")}


def _year_pages(year: int | None, docs: list[DocumentSummary], months: dict[str, list[DocumentSummary]]) -> list[GeneratedPage]:
    path = year_path(year)
    title = f"Documents of {year}" if year else "Undated documents"
    if year is None:
        return paginated(path[:-3], title, "", [_document_line(path, d) for d in docs], listed=True)
    if len(docs) <= YEAR_SPLIT:
        body = []
        for name, group in months.items():
            body.append(f"## {name}\n")
            body.append(listing("\n".join(_document_line(path, d) for d in group)))
            body.append("")
        return [simple_page(path, title, "\n".join(body))]
    pages = []
    by_month = []
    for name, group in months.items():
        month = group[0].date.month if group[0].date else 1
        target = month_path(year, month)
        by_month.append(f"- [{name} {year}]({relative(path, target)}): {len(group)} documents")
        pages.extend(paginated(target[:-3], f"Documents of {name} {year}", "",
                               [_document_line(target, d) for d in group], listed=True))
    return [simple_page(path, title, f"{len(docs)} documents, by month.\n\n" + "\n".join(by_month)), *pages]


# --- indexes --------------------------------------------------------------------


Entries = dict[str, list[tuple[DocumentSummary, str]]]
Tokens = dict[str, str]
"""What each document's summary was made from, by id (its source's cache key and number, and its id; "" where
unknown): a group of pages listing documents is rendered again only when one of their tokens changed."""


def collect(ordered: Sequence[DocumentSummary]) -> dict[str, Entries]:
    """Every index: each key with its documents in chronological order and the roles it has there."""
    roles: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: defaultdict(dict))
    by_id = {d.id: d for d in ordered}
    for d in ordered:
        for e in d.entries:
            roles[e.index][e.key].setdefault(d.id, []).append(e.role)
    return {index: {key: [(by_id[i], ", ".join(dict.fromkeys(r))) for i, r in docs.items()] for key, docs in keys.items()}
            for index, keys in roles.items()}


def index_pages(ordered: list[DocumentSummary], tokens: Tokens | None = None) -> list[GeneratedPage | PageGroup]:
    pages: list[GeneratedPage | PageGroup] = [_indexes_home(ordered)]
    entries = collect(ordered)
    for ix in INDEXES:
        pages.extend(_entry_index(ix, entries.get(ix.name, {}), tokens or {}))
    pages.extend(_numbers_index(entries.get(NUMBERS.name, {})))
    return pages


def _indexes_home(ordered: list[DocumentSummary]) -> GeneratedPage:
    counts = Counter((e.index, e.key) for d in ordered for e in d.entries)
    per_index = Counter(index for index, _ in counts)
    registers = "\n".join(f"- [{title}](../registers/{name}/index.md)" for name, title in REGISTERS)
    body = "\n".join(f"- [{ix.title}]({ix.name}/index.md): {per_index.get(ix.name, 0)} entries" for ix in (*INDEXES, NUMBERS))
    return simple_page("indexes/index.md", "Indexes", "Persons, offices and places are in the registers:\n\n"
                       + registers + "\n\nThe other indexes:\n\n" + body)


def _initial(key: str) -> str:
    """The heading an entry is listed under: its initial letter, "0–9", or "Other"."""
    first = key.lstrip("\"'“‘([")[:1].upper()
    if first.isdigit():
        return "0–9"
    return first if first.isalpha() else "Other"


def _letter_page(letter: str) -> str:
    return {"0–9": "digits", "Other": "other"}.get(letter) or slug(letter) or "other"


def _entry_index(ix: Index, entries: Entries, tokens: Tokens) -> list[GeneratedPage | PageGroup]:
    """An index's overview, and each entry's pages as a group keyed by the entry, its page and its documents'
    tokens (a document's role under the entry comes from its summary)."""
    keys = sorted(entries, key=lambda k: (k.casefold(), k))
    slugs = unique_slugs(keys)
    pages: list[GeneratedPage | PageGroup] = [*_overview(ix, keys, entries, slugs)]
    for key in keys:
        base = f"indexes/{ix.name}/{slugs[key]}"
        docs = entries[key]
        pages.append(PageGroup(name=f"{base}.md", key=list_key(f"index\0{ix.name}\0{key}\0{base}",
                                                                [tokens.get(d.id, "") for d, _ in docs]),
                               render=functools.partial(_entry_pages, ix, base, key, docs)))
    return pages


def _entry_pages(ix: Index, base: str, key: str, docs: list[tuple[DocumentSummary, str]]) -> list[GeneratedPage]:
    lines = [_document_line(base + ".md", d, f": {_md(role)}") for d, role in docs]
    intro = f"{len(docs)} document{'s' if len(docs) != 1 else ''}. [All {ix.title.lower()}](index.md)"
    return paginated(base, key, intro, lines, listed=True)


def _overview(ix: Index, keys: list[str], entries: Entries, slugs: dict[str, str]) -> list[GeneratedPage]:
    path = f"indexes/{ix.name}/index.md"
    groups = {letter: list(ks) for letter, ks in itertools.groupby(keys, key=_initial)}

    def line(key: str, prefix: str = "") -> str:
        n = len(entries[key])
        return f"- [{_md(key)}]({prefix}{slugs[key]}.md): {n} document{'s' if n != 1 else ''}"

    intro = f"{len(keys)} entries." if keys else "No entries yet."
    if len(keys) <= OVERVIEW_SPLIT:
        body = [intro] + [f"## {letter}\n\n" + "\n".join(line(k) for k in ks) for letter, ks in groups.items()]
        return [simple_page(path, ix.title, "\n\n".join(body))]
    pages = []
    letters = []
    for letter, ks in groups.items():
        name = _letter_page(letter)
        letters.append(f"- [{letter}](letter-{name}.md): {len(ks)} entries")
        pages.extend(paginated(f"indexes/{ix.name}/letter-{name}", f"{ix.title}: {letter}",
                               "[All letters](index.md)", [line(k) for k in ks], per_page=OVERVIEW_SPLIT))
    return [simple_page(path, ix.title, intro + " By initial letter:\n\n" + "\n".join(letters)), *pages]


def _numbers_index(entries: Entries) -> list[GeneratedPage]:
    """Numbers are looked up, not browsed: one sorted list, each number with its documents."""
    base = "indexes/numbers/index"
    keys = sorted(entries, key=_number_order)
    lines = [f"- **{_md(k)}**: " + "; ".join(f"{_link(base + '.md', d)} ({_md(role)})" for d, role in entries[k])
             for k in keys]
    intro = f"{len(keys)} telegram and outgoing numbers, in numerical order." if keys else "No entries yet."
    return paginated(base, NUMBERS.title, intro, lines, listed=True)


def _number_order(key: str) -> tuple[int, str]:
    digits = re.match(r"\d+", key)
    return (int(digits[0]) if digits else 10**12, key)


# --- method and reports ---------------------------------------------------------


def method_page(ordered: list[DocumentSummary]) -> GeneratedPage:
    path = "method.md"
    examples: dict[InsertionKind, tuple[DocumentSummary, str]] = {}
    for d in ordered:
        for e in d.examples:
            examples.setdefault(e.kind, (d, e.shown))
    rows = []
    for kind, info in KINDS.items():
        if kind is InsertionKind.UNCLASSIFIED:
            continue
        example = examples.get(kind)
        if example:
            shown = f"“{_cell(example[1][:80])}” in {_link(path, example[0])}"
        else:
            shown = f"none in this edition yet; for instance “{_cell(info.illustration)}”" if info.illustration else "none in this edition yet"
        rows.append(f"| {_cell(info.label)} | `{kind.value}` | <code>{_md(info.tei)}</code> | "
                    f"{_cell(info.description)} | {shown} |")
    flags = "\n".join(f"- **{_md(label)}** (`{code.value}`)" for code, label in FLAG_LABELS.items())
    body = (
        "Archives print the editors' and translators' brackets as plain text. This edition reads each bracket, "
        "decides what kind of insertion it is from its wording and the word it follows, and gives it a note "
        "that names the kind and, where the source says, whose note it is (`- AM`). The kinds map onto the "
        "elements of the Text Encoding Initiative (TEI) so the edition can be exported to TEI.\n\n"
        "An editor can correct any classification in a corrections file beside the source; such corrections "
        "are marked on the page as the editor's.\n\n"
        "## Kinds of insertion\n\n| Kind | Code | TEI | Meaning | Example |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n\n## Editorial flags\n\nAnomalies of the source are flagged where they occur, with a note, "
        "and listed in the [report](reports/flags.md):\n\n" + flags
    )
    return simple_page(path, "Editorial method", body)


_FLAGS_HEAD = "| Document | Flag | Where | Explanation |\n|---|---|---|---|\n"


def flags_pages(ordered: list[DocumentSummary]) -> list[GeneratedPage]:
    index = "reports/flags.md"
    by_code: dict[str, list[str]] = defaultdict(list)
    for d in ordered:
        for f in d.flags:
            base = f"reports/flags/{f.code}.md"
            target = f"{relative(base, document_path(d.id))}#flag-{f.number}"
            label = FLAG_LABELS[FlagCode(f.code)]
            by_code[f.code].append(f"| {_link(base, d)} | [{_cell(label)}]({target}) | "
                                   f"{f.place}, line {f.line} | {_cell(f.message)} |")
    total = sum(len(rows) for rows in by_code.values())
    lines = [f"- [{_md(FLAG_LABELS[code])}](flags/{code.value}.md): {len(by_code.get(code.value, []))}"
             for code in FLAG_LABELS if by_code.get(code.value)]
    pages = [simple_page(index, "Editorial flags",
                         f"{total} editorial flags in {len(ordered)} documents, by kind. Each links to its place.\n\n"
                         + ("\n".join(lines) or "No flags."))]
    for code, rows in by_code.items():
        pages.extend(_table_pages(f"reports/flags/{code}", f"Editorial flags: {FLAG_LABELS[FlagCode(code)]}",
                                  "[All kinds of flag](../flags.md)", _FLAGS_HEAD, rows, listed=True))
    return pages


def _table_pages(base: str, title: str, intro: str, head: str, rows: list[str], *, listed: bool = False,
                 searched: bool = True) -> list[GeneratedPage]:
    """A table split like a list: each page repeats the header row (``listed``, ``searched``: see ``paginated``)."""
    chunks = [rows[i:i + PER_PAGE] for i in range(0, len(rows), PER_PAGE)] or [[]]
    tables = [head + "\n".join(chunk) for chunk in chunks]
    return paginated(base, title, intro, tables, per_page=1, listed=listed, searched=searched)


_DIAG_HEAD = "| Where | Severity | Message |\n|---|---|---|\n"


DIAGNOSTICS = "reports/diagnostics.md"


def diagnostics_group(diagnostics: Sequence[Diagnostic]) -> PageGroup:
    """:func:`diagnostics_pages` as one group, keyed by every field of every diagnostic: a build after one change
    mostly finds the same 30,000 at 10,000 documents, and a key of their text takes a third of the time of their
    pages (each message's length goes before it, so no text a source puts in one can pass for another list)."""
    return PageGroup(name=DIAGNOSTICS, key=diagnostics_key(diagnostics),
                     render=functools.partial(diagnostics_pages, diagnostics))


def diagnostics_key(diagnostics: Sequence[Diagnostic], *before: str) -> str:
    """A content key of every field of every diagnostic, in order (and of the keys ``before``)."""
    text = "\n".join([f"{d.pos.path}\0{d.pos.line}\0{d.severity.value}\0{d.code}\0{len(d.message)}\0{d.message}"
                      for d in diagnostics])
    return content_key("diagnostics", *before, text)


def diagnostics_pages(diagnostics: Sequence[Diagnostic]) -> list[GeneratedPage]:
    index = DIAGNOSTICS
    by_code: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in sorted(diagnostics, key=lambda d: (d.pos.path, d.pos.line, d.code, d.message)):
        by_code[d.code].append(d)
    totals = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in totals.items())
    found = ["| Code | Severity | Count |", "|---|---|---|"]
    found += [f"| [`{code}`](diagnostics/{code}.md) | {CATALOGUE[code].severity.value} | {len(ds)} |"
              for code, ds in sorted(by_code.items())]
    kinds = ["| Code | Severity | Message |", "|---|---|---|"]
    kinds += [f"| `{code}` | {kind.severity.value} | {_cell(kind.template)} |" for code, kind in CATALOGUE.items()]
    body = (f"What the build noticed in the sources: {summary}.\n\n" + "\n".join(found)
            + "\n\n## Every kind of diagnostic\n\nEach code has a fixed severity; `build-edition build --strict` "
            "fails on any warning or error.\n\n" + "\n".join(kinds))
    pages = [simple_page(index, "Build diagnostics", body, searched=False)]
    for code, ds in sorted(by_code.items()):
        rows = [f"| <code>{_cell(str(d.pos))}</code> | {d.severity.value} | {_cell(d.message)} |" for d in ds]
        pages.extend(_table_pages(f"reports/diagnostics/{code}", f"Build diagnostics: {code}",
                                  "[All diagnostics](../diagnostics.md)", _DIAG_HEAD, rows, searched=False))
    return pages


def edition_pages(summaries: Sequence[DocumentSummary], tokens: Sequence[str] = ()) -> list[GeneratedPage | PageGroup]:
    """Every edition-wide page but the diagnostics' (:func:`diagnostics_pages`), in a fixed order: the chronology's
    years and the index entries as groups keyed by their documents' ``tokens`` (one per summary, what it was made
    from; none given: every group is rendered)."""
    ordered = chronological(summaries)
    by_id = dict(zip((s.id for s in summaries), tokens))
    return [
        home_page(ordered),
        *chronology_pages(ordered, by_id),
        *index_pages(ordered, by_id),
        method_page(ordered),
        *flags_pages(ordered),
    ]
