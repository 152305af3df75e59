"""Writing generated pages safely: atomically, only when changed, never over an editor's file.

A manifest (``docs/.edition-manifest.json``, which MkDocs ignores as a dotfile)
records each generated file with the hash of what was written. A file that is not
in the manifest, or whose content no longer matches it, belongs to a person and is
left alone. The build cache keeps each file's size and modification time just after
writing (``Stats``), so that a build trusts an untouched file without reading it
back; the manifest itself holds hashes only, so two builds give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _json_string
from pathlib import Path
from stat import S_ISLNK
from typing import TYPE_CHECKING

from .. import diagnostics as diag
from ..model import Diagnostic, SourcePos

if TYPE_CHECKING:
    from .generated import GeneratedPage, Layout

MANIFEST = ".edition-manifest.json"
JOURNAL = ".edition-journal"
"""What a build is writing, noted before each file goes (``digest<TAB>path`` lines) and removed once the manifest
records it: a build stopped halfway (Ctrl-C in a live preview, a killed process) leaves its pages in the journal,
and the next build knows them for its own, not for an editor's."""


@dataclass(slots=True)
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    owned: set[str] = field(default_factory=set)
    """Every path the manifest now records as the build's."""


Stat = tuple[int, int]
Stats = dict[str, Stat]
"""Size and mtime (ns) of each generated file just after it was written or checked."""
Record = tuple[str, int | None, int | None]
"""What the build knows of a generated file: the manifest's digest, and its size and mtime if known."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(docs: Path) -> dict[str, object]:
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_manifest(docs: Path) -> dict[str, str]:
    """Generated files and the hash of what the build wrote in each."""
    return {path: record[0] for path, record in read_records(docs).items()}


def read_records(docs: Path, stats: Stats | None = None) -> dict[str, Record]:
    """The manifest's digests, with the size and time the cache noted for each, when it has them."""
    generated = _manifest(docs).get("generated", {})
    if not isinstance(generated, dict):
        return {}
    stats = stats or {}
    out: dict[str, Record] = {}
    for path, value in generated.items():
        if isinstance(value, list) and value and isinstance(value[0], str):
            value = value[0]  # tolerate a manifest that kept more than the digest
        if isinstance(value, str):
            known = stats.get(str(path))
            out[str(path)] = (value, known[0], known[1]) if known else (value, None, None)
    return out


def manifest_digest(docs: Path) -> str:
    try:
        return digest((docs / MANIFEST).read_bytes())
    except OSError:
        return ""


def _stat(target: Path | str) -> tuple[int, int] | None:
    try:
        st = os.stat(target)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _as_recorded(target: Path | str, record: Record) -> bool:
    """Is ``target`` what the build wrote? By size and time when they match, else by content."""
    stat = _stat(target)
    if stat is None:
        return False
    if record[1] is not None and stat == (record[1], record[2]):
        return True
    return digest(Path(target).read_bytes()) == record[0]


def intact(docs: Path, records: dict[str, Record], path: str) -> bool:
    """Is the generated file ``path`` still there, as the build wrote it?"""
    record = records.get(path)
    return record is not None and _as_recorded(os.path.join(docs, path), record)


def all_intact(docs: Path, records: dict[str, Record], paths: Iterable[str], stale: Container[str] | None = None
               ) -> bool:
    """:func:`intact` for each of ``paths`` (the edition stage asks it of 50,000 files at 10,000 documents:
    one loop, one ``os.stat`` each, the content read only where size or time differ). With ``stale``, what
    :func:`stale_outputs` found of the size and time ``records`` hold: a file not in it is not looked at again."""
    folder = os.fspath(docs) + os.sep
    for path in paths:
        record = records.get(path)
        if record is None:
            return False
        if stale is not None and record[1] is not None and path not in stale:
            continue
        try:
            st = os.stat(folder + path)
        except OSError:
            return False
        if (record[1] is None or st.st_size != record[1] or st.st_mtime_ns != record[2]) and not _as_recorded(
                folder + path, record):
            return False
    return True


def stale_outputs(docs: Path, stats: Stats) -> frozenset[str]:
    """The generated files whose size or time is no longer what ``stats`` noted, or which are gone: one ``os.stat``
    each, no file read (the edition stage runs it in a second process while this one loads the build's index)."""
    folder = os.fspath(docs) + os.sep
    stale: list[str] = []
    for path, noted in stats.items():
        try:
            st = os.stat(folder + path)
        except OSError:
            stale.append(path)
            continue
        if st.st_size != noted[0] or st.st_mtime_ns != noted[1]:
            stale.append(path)
    return frozenset(stale)


