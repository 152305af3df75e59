"""The "Cite this document" box as a reader uses it: read, copy by keyboard, download, after instant navigation."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from conftest import TELEGRAM, Watch
from edition_checks import tab_to
from playwright.sync_api import Page, expect
from test_accessibility import BLOCKING, axe_violations, describe

pytestmark = pytest.mark.browser

TITLE = "Ciphered Telegram, Shtykov to Deputy Foreign Minister Andrei Gromyko and Instantsia (Stalin)"
DOC_ID = TELEGRAM.strip("/").split("/")[-1]


def allow_clipboard(page: Page, base_url: str) -> None:
    origin = re.match(r"https?://[^/]+", base_url)
    assert origin is not None
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin.group(0))


def clipboard(page: Page) -> str:
    return page.evaluate("() => navigator.clipboard.readText()")


def test_the_box_shows_three_styles_naming_the_archive_and_the_pages_address(
        page: Page, base_url: str, watch: Watch, artifacts: Path) -> None:
    page.goto(base_url + TELEGRAM)
    box = page.locator(".edition-cite")
    expect(box).to_be_visible()
    labels = box.locator(".edition-cite-label").all_inner_texts()
    assert labels == ["Chicago (notes and bibliography)", "MLA", "APA"]
    for ident in ("cite-chicago-note", "cite-chicago-entry", "cite-mla-entry", "cite-apa-entry"):
        text = page.locator(f"#{ident}").inner_text()
        assert TITLE in text, ident
        assert "fond 45, opis 1, delo 347, listy 46-49" in text.lower() and "APRF" in text, ident
        assert base_url + TELEGRAM in text, ident  # the permanent address is where the site is served
    expect(page.locator("#cite-apa-entry i")).to_have_text(TITLE)  # APA italicizes the title
    expect(box.get_by_role("button", name=re.compile("^Copy"))).to_have_count(4)
    box.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "citation-box.png", full_page=False)
    assert watch.problems() == []


def test_a_citation_is_copied_with_the_keyboard(page: Page, base_url: str, watch: Watch) -> None:
    allow_clipboard(page, base_url)
    page.goto(base_url + TELEGRAM)
    tab_to(page, 'button[data-edition-copy="cite-mla-entry"]')
    page.keyboard.press("Enter")
    status = page.locator(".edition-cite-status")
    expect(status).to_have_text("Copied the MLA citation.")
    assert clipboard(page) == page.locator("#cite-mla-entry").inner_text()
    page.keyboard.press("Shift+Tab")  # back to the Chicago bibliography's button, pressed with Space
    expect(page.locator(":focus")).to_have_attribute("data-edition-copy", "cite-chicago-entry")
    page.keyboard.press("Space")
    expect(status).to_have_text("Copied the Chicago bibliography entry.")
    copied = clipboard(page)
    assert copied.startswith("Shtykov. “Ciphered Telegram") and copied.endswith(base_url + TELEGRAM + ".")
    assert watch.problems() == []


def test_copying_works_after_instant_navigation(page: Page, base_url: str, watch: Watch) -> None:
    allow_clipboard(page, base_url)
    page.goto(base_url + "chronology/1950/")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__editionSameDocument = true")
    page.locator(".md-content").get_by_role("link", name=TITLE).first.click()
    expect(page.locator(".md-content h1")).to_contain_text("Ciphered Telegram, Shtykov to Deputy")
    assert page.evaluate("window.__editionSameDocument === true"), "the page was reloaded: not instant navigation"
    page.get_by_role("button", name="Copy the APA citation").click()
    expect(page.locator(".edition-cite-status")).to_have_text("Copied the APA citation.")
    assert clipboard(page).startswith("Shtykov. (1950). Ciphered Telegram, Shtykov to Deputy Foreign Minister")
    assert watch.problems() == []


def test_the_downloads_are_what_reference_managers_read(page: Page, base_url: str, watch: Watch) -> None:
    page.goto(base_url + TELEGRAM)
    downloads = {}
    for name, ext in (("BibTeX (.bib)", "bib"), ("RIS (.ris)", "ris"), ("CSL-JSON (.json)", "json")):
        with page.expect_download() as info:
            page.get_by_role("link", name=name).click()
        download = info.value
        assert download.suggested_filename == f"{DOC_ID}.{ext}"
        downloads[ext] = Path(download.path()).read_text(encoding="utf-8")
    [entry] = bibtexparser.parse_string(downloads["bib"]).entries
    assert entry.key == DOC_ID and entry["url"] == base_url + TELEGRAM
    [record] = rispy.loads(downloads["ris"])
    assert record["title"] == TITLE and record["urls"] == [base_url + TELEGRAM]
    assert f'"URL": "{base_url + TELEGRAM}"' in downloads["json"]
    assert watch.problems() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_box_has_no_serious_axe_violations_after_a_copy(page: Page, base_url: str, scheme: str) -> None:
    allow_clipboard(page, base_url)
    page.emulate_media(color_scheme=scheme)
    page.goto(base_url + TELEGRAM)
    page.get_by_role("button", name="Copy the Chicago note").click()
    expect(page.locator(".edition-cite-status")).to_have_text("Copied the Chicago note.")
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert blocking == [], describe(blocking)


def test_the_data_page_names_every_table_and_links_its_files(page: Page, base_url: str, watch: Watch) -> None:
    page.goto(base_url + "data/")
    expect(page.locator(".md-content h1")).to_contain_text("Data and citations")
    for name in ("documents.csv", "transmission-events.csv", "distribution.csv", "insertions.csv", "flags.csv",
                 "datapackage.json", "citations.bib", "citations.ris", "citations.json"):
        link = page.locator(".md-content table").first.get_by_role("link", name=name, exact=True)
        expect(link).to_have_count(1)
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.ok, name
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert blocking == [], describe(blocking)
    assert watch.problems() == []
