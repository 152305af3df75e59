"""The search index in parts (build_edition/search_parts.py): which page goes in which part,
and what a finished site's bundle holds when it is indexed in parts."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from build_edition.search_index import LAST_DATE, SearchIndexError, index_site
from build_edition.search_parts import (MANIFEST, PART_PAGES, PART_PAGES_VARIABLE, WASM_STUB, IndexedPage,
                                        indexed_page, part_size, planned_parts)


def page(dest_uri: str, date: str = LAST_DATE, *, document: bool = True, marked: bool = True) -> IndexedPage:
    return IndexedPage(dest_uri=dest_uri, marked=marked, document=document, date=date)


def test_documents_go_in_date_order_in_runs_of_the_part_size_then_the_edition_pages() -> None:
    pages = [page("index.html", document=False), page("documents/c/index.html", "1951-01-02"),
             page("documents/a/index.html", "1950-06-25"), page("search/index.html", document=False, marked=False),
             page("documents/b/index.html", "1950-06-25"), page("chronology/index.html", document=False),
             page("documents/undated/index.html")]
    planned = planned_parts(pages, 2)
    assert [(folder, [p.dest_uri for p in chunk]) for folder, chunk in planned] == [
        ("parts/00/", ["documents/a/index.html", "documents/b/index.html"]),
        ("parts/01/", ["documents/c/index.html", "documents/undated/index.html"]),
        ("", ["chronology/index.html", "index.html"]),  # the search page marks nothing: Pagefind skips it
    ]


def test_the_part_size_is_a_setting() -> None:
    assert part_size() == PART_PAGES
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PART_PAGES_VARIABLE, "3")
        assert part_size() == 3
        for wrong in ("0", "two", "-1"):
            patch.setenv(PART_PAGES_VARIABLE, wrong)
            with pytest.raises(SearchIndexError, match=PART_PAGES_VARIABLE):
                part_size()


def test_a_page_says_what_it_is_in_its_search_data() -> None:
    html = ('<html><body><article class="md-typeset" data-pagefind-body><div hidden data-pagefind-ignore>'
            '<span data-pagefind-filter="kind">Document</span><span data-pagefind-sort="date">1950-09-30</span>'
            '</div><p>data-pagefind-sort="date">1999-01-01</p></article></body></html>')
    assert indexed_page("documents/x/index.html", html) == page("documents/x/index.html", "1950-09-30")
    edition = '<html><body><article data-pagefind-body><span data-pagefind-filter="kind">Edition page</span></article></body></html>'
    assert indexed_page("method/index.html", edition) == page("method/index.html", document=False)
    assert not indexed_page("404.html", "<html><body><p>Not found</p></body></html>").marked


def test_the_marked_element_is_the_first_tag_that_carries_the_mark_not_the_first_word() -> None:
    from build_edition.search_parts import marked_element

    def tag(html: str) -> str | None:
        found = marked_element(html)
        return found.group(0) if found else None

    assert tag('<p>data-pagefind-body</p><main class="x" data-pagefind-body id="m">') == \
        '<main class="x" data-pagefind-body id="m">'
    assert tag("<div\ndata-pagefind-body>") == "<div\ndata-pagefind-body>"
    assert tag("<a>< b data-pagefind-body><b data-pagefind-body-not>") == "<b data-pagefind-body-not>"
    assert tag("<1 data-pagefind-body><i data-pagefind-bodyx><u data-pagefind-body>") == "<u data-pagefind-body>"
    assert tag("data-pagefind-body") is None and tag("<p>no mark</p>") is None


def _write_page(site: Path, rel: str, words: str, date: str | None) -> None:
    data = (f'<span data-pagefind-filter="kind">Document</span><span data-pagefind-filter="year">{date[:4]}</span>'
            f'<span data-pagefind-sort="date">{date}</span>' if date else
            '<span data-pagefind-filter="kind">Edition page</span>')
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<html lang="en"><body><article data-pagefind-body><div hidden data-pagefind-ignore>{data}</div>'
                    f'<h1>{words}</h1><p>{words} telegram</p></article></body></html>', encoding="utf-8")


def _fragments(folder: Path) -> list[dict]:
    return [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):]) for p in sorted(folder.glob("fragment/*"))]


def test_a_finished_site_is_indexed_in_parts_listed_in_chronological_order(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    dates = {"documents/1950-06-25-a/index.html": "1950-06-25", "documents/1950-09-15-b/index.html": "1950-09-15",
             "documents/1951-01-04-c/index.html": "1951-01-04", "documents/1952-07-16-d/index.html": "1952-07-16",
             "documents/1953-07-27-e/index.html": "1953-07-27"}
    for rel, date in dates.items():
        _write_page(site, rel, rel.split("/")[1], date)
    _write_page(site, "index.html", "Home", None)
    _write_page(site, "method/index.html", "Method", None)
    _write_page(site, "registers/index.html", "Registers", None)
    monkeypatch.setenv(PART_PAGES_VARIABLE, "2")
    report = index_site(site)
    bundle = site / "pagefind"
    manifest = json.loads((bundle / MANIFEST).read_text())
    assert [(p["folder"], p["documents"], p["pages"], p["first_date"], p["last_date"]) for p in manifest["parts"]] == [
        ("parts/00/", True, 2, "1950-06-25", "1950-09-15"),
        ("parts/01/", True, 2, "1951-01-04", "1952-07-16"),
        ("parts/02/", True, 1, "1953-07-27", "1953-07-27"),
        ("", False, 2, LAST_DATE, LAST_DATE),
        ("parts/03/", False, 1, LAST_DATE, LAST_DATE),
    ]
    assert (report.pages, report.parts) == (8, 5)
    # Each part holds its own pages; together, every page once.
    urls = {p["folder"]: sorted(f["url"] for f in _fragments(bundle / p["folder"])) for p in manifest["parts"]}
    assert urls["parts/01/"] == ["/documents/1951-01-04-c/", "/documents/1952-07-16-d/"]
    assert urls[""] == ["/", "/method/"] and urls["parts/03/"] == ["/registers/"]
    # The scripts and the WebAssembly are the top part's; the others have an index only.
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-highlight.js").is_file()
    assert (bundle / "wasm.en.pagefind").stat().st_size > 10_000
    part = bundle / "parts" / "01"
    assert (part / "wasm.en.pagefind").read_bytes() == WASM_STUB
    assert not (part / "pagefind.js").exists() and not (part / "pagefind-ui.js").exists()
    entry = json.loads((part / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2
    assert (part / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").is_file()


def test_the_stream_makes_the_parts_of_the_finished_site_whatever_the_order_of_the_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs hands the pages over in the order of their files, whose names need not follow the
    documents' dates: the stream's parts are still those of the finished site, in date order."""
    from build_edition.search_feeder import StreamingIndex

    monkeypatch.setenv(PART_PAGES_VARIABLE, "2")
    dates = {"documents/a/index.html": "1953-07-27", "documents/b/index.html": "1950-06-25",
             "documents/c/index.html": "1951-01-04", "documents/d/index.html": "1952-07-16",
             "documents/e/index.html": "1949-03-17"}
    streamed, finished = tmp_path / "streamed", tmp_path / "finished"
    for rel, date in dates.items():
        _write_page(finished, rel, rel.split("/")[1], date)
    for site in (streamed, finished):
        _write_page(site, "index.html", "Home", None)
        _write_page(site, "method/index.html", "Method", None)
    stream = StreamingIndex(streamed)
    html = {rel: (finished / rel).read_text(encoding="utf-8") for rel in sorted(dates)}
    stream.plan([indexed_page(rel, text) for rel, text in html.items()])
    for rel in html:
        # As MkDocs does: the page is handed over (on_post_page), then written to the site folder.
        stream.add(rel)
        time.sleep(0.05)  # room for the stream to read a page too early, were it to
        _write_page(streamed, rel, rel.split("/")[1], dates[rel])
    stream_report = stream.finish()
    site_report = index_site(finished)
    manifests = [json.loads((site / "pagefind" / MANIFEST).read_text()) for site in (streamed, finished)]
    assert manifests[0] == manifests[1]
    assert [(p["first_date"], p["last_date"]) for p in manifests[0]["parts"] if p["documents"]] == [
        ("1949-03-17", "1950-06-25"), ("1951-01-04", "1952-07-16"), ("1953-07-27", "1953-07-27")]
    for part in manifests[0]["parts"]:
        assert _fragments(streamed / "pagefind" / part["folder"]) == _fragments(finished / "pagefind" / part["folder"])
    assert (stream_report.pages, stream_report.parts) == (site_report.pages, site_report.parts) == (7, 4)


