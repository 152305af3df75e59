"""MkDocs hook: convert pages' Markdown in a second process, on the second core, during ``mkdocs build``.

MkDocs converts every page's Markdown to HTML in one loop (``_populate_page``: read the
source, the ``on_page_markdown`` events, ``Page.render``, ``on_page_content``), in one
process: at 10,000 sources that loop is most of the build, and the second core idles.
Once the navigation is made (``on_nav``, the last event before that loop), this hook
forks the MkDocs process. The second process walks the pages from the last one back,
converts each exactly as ``Page.render`` does (it calls it, on its copy of the page,
files and configuration), and streams back through a pipe what render set on the page
(its HTML, table of contents, title, anchors, the links to other pages' anchors by
their file's path) and every log record the conversion made. MkDocs' own loop walks the
pages from the first; it writes in shared memory which page it has reached, and the
second process stops where the two meet, so each takes the share its pages' sizes give
it, without knowing them beforehand.

When MkDocs' loop reaches a page the second process converted, ``on_page_markdown``
(last of its handlers) installs the result on that one page: its ``render`` becomes a
function, on the page object only, that checks the Markdown it is asked to convert
(after every ``on_page_markdown`` handler) is the Markdown the second process converted
(a hash of it), then sets what ``Page.render`` of MkDocs 1.6.1 sets and logs the
conversion's records, at that page, by the same loggers and levels (so ``--strict``
counts the same warnings). Any other Markdown, or a page the second process did not
finish, is converted by ``Page.render`` as usual. Under another MkDocs version the hook
does nothing: what render sets was read from 1.6.1's source.

``mkdocs build`` (not ``--dirty``) forks only when no other thread runs at ``on_nav`` (a
thread holding a lock at the fork would leave it held in the second process; the search
stream runs in a process of its own, started later, search_feeder.py). ``mkdocs serve --dirty`` (``make serve``)
forks too, at each build, for the pages the build converts (those modified since the last:
some fifty after a save at 10,000 sources, every page at the first build), although its
server runs threads: the second process takes no lock those threads take. It converts pages
(Python-Markdown, MkDocs' own processors, the page objects it was forked with), its log
records go to the pipe before any handler, its standard streams are new ones, and it ends
with ``os._exit``; were it to stop anyway, the save waits ``PREVIEW_SILENCE_LIMIT`` for it
and MkDocs converts the rest. A live preview's collector is left as the preview set it (it
is paused during the rebuild, live_rebuild.QuietCollector). A second
process that fails or falls silent is killed and MkDocs converts the rest; it is reaped
when the loop ends (``on_env``, before Pagefind starts), at a build error, or at exit.
It ends with ``os._exit``: no interpreter shutdown, nothing of MkDocs' buffers flushed
twice. Its logging goes to the pipe only (``Logger.handle`` is replaced in that process).
From the fork to the end of the loop, what was alive at the fork is set apart from the
garbage collector's passes (``gc.freeze``, as Python's documentation advises before a fork):
the second process's passes then leave the memory it shares with MkDocs' process unwritten,
and MkDocs' passes go through what its loop makes, not through the whole build.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import logging
import mmap
import os
import pickle
import resource
import select
import signal
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mkdocs
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils import meta

from build_edition.search_hook import live_preview

log = logging.getLogger("mkdocs.hooks.page_workers")

MKDOCS_VERSION = "1.6.1"
"""The MkDocs whose ``Page.render`` this hook stands in for (what it sets on a page)."""
MIN_PAGES = 16
"""Fewer pages than this are converted in MkDocs' loop alone: a fork would cost more than it gives."""
SILENCE_LIMIT = 120.0
"""Seconds the build waits for a page the second process is converting before giving up on it."""
PREVIEW_SILENCE_LIMIT = 10.0
"""The same in a live preview, where a save waits for it (a second process is converting some fifty pages there)."""
_LEVEL = 1
"""zlib's fastest level for the HTML on its way (a fifth of its size; release_hook.py uses it too)."""

_HEADER = struct.Struct("<BiI")  # kind, page index, payload length
_START, _CONVERTED, _SKIPPED, _END = 1, 2, 3, 4
_POSITION = struct.Struct("<q")  # the page MkDocs' loop has reached, in shared memory