def outputs_intact(docs: Path, stats: Stats) -> bool:
    """Every file the manifest records present with the size and time noted after the last build (no file is
    read)."""
    records = read_records(docs, stats)
    if any(size is None for _, size, _ in records.values()):
        return False
    return not stale_outputs(docs, {path: stats[path] for path in records})


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC


def atomic_write(target: Path | str, data: bytes) -> Stat:
    """Write through a temporary file in the same folder, then rename over the target; return the file's
    size and mtime (which the rename leaves as they were).

    The temporary file is named by the process and created exclusively, readable by all (0644 before the
    umask), so a crash leaves at most a dotfile and never half a page; the folder is made when missing.
    """
    return _stream_over(target, (data,), None)[1]


def _stream_over(target: Path | str, chunks: Iterable[bytes | memoryview], replace: Callable[[str], bool] | None
                 ) -> tuple[str, Stat]:
    """Write ``chunks`` into a temporary file beside ``target`` (see :func:`atomic_write`); with ``replace``, hash
    them as they go and rename the file over the target only if ``replace(digest)`` says so, else drop it (the
    digest is returned); without, rename it (the caller knows the digest: "" is returned). The size and mtime
    of what was written come with it."""
    folder = os.path.dirname(target)
    tmp = os.path.join(folder, f".tmp-{os.getpid()}-{os.path.basename(target)}")
    try:
        fd = os.open(tmp, _NEW, 0o644)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, _NEW, 0o644)
    except FileExistsError:  # left by a crashed build of a process that had the same id
        os.unlink(tmp)
        fd = os.open(tmp, _NEW, 0o644)
    try:
        hashed = hashlib.sha256() if replace is not None else None
        try:
            for block in _gathered(chunks):
                if hashed is not None:
                    hashed.update(block)
                _write_all(fd, block)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        fresh = hashed.hexdigest() if hashed is not None else ""
        if replace is None or replace(fresh):
            os.replace(tmp, target)
        else:
            os.unlink(tmp)
        return fresh, (st.st_size, st.st_mtime_ns)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_all(fd: int, block: bytes | memoryview) -> None:
    """``os.write`` until the whole block is written (it may write less than it is given)."""
    view = memoryview(block)
    while view:
        view = view[os.write(fd, view):]


class PageWriter:
    """Writes generated pages one at a time as the build makes them, then settles the manifest.

    Pages need not be held in memory together: ten thousand documents' pages are
    written as the workers return them.
    """

    def __init__(self, docs: Path, stats: Stats | None = None, records: dict[str, Record] | None = None) -> None:
        """``records``: the manifest's, when the caller read them already (:func:`read_records`; not changed)."""
        self.docs = docs
        self.stats = stats
        self.report = WriteReport()
        self.old = dict(records) if records is not None else read_records(docs, stats)
        self.new: dict[str, Record] = {}
        _adopt_journal(docs, self.old)
        self._journal: int | None = None
        self._folders = _Folders(docs)

    def _note(self, path: str, fresh: str) -> None:
        """Note in the journal that ``path`` is about to hold the bytes of digest ``fresh``."""
        if self._journal is None:
            self.docs.mkdir(parents=True, exist_ok=True)
            self._journal = os.open(self.docs / JOURNAL, os.O_WRONLY | os.O_CREAT | os.O_APPEND | _CLOEXEC, 0o644)
        os.write(self._journal, f"{fresh}\t{path}\n".encode("utf-8"))

    def write(self, page: GeneratedPage, layout: Layout | None = None) -> bool:
        """Write ``page`` if it changed; return whether the file already held it, as the build wrote it.
        ``layout`` notes where the parts of a joined page fell (when it was written or found unchanged)."""
        found = self._folders.target(page.path)
        if found is None:
            return False
        target, exists = found
        return _write_one(target, exists, page, self.old.get(page.path), self.new, self.report, self._note, layout)

    def digest_of(self, path: str) -> str:
        """The digest of what the generated file ``path`` holds now ("" if this build has not written or kept it)."""
        record = self.new.get(path)
        return record[0] if record else ""

    def holds(self, path: str) -> bool:
        """Does the generated file ``path`` hold what this build wrote or kept there (not an editor's version,
        left alone)?"""
        return path in self.new and path not in self.report.kept

    def keep(self, paths: Iterable[str]) -> None:
        """Generated files not rendered this time because nothing they depend on changed, which the
        caller found intact (see :func:`intact`): they stay as recorded."""
        for path in sorted(paths):
            if path not in self.new and path in self.old:
                known = self.old[path]
                self.new[path] = known if known[1] is not None else _record(self.docs / path, known[0])
                self.report.unchanged.append(path)

    def rewrite(self, pages: Iterable[GeneratedPage]) -> None:
        """Write ``pages`` again where this build wrote or kept them already (in this process or, taken in, in a
        second one): over what it left there, not as an editor's file. One it left alone (an editor's) stays so."""
        report = self.report
        for page in pages:
            if page.path in self.new and page.path not in report.kept:
                self.old[page.path] = self.new.pop(page.path)
                report.written = [p for p in report.written if p != page.path]
                report.unchanged = [p for p in report.unchanged if p != page.path]
            if page.path not in report.kept:
                self.write(page)

    def finish(self) -> WriteReport:
        """Remove what the build no longer generates, and write the manifest."""
        report, new = self.report, self.new
        _remove_stale(self.docs, self.old, new, report)
        report.owned = set(new)
        if self.stats is not None:
            self.stats.clear()
            self.stats.update({k: (v[1], v[2]) for k, v in new.items() if v[1] is not None and v[2] is not None})
        manifest = manifest_text({k: v[0] for k, v in new.items()})
        if not (self.docs / MANIFEST).exists() or (self.docs / MANIFEST).read_bytes() != manifest:
            atomic_write(self.docs / MANIFEST, manifest)
        if self._journal is not None:
            os.close(self._journal)
            self._journal = None
        (self.docs / JOURNAL).unlink(missing_ok=True)
        return report


