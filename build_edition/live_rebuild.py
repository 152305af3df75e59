"""What a live preview's dirty rebuild need not check or render again (used by ``mkdocs_hook.py``).

``mkdocs serve --dirty`` renders a page, or copies a file, when its source in ``docs/`` is newer
than its copy in the site: ``File.is_modified()``, three ``stat`` calls a file, asked once for
each file to copy and twice for each page. At 10,000 sources ``docs/`` holds some 51,000 files,
and every rebuild made some 190,000 calls to find the sixty files a save changes. The edition's
generator already knows them: it reports which files it wrote and which it found as it last
wrote them. A generated file it did not write, after a build of this preview that succeeded and
with no write since, has its current copy in the site; the rebuild marks it so
(:func:`mark_current`) and MkDocs skips it, as it skips any file it finds unmodified. The
editor's own files and the theme's are checked by MkDocs as before.

The sitemap lists every page with the build's date: when the pages, their addresses and dates
and the template are those of the last build, it would come out the same, so it is not rendered
again (:func:`sitemap_key`); the site keeps the sitemap the last build wrote, the same bytes.

MkDocs makes a new Jinja environment for each build, which compiles the theme's templates again
(some 40 of Material's, a third of a second); :class:`CompiledTemplates` keeps their code in
memory for the next build, through Jinja's own bytecode cache, which compiles a template again
whenever its source changed.

At 10,000 sources the preview's process holds the generator's index and MkDocs' 51,000 files
and 11,000 pages; each full pass of Python's cyclic garbage collector goes through all of
them, and a rebuild's allocations set off several (0.4 s of the 2.4 s of CPU a rebuild took
at 2,000 sources). :class:`QuietCollector` pauses the collector during each rebuild after the
first and collects the cycles it left a second after it is over, in the quiet that follows;
the generator's own build already runs with the collector paused.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import jinja2
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

SitemapKey = tuple[object, ...]
# The settings of an environment that shape what its templates compile to.
_COMPILE_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                     "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                     "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
                     "autoescape", "finalize", "newstyle_gettext", "is_async")


class DocsListing:
    """MkDocs' listing of ``docs/`` (``get_files``), made at each build of a live preview from the last one when
    the folder holds the same files and the settings that shape the listing are the same.

    MkDocs lists ``docs/`` anew at every build: at 10,000 sources, 51,000 ``File`` objects, each of whose paths
    and addresses it works out again (0.7 to 0.9 s of every save). A save changes what files hold, seldom which
    files there are; so each build walks the folder for the names alone (a tenth of that), and when they are the
    last listing's, it makes each ``File`` afresh from the state the last listing's had when MkDocs made it
    (before any hook or plugin changed it), and they come out as MkDocs would make them. When a name was added
    or removed, or a setting changed, MkDocs lists the folder itself."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._names: frozenset[str] = frozenset()
        self._made: list[dict[str, object]] = []

    def files(self, config: MkDocsConfig, get_files: Callable[[MkDocsConfig], Files]) -> Files:
        key = _listing_key(config)
        if key == self._key and _names_in(config.docs_dir) == self._names:
            return Files([_file_from(state) for state in self._made])
        files = get_files(config)
        self._key, self._made = key, [dict(vars(file)) for file in files]
        self._names = frozenset(os.path.normpath(file.src_path) for file in files)
        return files


def _listing_key(config: MkDocsConfig) -> tuple[object, ...]:
    """What a listing of ``docs/`` depends on besides the names: the folders, the kind of addresses, and the
    configuration file (which says what is excluded, a draft or out of the nav), as it is now."""
    path = config.config_file_path
    stamp = os.stat(path).st_mtime_ns if path and os.path.isfile(path) else None
    return (config.docs_dir, config.site_dir, config.use_directory_urls, path, stamp,
            *(repr(getattr(config, name, None)) for name in ("exclude_docs", "draft_docs", "not_in_nav")))