def test_a_document_page_outside_the_plan_fails_the_stream(tmp_path: Path) -> None:
    from build_edition.search_feeder import StreamingIndex

    site = tmp_path / "site"
    _write_page(site, "documents/a/index.html", "a", "1950-06-25")
    stream = StreamingIndex(site)
    stream.plan([])
    stream.add("documents/a/index.html")
    with pytest.raises(SearchIndexError, match="not a document page of the plan"):
        stream.finish()


def _feeder_pids() -> set[int]:
    """The live child processes of this one (a feeder, search_feeder.py, is one; its Pagefind is its own child).
    By the kernel's list of children: a child's command line may read empty for a moment after it starts."""
    pids = set()
    for task in Path("/proc/self/task").iterdir():
        pids.update(int(pid) for pid in (task / "children").read_text().split())
    return {pid for pid in pids if _alive(pid)}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_the_stream_runs_in_a_process_of_its_own_and_leaves_none_behind(tmp_path: Path) -> None:
    """MkDocs' process runs no thread of the stream (a thread there waited for the interpreter's lock
    while the templates were rendered): a feeder process does the work and ends with the index."""
    import threading

    from build_edition.search_feeder import StreamingIndex

    site = tmp_path / "site"
    _write_page(site, "index.html", "Home", None)
    before_threads, before_feeders = threading.active_count(), _feeder_pids()
    stream = StreamingIndex(site)
    stream.plan([page("documents/a/index.html", "1950-06-25")])
    stream.add("documents/a/index.html")
    _write_page(site, "documents/a/index.html", "a", "1950-06-25")
    assert threading.active_count() == before_threads
    assert len(_feeder_pids() - before_feeders) == 1
    report = stream.finish()
    assert (report.pages, report.parts) == (2, 2)
    assert json.loads((site / "pagefind" / MANIFEST).read_text())["parts"]
    assert _feeder_pids() == before_feeders


