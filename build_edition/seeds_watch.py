"""The live preview notices a save in the seeds folder from the system's file events, not by polling.

MkDocs' live-reload server polls what it watches (watchdog's ``PollingObserver``, every half
second, in the process that builds): at 10,000 sources each poll of ``seeds/`` lists and
stats 10,000 files and compares two snapshots, some 0.2 s of CPU, and while a rebuild runs
those polls take their share of the interpreter's one lock. Here watchdog's native observer
(inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) follows ``seeds/``
and tells the server of each change: the server watches a folder holding one trigger file
instead of ``seeds/``, and the change reaches it as an event of that watch, put straight in
its observer's queue (no wait for the next poll), or, were that queue not to be found, as a
write of the trigger file that the next poll sees. MkDocs' server then rebuilds as it does
for any watched file. Where the system gives no file events, or refuses one more watch, the
server polls ``seeds/`` as before.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED,
                             EVENT_TYPE_MOVED, FileModifiedEvent, FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED})
"""Events that change what a folder holds; a read (opened, closed without writing) or a chmod does not."""
TRIGGER = "seeds-changed"


class Server(Protocol):
    """What the hook uses of MkDocs' ``LiveReloadServer``."""

    def watch(self, path: str) -> None: ...

    def unwatch(self, path: str) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class SeedsWatch:
    """A native observer of the seeds folder and the trigger file the server polls."""

    observer: BaseObserver
    trigger: Path

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
        shutil.rmtree(self.trigger.parent, ignore_errors=True)


class _Forward(FileSystemEventHandler):
    """Tells the server of each change in the seeds folder (in the native observer's thread)."""

    def __init__(self, tell: Callable[[], None]) -> None:
        super().__init__()
        self.tell = tell

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in CHANGES:
            self.tell()


def _write(trigger: Path) -> Callable[[], None]:
    """Tell by writing the trigger file, which the server's next poll notices."""

    def write() -> None:
        trigger.write_text(f"{time.time_ns()}\n", encoding="utf-8")

    return write


def _queue(server: Server, trigger: Path) -> Callable[[], None] | None:
    """Tell by putting a change of the trigger file in the queue of the server's observer, as its poll
    would; None when the server has no watchdog observer watching the trigger's folder."""
    observer = getattr(server, "observer", None)
    try:
        watch = next(e.watch for e in observer.emitters if e.watch.path == str(trigger.parent))  # type: ignore[union-attr]
        queue = observer.event_queue  # type: ignore[union-attr]
    except (AttributeError, StopIteration, TypeError):
        return None
    event = FileModifiedEvent(str(trigger))
    return lambda: queue.put((event, watch))


def watch_seeds(server: Server, seeds: Path) -> SeedsWatch | None:
    """Follow ``seeds`` with the system's file events and have ``server`` poll one trigger file.

    Returns None when the system has no file events to give (the server then polls ``seeds``).
    """
    observer = Observer()
    if isinstance(observer, PollingObserver) or not seeds.is_dir():
        server.watch(str(seeds))
        return None
    trigger = Path(tempfile.mkdtemp(prefix="edition-preview-")) / TRIGGER
    trigger.write_text("0\n", encoding="utf-8")
    server.watch(str(trigger.parent))
    try:
        observer.schedule(_Forward(_queue(server, trigger) or _write(trigger)), str(seeds), recursive=True)
        observer.start()
    except OSError:  # e.g. inotify's limit of watches reached
        server.unwatch(str(trigger.parent))
        shutil.rmtree(trigger.parent, ignore_errors=True)
        server.watch(str(seeds))
        return None
    return SeedsWatch(observer=observer, trigger=trigger)
