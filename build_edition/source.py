"""Turning a file's bytes into numbered lines of clean text.

Decoding, line endings and invisible whitespace are settled here once, so
readers only ever see ``Line`` objects whose numbers match the file an editor opens.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from . import diagnostics as diag
from .model import Diagnostic, SourcePos

MAX_BYTES = 2_000_000
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One source line: its text with whitespace folded, and its 1-based number."""

    text: str
    no: int
    indent: int = 0

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceText:
    """A decoded source: where it came from, its lines, what decoding noticed."""

    path: str
    lines: tuple[Line, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    def pos(self, line: int) -> SourcePos:
        return SourcePos(path=self.path, line=line)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_source(path: Path, shown_as: str) -> SourceText:
    """Read and decode ``path``; problems become diagnostics, never exceptions."""
    first = SourcePos(path=shown_as, line=1)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SourceText(path=shown_as, lines=(), diagnostics=(diag.make("unreadable", first, reason=exc.strerror),))
    return decode_source(data, shown_as)


def decode_source(data: bytes, shown_as: str) -> SourceText:
    """Decode bytes of any of the encodings archives hand out into clean lines."""
    first = SourcePos(path=shown_as, line=1)
    found: list[Diagnostic] = []
    if len(data) > MAX_BYTES:
        found.append(diag.make("large-source", first, size=len(data), limit=MAX_BYTES))
        data = data[:MAX_BYTES]
    text, problem = _decode(data)
    if problem is not None:
        found.append(diag.make(problem[0], first, **problem[1]))
        if problem[0] == "binary-source":
            return SourceText(path=shown_as, lines=(), diagnostics=tuple(found))
    return SourceText(path=shown_as, lines=split_lines(text), diagnostics=tuple(found))


def split_lines(text: str) -> tuple[Line, ...]:
    """Split on any line ending and fold each line's whitespace."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    return tuple(Line(text=clean_line(t), no=n, indent=_indent(t)) for n, t in enumerate(raw, start=1))


def _indent(text: str) -> int:
    expanded = text.expandtabs(8)
    return len(expanded) - len(expanded.lstrip(" \u00a0"))


def clean_line(text: str) -> str:
    """Fold runs of spaces, tabs and no-break spaces; drop control characters."""
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def _decode(data: bytes) -> tuple[str, tuple[str, dict[str, object]] | None]:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), None
    if _looks_utf16(data):
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(codec, errors="replace"), None
    if b"\x00" in data[:4096]:
        return "", ("binary-source", {"reason": "it contains NUL bytes"})
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400]
    if len(sample) < 4:
        return False
    zeros_odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    zeros_even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    return max(zeros_odd, zeros_even) > 0.4 and min(zeros_odd, zeros_even) < 0.05


def _decode_legacy(data: bytes) -> tuple[str, tuple[str, dict[str, object]] | None]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "cp1252", "koi8_r", "latin_1", "mac_roman"]).best()
    if best is None or best.chaos > 0.3:
        text = data.decode("cp1252", errors="replace")
        return text, ("encoding-unsure", {"encoding": "Windows-1252"})
    name = {"cp1251": "Windows-1251", "cp1252": "Windows-1252", "koi8_r": "KOI8-R"}.get(best.encoding, best.encoding)
    return str(best), ("encoding-guessed", {"encoding": name})
