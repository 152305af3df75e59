"""The build cache: what the last build read and wrote, keyed by content.

Layout of the cache folder (``.edition-cache/`` beside ``docs/``, ignored by git):

- ``state.pickle``: the fingerprint of the code and a (size, mtime) signature of
  every input file at the last build, with its diagnostics. When nothing differs,
  the build is a no-op that reads no source and loads nothing else.
- ``index/``: per source (by its path relative to the seeds folder), the key
  of what it was read from (a hash of its bytes, its corrections file, the code and
  the edition-wide data it uses), its summary, and per page the key it was rendered
  from and what the edition stage needs of it.
- ``templates.pickle``: the citation templates the last build held (``writers.citations.KnownTemplates``),
  with the fingerprint of the code that made them.
- ``documents/KEY.pickle``: the parsed document, content-addressed by its key, so
  a page whose context changed (a new neighbour in the chronology, a variant found)
  is rendered again without reading the source.

Paths are relative and keys are content hashes, so the cache survives moving the
project folder. Anything that cannot be read, or was written by another version of
this format, is discarded and rebuilt (with a note), never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .model import Diagnostic, Severity, SourcePos

FORMAT = 2
"""Raised whenever a cached class changes shape; older caches are then set aside, not misread."""
CACHE_DIR = ".edition-cache"
DIAGNOSTICS = "diagnostics.pickle"
_PACKAGE = Path(__file__).resolve().parent
_DATA_SUFFIXES = (".py", ".yml", ".yaml", ".json", ".csl", ".xml")

Signature = tuple[int, int]
"""(size, mtime in ns) of a file: cheap to take, and changed by any edit."""


def code_fingerprint() -> str:
    """A hash of this package's code and data files, by content (not by time or place), as they are now."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.suffix in _DATA_SUFFIXES and "__pycache__" not in p.parts):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def loaded_code() -> str:
    """The fingerprint of the code this process runs: the files' at its first build. A process that builds again
    after the files changed (a live preview) still runs the code it loaded, and must not label what it makes
    with the new code's fingerprint (the next build with that code would take it for its own)."""
    return code_fingerprint()


def signature(path: Path) -> Signature | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


@dataclass(slots=True)
class State:
    """What the no-op check compares: code, input signatures, the manifest's digest (and the outputs' signatures,
    which the index's head holds: :meth:`Cache.outputs`)."""

    code: str = ""
    inputs: dict[str, Signature | None] = field(default_factory=dict)
    manifest: str = ""
    documents: int = 0
    diagnostics_key: str = ""
    """What the build's diagnostics were made from ("" when unknown): ``diagnostics.pickle`` is written again only
    when it changed (:meth:`Cache.save_state`)."""
    diagnostics_file: tuple[int, int] | None = None
    """The size and time of ``diagnostics.pickle`` as the build left it."""
    site_url: str = ""


@dataclass(slots=True)
class SourceEntry:
    """One source as last read: its signature, key, and what reading it gave."""

    signature: tuple[Signature | None, Signature | None]
    key: str
    result: Any
    """The per-document stage's result (``pipeline.ReadResult``), opaque here."""


@dataclass(slots=True)
class PageEntry:
    """A page rendered by the per-document stage: the key it was rendered from, and its by-products."""

    key: str
    extras: Any = None


SHARDS = 64
"""The index is saved in shards, so that a build that changed one source rewrites a few of them."""


def shard_of(name: str) -> int:
    return zlib.crc32(name.encode()) % SHARDS


