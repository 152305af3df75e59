"""MkDocs hook: regenerate the edition from ``seeds/`` before every build.

With ``watch: [seeds]`` in mkdocs.yml, ``mkdocs serve`` rebuilds when a source
or a corrections file changes, and this hook turns the change into pages. Only
changed pages are rewritten, so the regeneration does not trigger a rebuild loop,
and when nothing it depends on changed, nothing is read at all.
Source diagnostics are logged at INFO: they describe the sources, not the site,
and must not fail ``mkdocs build --strict``; ``build-edition build --strict`` is
the command that gates on them. A live preview logs them all at its first build and,
at each save after that, only those the save brought (at 10,000 sources a build has
some 30,000, and logging them all again took seconds of every rebuild).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from build_edition.model import Diagnostic
from build_edition.pipeline import BuildConfig, build
from build_edition.search_hook import live_preview
from build_edition.writers.output import read_manifest

log = logging.getLogger("mkdocs.hooks.edition")


class _Logged:
    """The diagnostics this live preview logged so far (MkDocs loads a hook once a process; were it
    loaded again, the next build would log them all once more, and nothing worse)."""

    diagnostics: frozenset[Diagnostic] | None = None


def diagnostics_to_log(diagnostics: Iterable[Diagnostic], logged: frozenset[Diagnostic] | None) -> list[Diagnostic]:
    """The diagnostics of a build that were not logged before, in the build's order (all of them at first)."""
    return [d for d in diagnostics if logged is None or d not in logged]


def on_pre_build(config) -> None:  # noqa: ANN001 - MkDocs passes its config object
    root = Path(config.config_file_path).parent
    seeds = Path(os.environ.get("EDITION_SEEDS", root / "seeds"))
    # A live preview builds again at every save: it keeps the build's index in memory between builds.
    result = build(BuildConfig(seeds=seeds, docs=Path(config.docs_dir), shown_relative_to=root,
                               hold_index=live_preview()))
    if result.reused:
        log.info("edition: sources, corrections and code unchanged since the last build; pages reused")
        return
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


def on_serve(server, config, builder):  # noqa: ANN001, ANN201, ARG001 - MkDocs' signature and objects
    """Live preview: watch in ``docs/`` only what people write there.

    MkDocs' live preview polls every watched file twice a second, in the process that builds: at 10,000
    sources ``docs/`` holds some 51,000 generated files, and polling them slowed every rebuild and the
    noticing of a save. Generated pages need no watching: the hook writes them in the very build that
    renders them. So ``docs/`` is replaced by its top-level folders and files that hold no generated file
    (``assets/``, ``search.md``, an editor's own pages); a file an editor adds beside generated pages, or
    after the preview started, shows at the next save of a source or on restart.
    """
    docs = Path(config.docs_dir)
    generated = {path.split("/", 1)[0] for path in read_manifest(docs)}
    if not generated:
        return server
    server.unwatch(config.docs_dir)
    for item in sorted(docs.iterdir()):
        if item.name not in generated and not item.name.startswith("."):
            server.watch(str(item))
    return server
