"""build(config) -> result: the per-document stage, then the edition stage.

1. **Per document** (``stages.read_stage``): read, annotate and summarize each source
   whose bytes, corrections file, code or edition-wide data changed since the cached
   build; the others are not read at all.
2. **Edition** (here): unique ids, variant translations and the chronology are worked
   out from the summaries alone.
3. **Per document again** (``stages.render_job``): the page, TEI and citation files of
   each document whose own key or context (its id, variants, neighbours, the glossary,
   the site's address) changed are rendered from the cached document.
4. **Edition pages** from the summaries, then every page is written if, and only if,
   its content changed.

Both per-document steps run in worker processes when there is enough to do; workers
only return values and this process writes, so the output is the same whatever the
number of workers. No global state, but for what a build may leave unfreed (``LEFT_OVER``).
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import diagnostics as diag
from .cache import CACHE_DIR, Cache, State, loaded_code
from .model import Diagnostic, Document, Severity, SourcePos, VariantLink
from .site import site_url_from_environment

if TYPE_CHECKING:  # the no-op path imports none of the readers, annotators or page writers
    from .registers import Resolver
    from .summary import DocumentSummary


SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".text", ".xml", ".tei")
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9\-]{0,99}$")
Progress = Callable[[str, int], Callable[[int], None]]
"""``progress(label, total)`` returns ``advance(n)``: how the command line shows long steps."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildConfig:
    seeds: Path
    docs: Path
    shown_relative_to: Path | None = None
    reuse_unchanged: bool = True
    """Kept for callers of the first version: every build now reuses what did not change."""
    debug: bool = False
    jobs: int | None = None
    """Worker processes for the per-document stage; None: one per core."""
    cache: Path | None = None
    """The cache folder; None: ``.edition-cache/NAME`` beside the docs folder ``NAME``."""
    site_url: str = field(default_factory=site_url_from_environment)
    """The site's address, which the citations name (SITE_URL, as mkdocs.yml reads it)."""
    hold_index: bool = False
    """Keep the build's index in memory for the next build in this process (the live preview's hook does)."""
    edition_apart: bool = False
    """Write the edition-wide pages in a second, forked process while this one writes the documents' pages and
    downloads (``build_edition.apart``). The command line does; a build inside MkDocs, whose live-reload server
    runs threads, must not fork."""
    free_later: bool = False
    """Leave what the build made in memory on its way out (:data:`LEFT_OVER`) instead of freeing it object by
    object: the command line exits right after without freeing anything (``cli.run``), and the live preview's
    generator frees it once its answer is sent. Freeing it took a tenth of a second of a one-change build at
    10,000 documents."""


LEFT_OVER: list[object] = []
"""What the last build with ``BuildConfig.free_later`` made, left unfreed: the one piece of module state of a build,
which no build reads. :func:`free_left_over` frees it."""