@dataclass(frozen=True, slots=True, kw_only=True)
class Converted:
    """What ``Page.render`` (MkDocs 1.6.1) set on one page, as the second process sends it."""

    markdown_hash: bytes
    content: bytes
    """The HTML, zlib-compressed."""
    toc: TableOfContents
    title: str | None
    present_anchor_ids: set[str]
    links_to_anchors: tuple[tuple[str, dict[str, str]], ...] | None
    """By the path (``src_uri``) of the file linked to; None where render sets none."""
    records: tuple[dict[str, Any], ...]
    """The log records of the conversion (``LogRecord`` attributes, the message formatted)."""

    def to_wire(self) -> bytes:
        return pickle.dumps(tuple(getattr(self, name) for name in self.__slots__), pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_wire(cls, data: bytes) -> Converted:
        return cls(**dict(zip(cls.__slots__, pickle.loads(data))))


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """What one build's second process did, for the log line and the tests."""

    pages: int
    """Pages whose Markdown MkDocs' loop took from the second process."""
    of: int
    converted: int
    """Pages the second process converted (some MkDocs' loop may have converted too, where they met)."""
    finished: bool
    """Whether it ended by itself, having said so; False: it failed, was killed or fell silent."""
    cpu_seconds: float
    peak_mb: float
    """Its peak resident memory (pages shared with MkDocs' process included)."""
    own_mb: float
    """Its private memory at its end (what the fork did not share), 0 where unknown."""
    waited_seconds: float
    """How long MkDocs' loop waited for pages the second process was converting."""
    loop_seconds: float
    """From the fork to the end of MkDocs' loop over the pages (wall time)."""
    loop_cpu_seconds: float
    """The CPU time of MkDocs' process over that loop."""


class _Session:
    """Whether this process may fork (``mkdocs build``, ``mkdocs serve --dirty``), the second process of this build,
    its report."""

    builds = False
    serves_dirty = False
    """A live preview whose every build is dirty: it converts the pages modified since the last one."""
    second: SecondProcess | None = None
    last: Report | None = None


def markdown_hash(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8", "surrogatepass"), digest_size=16).digest()


# --- MkDocs events ---------------------------------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    _Session.builds = command == "build" and not dirty
    _Session.serves_dirty = command == "serve" and dirty


def on_pre_build(config) -> None:  # noqa: ANN001, ARG001 - MkDocs' signature
    _stop(kill=True)
    _Session.last = None


@event_priority(-100)  # after the other hooks' on_nav: the navigation is final
def on_nav(nav, config, files):  # noqa: ANN001, ANN201 - MkDocs' signature
    reason = _why_not()
    pages = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
    if reason is None and _Session.serves_dirty:  # the pages MkDocs' dirty loop converts (``_populate_page``)
        pages = [file for file in pages if file.is_modified()]
    if reason is None and len(pages) < MIN_PAGES:
        reason = f"{len(pages)} pages"
    if reason is None:
        _Session.second = SecondProcess.start(pages, config, files, preview=_Session.serves_dirty)
    else:
        log.debug(f"page workers: the pages are converted in one process ({reason})")
    return nav


@event_priority(-100)  # after the other handlers: the Markdown render is given
def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ANN001, ARG001 - MkDocs' signature
    second = _Session.second
    if second is not None:
        converted = second.take(page.file.src_uri)
        if converted is not None:
            _install(page, converted, files, second)
    return markdown


@event_priority(100)  # before the search's on_env, which starts Pagefind
def on_env(env, config, files):  # noqa: ANN001, ANN201, ARG001 - MkDocs' signature
    report = _stop(kill=False)
    if report is not None:
        log.info(_describe(report))
    return env


def on_build_error(error: Exception) -> None:  # noqa: ARG001 - MkDocs' signature
    _stop(kill=True)


def _why_not() -> str | None:
    """Why this build converts its pages in one process, or None."""
    whole_build = _Session.builds and not live_preview()
    if not (whole_build or _Session.serves_dirty):
        return "not a whole mkdocs build, nor a dirty live preview"
    if mkdocs.__version__ != MKDOCS_VERSION:
        return f"MkDocs {mkdocs.__version__}, not {MKDOCS_VERSION}"
    if not hasattr(os, "fork"):
        return "no fork on this system"
    if threading.active_count() > 1 and not _Session.serves_dirty:
        names = ", ".join(t.name for t in threading.enumerate() if t is not threading.current_thread())
        return f"other threads run: {names}"
    return None


def _stop(*, kill: bool) -> Report | None:
    second, _Session.second = _Session.second, None
    if second is None:
        return None
    _Session.last = second.stop(kill=kill)
    return _Session.last


def _describe(report: Report) -> str:
    what = (f"page workers: a second process converted {report.pages:,} of {report.of:,} pages' Markdown "
            f"({report.cpu_seconds:.1f} s of CPU, peak {report.peak_mb:.0f} MB, {report.own_mb:.0f} MB of it its own)")
    if not report.finished:
        what += "; it stopped before the end, and MkDocs converted the rest"
    return what + (f"; MkDocs' loop over the pages took {report.loop_seconds:.1f} s ({report.loop_cpu_seconds:.1f} s "
                   f"of CPU) and waited {report.waited_seconds:.1f} s for it")


# --- MkDocs' process ---------------------------------------------------------------------------------------------


def _install(page: Page, converted: Converted, files: Files, second: SecondProcess) -> None:
    """Have this page's next ``render`` take the second process's result, if it converted the same Markdown."""

    def render(config: Any, given: Files) -> None:
        del vars(page)["render"]
        if given is not files or page.markdown is None or markdown_hash(page.markdown) != converted.markdown_hash:
            Page.render(page, config, given)
        elif not apply(page, converted, given):
            Page.render(page, config, given)
        else:
            second.used += 1

    vars(page)["render"] = render


def apply(page: Page, converted: Converted, files: Files) -> bool:
    """Set on ``page`` what ``Page.render`` of MkDocs 1.6.1 sets, log what it logged; False: cannot."""
    links = None
    if converted.links_to_anchors is not None:
        targets = [(files.get_file_from_path(uri), anchors) for uri, anchors in converted.links_to_anchors]
        if any(target is None for target, _ in targets):
            return False
        links = {target: anchors for target, anchors in targets if target is not None}
    for fields in converted.records:
        record = logging.makeLogRecord(fields)
        logging.getLogger(record.name).handle(record)
    page.content = zlib.decompress(converted.content).decode("utf-8")
    page.toc = converted.toc
    page._title_from_render = converted.title
    page.present_anchor_ids = converted.present_anchor_ids
    if links is not None:
        page.links_to_anchors = links
    return True


class SecondProcess:
    """MkDocs' side of the second process: where the loop is, what has come back, and the end of it."""

    def __init__(self, pid: int, fd: int, position: mmap.mmap, order: dict[str, int], preview: bool = False) -> None:
        self.pid, self.fd, self.position, self.order = pid, fd, position, order
        self.preview = preview
        """A live preview's build: the collector is left as the preview set it, and a save waits less for silence."""
        self.buffer = bytearray()
        self.frames: dict[int, tuple[int, bytes]] = {}
        self.lowest_started = len(order)
        self.reached = -1
        self.alive = True
        self.ended = False
        self.own_mb = 0.0
        self.received = 0
        self.used = 0
        self.waited = 0.0
        self.report: Report | None = None
        self.began, self.began_cpu = time.perf_counter(), _cpu()

    @classmethod
    def start(cls, pages: list[File], config: Any, files: Files, preview: bool = False) -> SecondProcess | None:
        position = mmap.mmap(-1, _POSITION.size)
        _POSITION.pack_into(position, 0, -1)
        read_fd, write_fd = os.pipe()
        parent = os.getpid()
        # What is alive now stays out of the collector's passes in both processes until the loop ends: the
        # second process's passes leave the pages it shares with MkDocs' process as they are (copy on write),
        # and MkDocs' passes go through what its loop makes, not the whole build (Python's advice for a fork).
        # A live preview pauses the collector during each rebuild and set its own process apart after the first
        # (live_rebuild.QuietCollector), which an unfreeze here would undo.
        if not preview:
            gc.freeze()
        try:
            pid = os.fork()
        except OSError as exc:
            if not preview:
                gc.unfreeze()
            os.close(read_fd)
            os.close(write_fd)
            log.debug(f"page workers: no second process ({exc})")
            return None
        if pid == 0:  # the second process: never returns
            _child(read_fd, write_fd, pages, config, files, position, parent)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        second = cls(pid, read_fd, position, {file.src_uri: index for index, file in enumerate(pages)}, preview)
        atexit.register(second.stop, kill=True)
        return second

    def take(self, src_uri: str) -> Converted | None:
        """The second process's result for the page MkDocs' loop has reached, waiting if it is on it."""
        index = self.order.get(src_uri)
        if index is None:
            return None
        self.reached = index
        _POSITION.pack_into(self.position, 0, index)
        self._read(None)
        if index not in self.frames and self.alive and self.lowest_started <= index:
            began = time.perf_counter()
            while index not in self.frames and self._read(PREVIEW_SILENCE_LIMIT if self.preview else SILENCE_LIMIT):
                pass
            self.waited += time.perf_counter() - began
        kind, payload = self.frames.pop(index, (_SKIPPED, b""))
        return Converted.from_wire(payload) if kind == _CONVERTED else None

    def _read(self, timeout: float | None) -> bool:
        """Take in what the second process sent (waiting up to ``timeout`` for it); False once it is gone."""
        if not self.alive:
            return False
        if timeout is not None and not select.select([self.fd], [], [], timeout)[0]:
            log.debug(f"page workers: the second process said nothing for {timeout:.0f} s")
            self._lose()
            return False
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                self._lose()
                break
            self.buffer += chunk
        self._frames()
        return self.alive

    def _frames(self) -> None:
        offset, data = 0, self.buffer
        while len(data) - offset >= _HEADER.size:
            kind, index, length = _HEADER.unpack_from(data, offset)
            if len(data) - offset - _HEADER.size < length:
                break
            start = offset + _HEADER.size
            payload = bytes(data[start:start + length])
            offset = start + length
            if kind == _START:
                self.lowest_started = min(self.lowest_started, index)
            elif kind == _END:
                self.ended, self.own_mb = True, pickle.loads(payload)
            elif index >= self.reached:  # else MkDocs' loop converted it already, where the two met
                self.frames[index] = (kind, payload)
                self.received += kind == _CONVERTED
        del data[:offset]

    def _lose(self) -> None:
        """The second process ended, failed or fell silent: MkDocs' loop converts what it did not send."""
        self.alive = False
        self.lowest_started = len(self.order)

    def stop(self, *, kill: bool) -> Report:
        """End the second process (it is done by now, or converts a page MkDocs' loop did) and reap it."""
        if self.report is not None:
            return self.report
        atexit.unregister(self.stop)
        if not self.preview:
            gc.unfreeze()
        loop, loop_cpu = time.perf_counter() - self.began, _cpu() - self.began_cpu
        if self.alive:
            self._read(None)
        os.close(self.fd)
        self.frames.clear()
        # Still at work (no end said): on a page MkDocs' loop converted too, where the two met.
        usage = _reap(self.pid, kill=kill or not self.ended)
        self.report = Report(pages=self.used, of=len(self.order), converted=self.received,
                             finished=self.ended or self.alive,
                             cpu_seconds=usage.ru_utime + usage.ru_stime if usage is not None else 0.0,
                             peak_mb=usage.ru_maxrss / 1024 if usage is not None else 0.0,
                             own_mb=self.own_mb, waited_seconds=self.waited, loop_seconds=loop,
                             loop_cpu_seconds=loop_cpu)
        self.position.close()
        return self.report


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _reap(pid: int, *, kill: bool) -> resource.struct_rusage | None:
    try:
        if kill:
            os.kill(pid, signal.SIGKILL)
        return os.wait4(pid, 0)[2]
    except ChildProcessError:  # reaped already
        return None
    except ProcessLookupError:
        return None


# --- the second process -----------------------------------------------------------------------------------------


class _Capture:
    """The log records of the page being converted (None: between pages, records are dropped)."""

    records: list[dict[str, Any]] | None = None
    parent = 0


def _child(read_fd: int, write_fd: int, pages: list[File], config: Any, files: Files, position: mmap.mmap,
           parent: int) -> None:
    code = 1
    try:
        os.close(read_fd)
        # Nothing of this process goes to the terminal: its records go back through the pipe, and its standard
        # streams are new ones (another thread of MkDocs' process may have been writing to the inherited ones,
        # holding their locks, when it forked: a live preview's server runs threads).
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - ends with the process
        _Capture.parent = parent
        logging.Logger.handle = _captured  # type: ignore[method-assign]
        code = convert_from_the_end(pages, config, files, position, parent, _sender(write_fd))
    finally:
        os._exit(code)


def convert_from_the_end(pages: list[File], config: Any, files: Files, position: mmap.mmap, parent: int,
                         send: Callable[[int, int, bytes], None]) -> int:
    """Convert the pages from the last one back until MkDocs' loop has reached the next; send each result."""
    for index in range(len(pages) - 1, -1, -1):
        if index <= _POSITION.unpack_from(position, 0)[0] or os.getppid() != parent:
            break
        send(_START, index, b"")
        try:
            payload = convert(pages[index], config, files).to_wire()
        except Exception:  # noqa: BLE001 - MkDocs' loop converts the page, and meets the error itself
            send(_SKIPPED, index, b"")
            continue
        send(_CONVERTED, index, payload)
    send(_END, -1, pickle.dumps(_private_mb()))
    return 0


def convert(file: File, config: Any, files: Files) -> Converted:
    """The page of ``file`` converted by ``Page.render``, as MkDocs' loop would, and what that set."""
    page = file.page if file.page is not None else Page(None, file, config)
    markdown = page.markdown = body(file.content_string)
    records: list[dict[str, Any]] = []
    config._current_page, _Capture.records = page, records
    try:
        page.render(config, files)
    finally:
        config._current_page, _Capture.records = None, None
    assert page.content is not None
    links = vars(page).get("links_to_anchors")
    result = Converted(markdown_hash=markdown_hash(markdown), content=zlib.compress(page.content.encode("utf-8"), _LEVEL),
                       toc=page.toc, title=page._title_from_render, present_anchor_ids=page.present_anchor_ids or set(),
                       links_to_anchors=None if links is None else tuple((f.src_uri, a) for f, a in links.items()),
                       records=tuple(records))
    page.markdown = page.content = None
    return result


def body(source: str) -> str:
    """The Markdown of a page's source as ``Page.read_source`` leaves it, without parsing its YAML.

    Where MkDocs' own parse of the front matter gives no mapping, the Markdown it keeps differs
    from this one, and MkDocs' loop converts the page itself (the hashes differ).
    """
    found = meta.YAML_RE.match(source)
    if found is None:
        return meta.get_data(source)[0]
    return source[found.end():].lstrip("\n")


def _captured(self: logging.Logger, record: logging.LogRecord) -> None:  # noqa: ARG001 - Logger.handle's
    if _Capture.records is not None:
        _Capture.records.append(_fields(record))


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """A record as ``logging.makeLogRecord`` takes it in MkDocs' process (as logging's SocketHandler sends one)."""
    fields = dict(vars(record))
    fields["msg"], fields["args"] = record.getMessage(), None
    if record.exc_info and not record.exc_text:
        fields["exc_text"] = logging.Formatter().formatException(record.exc_info)
    fields["exc_info"], fields["process"] = None, _Capture.parent
    return fields


def _sender(fd: int) -> Callable[[int, int, bytes], None]:
    def send(kind: int, index: int, payload: bytes) -> None:
        data = memoryview(_HEADER.pack(kind, index, len(payload)) + payload)
        while data:
            data = data[os.write(fd, data):]

    return send


def _private_mb() -> float:
    """This process's private memory (``/proc/self/smaps_rollup``), 0 where the system does not say."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            private = sum(int(line.split()[1]) for line in rollup if line.startswith(("Private_Clean", "Private_Dirty")))
    except (OSError, ValueError, IndexError):
        return 0.0
    return private / 1024