def manifest_text(generated: dict[str, str]) -> bytes:
    """The manifest: ``json.dumps({"generated": generated}, indent=1, sort_keys=True)`` and a newline, the same bytes
    made with the json module's C string encoder instead of its Python encoder (the indented one), twice as fast
    for 50,000 files (``tests/test_hostile.py`` compares the two)."""
    if not generated:
        return b'{\n "generated": {}\n}\n'
    lines = ",\n".join(f"  {_json_string(k)}: {_json_string(v)}" for k, v in sorted(generated.items()))
    return ('{\n "generated": {\n' + lines + "\n }\n}\n").encode()


def _adopt_journal(docs: Path, old: dict[str, Record]) -> None:
    """Take the files a stopped build wrote (its journal) for the build's own, where they hold what it noted."""
    try:
        lines = (docs / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    noted: dict[str, set[str]] = {}
    for line in lines:
        fresh, _, path = line.partition("\t")
        if path:
            noted.setdefault(path, set()).add(fresh)
    for path, digests in noted.items():
        target = _inside(docs, path)
        if target is None or (path in old and _as_recorded(target, old[path])):
            continue
        try:
            found = digest(target.read_bytes())
        except OSError:
            continue
        if found in digests:
            old[path] = _record(target, found)


def write_pages(docs: Path, pages: Iterable[GeneratedPage], keep: Iterable[str] = (),
                stats: Stats | None = None) -> WriteReport:
    """Bring ``docs`` in line with ``pages``, touching only files the build owns (see :class:`PageWriter`)."""
    writer = PageWriter(docs, stats)
    for page in pages:
        writer.write(page)
    writer.keep(keep)
    return writer.finish()


def _write_one(target: str, exists: bool, page: GeneratedPage, recorded: Record | None, new: dict[str, Record],
               report: WriteReport, note: Callable[[str, str], None], layout: Layout | None = None) -> bool:
    if exists and (recorded is None or not _as_recorded(target, recorded)):
        report.kept.append(page.path)
        report.diagnostics.append(diag.make("output-conflict", SourcePos(path=str(target), line=1)))
        if recorded is not None:
            new[page.path] = recorded
        return False
    chunks = getattr(page, "chunks", None)  # a JoinedPage (writers.generated) gives its bytes part by part
    if chunks is not None:
        if exists and recorded is not None and getattr(page, "held", False):
            # every part in memory: hashed first, and not written at all if the file holds them already (a
            # rebuild after one change finds most downloads so; at 10,000 documents the unchanged tables took
            # 0.04 s so against 0.08 s written to a temporary file, hashed and dropped)
            fresh = _digest_of(chunks(layout))
            if recorded[0] == fresh:
                return _unchanged(page.path, target, recorded, fresh, new, report)
            layout = None  # noted as the bytes were hashed: the same parts give the same layout
        return _write_stream(target, page.path, chunks(layout), recorded if exists else None, new, report, note)
    binary = getattr(page, "data", None)  # a GeneratedBinary carries bytes
    data = binary if isinstance(binary, bytes) else page.content.encode("utf-8")
    fresh = digest(data)
    if exists and recorded is not None and recorded[0] == fresh:
        return _unchanged(page.path, target, recorded, fresh, new, report)
    note(page.path, fresh)
    written = atomic_write(target, data)
    new[page.path] = (fresh, *written)
    report.written.append(page.path)
    return False


_GATHER = 1 << 20


def _gathered(chunks: Iterable[bytes | memoryview]) -> Iterator[bytes | memoryview]:
    """``chunks`` joined into blocks of about a megabyte: a joined download comes in some 100,000 small chunks
    at 10,000 documents, each a write and a hash update of its own otherwise."""
    waiting: list[bytes | memoryview] = []
    size = 0
    for chunk in chunks:
        waiting.append(chunk)
        size += len(chunk)
        if size >= _GATHER:
            yield b"".join(waiting)
            waiting, size = [], 0
    if waiting:
        yield b"".join(waiting) if len(waiting) > 1 else waiting[0]


def _write_stream(target: str, path: str, chunks: Iterable[bytes | memoryview], recorded: Record | None,
                  new: dict[str, Record], report: WriteReport, note: Callable[[str, str], None]) -> bool:
    """:func:`_write_one` for a page given in chunks: written to a temporary file as they come, kept if it
    differs from what the build wrote last time."""
    def replace(fresh: str) -> bool:
        if recorded is not None and recorded[0] == fresh:
            return False
        note(path, fresh)
        return True

    fresh, written = _stream_over(target, chunks, replace)
    if recorded is not None and recorded[0] == fresh:
        return _unchanged(path, target, recorded, fresh, new, report)
    new[path] = (fresh, *written)
    report.written.append(path)
    return False


def _unchanged(path: str, target: str, recorded: Record, fresh: str, new: dict[str, Record], report: WriteReport
               ) -> bool:
    """Note that the generated file ``path`` already holds what the build made (``fresh``), and leave it."""
    new[path] = recorded if _stat(target) == (recorded[1], recorded[2]) else _record(target, fresh)
    report.unchanged.append(path)
    return True


def _digest_of(chunks: Iterable[bytes | memoryview]) -> str:
    hashed = hashlib.sha256()
    for block in _gathered(chunks):
        hashed.update(block)
    return hashed.hexdigest()


def _record(target: Path | str, fresh: str) -> Record:
    stat = _stat(target)
    return (fresh, stat[0], stat[1]) if stat else (fresh, None, None)


def _inside(docs: Path, relative: str) -> Path | None:
    """The target path, or None when it would fall outside ``docs``."""
    target = (docs / relative).resolve()
    return target if target.is_relative_to(docs.resolve()) else None


class _Folders:
    """:func:`_inside` for many files in few folders: each folder is resolved once (a generated file's path is
    ``folder/name``, and a build writes 50,000 files in a dozen folders), and the file itself is looked at with
    one ``lstat``, which also says whether it exists. A name that is not a plain file name, or a file that is a
    symbolic link, goes through :func:`_inside` whole."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self.resolved: dict[str, str | None] = {}

    def target(self, relative: str) -> tuple[str, bool] | None:
        """Where ``relative`` is written, and whether a file is there; None if it would fall outside ``docs``."""
        folder, _, name = relative.rpartition("/")
        if relative.startswith("/") or name in ("", ".", ".."):
            return self._whole(relative)
        if folder not in self.resolved:
            inside = _inside(self.docs, folder) if folder else self.docs.resolve()
            self.resolved[folder] = None if inside is None else os.fspath(inside)
        parent = self.resolved[folder]
        if parent is None:
            return None
        target = os.path.join(parent, name)
        try:
            mode = os.lstat(target).st_mode
        except OSError:
            return target, False
        return self._whole(relative) if S_ISLNK(mode) else (target, True)

    def _whole(self, relative: str) -> tuple[str, bool] | None:
        target = _inside(self.docs, relative)
        return None if target is None else (os.fspath(target), target.exists())


def _remove_stale(docs: Path, old: dict[str, Record], new: dict[str, Record], report: WriteReport) -> None:
    for path in sorted(old.keys() - new.keys()):  # (sorting all 50,000 files to skip them took a fiftieth of a second)
        recorded = old[path]
        target = _inside(docs, path)
        if target is None or not target.exists():
            continue
        if _as_recorded(target, recorded):
            target.unlink()
            report.removed.append(path)
            _prune_empty(target.parent, docs)
        else:
            new[path] = recorded
            report.kept.append(path)
            report.diagnostics.append(diag.make("output-conflict", SourcePos(path=str(target), line=1)))


def _prune_empty(folder: Path, docs: Path) -> None:
    while folder != docs.resolve() and folder.is_relative_to(docs.resolve()) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
