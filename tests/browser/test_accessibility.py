"""Accessibility: axe-core on every kind of page, footnotes by keyboard there and back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import AXE, TELEGRAM, skip_or_fail
from edition_checks import footnote_ref, tab_to, wait_for_results
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# One page of each kind the edition generates, the home page and a telegram page first.
PAGES = [
    "",
    TELEGRAM,
    "documents/1950-09-29-kim-pak-letter-cable-600308/",
    "chronology/",
    "chronology/1950/",
    "indexes/",
    "registers/",
    "registers/persons/",
    "registers/persons/stalin/",
    "registers/organizations/",
    "registers/places/pyongyang/",
    "registers/correspondence/",
    "registers/who-saw-what/",
    "registers/copies/stalin/",
    "registers/map/",
    "reports/unregistered-names/",
    "indexes/numbers/",
    "indexes/archives/",
    "tags/",
    "method/",
    "reports/flags/",
    "reports/diagnostics/",
    "search/?q=Incheon",
    "search/?sender=Shtykov&from=1950-09-01",
]
# The dark scheme too where the edition's own colours are: the text and the apparatus.
CHECKED = ([(path, "light") for path in PAGES] + [(path, "dark") for path in PAGES[:3]]
           + [("search/?q=Incheon", "dark")])
BLOCKING = {"serious", "critical"}


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core (WCAG 2.x A and AA rules and best practices) on the page as it is shown."""
    if not AXE.is_file():
        skip_or_fail(f"axe-core is not installed at {AXE}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
        resultTypes: ['violations']})""")
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return json.dumps([{"rule": v["id"], "impact": v["impact"], "help": v["help"],
                        "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations], indent=1)


@pytest.mark.parametrize(("path", "scheme"), CHECKED)
def test_no_serious_or_critical_axe_violations(page: Page, base_url: str, path: str, scheme: str,
                                              artifacts: Path) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("search/"):
        wait_for_results(page)  # the results and the lists of facets drawn
    violations = axe_violations(page)
    name = re.sub(r"[^\w-]+", "_", path.strip("/")) or "home"
    report = artifacts / "axe" / f"{scheme}-{name}.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(violations, indent=1))
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], describe(blocking)


def test_axe_finds_a_planted_violation(page: Page, base_url: str) -> None:
    """The check itself: an image without text and unreadable grey text are caught."""
    page.goto(base_url + TELEGRAM)
    page.evaluate("""() => {
        const p = document.querySelector('.md-content p');
        p.insertAdjacentHTML('beforeend', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            + '<span style="color:#eee;background:#fff">faint</span>');
    }""")
    rules = {v["id"] for v in axe_violations(page) if v["impact"] in BLOCKING}
    assert {"image-alt", "color-contrast"} <= rules


def test_a_footnote_is_reached_and_left_by_keyboard(page: Page, base_url: str) -> None:
    page.goto(base_url + TELEGRAM)
    tab_to(page, 'a.footnote-ref[href$="#fn:7"]')
    # Material (9.8.1) records the scroll offset in history.state 100 ms after scrolling stops; an
    # in-page link followed before that restores the old offset instead of going to the anchor.
    # A person does not press Enter within 100 ms of the focus scrolling the page: wait as they do.
    page.wait_for_timeout(300)
    # (The address bar is not checked: navigation.tracking rewrites the hash to the section.)
    page.keyboard.press("Enter")
    note = page.locator('li[id="fn:7"]')
    expect(note).to_be_in_viewport()
    # The next Tab goes on from the note: to its return link.
    page.keyboard.press("Tab")
    back = note.locator("a.footnote-backref")
    expect(back).to_be_focused()
    # Material's tooltips move the link's title into a description (aria-describedby).
    expect(back).to_have_accessible_description("Jump back to footnote 7 in the text")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    expect(footnote_ref(page, 7)).to_be_in_viewport()
    # Keyboard reading goes on from where the reader left: the reference itself.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('sup') ? document.activeElement.href : null")
    assert focused and focused.endswith("#fn:7"), "Tab after returning does not go on from the reference"
