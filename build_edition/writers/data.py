"""Machine-readable exports of the whole edition: the inspection JSON and CSL-JSON.

CSL-JSON is what Zotero and other citation managers import; the inspection JSON is
the same contract as ``build-edition inspect`` (see the README).
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Document
from .edition import GeneratedPage, chronological
from .frontmatter import PUBLISHER
from .json_export import document_json

DOCUMENTS_JSON = "data/documents.json"
CSL_JSON = "data/citations.json"


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


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


def data_pages(documents: list[Document]) -> list[GeneratedPage]:
    ordered = chronological(documents)
    return [
        GeneratedPage(path=DOCUMENTS_JSON, content=_dump({"documents": [document_json(d) for d in ordered]})),
        GeneratedPage(path=CSL_JSON, content=_dump([csl_item(d) for d in ordered])),
    ]
