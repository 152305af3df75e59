"""Fixtures of the browser tests: the site built once, served under its sub-path, and Chromium.

The site is built with ``mkdocs build --strict`` from the repository root (the hook
regenerates docs/ from seeds/) into a temporary directory, and served on 127.0.0.1
under /telegram-edition/, the path of ``site_url``, as GitHub Pages serves it.
Chromium is Debian's (/usr/bin/chromium), driven by Playwright for Python. Without
it the browser tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from helpers import copy_project

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/telegram-edition/"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
MKDOCS = Path(sys.executable).parent / "mkdocs"
TELEGRAM = "documents/1950-09-30-shtykov-to-gromyko-600301/"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip a test that lacks a tool; under CI=true nothing may be skipped."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests may not be skipped; run scripts/install-browser.sh)")
    pytest.skip(f"{reason}: run scripts/install-browser.sh (make browser-deps)")


def build_site(project: Path, dest: Path, site_url: str, config: Path | None = None) -> Path:
    """``mkdocs build --strict`` of ``project`` into ``dest`` for a site served at ``site_url``.

    SITE_URL is the address the site is served at, as the Pages workflow sets it:
    Material's instant loading only takes over links to pages of the sitemap, whose
    addresses come from site_url (it adopts the protocol and host of the page, not its
    port), so a site served elsewhere falls back to full page loads.
    """
    command = [str(MKDOCS), "build", "--strict", "--quiet", "-d", str(dest)]
    if config is not None:
        command += ["-f", str(config)]
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"mkdocs build failed:\n{run.stdout}\n{run.stderr}"
    return dest


def html_pages(site_dir: Path, base_url: str) -> list[str]:
    """The address of every HTML page of the build (so that no page escapes the crawl)."""
    urls = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        urls.append(base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


def build_with_zensical(zensical: Path, project: Path, dest: Path, site_url: str) -> Path:
    """Zensical's build of ``project`` (a copy: it writes site/ and .cache/ beside the config).

    Zensical ignores MkDocs hooks, so the edition's pages are generated first.
    """
    env = {**os.environ, "SITE_URL": site_url}
    generate = [str(MKDOCS.parent / "build-edition"), "build", "--seeds", "seeds", "--docs", "docs"]
    for command in (generate, [str(zensical), "build", "--clean", "-f", "mkdocs.yml"]):
        run = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, f"{command[0]} failed:\n{run.stdout}\n{run.stderr}"
    shutil.copytree(project / "site", dest)
    return dest


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under PREFIX only; anything else is a 404 page, as on Pages."""

    def translate_path(self, path: str) -> str:
        local = unquote(urlsplit(path).path)
        if not local.startswith(PREFIX):
            return str(Path(self.directory) / "\0outside-prefix")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that hangs up mid-response (it moved on) is no error of the site."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class SiteServer:
    """A built site served on 127.0.0.1 (a free port) under PREFIX, in a background thread."""

    root: Path
    _server: http.server.ThreadingHTTPServer = field(init=False)
    _thread: threading.Thread = field(init=False)

    def __enter__(self) -> SiteServer:
        handler = partial(_SubPathHandler, directory=str(self.root))
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return self.origin + PREFIX

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The edition built once with the project's own mkdocs.yml, from the repository root, and served.

    EDITION_TEST_CONFIG=path/to/other.yml builds a copy of the project with that file as its
    mkdocs.yml instead: to watch the tests fail against a site without a feature they check.
    EDITION_TEST_ZENSICAL=path/to/zensical builds the copy with Zensical instead of MkDocs (to
    compare the engines; see README.md, Publishing).
    """
    project, variant = ROOT, os.environ.get("EDITION_TEST_CONFIG")
    zensical = os.environ.get("EDITION_TEST_ZENSICAL")
    if variant or zensical:
        project = copy_project(tmp_path_factory.mktemp("variant"))
    if variant:
        shutil.copyfile(variant, project / "mkdocs.yml")
    root = tmp_path_factory.mktemp("site") / "site"
    with SiteServer(root) as server:
        if zensical:
            build_with_zensical(Path(zensical), project, root, site_url=server.base_url)
        else:
            build_site(project, root, site_url=server.base_url)
        yield server


@pytest.fixture(scope="session")
def site_dir(site: SiteServer) -> Path:
    return site.root


@pytest.fixture(scope="session")
def base_url(site: SiteServer) -> str:
    return site.base_url


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        skip_or_fail(f"no Chromium at {CHROMIUM}")
    # Playwright gives each launch a fresh, empty profile of its own (--user-data-dir).
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """What went wrong while a page was open: console errors, failed or foreign requests."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"failed request: {u}" for u in self.failed]
                + [f"request outside the site's origin: {u}" for u in self.foreign])


@pytest.fixture
def watch(site: SiteServer) -> Watch:
    return Watch(origin=site.origin)


@pytest.fixture
def page(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A fresh page (own context) whose console errors and requests are recorded in ``watch``.

    Requests outside the site's origin are recorded and aborted, so a test never
    reaches the network and a stray request cannot pass unnoticed.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(watch.origin + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            watch.foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(f"{m.text} ({page.url})"))
    page.on("pageerror", lambda e: watch.console_errors.append(f"{e} ({page.url})"))
    # ERR_ABORTED is a request the browser cancelled because the reader moved on; a
    # broken one fails otherwise or answers 4xx/5xx, and both are recorded.
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and watch.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and watch.failed.append(f"{r.url} (HTTP {r.status})"))
    yield page
    context.close()
