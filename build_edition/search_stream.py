"""Index the site with Pagefind while MkDocs renders it, one page at a time.

``index_site`` (search_index.py) runs Pagefind over the finished site, after the
Python process has rendered every page: one core idles while the other works, first
in MkDocs, then in Pagefind. Here Pagefind's service (``pagefind --service``, driven
by the ``pagefind`` package) receives each page as soon as MkDocs has rendered it
(``on_post_page`` in search_hook.py), so parsing the pages for the index runs on the
second core during the build. The index is made in parts of a bounded number of pages
(search_parts.py), each by a Pagefind process of its own: a part of document pages is
written as soon as its pages are in, and the edition's other pages are left for the end.

The pages go to Pagefind in MkDocs' order, one request at a time, from a thread of
their own with its own event loop, in a process of their own (search_feeder.py: in MkDocs'
process, that thread waited for the interpreter's lock while the templates were rendered).
The build hands over only each page's address: the thread reads the page from the site
folder, where MkDocs writes it right after handing it over, once the next address (or the
end) has come, so the page is surely written by then.
So handing a page over never waits for Pagefind (nor for a part being written, nor for the
pages of a later part being read back when that part opens), and no page is held in memory
on its way: the queue holds addresses. The URL of
each page is the one Pagefind gives a file of the site folder (``/a/b/`` for
``a/b/index.html``), so results link where the finished-site indexing linked. Of a
page that marks its indexed part (``data-pagefind-body``, overrides/main.html), only
that part goes to Pagefind, in the page's own ``<html>`` element: Pagefind reads
nothing else of such a page, and the header, navigation and footer are a third of its
bytes (tests/test_build_speedups.py checks that the index stays the same).
"""

from __future__ import annotations

import asyncio
import base64
import json
import queue
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .search_index import BUNDLE_DIR, IndexReport, SearchIndexError, index_config
from .search_parts import (IndexedPage, Part, clear_bundle, document_folder, document_parts, edition_parts,
                           indexed_page, marked_element, part_of, part_size, parts_at_once, write_manifest,
                           write_part_files)

_DONE = None


_HTML_TAG = re.compile(r"<html\b[^<>]*>")


def indexed_part(html: str) -> str:
    """The page as Pagefind needs it: its ``<html>`` tag and the element marked ``data-pagefind-body``.

    A page without the mark (the search page, 404) goes whole: Pagefind decides what to do with it.
    """
    root, marked = _HTML_TAG.search(html), marked_element(html)
    if root is None or marked is None or root.start() > marked.start():
        return html
    closing = f"</{marked.group(1)}>"
    end = html.rfind(closing)
    if end < marked.end():
        return html
    return f'{root.group(0)}<head><meta charset="utf-8"></head><body>{html[marked.start():end + len(closing)]}</body></html>'


def page_url(dest_uri: str) -> str:
    """The address Pagefind gives the file ``dest_uri`` of the site folder (no ``index.html``)."""
    return "/" + dest_uri.replace("index.html", "")


class PartIndex:
    """One part of the index (search_parts.py): a Pagefind service of its own, closed once written."""

    def __init__(self, bundle: Path, folder: str, service: Any, index: Any) -> None:
        self.bundle, self.folder = bundle, folder
        self.pages: list[IndexedPage] = []
        self._service, self._index = service, index

    @classmethod
    async def open(cls, bundle: Path, folder: str) -> PartIndex:
        service = await _prompt_service().launch()
        try:
            index = await service.create_index(index_config(bundle.parent, output_path=bundle / folder))
        except BaseException:
            await service.close()
            raise
        return cls(bundle, folder, service, index)

    async def add(self, page: IndexedPage, html: str) -> None:
        await self._index.add_html_file(content=indexed_part(html), source_path=page.dest_uri,
                                        url=page_url(page.dest_uri))
        self.pages.append(page)

    async def write(self) -> Part:
        """Write the part's files and stop its Pagefind (its memory goes back to the system).

        The files come back from Pagefind (``get_files``) and are written here: Pagefind's own
        ``write_files`` (1.5.2) answers before its files are on disk, and a service stopped then
        leaves some of them empty (measured: the entry file of one part in five or so).
        """
        try:
            files = await self._index.get_files()
        finally:
            await self.close()
        write_part_files(self.bundle, self.folder, {str(f["path"]): f["content"] for f in files})
        return part_of(self.folder, self.pages)

    async def close(self) -> None:
        await self._service.close()