@dataclass(slots=True)
class Index:
    """Per source and per page, what the last build knew; changes go through the methods, which
    note the shards to save."""

    code: str = ""
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    pages: dict[str, PageEntry] = field(default_factory=dict)
    groups: dict[str, PageEntry] = field(default_factory=dict)
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Size and mtime of each generated file after the last build (``writers.output.Stats``)."""
    edition_data: str = ""
    """The hash of the edition-wide data the sources were read with (the editor's registers)."""
    dirty: set[tuple[str, int]] = field(default_factory=set)
    saved: bool = False
    """Whether the cache folder holds this index as it was before the changes noted in ``dirty``."""

    def tables(self) -> tuple[tuple[str, dict[str, Any]], ...]:
        """Each part saved in shards of its own, by name."""
        return (("sources", self.sources), ("pages", self.pages), ("groups", self.groups))

    def set_source(self, rel: str, entry: SourceEntry) -> None:
        self.sources[rel] = entry
        self.dirty.add(("sources", shard_of(rel)))

    def touched_source(self, rel: str) -> None:
        self.dirty.add(("sources", shard_of(rel)))

    def drop_source(self, rel: str) -> None:
        del self.sources[rel]
        self.dirty.add(("sources", shard_of(rel)))

    def set_page(self, path: str, entry: PageEntry) -> None:
        self.pages[path] = entry
        self.dirty.add(("pages", shard_of(path)))

    def drop_page(self, path: str) -> None:
        del self.pages[path]
        self.dirty.add(("pages", shard_of(path)))

    def set_group(self, name: str, entry: PageEntry) -> None:
        """What the edition stage made from many documents (a group of pages, a gzip copy, the variants of a
        date), kept apart from the pages: the edition stage changes a few of them at every build, and their
        shards are small."""
        self.groups[name] = entry
        self.dirty.add(("groups", shard_of(name)))

    def drop_group(self, name: str) -> None:
        del self.groups[name]
        self.dirty.add(("groups", shard_of(name)))


class Cache:
    """Reading and writing the cache folder; every failure to read means "start afresh"."""

    def __init__(self, folder: Path, hold_index: bool = False) -> None:
        self.folder = folder
        self.notes: list[str] = []
        self.hold_index = hold_index
        """Keep the saved index in this process for the next build (a live preview builds again and again)."""
        self._last_state: State | None = None
        """The last build's state, as :meth:`state` read it."""

    def _load(self, name: str, kind: type) -> Any:
        path = self.folder / name
        if not path.exists():
            return None
        try:
            with path.open("rb") as handle:
                version, value = pickle.load(handle)
        except Exception as exc:  # a damaged or foreign file: never trusted
            self.notes.append(f"{path.name} could not be read ({type(exc).__name__}): rebuilt")
            return None
        if version != FORMAT or not isinstance(value, kind):
            self.notes.append(f"{path.name} was written by another version: rebuilt")
            return None
        return value

    def _save(self, name: str, value: object) -> None:
        atomic_pickle(self.folder / name, (FORMAT, value))

    def state(self) -> State | None:
        value: State | None = self._load("state.pickle", State)
        if value is not None and not all(hasattr(value, f) for f in State.__dataclass_fields__):
            self.notes.append("state.pickle was written by another version: rebuilt")
            return None
        self._last_state = value
        return value

    def save_state(self, state: State, diagnostics: tuple[Diagnostic, ...]) -> None:
        """The state, and apart from it the build's diagnostics, which only a no-op build reads back: written again
        unless the last build's state (as :meth:`state` read it) has the same ``diagnostics_key`` and the file is as
        that build left it (some 30,000 rows at 10,000 documents, a twentieth of a second of a one-change build)."""
        before = self._last_state
        if not (state.diagnostics_key and before is not None and before.diagnostics_key == state.diagnostics_key
                and self.diagnostics_intact(before)):
            rows = tuple((d.pos.path, d.pos.line, d.severity.value, d.code, d.message) for d in diagnostics)
            self._save(DIAGNOSTICS, rows)  # plain tuples: pickled and read back at C speed
        self._save("state.pickle", replace(state, diagnostics_file=_stat(self.folder / DIAGNOSTICS)))

    def diagnostics_intact(self, state: State) -> bool:
        """Is ``diagnostics.pickle`` as the build of ``state`` left it?"""
        return state.diagnostics_file is not None and _stat(self.folder / DIAGNOSTICS) == state.diagnostics_file

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        rows = self._load(DIAGNOSTICS, tuple) or ()
        try:
            return tuple(Diagnostic(pos=SourcePos(path=p, line=n), severity=Severity(s), code=c, message=m)
                         for p, n, s, c, m in rows)
        except (TypeError, ValueError):
            self.notes.append("diagnostics.pickle could not be read: rebuilt")
            return ()

    def kept(self, name: str, code: str) -> Any:
        """What the last build with this code kept under ``name`` (``save_kept``); None if another code wrote it."""
        found = self._load(f"{name}.pickle", tuple)
        if found is None or len(found) != 2 or found[0] != code:
            return None
        return found[1]

    def save_kept(self, name: str, code: str, value: object) -> None:
        self._save(f"{name}.pickle", (code, value))

    def outputs(self, code: str) -> dict[str, tuple[int, int]] | None:
        """The size and time of each generated file after the last build with this code, as its index's head notes
        them (read by the no-op check alone; a build that works loads them with the index)."""
        head = self._load("index/head.pickle", tuple)
        return head[1] if head is not None and len(head) == 3 and head[0] == code else None

    def index(self, code: str, on_outputs: Callable[[dict[str, tuple[int, int]]], None] | None = None) -> Index:
        """The index of the last build with this code; a fresh one if any part is missing, damaged or older.
        ``on_outputs`` is given the generated files' sizes and times it notes as soon as they are known, before
        the rest is loaded (the edition stage checks them in a second process meanwhile, ``stages.StaleProbe``).

        A held index (see ``hold_index``) is taken, once, if the files saved from it are untouched."""
        held = _HELD.pop(self.folder, None)
        if held is not None and held[1].code == code and held[0] == self._index_files():
            if on_outputs is not None:
                on_outputs(held[1].outputs)
            return held[1]
        head = self._load("index/head.pickle", tuple)
        if head is None or len(head) != 3 or head[0] != code:
            return Index(code=code)
        index = Index(code=code, outputs=head[1], edition_data=head[2])
        if on_outputs is not None:
            on_outputs(index.outputs)
        for part, table in index.tables():
            for shard in range(SHARDS):
                found = self._load(f"index/{part}-{shard:02d}.pickle", tuple)
                if found is None or len(found) != 2 or found[0] != code:
                    self.notes.append(f"index shard {part}-{shard:02d} is missing or stale: rebuilt")
                    return Index(code=code)
                table.update(found[1])
        index.saved = True
        return index

    def save_index(self, index: Index) -> None:
        """The head, and the shards that changed (all of them when the code changed)."""
        whole = not index.saved
        for part, table in index.tables():
            shards: dict[int, dict[str, object]] = {n: {} for n in range(SHARDS)}
            wanted = set(range(SHARDS)) if whole else {n for p, n in index.dirty if p == part}
            if not wanted:
                continue
            for name, entry in table.items():
                number = shard_of(name)
                if number in wanted:
                    shards[number][name] = entry
            for number in sorted(wanted):
                self._save(f"index/{part}-{number:02d}.pickle", (index.code, shards[number]))
        self._save("index/head.pickle", (index.code, index.outputs, index.edition_data))
        index.dirty.clear()
        index.saved = True
        if self.hold_index:
            _HELD[self.folder] = (self._index_files(), index)

    def _index_files(self) -> tuple[tuple[int, int] | None, ...]:
        """Size and time of every file of the saved index: what tells a held index from the files' current one."""
        names = ["head", *(f"{part}-{n:02d}" for part, _ in Index().tables() for n in range(SHARDS))]
        return tuple(_stat(self.folder / "index" / f"{name}.pickle") for name in names)

    def document_path(self, key: str) -> Path:
        return self.folder / "documents" / key[:2] / f"{key}.pickle"


_HELD: dict[Path, tuple[tuple[tuple[int, int] | None, ...], Index]] = {}
"""The index each cache folder saved last in this process, with its files' sizes and times, when held."""


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns)


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def atomic_pickle(target: Path, value: object) -> None:
    """``value`` pickled into a temporary file beside ``target``, renamed over it: a reader finds the old file
    or the new one, never half of one. The temporary file is named by the process and the target (unique, as a
    worker and the parent write at once), and created exclusively; the folder is made only when missing (each
    of a first build's documents goes to a folder that is there already, most of the time)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = os.path.join(target.parent, f".tmp-{os.getpid()}-{target.name}")
    try:
        fd = os.open(tmp, _NEW, 0o600)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, _NEW, 0o600)
    except FileExistsError:  # left by a stopped build of a process that had the same id
        os.unlink(tmp)
        fd = os.open(tmp, _NEW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_pickle(path: Path) -> Any:
    """A cached object, or None when the file is missing or damaged."""
    try:
        with path.open("rb") as handle:
            version, value = pickle.load(handle)
    except Exception:
        return None
    return value if version == FORMAT else None


def content_key(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()
