"""Writing generated pages safely: atomically, only when changed, never over an editor's file.

A manifest (``docs/.edition-manifest.json``, which MkDocs ignores as a dotfile)
records each generated file and the hash of what was written. A file that is
not in the manifest, or whose content no longer matches it, belongs to a person
and is left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import diagnostics as diag
from ..model import Diagnostic, SourcePos
from .edition import GeneratedPage

MANIFEST = ".edition-manifest.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedBinary(GeneratedPage):
    """A generated file that is bytes, not text (a gzip copy of a large export); ``content`` is unused."""

    data: bytes


@dataclass(slots=True)
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


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
    generated = _manifest(docs).get("generated", {})
    return {str(k): str(v) for k, v in generated.items()} if isinstance(generated, dict) else {}


def read_inputs_fingerprint(docs: Path) -> str | None:
    """The fingerprint of the inputs of the build that wrote ``docs``, if recorded."""
    value = _manifest(docs).get("inputs")
    return value if isinstance(value, str) else None


def atomic_write(target: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pages(docs: Path, pages: list[GeneratedPage], inputs: str | None = None) -> WriteReport:
    """Bring ``docs`` in line with ``pages``, touching only files the build owns."""
    report = WriteReport()
    old = read_manifest(docs)
    new: dict[str, str] = {}
    for page in pages:
        data = page.data if isinstance(page, GeneratedBinary) else page.content.encode("utf-8")
        target = _inside(docs, page.path)
        if target is None:
            continue
        owned = _owned(target, old.get(page.path))
        if not owned:
            report.kept.append(page.path)
            report.diagnostics.append(diag.make("output-conflict", SourcePos(path=str(target), line=1)))
            if page.path in old:
                new[page.path] = old[page.path]
            continue
        new[page.path] = digest(data)
        if target.exists() and target.read_bytes() == data:
            report.unchanged.append(page.path)
        else:
            atomic_write(target, data)
            report.written.append(page.path)
    _remove_stale(docs, old, new, report)
    record: dict[str, object] = {"generated": dict(sorted(new.items()))}
    if inputs and not report.kept:
        record["inputs"] = inputs
    manifest = json.dumps(record, indent=1, sort_keys=True).encode() + b"\n"
    if not (docs / MANIFEST).exists() or (docs / MANIFEST).read_bytes() != manifest:
        atomic_write(docs / MANIFEST, manifest)
    return report


def _inside(docs: Path, relative: str) -> Path | None:
    """The target path, or None when it would fall outside ``docs``."""
    target = (docs / relative).resolve()
    return target if target.is_relative_to(docs.resolve()) else None


def _owned(target: Path, recorded: str | None) -> bool:
    """May the build write ``target``? Only if absent, or exactly as the build left it."""
    if not target.exists():
        return True
    return recorded is not None and digest(target.read_bytes()) == recorded


def _remove_stale(docs: Path, old: dict[str, str], new: dict[str, str], report: WriteReport) -> None:
    for path, recorded in sorted(old.items()):
        if path in new:
            continue
        target = _inside(docs, path)
        if target is None or not target.exists():
            continue
        if digest(target.read_bytes()) == recorded:
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
