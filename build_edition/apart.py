"""A piece of a build run in a second process, forked, while this one goes on with another.

The edition stage after a change has two independent halves of about the same size: the documents'
pages and downloads, and the edition-wide pages (chronology, indexes, registers). On a machine with
two cores they can run side by side. The child is forked, so it starts with the parent's memory
as it is (copy-on-write): nothing is sent to it, and only its result comes back, pickled, through
a pipe. A process that runs threads (MkDocs' live-reload server) must not fork; there, and where the
system cannot fork, the work runs in this process when its result is asked for.
"""

from __future__ import annotations

import os
import pickle
import signal
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

R = TypeVar("R")


class ApartError(RuntimeError):
    """The second process failed, or ended without its result."""


class Apart(Generic[R]):
    """``work()`` in a forked child when ``fork`` is true and the system can; :meth:`result` gives its value (or
    raises what went wrong there as :class:`ApartError`); :meth:`close` ends the child if the result was never
    asked for. Use it as a context manager so that a failure of the parent never leaves the child behind."""

    def __init__(self, work: Callable[[], R], fork: bool) -> None:
        self._work = work
        self._child: tuple[int, int] | None = None
        if fork and hasattr(os, "fork"):
            self._child = _start(work)
        self.forked = self._child is not None
        """Did the work run in a second process? (Its result then holds what that process did to its copy of the
        parent's memory, which the parent must take in.)"""

    def result(self) -> R:
        if self._child is None:
            return self._work()
        pid, fd = self._child
        self._child = None
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise ApartError(f"the second process of the build ended without its result (wait status {status})")
        done, value = pickle.loads(data)
        if not done:
            raise ApartError(f"the second process of the build failed:\n{value}")
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._child is None:
            return
        pid, fd = self._child
        self._child = None
        os.close(fd)
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass

    def __enter__(self) -> Apart[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _start(work: Callable[[], R]) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)  # the child: do the work, send back its value or what went wrong, and end at once
    try:
        payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - everything goes back to the parent, which raises it
        payload = pickle.dumps((False, traceback.format_exc()))
    try:
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)  # no interpreter shutdown, no buffered output of the parent flushed twice
