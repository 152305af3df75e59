"""The edition's search: what each document offers Pagefind, and the index of the built site.

Two stages, as everywhere in the edition. Per document, ``search_record`` turns a
``Document`` into a small frozen ``SearchRecord`` (its filters, sort keys and the
metadata shown with a result); the page's front matter carries it
(``writers/frontmatter.py``) and the theme writes it out as ``data-pagefind-*``
attributes (``overrides/partials/edition-search-data.html``). Edition-wide,
``index_site`` runs Pagefind over the built site once, after MkDocs has written it
(``build_edition/search_hook.py``), in parts of a bounded number of pages
(``search_parts.py``); Pagefind itself counts the facets, so nothing here needs every
document at once.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Document

if TYPE_CHECKING:
    from pagefind.index import IndexConfig

    from .search_parts import IndexedPage, Part

# The folder of the search bundle inside the site; the scripts load it from there.
BUNDLE_DIR = "pagefind"
DOCUMENT_KIND = "Document"
EDITION_KIND = "Edition page"
FLAGGED = "With editorial flags"
NOT_FLAGGED = "Without editorial flags"
# Parts of the article that are apparatus of the page, not its text: permalink signs,
# footnote return arrows, tag chips, the print-only address, the TEI element and source line
# of each note, the page's own "About this edition page" box, and the recommended citations
# (the title, sender, date and reference of the page once more in each of four forms: a
# tenth of a document page's words, which Pagefind would hold and index for nothing), with
# their heading and the line of citation downloads, the same words on every document page
# (a search for "BibTeX" found all of them), and the list of documents of a register entry
# (their titles are theirs: a search for a word of a title found every person, place and office
# the document names as well). The chronology's previous and next links are a <nav>, which
# Pagefind leaves out itself.
LISTING_CLASS = "edition-listing"
EXCLUDED = (".headerlink", ".footnote-backref", ".md-tags", ".edition-print-only", ".md-source-file",
            ".edition-tei", "#about-this-edition-page", ".edition-about", ".edition-cite",
            "#cite-this-document", ".edition-cite-downloads", f".{LISTING_CLASS}")
_LEADING_DIGITS = re.compile(r"^\s*(\d+)")
# A word every indexed page carries in its metadata (searchable, never in an excerpt). Pagefind
# answers a search with filters only by loading every chunk of its word index (1.5.2); the search
# page asks for this word instead, whose one chunk lists every page (docs/assets/search.js).
BROWSE_WORD = "zzeditionpages"
# Sort keys of pages without a date or a number: after all others, so that a browse sorted by
# date keeps them (Pagefind leaves out pages without the key being sorted on).
LAST_DATE = "9999-12-31"
LAST_NUMBER = "999999999"


@dataclass(frozen=True, slots=True, kw_only=True)
class Facet:
    """One filter value of a page: ``key`` is one of ``FILTER_KEYS``."""

    key: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchRecord:
    """What one document page tells Pagefind, in the order the page writes it."""

    title: str
    filters: tuple[Facet, ...]
    meta: tuple[Facet, ...]
    sort: tuple[Facet, ...]


# Filter keys, in the order the search page shows them. ``day`` is not shown: it
# serves the date range (see docs/assets/search.js), with ``year`` and ``month``.
FILTER_KEYS = ("kind", "type", "year", "month", "day", "sender", "recipient", "person", "place",
               "repository", "fond", "language", "flags")


def search_record(document: Document) -> SearchRecord:
    """The filters, sort keys and result metadata of one document."""
    date, refs = document.date, document.archival_references
    values: dict[str, list[str | None]] = {
        "kind": [DOCUMENT_KIND],
        "type": [document.doc_type],
        "year": [str(date.year)] if date else [],
        "month": [f"{date:%Y-%m}"] if date else [],
        "day": [date.isoformat()] if date else [],
        "sender": [document.sender.value if document.sender else None],
        "recipient": list(document.recipients),
        "person": list(persons(document)),
        "place": list(places(document)),
        "repository": [r.repository for r in refs],
        "fond": [f"{r.repository}, fond {r.fond}" for r in refs if r.fond],
        "language": [document.original_language],
        "flags": [FLAGGED if document.flags else NOT_FLAGGED],
    }
    filters = tuple(Facet(key=key, value=value) for key in FILTER_KEYS for value in _distinct(values[key]))
    return SearchRecord(title=document.title_text, filters=filters, meta=tuple(_meta(document)),
                        sort=tuple(_sort(document)))


def _distinct(values: list[str | None]) -> list[str]:
    """Values with their whitespace folded, each once, in order; empty ones dropped."""
    return [v for v in dict.fromkeys(_clean(v) for v in values if v) if v]


def _clean(text: str) -> str:
    return " ".join(text.split())


def persons(document: Document) -> list[str]:
    """People named in any role, the text included, by their register entry's name where resolved."""
    named = _registered(document, "persons")
    found = [document.sender.value] if document.sender and not named else []
    return found + named


def _registered(document: Document, register: str) -> list[str]:
    return [m.name or m.form for m in document.mentions if m.register == register]


