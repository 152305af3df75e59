"""MkDocs hook: regenerate the edition from ``seeds/`` before every build.

Under ``mkdocs serve`` the hook watches the seeds folder it builds from (``on_serve``,
``seeds_watch.py``), so the server rebuilds when a source or a corrections file
changes, and this hook turns the change into pages. Only changed pages are rewritten,
so the regeneration does not trigger a rebuild loop, and when nothing it depends on
changed, nothing is read at all; ``live_rebuild.py`` holds what a live preview's
rebuild leaves out, and a live preview's generator runs in a process of its own
(``live_generator.py``).
Source diagnostics are logged at INFO: they describe the sources, not the site,
and must not fail ``mkdocs build --strict``; ``build-edition build --strict`` is
the command that gates on them. A live preview logs them all at its first build and,
at each save after that, only those the save brought (at 10,000 sources a build has
some 30,000, and logging them all again took seconds of every rebuild).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.plugins import event_priority
from mkdocs.structure import files as mkdocs_files
from mkdocs.structure.files import Files, InclusionLevel

from build_edition.live_generator import GeneratorProcess
from build_edition.live_rebuild import (CompiledTemplates, DocsListing, PagesOutOfNav, PreviewState, QuietCollector,
                                        mark_current, sitemap_key, sitemap_pages)
from build_edition.model import Diagnostic
from build_edition.pipeline import BuildConfig, BuildResult, build
from build_edition.search_hook import live_preview
from build_edition.seeds_watch import SeedsWatch, watch_seeds
from build_edition.writers.output import read_manifest

log = logging.getLogger("mkdocs.hooks.edition")


class _Logged:
    """The diagnostics this live preview logged so far (MkDocs loads a hook once a process; were it
    loaded again, the next build would log them all once more, and nothing worse)."""

    diagnostics: frozenset[Diagnostic] | None = None


class _Watching:
    """The live preview's observer of the seeds folder, stopped at the end of ``mkdocs serve``."""

    seeds: SeedsWatch | None = None


_PREVIEW = PreviewState()
"""What the live preview knows between builds (``live_rebuild.py``)."""
_TEMPLATES = CompiledTemplates()
_COLLECTOR = QuietCollector()
_LISTING = DocsListing()
_PAGES = PagesOutOfNav()
_GENERATOR = GeneratorProcess()
"""The live preview's generator (``live_generator.py``), started at its first build."""


class _Generated:
    """The files this build's generator wrote or kept (None: it reused everything; the manifest knows)."""

    paths: frozenset[str] | None = None


def leave_generated_pages_out_of_the_nav_check(files: Files, generated: frozenset[str]) -> None:
    """Generated pages are reached from the chronology, indexes and registers, not from the navigation
    (mkdocs.yml's ``nav``): MkDocs need not list them at every build as pages the nav omits (11,000
    lines at 10,000 sources). A page of the editor's own that the nav omits is still listed."""
    for file in files.documentation_pages():
        if file.src_uri in generated and file.inclusion is InclusionLevel.INCLUDED:
            file.inclusion = InclusionLevel.NOT_IN_NAV


def seeds_folder(config) -> Path:  # noqa: ANN001 - MkDocs' config object
    """The folder the edition is built from: ``seeds/`` beside mkdocs.yml, or ``EDITION_SEEDS``."""
    return Path(os.environ.get("EDITION_SEEDS", Path(config.config_file_path).parent / "seeds"))


def diagnostics_to_log(diagnostics: Iterable[Diagnostic], logged: frozenset[Diagnostic] | None) -> list[Diagnostic]:
    """The diagnostics of a build that were not logged before, in the build's order (all of them at first)."""
    return [d for d in diagnostics if logged is None or d not in logged]


def on_config(config):  # noqa: ANN001, ANN201 - MkDocs passes and expects its config object
    """Live preview: ``docs/`` listed from the last listing where it holds the same files, and the garbage
    collector waits until a rebuild is over (``live_rebuild.py``)."""
    if live_preview():
        list_docs_through(_LISTING)
        if _PREVIEW.built:
            _COLLECTOR.pause()
    return config


def list_docs_through(listing: DocsListing | None) -> None:
    """Make MkDocs' build list ``docs/`` through ``listing`` (None: through MkDocs' own ``get_files`` again). The
    build looks ``get_files`` up in its module at each build; only MkDocs' own is ever replaced."""
    own = mkdocs_files.get_files
    if listing is None:
        mkdocs_build.get_files = own
    elif mkdocs_build.get_files is own:
        mkdocs_build.get_files = functools.partial(listing.files, get_files=own)


