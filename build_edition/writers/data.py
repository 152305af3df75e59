"""Machine-readable exports of the whole edition: the inspection JSON and CSL-JSON.

CSL-JSON is what Zotero and other citation managers import; the inspection JSON is
the same contract as ``build-edition inspect`` (see the README).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Document
from ..pickling import fast_pickling_in
from .frontmatter import PUBLISHER
from .generated import GeneratedPage
from .json_export import document_json

DOCUMENTS_JSON = "data/documents.json"
CSL_JSON = "data/citations.json"


def csl_item(document: Document) -> dict[str, Any]:
    """One document as a CSL-JSON item of type manuscript."""
    item: dict[str, Any] = {"id": document.id, "type": "manuscript", "title": document.title_text,
                            "source": PUBLISHER}
    if document.sender:
        item["author"] = [{"literal": document.sender.value}]
    if document.recipients:
        item["recipient"] = [{"literal": r} for r in document.recipients]
    if document.date:
        item["issued"] = {"date-parts": [[document.date.year, document.date.month, document.date.day]]}
    if document.doc_type:
        item["genre"] = document.doc_type
    if document.telegram_number:
        item["number"] = document.telegram_number
    if document.archival_references:
        item["archive"] = ", ".join(dict.fromkeys(r.repository for r in document.archival_references))
        item["archive_location"] = "; ".join(r.original for r in document.archival_references)
    if document.url:
        item["URL"] = document.url
    if document.summary:
        item["abstract"] = document.summary
    if document.original_language:
        item["note"] = f"Translated from {document.original_language}."
    return item


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFragments:
    """One document's entries in the edition-wide exports, as JSON text, made in the per-document stage."""

    json: str
    csl: str


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def document_fragments(document: Document) -> DocumentFragments:
    return DocumentFragments(json=_compact(document_json(document)), csl=_compact(csl_item(document)))


def data_pages(items: Sequence[DocumentFragments | Document]) -> list[GeneratedPage]:
    """The edition-wide exports, one document a line, in the order given (the chronology).

    Documents held in memory (tests, small sets) are turned into fragments first.
    """
    fragments = [i if isinstance(i, DocumentFragments) else document_fragments(i) for i in _ordered(items)]
    return [
        GeneratedPage(path=DOCUMENTS_JSON, content='{"documents": [\n' + ",\n".join(f.json for f in fragments) + "\n]}\n"),
        GeneratedPage(path=CSL_JSON, content="[\n" + ",\n".join(f.csl for f in fragments) + "\n]\n"),
    ]


def _ordered(items: Sequence[DocumentFragments | Document]) -> list[DocumentFragments | Document]:
    documents: list[Document] = [i for i in items if isinstance(i, Document)]
    if len(documents) != len(items):
        return list(items)
    documents.sort(key=_chronological_key)
    return list(documents)


def _chronological_key(d: Document) -> tuple[bool, str, str]:
    return (d.date is None, d.date.isoformat() if d.date else "", d.id)


fast_pickling_in(globals())
