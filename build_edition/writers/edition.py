"""Edition-wide pages: home, chronology, indexes, editorial method, reports.

Each page lists every document at most once, so the edition's size grows
linearly with the number of documents.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..annotators.insertions import KINDS
from ..diagnostics import CATALOGUE
from ..model import Diagnostic, Document, InsertionKind, Severity
from . import escape
from .frontmatter import dump
from .page import FLAG_LABELS, flag_anchor, long_date
from .urls import document_path, relative, year_path


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedPage:
    path: str
    content: str


def simple_page(path: str, title: str, body: str, description: str | None = None) -> GeneratedPage:
    meta: dict[str, object] = {"title": title}
    if description:
        meta["description"] = description
    return GeneratedPage(path=path, content=dump(meta) + f"\n# {escape.md(title)}\n\n{body.rstrip()}\n")


def chronological(documents: Iterable[Document]) -> list[Document]:
    """Dated documents by date, then undated ones; ties by id so output is stable."""
    return sorted(documents, key=lambda d: (d.date is None, d.date or 0, d.id))  # type: ignore[arg-type]


def _link(from_page: str, document: Document) -> str:
    return f"[{escape.md(document.title_text)}]({relative(from_page, document_path(document.id))})"


def _date(document: Document) -> str:
    return long_date(document.date) if document.date else "undated"


def home_page(documents: list[Document]) -> GeneratedPage:
    path = "index.md"
    years = _by_year(documents)
    browse = " · ".join(f"[{y or 'Undated'}]({relative(path, year_path(y))}) ({len(ds)})" for y, ds in years.items())
    rows = [
        f"| <time datetime=\"{d.date.isoformat() if d.date else ''}\">{_date(d)}</time> | {_link(path, d)} | "
        f"{escape.md_cell(d.summary or '')} |"
        for d in chronological(documents)
    ]
    body = (
        "This edition publishes Soviet ciphered telegrams and letters of 1949–1953 on the Korean War, "
        "translated from Russian, as archives released them. Each page gives the document's transmission "
        "record and distribution list as tables, and its text with every bracketed editorial insertion "
        "explained in a note of its own kind. Anomalies of the sources are flagged where they occur and "
        "gathered in the [report of editorial flags](reports/flags.md); the "
        "[editorial method](method.md) explains the notes.\n\n"
        f"**{len(documents)} documents.** By year: {browse}.\n\n"
        "For machines: every document as [JSON](data/documents.json), citations as "
        "[CSL-JSON](data/citations.json) for Zotero and other citation managers, and a TEI P5 "
        "file linked from each document's page.\n\n"
        "## Documents in chronological order\n\n"
        "| Date | Title | Summary |\n|---|---|---|\n" + "\n".join(rows)
    )
    return simple_page(path, "Cold War Telegrams", body, "A scholarly digital edition of Soviet telegrams on the Korean War.")


def _by_year(documents: list[Document]) -> dict[int | None, list[Document]]:
    years: dict[int | None, list[Document]] = {}
    for document in chronological(documents):
        years.setdefault(document.date.year if document.date else None, []).append(document)
    return years


def chronology_pages(documents: list[Document]) -> list[GeneratedPage]:
    years = _by_year(documents)
    index = "chronology/index.md"
    lines = [f"- [{y or 'Undated'}]({relative(index, year_path(y))}): {len(ds)} documents" for y, ds in years.items()]
    pages = [simple_page(index, "Chronology", "Documents by year and month.\n\n" + "\n".join(lines))]
    for year, docs in years.items():
        path = year_path(year)
        body = []
        for month, group in itertools.groupby(docs, key=lambda d: d.date.strftime("%B") if d.date else "Undated"):
            body.append(f"## {month}\n")
            body.extend(f"- {_date(d)}: {_link(path, d)}{_numbers(d)}" for d in group)
            body.append("")
        pages.append(simple_page(path, f"Documents of {year}" if year else "Undated documents", "\n".join(body)))
    return pages


def _numbers(document: Document) -> str:
    parts = [document.doc_type or ""]
    if document.telegram_number:
        parts.append(f"No. {document.telegram_number}")
    text = " ".join(p for p in parts if p)
    return f" ({escape.md(text)})" if text else ""


def index_pages(documents: list[Document]) -> list[GeneratedPage]:
    return [
        _entry_index("indexes/numbers.md", "Index of telegram numbers", _collect(documents, _numbers_of)),
        _entry_index("indexes/archives.md", "Index of archival references", _collect(documents, _archives_of)),
    ]


def _entry_index(path: str, title: str, entries: Entries) -> GeneratedPage:
    lines = []
    for key in sorted(entries, key=str.casefold):
        refs = "; ".join(f"{_link(path, d)} ({escape.md(role)})" for d, role in entries[key])
        lines.append(f"- **{escape.md(key)}**: {refs}")
    return simple_page(path, title, "\n".join(lines) or "No entries yet.")


Entries = dict[str, list[tuple[Document, str]]]


def _collect(documents: list[Document], entries_of: Callable[[Document], Iterable[tuple[str, str]]]) -> Entries:
    """An index: each key with the documents it occurs in and in what role, each pair once."""
    entries: Entries = defaultdict(list)
    for document in documents:
        for key, role in dict.fromkeys(entries_of(document)):
            entries[key].append((document, role))
    return entries


def is_person(name: str) -> bool:
    """Distribution lists mix people (Stalin) with offices (8 MDGS, MFA) and "on file"."""
    return name[:1].isupper() and any(c.islower() for c in name)


def _copies(d: Document, people: bool) -> Iterator[tuple[str, str]]:
    for entry in d.distribution.entries if d.distribution else ():
        if is_person(entry.recipient) is people:
            yield entry.recipient, "copy"


def _persons_of(d: Document) -> Iterator[tuple[str, str]]:
    if d.sender:
        yield d.sender.value, "sender"
    yield from ((r, "recipient") for r in d.recipients)
    yield from ((e.by, e.kind.value) for e in d.transmission if e.by)
    yield from _copies(d, people=True)
    for i in d.insertions:
        if i.kind is InsertionKind.IDENTIFICATION:
            yield i.text, f"identified as “{i.anchor}”"


def _places_of(d: Document) -> Iterator[tuple[str, str]]:
    if d.origin:
        yield d.origin, "origin"
    if d.destination:
        yield d.destination, "destination"
    yield from ((e.place, e.kind.value) for e in d.transmission if e.place)
    yield from _copies(d, people=False)


def _numbers_of(d: Document) -> Iterator[tuple[str, str]]:
    if d.telegram_number:
        yield d.telegram_number, "telegram number"
    if d.outgoing_number:
        yield d.outgoing_number, "outgoing number"


def _archives_of(d: Document) -> Iterator[tuple[str, str]]:
    for r in d.archival_references:
        key = ", ".join(f"{n} {v}" for n, v in (("fond", r.fond), ("opis", r.opis), ("delo", r.delo)) if v)
        yield f"{r.repository} {key}", f"folios {r.folios}" if r.folios else "folios not given"


def method_page(documents: list[Document]) -> GeneratedPage:
    path = "method.md"
    examples: dict[InsertionKind, tuple[Document, str]] = {}
    for d in chronological(documents):
        for i in d.insertions:
            examples.setdefault(i.kind, (d, f"{i.anchor} {i.raw}".strip() if i.anchor and not i.attached else i.raw))
    rows = []
    for kind, info in KINDS.items():
        if kind is InsertionKind.UNCLASSIFIED:
            continue
        example = examples.get(kind)
        if example:
            shown = f"“{escape.md_cell(example[1][:80])}” in {_link(path, example[0])}"
        else:
            shown = f"none in this edition yet; for instance “{escape.md_cell(info.illustration)}”" if info.illustration else "none in this edition yet"
        rows.append(f"| {escape.md_cell(info.label)} | `{kind.value}` | <code>{escape.md(info.tei)}</code> | "
                    f"{escape.md_cell(info.description)} | {shown} |")
    flags = "\n".join(f"- **{escape.md(label)}** (`{code.value}`)" for code, label in FLAG_LABELS.items())
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


def flags_page(documents: list[Document]) -> GeneratedPage:
    path = "reports/flags.md"
    lines = ["| Document | Flag | Where | Explanation |", "|---|---|---|---|"]
    count = 0
    for d in chronological(documents):
        for flag in d.flags:
            count += 1
            target = f"{relative(path, document_path(d.id))}#{flag_anchor(d, flag)}"
            lines.append(f"| {_link(path, d)} | [{escape.md_cell(FLAG_LABELS[flag.code])}]({target}) | "
                         f"{flag.place.value}, line {flag.pos.line} | {escape.md_cell(flag.message)} |")
    body = f"{count} editorial flags in {len(documents)} documents. Each links to its place.\n\n" + "\n".join(lines)
    return simple_page(path, "Editorial flags", body)


def diagnostics_page(diagnostics: list[Diagnostic]) -> GeneratedPage:
    lines = ["| Where | Severity | Code | Message |", "|---|---|---|---|"]
    for d in sorted(diagnostics, key=lambda d: (d.pos.path, d.pos.line, d.code)):
        lines.append(f"| <code>{escape.md_cell(str(d.pos))}</code> | {d.severity.value} | `{d.code}` | {escape.md_cell(d.message)} |")
    totals = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in totals.items())
    kinds = ["| Code | Severity | Message |", "|---|---|---|"]
    kinds += [f"| `{code}` | {kind.severity.value} | {escape.md_cell(kind.template)} |" for code, kind in CATALOGUE.items()]
    body = (f"What the build noticed in the sources: {summary}.\n\n" + "\n".join(lines)
            + "\n\n## Every kind of diagnostic\n\nEach code has a fixed severity; `build-edition build --strict` "
            "fails on any warning or error.\n\n" + "\n".join(kinds))
    return simple_page("reports/diagnostics.md", "Build diagnostics", body)


def tags_page() -> GeneratedPage:
    return simple_page("tags.md", "Tags", "Documents by type, year and person.\n\n<!-- material/tags -->")


def indexes_home() -> GeneratedPage:
    body = "\n".join(
        f"- [{title}]({name})" for name, title in (
            ("../registers/persons/index.md", "Persons"), ("../registers/organizations/index.md", "Organizations and offices"),
            ("../registers/places/index.md", "Places"),
            ("numbers.md", "Telegram numbers"), ("archives.md", "Archival references"), ("../tags.md", "Tags"),
        )
    )
    return simple_page("indexes/index.md", "Indexes", body)


def edition_pages(documents: list[Document], diagnostics: list[Diagnostic]) -> list[GeneratedPage]:
    """Every edition-wide page, in a fixed order."""
    return [
        home_page(documents),
        *chronology_pages(documents),
        indexes_home(),
        *index_pages(documents),
        method_page(documents),
        flags_page(documents),
        diagnostics_page(diagnostics),
        tags_page(),
    ]
