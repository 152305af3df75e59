"""MkDocs hook: hold each page's Markdown and HTML no longer, and no larger, than MkDocs needs them.

MkDocs converts every page first and applies the templates to every page next, and it
keeps each page's Markdown source (``page.markdown``) and its HTML (``page.content``)
on the page object until the build ends. With thousands of document pages that is
the largest part of the build's memory. Here the Markdown goes once converted
(``on_page_content``); the HTML waits for the templates compressed (zlib's fastest level:
a fifth of its size), from the conversion of the next page (or the end of the
conversions, ``on_env``) to the page's turn (``on_page_context``, before any template
reads it); and it goes once the page is written out (``on_post_page``; the written page
itself went to Pagefind, search_hook.py, first).

``page.markdown`` becomes an empty string, not None: MkDocs takes a page whose Markdown
is None for one never read, and gives it no title. Pages are told apart by their source
file's path: MkDocs' pages compare by title and file, and are not hashable.
"""

from __future__ import annotations

import zlib
from typing import Any

_LEVEL = 1
_converted: list[Any] = []
"""The page converted last: MkDocs sets its HTML after ``on_page_content``, so it is packed at the next one."""
_waiting: dict[str, bytes] = {}
"""Each converted page's HTML, compressed, by its source path, until its template is applied."""


def on_pre_build(config) -> None:  # noqa: ANN001, ARG001 - MkDocs' signature
    _converted.clear()
    _waiting.clear()


def on_page_content(html: str, page, config, files) -> str:  # noqa: ANN001, ARG001 - MkDocs' signature
    page.markdown = ""
    _pack_converted()
    _converted.append(page)
    return html


def on_env(env, config, files):  # noqa: ANN001, ANN201, ARG001 - MkDocs' signature
    _pack_converted()
    return env


def on_page_context(context, page, config, nav):  # noqa: ANN001, ANN201, ARG001 - MkDocs' signature
    _pack_converted()  # a page converted and built at once (a live preview's single page) is unpacked at once
    packed = _waiting.pop(page.file.src_uri, None)
    if packed is not None:
        page.content = zlib.decompress(packed).decode("utf-8")
    return context


def on_post_page(output: str, page, config) -> str:  # noqa: ANN001, ARG001 - MkDocs' signature
    page.content = None
    return output


def _pack_converted() -> None:
    while _converted:
        page = _converted.pop()
        if isinstance(page.content, str):
            _waiting[page.file.src_uri] = zlib.compress(page.content.encode("utf-8"), _LEVEL)
            page.content = None