def _names_in(docs_dir: str) -> frozenset[str]:
    """Every file under ``docs_dir`` as MkDocs walks it (symbolic links followed), relative to it."""
    found: list[str] = []
    for folder, _, names in os.walk(docs_dir, followlinks=True):
        relative = os.path.relpath(folder, docs_dir)
        found.extend(os.path.normpath(os.path.join(relative, name)) for name in names)
    return frozenset(found)


def _file_from(state: dict[str, object]) -> File:
    file = File.__new__(File)
    vars(file).update(state)
    return file


class PagesOutOfNav:
    """The pages MkDocs makes for the documentation files the navigation does not list (``Page(None, file,
    config)`` in ``get_navigation``: at 10,000 sources 11,000 of them, half a second of every save), made in a
    live preview from the state the last build's page of the same file had when MkDocs had made it.

    That state is the file's addresses worked out against the site's and the repository's (the same as long as
    the file's address and those settings are), empty placeholders, and the build's date: each page is made with
    its own placeholders, ``file`` and this build's date. :meth:`note` takes the states once the navigation is
    made (``on_nav``, before any page is read); :meth:`make` gives the files of the next build their pages before
    the navigation is made (``on_files``), and MkDocs makes the others itself."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._made: dict[tuple[str, str], dict[str, object]] = {}

    def note(self, files: Files, nav_pages: Iterable[Page], config: MkDocsConfig) -> None:
        in_nav = {id(page) for page in nav_pages}
        self._key = _pages_key(config)
        self._made = {(file.src_uri, file.url): {k: v for k, v in vars(file.page).items() if k not in _OWN}
                      for file in files.documentation_pages() if file.page is not None and id(file.page) not in in_nav}

    def make(self, files: Files, config: MkDocsConfig) -> int:
        """Give each documentation file the last build noted a page like the one MkDocs would make; how many."""
        if self._key != _pages_key(config):
            return 0
        made, date = 0, get_build_date()
        for file in files.documentation_pages():
            state = self._made.get((file.src_uri, file.url)) if file.page is None else None
            if state is not None:
                page = Page.__new__(Page)
                vars(page).update(state, file=file, update_date=date, toc=[], meta={})
                file.page = page
                made += 1
        return made


_OWN = frozenset({"file", "update_date", "toc", "meta"})
"""What each page gets of its own, not from the last build's page (its file, this build's date, its placeholders)."""


def _pages_key(config: MkDocsConfig) -> tuple[object, ...]:
    """The settings a page's addresses are worked out against (``Page._set_canonical_url`` and ``_set_edit_url``)."""
    return tuple(config.get(name) for name in ("site_url", "repo_url", "edit_uri", "edit_uri_template"))


class CurrentInSite(File):
    """A generated file whose copy in the site the last build made and the generator has not written since."""

    def is_modified(self) -> bool:
        return False


@dataclass(slots=True)
class PreviewState:
    """What one live preview knows between its builds (MkDocs loads the hook once a process)."""

    built: bool = False
    """A build of this preview succeeded: the site holds a copy of every file of ``docs/``."""
    unsettled: set[str] = field(default_factory=set)
    """Generated files written since the last build that succeeded (whose copies may be behind)."""
    current: frozenset[str] = frozenset()
    """This build's generated files whose copy in the site is current."""
    sitemap_pages: SitemapKey = ()
    """This build's pages as the sitemap shows them (``on_env``)."""
    sitemap_now: SitemapKey | None = None
    sitemap_built: SitemapKey | None = None

    def generated(self, written: Iterable[str], unchanged: Iterable[str]) -> None:
        """After the generator ran: what it wrote, and what it found as it last wrote it."""
        self.unsettled.update(written)
        self.current = frozenset(unchanged).difference(self.unsettled) if self.built else frozenset()

    def reused(self) -> None:
        """The generator reused everything without looking at ``docs/``: MkDocs checks every file."""
        self.current = frozenset()

    def succeeded(self) -> None:
        self.built = True
        self.unsettled.clear()
        self.current = frozenset()
        self.sitemap_built, self.sitemap_now = self.sitemap_now, None

    def sitemap_unchanged(self, key: SitemapKey, site_dir: str) -> bool:
        self.sitemap_now = key
        return key == self.sitemap_built and os.path.isfile(os.path.join(site_dir, "sitemap.xml"))


