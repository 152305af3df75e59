"""The edition as inspection JSON, built from each document's own part (citations: test_citations.py)."""

from __future__ import annotations

import json

from build_edition.pipeline import read_corpus, source_files
from build_edition.writers.data import DOCUMENTS_JSON
from build_edition.writers.exports import document_exports, edition_exports
from build_edition.writers.generated import JoinedPage
from build_edition.writers.json_export import document_json
from helpers import ROOT, SEEDS


def test_documents_json_is_the_inspect_contract_in_date_order() -> None:
    corpus = read_corpus(source_files(SEEDS), ROOT)
    pages = {p.path: p for p in edition_exports([document_exports(d, "https://example.org/") for d in corpus.documents])}
    page = pages[DOCUMENTS_JSON]
    assert isinstance(page, JoinedPage)
    documents = json.loads(page.joined())["documents"]
    assert [d["date"] for d in documents] == sorted(d["date"] for d in documents)
    by_id = {d.id: d for d in corpus.documents}
    # Each entry is exactly what `build-edition inspect` prints for that document.
    assert all(entry == json.loads(json.dumps(document_json(by_id[entry["id"]]))) for entry in documents)
    assert len(documents) == len(corpus.documents) == len(list(SEEDS.glob("*.txt")))
