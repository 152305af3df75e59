"""The edition's search (Pagefind) as a reader uses it on the seed edition.

Expected documents come from reading the seeds: Shtykov signs the two translations of his
cable of 30 September 1950 relaying the Kim–Pak letter of 29 September (600308, and the
export "via Shtykov"), his telegram 600301 of 30 September, and telegram 600382 of
9 October relaying Kim's request; Razuvaev signs 502597 of July 1952. Only 600382 falls
between 1 October and 31 December 1950.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, TELEGRAM, SiteServer, Watch, build_site
from edition_checks import (RESULT, expect_found, result_link, result_paths, search, tab_to,
                            wait_for_results)
from helpers import copy_project
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

LETTERS = ["documents/1950-09-29-kim-pak-letter-cable-600308/", "documents/1950-09-29-kim-pak-letter-via-shtykov/"]
SHTYKOV = sorted(LETTERS + [TELEGRAM, "documents/1950-10-09-kim-to-stalin-training-600382/"])
AUTUMN = ["documents/1950-10-09-kim-to-stalin-training-600382/"]


def facet_box(page: Page, legend: str, value: str):  # noqa: ANN201 - a Playwright Locator
    """The checkbox of ``value`` in the list ``legend``, the list opened first if it is closed."""
    group = page.locator("fieldset.edition-search__facet", has=page.locator("legend", has_text=legend))
    opener = page.locator("button.edition-search__opener", has_text=re.compile("^" + re.escape(legend) + "$"))
    if opener.count():
        opener.click()
        expect(group).to_be_visible()
    return group.get_by_role("checkbox", name=re.compile("^" + re.escape(value) + r" \(\d+\)$"))


def test_searching_incheon_finds_both_translations_of_the_letter(page: Page, base_url: str, watch: Watch) -> None:
    page.goto(base_url + TELEGRAM)
    search(page, "Incheon")
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"search/\?q=Incheon$"))
    wait_for_results(page)
    for path in LETTERS:
        expect_found(page, path)
    # The result says what the document is, from the metadata the page gave the index.
    item = page.locator(".edition-search__result", has=page.locator(f'a[href*="/{LETTERS[1]}"]'))
    expect(item.locator(".edition-search__facts")).to_have_text("29 September 1950 · Ciphered telegram · Shtykov → Gromyko")
    expect(item.locator(".edition-search__reference")).to_contain_text("APRF, fond 45, opis 1, delo 347")
    expect(item.locator(".edition-search__excerpt mark").first).to_have_text(re.compile("^Incheon$", re.I))
    assert watch.problems() == []


def test_the_sender_facet_with_no_words_lists_exactly_his_documents(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/")
    wait_for_results(page)
    facet_box(page, "Sender", "Shtykov").check()
    expect(page).to_have_url(re.compile(r"[?&]sender=Shtykov(&|$)"))
    expect(page.locator("[data-edition-search-status]")).to_have_text(re.compile("^4 pages match"))
    assert sorted(result_paths(page)) == SHTYKOV
    expect(facet_box(page, "Sender", "Shtykov")).to_be_checked()
    expect(facet_box(page, "Sender", "Razuvaev")).to_have_count(0)  # none of his among these
    # The list of years, opened now, counts the pages shown: all four of 1950.
    expect(facet_box(page, "Year", "1950")).to_have_accessible_name("1950 (4)")
    expect(page.locator('input[name="year"]')).to_have_count(1)
    # A long list shows its first eight values and the rest on request; the focus stays on the button.
    facet_box(page, "Persons named", "Shtykov")
    persons = page.locator('input[name="person"]')
    total = persons.count()
    assert total > 8
    expect(persons.locator("visible=true")).to_have_count(8)
    page.get_by_role("button", name=f"Show all {total}").click()
    expect(persons.locator("visible=true")).to_have_count(total)
    expect(page.get_by_role("button", name="Show fewer")).to_be_focused()


def test_a_date_range_narrows_to_the_documents_within_it(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/")
    wait_for_results(page)
    page.fill("#edition-search-from", "1950-10-01")
    page.fill("#edition-search-to", "1950-12-31")
    expect(page).to_have_url(re.compile(r"from=1950-10-01&to=1950-12-31"))
    expect(page.locator("[data-edition-search-status]")).to_have_text(re.compile("^1 page matches"))
    assert result_paths(page) == AUTUMN
    # Days at the edges of a range count: from 30 September the telegram 600301 is in too.
    page.fill("#edition-search-from", "1950-09-30")
    expect(page.locator("[data-edition-search-status]")).to_have_text(re.compile("^2 pages match"))
    assert sorted(result_paths(page)) == sorted([TELEGRAM] + AUTUMN)


def test_the_address_of_a_search_restores_it(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/")
    wait_for_results(page)
    page.fill("#edition-search-q", "Stalin")
    facet_box(page, "Sender", "Shtykov").check()
    page.select_option("#edition-search-sort", "-date")
    page.fill("#edition-search-to", "1950-09-30")
    expect(page).to_have_url(re.compile("sort=-date"))
    wait_for_results(page)
    shown = result_paths(page)
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"q": ["Stalin"], "to": ["1950-09-30"], "sort": ["-date"],
                                                "sender": ["Shtykov"]}

    other = page.context.new_page()
    other.goto(shared)
    wait_for_results(other)
    expect(other.locator("#edition-search-q")).to_have_value("Stalin")
    expect(other.locator("#edition-search-to")).to_have_value("1950-09-30")
    expect(other.locator("#edition-search-sort")).to_have_value("-date")
    expect(facet_box(other, "Sender", "Shtykov")).to_be_checked()
    assert result_paths(other) == shown
    # Latest first: 600301 (30 September) before the two translations of 29 September.
    assert shown[0] == TELEGRAM and sorted(shown[1:]) == LETTERS


def test_sorting_by_telegram_number_puts_documents_without_one_last(page: Page, base_url: str) -> None:
    # 502597/sh, 600301/sh, 600308/sh, 600382/sh; the export "via Shtykov" gives only its outgoing No. 1351.
    page.goto(base_url + "search/?kind=Document&sort=number")
    wait_for_results(page)
    assert result_paths(page) == ["documents/1952-07-16-kim-to-stalin-armistice-502597/", TELEGRAM, LETTERS[0],
                                  "documents/1950-10-09-kim-to-stalin-training-600382/", LETTERS[1]]


def test_edition_pages_have_a_kind_of_their_own(page: Page, base_url: str) -> None:
    # More pages than one screen of results hold "editorial" (the flags report has a page per kind):
    # the edition pages alone, and more of them, until the method page shows.
    page.goto(base_url + "search/?q=editorial&kind=Edition+page")
    wait_for_results(page)
    more = page.locator("[data-edition-search-more]")
    method = page.locator('.edition-search__list a.edition-search__title[href*="/method/"]')
    for _ in range(5):
        if method.count() or not more.is_visible():
            break
        count = page.locator(".edition-search__list > li").count()
        more.click()
        expect(page.locator(".edition-search__list > li")).not_to_have_count(count)
    expect_found(page, "method/")
    page.goto(base_url + "search/?q=editorial")
    wait_for_results(page)
    facet_box(page, "Kind of page", "Document").check()
    wait_for_results(page)
    paths = result_paths(page)
    assert paths and all(p.startswith("documents/") for p in paths), paths


def test_an_opened_result_highlights_the_words(page: Page, base_url: str, watch: Watch) -> None:
    page.goto(base_url + "search/?q=Incheon")
    wait_for_results(page)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__editionSameDocument = true")
    result_link(page, LETTERS[0]).click()
    expect(page).to_have_url(re.compile(re.escape(base_url + LETTERS[0]) + r"\?highlight=incheon$"))
    marks = page.locator("article mark.pagefind-highlight")
    expect(marks.first).to_have_text(re.compile("^Incheon$", re.I))
    # Opened by instant navigation: the search script set the page up without a reload.
    assert page.evaluate("window.__editionSameDocument === true")
    assert watch.problems() == []


def test_the_header_box_works_with_instant_navigation(page: Page, base_url: str, watch: Watch) -> None:
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__editionSameDocument = true")
    page.locator(".md-nav--primary").get_by_role("link", name="Editorial method", exact=True).first.click()
    expect(page.locator(".md-content h1")).to_contain_text("Editorial method")
    search(page, "600301")
    wait_for_results(page)
    expect_found(page, TELEGRAM)
    assert page.evaluate("window.__editionSameDocument === true"), "the search page was loaded anew"
    # Searching again from the header on the search page itself updates it in place.
    page.fill("#edition-search-box-input", "")
    search(page, "Razuvaev")
    expect(page).to_have_url(re.compile(r"\?q=Razuvaev$"))
    expect(result_link(page, "documents/1952-07-16-kim-to-stalin-armistice-502597/")).to_be_visible()
    assert watch.problems() == []


def test_search_by_keyboard_alone(page: Page, base_url: str) -> None:
    page.goto(base_url + "method/")
    page.keyboard.press("/")
    expect(page.locator("#edition-search-box-input")).to_be_focused()
    page.keyboard.type("Incheon")
    page.keyboard.press("Enter")
    wait_for_results(page)
    # Open a list and tick a value with the keyboard; the focus stays on the box while the lists are
    # redrawn. (Opening the list puts the focus on its first box: Shtykov, the one sender of these.)
    tab_to(page, 'button.edition-search__opener[name="open-sender"]')
    page.keyboard.press("Enter")
    expect(page.locator('input[name="sender"][value="Shtykov"]')).to_be_focused()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile("sender=Shtykov"))
    wait_for_results(page)
    expect(page.locator('input[name="sender"][value="Shtykov"]')).to_be_focused()
    expect(page.locator('input[name="sender"][value="Shtykov"]')).to_be_checked()
    # The results come before the lists that narrow them.
    tab_to(page, f'{RESULT}[href*="/{LETTERS[0]}"]', key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(LETTERS[0]) + r"\?highlight=incheon$"))


def test_material_search_is_gone_from_the_build(site_dir: Path) -> None:
    assert not (site_dir / "search" / "search_index.json").exists()
    assert (site_dir / "pagefind" / "pagefind.js").is_file()
    assert "md-search" not in (site_dir / "index.html").read_text(encoding="utf-8")
    # The search page itself is not in the index; every other page (but the 404 page) is.
    assert "data-pagefind-body" not in (site_dir / "search" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in (site_dir / TELEGRAM / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The edition of tests/hostile/ (markup and script in every field), built and served."""
    project = copy_project(tmp_path_factory.mktemp("hostile-search"), seeds=None)
    with SiteServer(project / "site") as server:
        os.environ["EDITION_SEEDS"] = str(ROOT / "tests" / "hostile")
        try:
            build_site(project, project / "site", site_url=server.base_url)
        finally:
            del os.environ["EDITION_SEEDS"]
        yield server


class TestHostileSources:
    @pytest.fixture
    def watch(self, hostile_site: SiteServer) -> Watch:
        """The page fixture watches the hostile site here."""
        return Watch(origin=hostile_site.origin)

    def test_markup_from_sources_shows_as_text_in_results(self, page: Page, hostile_site: SiteServer,
                                                          watch: Watch) -> None:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(hostile_site.base_url + "search/?q=alert")
        status = wait_for_results(page)
        assert not status.startswith("No pages"), status
        results = page.locator(".edition-search__list")
        titles = results.locator("a.edition-search__title").all_inner_texts()
        assert any("<script>alert(1)</script>" in t for t in titles), titles  # shown, as text
        # Nothing from a source became an element: only the result markup and Pagefind's <mark>.
        tags = set(results.evaluate("l => [...l.querySelectorAll('*')].map(e => e.tagName.toLowerCase())"))
        assert tags <= {"li", "a", "p", "mark"}, tags
        page.click('button[name="open-sender"]')
        expect(page.locator('input[name="sender"]').first).to_be_attached()
        facets = page.locator("[data-edition-search-facets]")
        assert facets.locator("script, img, svg, iframe, object").count() == 0
        assert dialogs == []
        assert watch.problems() == []
