"""The whole edition as inspection JSON: the same contract as ``build-edition inspect`` (see the README).

Each document's part is serialized in the per-document stage (``document_json_text``) and
the edition stage only joins those texts (``documents_json_page``), one document per line,
so the file is written without any parsed document in memory. Each text waits for that in
the parent process (and in the cache's index) zlib-compressed, as a ``Packed``: at 10,000
documents the texts are over 100 MB as strings, a few tens as packed bytes. The citation
exports (CSL-JSON, BibTeX, RIS) and the CSV tables are in ``exports.py``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import Document
from .generated import JoinedPage, Part, joined_page
from .json_export import document_json
from ..pickling import fast_pickling_in

DOCUMENTS_JSON = "data/documents.json"


def document_json_text(document: Document) -> str:
    """One document's inspection JSON on one line (keys sorted, so the output is stable)."""
    return json.dumps(document_json(document), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Packed:
    """A text held zlib-compressed (level 1: the fastest, and most of the gain)."""

    data: bytes

    @classmethod
    def of(cls, text: str) -> Packed:
        return cls(data=zlib.compress(text.encode("utf-8"), 1))

    def utf8(self) -> bytes:
        """The text's UTF-8 bytes, as they go into a file."""
        return zlib.decompress(self.data)


EarlierPart = Callable[[str, str], "Part | None"]
"""A document's part of a joined download as the last build wrote it, by the download's path and the key of the
document's exports (``exports.DocumentExports.key``); None when that build wrote no such part or its file changed."""


def documents_json_page(texts: Sequence[Packed], keys: Sequence[str] = (),
                        earlier: EarlierPart | None = None) -> JoinedPage:
    """``{"documents": [...]}`` from the per-document texts, in the order given (a ``JoinedPage``, unpacked as it
    is written). A text whose key ``earlier`` knows is taken from there instead."""
    keys = keys or [""] * len(texts)
    kept = [(earlier(DOCUMENTS_JSON, key) if earlier and key else None) for key in keys]
    return joined_page(DOCUMENTS_JSON, [part if part is not None else text for part, text in zip(kept, texts)],
                       head=b'{"documents": [\n', separator=b",\n", tail=b"\n]}\n", keys=keys)


fast_pickling_in(globals())
