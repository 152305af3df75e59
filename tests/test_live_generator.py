"""The live preview's generator in a process of its own (``build_edition/live_generator.py``)."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hypothesis import given
from hypothesis import strategies as st

from build_edition.live_generator import GeneratorError, GeneratorProcess, splice, spliced
from build_edition.model import Diagnostic, Severity, SourcePos
from build_edition.pipeline import BuildConfig, build
from helpers import SEEDS

TELEGRAM = "1950-09-30-shtykov-to-gromyko-600301"


def tree(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def project(root: Path) -> BuildConfig:
    shutil.copytree(SEEDS, root / "seeds")
    return BuildConfig(seeds=root / "seeds", docs=root / "docs", shown_relative_to=root, jobs=2,
                       hold_index=True, edition_apart=True)


def child_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def generator() -> Iterator[GeneratorProcess]:
    process = GeneratorProcess()
    assert process.start()
    yield process
    process.stop()


def test_its_builds_give_what_a_build_here_gives_and_it_holds_the_index(tmp_path: Path,
                                                                       generator: GeneratorProcess) -> None:
    there, here = project(tmp_path / "there"), project(tmp_path / "here")
    first = generator.build(there)
    assert first is not None and first.document_count == 5 and first.read == 5
    assert first.documents == () and first.variants == {}  # the summaries stay in the generator's process
    reference = build(here)
    assert tree(there.docs) == tree(here.docs)
    assert first.diagnostics == reference.diagnostics and first.report.written == reference.report.written
    for config in (there, here):  # a stray bracket: one more diagnostic
        source = config.seeds / f"{TELEGRAM}.txt"
        source.write_text(source.read_text().replace("Seoul", "Seoul]"))
    again, reference = generator.build(there), build(here)
    assert again is not None and again.read == 1 and again.report.written == reference.report.written
    assert again.diagnostics == reference.diagnostics != first.diagnostics  # sent as a change to the first's
    assert tree(there.docs) == tree(here.docs)
    assert "documents/" + TELEGRAM + ".md" in again.report.written


def test_a_build_that_fails_there_is_raised_here_and_the_next_one_runs(tmp_path: Path,
                                                                       generator: GeneratorProcess) -> None:
    config = project(tmp_path / "p")
    (tmp_path / "p" / "docs").write_text("a file where the docs folder should be")
    with pytest.raises(GeneratorError, match="Traceback"):
        generator.build(config)
    (tmp_path / "p" / "docs").unlink()
    assert generator.running
    result = generator.build(config)
    assert result is not None and result.document_count == 5


def test_a_generator_killed_ends_cleanly_and_the_caller_builds_itself(tmp_path: Path) -> None:
    generator = GeneratorProcess()
    assert generator.start()
    pid = generator.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert generator.build(project(tmp_path / "p")) is None
    assert generator.ended and not generator.running and not child_exists(pid)  # reaped, no zombie
    assert not generator.start()  # not started again: the builds stay in this process


def test_ctrl_c_on_the_terminal_does_not_stop_it(tmp_path: Path, generator: GeneratorProcess) -> None:
    os.kill(generator.pid, signal.SIGINT)  # type: ignore[arg-type]
    result = generator.build(project(tmp_path / "p"))
    assert result is not None and result.document_count == 5


def test_closing_the_pipe_ends_it() -> None:
    generator = GeneratorProcess()
    assert generator.start()
    pid = generator.pid
    generator.stop()
    assert pid is not None and not child_exists(pid) and generator.ended


def test_it_starts_where_another_thread_runs(tmp_path: Path) -> None:
    """A new interpreter, not a fork: MkDocs' server threads do not stand in its way."""
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    generator = GeneratorProcess()
    try:
        assert generator.start() and generator.pid != os.getpid()
        result = generator.build(project(tmp_path / "p"))
        assert result is not None and result.document_count == 5
    finally:
        generator.stop()
        release.set()
        thread.join()


def test_when_the_code_changed_a_new_process_runs_the_new_code(tmp_path: Path, generator: GeneratorProcess,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition import cache, live_generator

    config = project(tmp_path / "p")
    assert generator.build(config) is not None
    assert generator.code == cache.code_fingerprint()  # the process says which code it loaded
    first = generator.pid
    monkeypatch.setattr(live_generator, "code_fingerprint", lambda: "the files of another version")
    again = generator.build(config)
    assert again is not None and generator.pid != first and not child_exists(first)  # type: ignore[arg-type]
    assert again.reused  # the new process found the cache the first one left, made by the same code


def test_a_process_labels_what_it_makes_with_the_code_it_loaded(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    """The files may change after a process loaded them (a live preview runs for hours): its builds keep the
    fingerprint of the code they run, never the new files'."""
    from build_edition import cache

    loaded = cache.loaded_code()
    (tmp_path / "new.py").write_text("CHANGED = True\n")
    monkeypatch.setattr(cache, "_PACKAGE", tmp_path)
    assert cache.code_fingerprint() != loaded and cache.loaded_code() == loaded


DIAGNOSTICS = st.lists(st.builds(lambda path, line: Diagnostic(pos=SourcePos(path=path, line=line),
                                                               severity=Severity.WARNING, code="stray-bracket",
                                                               message="closing bracket with no opening bracket"),
                                 st.sampled_from(["a.txt", "b.txt"]), st.integers(1, 3)), max_size=8)


@given(DIAGNOSTICS, DIAGNOSTICS)
def test_a_change_to_the_diagnostics_gives_the_new_ones(old: list[Diagnostic], new: list[Diagnostic]) -> None:
    assert spliced(tuple(old), splice(old, new)) == tuple(new)


def test_a_change_to_one_diagnostic_sends_that_one_only() -> None:
    old = tuple(Diagnostic(pos=SourcePos(path=f"s{n}.txt", line=1), severity=Severity.INFO, code="paragraph-joined",
                           message="joined") for n in range(1000))
    new = old[:500] + (Diagnostic(pos=SourcePos(path="s500.txt", line=2), severity=Severity.INFO,
                                  code="paragraph-joined", message="joined"),) + old[501:]
    assert splice(old, new) == (500, new[500:501], 499)
    assert splice(old, old) == (1000, (), 0) and spliced(old, None) == old