async def write_parts(bundle: Path, planned: list[tuple[str, list[IndexedPage]]], *,
                      written: list[Part] | None = None) -> list[Part]:
    """Index the ``planned`` parts of pages of the site folder, one at a time, then write the manifest.

    ``written``: parts written already (the stream's document parts), for the manifest.
    Returns the parts written here.
    """
    parts = await index_parts(bundle, planned)
    write_bundle_manifest(bundle, [*(written or []), *parts])
    return parts


async def index_parts(bundle: Path, planned: list[tuple[str, list[IndexedPage]]]) -> list[Part]:
    """Index the ``planned`` parts of pages of the site folder, one at a time (no manifest)."""
    site_dir, parts = bundle.parent, []
    for folder, pages in planned:
        part = await PartIndex.open(bundle, folder)
        try:
            for page in pages:
                await part.add(page, _read(site_dir, page))
        except BaseException:
            await part.close()
            raise
        parts.append(await part.write())
    return parts


def write_bundle_manifest(bundle: Path, every: list[Part]) -> None:
    """The manifest of all the parts, written last (a bundle with a manifest is whole)."""
    if not any(p.folder == "" for p in every):
        raise SearchIndexError("the site has no edition page (home, indexes) to hold Pagefind's scripts")
    write_manifest(bundle, every)


class Unplanned(Exception):
    """A document page the plan of the parts does not hold (or none was made): the parts would differ."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """The document pages of each part, in order (search_parts.document_parts), for the stream."""

    parts: list[list[IndexedPage]]


class _Parts:
    """The stream's parts, written in the order of the plan, some at a time: the parts of document pages, then
    (``extend``) the edition's.

    Pages come in MkDocs' order, which is the order of their files, and a page's file name
    need not follow its date; so a page of a part not open yet waits (its address only: it is
    read back from the site folder, where MkDocs has written it, when its part opens). Parts
    open in order, as many as ``search_parts.parts_at_once()`` allows, each fed by a task of its own, and a
    part is written as soon as all its pages are in. Pages in the order of their dates, as
    ``documents/<date>-<slug>/`` usually are, wait for nothing; when Pagefind falls behind
    (MkDocs renders faster than one Pagefind indexes), two parts take pages side by side. The
    edition's parts, known once MkDocs is done, are read from the site folder as they open,
    beside the last document parts, under the same bound.
    """

    def __init__(self, bundle: Path, plan: list[list[IndexedPage]], at_once: int) -> None:
        self.bundle, self.at_once = bundle, at_once
        self.plan = [(document_folder(number), pages) for number, pages in enumerate(plan)]
        """Each part's folder and pages, in order."""
        self.part_of = {page.dest_uri: number for number, pages in enumerate(plan) for page in pages}
        self.waiting: dict[int, list[IndexedPage]] = {}
        self.opened = 0
        """Parts 0 to ``opened - 1`` are open or written; the others wait for their turn."""
        self.feeding: dict[int, tuple[asyncio.Queue[IndexedPage | None], int]] = {}
        """The open parts that still take pages: their queue and how many pages they still expect."""
        self.tasks: dict[int, asyncio.Task[Part]] = {}
        self.written: list[Part] = []
        self.ending = False
        """No page comes any more: a part opened now takes only the pages that wait for it."""

    def extend(self, planned: list[tuple[str, list[IndexedPage]]]) -> None:
        """Plan the parts of (folder, pages) that follow, every page of which is in the site folder already."""
        for folder, pages in planned:
            self.waiting[len(self.plan)] = list(pages)
            self.plan.append((folder, pages))

    def add(self, page: IndexedPage) -> None:
        """Take one document page (its part reads it back from the site folder)."""
        self._raise_failure()
        number = self.part_of.get(page.dest_uri)
        if number is None or (number < self.opened and number not in self.feeding):
            raise Unplanned(f"{page.dest_uri} is not a document page of the plan of the search index's parts")
        if number in self.feeding:
            self._feed(number, page)
        else:
            self.waiting.setdefault(number, []).append(page)
            self._open_parts()

    async def finish(self) -> None:
        """Write the parts still open or waiting (some of their pages never came).

        Parts may still be writing: ``settle`` waits for them.
        """
        self.ending = True
        for number in list(self.feeding):
            self._end_feeding(number)
        while self.opened < len(self.plan):
            if not self.waiting.get(self.opened):
                self.opened += 1
            elif len(self._running()) >= self.at_once:
                await asyncio.wait(self._running(), return_when=asyncio.FIRST_COMPLETED)
                self._raise_failure()
            else:
                self._open(self.opened)

    async def settle(self) -> None:
        """Wait for every part's task, and note the parts written, in the order of the plan."""
        tasks, self.tasks = self.tasks, {}
        self.written += [await tasks[number] for number in sorted(tasks)]

    async def close(self) -> None:
        """Stop the parts' tasks (each closes its Pagefind) after a failure."""
        tasks, self.tasks = self.tasks, {}
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)

    def _running(self) -> list[asyncio.Task[Part]]:
        return [task for task in self.tasks.values() if not task.done()]

    def _raise_failure(self) -> None:
        for task in self.tasks.values():
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]

    def _open_parts(self) -> None:
        """Open the next parts whose pages wait, while fewer than ``at_once`` are at work."""
        while self.waiting.get(self.opened) and len(self._running()) < self.at_once:
            self._open(self.opened)

    def _open(self, number: int) -> None:
        queue: asyncio.Queue[IndexedPage | None] = asyncio.Queue()
        self.feeding[number] = (queue, len(self.plan[number][1]))
        self.tasks[number] = asyncio.create_task(self._index_part(number, queue))
        self.tasks[number].add_done_callback(lambda _: self._open_parts())
        self.opened = number + 1
        for page in self.waiting.pop(number, []):
            self._feed(number, page)
        if self.ending:
            self._end_feeding(number)

    def _feed(self, number: int, page: IndexedPage) -> None:
        queue, expected = self.feeding[number]
        queue.put_nowait(page)
        self.feeding[number] = (queue, expected - 1)
        if expected == 1:
            self._end_feeding(number)

    def _end_feeding(self, number: int) -> None:
        if number in self.feeding:
            self.feeding.pop(number)[0].put_nowait(None)

    async def _index_part(self, number: int, queue: asyncio.Queue[IndexedPage | None]) -> Part:
        """Give the part's pages to a Pagefind of its own as they come (read back from the site folder),
        then write it."""
        part = await PartIndex.open(self.bundle, self.plan[number][0])
        try:
            while (page := await queue.get()) is not None:
                await part.add(page, _read(self.bundle.parent, page))
        except BaseException:
            await part.close()
            raise
        return await part.write()


