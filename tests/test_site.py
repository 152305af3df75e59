"""The generated edition through MkDocs, and the build's promises about docs/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_edition.pipeline import BuildConfig, build
from build_edition.writers.output import MANIFEST, read_manifest
from helpers import ROOT, SEEDS, copy_project

MKDOCS = Path(sys.executable).parent / "mkdocs"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's site files with the seeds, to build without touching the real docs/."""
    return copy_project(tmp_path)


@pytest.mark.slow
def test_generated_edition_builds_strict_with_no_warnings(project: Path) -> None:
    (project / "docs" / "notes.md").write_text("# The editor's notes\n", encoding="utf-8")
    run = subprocess.run([str(MKDOCS), "build", "--strict", "-d", str(project / "site")], cwd=project,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert not [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    # Generated pages are reached from the chronology and indexes: only a page of one's own is reported.
    omitted = run.stderr.split('are not included in the "nav" configuration:\n', 1)[1].split("\nINFO", 1)[0]
    assert omitted.split() == ["-", "notes.md"]
    pages = list((project / "site" / "documents").glob("*/index.html"))
    assert len(pages) == len(list(SEEDS.glob("*.txt")))
    html = (project / "site" / "documents" / "1950-09-30-shtykov-to-gromyko-600301" / "index.html").read_text()
    assert '<meta name="citation_title" content="Ciphered Telegram, Shtykov to Deputy Foreign Minister' in html
    assert '<meta name="citation_date" content="1950/09/30">' in html
    assert 'class="footnote"' in html and "Transmission record" in html


def test_hand_written_page_survives_rebuilds(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    mine = docs / "about.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# About\n\nWritten by the editor.\n")
    config = BuildConfig(seeds=SEEDS, docs=docs, shown_relative_to=ROOT)
    build(config)
    build(config)
    assert mine.read_text() == "# About\n\nWritten by the editor.\n"
    assert "about.md" not in read_manifest(docs)


def test_hand_written_file_where_a_page_would_go_is_kept(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs).mkdir()
    (docs / "method.md").write_text("# My own method page\n")
    result = build(BuildConfig(seeds=SEEDS, docs=docs, shown_relative_to=ROOT))
    assert (docs / "method.md").read_text() == "# My own method page\n"
    assert "method.md" in result.report.kept
    assert any(d.code == "output-conflict" for d in result.diagnostics)


def test_second_build_writes_nothing_and_edited_pages_are_not_overwritten(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    config = BuildConfig(seeds=SEEDS, docs=docs, shown_relative_to=ROOT)
    first = build(config)
    assert first.report.written and (docs / MANIFEST).exists()
    second = build(config)
    assert second.report.written == [] and second.report.removed == []
    page = next((docs / "documents").glob("*.md"))
    page.write_text(page.read_text() + "\nAn editor's addition.\n")
    third = build(config)
    assert "An editor's addition." in page.read_text()
    assert third.report.kept == [page.relative_to(docs).as_posix()]


def test_pages_of_removed_sources_are_removed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    docs = tmp_path / "docs"
    config = BuildConfig(seeds=seeds, docs=docs, shown_relative_to=tmp_path)
    build(config)
    gone = next(seeds.glob("*600382.txt"))
    gone.unlink()
    result = build(config)
    assert f"documents/{gone.stem}.md" in result.report.removed
    assert not (docs / "documents" / f"{gone.stem}.md").exists()


def test_two_builds_give_identical_docs(tmp_path: Path) -> None:
    outputs = []
    for n in (1, 2):
        docs = tmp_path / f"docs{n}"
        build(BuildConfig(seeds=SEEDS, docs=docs, shown_relative_to=ROOT))
        outputs.append({p.relative_to(docs): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]


def test_unchanged_inputs_are_reused_and_a_touched_source_is_rebuilt(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    docs = tmp_path / "docs"
    config = BuildConfig(seeds=seeds, docs=docs, shown_relative_to=tmp_path, reuse_unchanged=True)
    assert not build(config).reused
    assert build(config).reused
    source = next(seeds.glob("*600301.txt"))
    source.write_text(source.read_text().replace("The situation in Seoul is also murky.", "Seoul is murky."))
    again = build(config)
    assert not again.reused
    assert again.report.written == ["documents/1950-09-30-shtykov-to-gromyko-600301.md",
                                    "tei/1950-09-30-shtykov-to-gromyko-600301.xml"]
    (docs / "index.md").unlink()
    assert not build(config).reused  # a missing page is regenerated


def test_no_page_the_build_generates_is_tracked_in_git(tmp_path: Path) -> None:
    """A generated page committed to docs/ would be taken for the editor's own and never regenerated."""
    tracked = subprocess.run(["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True, check=False)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    build(BuildConfig(seeds=SEEDS, docs=tmp_path / "docs", shown_relative_to=ROOT))
    generated = {f"docs/{path}" for path in read_manifest(tmp_path / "docs")}
    assert generated and not generated & set(tracked.stdout.split())


def test_the_live_preview_watches_what_people_write_in_docs_not_the_generated_pages(tmp_path: Path) -> None:
    import importlib.util
    from types import SimpleNamespace

    shutil.copytree(ROOT / "docs" / "assets", tmp_path / "docs" / "assets")  # what git holds of docs/
    shutil.copy(ROOT / "docs" / "search.md", tmp_path / "docs" / "search.md")
    build(BuildConfig(seeds=SEEDS, docs=tmp_path / "docs", shown_relative_to=ROOT, cache=tmp_path / "cache"))
    (tmp_path / "docs" / "notes.md").write_text("# The editor's notes\n")
    spec = importlib.util.spec_from_file_location("edition_hook", ROOT / "build_edition" / "mkdocs_hook.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)

    class Server:
        def __init__(self) -> None:
            self.watched = {str(tmp_path / "docs")}

        def watch(self, path: str) -> None:
            self.watched.add(path)

        def unwatch(self, path: str) -> None:
            self.watched.remove(path)

    server = Server()
    config = SimpleNamespace(docs_dir=str(tmp_path / "docs"), config_file_path=str(tmp_path / "mkdocs.yml"))
    (tmp_path / "seeds").mkdir()
    try:
        assert hook.on_serve(server, config, builder=None) is server
    finally:
        hook.on_shutdown()
    shown = {Path(p).relative_to(tmp_path / "docs").as_posix() for p in server.watched if p.startswith(config.docs_dir)}
    assert shown == {"assets", "search.md", "notes.md"}  # the generated documents/, index.md, ... are not polled
