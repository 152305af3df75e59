"""Pages converted in a second process (build_edition/page_workers.py) give the site MkDocs alone gives.

A small hand-written MkDocs project is built in this process (or in a pytest of its own, where
earlier tests left threads running here), with the hook and without it
(the same configuration less the hook's line): every file of the two sites must be the same,
byte for byte, and the same warnings logged. MkDocs' loop is made to wait at its first page
until the second process has sent its first pages, so that the pages at the end of the
site (a page with broken links, a page whose front matter is no mapping) are surely the second
process's. Then the five-seed edition and a few hundred synthetic sources are built with
``mkdocs build --strict``, both ways, and compared the same way (Pagefind's index aside).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import Page

from helpers import ROOT, copy_project

HOOK = ROOT / "build_edition" / "page_workers.py"
HOOK_LINE = "build_edition/page_workers.py"
MKDOCS = Path(sys.executable).parent / "mkdocs"
PAGES = 40
WAIT_FOR = 6
"""Pages the second process must have sent before MkDocs' loop takes its first (the last six of the site)."""

BROKEN = """\
# Broken links

A [missing page](missing.md), an [anchor nowhere](../p001.md#nowhere) and a [path](nowhere).
"""
LIST_FRONT_MATTER = """\
---
- a list, not a mapping
---

# A list for front matter

MkDocs keeps this front matter in the page's Markdown.
"""


def _page(n: int) -> str:
    after = f"p{(n + 1) % PAGES:03d}.md"
    return textwrap.dedent(f"""\
        ---
        title: Page {n}
        ---

        # Heading {n}

        Text with a [link]({after}#heading-{(n + 1) % PAGES}), *emphasis*, `code` and a note.[^1]

        ## Details {{ #details-{n} }}

        | Column | Value |
        |---|---|
        | {n} | <span class="x">{n * 7}</span> |

        [^1]: The note of page {n}.
        """)