def _read(site_dir: Path, page: IndexedPage) -> str:
    return _read_file(site_dir / page.dest_uri)


def _read_file(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


class IndexThread:
    """The parts of the index (search_parts.py), fed page by page from the MkDocs build, by a thread
    of its own (in the feeder's process, search_feeder.py).

    Before the first page comes, ``plan`` gives the document pages of the site (MkDocs has read
    every page before it renders the first): they go to Pagefind as they come, in the parts of
    ``search_parts.planned_parts``, one part at a time. The edition's other pages are indexed at
    the end, from the site folder (MkDocs has written them by then), in parts of their own. A
    document page outside the plan makes ``finish`` fail, and the hook indexes the finished site.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.size, self.at_once = part_size(), parts_at_once()
        self.added: set[str] = set()
        self.parts: list[Part] = []
        self._edition: list[IndexedPage] = []
        # Addresses only, so it needs no bound (see the module's docstring).
        self._queue: queue.Queue[str | _Plan | None] = queue.Queue()
        self._error: BaseException | None = None
        self._started = time.perf_counter()
        # Started with the first page or plan, not here.
        self._thread: threading.Thread | None = None

    def _put(self, item: str | _Plan | None) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pagefind-stream", daemon=True)
            self._thread.start()
        self._queue.put(item)

    def plan(self, documents: list[IndexedPage]) -> None:
        """The site's document pages (all of them, before any page is added)."""
        self._put(_Plan(document_parts(documents, self.size)))

    def add(self, dest_uri: str) -> None:
        """Queue one rendered page by its path in the site folder, ``dest_uri``.

        The page is read from there once the next page has been added, or at ``finish``: add a
        page just before writing it to the site folder (MkDocs' ``on_post_page``), or once written.
        """
        if self._error is None and dest_uri not in self.added:
            self.added.add(dest_uri)
            self._put(dest_uri)

    def finish(self) -> IndexReport:
        """Add the site's other HTML files (not MkDocs pages), write the index, stop Pagefind."""
        for path in sorted(self.site_dir.rglob("*.html")):
            rel = path.relative_to(self.site_dir).as_posix()
            if rel not in self.added and not rel.startswith(BUNDLE_DIR + "/"):
                self.add(rel)
        self._put(_DONE)
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise SearchIndexError(f"Pagefind could not index {self.site_dir}: {self._error}") from self._error
        return IndexReport(pages=sum(p.pages for p in self.parts), seconds=time.perf_counter() - self._started,
                           parts=len(self.parts))

    def abort(self) -> None:
        """The build failed: stop Pagefind without writing an index."""
        self._error = self._error or RuntimeError("the build failed")
        if self._thread is not None:  # else Pagefind never started
            self._queue.put(_DONE)
            self._thread.join(timeout=30)

    def _run(self) -> None:
        self._ended = False
        try:
            asyncio.run(self._index())
        except BaseException as exc:  # noqa: BLE001 - reported by finish(), in the main thread
            self._error = self._error or exc
        while not self._ended:  # after a failure: take what the build still sends, to its end
            self._ended = self._queue.get() is _DONE

    async def _index(self) -> None:
        loop = asyncio.get_running_loop()
        bundle = clear_bundle(self.site_dir)
        documents: _Parts | None = None
        written: str | None = None  # the address before the last one: MkDocs has written its page
        try:
            while self._error is None:
                item = await loop.run_in_executor(None, self._queue.get)
                if isinstance(item, _Plan):
                    documents = _Parts(bundle, item.parts, self.at_once)
                    continue
                self._ended = item is _DONE  # taken from the queue: _run waits for no other
                if written is not None:
                    await self._add_written(documents, written)
                if item is _DONE:
                    break
                written = item
            if self._error is not None:  # aborted: no index
                return
            # The edition's parts, known now, are indexed beside the last document parts.
            documents = documents or _Parts(bundle, [], self.at_once)
            documents.extend(edition_parts(self._edition, self.size, first_free=len(documents.plan)))
            await documents.finish()
            await documents.settle()
            self.parts.extend(documents.written)
            write_bundle_manifest(bundle, self.parts)
        finally:
            if documents is not None:
                await documents.close()

    async def _add_written(self, documents: _Parts | None, dest_uri: str) -> None:
        """Hand one page of the site folder to its part, or note it for the edition's parts."""
        try:
            html = _read_file(self.site_dir / dest_uri)
        except FileNotFoundError:  # MkDocs writes no file for a page that renders empty
            return
        page = indexed_page(dest_uri, html)
        if not page.marked:
            return
        if not page.document:
            self._edition.append(page)
        elif documents is None:
            raise Unplanned("a document page came before the plan of the search index's parts")
        else:
            documents.add(page)


def _prompt_service() -> Any:
    """Pagefind's service client, reading each reply as soon as it arrives.

    The package's client (1.5.2) sleeps a tenth of a second before reading each reply,
    which is nothing for one ``add_directory`` and minutes for one request a page. And it
    reads a reply with ``readuntil``, which fails on one longer than its buffer (2 MiB): the
    reply to ``get_files`` holds a whole part of the index.
    """
    from pagefind.service import PagefindService

    class PromptService(PagefindService):
        async def _wait_for_responses(self) -> None:
            assert self._backend.stdout is not None
            try:
                pending = bytearray()
                while True:
                    chunk = await self._backend.stdout.read(1 << 20)
                    if not chunk:
                        raise EOFError("Pagefind's service closed its output")
                    pending += chunk
                    if b"," not in chunk:  # a long reply (a part's files) comes in many chunks: split it once
                        continue
                    *replies, rest = pending.split(b",")
                    pending = bytearray(rest)
                    for reply in replies:
                        _resolve(self._responses, json.loads(base64.b64decode(reply)))
            except Exception as exc:  # Pagefind stopped: fail what waits for it rather than hang
                for future in self._responses.values():
                    if not future.done():
                        future.set_exception(RuntimeError(f"Pagefind's service stopped: {exc!r}"))
                raise

    return PromptService()


def _resolve(waiting: dict[int, asyncio.Future[Any]], reply: dict[str, Any] | None) -> None:
    """Hand one reply of the service to the request that waits for it."""
    if not reply:
        return
    payload = reply["payload"]
    message_id = reply.get("message_id")
    if message_id is None and payload.get("original_message"):  # a request Pagefind could not read
        message_id = json.loads(payload["original_message"]).get("message_id")
    future = waiting.get(message_id) if message_id is not None else None
    if future is None or future.done():
        return
    if payload["type"] == "Error":
        future.set_exception(RuntimeError(payload.get("message", "Pagefind reported an error")))
    else:
        future.set_result(payload)
