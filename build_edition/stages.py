"""The stages of a build that does work: per-document reading and rendering, and the edition.

``pipeline.build`` comes here only when something changed; see its docstring for the
order. Each per-document job is a pure function of its inputs, run in this process
or in workers, and returns values only.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from .annotators.corrections import sidecar_path
from .annotators.variants import Related, relate
from .cache import Cache, Index, PageEntry, SourceEntry, atomic_pickle, content_key, load_pickle, signature
from .model import Diagnostic, Document, VariantLink
from .pipeline import (
    BuildConfig, BuildResult, Progress, WriteCounts, _display_base, code_fingerprint, internal_error, is_document,
    safe_id, save_state, shown_path, source_files, unique_id, worker_count,
)
from .pickling import fast_pickling_in
from .summary import DocumentSummary, summarize
from .writers.data import DocumentFragments, data_pages, document_fragments
from .writers.edition import chronological, edition_pages
from .writers.generated import GeneratedPage
from .writers.output import Record, intact, manifest_digest, read_records, write_pages
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


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadResult:
    """What reading one source gave: a summary (when it is a document) and the problems found."""

    summary: DocumentSummary | None
    diagnostics: tuple[Diagnostic, ...] = ()


def read_job(job: ReadJob, debug: bool = False) -> ReadResult:
    """Read, annotate and summarize one source; the document goes to the cache."""
    from . import pipeline  # looked up at call time, so a test can stand in for the reader

    try:
        document = pipeline.read_file(job.path, job.base)
    except Exception as exc:
        if debug:
            raise
        return ReadResult(summary=None, diagnostics=(internal_error(job.path, job.base, exc),))
    if not is_document(document):
        return ReadResult(summary=None, diagnostics=document.diagnostics)
    atomic_pickle(job.store, (1, document))
    return ReadResult(summary=summarize(document))


def _source_key(code: str, shown: str, path: Path) -> str:
    """The content key of a source: its bytes, its corrections file's bytes, its shown path, the code."""
    sidecar = sidecar_path(path)
    extra = sidecar.read_bytes() if sidecar.is_file() else b"\0no corrections"
    return content_key(code, shown, path.read_bytes(), extra)


def read_stage(config: BuildConfig, cache: Cache, index: Index, progress: Progress | None,
               ) -> tuple[list[tuple[str, ReadResult, str]], int]:
    """Every source as (relative path, result, key), in the seeds' order, and how many were read.

    Only sources whose signature changed are opened, and only those whose key changed are read.
    """
    base = _display_base(config)
    out: list[tuple[str, ReadResult | None, str]] = []
    jobs: list[tuple[int, ReadJob]] = []
    for path in source_files(config.seeds):
        rel = path.relative_to(config.seeds).as_posix()
        sig = (signature(path), signature(sidecar_path(path)))
        entry = index.sources.get(rel)
        if entry is not None and entry.signature == sig:
            out.append((rel, entry.result, entry.key))
            continue
        shown = shown_path(path, base)
        key = _source_key(index.code, shown, path)
        if entry is not None and entry.key == key:  # touched, not changed
            entry.signature = sig
            out.append((rel, entry.result, entry.key))
            continue
        jobs.append((len(out), ReadJob(path=path, shown=shown, base=base, key=key, store=cache.document_path(key))))
        out.append((rel, None, key))
        index.sources[rel] = SourceEntry(signature=sig, key=key, result=None)
    results = run_jobs(config, read_job, [j for _, j in jobs], progress, "reading sources")
    for (n, job), result in zip(jobs, results):
        rel = out[n][0]
        out[n] = (rel, result, job.key)
        if any(d.code == "internal-error" for d in result.diagnostics):
            del index.sources[rel]  # a crash is not remembered: the next build tries again
        else:
            index.sources[rel].result = result
    present = {rel for rel, _, _ in out}
    for gone in [rel for rel in index.sources if rel not in present]:
        del index.sources[gone]
    return [(rel, result, key) for rel, result, key in out if result is not None], len(jobs)


# --- the edition stage: what the collection says of each document -------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """Everything a document's page depends on besides the document itself."""

    id: str
    variants: tuple[VariantLink, ...]
    chronology: ChronologyLinks
    extra: tuple[Diagnostic, ...] = ()


