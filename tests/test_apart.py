"""The edition-wide pages made in a second, forked process (``build_edition.apart``), as the command line does.

The same bytes as a build in one process, before and after a change; what the second process
did is taken into the first one's index and manifest, so that the next build keeps it; a failure
there is raised here, with its traceback.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from build_edition.apart import Apart, ApartError
from build_edition.pipeline import BuildConfig, build
from helpers import SEEDS

TELEGRAM = "1950-09-30-shtykov-to-gromyko-600301"
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the system cannot fork")


def tree(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


@needs_fork
def test_a_value_comes_back_from_the_second_process() -> None:
    with Apart(lambda: {"pid": os.getpid(), "pages": ["a.md"]}, fork=True) as apart:
        assert apart.forked
        got = apart.result()
    assert got["pages"] == ["a.md"] and got["pid"] != os.getpid()


@needs_fork
def test_a_failure_in_the_second_process_is_raised_with_its_traceback() -> None:
    def fails() -> None:
        raise ValueError("no such register entry")

    with Apart(fails, fork=True) as apart, pytest.raises(ApartError, match="ValueError: no such register entry"):
        apart.result()


def test_without_fork_the_work_runs_when_its_result_is_asked_for() -> None:
    ran: list[int] = []
    apart = Apart(lambda: ran.append(os.getpid()) or len(ran), fork=False)
    assert not apart.forked and ran == []
    assert apart.result() == 1 and ran == [os.getpid()]


@needs_fork
def test_a_build_with_the_edition_pages_apart_gives_the_same_bytes_and_keeps_what_they_did(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configs = []
    for name, apart in (("one", False), ("two", True)):
        shutil.copytree(SEEDS, tmp_path / name / "seeds")
        configs.append(BuildConfig(seeds=tmp_path / name / "seeds", docs=tmp_path / name / "docs",
                                   shown_relative_to=tmp_path / name, jobs=2, edition_apart=apart))
    for config in configs:
        build(config)
    assert tree(configs[0].docs) == tree(configs[1].docs)
    for config in configs:  # one source changed: its pages, its year, its index and register entries again
        source = config.seeds / f"{TELEGRAM}.txt"
        source.write_text(source.read_text().replace("**Ciphered Telegram, Shtykov to Deputy Foreign",
                                                     "**Ciphered Telegram, Shtykov to First Deputy Foreign"))
        build(config)
    assert tree(configs[0].docs) == tree(configs[1].docs)
    assert "Shtykov to First Deputy Foreign Minister" in (configs[1].docs / "registers/persons/gromyko.md").read_text()
    # the second process's page groups are in the first one's index: a build in one process renders none again
    from build_edition import stages

    rendered: list[str] = []
    real = stages._write_group

    def recording(run: stages.Run, writer: object, group: stages.PageGroup) -> str:
        def render() -> object:
            rendered.append(group.name)
            return group.render()
        return real(run, writer, dataclasses.replace(group, render=render))  # type: ignore[arg-type]

    monkeypatch.setattr(stages, "_write_group", recording)
    source = configs[1].seeds / f"{TELEGRAM}.txt"
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))  # touched, not changed
    again = build(dataclasses.replace(configs[1], edition_apart=False))
    assert not again.reused and again.report.written == [] and rendered == []


@needs_fork
def test_a_cache_note_made_while_the_second_process_ran_is_on_the_diagnostics_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A note the first process makes after the second was forked (reading its cache) is on the diagnostics pages,
    which the first process renders once its documents' pages are done."""
    from build_edition import stages

    shutil.copytree(SEEDS, tmp_path / "seeds")
    config = BuildConfig(seeds=tmp_path / "seeds", docs=tmp_path / "docs", shown_relative_to=tmp_path, jobs=2,
                         edition_apart=True)
    build(config)
    real = stages._document_pages

    def noting(run: stages.Run, *args: object, **kwargs: object) -> object:
        run.cache.notes.append("documents/ab/abc.pickle could not be read (EOFError): rebuilt")
        return real(run, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stages, "_document_pages", noting)
    source = config.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("Seoul", "Seoul "))
    result = build(config)
    assert any(d.code == "cache-rebuilt" for d in result.diagnostics)
    report = (config.docs / "reports/diagnostics/cache-rebuilt.md").read_text()
    assert "abc.pickle could not be read" in report
    assert "[`cache-rebuilt`](diagnostics/cache-rebuilt.md)" in (config.docs / "reports/diagnostics.md").read_text()
    monkeypatch.setattr(stages, "_document_pages", real)
    source.write_text(source.read_text().replace("Seoul ", "Seoul"))
    build(config)  # no note this time: the pages written with the late one are not taken for this build's
    assert not (config.docs / "reports/diagnostics/cache-rebuilt.md").exists()
    assert "(diagnostics/cache-rebuilt.md)" not in (config.docs / "reports/diagnostics.md").read_text()