def mark_current(files: Files, current: frozenset[str], docs_dir: str) -> int:
    """Mark the files of ``docs_dir`` named in ``current`` as unmodified; how many were marked."""
    marked = 0
    if not current:
        return marked
    for file in files:
        if file.src_uri in current and file.src_dir == docs_dir and type(file) is File:
            file.__class__ = CurrentInSite
            marked += 1
    return marked


def sitemap_pages(files: Files) -> SitemapKey:
    """All that the sitemap template (MkDocs' ``sitemap.xml``, which Material uses) reads of the pages."""
    return tuple((f.page.is_link, f.page.abs_url, f.page.canonical_url, f.page.update_date)
                 for f in files.documentation_pages() if f.page is not None)


def sitemap_key(pages: SitemapKey, template_file: str | None) -> SitemapKey:
    """What the sitemap is made from: the pages, and the template's file as it is now."""
    stamp = os.stat(template_file).st_mtime_ns if template_file and os.path.isfile(template_file) else None
    return (template_file, stamp, pages)


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates' compiled code, in memory, for the environments of later builds (one per set of settings).

    Jinja stores each template's code with a checksum of its source and compiles it again when the
    source differs; the settings that shape the code (delimiters, autoescaping, extensions...) pick
    the store, see :func:`for_environment`."""

    def __init__(self) -> None:
        self._stores: dict[str, dict[str, bytes]] = {}
        self._code: dict[str, bytes] = {}

    def for_environment(self, env: jinja2.Environment) -> CompiledTemplates:
        """Make this the bytecode cache of ``env``, with the store of ``env``'s settings."""
        settings = repr([getattr(env, name, None) for name in _COMPILE_SETTINGS] + sorted(env.extensions))
        self._code = self._stores.setdefault(settings, {})
        env.bytecode_cache = self
        return self

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class QuietCollector:
    """Python's cyclic garbage collector paused during a rebuild, and run in the quiet after it.

    The collector comes back, and collects what the rebuild left, a moment after the rebuild:
    were it enabled at once, the rebuild's million new objects would be gone through before
    the server could say the site changed. Only the young generations are collected, where
    all the rebuild's objects are (MkDocs' files and pages of the build just over, its
    cycles): a full pass over the whole process took seconds at 10,000 sources, and a save
    made meanwhile waited for it. Python's own full passes come back with the collector."""

    AFTER_SECONDS = 1.0
    """How long after a rebuild the collector comes back (the browser has reloaded the page by then)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused = False
        self._pending: threading.Timer | None = None

    def pause(self) -> None:
        with self._lock:
            if self._pending is not None:
                self._pending.cancel()
                self._pending = None
            if gc.isenabled():
                gc.disable()
                self._paused = True

    def resume(self) -> None:
        """Bring the collector back a moment from now, if ``pause`` turned it off."""
        with self._lock:
            if self._paused and self._pending is None:
                self._pending = threading.Timer(self.AFTER_SECONDS, self._collect)
                self._pending.daemon = True
                self._pending.start()

    @staticmethod
    def settle() -> None:
        """Once, after the preview's first build: collect everything it left, then set what is still alive (the
        generator's held index, the modules, the server) apart from the collector's passes (``gc.freeze``).
        Python's own full passes then go through what the rebuilds made since, not through the whole process
        (one pass over it took 1.9 s of a save at 10,000 sources). What was alive then and is freed later is
        freed as usual; only a cycle among such objects would wait (a few objects of the first build)."""
        gc.collect()
        gc.freeze()

    def _collect(self) -> None:
        with self._lock:
            if not self._paused:
                return
            self._paused, self._pending = False, None
            gc.enable()
        gc.collect(generation=1)