def places(document: Document) -> list[str]:
    """Places and offices named in any role, by their register entry's name where resolved."""
    named = _registered(document, "places") + _registered(document, "organizations")
    if named:
        return named
    found = [p for p in (document.origin, document.destination) if p]
    found.extend(e.place for e in document.transmission if e.place)
    return found


def _meta(document: Document) -> list[Facet]:
    from .writers.page import long_date  # the page's own wording of a date (see persons())

    meta = [Facet(key="title", value=_clean(document.title_text))]
    if document.date:
        meta.append(Facet(key="date", value=long_date(document.date)))
    if document.doc_type:
        meta.append(Facet(key="type", value=document.doc_type))
    sender = document.sender.value if document.sender else ""
    if sender or document.recipients:
        meta.append(Facet(key="parties", value=_clean(f"{sender or '?'} → {', '.join(document.recipients) or '?'}")))
    if document.archival_references:
        meta.append(Facet(key="reference", value=_clean("; ".join(r.original for r in document.archival_references))))
    return meta


def _sort(document: Document) -> list[Facet]:
    number = _LEADING_DIGITS.match(document.telegram_number or "")
    return [Facet(key="date", value=document.date.isoformat() if document.date else LAST_DATE),
            Facet(key="number", value=str(int(number.group(1))) if number else LAST_NUMBER)]


def front_matter_entry(record: SearchRecord) -> dict[str, object]:
    """The record as plain data for YAML front matter (the theme reads it back): key -> values."""
    filters: dict[str, list[str]] = {}
    for facet in record.filters:
        filters.setdefault(facet.key, []).append(facet.value)
    return {
        "filters": filters,
        "meta": {f.key: f.value for f in record.meta},
        "sort": {f.key: f.value for f in record.sort},
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexReport:
    """What one indexing did: pages indexed (or kept), and how long it took."""

    pages: int
    seconds: float
    kept: bool = False
    parts: int = 0


class SearchIndexError(Exception):
    """Pagefind could not index the site (its binary missing or failing)."""


def index_site(site_dir: Path) -> IndexReport:
    """Index the built site with Pagefind into ``site_dir/pagefind/``, in parts (search_parts.py)."""
    started = time.perf_counter()
    try:
        parts = _run_apart(site_dir)
    except (OSError, AssertionError, RuntimeError) as exc:
        raise SearchIndexError(f"Pagefind could not index {site_dir}: {exc}") from exc
    return IndexReport(pages=sum(p.pages for p in parts), seconds=time.perf_counter() - started, parts=len(parts))


def _run_apart(site_dir: Path) -> list[Part]:
    """Pagefind's API is asynchronous; run it in its own event loop, in a thread of its own when
    the caller already runs one (Playwright's synchronous API does, in the benchmark and tests). (asyncio is
    imported here: the generator imports this module for the pages' search records, and never runs Pagefind.)"""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_index(site_dir))
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(_index(site_dir))).result()


def index_config(site_dir: Path, *, output_path: Path | None = None) -> IndexConfig:
    """Pagefind's settings for the edition: the marked body, apparatus left out, English."""
    from pagefind.index import IndexConfig

    return IndexConfig(root_selector="html", exclude_selectors=list(EXCLUDED), force_language="en",
                       output_path=str(output_path or site_dir / BUNDLE_DIR))


def site_pages(site_dir: Path) -> list[IndexedPage]:
    """Every HTML file of the built site but the bundle's, as the parts see it (search_parts.py)."""
    from .search_parts import indexed_page

    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if not rel.startswith(BUNDLE_DIR + "/"):
            pages.append(indexed_page(rel, path.read_text(encoding="utf-8", errors="replace")))
    return pages


async def _index(site_dir: Path) -> list[Part]:
    from .search_parts import clear_bundle, part_size, planned_parts
    from .search_stream import write_parts

    planned = planned_parts(site_pages(site_dir), part_size())
    return await write_parts(clear_bundle(site_dir), planned)


def keep_or_index(site_dir: Path, kept: Path) -> IndexReport:
    """Live preview: reuse the index kept in ``kept`` from an earlier build, or build and keep it.

    MkDocs empties the site folder before every rebuild unless it builds ``--dirty`` (as
    ``make serve`` does), so the bundle is kept beside it and linked back when it is gone;
    it stays as it was at the first build of the session.
    """
    from .search_parts import MANIFEST

    started = time.perf_counter()
    bundle = site_dir / BUNDLE_DIR
    if (kept / MANIFEST).is_file():
        if not (bundle / MANIFEST).is_file():  # a dirty rebuild (``--dirty``) leaves the bundle in place
            shutil.rmtree(bundle, ignore_errors=True)
            shutil.copytree(kept, bundle, copy_function=_link_or_copy)
        return IndexReport(pages=0, seconds=time.perf_counter() - started, kept=True)
    report = index_site(site_dir)
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(bundle, kept)
    return report


def _link_or_copy(source: str, target: str) -> None:
    """A hard link (the kept index is beside the site folder, on the same disk), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
