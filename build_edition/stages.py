"""The stages of a build that does work: per-document reading and rendering, and the edition.

``pipeline.build`` comes here only when something changed; see its docstring for the
order. Each per-document job is a pure function of its inputs, run in this process
or in workers, and returns values only.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, TypeVar

from . import diagnostics as diag
from .apart import Apart, ApartError
from .annotators.corrections import sidecar_path
from .annotators.variants import DayResult, relate
from .cache import FORMAT, Cache, Index, PageEntry, SourceEntry, State, atomic_pickle, content_key, load_pickle
from .model import Diagnostic, Document, Glossary, GlossaryEntry, SourcePos, VariantLink
from .pipeline import (
    LEFT_OVER, BuildConfig, BuildResult, Progress, Scan, WriteCounts, _display_base, internal_error, is_document,
    shown_path, sidecar_name, source_names, unique_id, worker_count,
)
from .pickling import fast_pickling_in
from .registers import EDITOR_FOLDER, Resolver, register_files, resolver_for
from .registers.entries import Registers
from .registers.uses import shared_names
from .summary import DocumentSummary, summarize
from .writers.citations import FORMATS as CITE_FORMATS
from .writers.citations import (KnownTemplates, ShapeSample, citation_record, cite_path, known_templates, new_shapes,
                                prepare_templates, take_templates)
from .writers.data import DOCUMENTS_JSON
from .writers.edition import (DIAGNOSTICS, chronological, diagnostics_group, diagnostics_key, diagnostics_pages,
                              edition_pages)
from .writers.exports import (DocumentExports, GzipBlocks, compressed_copies, compressed_file_copy, document_exports,
                               edition_exports)
from .writers.generated import GeneratedPage, JoinedPage, Layout, PageGroup, parts_by_key
from .writers.glossary import abbreviations, entries_by_id, glossary_pages
from .writers.output import (PageWriter, Record, all_intact, intact, manifest_digest, read_records,
                             stale_outputs)
from .writers.registers import DocumentMentions, register_page_groups
from .writers.page import ChronologyLinks, Neighbour, render_page
from .writers.tei import render_tei, tei_path
from .writers.urls import document_path, variant_path
from .writers.variants import comparison_page

T = TypeVar("T")
R = TypeVar("R")


# --- the per-document stage: reading ---------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadJob:
    path: Path
    shown: str
    base: Path
    key: str
    store: Path
    """Where the parsed document is cached (content-addressed by ``key``)."""
    site_url: str = ""
    """The address the citations name (only their shapes are taken here, see ``ReadResult.shapes``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadResult:
    """What reading one source gave: a summary per document (a FRUS volume holds many), the
    problems found, and the glossary entries of a list of abbreviations."""

    summaries: tuple[DocumentSummary, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    shapes: tuple[ShapeSample, ...] = ()
    """The citation shapes of its documents that the worker had not met before, for the parent to build
    their templates once (``writers.citations.prepare_templates``); not kept in the cache."""


def read_job(job: ReadJob, debug: bool = False, resolver: Resolver | None = None) -> ReadResult:
    """Read, annotate and summarize one source; its documents go to the cache."""
    from . import pipeline  # looked up at call time, so a test can stand in for the reader

    try:
        documents = pipeline.read_file_documents(job.path, job.base, resolver=resolver)
        glossary, problem = _glossary_of(job)
    except Exception as exc:
        if debug:
            raise
        return ReadResult(diagnostics=(internal_error(job.path, job.base, exc),))
    loose: list[Diagnostic] = [problem] if problem else []
    loose.extend(d for document in documents if not is_document(document) for d in document.diagnostics)
    kept = published(documents)
    for number, document in enumerate(kept):
        atomic_pickle(_numbered(job.store, number), (FORMAT, document))
    return ReadResult(summaries=tuple(summarize(d) for d in kept), diagnostics=tuple(loose), glossary=glossary,
                      shapes=new_shapes(citation_record(d, job.site_url) for d in kept))


def published(documents: Sequence[Document]) -> list[Document]:
    return [d for d in documents if is_document(d)]


def _numbered(store: Path, number: int) -> Path:
    """The cache file of a source's ``number``-th document, beside its first."""
    return store if number == 0 else store.with_name(f"{store.stem}-{number}.pickle")


def replace_result(entry: SourceEntry, result: ReadResult) -> SourceEntry:
    return SourceEntry(signature=entry.signature, key=entry.key, result=result)


def _kept(result: ReadResult, roles: dict[tuple[str, ...], tuple[str, ...]]) -> ReadResult:
    """A worker's result as the index keeps it: without its citation shapes, its names shared with the other
    documents' (``registers.uses.shared_names``)."""
    return replace(result, shapes=(), summaries=tuple(replace(s, names=shared_names(s.names, roles))
                                                      for s in result.summaries))


def _glossary_of(job: ReadJob) -> tuple[tuple[GlossaryEntry, ...], Diagnostic | None]:
    """The entries of a list of abbreviations (a FRUS volume's ``list type="terms"``), if the source is one."""
    from .readers.frus_terms import XML_SUFFIXES, read_terms
    from .source import read_source

    if job.path.suffix.lower() not in XML_SUFFIXES or b'type="terms"' not in job.path.read_bytes():
        return (), None
    return read_terms(read_source(job.path, job.shown))


def _source_key(code: str, edition_data: str, shown: str, path: Path) -> str:
    """The content key of a source: its bytes, its corrections file's bytes, its shown path, the code,
    and the edition-wide data every document is read with (the registers)."""
    sidecar = sidecar_path(path)
    extra = sidecar.read_bytes() if sidecar.is_file() else b"\0no corrections"
    return content_key(code, edition_data, shown, path.read_bytes(), extra)


def registers_key(seeds: Path) -> str:
    """A hash of the editor's register files (the shipped ones are part of the code)."""
    return content_key(*(f.path.read_bytes() for f in register_files(seeds / EDITOR_FOLDER) if f.by_editor))


def read_stage(config: BuildConfig, cache: Cache, index: Index, scan: Scan, resolver: Resolver,
               progress: Progress | None) -> tuple[list[tuple[str, ReadResult, str]], int]:
    """Every source as (relative path, result, key), in the seeds' order, and how many were read.

    Only sources whose signature changed are opened, and only those whose key changed are read.
    """
    base = _display_base(config)
    edition_data = registers_key(config.seeds)
    same_data = index.edition_data == edition_data  # else an unchanged source may still read differently
    index.edition_data = edition_data
    out: list[tuple[str, ReadResult | None, str]] = []
    jobs: list[tuple[int, ReadJob]] = []
    for rel in source_names(scan):
        sig = (scan[rel], scan.get(sidecar_name(rel)))
        entry = index.sources.get(rel)
        if entry is not None and entry.signature == sig and same_data:
            out.append((rel, entry.result, entry.key))
            continue
        path = config.seeds / rel  # (a path made for each of 10,000 unchanged sources took a hundredth of a second)
        shown = shown_path(path, base)
        key = _source_key(index.code, edition_data, shown, path)
        if entry is not None and entry.key == key:  # touched, not changed
            entry.signature = sig
            index.touched_source(rel)
            out.append((rel, entry.result, entry.key))
            continue
        jobs.append((len(out), ReadJob(path=path, shown=shown, base=base, key=key, store=cache.document_path(key),
                                       site_url=config.site_url)))
        out.append((rel, None, key))
        index.set_source(rel, SourceEntry(signature=sig, key=key, result=None))
    reader = functools.partial(read_job, resolver=resolver)
    roles: dict[tuple[str, ...], tuple[str, ...]] = {}
    for (n, job), result in zip(jobs, run_jobs(config, reader, [j for _, j in jobs], progress, "reading sources")):
        prepare_templates(result.shapes)  # while the workers read on; the rendering workers inherit them
        result = _kept(result, roles)
        rel = out[n][0]
        out[n] = (rel, result, job.key)
        if any(d.code == "internal-error" for d in result.diagnostics):
            index.drop_source(rel)  # a crash is not remembered: the next build tries again
        else:
            index.set_source(rel, replace_result(index.sources[rel], result))
    present = {rel for rel, _, _ in out}
    for gone in [rel for rel in index.sources if rel not in present]:
        index.drop_source(gone)
    return [(rel, result, key) for rel, result, key in out if result is not None], len(jobs)


# --- the edition stage: what the collection says of each document -------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """Everything a document's page depends on besides the document itself."""

    id: str
    variants: tuple[VariantLink, ...]
    chronology: ChronologyLinks


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentKey:
    """A document's place in the cache: its source's key and its number among the source's documents."""

    source: str
    number: int = 0

    def store(self, cache: Cache) -> Path:
        return _numbered(cache.document_path(self.source), self.number)


def edition_context(read: list[tuple[str, ReadResult, str]], known_days: Mapping[str, DayResult] | None = None
                    ) -> tuple[list[DocumentSummary], list[DocumentKey], list[Context], list[Diagnostic], dict[str, DayResult]]:
    """Unique ids, variants and neighbours, from the summaries; the summaries as finally published. The
    comparisons of each date's documents are returned, and taken from ``known_days`` where their documents
    are the same (see ``annotators.variants.relate``)."""
    taken: dict[str, str] = {}
    summaries: list[DocumentSummary] = []
    keys: list[DocumentKey] = []
    loose: list[Diagnostic] = []
    for _, result, key in read:
        loose.extend(result.diagnostics)
        for number, s in enumerate(result.summaries):
            new_id, note = unique_id(s.id, s.source, taken)
            if note:
                s = replace(s, id=new_id, diagnostics=s.diagnostics + (note,))
            summaries.append(s)
            keys.append(DocumentKey(source=key, number=number))
    related, days = relate(summaries, [f"{k.source} {k.number}" for k in keys], known_days)
    summaries = [replace(s, diagnostics=s.diagnostics + r.diagnostics) if r.diagnostics else s
                 for s, r in zip(summaries, related)]
    links = _neighbours(summaries)
    contexts = [Context(id=s.id, variants=r.variants, chronology=links[s.id]) for s, r in zip(summaries, related)]
    return summaries, keys, contexts, loose, days


def _neighbours(summaries: list[DocumentSummary]) -> dict[str, ChronologyLinks]:
    ordered = chronological(summaries)
    n = [Neighbour(id=s.id, title=s.title, date=s.date) for s in ordered]
    return {s.id: ChronologyLinks(previous=n[i - 1] if i else None, next=n[i + 1] if i + 1 < len(n) else None)
            for i, s in enumerate(ordered)}


# --- the per-document stage: rendering ------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderJob:
    store: Path
    context: Context
    site_url: str
    source: Path | None = None
    """The source to read again if the cached document is missing or damaged."""
    number: int = 0
    base: Path | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendered:
    page: str
    tei: str
    exports: DocumentExports


def load_document(job: RenderJob) -> Document:
    cached = load_pickle(job.store)
    if isinstance(cached, Document):
        return cached
    from . import pipeline

    assert job.source is not None, "a cached document is missing and no source was given"
    document = published(pipeline.read_file_documents(job.source, job.base))[job.number]
    atomic_pickle(job.store, (FORMAT, document))
    return document


def in_context(document: Document, context: Context) -> Document:
    return replace(document, id=context.id, variants=context.variants)


def render_job(job: RenderJob, debug: bool = False, glossary: Glossary = Glossary(),
               terms: dict[str, GlossaryEntry] | None = None) -> Rendered:
    """Render one document's page, TEI and citation files; ``terms`` is the glossary by entry id."""
    document = in_context(load_document(job), job.context)
    page = render_page(document, job.site_url, chronology=job.context.chronology) + abbreviations(document, glossary, terms)
    return Rendered(page=page, tei=render_tei(document), exports=document_exports(document, job.site_url))


@dataclass(slots=True, kw_only=True)
class Run:
    """What every step of one build shares."""

    config: BuildConfig
    cache: Cache
    index: Index
    records: dict[str, Record]
    glossary: Glossary
    glossary_key: str
    sources: dict[str, str]
    """Each source's key and its path in the seeds folder, to read it again should its cached documents be lost."""
    base: Path
    stale: frozenset[str] | None = None
    """The generated files found changed since the last build (``StaleProbe``), if looked for: the others are
    trusted without a ``stat``."""

    def job(self, key: DocumentKey, context: Context) -> RenderJob:
        rel = self.sources.get(key.source)
        return RenderJob(store=key.store(self.cache), context=context, site_url=self.config.site_url,
                         source=self.config.seeds / rel if rel is not None else None, number=key.number, base=self.base)


class StaleProbe:
    """Which generated files are no longer as the last build left them (``output.stale_outputs``), found in a second
    process while this one loads the index and reads what changed: at 10,000 documents the edition stage would
    otherwise ``stat`` 50,000 files itself (a fifth of a second) on its way to the pages. Only where the build may
    fork (``BuildConfig.edition_apart``); else, or if that process fails, :meth:`result` is None and the files are
    looked at as they are met."""

    def __init__(self, docs: Path, fork: bool) -> None:
        self._docs, self._fork = docs, fork
        self._apart: Apart[frozenset[str]] | None = None

    def start(self, stats: dict[str, tuple[int, int]]) -> None:
        if self._fork and stats and self._apart is None:
            apart = Apart(functools.partial(stale_outputs, self._docs, stats), fork=True)
            self._apart = apart if apart.forked else None

    def result(self) -> frozenset[str] | None:
        """The stale files among those given to :meth:`start` (every other one is as the build noted)."""
        apart, self._apart = self._apart, None
        if apart is None:
            return None
        with apart:
            try:
                return apart.result()
            except ApartError:
                return None

    def __enter__(self) -> StaleProbe:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._apart is not None:
            self._apart.close()
            self._apart = None


def run_build(config: BuildConfig, cache: Cache, index: Index, scan: Scan, progress: Progress | None,
              probe: StaleProbe | None = None) -> BuildResult:
    resolver = resolver_for(config.seeds, _display_base(config))
    templates = _kept_templates(cache, index.code)
    read, read_count = read_stage(config, cache, index, scan, resolver, progress)
    known_days = index.groups.get(DAYS)
    summaries, keys, contexts, loose, days = edition_context(read, known_days.extras if known_days else None)
    if known_days is None or known_days.extras != days:
        index.set_group(DAYS, PageEntry(key="", extras=days))
    loose += resolver.registers.diagnostics
    glossary = Glossary(entries=tuple(e for _, r, _ in read for e in r.glossary))
    # what the last whole build wrote (the manifest), which the index's keys name: not the pages a stopped build
    # left since (the writer knows those for its own, see output.JOURNAL, but they were made from other keys)
    records = read_records(config.docs, index.outputs)
    writer = PageWriter(config.docs, index.outputs, records=records)
    run = Run(config=config, cache=cache, index=index, records=records,
              glossary=glossary, glossary_key=content_key(repr(glossary)),
              sources={key: rel for rel, _, key in read}, base=_display_base(config),
              stale=probe.result() if probe is not None else None)
    tokens = [_token(s, k) for s, k in zip(summaries, keys)]
    diagnostics = [d for s in summaries for d in s.diagnostics] + loose + [_cache_note(cache, n) for n in cache.notes]
    noted = len(cache.notes)
    # the edition-wide pages from the summaries, the diagnostics' too, in a second process where the command line
    # allows it, while this one writes the documents' pages and the downloads (about half of a build after one
    # change each)
    edition_half = functools.partial(_edition_half, run, writer, summaries, tokens, resolver.registers, glossary,
                                     diagnostics)
    with Apart(edition_half, fork=config.edition_apart and worker_count(config, 1 << 20) > 1) as apart:
        exports, rendered = _document_pages(run, writer, summaries, keys, contexts, progress)
        _variant_pages(run, writer, summaries, dict(zip((c.id for c in contexts), zip(keys, contexts))))
        earlier = EarlierParts(run)
        try:
            copies = _write_exports(run, writer, edition_exports([exports[s.id] for s in summaries], earlier=earlier))
        finally:
            earlier.close()
        share = apart.result()
        if apart.forked:
            _take_share(run, writer, share)
    if len(cache.notes) > noted:  # noted by this process while the edition half ran: its diagnostics pages lack them
        diagnostics += [_cache_note(cache, n) for n in cache.notes[noted:]]
        writer.rewrite(diagnostics_pages(diagnostics))
        if GROUP + DIAGNOSTICS in index.groups:  # its key is of the diagnostics without them: rendered next time
            index.drop_group(GROUP + DIAGNOSTICS)
    groups: set[str] = {DAYS, GZIP_BLOCKS, *copies, *share.groups}
    report = writer.finish()
    for stale in [p for p in index.pages if p not in report.owned]:
        index.drop_page(stale)
    for stale in [g for g in index.groups if g not in groups]:
        index.drop_group(stale)
    result = BuildResult(
        documents=tuple(summaries), document_count=len(summaries),
        variants={c.id: c.variants for c in contexts if c.variants},
        diagnostics=tuple(diagnostics + report.diagnostics),
        report=WriteCounts(written=report.written, unchanged=report.unchanged, removed=report.removed, kept=report.kept),
        read=read_count, rendered=rendered,
    )
    if known_templates() != templates:
        cache.save_kept(TEMPLATES, index.code, known_templates())
    cache.save_index(index)
    cache.save_state(State(code=index.code, inputs=scan, manifest=manifest_digest(config.docs),
                           documents=result.document_count, site_url=config.site_url,
                           diagnostics_key=_diagnostics_key(index, report.diagnostics)), result.diagnostics)
    if config.free_later:
        LEFT_OVER[:] = [run, writer, read, summaries, keys, contexts, tokens, exports, diagnostics, resolver, share]
    return result


def _diagnostics_key(index: Index, writers: Sequence[Diagnostic]) -> str:
    """What a build's diagnostics are made from: the key its diagnostics pages were made from (of all but the
    writer's, ``writers``), and the writer's; "" where the pages' key is not known (a cache note came late)."""
    entry = index.groups.get(GROUP + DIAGNOSTICS)
    return diagnostics_key(writers, entry.key) if entry is not None and entry.key else ""


TEMPLATES = "templates"
"""The name the citation templates are kept under in the cache (``writers.citations.KnownTemplates``)."""


def _kept_templates(cache: Cache, code: str) -> KnownTemplates:
    """The citation templates the last build held, taken into this process (and so into the workers it forks)."""
    kept = cache.kept(TEMPLATES, code)
    if not isinstance(kept, KnownTemplates):
        return KnownTemplates()
    take_templates(kept)
    return known_templates()


@dataclass(frozen=True, slots=True, kw_only=True)
class EditionShare:
    """What the edition-wide half of a build did (``_edition_half``): when it ran in a second process, its share
    of the writer's records and report, and the index entries of its groups, which the first process takes."""

    records: dict[str, Record]
    written: list[str]
    unchanged: list[str]
    kept: list[str]
    diagnostics: list[Diagnostic]
    groups: dict[str, PageEntry | None]


def _edition_half(run: Run, writer: PageWriter, summaries: list[DocumentSummary], tokens: list[str],
                  registers: Registers, glossary: Glossary, diagnostics: list[Diagnostic]) -> EditionShare:
    """Write the edition-wide pages (the chronology, indexes, registers, glossary, diagnostics), each group of
    pages only where its key changed. In a second process, forked before anything was written, all the writer
    holds when it is done is its own."""
    groups: list[str] = []
    for item in [*edition_pages(summaries, tokens),
                 *register_page_groups([_mentions(s, t) for s, t in zip(summaries, tokens)], registers),
                 *glossary_pages(glossary), diagnostics_group(diagnostics)]:
        if isinstance(item, PageGroup):
            groups.append(_write_group(run, writer, item))
        else:
            writer.write(item)
    report = writer.report
    return EditionShare(records=dict(writer.new), written=report.written, unchanged=report.unchanged,
                        kept=report.kept, diagnostics=report.diagnostics,
                        groups={name: run.index.groups.get(name) for name in groups})


def _take_share(run: Run, writer: PageWriter, share: EditionShare) -> None:
    """Take what the edition-wide half did in its process into this one's writer and index."""
    writer.new.update(share.records)
    writer.report.written += share.written
    writer.report.unchanged += share.unchanged
    writer.report.kept += share.kept
    writer.report.diagnostics += share.diagnostics
    for name, entry in share.groups.items():
        if entry is not None and run.index.groups.get(name) != entry:
            run.index.set_group(name, entry)


def _token(s: DocumentSummary, key: DocumentKey) -> str:
    """What pages listing a document show of it: the digest of its summary's shown fields (``summary.shown_key``:
    its title, date, names, entries, flags..., not its text) and the id the edition gave it (``edition_context``).
    Pages listing documents are keyed by the tokens of their documents, so an edit to a text that changes none of
    those renders none of them. A summary without a digest is known by its source's cache key and its number in
    the source, which change with anything. The diagnostics are in neither (no page keyed so shows diagnostics)."""
    return f"{s.shown_key or f'{key.source} {key.number}'} {s.id}"


def _mentions(s: DocumentSummary, token: str) -> DocumentMentions:
    return DocumentMentions(id=s.id, title=s.title, date=s.date, source=s.source, names=s.names, key=token)


def _write_exports(run: Run, writer: PageWriter, pages: Iterable[GeneratedPage]) -> list[str]:
    """The edition's downloads, one at a time (the largest is over 100 MB at 10,000 documents), and the gzip
    copies of the large ones: compressed again only when the file changed (the index notes, with this version
    of the code, which content each copy was made from); return the copies' index entries."""
    known = run.index.groups.get(GZIP_BLOCKS)
    blocks = GzipBlocks(known.extras if known else None)
    kept, made, noted = [], [], []
    for page in pages:
        layout = Layout()
        copy, unchanged = page.path + ".gz", writer.write(page, layout)
        holds = writer.holds(page.path)
        if isinstance(page, JoinedPage) and page.path == DOCUMENTS_JSON and any(page.keys) and holds:
            # (the one download whose parts the next build reads from the file: the others' are in the index)
            noted.append(_note_parts(run, page, layout, writer.digest_of(page.path)))
        made_from = run.index.groups.get(copy)
        if unchanged and _made_from(run, made_from, writer.digest_of(page.path), [copy]):
            writer.keep([copy])
            kept.append(copy)
            continue
        packed_copies: list[GeneratedPage]
        if isinstance(page, JoinedPage):  # its copy from the file as written (none if an editor's file is there)
            found = compressed_file_copy(page.path, run.config.docs / page.path, page, layout, blocks) if holds else None
            packed_copies = [found] if found else []
        else:
            packed_copies = compressed_copies([page], blocks=blocks)
        for packed in packed_copies:
            writer.write(packed)
            run.index.set_group(packed.path, PageEntry(key=writer.digest_of(page.path)))
            made.append(packed.path)
    if made or known is None:
        run.index.set_group(GZIP_BLOCKS, PageEntry(key="", extras={p: blocks.by_copy[p] for p in kept + made
                                                                  if p in blocks.by_copy}))
    return kept + made + noted


def _note_parts(run: Run, page: JoinedPage, layout: Layout, digest: str) -> str:
    """Note where each document's part lies in the download just written (its index entry, by the file's digest)."""
    name, parts = PARTS + page.path, parts_by_key(page, layout)
    known = run.index.groups.get(name)
    if known is None or known.key != digest or known.extras != parts:
        run.index.set_group(name, PageEntry(key=digest, extras=parts))
    return name


class EarlierParts:
    """Each document's part of a joined download as the last build wrote it (``writers.data.EarlierPart``): read
    from that file as the new one is written, when the index knows where the parts lie in what the file holds now,
    instead of unpacked from the document's exports (a tenth of a one-change build at 10,000 documents). The file
    stays open until :meth:`close`, so a part is read from it even once the new file has taken its name."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.files: dict[str, tuple[BinaryIO, dict[str, tuple[int, int]]] | None] = {}

    def __call__(self, path: str, key: str) -> FilePart | None:
        if path not in self.files:
            self.files[path] = self._open(path)
        found = self.files[path]
        span = found[1].get(key) if found else None
        return FilePart(handle=found[0], start=span[0], end=span[1]) if found and span else None

    def _open(self, path: str) -> tuple[BinaryIO, dict[str, tuple[int, int]]] | None:
        entry, record = self.run.index.groups.get(PARTS + path), self.run.records.get(path)
        if (entry is None or record is None or record[0] != entry.key or not isinstance(entry.extras, dict)
                or not intact(self.run.config.docs, self.run.records, path)):
            return None
        try:
            handle = (self.run.config.docs / path).open("rb")
        except OSError:
            return None
        if os.fstat(handle.fileno()).st_size != record[1]:
            handle.close()
            return None
        return handle, entry.extras

    def close(self) -> None:
        for found in self.files.values():
            if found:
                found[0].close()


@dataclass(frozen=True, slots=True)
class FilePart:
    """The bytes ``start:end`` of an open file (``writers.generated.Unpacked``)."""

    handle: BinaryIO
    start: int
    end: int

    def utf8(self) -> bytes:
        data = os.pread(self.handle.fileno(), self.end - self.start, self.start)
        if len(data) != self.end - self.start:
            raise OSError(f"{self.handle.name} is shorter than the build wrote it")
        return data


GROUP = "group:"
"""The names of page groups in the index's table of groups (``GROUP`` + the group's name), apart from the
other things kept there: the gzip copies (by path), their blocks and the variants by date."""
GZIP_BLOCKS = GROUP + "gzip-blocks"
"""The index entry of the compressed blocks of each gzip copy (``writers.exports.GzipBlocks``)."""
PARTS = GROUP + "parts:"
"""The index entries (``PARTS`` + a download's path) of where each document's part lies in a joined download, with
the digest of the file they were noted in."""
DAYS = GROUP + "variants-by-date"
"""The index entry of the last build's comparisons of each date's documents (``annotators.variants.DayResult``)."""


def _made_from(run: Run, entry: PageEntry | None, key: str, paths: Sequence[str]) -> bool:
    """Were ``paths`` made by this code from what ``key`` names, and are they still as they were written?
    An empty key names nothing: never trusted."""
    return (entry is not None and bool(key) and entry.key == key
            and all_intact(run.config.docs, run.records, paths, run.stale))


def _render_key(run: Run, key: DocumentKey, context: Context) -> str:
    """What a document's page, TEI and downloads are made from: its cached document (``key``), its context, the
    glossary and the site's address. The context goes in field by field, not as its repr (ten times faster: a tenth
    of a second at 10,000 documents); ``tests/test_incremental.py`` checks that every field of it is here."""
    chronology = context.chronology
    return content_key(key.source, str(key.number), context.id, *_neighbour(chronology.previous),
                       *_neighbour(chronology.next), repr(context.variants) if context.variants else "",
                       run.glossary_key, run.config.site_url)


def _neighbour(n: Neighbour | None) -> tuple[str, str, str]:
    return ("", "", "none") if n is None else (n.id, n.title, n.date.isoformat() if n.date else "undated")


def _write_group(run: Run, writer: PageWriter, group: PageGroup) -> str:
    """Keep the group's files if they were rendered from the same key and are intact, else render them;
    return the group's index entry."""
    name = GROUP + group.name
    entry = run.index.groups.get(name)
    if entry is not None and isinstance(entry.extras, tuple) and _made_from(run, entry, group.key, entry.extras):
        writer.keep(entry.extras)
        return name
    pages = group.render()
    for page in pages:
        writer.write(page)
    run.index.set_group(name, PageEntry(key=group.key, extras=tuple(p.path for p in pages)))
    return name


def _cache_note(cache: Cache, note: str) -> Diagnostic:
    return diag.make("cache-rebuilt", SourcePos(path=str(cache.folder), line=1), reason=note)


def _document_pages(run: Run, writer: PageWriter, summaries: list[DocumentSummary], keys: list[DocumentKey],
                    contexts: list[Context], progress: Progress | None) -> tuple[dict[str, DocumentExports], int]:
    """Write the page and TEI of each document whose key or context changed, keep the others;
    return the by-products of all, and how many documents were rendered."""
    exports: dict[str, DocumentExports] = {}
    kept: list[str] = []
    todo: list[tuple[str, str, RenderJob]] = []
    for s, key, context in zip(summaries, keys, contexts):
        path, tei = document_path(s.id), tei_path(s.id)
        render_key = _render_key(run, key, context)
        entry = run.index.pages.get(path)
        own = [path, tei, *(cite_path(s.id, ext) for ext in CITE_FORMATS)]
        if entry is not None and isinstance(entry.extras, DocumentExports) and _made_from(run, entry, render_key, own):
            exports[s.id] = entry.extras
            kept += own
            continue
        todo.append((s.id, render_key, run.job(key, context)))
    writer.keep(kept)
    # the glossary goes to the workers once per batch of jobs, not with every job
    renderer = functools.partial(render_job, glossary=run.glossary, terms=entries_by_id(run.glossary))
    results = run_jobs(run.config, renderer, [j for _, _, j in todo], progress, "rendering pages")
    for (doc_id, render_key, _), result in zip(todo, results):
        writer.write(GeneratedPage(path=document_path(doc_id), content=result.page))
        writer.write(GeneratedPage(path=tei_path(doc_id), content=result.tei))
        for page in result.exports.pages:
            writer.write(page)
        held = replace(result.exports, pages=(), key=render_key)  # the edition stage needs the records, not the files
        run.index.set_page(document_path(doc_id), PageEntry(key=render_key, extras=held))
        exports[doc_id] = held
    return exports, len(todo)


def _variant_pages(run: Run, writer: PageWriter, summaries: list[DocumentSummary],
                   by_id: dict[str, tuple[DocumentKey, Context]]) -> None:
    """Side-by-side pages of the pairs of translations: written where their documents or links changed."""
    for s in summaries:
        key, context = by_id[s.id]
        for link in context.variants:
            if not s.id < link.other_id or link.other_id not in by_id:
                continue
            other_key, other_context = by_id[link.other_id]
            path = variant_path(s.id, link.other_id)
            page_key = content_key(repr(key), repr(other_key), repr(context), repr(other_context))
            entry = run.index.pages.get(path)
            if _made_from(run, entry, page_key, [path]):
                writer.keep([path])
                continue
            left, right = (in_context(load_document(run.job(k, c)), c) for k, c in ((key, context), (other_key, other_context)))
            writer.write(comparison_page(left, right, link.reasons))
            run.index.set_page(path, PageEntry(key=page_key))


# --- running jobs -------------------------------------------------------------------


def run_jobs(config: BuildConfig, work: Callable[[T, bool], R], jobs: Sequence[T], progress: Progress | None,
             label: str) -> Iterator[R]:
    """``work`` over ``jobs``, results in order as they come: in worker processes when there are enough jobs."""
    if not jobs:
        return
    advance = progress(label, len(jobs)) if progress else (lambda n: None)
    workers = worker_count(config, len(jobs))
    if workers == 1:
        for job in jobs:
            yield work(job, config.debug)
            advance(1)
        return
    import multiprocessing  # here: a build of one changed source starts no process
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for result in pool.map(_Call(work, config.debug), jobs, chunksize=chunk):
            yield result  # type: ignore[misc]  # _Call erases the type of ``work``
            advance(1)


@dataclass(frozen=True, slots=True)
class _Call:
    """A picklable ``work(job, debug)`` for the worker processes."""

    work: Callable[..., object]
    debug: bool

    def __call__(self, job: object) -> object:
        return self.work(job, self.debug)


fast_pickling_in(globals())