def test_an_aborted_or_failed_stream_stops_its_feeder_and_says_so(tmp_path: Path) -> None:
    import os
    import signal

    from build_edition.search_feeder import StreamingIndex

    site = tmp_path / "site"
    _write_page(site, "index.html", "Home", None)
    before = _feeder_pids()
    aborted = StreamingIndex(site)
    aborted.plan([])
    aborted.abort()
    assert _feeder_pids() == before and not (site / "pagefind" / MANIFEST).exists()
    killed = StreamingIndex(site)
    killed.plan([])
    (feeder,) = _feeder_pids() - before
    os.kill(feeder, signal.SIGKILL)
    for _ in range(100):  # until the pipe is broken
        killed.add(f"documents/{_}/index.html")
        time.sleep(0.01)
    with pytest.raises(SearchIndexError, match="Pagefind could not index"):
        killed.finish()
    assert _feeder_pids() == before


def test_the_parts_at_work_at_once_are_a_setting_and_one_at_a_time_gives_the_same_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition.search_feeder import StreamingIndex
    from build_edition.search_parts import PARTS_AT_ONCE, PARTS_AT_ONCE_VARIABLE, parts_at_once

    assert parts_at_once() == PARTS_AT_ONCE
    monkeypatch.setenv(PARTS_AT_ONCE_VARIABLE, "none")
    with pytest.raises(SearchIndexError, match=PARTS_AT_ONCE_VARIABLE):
        StreamingIndex(tmp_path)  # refused before any process starts, so the hook can say why
    monkeypatch.setenv(PART_PAGES_VARIABLE, "1")
    dates = {f"documents/{n}/index.html": f"195{n}-01-01" for n in range(4)}
    bundles = []
    for at_once in ("1", "3"):
        monkeypatch.setenv(PARTS_AT_ONCE_VARIABLE, at_once)
        site = tmp_path / at_once
        _write_page(site, "index.html", "Home", None)
        stream = StreamingIndex(site)
        stream.plan([page(rel, date) for rel, date in dates.items()])
        for rel, date in dates.items():
            stream.add(rel)
            _write_page(site, rel, rel.split("/")[1], date)
        assert stream.finish().parts == 5
        manifest = json.loads((site / "pagefind" / MANIFEST).read_text())
        # Pagefind's index files differ from run to run (their hashes); its fragments, one per page, do not.
        bundles.append((manifest, [_fragments(site / "pagefind" / part["folder"]) for part in manifest["parts"]]))
    assert bundles[0] == bundles[1]
    assert [p["first_date"] for p in bundles[0][0]["parts"] if p["documents"]] == sorted(dates.values())


def test_ctrl_c_ends_the_feeder_quietly(tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the build: the feeder ends without a traceback of its own."""
    import signal
    import subprocess
    import sys

    feeder = subprocess.Popen([sys.executable, "-m", "build_edition.search_feeder", str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        feeder.stdin.write(b'{"plan": []}\n')
        feeder.stdin.flush()
        time.sleep(1.0)  # into its loop, waiting for the next line
        feeder.send_signal(signal.SIGINT)
        out, err = feeder.communicate(timeout=30)
    finally:  # a feeder that does not stop is not left behind
        feeder.kill()
        feeder.wait()
    assert feeder.returncode == 130 and out == b"" and b"Traceback" not in err, err
