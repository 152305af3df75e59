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

from ..cache import content_key
from ..model import Document
from .data import EarlierPart, Packed, document_json_text, documents_json_page
from .citations import FORMATS, citation_file, citation_record, cite_path, csl_json
from .generated import GeneratedBinary, GeneratedPage, JoinedPage, Layout, joined_page
from .tables import table_pages, table_rows, table_text
from ..pickling import fast_pickling_in

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
    keys = [e.key for e in ordered]
    yield documents_json_page([e.inspection for e in ordered], keys=keys, earlier=earlier)
    yield (joined_page(CSL_JSON, [e.csl for e in ordered], head=_CSL_OPEN.encode(), separator=b",\n",
                       tail=_CSL_CLOSE.encode(), keys=keys)
           if ordered else GeneratedPage(path=CSL_JSON, content=csl_json([])))
    yield joined_page(BIBTEX, [e.bibtex for e in ordered], separator=b"\n", keys=keys)
    yield joined_page(RIS, [e.ris for e in ordered], separator=b"\n", keys=keys)
    yield from table_pages([e.tables for e in ordered], keys=keys)


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
    return [compressed_copy(page.path, [(None, functools.partial(_bytes_of, page))], blocks) for page in pages
            if not page.path.endswith(".md")  # pages are MkDocs', not downloads
            and (len(page.content) >= threshold or len(_bytes_of(page)) >= threshold)]


def compressed_file_copy(path: str, file: Path, page: JoinedPage, layout: Layout, blocks: GzipBlocks,
                         threshold: int | None = None) -> GeneratedBinary | None:
    """``PATH.gz`` of the joined download ``page`` just written to ``file`` (None if it is small), in blocks of about
    ``BLOCK_BYTES`` read back from the file one at a time.

    Each block is a gzip member of its own: a gzip file may hold several members one after the other (RFC 1952,
    2.2), and every gzip reader gives back their texts joined. A block ends after a part whose checksum says so,
    so a change to one document changes one block and leaves the others, which ``blocks`` keeps from the last
    build (and is given this build's). A block whose parts all have keys is known by them (a part of the same key
    has the same bytes), and taken from ``blocks`` without being read again; the others by their bytes' digest."""
    if layout.size < (COMPRESS_FROM if threshold is None else threshold):
        return None
    spans = block_spans(layout)
    with open(file, "rb") as handle:
        fd = handle.fileno()
        return compressed_copy(path, [(_block_name(page, first, last, last == len(page.parts)),
                                       functools.partial(os.pread, fd, end - start, start))
                                      for start, end, first, last in spans], blocks)


def _block_name(page: JoinedPage, first: int, last: int, ends_file: bool) -> str | None:
    """The name of the block holding parts ``first`` to ``last`` (excluded) of ``page``, from their keys (None if
    one is unknown): the head goes with the first part, each part's separator after it, the tail after the last."""
    keys = page.keys[first:last]
    if len(keys) != last - first or not all(keys):
        return None
    return "parts " + content_key(page.head if first == 0 else b"", page.separator, page.tail if ends_file else b"",
                                  str(ends_file), *keys)


def compressed_copy(path: str, reads: Sequence[tuple[str | None, Callable[[], bytes]]], blocks: GzipBlocks
                    ) -> GeneratedBinary:
    """``PATH.gz`` of the file whose blocks ``reads`` give, in order, each with its name where it has one: each
    block taken from ``blocks`` by its name, or else by the digest of its bytes, or compressed. zlib, hashlib and
    file reads let go of the interpreter, so the blocks are made side by side, in threads, and only a few are held
    at a time."""
    copy = path + ".gz"
    known = blocks.by_copy.get(copy, {})

    def block(named: tuple[str | None, Callable[[], bytes]]) -> tuple[str, bytes]:
        name, read = named
        if name is not None and name in known:
            return name, known[name]
        data = read()
        key = name or hashlib.sha1(data).hexdigest()  # noqa: S324 - a name, not a safeguard
        return key, known.get(key) or gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0)

    with ThreadPoolExecutor(max_workers=max(1, min(len(reads), os.cpu_count() or 1))) as pool:
        made = list(pool.map(block, reads))
    blocks.by_copy[copy] = dict(made)
    return GeneratedBinary(path=copy, content="", data=b"".join(data for _, data in made))


def _bytes_of(page: GeneratedPage) -> bytes:
    if isinstance(page, JoinedPage):
        return page.joined()
    return page.data if isinstance(page, GeneratedBinary) else page.content.encode("utf-8")


def block_spans(layout: Layout) -> list[tuple[int, int, int, int]]:
    """The file cut into blocks after the parts whose CRC-32 is a multiple of a power of two chosen so that
    blocks hold about ``BLOCK_BYTES`` (the choice moves only if the parts' mean size doubles): each block's start
    and end, and the first of its parts and the one after its last."""
    ends, size = layout.ends, layout.size
    if len(ends) < 2:
        return [(0, size, 0, len(ends))]
    every = 1 << max(0, round(math.log2(max(1.0, BLOCK_BYTES * len(ends) / max(1, size)))))
    cuts = [n + 1 for n, (crc, _) in enumerate(zip(layout.checksums, ends[:-1])) if crc % every == 0]
    firsts, lasts = [0, *cuts], [*cuts, len(ends)]
    return [(ends[first - 1] if first else 0, ends[last - 1] if last < len(ends) else size, first, last)
            for first, last in zip(firsts, lasts)]


fast_pickling_in(globals())
