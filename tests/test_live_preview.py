"""The live preview (``mkdocs serve --dirty``): what the edition's hook does at each save."""

from __future__ import annotations

import gc
import importlib.util
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace

import jinja2
import pytest
from mkdocs.structure.files import File, Files
from watchdog.events import (FileClosedEvent, FileClosedNoWriteEvent, FileCreatedEvent, FileDeletedEvent,
                             FileModifiedEvent, FileMovedEvent, FileOpenedEvent)

from build_edition.live_rebuild import (CompiledTemplates, DocsListing, PagesOutOfNav, PreviewState, QuietCollector,
                                        mark_current)
from build_edition.pipeline import BuildConfig
from build_edition.seeds_watch import _Forward, watch_seeds
from helpers import ROOT, copy_project

EDITED = "1950-09-30-shtykov-to-gromyko-600301.txt"


def load_hook() -> ModuleType:
    """A fresh copy of the edition's MkDocs hook (its state is per process, as MkDocs loads it once)."""
    spec = importlib.util.spec_from_file_location("edition_hook_under_test", ROOT / "build_edition" / "mkdocs_hook.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    lines = [r.getMessage() for r in caplog.records if r.name == "mkdocs.hooks.edition"]
    caplog.clear()
    return lines


def test_a_save_logs_only_the_diagnostics_it_brought(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    project = copy_project(tmp_path / "project")
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), docs_dir=str(project / "docs"))
    monkeypatch.setenv("EDITION_LIVE_PREVIEW", "1")
    caplog.set_level(logging.INFO, logger="mkdocs.hooks.edition")
    hook = load_hook()
    try:
        saves_log_only_their_diagnostics(hook, config, project, caplog)
    finally:
        hook.on_shutdown()  # ends the generator's process (live_generator.py)


def saves_log_only_their_diagnostics(hook: ModuleType, config: SimpleNamespace, project: Path,
                                     caplog: pytest.LogCaptureFixture) -> None:
    hook.on_pre_build(config)
    first = logged(caplog)
    diagnostics = [line for line in first if line.startswith("seeds/")]
    assert diagnostics  # the seeds have diagnostics of their own (unregistered names, joined paragraphs...)

    source = project / "seeds" / EDITED
    lines = source.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("The situation in Seoul is also murky."))
    lines[line - 1] = lines[line - 1].replace("is also murky.", "is also murky.]")
    source.write_text("\n".join(lines), encoding="utf-8")
    hook.on_pre_build(config)
    again = logged(caplog)
    assert [text for text in again if text.startswith("seeds/")] == [
        f"seeds/{EDITED}:{line}: warning: closing bracket with no opening bracket [stray-bracket]"]
    assert f"edition: {len(diagnostics) + 1} diagnostics, 1 of them new since the last build" in " ".join(again)


def test_a_build_outside_the_live_preview_logs_every_diagnostic_each_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    project = copy_project(tmp_path / "project")
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), docs_dir=str(project / "docs"))
    monkeypatch.delenv("EDITION_LIVE_PREVIEW", raising=False)
    caplog.set_level(logging.INFO, logger="mkdocs.hooks.edition")
    hook = load_hook()
    hook.on_pre_build(config)
    first = [line for line in logged(caplog) if line.startswith("seeds/")]
    source = project / "seeds" / EDITED
    source.write_text(source.read_text(encoding="utf-8").replace("is also murky.", "is murky."), encoding="utf-8")
    hook.on_pre_build(config)
    assert [line for line in logged(caplog) if line.startswith("seeds/")] == first