@needs_fork
def test_generated_files_checked_in_a_second_process_still_show_a_lost_and_an_edited_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line checks the generated files against the cache in a second process while it loads the index
    (``stages.StaleProbe``): a page lost and a TEI file edited by hand since, both of documents that did not change,
    are still found. The page is written again; the TEI file is the editor's now, left alone with a diagnostic."""
    from build_edition import stages

    shutil.copytree(SEEDS, tmp_path / "seeds")
    config = BuildConfig(seeds=tmp_path / "seeds", docs=tmp_path / "docs", shown_relative_to=tmp_path, jobs=2,
                         edition_apart=True)
    build(config)
    probed: list[frozenset[str] | None] = []
    real = stages.StaleProbe.result

    def noting(self: stages.StaleProbe) -> frozenset[str] | None:
        probed.append(real(self))
        return probed[-1]

    monkeypatch.setattr(stages.StaleProbe, "result", noting)
    lost = config.docs / "documents/1950-09-29-kim-pak-letter-cable-600308.md"
    edited = config.docs / "tei/1950-09-29-kim-pak-letter-cable-600308.xml"
    lost.unlink()
    text = edited.read_text()
    edited.write_text(text.replace("<title>", "<title>(edited) ", 1))
    source = config.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("Seoul", "Seoul "))  # so that the build is not a no-op
    result = build(config)
    assert probed == [frozenset({"documents/1950-09-29-kim-pak-letter-cable-600308.md",
                                 "tei/1950-09-29-kim-pak-letter-cable-600308.xml"})]
    assert lost.is_file() and "documents/1950-09-29-kim-pak-letter-cable-600308.md" in result.report.written
    assert "(edited)" in edited.read_text()
    assert [d.pos.path for d in result.diagnostics if d.code == "output-conflict"] == [str(edited)]


def test_a_page_this_build_wrote_is_written_again_over_it_and_an_editors_stays(tmp_path: Path) -> None:
    """``PageWriter.rewrite``: the diagnostics pages, written by the edition half, are written again when a cache
    note came later; over what this build wrote (no conflict), never over an editor's file."""
    from build_edition.writers.generated import GeneratedPage
    from build_edition.writers.output import PageWriter

    docs = tmp_path / "docs"
    first = PageWriter(docs)
    first.write(GeneratedPage(path="reports/mine.md", content="old\n"))
    first.write(GeneratedPage(path="reports/theirs.md", content="generated\n"))
    first.finish()
    (docs / "reports/theirs.md").write_text("the editor's\n")
    writer = PageWriter(docs)
    writer.write(GeneratedPage(path="reports/mine.md", content="first\n"))
    writer.write(GeneratedPage(path="reports/theirs.md", content="generated again\n"))
    writer.rewrite([GeneratedPage(path="reports/mine.md", content="second\n"),
                    GeneratedPage(path="reports/theirs.md", content="generated a third time\n")])
    report = writer.finish()
    assert (docs / "reports/mine.md").read_text() == "second\n"
    assert (docs / "reports/theirs.md").read_text() == "the editor's\n"
    assert report.written == ["reports/mine.md"] and report.kept == ["reports/theirs.md"]
    assert [d.code for d in report.diagnostics] == ["output-conflict"]
    assert PageWriter(docs).old["reports/mine.md"][0] == writer.new["reports/mine.md"][0]
