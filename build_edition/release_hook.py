"""MkDocs hook: let go of each page's Markdown and HTML once MkDocs no longer needs them.

MkDocs converts every page first and applies the templates to every page next, and it
keeps each page's Markdown source (``page.markdown``) and its HTML (``page.content``)
on the page object until the build ends. With thousands of document pages that is
the largest part of the build's memory after the navigation. Here the Markdown goes
once converted (``on_page_content``) and the HTML once the page is written out
(``on_post_page``; the written page itself went to Pagefind, search_hook.py, first).

``page.markdown`` becomes an empty string, not None: MkDocs takes a page whose Markdown
is None for one never read, and gives it no title.
"""

from __future__ import annotations


def on_page_content(html: str, page, config, files) -> str:  # noqa: ANN001, ARG001 - MkDocs' signature
    page.markdown = ""
    return html


def on_post_page(output: str, page, config) -> str:  # noqa: ANN001, ARG001 - MkDocs' signature
    page.content = None
    return output