def edition_context(read: list[tuple[str, ReadResult, str]]) -> tuple[list[DocumentSummary], list[str], list[Context], list[Diagnostic]]:
    """Unique ids, variants and neighbours, from the summaries; the summaries as finally published."""
    taken: dict[str, str] = {}
    summaries: list[DocumentSummary] = []
    keys: list[str] = []
    loose: list[Diagnostic] = []
    for _, result, key in read:
        loose.extend(result.diagnostics)
        if result.summary is None:
            continue
        s = result.summary
        new_id, note = unique_id(s.id, s.source, taken)
        if note:
            s = replace(s, id=new_id, diagnostics=s.diagnostics + (note,))
        summaries.append(s)
        keys.append(key)
    related: list[Related] = relate(summaries)
    summaries = [replace(s, diagnostics=s.diagnostics + r.diagnostics) if r.diagnostics else s
                 for s, r in zip(summaries, related)]
    links = _neighbours(summaries)
    contexts = [Context(id=s.id, variants=r.variants, chronology=links[s.id]) for s, r in zip(summaries, related)]
    return summaries, keys, contexts, loose


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
    source: Path | None = None
    """The source to read again if the cached document is missing or damaged."""
    base: Path | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendered:
    page: str
    tei: str
    fragments: DocumentFragments


def load_document(job: RenderJob) -> Document:
    cached = load_pickle(job.store)
    if isinstance(cached, Document):
        return cached
    from . import pipeline

    assert job.source is not None, "a cached document is missing and no source was given"
    document = pipeline.read_file(job.source, job.base)
    atomic_pickle(job.store, (1, document))
    return document


def in_context(document: Document, context: Context) -> Document:
    return replace(document, id=context.id, variants=context.variants,
                   diagnostics=document.diagnostics + context.extra)


def render_job(job: RenderJob, debug: bool = False) -> Rendered:
    document = in_context(load_document(job), job.context)
    return Rendered(page=render_page(document, job.context.chronology), tei=render_tei(document),
                    fragments=document_fragments(document))


def run_build(config: BuildConfig, cache: Cache, index: Index, progress: Progress | None) -> BuildResult:
    read, read_count = read_stage(config, cache, index, progress)
    summaries, keys, contexts, loose = edition_context(read)
    sources = {key: config.seeds / rel for rel, _, key in read}
    records = read_records(config.docs, index.outputs)
    pages, fragments, kept, rendered = _document_pages(config, cache, index, records, summaries, keys, contexts,
                                                       sources, progress)
    by_id = {c.id: (k, c) for k, c in zip(keys, contexts)}
    variant_pages, variants_kept = _variant_pages(config, cache, index, records, summaries, by_id, sources)
    pages += variant_pages
    diagnostics = [d for s in summaries for d in s.diagnostics] + loose + [
        diag for note in cache.notes for diag in _cache_note(cache, note)]
    pages += edition_pages(summaries, diagnostics)
    pages += data_pages(_chronological_fragments(summaries, fragments))
    report = write_pages(config.docs, pages, keep=kept | variants_kept, stats=index.outputs)
    for stale in [p for p in index.pages if p not in report.owned]:
        del index.pages[stale]
    result = BuildResult(
        documents=tuple(summaries), document_count=len(summaries),
        variants={c.id: c.variants for c in contexts if c.variants},
        diagnostics=tuple(diagnostics + report.diagnostics),
        report=WriteCounts(written=report.written, unchanged=report.unchanged, removed=report.removed, kept=report.kept),
        read=read_count, rendered=rendered,
    )
    cache.save_index(index)
    save_state(cache, index.code, config, manifest_digest(config.docs), index.outputs, result)
    return result


def _cache_note(cache: Cache, note: str) -> list[Diagnostic]:
    from . import diagnostics as diag
    from .model import SourcePos

    return [diag.make("cache-rebuilt", SourcePos(path=str(cache.folder), line=1), reason=note)]


