"""MkDocs hook: render the site's navigation once per folder of pages that are not in it.

Material draws the whole navigation tree (``partials/nav.html``) on every page: a third of the
template of a document page (2.2 ms of CPU with it, 1.44 ms without), some 8 s of CPU of a build
of 10,000 sources. The edition's document pages, register entries and chronology pages are
reached through the chronology and the indexes, not the navigation (mkdocs.yml), so on all of
them the tree is the same: no item of it is the page or holds it (none is marked active), and
its links are relative to the page's address, which among pages of one folder (``documents/*/``) gives the same
links as long as no link of the tree points into the page's own folder.

So for a page that is not in the navigation, this hook renders the tree once for each
folder that holds such pages, and gives every other page of that folder the same HTML:
the template's render function is wrapped (``on_env``), for the build that made that
template. A page of the navigation, or one whose folder the tree links into, is rendered
as before. The site is the same byte for byte (tests/test_build_speedups.py builds it with
and without this hook).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from typing import Any

NAV_TEMPLATE = "partials/nav.html"


def on_env(env, config, files):  # noqa: ANN001, ANN201, ARG001 - MkDocs' signature
    template = env.get_template(NAV_TEMPLATE)
    template.root_render_func = _memoized(template.root_render_func)
    return env


def _memoized(render: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    """``render``, whose output is kept for each folder of pages outside the navigation."""
    rendered: dict[str, str] = {}
    links: dict[int, tuple[frozenset[int], tuple[str, ...]]] = {}

    def memoized(context: Any) -> Iterator[str]:
        key = _folder_key(context, links)
        if key is None:
            yield from render(context)
            return
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = "".join(render(context))
        yield html

    return memoized


def _folder_key(context: Any, links: dict[int, tuple[frozenset[int], tuple[str, ...]]]) -> str | None:
    """The folder whose pages all get this page's tree (``documents/*/``, ``reports/``), or None if
    this page must have its own."""
    page, nav = context.get("page"), context.get("nav")
    if page is None or nav is None or not isinstance(page.url, str) or page.url in ("", "."):
        return None
    if id(nav) not in links:
        links.clear()
        links[id(nav)] = (frozenset(id(p) for p in nav.pages), _tree_urls(nav))
    in_tree, urls = links[id(nav)]
    if id(page) in in_tree or page.parent is not None:
        return None
    if not page.url.endswith("/"):  # a page written as a file (``a/b.html``): links are relative to its folder
        return posixpath.dirname(page.url) + "/"
    if any(url.startswith(page.url) for url in urls):
        return None
    # A page written as a folder (``documents/a/``): from it, links that stay out of it are those of its siblings.
    return posixpath.dirname(page.url.rstrip("/")) + "/*/"


def _tree_urls(nav: Any) -> tuple[str, ...]:
    """Every address the tree links to: its pages, links and sections' pages (MkDocs' form, no leading slash)."""
    urls: list[str] = []

    def walk(items: Any) -> None:
        for item in items:
            url = getattr(item, "url", None)
            if isinstance(url, str):
                urls.append(url.lstrip("/"))
            walk(getattr(item, "children", None) or ())

    walk(nav.items)
    if nav.homepage is not None:
        urls.append(nav.homepage.url)
    return tuple(urls)
