"""What a reader sees: the home page, a telegram page, footnote tooltips, search, navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TELEGRAM, Watch, html_pages
from edition_checks import (expect_found, expect_tooltip, footnote_ref, heading, result_link, search,
                            section_table, tab_to, wait_for_results)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def document_ids(site_dir: Path) -> list[str]:
    return sorted(p.parent.name for p in (site_dir / "documents").glob("*/index.html"))


def test_home_shows_the_edition_by_year_and_the_chronology_opens_every_telegram_in_order(
        page: Page, base_url: str, site_dir: Path, watch: Watch, artifacts: Path) -> None:
    page.goto(base_url)
    table = section_table(page, "documents-by-year")
    expect(table).to_be_visible()
    years = [t.strip() for t in table.locator("tbody tr td:first-child").all_inner_texts()]
    assert years == ["1950", "1952"]
    page.screenshot(path=artifacts / "home.png", full_page=True)
    hrefs: list[str] = []
    for year in years:
        table.get_by_role("link", name=year).click()
        expect(page.locator(".md-content h1")).to_have_text(heading(f"Documents of {year}"))
        links = page.locator(".md-content ul li a")
        hrefs += links.evaluate_all("as => as.map(a => a.href)")
        page.go_back()
        expect(page).to_have_url(base_url)
    assert sorted(h.rsplit("/", 2)[-2] for h in hrefs) == document_ids(site_dir)

    # the chronology's order is the documents' own: each page's "Next" and "Previous" name its neighbours
    def sequence(href: str) -> dict[str, str]:
        page.goto(href)
        return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.edition-sequence p')]
            .map(p => [p.textContent.split(':')[0].trim(), p.querySelector('a').href]))""")
    sequences = [sequence(h) for h in hrefs]
    assert [s.get("Next") for s in sequences] == [*hrefs[1:], None], "Next does not follow the chronology"
    assert [s.get("Previous") for s in sequences] == [None, *hrefs[:-1]], "Previous does not go back"
    assert watch.problems() == []


def test_telegram_page_shows_transmission_distribution_text_and_citation(
        page: Page, base_url: str, watch: Watch, artifacts: Path) -> None:
    page.goto(base_url + TELEGRAM)
    expect(page.locator(".md-content h1")).to_have_text(heading(
        "Ciphered Telegram, Shtykov to Deputy Foreign Minister Andrei Gromyko and Instantsia (Stalin)"))
    transmission = section_table(page, "transmission-record")
    expect(transmission).to_be_visible()
    expect(transmission.locator("thead")).to_contain_text("Date and time")
    steps = [s.strip() for s in transmission.locator("tbody tr td:first-child").all_inner_texts()]
    assert steps == ["Sent", "Received", "Received", "Deciphered", "Typed"]
    expect(transmission.locator("tbody tr").first).to_contain_text("1950-09-29 20:23")

    distribution = section_table(page, "distribution")
    expect(distribution).to_be_visible()
    stalin = distribution.locator("tbody tr", has_text="Stalin")
    expect(stalin.locator("td").nth(1)).to_have_text("2")
    expect(distribution.locator("tbody tr")).to_have_count(11)

    expect(page.locator("#text")).to_be_visible()
    expect(page.get_by_text("I met KIM IL SUNG upon his request")).to_be_visible()
    citation = page.locator("xpath=//*[@id='citation']/following-sibling::p[1]")
    expect(citation).to_contain_text("Wilson Center Digital Archive, APRF, fond 45, opis 1, delo 347")
    expect(page.locator('a[href="https://digitalarchive.umd.edu/document/113657"]')).to_be_visible()
    page.screenshot(path=artifacts / "telegram.png", full_page=True)
    assert watch.problems() == []


@pytest.mark.parametrize(("number", "kind"), [(7, "Supplied words"), (9, "Editor's note"), (1, "Gloss")])
def test_hovering_a_footnote_reference_shows_the_note_and_its_kind(
        page: Page, base_url: str, number: int, kind: str) -> None:
    page.goto(base_url + TELEGRAM)
    footnote_ref(page, number).hover()
    expect_tooltip(page, number, kind)
    page.mouse.move(5, 5)
    expect(page.locator(".md-tooltip2")).to_have_count(0)


def test_keyboard_focus_on_a_footnote_reference_shows_the_note(page: Page, base_url: str) -> None:
    page.goto(base_url + TELEGRAM)
    tab_to(page, 'a.footnote-ref[href$="#fn:9"]')
    expect_tooltip(page, 9, "Editor's note")
    tab_to(page, 'a.footnote-ref[href$="#fn:10"]', limit=12)  # past the names linked to the registers
    expect_tooltip(page, 10, "Supplied words")


def test_every_note_of_every_document_shows_on_hover(page: Page, base_url: str, site_dir: Path) -> None:
    seen = 0
    for doc in document_ids(site_dir):
        page.goto(f"{base_url}documents/{doc}/")
        refs = page.locator("a.footnote-ref")
        for i in range(refs.count()):
            number = int(refs.nth(i).get_attribute("href").rpartition("#fn:")[2])
            refs.nth(i).hover()
            expect_tooltip(page, number, None)
            kind = page.locator(f'li[id="fn:{number}"] > p > strong').first
            expect(kind, f"note {number} of {doc} names no kind").not_to_be_empty()
            seen += 1
    assert seen >= 20


def test_searching_incheon_finds_the_letters_of_september_1950(page: Page, base_url: str) -> None:
    page.goto(base_url)
    search(page, "Incheon")
    wait_for_results(page)
    for doc in ("1950-09-29-kim-pak-letter-cable-600308", "1950-09-29-kim-pak-letter-via-shtykov"):
        expect_found(page, f"documents/{doc}/")


def test_searching_a_telegram_number_finds_its_telegram_and_opens_it(page: Page, base_url: str) -> None:
    page.goto(base_url)
    search(page, "600301")
    # Its page alone: the number stands in the lists of the chronology and the indexes too, which the search
    # leaves out (search_index.LISTING_CLASS).
    assert wait_for_results(page).startswith("1 page matches.")
    expect_found(page, TELEGRAM)
    result_link(page, TELEGRAM).click()
    expect(page).to_have_url(re.compile(re.escape(base_url + TELEGRAM) + r"\?highlight=600301(#.*)?$"))
    expect(page.locator(".md-content h1")).to_contain_text("Ciphered Telegram, Shtykov to Deputy Foreign Minister")


def test_navigation_loads_pages_instantly_without_a_full_reload(page: Page, base_url: str, watch: Watch) -> None:
    page.goto(base_url)
    # Instant loading takes over links once it has read the sitemap, moments after the load.
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__editionSameDocument = true")
    for label, heading in (("Editorial method", "Editorial method"), ("Chronology", "Chronology")):
        page.locator(".md-nav--primary").get_by_role("link", name=label, exact=True).first.click()
        expect(page.locator(".md-content h1")).to_contain_text(heading)
        assert page.evaluate("window.__editionSameDocument === true"), f"{label}: the page was reloaded"
    page.go_back()
    expect(page.locator(".md-content h1")).to_contain_text("Editorial method")
    assert page.evaluate("window.__editionSameDocument === true")
    assert watch.problems() == []


def test_no_page_logs_an_error_fails_a_request_or_leaves_the_site(
        page: Page, site_dir: Path, base_url: str, watch: Watch) -> None:
    pages = html_pages(site_dir, base_url)
    assert len(pages) > 10
    for url in pages:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        page.wait_for_load_state("networkidle")
    assert watch.problems() == []
