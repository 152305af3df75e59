"""Machine-readable exports: the edition as inspection JSON (the citation files: test_citations.py)."""

from __future__ import annotations

import json

from build_edition.pipeline import read_corpus, source_files
from build_edition.writers.data import DOCUMENTS_JSON, data_pages
from helpers import ROOT, SEEDS


def exports() -> dict[str, object]:
    corpus = read_corpus(source_files(SEEDS), ROOT)
    return {page.path: json.loads(page.content) for page in data_pages(list(corpus.documents))}


def test_documents_json_is_the_inspect_contract_in_date_order() -> None:
    documents = exports()[DOCUMENTS_JSON]["documents"]
    assert [d["date"] for d in documents] == sorted(d["date"] for d in documents)
    assert {"id", "title", "transmission", "distribution", "insertions"} <= set(documents[0])
