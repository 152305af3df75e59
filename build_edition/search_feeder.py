"""The search stream (search_stream.py) in a process of its own, fed page addresses by MkDocs.

In MkDocs' process, the stream's thread shared the interpreter's lock with the thread that
renders the templates: each page handed to Pagefind is a few round trips (read the page,
send it, read the reply), and each time the thread waited for Pagefind it then waited for
the lock, which the rendering thread gives up only every few milliseconds. Pagefind, on a
core of its own, sat idle most of the time: at 10,000 sources its first part of 1,000 pages
was written a minute after the templates began, and the index 88 s after they ended.
Here MkDocs' process only writes each page's address to a pipe; this process, which runs
nothing else, reads the pages back, hands them to Pagefind and writes the parts.

The protocol, one JSON value a line on the process's standard input: ``{"plan": [[dest_uri,
marked, document, date], ...]}`` (the document pages, ``StreamingIndex.plan``), then a page's
address as a string for each page (``StreamingIndex.add``), then ``{"finish": true}``, to which
the process answers with one line on its standard output, ``{"pages": n, "parts": k}`` or
``{"error": "..."}``, and ends. ``{"abort": true}``, or the end of its input, ends it without
an index.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .search_index import IndexReport, SearchIndexError
from .search_parts import IndexedPage, part_size, parts_at_once

if TYPE_CHECKING:
    from .search_stream import IndexThread

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
"""The folder that holds this package: the feeder runs this very code, whatever the path says."""

ABORT_WAIT = 30.0
"""Seconds an aborted feeder is given to stop its Pagefind before it is killed."""


class StreamingIndex:
    """The parts of the index, fed page by page from the MkDocs build (see search_stream.IndexThread),
    made in a process of its own, started with the first plan or page."""

    def __init__(self, site_dir: Path) -> None:
        """Raises SearchIndexError for a setting the feeder would fail on (search_parts' variables)."""
        part_size(), parts_at_once()
        self.site_dir = site_dir
        self.added: set[str] = set()
        self._process: subprocess.Popen[bytes] | None = None
        self._error: str | None = None
        self._started = time.perf_counter()

    def plan(self, documents: list[IndexedPage]) -> None:
        """The site's document pages (all of them, before any page is added)."""
        self._send({"plan": [[p.dest_uri, p.marked, p.document, p.date] for p in documents]})

    def add(self, dest_uri: str) -> None:
        """Queue one rendered page by its path in the site folder (read back once the next has come)."""
        if dest_uri not in self.added:
            self.added.add(dest_uri)
            self._send(dest_uri)

    def finish(self) -> IndexReport:
        """Write the index (the site's other HTML files too) and stop the feeder and Pagefind."""
        self._send({"finish": True})
        answer = self._answer()
        if "error" in answer:
            raise SearchIndexError(f"Pagefind could not index {self.site_dir}: {answer['error']}")
        return IndexReport(pages=int(answer["pages"]), parts=int(answer["parts"]),
                           seconds=time.perf_counter() - self._started)

    def abort(self) -> None:
        """The build failed: stop the feeder and Pagefind without writing an index."""
        process, self._process = self._process, None
        self._error = self._error or "the build failed"
        if process is None:
            return
        try:
            _write_line(process.stdin, {"abort": True})
        except (OSError, ValueError):
            pass
        _close(process, ABORT_WAIT)

    def _send(self, item: object) -> None:
        if self._error is not None:
            return
        try:
            _write_line(self._started_process().stdin, item)
        except (OSError, ValueError) as exc:  # the feeder could not start or has stopped: finish says so
            self._error = f"the search feeder stopped ({exc})"

    def _started_process(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p)
            self._process = subprocess.Popen([sys.executable, "-m", "build_edition.search_feeder", str(self.site_dir)],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        return self._process

    def _answer(self) -> dict[str, Any]:
        process, self._process = self._process, None
        if self._error is not None or process is None:
            if process is not None:
                _close(process, ABORT_WAIT)
            return {"error": self._error or "no page came"}
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        line = process.stdout.readline()
        _close(process, ABORT_WAIT)
        try:
            answer = json.loads(line)
        except ValueError:
            return {"error": f"the search feeder ended with status {process.returncode} and no answer"}
        return answer if isinstance(answer, dict) else {"error": f"the search feeder answered {line!r}"}


def _write_line(stream: IO[bytes] | None, item: object) -> None:
    assert stream is not None
    stream.write(json.dumps(item).encode("utf-8") + b"\n")
    stream.flush()


def _close(process: subprocess.Popen[bytes], wait: float) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def feed(site_dir: Path, lines: IO[str], answer: IO[str]) -> int:
    """The feeder's side: ``lines`` of the protocol to an ``IndexThread``; the answer to ``finish``."""
    from .search_stream import IndexThread

    stream = IndexThread(site_dir)
    try:
        for line in lines:
            item = json.loads(line)
            if isinstance(item, str):
                stream.add(item)
            elif "plan" in item:
                stream.plan([IndexedPage(dest_uri=d, marked=m, document=doc, date=date)
                             for d, m, doc, date in item["plan"]])
            elif item.get("finish"):
                return _answer_finish(stream, answer)
            else:
                break
    except KeyboardInterrupt:  # Ctrl-C reaches the whole build: MkDocs says so, not a traceback of ours
        stream.abort()
        return 130
    stream.abort()  # asked to, or MkDocs' process went away
    return 1


def _answer_finish(stream: IndexThread, answer: IO[str]) -> int:
    try:
        report = stream.finish()
    except SearchIndexError as exc:
        answer.write(json.dumps({"error": str(exc.__cause__ or exc)}) + "\n")
        return 1
    answer.write(json.dumps({"pages": report.pages, "parts": report.parts}) + "\n")
    return 0


def main(site_dir: str) -> int:
    """Run as the feeder: its answer on the standard output it was given, anything else that would write
    there (nothing should) sent to its standard error."""
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    with answer:
        return feed(Path(site_dir), sys.stdin, answer)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
