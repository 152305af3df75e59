"""What a reader does on the edition's pages, as small checks shared by the browser tests.

Each check raises AssertionError (Playwright's ``expect``) when the reader would not
see what they should, so the same check serves the tests and their negative runs.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

TOOLTIP = ".md-tooltip2.md-tooltip2--active"


def heading(title: str) -> re.Pattern[str]:
    """A page title as the h1 shows it: the text, then perhaps the permalink sign."""
    return re.compile("^" + re.escape(title) + "\u00b6?$")


def section_table(page: Page, heading_id: str) -> Locator:
    """The table that directly follows the heading ``heading_id`` (Material wraps it in divs)."""
    return page.locator(f"xpath=//*[@id='{heading_id}']/following-sibling::*[1]/descendant-or-self::table")


def footnote_ref(page: Page, number: int) -> Locator:
    # Material's instant loading makes in-page links absolute: match the end of the address.
    return page.locator(f'a.footnote-ref[href$="#fn:{number}"]')


def note_text(page: Page, number: int) -> str:
    """The note's own text, as its list item in the Notes section gives it (without the return link)."""
    item = page.locator(f'li[id="fn:{number}"]')
    return item.evaluate("""li => { const c = li.cloneNode(true);
        c.querySelectorAll('.footnote-backref').forEach(a => a.remove());
        return c.innerText.replace(/\\s+/g, ' ').trim(); }""")


def expect_tooltip(page: Page, number: int, kind: str | None, timeout: float = 5_000) -> None:
    """The footnote tooltip is on screen and shows note ``number``, starting with its kind."""
    ref = footnote_ref(page, number)
    # Material ties a tooltip to its reference (aria-controls) when it first shows it.
    expect(ref, f"footnote reference {number} opens no tooltip").to_have_attribute(
        "aria-controls", re.compile(r"\S"), timeout=timeout)
    tooltip_id = ref.get_attribute("aria-controls")
    tooltip = page.locator(f'[id="{tooltip_id}"]{TOOLTIP}')
    expect(tooltip, f"no tooltip for note {number}").to_be_visible(timeout=timeout)
    expect(tooltip).to_be_in_viewport()
    shown = re.sub(r"\s+", " ", tooltip.inner_text()).replace("\u21a9", "").strip()
    assert shown == note_text(page, number), f"tooltip shows {shown!r}"
    if kind is not None:
        assert shown.startswith(kind), f"note {number} does not say its kind {kind!r}: {shown!r}"


def tab_to(page: Page, selector: str, limit: int = 400, key: str = "Tab") -> None:
    """Press Tab (from where the focus is: the top of a page just opened) until ``selector`` has it.

    ``key="Shift+Tab"`` goes backwards.
    """
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reached by {limit} presses of Tab")


def search(page: Page, query: str) -> None:
    """Search from the header's box as a reader does: click it, type ``query``, press Enter.

    The box opens the edition's search page (Pagefind) with the query in its address.
    """
    field = page.locator("input#edition-search-box-input")
    expect(field, "the page has no search field").to_be_visible(timeout=2_000)
    field.click()
    expect(field).to_be_focused()
    page.keyboard.type(query, delay=20)
    page.keyboard.press("Enter")


SEARCH_STATUS = "[data-edition-search-status]"
RESULT = ".edition-search__list a.edition-search__title"


def wait_for_results(page: Page, timeout: float = 10_000) -> str:
    """Wait until the search page has answered (its status says how many match); return the status."""
    status = page.locator(SEARCH_STATUS)
    expect(status, "the search page did not answer").to_have_text(re.compile(r"match(?:es)?\.|No pages match"), timeout=timeout)
    return status.inner_text()


def result_paths(page: Page) -> list[str]:
    """The site paths (``documents/ID/``) of the results shown, in order, without the highlight query."""
    hrefs = page.locator(RESULT).evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    return [h.split("/telegram-edition/", 1)[-1] for h in hrefs]


def result_link(page: Page, path: str) -> Locator:
    """A search result linking to the page at ``path`` (relative to the site root)."""
    return page.locator(f'{RESULT}[href*="/{path}"]').first


def expect_found(page: Page, path: str, timeout: float = 10_000) -> None:
    expect(result_link(page, path), f"search does not find {path}").to_be_visible(timeout=timeout)
