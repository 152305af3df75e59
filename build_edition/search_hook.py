"""MkDocs hook: index the built site with Pagefind, in the same ``mkdocs build``.

``mkdocs build`` indexes the whole site after writing it (``on_post_build``).
Under ``mkdocs serve`` (live preview) indexing on every save would slow each
reload, so the index of the first build is kept beside the preview's site
folder and copied back after each rebuild; the search page says so.
MkDocs reloads this file with the configuration at every rebuild, so the
serve mode is remembered in the environment (``EDITION_LIVE_PREVIEW``), which
also lets a build be run as a preview would (tests do).

A full ``mkdocs build`` hands each page to Pagefind as soon as it is written
(``search_stream.py``): Pagefind parses it on the other core while MkDocs renders the
next, and writes the index in parts of a bounded number of pages (``search_parts.py``),
each part as soon as its pages are in. A ``--dirty`` build renders only some pages,
so it indexes the finished site instead, as any build does when the stream fails.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from build_edition.search_index import (BROWSE_WORD, DOCUMENT_KIND, LAST_DATE, LAST_NUMBER, IndexReport,
                                        SearchIndexError, index_site, keep_or_index)
from build_edition.search_parts import IndexedPage
from build_edition.search_feeder import StreamingIndex

log = logging.getLogger("mkdocs.hooks.search")
LIVE_PREVIEW = "EDITION_LIVE_PREVIEW"
KEPT = "EDITION_LIVE_PREVIEW_KEPT"


def live_preview() -> bool:
    return os.environ.get(LIVE_PREVIEW, "") == "1"


class _Session:
    """Whether this process serves a live preview. MkDocs calls on_startup and on_shutdown on the
    first loading of this file only, so this survives until on_shutdown (on_post_build, on a
    reloaded copy, reads the environment instead)."""

    serving = False
    # A full ``mkdocs build`` (every page rendered): its pages are indexed as they come.
    streams = False
    stream: StreamingIndex | None = None


def on_startup(command: str, dirty: bool) -> None:
    if command == "serve":
        os.environ[LIVE_PREVIEW] = "1"
        _Session.serving = True
    _Session.streams = command == "build" and not dirty


def on_config(config):  # noqa: ANN001, ANN201 - MkDocs passes and expects its config object
    config.extra["edition_search_live_preview"] = live_preview()
    # For the templates (overrides/partials/edition-search-*.html): see search_index.
    config.extra["edition_search"] = {"browse": BROWSE_WORD, "last_date": LAST_DATE, "last_number": LAST_NUMBER}
    return config


def kept_index(site_dir: Path) -> Path:
    """Where the live preview keeps its index: beside the site folder, which MkDocs empties."""
    return site_dir.with_name(site_dir.name + ".edition-search")


def on_pre_build(config) -> None:  # noqa: ANN001 - MkDocs passes its config object
    if _Session.streams and not live_preview():
        try:
            _Session.stream = StreamingIndex(Path(config.site_dir))
        except SearchIndexError as exc:  # a setting it cannot take: said loudly (it fails --strict)
            log.warning(f"search: {exc}; the site is indexed once built")


def on_env(env, config, files):  # noqa: ANN001, ANN201, ARG001 - MkDocs' signature
    """MkDocs has read every page and renders them next: the stream learns the document pages."""
    if _Session.stream is not None:
        _Session.stream.plan(document_pages(files))
    return env


def document_pages(files) -> list[IndexedPage]:  # noqa: ANN001 - MkDocs' Files
    """The document pages of the site with their date keys, from their front matter
    (``edition_search``, search_index.front_matter_entry), as Pagefind will read them."""
    pages = []
    for file in files.documentation_pages():
        record = (file.page.meta or {}).get("edition_search") if file.page is not None else None
        if record and DOCUMENT_KIND in (record.get("filters") or {}).get("kind", []):
            date = str((record.get("sort") or {}).get("date", LAST_DATE)).strip()
            pages.append(IndexedPage(dest_uri=file.dest_uri, marked=True, document=True, date=date))
    return pages


def on_post_page(output: str, page, config) -> str:  # noqa: ANN001 - MkDocs passes its page and config
    if _Session.stream is not None:
        _Session.stream.add(page.file.dest_uri)  # read back once MkDocs has written it
    return output


def on_build_error(error: Exception) -> None:  # noqa: ARG001 - MkDocs' signature
    stream, _Session.stream = _Session.stream, None
    if stream is not None:
        stream.abort()


def _index(site_dir: Path) -> IndexReport:
    stream, _Session.stream = _Session.stream, None
    if live_preview():
        os.environ[KEPT] = str(kept_index(site_dir))
        return keep_or_index(site_dir, kept_index(site_dir))
    if stream is not None:
        try:
            return stream.finish()
        except SearchIndexError as exc:
            log.info(f"search: {exc}; indexing the built site instead")
    return index_site(site_dir)


def on_post_build(config) -> None:  # noqa: ANN001 - MkDocs passes its config object
    site_dir = Path(config.site_dir)
    try:
        report = _index(site_dir)
    except SearchIndexError as exc:
        # A site without search is still an edition: say so loudly (it fails --strict).
        log.warning(f"search: {exc}")
        return
    if report.kept:
        log.info("search: live preview: kept the search index of the first build (mkdocs build rebuilds it)")
    else:
        log.info(f"search: Pagefind indexed {report.pages} pages in {report.parts} parts in {report.seconds:.1f} s")


def on_shutdown() -> None:
    """The end of a live preview: drop its kept index (MkDocs removes the site folder itself)."""
    kept = os.environ.get(KEPT)
    if _Session.serving and kept:
        shutil.rmtree(kept, ignore_errors=True)
