"""The whole edition as inspection JSON: the same contract as ``build-edition inspect`` (see the README).

The citation exports (CSL-JSON, BibTeX, RIS) and the CSV tables are in ``exports.py``.
"""

from __future__ import annotations

import json
from ..model import Document
from .edition import GeneratedPage, chronological
from .json_export import document_json

DOCUMENTS_JSON = "data/documents.json"


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def data_pages(documents: list[Document]) -> list[GeneratedPage]:
    ordered = chronological(documents)
    return [
        GeneratedPage(path=DOCUMENTS_JSON, content=_dump({"documents": [document_json(d) for d in ordered]})),
    ]
