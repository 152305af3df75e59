"""What a reader can take away: each document's citation files, and the edition's in bulk.

Two entry points, in the shape of the two stages of the build:

- ``document_exports(document, site_url)`` (per-document stage) returns the small records
  the edition stage needs (a ``CitationRecord`` and the rows of the CSV tables) and the
  text of the document's own files (``cite/ID.bib``, ``.ris``, ``.json``);
- ``edition_exports(exports)`` (edition stage) writes the whole edition's inspection JSON,
  citations (BibTeX, RIS, CSL-JSON) and CSV tables with their ``datapackage.json`` and
  the *Data and citations* page, from those records only.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Document
from .data import document_json_text, documents_json_page
from .citations import FORMATS, citation_file, citation_record, cite_path, csl_json
from .generated import GeneratedBinary, GeneratedPage
from .tables import table_pages, table_rows, table_text

# A download that grows with the collection is also published gzip-compressed once it passes this
# size (at 10,000 documents: every table and citation file, and documents.json).
COMPRESS_FROM = 1_000_000
COMPRESS_LEVEL = 6
CSL_JSON = "data/citations.json"
BIBTEX = "data/citations.bib"
RIS = "data/citations.ris"


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentExports:
    """One document's share of the exports, as the text it adds to each edition file, and its own files.

    The edition stage only sorts and joins these texts: a rebuild after one change formats nothing again.
    """

    id: str
    date: str
    """ISO date, or "" when undated: the order of the edition's files."""
    bibtex: str
    ris: str
    csl: str
    """The document's item in the edition's CSL-JSON array, indented as the array's items are."""
    tables: tuple[str, ...]
    """Its CSV lines in each table (``tables.table_text``)."""
    inspection: str  # the document's part of data/documents.json, one line
    pages: tuple[GeneratedPage, ...]


_CSL_OPEN, _CSL_CLOSE = "[\n", "\n]\n"


def document_exports(document: Document, site_url: str) -> DocumentExports:
    record = citation_record(document, site_url)
    files = {ext: citation_file(record, ext) for ext in FORMATS}
    csl = files["json"]
    assert csl.startswith(_CSL_OPEN) and csl.endswith(_CSL_CLOSE), "csl_json of one record is an array of one item"
    return DocumentExports(id=record.id, date=record.date.isoformat() if record.date else "", bibtex=files["bib"],
                           ris=files["ris"], csl=csl[len(_CSL_OPEN):-len(_CSL_CLOSE)],
                           tables=table_text(table_rows(document, record)), inspection=document_json_text(document),
                           pages=tuple(GeneratedPage(path=cite_path(document.id, ext), content=text)
                                       for ext, text in files.items()))


def _order(exports: Sequence[DocumentExports]) -> list[DocumentExports]:
    """Dated documents by date, then undated ones; ties by id, so the files are stable."""
    return sorted(exports, key=lambda e: (not e.date, e.date, e.id))


def edition_exports(exports: Sequence[DocumentExports]) -> list[GeneratedPage]:
    """The edition's inspection JSON, citation files and data tables, in date order (the gzip copies of the
    large ones: :func:`compressed_copies`)."""
    ordered = _order(exports)
    csl = (_CSL_OPEN + ",\n".join(e.csl for e in ordered) + _CSL_CLOSE) if ordered else csl_json([])
    pages = [
        documents_json_page([e.inspection for e in ordered]),
        GeneratedPage(path=CSL_JSON, content=csl),
        GeneratedPage(path=BIBTEX, content="\n".join(e.bibtex for e in ordered)),
        GeneratedPage(path=RIS, content="\n".join(e.ris for e in ordered)),
        *table_pages([e.tables for e in ordered]),
    ]
    return pages


def compressed_copies(pages: Sequence[GeneratedPage], threshold: int | None = None) -> list[GeneratedPage]:
    """``PATH.gz`` beside each page of at least ``threshold`` bytes (default ``COMPRESS_FROM``; the edition stage
    may pass any pages).

    The copies carry no time or name (``mtime=0``), so the same export always gives the same bytes. zlib
    lets go of the interpreter while it compresses, so the files are compressed side by side, in threads.
    """
    threshold = COMPRESS_FROM if threshold is None else threshold
    large = [(page.path, data) for page in pages
             if not page.path.endswith(".md")  # pages are MkDocs', not downloads
             and len(data := page.content.encode("utf-8")) >= threshold]
    if not large:
        return []
    with ThreadPoolExecutor(max_workers=min(len(large), os.cpu_count() or 1)) as pool:
        packed = list(pool.map(lambda item: gzip.compress(item[1], compresslevel=COMPRESS_LEVEL, mtime=0), large))
    return [GeneratedBinary(path=path + ".gz", content="", data=data) for (path, _), data in zip(large, packed)]