def free_left_over() -> None:
    LEFT_OVER.clear()


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """Documents read in memory (``inspect`` and tests), and what reading them found."""

    documents: tuple[Document, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        return [d for doc in self.documents for d in doc.diagnostics] + list(self.diagnostics)


@dataclass(slots=True)
class WriteCounts:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    documents: tuple[DocumentSummary, ...] = ()
    document_count: int = 0
    variants: dict[str, tuple[VariantLink, ...]] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    report: WriteCounts = field(default_factory=WriteCounts)
    reused: bool = False
    read: int = 0
    """Sources read in this build (the others came from the cache)."""
    rendered: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


def source_files(folder: Path) -> list[Path]:
    """Source files of a folder, sorted so every machine reads them in one order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def shown_path(path: Path, base: Path | None) -> str:
    """The path as diagnostics show it: relative to the project when possible."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def read_file(path: Path, base: Path | None, doc_id: str | None = None, resolver: Resolver | None = None) -> Document:
    """Read and annotate one source file (its first document, for a FRUS volume)."""
    return read_file_documents(path, base, doc_id, resolver)[0]


def read_file_documents(path: Path, base: Path | None, doc_id: str | None = None,
                        resolver: Resolver | None = None) -> tuple[Document, ...]:
    """Read and annotate every document of one source file (a FRUS volume holds many).

    Names resolve against ``resolver``: by default the shipped registers and those in
    ``registers/`` beside the file.
    """
    from .annotators import annotate
    from .annotators.corrections import load as load_corrections
    from .annotators.corrections import sidecar_path
    from .readers import read_documents
    from .registers import resolver_for
    from .source import read_source

    shown = shown_path(path, base)
    source = read_source(path, shown)
    sidecar = sidecar_path(path)
    corrections = load_corrections(sidecar, shown_path(sidecar, base))
    resolver = resolver or resolver_for(path.parent, base)
    lines = [line.text for line in source.lines]
    return tuple(annotate(d, corrections, resolver, lines) for d in read_documents(source, doc_id or safe_id(path.stem)))


def safe_id(stem: str) -> str:
    """A file-name-safe id from a source's name."""
    text = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return text[:100].strip("-") or "document"


def read_corpus(files: list[Path], base: Path | None, debug: bool = False, resolver: Resolver | None = None) -> Corpus:
    """Read every file into memory, with unique ids and variants linked (small sets only).

    An unexpected exception in a reader becomes an ``internal-error`` diagnostic for
    that file (re-raised with ``debug``, to see the traceback).
    """
    from .annotators.variants import relate_documents

    from .registers import resolver_for

    documents: list[Document] = []
    found: list[Diagnostic] = []
    taken: dict[str, str] = {}
    resolvers = [resolver] if resolver else list({id(r): r for r in (resolver_for(f.parent, base) for f in files)}.values())
    found += [d for r in resolvers for d in r.registers.diagnostics]
    for path in files:
        try:
            read = read_file_documents(path, base, resolver=resolver)
        except Exception as exc:
            if debug:
                raise
            found.append(internal_error(path, base, exc))
            continue
        for document in read:
            if not is_document(document):
                found.extend(document.diagnostics)
                continue
            new_id, note = unique_id(document.id, document.source, taken)
            if note:
                document = replace(document, id=new_id, diagnostics=document.diagnostics + (note,))
            documents.append(document)
    return Corpus(documents=tuple(relate_documents(documents)), diagnostics=tuple(found))


def is_document(document: Document) -> bool:
    """A source with neither text nor title published nothing: only its diagnostics remain."""
    return bool(document.blocks or document.title)


def internal_error(path: Path, base: Path | None, exc: Exception) -> Diagnostic:
    return diag.make("internal-error", SourcePos(path=shown_path(path, base), line=1), error=repr(exc))


def unique_id(wanted: str, source: str, taken: dict[str, str]) -> tuple[str, Diagnostic | None]:
    """``wanted``, or the first free ``wanted-N``, recorded in ``taken``; with a note when renamed."""
    if wanted not in taken:
        taken[wanted] = source
        return wanted, None
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    new = f"{wanted}-{n}"
    note = diag.make("duplicate-id", SourcePos(path=source, line=1), other=taken[wanted], id=wanted, new=new)
    taken[new] = source
    return new, note


def _display_base(config: BuildConfig) -> Path:
    """Paths in diagnostics and pages are shown from the project, or from the seeds' parent."""
    base = config.shown_relative_to
    if base is not None and config.seeds.resolve().is_relative_to(base.resolve()):
        return base
    return config.seeds.resolve().parent


Scan = dict[str, "tuple[int, int] | None"]
"""Every file of the seeds folder (relative path, POSIX) with its (size, mtime) signature."""


def scan_seeds(seeds: Path) -> Scan:
    """Every file the edition depends on in the seeds folder (sources, corrections, registers), hidden ones aside.

    One walk of the folder with ``os.scandir``: at ten thousand sources, pathlib's
    objects alone would cost the no-op build most of its second.
    """
    found: Scan = {}
    stack = [("", os.fspath(seeds))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    stack.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file():
                    st = entry.stat()
                    found[prefix + entry.name] = (st.st_size, st.st_mtime_ns)
    return dict(sorted(found.items()))


def source_names(scan: Scan) -> list[str]:
    """The sources among the scanned files, in the order every machine reads them."""
    return [rel for rel in scan if os.path.splitext(rel)[1].lower() in SOURCE_SUFFIXES]


def sidecar_name(rel: str) -> str:
    """The corrections file beside a source (``NAME.yml``), as ``annotators.corrections.sidecar_path`` names it."""
    return os.path.splitext(rel)[0] + ".yml"


def cache_folder(config: BuildConfig) -> Path:
    """The cache of one docs folder: two docs folders never share a cache's state."""
    return config.cache or config.docs.resolve().parent / CACHE_DIR / config.docs.resolve().name


def build(config: BuildConfig, progress: Progress | None = None) -> BuildResult:
    """Read ``config.seeds``, write the edition into ``config.docs``, doing only what changed."""
    cache = Cache(cache_folder(config), hold_index=config.hold_index)
    code = loaded_code()
    scan = scan_seeds(config.seeds)
    state = cache.state()
    if state is not None and state.site_url == config.site_url and _nothing_changed(cache, state, code, scan, config.docs):
        return BuildResult(document_count=state.documents, diagnostics=cache.diagnostics(), reused=True)
    from .stages import StaleProbe, run_build  # the real work, and every heavy import, only from here

    collecting = gc.isenabled()
    gc.disable()  # the build makes millions of small objects and no cycles worth collecting
    try:
        with StaleProbe(config.docs, fork=config.edition_apart) as probe:
            return run_build(config, cache, cache.index(code, on_outputs=probe.start), scan, progress, probe)
    finally:
        if collecting:
            gc.enable()


def _nothing_changed(cache: Cache, state: State, code: str, scan: Scan, docs: Path) -> bool:
    from .writers.output import manifest_digest, outputs_intact

    if not (state.code == code and state.inputs == scan and state.manifest == manifest_digest(docs)
            and cache.diagnostics_intact(state)):
        return False
    outputs = cache.outputs(code)
    return outputs is not None and outputs_intact(docs, outputs)


def worker_count(config: BuildConfig, jobs: int) -> int:
    """Processes worth starting for ``jobs`` documents: none for a handful."""
    wanted = config.jobs if config.jobs is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, jobs // 16))
