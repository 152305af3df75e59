"""build(config) -> result: read every source, annotate, write the edition. No global state."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import diagnostics as diag
from .annotators import annotate
from .annotators.corrections import load as load_corrections
from .annotators.corrections import sidecar_path
from .annotators.variants import relate_documents
from .model import Diagnostic, Document, Severity, SourcePos
from .readers import read_document
from .registers import Registers, Resolver, register_files, resolver_for
from .source import read_source
from .writers.data import data_pages
from .writers.edition import GeneratedPage, edition_pages
from .writers.output import WriteReport, read_inputs_fingerprint, read_manifest, write_pages
from .writers.page import render_page
from .writers.registers import mentions_of, register_pages
from .writers.tei import render_tei, tei_path
from .writers.urls import document_path
from .writers.variants import variant_pages

SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".text")
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9\-]{0,99}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildConfig:
    seeds: Path
    docs: Path
    shown_relative_to: Path | None = None
    reuse_unchanged: bool = False
    debug: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """Every document read from a folder, and what reading them found."""

    documents: tuple[Document, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        return [d for doc in self.documents for d in doc.diagnostics] + list(self.diagnostics)


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    corpus: Corpus
    report: WriteReport = field(default_factory=WriteReport)
    reused: bool = False

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.corpus.all_diagnostics + self.report.diagnostics

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
    """Read and annotate one source file; names resolve against ``resolver`` (by default the
    shipped registers and those in ``registers/`` beside the file)."""
    shown = shown_path(path, base)
    source = read_source(path, shown)
    sidecar = sidecar_path(path)
    corrections = load_corrections(sidecar, shown_path(sidecar, base))
    resolver = resolver or resolver_for(path.parent, base)
    return annotate(read_document(source, doc_id or safe_id(path.stem)), corrections, resolver,
                    [line.text for line in source.lines])


def safe_id(stem: str) -> str:
    """A file-name-safe id from a source's name."""
    text = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return text[:100].strip("-") or "document"


def read_corpus(files: list[Path], base: Path | None, debug: bool = False, resolver: Resolver | None = None) -> Corpus:
    """Read every file, giving each a unique id; one bad file never stops the rest.

    An unexpected exception in a reader becomes an ``internal-error`` diagnostic for
    that file (re-raised with ``debug``, to see the traceback).
    """
    documents: list[Document] = []
    found: list[Diagnostic] = []
    taken: dict[str, str] = {}
    resolvers = [resolver] if resolver else list({id(r): r for r in (resolver_for(f.parent, base) for f in files)}.values())
    found += [d for r in resolvers for d in r.registers.diagnostics]
    for path in files:
        try:
            document = read_file(path, base, resolver=resolver)
        except Exception as exc:
            if debug:
                raise
            found.append(diag.make("internal-error", SourcePos(path=shown_path(path, base), line=1), error=repr(exc)))
            continue
        if not document.blocks and not document.title:
            found.extend(document.diagnostics)
            continue
        document = _unique_id(document, taken)
        taken[document.id] = document.source
        documents.append(document)
    return Corpus(documents=tuple(relate_documents(documents)), diagnostics=tuple(found))


def _unique_id(document: Document, taken: dict[str, str]) -> Document:
    if document.id not in taken:
        return document
    n = 2
    while f"{document.id}-{n}" in taken:
        n += 1
    new = f"{document.id}-{n}"
    note = diag.make("duplicate-id", SourcePos(path=document.source, line=1), other=taken[document.id], id=document.id, new=new)
    return replace(document, id=new, diagnostics=document.diagnostics + (note,))


def render_edition(corpus: Corpus, registers: Registers | None = None) -> list[GeneratedPage]:
    """Every page of the edition, documents first, in a fixed order (register pages when given)."""
    pages = [GeneratedPage(path=document_path(d.id), content=render_page(d)) for d in corpus.documents]
    pages += [GeneratedPage(path=tei_path(d.id), content=render_tei(d)) for d in corpus.documents]
    documents = list(corpus.documents)
    pages += register_pages([mentions_of(d) for d in documents], registers) if registers else []
    return pages + variant_pages(documents) + edition_pages(documents, corpus.all_diagnostics) + data_pages(documents)


def inputs_fingerprint(files: list[Path], seeds: Path | None = None) -> str:
    """What the edition depends on: the sources, their corrections files, the registers and this package's code."""
    digest = hashlib.sha256()
    code = sorted(Path(__file__).parent.rglob("*.py"))
    registers = [f.path for f in register_files(seeds / "registers" if seeds else None)]
    for path in [*files, *(sidecar_path(f) for f in files), *registers, *code]:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.resolve().as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _display_base(config: BuildConfig) -> Path:
    """Paths in diagnostics and pages are shown from the project, or from the seeds' parent."""
    base = config.shown_relative_to
    if base is not None and config.seeds.resolve().is_relative_to(base.resolve()):
        return base
    return config.seeds.resolve().parent


def _unchanged(config: BuildConfig, fingerprint: str) -> bool:
    if read_inputs_fingerprint(config.docs) != fingerprint:
        return False
    return all((config.docs / path).is_file() for path in read_manifest(config.docs))


def build(config: BuildConfig) -> BuildResult:
    """Read ``config.seeds``, write the edition into ``config.docs``.

    With ``reuse_unchanged`` (the MkDocs hook), nothing is read when the sources,
    corrections and code are as they were at the last build and its pages are all there.
    """
    files = source_files(config.seeds)
    fingerprint = inputs_fingerprint(files, config.seeds)
    if config.reuse_unchanged and _unchanged(config, fingerprint):
        return BuildResult(corpus=Corpus(documents=()), reused=True)
    base = _display_base(config)
    resolver = resolver_for(config.seeds, base)
    corpus = read_corpus(files, base, config.debug, resolver)
    report = write_pages(config.docs, render_edition(corpus, resolver.registers), inputs=fingerprint)
    return BuildResult(corpus=corpus, report=report)
