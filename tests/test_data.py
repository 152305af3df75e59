"""Machine-readable exports: the edition as inspection JSON and as CSL-JSON."""

from __future__ import annotations

import json

from build_edition.pipeline import read_corpus, source_files
from build_edition.writers.data import CSL_JSON, DOCUMENTS_JSON, data_pages
from helpers import ROOT, SEEDS


def exports() -> dict[str, object]:
    corpus = read_corpus(source_files(SEEDS), ROOT)
    return {page.path: json.loads(page.content) for page in data_pages(list(corpus.documents))}


def test_csl_json_items_for_citation_managers() -> None:
    items = {item["id"]: item for item in exports()[CSL_JSON]}
    item = items["1952-07-16-kim-to-stalin-armistice-502597"]
    assert item["type"] == "manuscript"
    assert item["issued"] == {"date-parts": [[1952, 7, 16]]}
    assert item["author"] == [{"literal": "Razuvaev"}]
    assert item["archive"] == "APRF, AVPRF, RGASPI"
    assert item["archive_location"].startswith("APRF, Fond 45, Opis 1, Delo 348, Listy 65-68")
    assert item["number"] == "502597/sh"


def test_documents_json_is_the_inspect_contract_in_date_order() -> None:
    documents = exports()[DOCUMENTS_JSON]["documents"]
    assert [d["date"] for d in documents] == sorted(d["date"] for d in documents)
    assert {"id", "title", "transmission", "distribution", "insertions"} <= set(documents[0])
