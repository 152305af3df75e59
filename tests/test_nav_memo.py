"""The navigation tree is drawn once per folder of pages outside it, and anew wherever it could differ.

tests/test_build_speedups.py shows the site is the same with the hook as without it; these
tests show the hook reuses the tree where it should (else it would be a speed-up in name only)
and draws it again for a page of the navigation and for a page whose folder the tree links into.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from build_edition.nav_memo import _memoized


def _page(url: str, parent: Any = None) -> SimpleNamespace:
    return SimpleNamespace(url=url, parent=parent)


HOME, METHOD = _page(""), _page("method/")
SECTION = SimpleNamespace(url=None, children=[_page("registers/persons/")])
NAV = SimpleNamespace(pages=[HOME, METHOD, *SECTION.children], items=[HOME, METHOD, SECTION], homepage=HOME)


def _counting() -> tuple[list[str], Any]:
    drawn: list[str] = []

    def render(context: dict[str, Any]) -> Iterator[str]:
        url = getattr(context["page"], "url", "no page")
        drawn.append(url)
        yield "<nav>"
        yield url  # stands for what differs from page to page
        yield "</nav>"

    return drawn, _memoized(render)


def _draw(memoized: Any, page: Any) -> str:
    return "".join(memoized({"page": page, "nav": NAV}))


def test_pages_of_one_folder_outside_the_navigation_share_one_drawing() -> None:
    drawn, memoized = _counting()
    first, second = _page("documents/a/"), _page("documents/b/")
    assert _draw(memoized, first) == "<nav>documents/a/</nav>"
    assert _draw(memoized, second) == "<nav>documents/a/</nav>"  # the folder's drawing
    assert drawn == ["documents/a/"]
    _draw(memoized, _page("chronology/1950/"))
    _draw(memoized, _page("reports/flags.html"))
    _draw(memoized, _page("reports/other.html"))
    assert drawn == ["documents/a/", "chronology/1950/", "reports/flags.html"]


def test_pages_of_the_navigation_and_pages_it_links_into_are_drawn_each_time() -> None:
    drawn, memoized = _counting()
    for _ in range(2):
        _draw(memoized, METHOD)
        _draw(memoized, _page("registers/"))  # the tree links to registers/persons/, inside this page's folder
        _draw(memoized, _page("registers/persons/shtykov/", parent=SECTION))
        _draw(memoized, None)
    assert drawn == ["method/", "registers/", "registers/persons/shtykov/", "no page"] * 2


def test_each_build_draws_its_own() -> None:
    drawn, first_build = _counting()
    _, second_build = _counting()
    _draw(first_build, _page("documents/a/"))
    assert _draw(second_build, _page("documents/b/")) == "<nav>documents/b/</nav>"
    assert drawn == ["documents/a/"]