def small_project(root: Path, *, hook: bool) -> Path:
    """A MkDocs project of ``PAGES`` pages and two odd ones at its end; ``hook``: with page_workers.py."""
    docs = root / "docs"
    (docs / "zz").mkdir(parents=True, exist_ok=True)
    for n in range(PAGES):
        (docs / f"p{n:03d}.md").write_text(_page(n), encoding="utf-8")
    (docs / "zz" / "broken.md").write_text(BROKEN, encoding="utf-8")
    (docs / "zz" / "list.md").write_text(LIST_FRONT_MATTER, encoding="utf-8")
    hooks = f"hooks:\n  - {HOOK}\n" if hook else ""
    (root / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Small
        site_url: https://example.org/small/
        nav:
          - p000.md
          - p001.md
        markdown_extensions:
          - footnotes
          - attr_list
          - md_in_html
          - tables
          - toc:
              permalink: true
          - build_edition.markdown_speed
        validation:
          links:
            not_found: warn
            anchors: warn
            unrecognized_links: warn
        """) + hooks, encoding="utf-8")
    return root


def _hook(config: Any) -> ModuleType:
    return next(module for name, module in config["hooks"].items() if name.endswith("page_workers.py"))


def _build(project: Path, site: Path, *, strict: bool = False) -> tuple[Any, Exception | None]:
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except Abort as exc:
        return config, exc
    return config, None


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and "pagefind" not in p.relative_to(site).parts}


def _warnings(caplog: pytest.LogCaptureFixture) -> list[tuple[str, int, str]]:
    found = [(r.name, r.levelno, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]
    caplog.clear()
    return found


def _children() -> list[int]:
    pid = os.getpid()
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.fixture
def rendered_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The pages ``Page.render`` converted in this process (the second process's are not counted here)."""
    pages: list[str] = []
    original = Page.render

    def render(self: Page, config: Any, files: Any) -> None:
        if os.getpid() == parent:
            pages.append(self.file.src_uri)
        original(self, config, files)

    parent = os.getpid()
    monkeypatch.setattr(Page, "render", render)
    yield pages


def _wait_at_first_page(hook: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs' loop waits at its first page until the second process has sent its first ``WAIT_FOR`` results."""
    take = hook.SecondProcess.take

    def waiting_take(self: Any, src_uri: str) -> Any:
        if self.reached < 0:
            last = len(self.order) - 1
            while self._read(hook.SILENCE_LIMIT) and not all(i in self.frames for i in range(last - WAIT_FOR + 1, last + 1)):
                pass
        return take(self, src_uri)

    monkeypatch.setattr(hook.SecondProcess, "take", waiting_take)


ALONE = "EDITION_TEST_PAGE_WORKERS_ALONE"


@pytest.fixture
def alone(request: pytest.FixtureRequest) -> bool:
    """True: no other thread runs in this process, so the hook forks, and the test runs here. False: the
    test ran, and passed, in a pytest of its own (earlier tests of the suite leave threads behind them)."""
    if threading.active_count() == 1:
        return True
    assert not os.environ.get(ALONE), threading.enumerate()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid],
                         cwd=ROOT, env=os.environ | {ALONE: "1"}, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return False


@pytest.fixture
def two_projects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the sitemap's gzip header
    monkeypatch.delenv("EDITION_LIVE_PREVIEW", raising=False)
    return small_project(tmp_path / "with", hook=True), small_project(tmp_path / "plain", hook=False)


def _hooked(project: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    hook = _hook(load_config(config_file=str(project / "mkdocs.yml")))
    _wait_at_first_page(hook, monkeypatch)
    return hook


@pytest.fixture
def hooked_pair(alone: bool, two_projects: tuple[Path, Path],
                monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, ModuleType] | None:
    """The project with the hook (whose second process waits for MkDocs' first page), the plain one, and the
    hook's module; None where the test ran in a pytest of its own (see ``alone``)."""
    if not alone:
        return None
    with_hook, plain = two_projects
    return with_hook, plain, _hooked(with_hook, monkeypatch)


def test_the_second_process_gives_the_same_site_and_warnings(
        hooked_pair: tuple[Path, Path, ModuleType] | None, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        rendered_here: list[str]) -> None:
    if hooked_pair is None:
        return
    with_hook, plain, hook = hooked_pair
    caplog.set_level(logging.INFO)
    _build(with_hook, tmp_path / "site-with")
    report = hook._Session.last
    warned = _warnings(caplog)
    here = list(rendered_here)
    _build(plain, tmp_path / "site-plain")
    assert warned == _warnings(caplog)
    assert _files(tmp_path / "site-with") == _files(tmp_path / "site-plain")
    messages = [message for _, _, message in warned]
    assert ("Doc file 'zz/broken.md' contains a link 'missing.md', but the target 'zz/missing.md' is not found "
            "among documentation files.") in messages
    assert any("'zz/broken.md' contains an unrecognized relative link 'nowhere'" in m for m in messages)
    assert ("Doc file 'zz/broken.md' contains a link '../p001.md#nowhere', "
            "but the doc 'p001.md' does not contain an anchor '#nowhere'.") in messages
    # The last pages came from the second process, but for the page whose front matter MkDocs keeps in
    # its Markdown: that Markdown is not the one the second process converted, so MkDocs converted it.
    assert report is not None and report.finished and report.of == PAGES + 2
    assert report.pages >= WAIT_FOR - 1 and report.converted >= WAIT_FOR
    assert "zz/broken.md" not in here and "p039.md" not in here and "zz/list.md" in here
    assert len(here) == report.of - report.pages
    assert _children() == []


def test_strict_fails_with_the_same_warnings(
        hooked_pair: tuple[Path, Path, ModuleType] | None, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        rendered_here: list[str]) -> None:
    if hooked_pair is None:
        return
    with_hook, plain, hook = hooked_pair
    _, failed = _build(with_hook, tmp_path / "site-with", strict=True)
    warned = _warnings(caplog)
    assert "zz/broken.md" not in rendered_here and hook._Session.last.pages >= WAIT_FOR - 1
    _, failed_plain = _build(plain, tmp_path / "site-plain", strict=True)
    assert failed is not None and failed_plain is not None
    assert str(failed) == str(failed_plain) == "Aborted with 3 warnings in strict mode!"
    assert warned == _warnings(caplog) and len(warned) == 3


def _second_process_fails(hook: ModuleType, monkeypatch: pytest.MonkeyPatch, how: Callable[[int], None]) -> None:
    """``how(n)`` runs in the second process before it converts its n-th page (from 0)."""
    convert = hook.convert
    done = [0]

    def failing(file: Any, config: Any, files: Any) -> Any:
        done[0] += 1
        how(done[0] - 1)
        return convert(file, config, files)

    monkeypatch.setattr(hook, "convert", failing)


def _die_at_third(n: int) -> None:
    if n == 2:
        os._exit(3)


def _fail_at_second(n: int) -> None:
    if n == 1:
        raise RuntimeError("a page the second process cannot convert")


def _fall_silent_at_third(n: int) -> None:
    if n == 2:
        time.sleep(600)


@pytest.mark.parametrize("how", [_die_at_third, _fail_at_second, _fall_silent_at_third])
def test_when_the_second_process_fails_mkdocs_converts_the_rest(
        alone: bool, two_projects: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        how: Callable[[int], None], rendered_here: list[str]) -> None:
    if not alone:
        return
    with_hook, plain = two_projects
    hook = _hook(load_config(config_file=str(with_hook / "mkdocs.yml")))
    monkeypatch.setattr(hook, "SILENCE_LIMIT", 1.0)
    _second_process_fails(hook, monkeypatch, how)
    _wait_at_first_page(hook, monkeypatch)  # gives up once the second process is gone or silent
    fds = sorted(os.listdir("/proc/self/fd"))
    _build(with_hook, tmp_path / "site-with")
    report, here = hook._Session.last, list(rendered_here)
    _build(plain, tmp_path / "site-plain")
    assert _files(tmp_path / "site-with") == _files(tmp_path / "site-plain")
    assert report is not None and len(here) == report.of - report.pages
    if how is _fail_at_second:  # MkDocs converts the page the second process could not, and takes the next
        assert report.finished and "zz/broken.md" in here and report.pages >= WAIT_FOR - 2
    else:
        assert not report.finished and report.pages <= 2
    assert _children() == [] and sorted(os.listdir("/proc/self/fd")) == fds


def test_no_second_process_while_another_thread_runs(
        alone: bool, two_projects: tuple[Path, Path], tmp_path: Path, rendered_here: list[str]) -> None:
    if not alone:
        return
    with_hook, _ = two_projects
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="a thread of another hook")
    thread.start()
    try:
        config, _ = _build(with_hook, tmp_path / "site")
    finally:
        stop.set()
        thread.join()
    assert _hook(config)._Session.last is None and len(rendered_here) == PAGES + 2


def test_a_dirty_live_preview_converts_what_it_rebuilds_in_the_second_process_while_threads_run(
        two_projects: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        rendered_here: list[str]) -> None:
    """``mkdocs serve --dirty``: each build forks for the pages it converts, although the server runs threads."""
    with_hook, plain = two_projects
    hook = _hooked(with_hook, monkeypatch)
    monkeypatch.setenv("EDITION_LIVE_PREVIEW", "1")
    earlier = set(_children())  # (this test runs in the suite's process, beside what earlier tests started)

    def serve_build(project: Path) -> None:  # as mkdocs serve's builder does: the configuration loaded again
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / f"site-{project.name}"))
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="https://example.org/small/", dirty=True)

    stop = threading.Event()
    server = threading.Thread(target=stop.wait, name="the live-reload server")
    server.start()
    try:
        serve_build(with_hook)
        first = hook._Session.last
        serve_build(plain)
        edited = [f"p{n:03d}.md" for n in range(0, 40, 2)]  # twenty pages saved since
        for project in (with_hook, plain):
            for name in edited:
                page = project / "docs" / name
                page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added.\n", encoding="utf-8")
                os.utime(page, ns=(time.time_ns() + 10**10,) * 2)
        rendered_here.clear()
        serve_build(with_hook)
        again, here = hook._Session.last, list(rendered_here)
        serve_build(plain)
    finally:
        stop.set()
        server.join()
    assert first is not None and first.finished and first.of == PAGES + 2 and first.pages >= WAIT_FOR - 1
    # the rebuild converts the twenty pages saved, some of them in the second process, the others here
    assert again is not None and again.finished and again.of == len(edited) and again.pages >= WAIT_FOR - 1
    assert set(here) <= set(edited) and len(here) == len(edited) - again.pages
    # the same site as the same dirty builds without the hook (MkDocs' own dirty build, its limits included)
    assert _files(tmp_path / f"site-{with_hook.name}") == _files(tmp_path / f"site-{plain.name}")
    assert set(_children()) <= earlier


