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

import functools
import gzip
import hashlib
import math
import os
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import Document
from .data import EarlierPart, Packed, document_json_text, documents_json_page
from .citations import FORMATS, citation_file, citation_record, cite_path, csl_json
from .generated import GeneratedBinary, GeneratedPage, JoinedPage, Layout, joined_page
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
    may pass any pages), each in one block. The copies carry no time or name (``mtime=0``), so the same export
    always gives the same bytes. (A joined download: :func:`compressed_file_copy`.)"""
    threshold = COMPRESS_FROM if threshold is None else threshold
    blocks = blocks if blocks is not None else GzipBlocks()
    return [compressed_copy(page.path, [functools.partial(_bytes_of, page)], blocks) for page in pages
            if not page.path.endswith(".md")  # pages are MkDocs', not downloads
            and (len(page.content) >= threshold or len(_bytes_of(page)) >= threshold)]


def compressed_file_copy(path: str, file: Path, layout: Layout, blocks: GzipBlocks,
                         threshold: int | None = None) -> GeneratedBinary | None:
    """``PATH.gz`` of the joined download just written to ``file`` (None if it is small), in blocks of about
    ``BLOCK_BYTES`` read back from the file one at a time.

    Each block is a gzip member of its own: a gzip file may hold several members one after the other (RFC 1952,
    2.2), and every gzip reader gives back their texts joined. A block ends after a part whose checksum says so,
    so a change to one document changes one block and leaves the others, which ``blocks`` keeps from the last
    build (and is given this build's)."""
    if layout.size < (COMPRESS_FROM if threshold is None else threshold):
        return None
    with open(file, "rb") as handle:
        fd = handle.fileno()
        return compressed_copy(path, [functools.partial(os.pread, fd, end - start, start)
                                      for start, end in block_ranges(layout)], blocks)


def compressed_copy(path: str, reads: Sequence[Callable[[], bytes]], blocks: GzipBlocks) -> GeneratedBinary:
    """``PATH.gz`` of the file whose blocks ``reads`` give, in order: each block taken from ``blocks`` by the digest
    of its bytes, or compressed. zlib, hashlib and file reads let go of the interpreter, so the blocks are made
    side by side, in threads, and only a few are held at a time."""
    copy = path + ".gz"
    known = blocks.by_copy.get(copy, {})

    def block(read: Callable[[], bytes]) -> tuple[str, bytes]:
        data = read()
        key = hashlib.sha1(data).hexdigest()  # noqa: S324 - a name, not a safeguard
        return key, known.get(key) or gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0)

    with ThreadPoolExecutor(max_workers=max(1, min(len(reads), os.cpu_count() or 1))) as pool:
        made = list(pool.map(block, reads))
    blocks.by_copy[copy] = dict(made)
    return GeneratedBinary(path=copy, content="", data=b"".join(data for _, data in made))


def _bytes_of(page: GeneratedPage) -> bytes:
    if isinstance(page, JoinedPage):
        return page.joined()
    return page.data if isinstance(page, GeneratedBinary) else page.content.encode("utf-8")


def block_ranges(layout: Layout) -> list[tuple[int, int]]:
    """The file cut into blocks after the parts whose CRC-32 is a multiple of a power of two chosen so that
    blocks hold about ``BLOCK_BYTES`` (the choice moves only if the parts' mean size doubles)."""
    ends, size = layout.ends, layout.size
    if len(ends) < 2:
        return [(0, size)]
    every = 1 << max(0, round(math.log2(max(1.0, BLOCK_BYTES * len(ends) / max(1, size)))))
    cuts = [end for end, crc in zip(ends[:-1], layout.checksums) if crc % every == 0]
    return list(zip([0, *cuts], [*cuts, size]))
