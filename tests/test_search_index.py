"""The search index: what a document tells Pagefind, the index of a built site, the live preview.

Expected values are read from the seeds themselves (600301: "CIPHERED TELEGRAM # 600301/sh",
"From: PYONGYANG", "September 30, 1950", "Deciphered by Vakushin", the distribution list of
people and offices, "APRF, fond 45", "Original Language: Russian", "On 29 September 29").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_edition.pipeline import read_file
from build_edition.search_index import (DOCUMENT_KIND, FLAGGED, NOT_FLAGGED, SearchRecord, front_matter_entry,
                                        index_site, search_record)
from helpers import ROOT, copy_project, pagefind_fragments, seed

MKDOCS = Path(sys.executable).parent / "mkdocs"


def values(record: SearchRecord, key: str) -> list[str]:
    return [f.value for f in record.filters if f.key == key]


def test_a_telegram_offers_its_record_as_filters_sort_keys_and_metadata() -> None:
    record = search_record(read_file(seed("600301"), ROOT))
    assert values(record, "kind") == [DOCUMENT_KIND]
    assert values(record, "type") == ["Ciphered telegram"]
    assert (values(record, "year"), values(record, "month"), values(record, "day")) == (["1950"], ["1950-09"],
                                                                                       ["1950-09-30"])
    assert values(record, "sender") == ["Shtykov"]
    assert values(record, "recipient") == ["Gromyko", "Instantsia"]
    persons = values(record, "person")
    # Sender, recipients (Instantsia is Stalin), the decipherer and the people of the distribution list, by
    # their register entries' names; not its offices.
    surnames = {p.split(",")[0] for p in persons}
    assert {"Shtykov", "Gromyko", "Vakushin", "Stalin", "Bulganin"} <= surnames
    assert "Instantsia" not in surnames
    assert not {"8 MDGS", "MFA", "on file"} & set(persons)
    assert len(persons) == len(set(persons))
    assert "Pyongyang" in values(record, "place")
    assert values(record, "repository") == ["APRF"]
    assert values(record, "fond") == ["APRF, fond 45"]
    assert values(record, "language") == ["Russian"]
    assert values(record, "flags") == [FLAGGED]  # the repeated "29"
    meta = {f.key: f.value for f in record.meta}
    assert meta["date"] == "30 September 1950"
    assert meta["parties"] == "Shtykov → Gromyko, Instantsia"
    assert meta["reference"].startswith("APRF, fond 45, opis 1, delo 347")
    assert {f.key: f.value for f in record.sort} == {"date": "1950-09-30", "number": "600301"}


def test_two_fonds_of_one_archive_and_a_document_without_flags() -> None:
    record = search_record(read_file(seed("502597"), ROOT))
    assert values(record, "sender") == ["Razuvaev"]
    assert values(record, "year") == ["1952"]
    assert values(record, "flags") == [NOT_FLAGGED]
    assert "APRF, fond 45" in values(record, "fond")


def test_front_matter_groups_values_by_key() -> None:
    entry = front_matter_entry(search_record(read_file(seed("600301"), ROOT)))
    filters = entry["filters"]
    assert isinstance(filters, dict) and filters["recipient"] == ["Gromyko", "Instantsia"]
    assert entry["sort"] == {"date": "1950-09-30", "number": "600301"}


def test_pagefind_indexes_only_the_marked_body_with_its_filters(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(
        '<html lang="en"><body><nav>Navigation words</nav><article data-pagefind-body><h1>Alpha</h1>'
        '<p>Incheon landing</p><span hidden data-pagefind-ignore data-pagefind-filter="sender">Shtykov</span>'
        '</article></body></html>', encoding="utf-8")
    (site / "b.html").write_text('<html lang="en"><body><p>Not marked, not indexed</p></body></html>', encoding="utf-8")
    report = index_site(site)
    assert (site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 1
    assert report.pages == 1 and report.parts == 1 and not report.kept


@pytest.mark.slow
def test_live_preview_keeps_the_first_index_and_says_so(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "preview" / "site"
    env = {**os.environ, "EDITION_LIVE_PREVIEW": "1", "NO_MKDOCS_2_WARNING": "1"}
    logs = []
    for _ in range(2):
        run = subprocess.run([str(MKDOCS), "build", "--strict", "-d", str(site)], cwd=project, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        logs.append(run.stderr)
        assert (site / "pagefind" / "pagefind.js").is_file() and (site / "pagefind" / "parts.json").is_file()
    assert "Pagefind indexed" in logs[0] and "kept the search index" not in logs[0]
    assert "kept the search index of the first build" in logs[1] and "Pagefind indexed" not in logs[1]
    assert "Live preview:" in (site / "search" / "index.html").read_text(encoding="utf-8")


def test_a_dirty_rebuild_leaves_the_kept_bundle_and_a_clean_one_links_it_back(tmp_path: Path) -> None:
    from build_edition.search_index import keep_or_index

    site, kept = tmp_path / "site", tmp_path / "site.edition-search"
    (kept / "fragment").mkdir(parents=True)
    (kept / "parts.json").write_text('{"parts": []}')
    (kept / "pagefind.js").write_text("// kept")
    (kept / "fragment" / "a.pf_fragment").write_bytes(b"x")
    assert keep_or_index(site, kept).kept  # the site has no bundle (MkDocs emptied it): linked back
    bundle = site / "pagefind"
    assert (bundle / "fragment" / "a.pf_fragment").read_bytes() == b"x"
    assert os.path.samefile(bundle / "pagefind.js", kept / "pagefind.js")
    (bundle / "marker").write_text("left by the last build")
    assert keep_or_index(site, kept).kept  # a dirty rebuild: the bundle is there, left as it is
    assert (bundle / "marker").is_file()


def indexed_text(site: Path) -> dict[str, str]:
    """The text Pagefind indexed of each page of ``site``, by its address."""
    return {record["url"]: record["content"] for record in pagefind_fragments(site)}


@pytest.mark.slow
def test_a_full_build_indexes_and_has_no_live_preview_notice(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k != "EDITION_LIVE_PREVIEW"}
    run = subprocess.run([str(MKDOCS), "build", "--strict", "-d", str(project / "site")], cwd=project, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Pagefind indexed" in run.stderr
    assert "Live preview:" not in (project / "site" / "search" / "index.html").read_text(encoding="utf-8")
    assert not (project / "site" / "search" / "search_index.json").exists()
    # What Pagefind keeps of 600301's page: its own text and reference, not the titles of its neighbours
    # in the chronology (the page's "Previous" and "Next" links), which are those documents' words.
    indexed = indexed_text(project / "site")["/documents/1950-09-30-shtykov-to-gromyko-600301/"]
    assert "I met KIM IL SUNG upon his request" in indexed and "APRF, fond 45, opis 1, delo 347" in indexed
    page = (project / "site" / "documents" / "1950-09-30-shtykov-to-gromyko-600301" / "index.html").read_text("utf-8")
    assert "Next: 9 October 1950: " in page and "Telegram from Kim Il Sung to Stalin (via Shtykov)" in page
    assert "9 October 1950" not in indexed and "Telegram from Kim Il Sung to Stalin" not in indexed
    # Nor the words every document page has around its recommended citations.
    assert "Cite this document" in page and "BibTeX" in page
    assert "Cite this document" not in indexed and "BibTeX" not in indexed and "reference manager" not in indexed
    # A register entry is found by its names and description, not by the list of its documents.
    indexed = indexed_text(project / "site")["/registers/persons/shtykov/"]
    assert "Shtykov, Terentii Fomich" in indexed and "Shtikov. romanization" in indexed
    page = (project / "site" / "registers" / "persons" / "shtykov" / "index.html").read_text("utf-8")
    listed = '<time datetime="1950-09-30">30 September 1950</time>'
    assert listed in page and "Ciphered Telegram, Shtykov to Deputy Foreign Minister" in page
    assert "30 September 1950" not in indexed and "sender, signed" not in indexed
    assert "Ciphered Telegram, Shtykov to Deputy Foreign Minister" not in indexed  # nor in the forms' table
    assert "| Shytkov | 1 |" in (project / "docs" / "registers" / "persons" / "shtykov.md").read_text("utf-8")
    assert "Shytkov" in indexed  # the forms the documents use are searched, their documents are not
    # The same for every page that lists documents: the chronology, the indexes, who received copies, the flags.
    texts = indexed_text(project / "site")
    title = "Ciphered Telegram, Shtykov to Deputy Foreign Minister Andrei Gromyko"
    for url, heading in [("/chronology/1950/", "Documents of 1950"), ("/indexes/types/ciphered-telegram/", "Ciphered telegram"),
                         ("/registers/copies/beria/", "Copies received: Beria"),
                         ("/reports/flags/repeated-word/", "Editorial flags: Repeated word")]:
        page = (project / "site" / url.strip("/") / "index.html").read_text("utf-8")
        assert title in page and heading in texts[url] and title not in texts[url], url
    # The editor's reports are not searched at all: a search for a name finds its documents, not the warnings
    # about them.
    assert "Unregistered names" in (project / "site" / "reports" / "unregistered-names" / "index.html").read_text("utf-8")
    assert "/reports/unregistered-names/" not in texts and "/reports/diagnostics/" not in texts
    assert not [url for url in texts if url.startswith("/reports/diagnostics/")]
    assert "/reports/flags/" in texts and "/registers/persons/shtykov/" in texts
