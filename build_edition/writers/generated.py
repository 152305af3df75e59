"""Generated pages, and lists split into numbered pages so that no page grows without bound."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..cache import content_key
from . import escape
from .frontmatter import dump
from .urls import relative

PER_PAGE = 200
"""Lines of a list page: about 100 KB of HTML at most, whatever the size of the collection."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedPage:
    path: str
    content: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedBinary(GeneratedPage):
    """A generated file that is bytes, not text (a gzip copy of a large export); ``content`` is unused."""

    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class PageGroup:
    """Pages made together from inputs that ``key`` stands for: the build renders them only when the key differs
    from the one it rendered them from last time (or their files were touched), and otherwise keeps those files.
    An empty key is never trusted: the pages are rendered."""

    name: str
    key: str
    render: Callable[[], Sequence[GeneratedPage]]


def group_key(*parts: str) -> str:
    """A key from parts that each name their inputs exactly; "" (never trusted) if one of them is unknown ("")."""
    return content_key(*parts) if all(parts) else ""


def rendered(items: Sequence[GeneratedPage | PageGroup]) -> list[GeneratedPage]:
    """Every page of ``items``, groups rendered (for callers that keep nothing from a previous build)."""
    return [page for item in items for page in (item.render() if isinstance(item, PageGroup) else (item,))]


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinedPage(GeneratedBinary):
    """A download made of one part per document, as bytes: ``ends`` are the offsets in ``data`` where each part
    ends (its separator included; the head is in the first part, the tail in the last), so that it can be
    compressed in blocks that a change to one document leaves in place (``exports.compressed_copies``).
    Held as bytes from the parts to the file: the largest is over 100 MB at 10,000 documents, and a text
    would be decoded, joined and encoded again for nothing."""

    ends: tuple[int, ...]
    keys: tuple[str, ...] = ()
    """What each part was made from, where known ("" where not): a part of the same key has the same bytes."""
    spans: tuple[tuple[int, int], ...] = ()
    """Where each part lies in ``data``, without its separator: start and end."""

    def parts_by_key(self) -> dict[str, tuple[int, int]]:
        """The span of the part of each known key."""
        return {key: span for key, span in reversed(list(zip(self.keys, self.spans))) if key}


def joined_page(path: str, parts: Sequence[bytes | memoryview], head: bytes = b"", separator: bytes = b"",
                tail: bytes = b"", keys: Sequence[str] = ()) -> JoinedPage:
    """``head + separator.join(parts) + tail``, with where each part lies (and what it was made from, ``keys``,
    when known)."""
    ends, spans, at = [], [], len(head)
    pieces: list[bytes | memoryview] = [head]
    for n, part in enumerate(parts):
        if n:
            pieces.append(separator)
        pieces.append(part)
        spans.append((at, at + len(part)))
        at += len(part) + (len(separator) if n + 1 < len(parts) else 0)
        ends.append(at)
    pieces.append(tail)
    return JoinedPage(path=path, content="", data=b"".join(pieces), ends=tuple(ends),  # one copy of the whole
                      keys=tuple(keys), spans=tuple(spans))


def simple_page(path: str, title: str, body: str, description: str | None = None) -> GeneratedPage:
    meta: dict[str, object] = {"title": escape.html(title)}
    if description:
        meta["description"] = description
    return GeneratedPage(path=path, content=dump(meta) + f"\n# {escape.md(title)}\n\n{body.rstrip()}\n")


def numbered_path(base: str, number: int) -> str:
    """``base.md`` for the first page of a list, ``base-N.md`` for the others."""
    return f"{base}.md" if number == 1 else f"{base}-{number}.md"


def page_count(items: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-items // per_page))


def paginated(base: str, title: str, intro: str, lines: Sequence[str], per_page: int = PER_PAGE) -> list[GeneratedPage]:
    """A list split into pages of ``per_page`` lines, each with links to the others.

    Every page of a list sits in the folder of ``base``, so relative links in the lines
    hold on each of them.
    """
    count = page_count(len(lines), per_page)
    pages = []
    for number in range(1, count + 1):
        path = numbered_path(base, number)
        chunk = lines[(number - 1) * per_page:number * per_page]
        pager = _pager(base, path, number, count)
        heading = title if count == 1 else f"{title} (page {number} of {count})"
        body = "\n\n".join(part for part in (intro, pager, "\n".join(chunk), pager) if part)
        pages.append(simple_page(path, heading, body))
    return pages


def _pager(base: str, path: str, number: int, count: int) -> str:
    if count == 1:
        return ""
    parts = []
    for n in range(1, count + 1):
        target = numbered_path(base, n)
        parts.append(f"**{n}**" if n == number else f"[{n}]({relative(path, target)})")
    return "Pages: " + " · ".join(parts)


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A file name for an index entry: ASCII letters and digits, hyphens between words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NON_SLUG.sub("-", ascii_text).strip("-")[:60].strip("-")


def unique_slugs(keys: Sequence[str]) -> dict[str, str]:
    """A slug per key, distinct: keys whose slugs collide (or are empty) get a short hash of the key."""
    plain = {k: slug(k) for k in keys}
    taken: dict[str, int] = {}
    for s in plain.values():
        taken[s] = taken.get(s, 0) + 1
    out = {}
    for key, s in plain.items():
        if not s or taken[s] > 1:
            s = f"{s or 'entry'}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
        out[key] = s
    return out
