"""The search over an index in parts gives what it gives over whole indexes.

The seed edition is built twice: as always (its five documents are one Pagefind index, its
edition pages another) and with parts of two pages (EDITION_SEARCH_PART_PAGES=2: three parts
of documents, by date, and some fifty of edition pages; build_edition/search_parts.py). The
same searches, run on the search page of each, must find the same pages, with the same
facet counts, and by date or by telegram number in the same order. Pages with the same sort
key (two documents of 29 September 1950; every edition page, which has none) may come in
any order among themselves, so the order is compared as the sequence of the keys the pages
carry (data-pagefind-sort in each built page) along with the set of pages. Relevance is
Pagefind's score within each part, so its order is not compared, only what is found.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SiteServer, build_site
from edition_checks import result_paths, wait_for_results
from helpers import copy_project
from playwright.sync_api import Browser, Page, expect

from build_edition.search_parts import MANIFEST, PART_PAGES_VARIABLE

pytestmark = pytest.mark.browser

SORT_KEY = re.compile(r'data-pagefind-sort="(date|number)">([^<]*)<')
# Words: one in few pages (Incheon), a beginning of it as typed (Inche), one found inside longer
# words in some parts only (Korea, Koreans), two words, punctuation, a phrase, and browsing without words.
SEARCHES = [
    "",
    "?q=Incheon",
    "?q=Inche",
    "?q=Korea",
    "?q=Korea+Stalin",
    "?q=Stalin%27s",
    "?q=%22Kim+Il+Sung%22",
    "?q=Stalin&sort=-date",
    "?kind=Document&sort=number",
    "?q=Shtykov&sort=number",
    "?from=1950-09-30&to=1952-12-31",
    "?sender=Shtykov&sort=-date",
    "?q=telegram&sort=date",
    "?from=1950-01-01&to=1950-09-29&sort=number",
]


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The seed edition built with the search index in parts of two pages, and served."""
    project = copy_project(tmp_path_factory.mktemp("parted-search"))
    with SiteServer(project / "site") as server:
        os.environ[PART_PAGES_VARIABLE] = "2"
        try:
            build_site(project, project / "site", site_url=server.base_url)
        finally:
            del os.environ[PART_PAGES_VARIABLE]
        yield server


@pytest.fixture
def parted_page(browser: Browser) -> Iterator[Page]:
    """A fresh page of its own for the parted site (the page fixture watches the other one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sort_keys(site: Path) -> dict[str, tuple[str, str]]:
    """Each page's date and number sort keys, as the built page gives them to Pagefind."""
    keys = {}
    for path in site.rglob("index.html"):
        found = dict(SORT_KEY.findall(path.read_text(encoding="utf-8")))
        rel = path.parent.relative_to(site).as_posix()
        keys["" if rel == "." else rel + "/"] = (found.get("date", ""), found.get("number", ""))
    return keys


def everything_found(page: Page, url: str) -> tuple[list[str], dict[str, dict[str, int]], str]:
    """Every result of the search at ``url`` in order (all pages of results), the counts of every
    facet (each list opened), and the status line."""
    page.goto(url)
    status = wait_for_results(page)
    more = page.locator("[data-edition-search-more]")
    while more.is_visible():
        count = page.locator(".edition-search__list > li").count()
        more.click()
        expect(page.locator(".edition-search__list > li")).not_to_have_count(count)
    found = result_paths(page)
    for _ in range(20):  # open every list, one at a time (each opening searches again)
        opener = page.locator("button.edition-search__opener:not([disabled])").first
        if not opener.count():
            break
        name = opener.get_attribute("name")
        opener.click()
        expect(page.locator(f'button[name="{name}"]')).to_have_count(0)
    wait_for_results(page)
    counts: dict[str, dict[str, int]] = {}
    for box in page.locator("[data-edition-search-facets] input[type=checkbox]").all():
        label = box.evaluate("b => b.parentElement.textContent")
        counts.setdefault(box.get_attribute("name") or "", {})[box.get_attribute("value") or ""] = int(
            re.search(r"\((\d+)\)\s*$", label).group(1))
    return found, counts, status.split(".")[0]


def test_the_parted_site_has_parts(parted_site: SiteServer, site_dir: Path) -> None:
    import json

    parted = json.loads((Path(parted_site.root) / "pagefind" / MANIFEST).read_text())["parts"]
    whole = json.loads((site_dir / "pagefind" / MANIFEST).read_text())["parts"]
    assert [p["documents"] for p in whole] == [True, False]
    # The five documents: 29 September 1950 (two), 30 September and 9 October 1950, 16 July 1952.
    assert [(p["first_date"], p["last_date"]) for p in parted if p["documents"]] == [
        ("1950-09-29", "1950-09-29"), ("1950-09-30", "1950-10-09"), ("1952-07-16", "1952-07-16")]
    assert len(parted) > 10 and sum(p["pages"] for p in parted) == sum(p["pages"] for p in whole)


@pytest.mark.parametrize("query", SEARCHES)
def test_the_same_search_over_parts_finds_the_same(page: Page, parted_page: Page, base_url: str, site_dir: Path,
                                                   parted_site: SiteServer, query: str) -> None:
    whole = everything_found(page, base_url + "search/" + query)
    parted = everything_found(parted_page, parted_site.base_url + "search/" + query)
    assert whole[0], f"{query}: nothing found, nothing compared"
    assert sorted(parted[0]) == sorted(whole[0]) and len(parted[0]) == len(whole[0])
    assert parted[2] == whole[2]  # "N pages match"
    assert parted[1] == whole[1] and len(whole[1]) >= 10  # every facet's counts
    sort = re.search(r"sort=(-?\w+)", query)
    key = {"date": 0, "-date": 0, "number": 1}.get(sort.group(1) if sort else ("date" if "q=" not in query else ""))
    if key is not None:
        keys = sort_keys(site_dir)
        assert [keys[p][key] for p in parted[0]] == [keys[p][key] for p in whole[0]]


def test_a_date_range_loads_only_the_parts_it_meets(parted_page: Page, parted_site: SiteServer) -> None:
    page = parted_page
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(parted_site.base_url + "search/?from=1952-01-01")
    expect(page.locator("[data-edition-search-status]")).to_have_text(re.compile("^1 page matches"))
    assert result_paths(page) == ["documents/1952-07-16-kim-to-stalin-armistice-502597/"]
    parts = {m.group(1) for m in (re.search(r"/pagefind/parts/(\d+)/", u) for u in asked) if m}
    assert parts == {"02"}, sorted(parts)  # the part of 1952; the top one too, for Pagefind's scripts
    assert any(u.endswith("/pagefind/wasm.en.pagefind") for u in asked)
