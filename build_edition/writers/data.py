"""The whole edition as inspection JSON: the same contract as ``build-edition inspect`` (see the README).

Each document's part is serialized in the per-document stage (``document_json_text``) and
the edition stage only joins those texts (``documents_json_page``), one document per line,
so the file is written without any parsed document in memory. The citation exports
(CSL-JSON, BibTeX, RIS) and the CSV tables are in ``exports.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import Document
from .generated import GeneratedPage, joined_page
from .json_export import document_json

DOCUMENTS_JSON = "data/documents.json"


def document_json_text(document: Document) -> str:
    """One document's inspection JSON on one line (keys sorted, so the output is stable)."""
    return json.dumps(document_json(document), ensure_ascii=False, sort_keys=True)


def documents_json_page(texts: Sequence[str]) -> GeneratedPage:
    """``{"documents": [...]}`` from the per-document texts, in the order given."""
    return joined_page(DOCUMENTS_JSON, texts, head='{"documents": [\n', separator=",\n", tail="\n]}\n")
