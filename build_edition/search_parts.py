"""The search index in parts: Pagefind indexes of a bounded number of pages, merged in the browser.

Pagefind's indexer holds everything it is given until it writes the index: about 290 bytes
per indexed word occurrence, some 640 KB per document page of this edition (479 pages took
318 MB, 1,993 pages 1,269 MB, 11,418 pages 6.7 GB, Pagefind 1.5.2), and it has no setting
that bounds it. So the site is indexed as several indexes ("parts") of at most
``part_size()`` pages each, each written by a Pagefind process of its own that is closed
once its part is written, and the search page (docs/assets/search.js) searches the parts and
merges their results. Whatever the size of the collection, a Pagefind process holds at most
one part; while a part is written, the next part's process begins (search_stream.py), so at
most two run at once.

The parts follow the chronology. Document pages (their ``kind`` filter is ``Document``) go
in the order of their date sort key and then of their address (a file's name need not
follow its document's date); every run of ``part_size()`` of them is a part, so each part
covers a date range, recorded in the manifest with its page count, and the ranges follow
each other. The edition's other pages (home, chronology, registers,
reports, ...) follow in parts of their own, in the order of their address; their date key
is ``LAST_DATE``, after every document, as in one index.

All parts live in the one bundle folder ``site/pagefind/``: the first part of edition
pages is a whole Pagefind bundle at its top (``pagefind.js``, its WebAssembly, the
highlighting script), every other part sits in ``parts/NN/`` with only its index files.
The browser loads ``pagefind.js`` and the WebAssembly once, from the top: each part's
instance is created from that one module, and the WebAssembly, once loaded, serves every
instance of the module (wasm-bindgen keeps one); so a part's own ``wasm.en.pagefind`` is
a stub of twelve bytes (Pagefind's mark of an uncompressed file, and nothing), which
Pagefind fetches and passes on to a loader that is already done. ``parts.json`` lists the
parts in chronological order; it is written last, so a bundle with a manifest is whole.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .search_index import BUNDLE_DIR, LAST_DATE, SearchIndexError

# Pages per part. One Pagefind process holding 1,000 document pages of this edition takes
# about 650 MB (measured: README, Search); the Python process of the build runs beside it.
PART_PAGES = 1000
# Set to a whole number to index in smaller parts (the tests use parts of two pages).
PART_PAGES_VARIABLE = "EDITION_SEARCH_PART_PAGES"
PARTS_AT_ONCE = 3
"""Parts of document pages at work at once during ``mkdocs build``, each a Pagefind process taking pages or
writing its files (search_stream.py): while one is written, two can take pages, so once MkDocs has rendered
every page, both cores index the pages Pagefind has not had yet (one part at a time, Pagefind wrote the last
part 88 s after MkDocs' last page at 10,000 sources, three at a time 46 s)."""
# Set to 1 or 2 where memory is short: each Pagefind process holds up to some 650 MB for a part of 1,000 pages.
PARTS_AT_ONCE_VARIABLE = "EDITION_SEARCH_PARTS_AT_ONCE"
MANIFEST = "parts.json"
MANIFEST_VERSION = 1
PARTS_DIR = "parts"
# What a part keeps of Pagefind's output: its index. The scripts, styles and interfaces
# (Pagefind's own UI, its worker: the search page searches in the page itself) are the
# top bundle's, or nobody's.
PART_FILES = ("pagefind-entry.json",)
PART_FOLDERS = ("fragment", "index", "filter")
# Pagefind's mark of a file it need not decompress (pagefind.js, decompress()), with no content.
WASM_STUB = b"pagefind_dcd"

# The opening tag of the element Pagefind indexes (overrides/main.html marks the article).
MARK = "data-pagefind-body"
_MARKED = re.compile(rf"<([A-Za-z][A-Za-z0-9]*)\s[^<>]*\b{MARK}\b[^<>]*>")
_KIND_DOCUMENT = re.compile(r'data-pagefind-filter="kind">Document<')
_DATE_KEY = re.compile(r'data-pagefind-sort="date">([^<]*)<')


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexedPage:
    """One page of the site as the parts see it: its file, whether Pagefind indexes it (it marks
    its indexed part; Pagefind leaves out the other pages of such a site: the search page, 404),
    whether it is a document, its date key."""

    dest_uri: str
    marked: bool
    document: bool
    date: str

    @property
    def order(self) -> tuple[str, str]:
        """Where a document page goes among the parts: by date, then by address."""
        return (self.date, self.dest_uri)


def marked_element(html: str) -> re.Match[str] | None:
    """The start tag of the first element marked ``data-pagefind-body``, found from each place the mark's
    word stands (a search for the tag's pattern from every ``<`` of a 35 KB page took a quarter of a
    millisecond, twice a page as Pagefind is fed)."""
    at = html.find(MARK)
    while at >= 0:
        start = html.rfind("<", 0, at)
        tag = _MARKED.match(html, start) if start >= 0 else None
        if tag is not None and tag.end() > at:
            return tag
        at = html.find(MARK, at + 1)
    return None


def indexed_page(dest_uri: str, html: str) -> IndexedPage:
    """Read what the page tells Pagefind (overrides/partials/edition-search-data.html)."""
    date = _DATE_KEY.search(html)
    return IndexedPage(dest_uri=dest_uri, marked=marked_element(html) is not None,
                       document=_KIND_DOCUMENT.search(html) is not None,
                       date=date.group(1).strip() if date else LAST_DATE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    """One written part: its folder inside the bundle ("" for the top), what it holds."""

    folder: str
    documents: bool
    pages: int
    first_date: str
    last_date: str


def part_size() -> int:
    """Pages per part: ``PART_PAGES``, or the whole number in ``EDITION_SEARCH_PART_PAGES``."""
    return _setting(PART_PAGES_VARIABLE, PART_PAGES, "pages")


def parts_at_once() -> int:
    """Document parts at work at once: ``PARTS_AT_ONCE``, or the whole number in ``EDITION_SEARCH_PARTS_AT_ONCE``."""
    return _setting(PARTS_AT_ONCE_VARIABLE, PARTS_AT_ONCE, "parts")


def _setting(variable: str, default: int, unit: str) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise SearchIndexError(f"{variable}={text!r}: a whole number of {unit} (at least 1) was expected")
    return int(text)


def chunks(pages: list[IndexedPage], size: int) -> Iterator[list[IndexedPage]]:
    """``pages`` in runs of ``size`` (the last one shorter)."""
    for start in range(0, len(pages), size):
        yield pages[start:start + size]


def document_folder(number: int) -> str:
    """The folder of the ``number``-th part of document pages (from 0)."""
    return f"{PARTS_DIR}/{number:02d}/"


def edition_folders(first_free: int) -> Iterator[str]:
    """Folders of the parts of edition pages: the top of the bundle, then numbered ones."""
    yield ""
    number = first_free
    while True:
        yield f"{PARTS_DIR}/{number:02d}/"
        number += 1


def planned_parts(pages: Iterable[IndexedPage], size: int) -> list[tuple[str, list[IndexedPage]]]:
    """The parts of a finished site: (folder, pages), documents first in date order, then the rest."""
    pages = [p for p in pages if p.marked]
    documents = document_parts([p for p in pages if p.document], size)
    planned = [(document_folder(n), chunk) for n, chunk in enumerate(documents)]
    return planned + edition_parts([p for p in pages if not p.document], size, first_free=len(planned))


def document_parts(documents: Iterable[IndexedPage], size: int) -> list[list[IndexedPage]]:
    """The document pages of each part, in order: by date, then by address, ``size`` to a part."""
    return list(chunks(sorted(documents, key=lambda p: p.order), size))


def edition_parts(pages: Iterable[IndexedPage], size: int, *, first_free: int) -> list[tuple[str, list[IndexedPage]]]:
    """The parts of the edition pages, in the order of their address, after ``first_free`` numbered parts."""
    folders = edition_folders(first_free)
    return [(next(folders), chunk) for chunk in chunks(sorted(pages, key=lambda p: p.dest_uri), size)]


def part_of(folder: str, pages: list[IndexedPage]) -> Part:
    """The manifest's record of a part of ``pages``."""
    return Part(folder=folder, documents=pages[0].document, pages=len(pages),
                first_date=min(p.date for p in pages), last_date=max(p.date for p in pages))


def write_part_files(bundle: Path, folder: str, files: dict[str, bytes]) -> None:
    """Write the files Pagefind made of a part: all of them for the top part, whose scripts and
    WebAssembly every part uses, only the index for the others (see the module's notes)."""
    path = bundle / folder
    for name, content in sorted(files.items()):
        kept = not folder or name in PART_FILES or name.endswith(".pf_meta") or name.split("/")[0] in PART_FOLDERS
        if kept:
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    if folder:
        for name in files:
            if name.startswith("wasm.") and name.endswith(".pagefind"):
                (path / name).write_bytes(WASM_STUB)


def write_manifest(bundle: Path, parts: list[Part]) -> None:
    """``parts.json``: the parts in chronological order (documents by date, then edition pages)."""
    ordered = sorted(parts, key=lambda p: (not p.documents, p.first_date, p.last_date, p.folder))
    manifest = {
        "version": MANIFEST_VERSION,
        "parts": [{"folder": p.folder, "documents": p.documents, "pages": p.pages,
                   "first_date": p.first_date, "last_date": p.last_date} for p in ordered],
    }
    (bundle / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def clear_bundle(site_dir: Path) -> Path:
    """The bundle folder, emptied of an earlier index (parts that are no more would linger)."""
    bundle = site_dir / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)
    bundle.mkdir(parents=True, exist_ok=True)
    return bundle