SLOW_EXTENSION = '''
import time
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

class Slow(Preprocessor):
    def run(self, lines):
        time.sleep(0.05)
        return lines

class SlowExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Slow(md), "slow", 1)

def makeExtension(**kwargs):
    return SlowExtension(**kwargs)
'''


def test_an_interrupted_build_leaves_no_second_process(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project", hook=True)
    for n in range(PAGES, 400):
        (project / "docs" / f"p{n:03d}.md").write_text(_page(n), encoding="utf-8")
    (project / "slow_pages.py").write_text(SLOW_EXTENSION, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("markdown_extensions:\n",
                                                                 "markdown_extensions:\n  - slow_pages\n"))
    env = {k: v for k, v in os.environ.items() if k != "EDITION_LIVE_PREVIEW"}
    env |= {"PYTHONPATH": os.pathsep.join([str(project), str(ROOT)]), "NO_MKDOCS_2_WARNING": "1"}
    build_process = subprocess.Popen([str(MKDOCS), "build", "-d", str(tmp_path / "site")], cwd=project, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    children = Path(f"/proc/{build_process.pid}/task/{build_process.pid}/children")
    second: list[str] = []
    deadline = time.monotonic() + 120
    while not second and build_process.poll() is None and time.monotonic() < deadline:
        second = children.read_text().split()
        time.sleep(0.05)
    assert len(second) == 1, build_process.communicate()[1]
    build_process.send_signal(signal.SIGINT)
    _, err = build_process.communicate(timeout=120)
    assert build_process.returncode != 0 and "Aborted!" in err  # click turns the KeyboardInterrupt into this
    assert not Path(f"/proc/{second[0]}").exists()


def _built_both_ways(project: Path, tmp_path: Path) -> tuple[str, dict[str, bytes], dict[str, bytes]]:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert HOOK_LINE in text
    (project / "plain.yml").write_text("\n".join(line for line in text.splitlines() if HOOK_LINE not in line) + "\n",
                                       encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "EDITION_LIVE_PREVIEW"} | {"NO_MKDOCS_2_WARNING": "1"}
    logs = []
    for config, site in (("mkdocs.yml", "site-with"), ("plain.yml", "site-plain")):
        run = subprocess.run([str(MKDOCS), "build", "--strict", "-f", config, "-d", str(tmp_path / site)],
                             cwd=project, env=env, capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr
        logs.append(run.stderr)
    assert "page workers" not in logs[1]
    return logs[0], _files(tmp_path / "site-with"), _files(tmp_path / "site-plain")


def _converted_share(log: str) -> tuple[int, int]:
    line = next(line for line in log.splitlines() if "page workers: a second process converted" in line)
    taken, total = line.split("converted ")[1].split(" pages")[0].split(" of ")
    return int(taken.replace(",", "")), int(total.replace(",", ""))


@pytest.mark.slow
def test_the_seed_edition_is_the_same_with_the_second_process(tmp_path: Path) -> None:
    log, with_hook, plain = _built_both_ways(copy_project(tmp_path / "project"), tmp_path)
    assert len(with_hook) > 100 and with_hook == plain
    taken, total = _converted_share(log)
    assert 0 < taken < total and total > 100


@pytest.mark.slow
def test_a_synthetic_collection_is_the_same_with_the_second_process(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    project = copy_project(tmp_path / "project", seeds=None)
    synthetic.synthetic_corpus(project / "seeds", 150)
    log, with_hook, plain = _built_both_ways(project, tmp_path)
    assert len([name for name in with_hook if name.startswith("documents/")]) == 150 and with_hook == plain
    taken, total = _converted_share(log)
    assert 0 < taken < total and total > 150
