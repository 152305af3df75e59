"""The live preview notices a save in the seeds folder from the system's file events, not by polling.

MkDocs' live-reload server polls what it watches (watchdog's ``PollingObserver``, every half
second, in the process that builds): at 10,000 sources each poll of ``seeds/`` lists and
stats 10,000 files and compares two snapshots, some 0.2 s of CPU, and while a rebuild runs
those polls take their share of the interpreter's one lock. Here watchdog's native observer
(inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) follows ``seeds/``
and, when a file in it changes, writes a one-line trigger file that the server polls instead
of the folder: MkDocs' server then rebuilds as it does for any watched file. Where the system
gives no file events, or refuses one more watch, the server polls ``seeds/`` as before.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED,
                             EVENT_TYPE_MOVED, FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED})
"""Events that change what a folder holds; a read (opened, closed without writing) or a chmod does not."""
TRIGGER = "seeds-changed"


class Server(Protocol):
    """What the hook uses of MkDocs' ``LiveReloadServer``."""

    def watch(self, path: str) -> None: ...


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
    """Writes the trigger file at each change in the seeds folder (in the observer's thread)."""

    def __init__(self, trigger: Path) -> None:
        super().__init__()
        self.trigger = trigger

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in CHANGES:
            self.trigger.write_text(f"{time.time_ns()}\n", encoding="utf-8")


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
    try:
        observer.schedule(_Forward(trigger), str(seeds), recursive=True)
        observer.start()
    except OSError:  # e.g. inotify's limit of watches reached
        shutil.rmtree(trigger.parent, ignore_errors=True)
        server.watch(str(seeds))
        return None
    server.watch(str(trigger.parent))
    return SeedsWatch(observer=observer, trigger=trigger)
