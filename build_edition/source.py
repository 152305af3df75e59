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
# A whole FRUS volume in TEI runs to several megabytes, and XML cut short is no XML at all.
XML_MAX_BYTES = 64_000_000
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:\?xml|TEI\b|div\b|teiCorpus\b)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# C0 and C1 controls, soft hyphens and stray byte-order marks: invisible, and they
# break the exact comparisons readers make (``line.text == "Document Information"``).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\ufeff]")
# Whatever ``clean_line`` would change besides the two ends: a character of either class above, or two spaces.
_UNUSUAL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\ufeff\t\u00a0\u2000-\u200b\u202f\u205f\u3000]|  ")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN1_LETTERS = re.compile(r"^[\u00c0-\u00ff]+$")
_LONE_SUPERSCRIPT = re.compile(r"(?<!\S)[\u00b9\u00b2\u00b3](?=\s*\d)")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_NAMES = {
    "cp1251": "Windows-1251", "cp1252": "Windows-1252", "koi8_r": "KOI8-R", "mac_roman": "Mac Roman",
    "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
}
_Problem = tuple[str, dict[str, object]] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One source line: its text with whitespace folded, and its 1-based number.

    ``page`` counts form feeds (PDF text output puts one between pages), so
    readers of paginated text can find page headers without renumbering lines.
    """

    text: str
    no: int
    indent: int = 0
    page: int = 1

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
    limit = XML_MAX_BYTES if _looks_like_xml(data) else MAX_BYTES
    if len(data) > limit:
        found.append(diag.make("large-source", first, size=len(data), limit=limit))
        data = data[:limit]
    text, problem = _decode(data)
    if problem is not None:
        found.append(diag.make(problem[0], first, **problem[1]))
        if problem[0] == "binary-source":
            return SourceText(path=shown_as, lines=(), diagnostics=tuple(found))
    lines = split_lines(text)
    if not any(line.text for line in lines):
        found.append(diag.make("empty-source", first))
        return SourceText(path=shown_as, lines=(), diagnostics=tuple(found))
    return SourceText(path=shown_as, lines=lines, diagnostics=tuple(found))


def _looks_like_xml(data: bytes) -> bool:
    return bool(_XML_START.match(data[:200]))


def split_lines(text: str) -> tuple[Line, ...]:
    """Split on CRLF, CR or LF and fold each line's whitespace.

    A form feed starts a new page but not a new line: editors show it inside a
    line, so the text on either side of it keeps that line's number.
    """
    out: list[Line] = []
    page = 1
    for n, raw in enumerate(_split_breaks(text), start=1):
        if "\f" not in raw:  # the common case: one piece, on the current page
            out.append(Line(text=clean_line(raw), no=n, indent=_indent(raw), page=page))
            continue
        pieces = raw.split("\f")
        kept = [(page + k, piece) for k, piece in enumerate(pieces) if clean_line(piece)]
        page += len(pieces) - 1
        for at, piece in kept or [(page, raw.replace("\f", ""))]:
            out.append(Line(text=clean_line(piece), no=n, indent=_indent(piece), page=at))
    return tuple(out)


def _split_breaks(text: str) -> list[str]:
    """The lines between CRLF, CR or LF breaks (CRLF is one break), by string methods: a regex split is slower."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _indent(text: str) -> int:
    if not text.startswith((" ", "\t", "\u00a0")) and not _CONTROL.match(text):
        return 0  # nothing before the first character that could count
    expanded = _CONTROL.sub("", text).expandtabs(8)
    return len(expanded) - len(expanded.lstrip(" \u00a0"))


def clean_line(text: str) -> str:
    """Fold runs of spaces, tabs and no-break spaces; drop control characters."""
    # Only plain spaces, each alone: nothing to fold or drop. Every character of ``_UNUSUAL``'s class
    # is a control, a format character or a separator other than the space, none printable, so a
    # printable text without a double space is asked no pattern (most lines are).
    if (text.isprintable() and "  " not in text) or _UNUSUAL.search(text) is None:
        return text.strip()
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def _decode(data: bytes) -> tuple[str, _Problem]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), None
    if b"\x00" in data[:4096]:
        return _decode_utf16(data)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _decode_utf16(data: bytes) -> tuple[str, _Problem]:
    """UTF-16 without a byte-order mark: the byte order whose text reads as text.

    NUL bytes in a file without a BOM mean UTF-16 or binary data; the byte
    order is the one that yields letters of the scripts archives use.
    """
    even = data[: len(data) - len(data) % 2]
    scored = sorted(((_plausibility(even, codec), codec) for codec in ("utf-16-le", "utf-16-be")), reverse=True)
    score, codec = scored[0]
    if score < 0.6:
        return "", ("binary-source", {"reason": "it contains NUL bytes"})
    problem: _Problem = None if score >= 0.9 else ("encoding-guessed", {"encoding": _NAMES[codec]})
    return data.decode(codec, errors="replace"), problem


def _plausibility(data: bytes, codec: str) -> float:
    """Share of characters from scripts and punctuation a telegram can hold."""
    try:
        text = data[:4096].decode(codec)
    except UnicodeDecodeError:
        return 0.0
    if not text:
        return 0.0
    weight = 0.0
    for ch in text:
        code = ord(ch)
        if ch in "\t\n\r\f" or 0x20 <= code <= 0x24F or 0x370 <= code <= 0x52F or 0x2000 <= code <= 0x214F:
            weight += 1.0
        elif 0xAC00 <= code <= 0xD7A3 or 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x30FF:
            weight += 0.5
    return weight / len(text)


def _decode_legacy(data: bytes) -> tuple[str, _Problem]:
    """An 8-bit code page: charset-normalizer's guess, checked for Cyrillic/Latin mix-ups."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "cp1252", "koi8_r", "latin_1", "mac_roman"]).best()
    if best is None or best.chaos > 0.3:
        text = data.decode("cp1252", errors="replace")
        return text, ("encoding-unsure", {"encoding": "Windows-1252"})
    codec = "cp1252" if best.encoding == "latin_1" else best.encoding
    if codec in ("cp1251", "cp1252", "mac_roman"):
        codec = _windows_code_page(data, codec)
    return data.decode(codec, errors="replace"), ("encoding-guessed", {"encoding": _NAMES.get(codec, codec)})


def _windows_code_page(data: bytes, guess: str) -> str:
    """Windows-1251 or -1252: the one whose words are not a mix of scripts.

    Short English texts with a few Russian words fool statistical detectors;
    read wrongly, Cyrillic becomes runs of accented capitals (``Øòûêîâ``)
    and Latin text gains Cyrillic letters inside words (``Rбkosi``).
    """
    texts = {codec: _strict(data, codec) for codec in ("cp1251", "cp1252")}
    if texts["cp1251"] is not None and texts["cp1251"] == texts["cp1252"]:
        return "cp1252"
    odd = {codec: _oddities(text) for codec, text in texts.items() if text is not None}
    if not odd:
        return guess
    fewest = min(odd.values())
    best = [codec for codec, count in odd.items() if count == fewest]
    return guess if guess in best else best[0]


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _oddities(text: str) -> int:
    """Words no language writes: mixed Latin and Cyrillic, or only accented letters."""
    count = len(_LONE_SUPERSCRIPT.findall(text))
    for word in _LETTERS.findall(text):
        if _CYRILLIC.search(word) and _LATIN.search(word):
            count += 1
        elif _LATIN1_LETTERS.match(word):
            count += 1
    return count
