"""The site's speed-ups change nothing a reader or a search sees.

The seeds' site is built twice: once as mkdocs.yml says (inline patterns skipped,
pages released once written, Pagefind fed page by page during the build), once
without the speed-up hook and extension, with ``--dirty`` (in an empty site
folder every page is built, and the site is indexed once finished, as before).
Every HTML page must be byte-identical, and the search index the same: in parts of two
pages (build_edition/search_parts.py), the same list of parts (parts.json: folders, date
ranges, page counts) and in each part the same Pagefind fragments (each page's URL, indexed
text, filters, metadata and sort keys, in files named by their content's hash).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_edition.search_parts import MANIFEST, PART_PAGES_VARIABLE
from helpers import copy_project

MKDOCS = Path(sys.executable).parent / "mkdocs"
SPEED_UPS = ("build_edition.markdown_speed", "build_edition/release_hook.py", "build_edition/nav_memo.py",
             "build_edition/front_matter_hook.py")


def _build(project: Path, config: str, site: Path, *options: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "EDITION_LIVE_PREVIEW"} | {"NO_MKDOCS_2_WARNING": "1",
                                                                                  PART_PAGES_VARIABLE: "2"}
    run = subprocess.run([str(MKDOCS), "build", "-f", config, "-d", str(site), *options], cwd=project,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return run.stderr


def _files(folder: Path, pattern: str) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob(pattern)) if p.is_file()}


@pytest.mark.slow
def test_the_same_site_and_search_index_without_the_speed_ups(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    plain = "\n".join(line for line in (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
                      if not any(s in line for s in SPEED_UPS)) + "\n"
    assert plain.count("\n") < (project / "mkdocs.yml").read_text(encoding="utf-8").count("\n")
    (project / "plain.yml").write_text(plain, encoding="utf-8")
    fast_log = _build(project, "mkdocs.yml", tmp_path / "fast", "--strict")
    _build(project, "plain.yml", tmp_path / "plain", "--dirty")  # --dirty warns that it is --dirty
    fast, slow = _files(tmp_path / "fast", "*.html"), _files(tmp_path / "plain", "*.html")
    assert len(fast) > 50 and fast.keys() == slow.keys()
    assert [name for name in fast if fast[name] != slow[name]] == []
    manifests = [json.loads((tmp_path / site / "pagefind" / MANIFEST).read_text()) for site in ("fast", "plain")]
    assert len(manifests[0]["parts"]) > 10 and manifests[0] == manifests[1]
    fragments = [{part["folder"]: set(_files(tmp_path / site / "pagefind" / part["folder"] / "fragment", "*.pf_fragment"))
                  for part in manifests[0]["parts"]} for site in ("fast", "plain")]
    assert sum(map(len, fragments[0].values())) > 50 and fragments[0] == fragments[1]
    pages = sum(part["pages"] for part in manifests[0]["parts"])
    assert sum(map(len, fragments[0].values())) == pages
    # The fast build streamed its pages to Pagefind; it did not fall back to indexing the finished site.
    assert f"Pagefind indexed {pages} pages in {len(manifests[0]['parts'])} parts" in fast_log
    assert "indexing the built site instead" not in fast_log


def test_pagefind_gets_the_marked_article_in_the_pages_html_element() -> None:
    from build_edition.search_stream import indexed_part

    page = ('<!doctype html><html lang="en" class="no-js"><head><title>T</title></head><body><nav>'
            '<span>data-pagefind-body</span></nav><article class="md-typeset" data-pagefind-body><h1>Alpha</h1>'
            '<article><p>inner</p></article></article><footer>F</footer></body></html>')
    assert indexed_part(page) == ('<html lang="en" class="no-js"><head><meta charset="utf-8"></head><body>'
                                  '<article class="md-typeset" data-pagefind-body><h1>Alpha</h1>'
                                  '<article><p>inner</p></article></article></body></html>')
    unmarked = '<html lang="en"><body><article class="md-typeset"><p>data-pagefind-body</p></article></body></html>'
    assert indexed_part(unmarked) == unmarked
