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
import hashlib
import math
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..model import Document
from .data import EarlierPart, Packed, document_json_text, documents_json_page
from .citations import FORMATS, citation_file, citation_record, cite_path, csl_json
from .generated import GeneratedBinary, GeneratedPage, JoinedPage, joined_page
from .tables import table_pages, table_rows, table_text

# A download that grows with the collection is also published gzip-compressed once it passes this
# size (at 10,000 documents: every table and citation file, and documents.json).
COMPRESS_FROM = 1_000_000
COMPRESS_LEVEL = 6
BLOCK_BYTES = 512 * 1024
CSL_JSON = "data/citations.json"
BIBTEX = "data/citations.bib"
RIS = "data/citations.ris"


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentExports:
    """One document's share of the exports, as the text it adds to each edition file (UTF-8), and its own files.

    The edition stage only sorts and joins these texts: a rebuild after one change formats nothing again.
    """

    id: str
    date: str
    """ISO date, or "" when undated: the order of the edition's files."""
    bibtex: bytes
    ris: bytes
    csl: bytes
    """The document's item in the edition's CSL-JSON array, indented as the array's items are."""
    tables: tuple[bytes, ...]
    """Its CSV lines in each table (``tables.table_text``)."""
    inspection: Packed
    """The document's part of data/documents.json, one line, compressed until the file is written."""
    pages: tuple[GeneratedPage, ...]
    key: str = ""
    """What these parts were made from (the key the edition stage rendered the document by; "" until then):
    two documents' exports of the same key are the same bytes."""


_CSL_OPEN, _CSL_CLOSE = "[\n", "\n]\n"


def document_exports(document: Document, site_url: str) -> DocumentExports:
    record = citation_record(document, site_url)
    files = {ext: citation_file(record, ext) for ext in FORMATS}
    csl = files["json"]
    assert csl.startswith(_CSL_OPEN) and csl.endswith(_CSL_CLOSE), "csl_json of one record is an array of one item"
    return DocumentExports(id=record.id, date=record.date.isoformat() if record.date else "",
                           bibtex=files["bib"].encode("utf-8"), ris=files["ris"].encode("utf-8"),
                           csl=csl[len(_CSL_OPEN):-len(_CSL_CLOSE)].encode("utf-8"),
                           tables=tuple(t.encode("utf-8") for t in table_text(table_rows(document, record))),
                           inspection=Packed.of(document_json_text(document)),
                           pages=tuple(GeneratedPage(path=cite_path(document.id, ext), content=text)
                                       for ext, text in files.items()))


def _order(exports: Sequence[DocumentExports]) -> list[DocumentExports]:
    """Dated documents by date, then undated ones; ties by id, so the files are stable."""
    return sorted(exports, key=lambda e: (not e.date, e.date, e.id))


def edition_exports(exports: Sequence[DocumentExports], earlier: EarlierPart | None = None) -> Iterator[GeneratedPage]:
    """The edition's inspection JSON, citation files and data tables, in date order, made one at a time (the
    gzip copies of the large ones: :func:`compressed_copies`). ``earlier`` gives a document's part of
    documents.json as the file of the last build holds it, when it has it: bytes to copy, not to decompress."""
    ordered = _order(exports)
    yield documents_json_page([e.inspection for e in ordered], keys=[e.key for e in ordered], earlier=earlier)
    yield (joined_page(CSL_JSON, [e.csl for e in ordered], head=_CSL_OPEN.encode(), separator=b",\n",
                       tail=_CSL_CLOSE.encode())
           if ordered else GeneratedPage(path=CSL_JSON, content=csl_json([])))
    yield joined_page(BIBTEX, [e.bibtex for e in ordered], separator=b"\n")
    yield joined_page(RIS, [e.ris for e in ordered], separator=b"\n")
    yield from table_pages([e.tables for e in ordered])


class GzipBlocks:
    """Each gzip copy's compressed blocks by the digest of their bytes: what one build compressed, the next takes
    instead of compressing it again (the edition stage keeps them in the build's index)."""

    def __init__(self, known: Mapping[str, Mapping[str, bytes]] | None = None) -> None:
        self.by_copy: dict[str, dict[str, bytes]] = {path: dict(b) for path, b in (known or {}).items()}


def compressed_copies(pages: Sequence[GeneratedPage], threshold: int | None = None,
                      blocks: GzipBlocks | None = None) -> list[GeneratedPage]:
    """``PATH.gz`` beside each page of at least ``threshold`` bytes (default ``COMPRESS_FROM``; the edition stage
    may pass any pages).

    A download made of documents' parts (a ``JoinedPage``) is compressed in blocks of about ``BLOCK_BYTES``,
    each a gzip member of its own: a gzip file may hold several members one after the other (RFC 1952, 2.2),
    and every gzip reader gives back their texts joined. A block ends after a part whose checksum says so, so
    a change to one document changes one block and leaves the others, which ``blocks`` keeps from the last
    build (and is given this build's). The copies carry no time or name (``mtime=0``), so the same export
    always gives the same bytes. zlib lets go of the interpreter while it compresses, so the blocks are
    compressed side by side, in threads.
    """
    threshold = COMPRESS_FROM if threshold is None else threshold
    blocks = blocks if blocks is not None else GzipBlocks()
    large = [(page.path + ".gz", [(hashlib.sha1(b).hexdigest(), b) for b in _blocks(page)])  # noqa: S324 - a name
             for page in pages
             if not page.path.endswith(".md")  # pages are MkDocs', not downloads
             and (len(page.content) >= threshold or len(_bytes_of(page)) >= threshold)]
    missing = {key: data for path, parts in large for key, data in parts if key not in blocks.by_copy.get(path, {})}
    made: dict[str, bytes] = {}
    if missing:
        with ThreadPoolExecutor(max_workers=min(len(missing), os.cpu_count() or 1)) as pool:
            made = dict(zip(missing, pool.map(lambda data: gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0),
                                              missing.values())))
    copies: list[GeneratedPage] = []
    for path, parts in large:
        old = blocks.by_copy.get(path, {})
        mine = blocks.by_copy[path] = {key: old.get(key) or made[key] for key, _ in parts}
        copies.append(GeneratedBinary(path=path, content="", data=b"".join(mine[key] for key, _ in parts)))
    return copies


def _bytes_of(page: GeneratedPage) -> bytes:
    return page.data if isinstance(page, GeneratedBinary) else page.content.encode("utf-8")


def _blocks(page: GeneratedPage) -> list[memoryview]:
    """The page's bytes cut into blocks after the parts whose CRC-32 is a multiple of a power of two chosen
    so that blocks hold about ``BLOCK_BYTES`` (the choice moves only if the parts' mean size doubles); views
    of the page's bytes, not copies."""
    view = memoryview(_bytes_of(page))
    ends = page.ends if isinstance(page, JoinedPage) else ()
    if len(ends) < 2:
        return [view]
    every = 1 << max(0, round(math.log2(max(1.0, BLOCK_BYTES * len(ends) / max(1, len(view))))))
    out, start, previous = [], 0, 0
    for end in ends[:-1]:
        if zlib.crc32(view[previous:end]) % every == 0:
            out.append(view[start:end])
            start = end
        previous = end
    out.append(view[start:])
    return out