def on_pre_build(config) -> None:  # noqa: ANN001 - MkDocs passes its config object
    root = Path(config.config_file_path).parent
    seeds = seeds_folder(config)
    # A live preview builds again at every save: it keeps the build's index in memory between builds.
    result = generate(BuildConfig(seeds=seeds, docs=Path(config.docs_dir), shown_relative_to=root,
                                  hold_index=live_preview()))
    _Generated.paths = None
    if result.reused:
        _PREVIEW.reused()
        log.info("edition: sources, corrections and code unchanged since the last build; pages reused")
        return
    _Generated.paths = frozenset(result.report.written + result.report.unchanged + result.report.kept)
    if live_preview():
        _PREVIEW.generated(result.report.written, result.report.unchanged)
    shown = diagnostics_to_log(result.diagnostics, _Logged.diagnostics if live_preview() else None)
    for diagnostic in shown:
        log.info(str(diagnostic))
    if live_preview():
        if _Logged.diagnostics is not None:
            log.info(f"edition: {len(result.diagnostics)} diagnostics, {len(shown)} of them new since the last build "
                     "(all on the Build diagnostics page)")
        _Logged.diagnostics = frozenset(result.diagnostics)
    r = result.report
    log.info(f"edition: {result.document_count} documents ({result.read} read, {result.rendered} rendered), "
             f"{len(r.written)} pages written, {len(r.unchanged)} unchanged, {len(r.removed)} removed, "
             f"{len(r.kept)} left untouched")


def generate(config: BuildConfig) -> BuildResult:
    """The generator's build: in a live preview, in a process of its own, started at the first build and again
    when the generator's code changed (``live_generator.py``), with the edition-wide pages in a second one as
    on the command line; under
    ``mkdocs build`` in MkDocs' process, the edition-wide pages in a second one too where no thread runs yet."""
    if live_preview() and _GENERATOR.start():
        result = _GENERATOR.build(replace(config, edition_apart=True, free_later=True))
        if result is not None:
            return result
        log.info("edition: the generator's process ended; this build and the next ones run in MkDocs' process")
    return build(replace(config, edition_apart=threading.active_count() == 1))


def on_files(files, config):  # noqa: ANN001, ANN201 - MkDocs passes and expects its Files
    """Generated pages are not reported as left out of the nav; in a live preview, the generated files
    whose copy in the site is current need no check, and the pages out of the nav are made from the last
    build's (live_rebuild.py)."""
    generated = _Generated.paths
    if generated is None:
        generated = frozenset(read_manifest(Path(config.docs_dir)))
    leave_generated_pages_out_of_the_nav_check(files, generated)
    if live_preview():
        mark_current(files, _PREVIEW.current, config.docs_dir)
        _PAGES.make(files, config)
    return files


def on_nav(nav, config, files):  # noqa: ANN001, ANN201 - MkDocs' signature
    """Live preview: the pages made for the files the navigation does not list, noted for the next build."""
    if live_preview():
        _PAGES.note(files, nav.pages, config)
    return nav


def on_env(env, config, files):  # noqa: ANN001, ANN201, ARG001 - MkDocs' signature
    """Live preview: the theme's templates compiled once, not at each build; the pages the sitemap lists."""
    if live_preview():
        _TEMPLATES.for_environment(env)
        _PREVIEW.sitemap_pages = sitemap_pages(files)
    return env


def on_pre_template(template, template_name, config):  # noqa: ANN001, ANN201 - MkDocs' signature
    """Live preview: a sitemap that would come out as the last build's is not rendered again.

    An empty output is MkDocs' way to skip a template: the site keeps the sitemap already there."""
    if template_name == "sitemap.xml" and live_preview():
        key = sitemap_key(_PREVIEW.sitemap_pages, template.filename)
        if _PREVIEW.sitemap_unchanged(key, config.site_dir):
            return template.environment.from_string("")
    return template


@event_priority(-100)  # after the other hooks' (the search's)
def on_post_build(config) -> None:  # noqa: ANN001, ARG001 - MkDocs' signature
    if live_preview():
        _PREVIEW.succeeded()
    _COLLECTOR.resume()


def on_build_error(error: Exception) -> None:  # noqa: ARG001 - MkDocs' signature
    _COLLECTOR.resume()


def on_serve(server, config, builder):  # noqa: ANN001, ANN201, ARG001 - MkDocs' signature and objects
    """Live preview: watch the seeds folder (``seeds_watch.py``), and in ``docs/`` only what people write there.

    MkDocs' live preview polls every watched file twice a second, in the process that builds: at 10,000
    sources ``docs/`` holds some 51,000 generated files, and polling them slowed every rebuild and the
    noticing of a save. Generated pages need no watching: the hook writes them in the very build that
    renders them. So ``docs/`` is replaced by its top-level folders and files that hold no generated file
    (``assets/``, ``search.md``, an editor's own pages); a file an editor adds beside generated pages, or
    after the preview started, shows at the next save of a source or on restart.
    """
    _Watching.seeds = watch_seeds(server, seeds_folder(config))
    _COLLECTOR.settle()  # the first build is over (MkDocs serves after this hook)
    docs = Path(config.docs_dir)
    generated = {path.split("/", 1)[0] for path in read_manifest(docs)}
    if not generated:
        return server
    server.unwatch(config.docs_dir)
    for item in sorted(docs.iterdir()):
        if item.name not in generated and not item.name.startswith("."):
            server.watch(str(item))
    return server


def on_shutdown() -> None:
    list_docs_through(None)
    _GENERATOR.stop()
    watching, _Watching.seeds = _Watching.seeds, None
    if watching is not None:
        watching.stop()
