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
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Document
from .data import Packed, document_json_text, documents_json_page
from .citations import FORMATS, CitationRecord, bibtex_entry, citation_file, citation_record, cite_path, csl_json, ris_record
from .generated import GeneratedBinary, GeneratedPage
from .tables import TableRows, table_pages, table_rows

# A download that grows with the collection is also published gzip-compressed once it passes this
# size (at 10,000 documents: every table and citation file, and documents.json).
COMPRESS_FROM = 1_000_000
CSL_JSON = "data/citations.json"
BIBTEX = "data/citations.bib"
RIS = "data/citations.ris"


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentExports:
    """One document's share of the exports: records for the edition stage, and its own files."""

    record: CitationRecord
    rows: TableRows
    inspection: Packed  # the document's part of data/documents.json, one line
    pages: tuple[GeneratedPage, ...]


def document_exports(document: Document, site_url: str) -> DocumentExports:
    record = citation_record(document, site_url)
    pages = tuple(GeneratedPage(path=cite_path(document.id, ext), content=citation_file(record, ext)) for ext in FORMATS)
    return DocumentExports(record=record, rows=table_rows(document, record), inspection=Packed.of(document_json_text(document)),
                           pages=pages)


def _order(exports: Sequence[DocumentExports]) -> list[DocumentExports]:
    """Dated documents by date, then undated ones; ties by id, so the files are stable."""
    return sorted(exports, key=lambda e: (e.record.date is None, e.record.date.isoformat() if e.record.date else "",
                                          e.record.id))


def edition_exports(exports: Sequence[DocumentExports]) -> list[GeneratedPage]:
    """The edition's inspection JSON, citation files and data tables, in date order, with gzip copies of the
    large ones."""
    ordered = _order(exports)
    records = [e.record for e in ordered]
    pages = [
        documents_json_page([e.inspection for e in ordered]),
        GeneratedPage(path=CSL_JSON, content=csl_json(records)),
        GeneratedPage(path=BIBTEX, content="\n".join(bibtex_entry(r) for r in records)),
        GeneratedPage(path=RIS, content="\n".join(ris_record(r) for r in records)),
        *table_pages([e.rows for e in ordered]),
    ]
    return pages + compressed_copies(pages)


def compressed_copies(pages: Sequence[GeneratedPage], threshold: int = COMPRESS_FROM) -> list[GeneratedPage]:
    """``PATH.gz`` beside each page of at least ``threshold`` bytes (the edition stage may pass any pages).

    The copies carry no time or name (``mtime=0``), so the same export always gives the same bytes.
    """
    copies: list[GeneratedPage] = []
    for page in pages:
        data = page.content.encode("utf-8")
        if len(data) >= threshold and not page.path.endswith(".md"):  # pages are MkDocs', not downloads
            copies.append(GeneratedBinary(path=page.path + ".gz", content="",
                                          data=gzip.compress(data, compresslevel=6, mtime=0)))
    return copies