def wait_until(test: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Poll ``test`` until it holds (a bounded wait, not a measured time)."""
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {timeout:.0f} s")
        time.sleep(0.05)


class RecordingServer:
    """What the hook uses of MkDocs' LiveReloadServer: the paths it is asked to poll."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)

    def unwatch(self, path: str) -> None:
        self.watched.remove(path)


def test_the_server_polls_one_trigger_file_that_a_save_in_seeds_rewrites(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "registers").mkdir(parents=True)
    source = seeds / "1950-01-01-a.txt"
    source.write_text("A telegram.\n", encoding="utf-8")
    server = RecordingServer()
    watching = watch_seeds(server, seeds)
    if watching is None:
        pytest.skip("this system gives no file events: the server polls seeds/ itself")
    try:
        assert server.watched == [str(watching.trigger.parent)]  # not seeds/: its 10,000 files are not polled
        before = watching.trigger.read_text(encoding="utf-8")
        (seeds / "registers" / "persons.yml").write_text("- id: someone\n", encoding="utf-8")  # a subfolder too
        wait_until(lambda: watching.trigger.read_text(encoding="utf-8") != before, "trigger after a save")
    finally:
        watching.stop()
    assert not watching.trigger.parent.exists()


def test_reading_a_source_is_not_a_change(tmp_path: Path) -> None:
    """The build reads sources: were a read taken for a save, every build would start another."""
    told: list[None] = []
    forward = _Forward(lambda: told.append(None))
    path = str(tmp_path / "seeds" / "a.txt")
    for read in (FileOpenedEvent(path), FileClosedNoWriteEvent(path)):
        forward.on_any_event(read)
    assert told == []
    for change in (FileModifiedEvent(path), FileCreatedEvent(path), FileDeletedEvent(path),
                   FileMovedEvent(path, path + ".bak"), FileClosedEvent(path)):
        forward.on_any_event(change)
    assert len(told) == 5


def test_a_save_in_seeds_makes_mkdocs_live_reload_server_build_again(tmp_path: Path) -> None:
    """With MkDocs' own server: the change reaches its observer's queue, with no wait for a poll."""
    from mkdocs.livereload import LiveReloadServer

    seeds, site = tmp_path / "seeds", tmp_path / "site"
    seeds.mkdir()
    site.mkdir()
    builds: list[float] = []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = LiveReloadServer(builder=lambda: builds.append(time.monotonic()), host="127.0.0.1", port=port,
                              root=str(site))
    watching = watch_seeds(server, seeds)
    if watching is None:
        pytest.skip("this system gives no file events: the server polls seeds/ itself")
    serving = threading.Thread(target=server.serve, daemon=True)
    serving.start()
    try:
        wait_until(lambda: server.observer.is_alive(), "server's observer")
        (seeds / "1950-01-01-a.txt").write_text("A telegram.\n", encoding="utf-8")
        wait_until(lambda: bool(builds), "rebuild after a save")
        assert watching.trigger.read_text(encoding="utf-8") == "0\n"  # told through the queue, not the file
    finally:
        server.shutdown()
        watching.stop()
        serving.join(timeout=10)


def test_without_a_seeds_folder_the_server_polls_the_path_it_was_given(tmp_path: Path) -> None:
    server = RecordingServer()
    assert watch_seeds(server, tmp_path / "no-seeds") is None
    assert server.watched == [str(tmp_path / "no-seeds")]


# Builds a project as ``mkdocs serve`` does (its builder: the configuration loaded again for each build,
# the server's address as site_url) in one process, one build per line read: "dirty" or "clean".
SERVE_BUILDS = r"""
import os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

project, site, url = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
started = False
for line in sys.stdin:
    dirty = line.strip() == "dirty"
    config = load_config(str(project / "mkdocs.yml"), site_dir=site)
    config.site_url = url
    if not started:
        config.plugins.on_startup(command="serve", dirty=dirty)
        started = True
    build(config, serve_url=url, dirty=dirty)
    print("built", flush=True)
config.plugins.on_shutdown()
"""
URL = "http://127.0.0.1:8000/telegram-edition/"


class ServeBuilds:
    """A process that builds a project the way ``mkdocs serve`` does, when told to."""

    def __init__(self, project: Path) -> None:
        self.site = project.parent / (project.name + "-site")
        self.process = subprocess.Popen([sys.executable, "-c", SERVE_BUILDS, str(project), str(self.site), URL],
                                        cwd=project, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=serve_env())

    def build(self, kind: str) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(kind + "\n")
        self.process.stdin.flush()
        if self.process.stdout.readline().strip() != "built":
            self.process.kill()
            raise AssertionError(self.process.communicate()[1][-3000:])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.communicate(timeout=120)


def serve_env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    for name in ("EDITION_SEEDS", "EDITION_LIVE_PREVIEW", "EDITION_LIVE_PREVIEW_KEPT", "SITE_URL"):
        env.pop(name, None)
    return env


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site but the search bundle (a live preview keeps its first build's)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.relative_to(site).parts[0] != "pagefind"}


def fresh_site(tmp_path: Path, name: str, seeds: Path) -> dict[str, bytes]:
    """The site a whole build of ``seeds`` gives, in a project of its own."""
    project = copy_project(tmp_path / name, seeds=seeds)
    builds = ServeBuilds(project)
    try:
        builds.build("clean")
    finally:
        builds.close()
    return site_files(builds.site)


def differences(served: dict[str, bytes], fresh: dict[str, bytes]) -> list[str]:
    return sorted(set(served) ^ set(fresh)) + sorted(p for p in set(served) & set(fresh) if served[p] != fresh[p])


@pytest.mark.slow
def test_after_each_save_the_preview_site_is_what_a_whole_build_gives(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "preview")
    seeds = project / "seeds"
    preview = ServeBuilds(project)
    try:
        preview.build("dirty")
        first = site_files(preview.site)
        source = seeds / EDITED
        text = source.read_text(encoding="utf-8")
        assert "**Ciphered Telegram, Shtykov to Deputy Foreign  \nMinister" in text
        source.write_text(text.replace("**Ciphered Telegram, Shtykov", "**Revised Ciphered Telegram, Shtykov"),
                          encoding="utf-8")
        preview.build("dirty")
        edited = site_files(preview.site)
        assert differences(edited, fresh_site(tmp_path, "fresh-edited", seeds)) == []
        page = "documents/1950-09-30-shtykov-to-gromyko-600301/index.html"
        assert b"Revised Ciphered Telegram, Shtykov" in edited[page] and page in differences(edited, first)

        added = seeds / "1950-10-01-a-copy-600301.txt"  # a new source: new pages, a longer sitemap
        shutil.copyfile(source, added)
        preview.build("dirty")
        grown = site_files(preview.site)
        assert differences(grown, fresh_site(tmp_path, "fresh-added", seeds)) == []
        assert "documents/1950-10-01-a-copy-600301/index.html" in grown
        assert b"1950-10-01-a-copy-600301/" in grown["sitemap.xml"]
    finally:
        preview.close()


def test_a_file_marked_current_is_not_copied_again_by_a_dirty_build(tmp_path: Path) -> None:
    """MkDocs' dirty build asks ``File.is_modified()`` before copying: what the marking relies on."""
    docs, site = tmp_path / "docs", tmp_path / "site"
    for folder, text in ((site, "old"), (docs, "new")):  # the source written after the site's copy
        (folder / "tei").mkdir(parents=True)
        for name in ("a.xml", "b.xml"):
            (folder / "tei" / name).write_text(text, encoding="utf-8")
    os.utime(site / "tei" / "a.xml", ns=(1, 1))
    os.utime(site / "tei" / "b.xml", ns=(1, 1))
    files = Files([File(f"tei/{name}", str(docs), str(site), True) for name in ("a.xml", "b.xml")])
    assert mark_current(files, frozenset({"tei/a.xml"}), str(docs)) == 1
    files.copy_static_files(dirty=True)
    assert (site / "tei" / "a.xml").read_text(encoding="utf-8") == "old"  # marked: left as it is
    assert (site / "tei" / "b.xml").read_text(encoding="utf-8") == "new"  # not marked: MkDocs' own check


def test_docs_are_listed_from_the_last_listing_as_mkdocs_lists_them_until_a_name_or_setting_changes(
        tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import InclusionLevel, get_files

    for name in ("index.md", "documents/a.md", "tei/a.xml", ".hidden.md", "templates/t.html", "drafts/d.md"):
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text("# A page\n", encoding="utf-8")
    settings = tmp_path / "mkdocs.yml"
    settings.write_text("site_name: T\ndraft_docs: drafts/\n", encoding="utf-8")

    def config():  # type: ignore[no-untyped-def]  # loaded again for each build, as mkdocs serve does
        return load_config(str(settings), site_dir=str(tmp_path / "site"))

    def shown(files: Files) -> list[tuple[type, dict[str, object]]]:
        return [(type(f), dict(vars(f))) for f in files]

    listed: list[int] = []
    listing = DocsListing()

    def listed_by_mkdocs(c):  # type: ignore[no-untyped-def]
        listed.append(1)
        return get_files(c)

    first = listing.files(config(), listed_by_mkdocs)
    assert shown(first) == shown(get_files(config())) and len(listed) == 1
    assert {f.src_uri: f.inclusion for f in first}[".hidden.md"] is InclusionLevel.EXCLUDED
    for file in first:  # what a build does to its files
        file.page = SimpleNamespace()  # type: ignore[assignment]
        file.inclusion = InclusionLevel.NOT_IN_NAV
    again = listing.files(config(), listed_by_mkdocs)
    assert len(listed) == 1  # the same names: made from the last listing, not by MkDocs
    assert shown(again) == shown(get_files(config())) and not {id(f) for f in again} & {id(f) for f in first}
    (tmp_path / "docs" / "documents" / "b.md").write_text("# B\n", encoding="utf-8")
    grown = listing.files(config(), listed_by_mkdocs)
    assert len(listed) == 2 and "documents/b.md" in {f.src_uri for f in grown}
    (tmp_path / "docs" / "tei" / "a.xml").unlink()
    assert "tei/a.xml" not in {f.src_uri for f in listing.files(config(), listed_by_mkdocs)} and len(listed) == 3
    settings.write_text("site_name: T\ndraft_docs: drafts/\nexclude_docs: tei/\n", encoding="utf-8")
    os.utime(settings, ns=(1, 1))
    excluded = listing.files(config(), listed_by_mkdocs)
    assert len(listed) == 4 and shown(excluded) == shown(get_files(config()))


def test_pages_out_of_the_nav_are_made_from_the_last_builds_as_mkdocs_makes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    for name in ("index.md", "documents/a.md", "documents/b.md", "tei/a.xml"):
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text("# A page\n", encoding="utf-8")
    settings = tmp_path / "mkdocs.yml"

    def config(site: str = "https://example.org/edition/"):  # type: ignore[no-untyped-def]
        settings.write_text(f"site_name: T\nsite_url: {site}\nrepo_url: https://example.org/repo\n"
                            "edit_uri: edit/main/docs/\nnav:\n  - Home: index.md\n", encoding="utf-8")
        return load_config(str(settings), site_dir=str(tmp_path / "site"))

    def made_by_mkdocs(c):  # type: ignore[no-untyped-def]
        files = get_files(c)
        get_navigation(files, c)
        return {f.src_uri: f.page for f in files.documentation_pages()}

    pages = PagesOutOfNav()
    first_config = config()
    files = get_files(first_config)
    nav = get_navigation(files, first_config)
    pages.note(files, nav.pages, first_config)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")  # the next build is of another day
    later = config()
    files = get_files(later)
    assert pages.make(files, later) == 2  # the two documents; the home page is the navigation's
    made = {f.src_uri: f.page for f in files.documentation_pages() if f.page is not None}
    assert set(made) == {"documents/a.md", "documents/b.md"}
    fresh = made_by_mkdocs(later)
    for uri, page in made.items():
        assert isinstance(page, Page) and page.file.page is page
        expected = {k: v for k, v in vars(fresh[uri]).items() if k != "file"}
        assert {k: v for k, v in vars(page).items() if k != "file"} == expected
        assert page.update_date == "1970-01-02" and page.edit_url == "https://example.org/repo/edit/main/docs/" + uri
    assert made["documents/a.md"].toc is not made["documents/b.md"].toc  # placeholders of their own
    get_navigation(files, later)  # MkDocs keeps the pages it finds made, and makes the home page its own
    assert {f.src_uri: f.page for f in files.documentation_pages()}["documents/a.md"] is made["documents/a.md"]
    moved = config("https://example.org/moved/")
    assert pages.make(get_files(moved), moved) == 0  # another site address: MkDocs makes every page


def test_a_live_preview_lists_docs_through_its_listing_and_gives_mkdocs_its_own_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure import files as mkdocs_files

    hook = load_hook()
    assert mkdocs_build.get_files is mkdocs_files.get_files
    hook.on_config(SimpleNamespace())  # not a live preview: MkDocs lists docs/ itself
    assert mkdocs_build.get_files is mkdocs_files.get_files
    monkeypatch.setenv("EDITION_LIVE_PREVIEW", "1")
    try:
        hook.on_config(SimpleNamespace())
        installed = mkdocs_build.get_files
        hook.on_config(SimpleNamespace())  # each build's configuration: installed once, not wrapped again
        assert mkdocs_build.get_files is installed and installed.func == hook._LISTING.files  # type: ignore[attr-defined]
    finally:
        hook.on_shutdown()
    assert mkdocs_build.get_files is mkdocs_files.get_files


def test_a_file_written_before_a_failed_build_is_not_taken_for_current() -> None:
    state = PreviewState()
    state.generated(written=["a.md"], unchanged=["b.md"])
    assert state.current == frozenset()  # the first build: the site is empty
    state.succeeded()
    state.generated(written=["a.md"], unchanged=["b.md", "c.md"])
    assert state.current == {"b.md", "c.md"}
    # This build fails in MkDocs: the next one finds a.md as the generator left it, its copy behind.
    state.generated(written=[], unchanged=["a.md", "b.md", "c.md"])
    assert state.current == {"b.md", "c.md"}
    state.succeeded()
    state.generated(written=[], unchanged=["a.md", "b.md", "c.md"])
    assert state.current == {"a.md", "b.md", "c.md"}
    state.reused()
    assert state.current == frozenset()


def test_compiled_templates_serve_later_environments_until_a_source_or_setting_changes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    cache = CompiledTemplates()

    def environment(source: str, **settings: bool) -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": source}), **settings)
        cache.for_environment(env)
        return env

    assert environment("a {{ x }}").get_template("page.html").render(x="<") == "a <"
    again = environment("a {{ x }}")

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(again, "compile", no_compiling)
    assert again.get_template("page.html").render(x="<") == "a <"  # the first build's code
    assert environment("b {{ x }}").get_template("page.html").render(x="<") == "b <"  # the source changed
    assert environment("a {{ x }}", autoescape=True).get_template("page.html").render(x="<") == "a &lt;"


def test_the_cycles_a_rebuild_leaves_are_collected_after_it() -> None:
    class Node:
        other: object = None

    collector = QuietCollector()
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        collector.pause()
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
        gone = weakref.ref(a)
        del a, b
        assert gone() is not None
        collector.resume()
        wait_until(lambda: gone() is None, "collection after the rebuild")
        assert gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_a_collector_that_was_off_stays_off() -> None:
    collector = QuietCollector()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        collector.pause()
        collector.resume()
        assert not gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()


@pytest.mark.slow
def test_the_live_preview_benchmark_runs_and_leaves_no_temporary_folder(tmp_path: Path) -> None:
    """A smoke run of benchmarks/bench_serve.py on 20 sources (its figures are not asserted)."""
    before = set(Path(tempfile.gettempdir()).glob("edition-preview-*"))
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_serve.py"), "20", "--repeat", "1", "--phases",
                          "--timeout", "600"], capture_output=True, text=True, timeout=900, env=serve_env())
    assert run.returncode == 0, run.stderr[-3000:]
    assert "| edit 1: from the save until the changed page is served |" in run.stdout
    assert "| the edition's generator (on_pre_build) |" in run.stdout
    # Stopped as by Ctrl-C, the server ran the hooks' on_shutdown, which removes the seeds watch's folder.
    assert set(Path(tempfile.gettempdir()).glob("edition-preview-*")) <= before


def test_after_the_first_build_the_collector_passes_over_what_the_rebuilds_make_only() -> None:
    from build_edition.live_rebuild import QuietCollector

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    left = weakref.ref(Cycle())  # garbage the first build left, in a cycle: collected before the rest is set apart
    try:
        QuietCollector.settle()
        assert left() is None
        assert gc.get_freeze_count() > 0
        later = weakref.ref(Cycle())  # a rebuild's cycle: the collector still sees it
        gc.collect()
        assert later() is None
    finally:
        gc.unfreeze()


def test_outside_a_live_preview_the_edition_pages_are_written_apart_unless_a_thread_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDITION_LIVE_PREVIEW", raising=False)
    hook = load_hook()
    asked: list[bool] = []
    monkeypatch.setattr(hook, "build", lambda config: asked.append(config.edition_apart))
    config = BuildConfig(seeds=Path("seeds"), docs=Path("docs"))
    alone = threading.active_count() == 1
    hook.generate(config)
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        hook.generate(config)
    finally:
        release.set()
        thread.join()
    assert asked == [alone, False]
