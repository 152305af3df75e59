"""The live preview's generator, in a process of its own.

Under ``mkdocs serve`` the generator runs at every save. Run in MkDocs' process, it shares the
interpreter with the live-reload server's threads, and so it cannot fork the edition-wide half of a
build into a second process as the command line does (``apart.py``: a process with threads must not
fork), it keeps the index of the whole edition in the server's heap (which every full pass of
Python's collector then goes through), and it takes turns with the threads. At 10,000 sources a
save's generator took 2.6 s there, against 1.3 s for the same build in a process without threads,
its edition-wide half apart (quiet machine).

So at the preview's first build the hook starts a process that does nothing but build
(:class:`GeneratorProcess`): a new interpreter (``python -m build_edition.live_generator``, started
as a subprocess, which a process with threads may do), with the generator's code freshly loaded.
Asked over a pipe with a ``BuildConfig``, it builds as the command line does, the edition-wide pages
in a second process and the index held in its memory between builds, and answers with what the hook
uses of the result: not the documents' summaries, which stay where they were made, and the
diagnostics as a change to the last build's. When the package's files change while the preview
runs (mkdocs.yml watches ``build_edition/``), the next build starts a new process, which runs the
new code; a process never labels what it makes with the fingerprint of code it does not run
(``cache.loaded_code``). The process ends when MkDocs closes the pipe (at shutdown, or when MkDocs'
process ends in any way), and ignores the terminal's Ctrl-C, which stops MkDocs. Where it cannot be
started, or once it has ended unasked, the builds run in MkDocs' process as before.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from .cache import code_fingerprint, loaded_code
from .model import Diagnostic
from .pipeline import BuildConfig, BuildResult, build, free_left_over

_LENGTH = 8


class GeneratorError(RuntimeError):
    """The build failed in the generator's process (its traceback is the message)."""


class GeneratorProcess:
    """A process of its own that runs :func:`pipeline.build` on request (see the module's documentation)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self.code = ""
        """The fingerprint of the code the process runs (``cache.loaded_code``)."""
        self._diagnostics: tuple[Diagnostic, ...] = ()
        """The last build's diagnostics, which the next answer gives as a change to them (:func:`splice`)."""
        self.ended = False
        """It was started, and has ended unasked or was stopped: builds run in this process from then on."""

    @property
    def running(self) -> bool:
        return self._process is not None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> bool:
        """Start the generator's process, unless it runs or has ended; whether it runs."""
        if self._process is None and not self.ended:
            self._launch()
        return self._process is not None

    def _launch(self) -> None:
        package_root = str(Path(__file__).resolve().parent.parent)  # the code this process imported, not another
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (package_root, os.environ.get("PYTHONPATH")))))
        try:
            process = subprocess.Popen([sys.executable, "-m", "build_edition.live_generator"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, env=env)
        except OSError:
            self.ended = True
            return
        assert process.stdout is not None
        code = _receive(process.stdout)  # it says which code it loaded once it has loaded it
        if not isinstance(code, str):
            _end(process)
            self.ended = True
            return
        self._process, self.code, self._diagnostics = process, code, ()

    def build(self, config: BuildConfig) -> BuildResult | None:
        """The build of ``config`` in the generator's process; None if that process is not running or ended without
        answering (the caller builds in its own). A build that failed there raises :class:`GeneratorError`.
        Where the package's files changed since the process loaded them, a new process with the new code builds."""
        if self._process is not None and code_fingerprint() != self.code:
            _end(self._process)
            self._process = None
            self._launch()
        if self._process is None:
            return None
        requests, answers = self._process.stdin, self._process.stdout
        assert requests is not None and answers is not None
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

    def stop(self) -> None:
        """End the process: once it has answered the build it may be running, or after two seconds."""
        if self._process is not None:
            _end(self._process)
        self._process = None
        self.ended = True


def _end(process: subprocess.Popen[bytes], wait: float = 2.0) -> None:
    """Close the process's pipe, which ends it once it has answered; after ``wait`` seconds, end it."""
    for pipe in (process.stdin, process.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        process.terminate()
        process.wait()


def main() -> None:
    """The generator's process: loads the code, says which, and builds on request until its input closes."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to MkDocs' terminal, not into the answers
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops MkDocs, which then closes the pipe
    from . import stages  # noqa: F401 - all the builds' code loaded before its fingerprint is taken

    _send(answers, loaded_code())
    try:
        _serve(sys.stdin.buffer, answers)  # each answer is flushed as it is sent
    except BaseException:  # noqa: BLE001 - shown on MkDocs' terminal; MkDocs then builds in its own process
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(0)  # freeing the held index object by object would only keep MkDocs' shutdown waiting


def _serve(requests: IO[bytes], answers: IO[bytes]) -> None:
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
        free_left_over()
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


def _send(pipe: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(len(data).to_bytes(_LENGTH, "little") + data)
    pipe.flush()


def _receive(pipe: IO[bytes]) -> object | None:
    """The next value sent, or None where the pipe closed (before a whole value came)."""
    head = pipe.read(_LENGTH)
    if len(head) < _LENGTH:
        return None
    size = int.from_bytes(head, "little")
    data = pipe.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


if __name__ == "__main__":
    main()
