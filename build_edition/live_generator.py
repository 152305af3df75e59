"""The live preview's generator, in a process of its own.

Under ``mkdocs serve`` the generator runs at every save. Run in MkDocs' process, it shares the
interpreter with the live-reload server's threads, and so it cannot fork the edition-wide half of a
build into a second process as the command line does (``apart.py``: a process with threads must not
fork), it keeps the index of the whole edition in the server's heap (which every full pass of
Python's collector then goes through), and it takes turns with the threads. At 10,000 sources a
save's generator took 2.6 s there, against 1.3 s for the same build in a process without threads,
its edition-wide half apart (quiet machine).

So at the preview's first build, while MkDocs runs no thread yet, the hook forks a process that
does nothing but build (:class:`GeneratorProcess`). Asked over a pipe with a ``BuildConfig``, it
builds as the command line does, the edition-wide pages in a second process and the index held in
its memory between builds, and answers with what the hook uses of the result: not the documents'
summaries, which stay where they were made, and the diagnostics as a change to the last build's.
It ends when MkDocs closes the pipe (at shutdown, or when MkDocs' process ends in any way), and
ignores the terminal's Ctrl-C, which stops MkDocs. Where it cannot be started, or once it has
ended unasked, the builds run in MkDocs' process as before.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace
from typing import BinaryIO

from .model import Diagnostic
from .pipeline import BuildConfig, BuildResult, build

_LENGTH = 8


class GeneratorError(RuntimeError):
    """The build failed in the generator's process (its traceback is the message)."""


class GeneratorProcess:
    """A forked process that runs :func:`pipeline.build` on request (see the module's documentation)."""

    def __init__(self) -> None:
        self._child: tuple[int, BinaryIO, BinaryIO] | None = None
        self._diagnostics: tuple[Diagnostic, ...] = ()
        """The last build's diagnostics, which the next answer gives as a change to them (:func:`splice`)."""
        self.ended = False
        """It was started, and has ended or was stopped: builds run in this process from then on."""

    @property
    def running(self) -> bool:
        return self._child is not None

    def start(self) -> bool:
        """Fork the generator's process, if this process may (it runs no other thread, the system can fork) and
        has not done so before; whether it runs."""
        if self._child is not None or self.ended or not hasattr(os, "fork") or threading.active_count() > 1:
            return self._child is not None
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the generator's process: serve requests until the pipe closes, and end at once
            os.close(request_write)
            os.close(answer_read)
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                _serve(os.fdopen(request_read, "rb"), os.fdopen(answer_write, "wb"))
            finally:
                os._exit(0)  # no interpreter shutdown, no buffered output of MkDocs' process flushed twice
        os.close(request_read)
        os.close(answer_write)
        self._child = (pid, os.fdopen(request_write, "wb"), os.fdopen(answer_read, "rb"))
        return True

    def build(self, config: BuildConfig) -> BuildResult | None:
        """The build of ``config`` in the generator's process; None if that process is not running or ended without
        answering (the caller builds in its own). A build that failed there raises :class:`GeneratorError`."""
        if self._child is None:
            return None
        _, requests, answers = self._child
        try:
            _send(requests, config)
            answer = _receive(answers)
        except (OSError, EOFError, pickle.PickleError):
            answer = None
        if not isinstance(answer, tuple):
            self.stop()
            return None
        done, value, change = answer
        if not done:
            raise GeneratorError(f"the edition's generator failed:\n{value}")
        assert isinstance(value, BuildResult)
        self._diagnostics = spliced(self._diagnostics, change)
        return replace(value, diagnostics=self._diagnostics)

    def stop(self, wait: float = 2.0) -> None:
        """Close the pipe, which ends the process once it has answered the build it may be running; after ``wait``
        seconds, end it."""
        if self._child is None:
            return
        pid, requests, answers = self._child
        self._child = None
        self.ended = True
        for pipe in (requests, answers):
            try:
                pipe.close()
            except OSError:
                pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG) != (0, 0):
                    return
            except ChildProcessError:
                return
            time.sleep(0.02)
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Build on request. Python's cycle collector runs only between builds, once the answer is sent, and only
    through what the last build made: what was alive before is set apart (``gc.freeze``). Left to itself, it
    went through the whole held index during the answer's pickling (a second of CPU a save at 10,000 sources)."""
    gc.disable()
    sent: tuple[Diagnostic, ...] = ()
    while isinstance(config := _receive(requests), BuildConfig):
        try:
            result = build(config)
            answer: tuple[bool, object, Splice | None] = (True, _compact(result), splice(sent, result.diagnostics))
            sent = result.diagnostics
            del result
        except Exception:  # noqa: BLE001 - goes back to MkDocs' process, which raises it
            answer = (False, traceback.format_exc(), None)
        try:
            _send(answers, answer)
        except OSError:  # MkDocs' process is gone
            return
        del answer
        gc.collect()
        gc.freeze()


def _compact(result: BuildResult) -> BuildResult:
    """What the hook uses of a build's result but its diagnostics (sent as a change, :func:`splice`): the documents'
    summaries and variants stay here."""
    return replace(result, documents=(), variants={}, diagnostics=())


Splice = tuple[int, tuple[Diagnostic, ...], int]
"""A change to a sequence: how many items it keeps at its start, the items that come next, how many it keeps at
its end."""


def splice(old: Sequence[Diagnostic], new: Sequence[Diagnostic]) -> Splice:
    """``new`` as a change to ``old``. A save changes the diagnostics of one source, if any, and they come in the
    sources' order: the change is then a few items, not the 30,000 of a build at 10,000 sources (a fifth of a
    second to send whole)."""
    most = min(len(old), len(new))
    start = 0
    while start < most and old[start] == new[start]:
        start += 1
    end = 0
    while end < most - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    return start, tuple(new[start:len(new) - end]), end


def spliced(old: tuple[Diagnostic, ...], change: Splice | None) -> tuple[Diagnostic, ...]:
    if change is None:
        return old
    start, middle, end = change
    return old[:start] + middle + old[len(old) - end:]


def _send(pipe: BinaryIO, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(len(data).to_bytes(_LENGTH, "little") + data)
    pipe.flush()


def _receive(pipe: BinaryIO) -> object | None:
    """The next value sent, or None where the pipe closed (before a whole value came)."""
    head = pipe.read(_LENGTH)
    if len(head) < _LENGTH:
        return None
    size = int.from_bytes(head, "little")
    data = pipe.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)
