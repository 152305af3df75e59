"""The browser checks can fail: the same checks against a site built without what they look for.

A copy of the project is built with content.footnote.tooltips and the search hook (Pagefind's
index) taken out of mkdocs.yml, and with one hand-written page that logs an error, fetches a
missing image and reaches outside the site. Every check must then report the failure it exists
to catch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, TELEGRAM, SiteServer, Watch, build_site, copy_project
from edition_checks import SEARCH_STATUS, expect_found, expect_tooltip, footnote_ref, search
from test_print import check_order, check_print
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REMOVED = ["    - content.footnote.tooltips\n", "  - build_edition/search_hook.py\n"]
BROKEN_PAGE = """# A broken page

<img src="missing.png" alt="A missing image">
<img src="https://example.org/elsewhere.png" alt="An image from elsewhere">
<script>console.error("planted error");</script>
"""


def without(config: str, lines: list[str]) -> str:
    for line in lines:
        assert config.count(line) == 1, f"mkdocs.yml no longer has {line.strip()!r}: update this test"
        config = config.replace(line, "")
    return config.replace("plugins:\n\n", "plugins: []\n\n")


@pytest.fixture(scope="module")
def crippled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    project = copy_project(tmp_path_factory.mktemp("crippled"))
    config = project / "mkdocs.yml"
    config.write_text(without((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), REMOVED), encoding="utf-8")
    (project / "docs" / "broken.md").write_text(BROKEN_PAGE, encoding="utf-8")
    with SiteServer(project / "site") as server:
        build_site(project, project / "site", site_url=server.base_url)
        yield server


@pytest.fixture
def watch(crippled: SiteServer) -> Watch:
    """The page fixture watches this module's site, not the real one."""
    return Watch(origin=crippled.origin)


def test_without_footnote_tooltips_the_tooltip_check_fails(page: Page, crippled: SiteServer) -> None:
    page.goto(crippled.base_url + TELEGRAM)
    footnote_ref(page, 7).hover()
    with pytest.raises(AssertionError, match="opens no tooltip"):
        expect_tooltip(page, 7, "Supplied words", timeout=1_500)


def test_without_the_search_index_the_search_checks_fail(page: Page, crippled: SiteServer, watch: Watch) -> None:
    assert not (Path(crippled.root) / "pagefind").exists()
    page.goto(crippled.base_url)
    search(page, "Incheon")
    expect(page.locator(SEARCH_STATUS)).to_have_text(re.compile("could not be loaded"))
    with pytest.raises(AssertionError, match="search does not find"):
        expect_found(page, TELEGRAM, timeout=1_000)
    assert any(p.startswith("failed request") and "pagefind.js" in p for p in watch.problems()), watch.problems()


def test_without_the_search_box_the_search_check_fails(page: Page, crippled: SiteServer) -> None:
    page.goto(crippled.base_url)
    page.evaluate("document.querySelector('[data-edition-search-box]').remove()")
    with pytest.raises(AssertionError, match="no search field"):
        search(page, "Incheon")


def test_a_page_with_errors_and_foreign_requests_is_caught(page: Page, crippled: SiteServer, watch: Watch) -> None:
    page.goto(crippled.base_url + "broken/")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".md-content h1")).to_contain_text("A broken page")
    problems = watch.problems()
    assert any("planted error" in p for p in problems), problems
    assert any(p.startswith("failed request") and "missing.png" in p for p in problems), problems
    assert any(p.startswith("request outside") and "example.org" in p for p in problems), problems


def test_without_the_print_rules_the_print_checks_fail(page: Page, crippled: SiteServer, tmp_path: Path) -> None:
    # Material's own print style hides the navigation: the edition's rules order the page.
    page.route("**/assets/edition.css", lambda route: route.fulfill(status=200, body="", content_type="text/css"))
    printed = check_print(page, crippled.base_url, tmp_path / "unstyled.pdf")
    # (The apparatus prints before the text.)
    with pytest.raises(AssertionError, match="the apparatus does not follow the text"):
        check_order(printed, crippled.base_url)
    # And navigation that does get printed is caught.
    page.unroute("**/assets/edition.css")
    page.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
        const style = document.createElement('style');
        style.textContent = '@media print { .md-sidebar--primary { display: block !important; } }';
        document.head.append(style); });""")
    with pytest.raises(AssertionError, match="navigation or search chrome printed"):
        check_print(page, crippled.base_url, tmp_path / "with-nav.pdf")