def _document_pages(config: BuildConfig, cache: Cache, index: Index, records: dict[str, Record],
                    summaries: list[DocumentSummary], keys: list[str],
                    contexts: list[Context], sources: dict[str, Path], progress: Progress | None,
                    ) -> tuple[list[GeneratedPage], dict[str, DocumentFragments], set[str], int]:
    """Pages and TEI of the documents whose key or context changed; the by-products of all;
    the paths left as they are; how many documents were rendered."""
    base = _display_base(config)
    fragments: dict[str, DocumentFragments] = {}
    kept: set[str] = set()
    todo: list[tuple[str, str, RenderJob]] = []
    for s, key, context in zip(summaries, keys, contexts):
        path = document_path(s.id)
        render_key = content_key(key, repr(context))
        entry = index.pages.get(path)
        if (entry is not None and entry.key == render_key and isinstance(entry.extras, DocumentFragments)
                and intact(config.docs, records, path) and intact(config.docs, records, tei_path(s.id))):
            fragments[s.id] = entry.extras
            kept.update((path, tei_path(s.id)))
            continue
        todo.append((s.id, render_key, RenderJob(store=cache.document_path(key), context=context,
                                                 source=sources.get(key), base=base)))
    pages: list[GeneratedPage] = []
    results = run_jobs(config, render_job, [j for _, _, j in todo], progress, "rendering pages")
    for (doc_id, render_key, _), result in zip(todo, results):
        pages.append(GeneratedPage(path=document_path(doc_id), content=result.page))
        pages.append(GeneratedPage(path=tei_path(doc_id), content=result.tei))
        index.pages[document_path(doc_id)] = PageEntry(key=render_key, extras=result.fragments)
        index.pages[tei_path(doc_id)] = PageEntry(key=render_key)
        fragments[doc_id] = result.fragments
    return pages, fragments, kept, len(todo)


def _variant_pages(config: BuildConfig, cache: Cache, index: Index, records: dict[str, Record],
                   summaries: list[DocumentSummary], by_id: dict[str, tuple[str, Context]], sources: dict[str, Path],
                   ) -> tuple[list[GeneratedPage], set[str]]:
    """Side-by-side pages of the pairs of translations whose documents or links changed."""
    base = _display_base(config)
    pages = []
    kept: set[str] = set()
    for s in summaries:
        key, context = by_id[s.id]
        for link in context.variants:
            if not s.id < link.other_id or link.other_id not in by_id:
                continue
            other_key, other_context = by_id[link.other_id]
            path = variant_path(s.id, link.other_id)
            page_key = content_key(key, other_key, repr(context), repr(other_context))
            entry = index.pages.get(path)
            if entry is not None and entry.key == page_key and intact(config.docs, records, path):
                kept.add(path)
                continue
            left, right = (in_context(load_document(RenderJob(store=cache.document_path(k), context=c,
                                                              source=sources.get(k), base=base)), c)
                           for k, c in ((key, context), (other_key, other_context)))
            pages.append(comparison_page(left, right, link.reasons))
            index.pages[path] = PageEntry(key=page_key)
    return pages, kept


def _chronological_fragments(summaries: list[DocumentSummary], fragments: dict[str, DocumentFragments]) -> list[DocumentFragments]:
    return [fragments[s.id] for s in chronological(summaries)]


# --- running jobs -------------------------------------------------------------------


def run_jobs(config: BuildConfig, work: Callable[[T, bool], R], jobs: Sequence[T], progress: Progress | None,
             label: str) -> list[R]:
    """``work`` over ``jobs``, in order: in worker processes when there are enough of them."""
    if not jobs:
        return []
    advance = progress(label, len(jobs)) if progress else (lambda n: None)
    workers = worker_count(config, len(jobs))
    if workers == 1:
        out = []
        for job in jobs:
            out.append(work(job, config.debug))
            advance(1)
        return out
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        out = []
        for result in pool.map(_Call(work, config.debug), jobs, chunksize=chunk):
            out.append(result)  # type: ignore[arg-type]
            advance(1)
        return out


@dataclass(frozen=True, slots=True)
class _Call:
    """A picklable ``work(job, debug)`` for the worker processes."""

    work: Callable[..., object]
    debug: bool

    def __call__(self, job: object) -> object:
        return self.work(job, self.debug)


__all__ = ["run_build", "read_job", "render_job", "safe_id", "code_fingerprint"]


fast_pickling_in(globals())
