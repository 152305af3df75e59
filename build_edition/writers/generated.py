"""Generated pages, and lists split into numbered pages so that no page grows without bound."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..cache import content_key
from . import escape
from .frontmatter import dump
from .urls import relative
from ..pickling import fast_pickling_in
from ..search_index import LISTING_CLASS

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


def list_key(head: str, items: Sequence[str]) -> str:
    """A key from ``head`` and ``items``, each of which names its inputs exactly; "" (never trusted) if one of them
    is unknown (""). The items are hashed as one text (an entry of the registers lists thousands of documents: one
    hash, not one update per item); they hold no NUL (cache keys, numbers, ids made from file names), so the text
    tells them apart."""
    return content_key(head, "\0".join(items)) if head and all(items) else ""


def rendered(items: Sequence[GeneratedPage | PageGroup]) -> list[GeneratedPage]:
    """Every page of ``items``, groups rendered (for callers that keep nothing from a previous build)."""
    return [page for item in items for page in (item.render() if isinstance(item, PageGroup) else (item,))]


class Unpacked(Protocol):
    """A part held some other way than as its bytes (compressed, or in a file), given as bytes when written."""

    def utf8(self) -> bytes: ...


Part = bytes | memoryview | Unpacked


@dataclass(slots=True)
class Layout:
    """Where the parts of a joined download fell, noted as its bytes went out (see :meth:`JoinedPage.chunks`)."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    """Each part's start and end, without its separator."""
    ends: list[int] = field(default_factory=list)
    """Where each part ends with its separator (the head goes with the first part, the tail after the last)."""
    checksums: list[int] = field(default_factory=list)
    """The CRC-32 of each part from the end of the previous one to its own end."""
    size: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinedPage(GeneratedPage):
    """A download made of one part per document: ``head``, the parts with ``separator`` between them, ``tail``.

    It is never held whole (the largest is over 100 MB at 10,000 documents): its bytes go to the file one part at
    a time (:meth:`chunks`), a compressed part unpacked only then, and the writer notes where each part fell, so
    that the gzip copy is compressed in blocks a change to one document leaves in place
    (``exports.compressed_copies``) and the next build can take a kept document's part from the file."""

    content: str = ""
    parts: tuple[Part, ...]
    head: bytes = b""
    separator: bytes = b""
    tail: bytes = b""
    keys: tuple[str, ...] = ()
    """What each part was made from, where known ("" where not): a part of the same key has the same bytes."""

    def chunks(self, layout: Layout | None = None) -> Iterator[bytes | memoryview]:
        """The file's bytes in order, noting in ``layout`` where each part falls."""
        layout = layout if layout is not None else Layout()
        at, crc, last = len(self.head), zlib.crc32(self.head), len(self.parts) - 1
        yield self.head
        for n, part in enumerate(self.parts):
            data = part if isinstance(part, (bytes, memoryview)) else part.utf8()
            layout.spans.append((at, at + len(data)))
            at, crc = at + len(data), zlib.crc32(data, crc)
            yield data
            if n < last:
                at, crc = at + len(self.separator), zlib.crc32(self.separator, crc)
                yield self.separator
            layout.ends.append(at)
            layout.checksums.append(crc)
            crc = 0
        layout.size = at + len(self.tail)
        yield self.tail

    @property
    def held(self) -> bool:
        """Is every part held as its bytes (none compressed, none in a file)?"""
        return all(isinstance(part, (bytes, memoryview)) for part in self.parts)

    def joined(self) -> bytes:
        """The whole file's bytes (for small downloads and tests)."""
        return b"".join(self.chunks())


def joined_page(path: str, parts: Sequence[Part], head: bytes = b"", separator: bytes = b"", tail: bytes = b"",
                keys: Sequence[str] = ()) -> JoinedPage:
    """``head + separator.join(parts) + tail``, made as it is written (and what each part was made from, ``keys``,
    when known)."""
    return JoinedPage(path=path, parts=tuple(parts), head=head, separator=separator, tail=tail, keys=tuple(keys))


def parts_by_key(page: JoinedPage, layout: Layout) -> dict[str, tuple[int, int]]:
    """The span of the part of each known key, once ``page`` was written with ``layout``."""
    return {key: span for key, span in reversed(list(zip(page.keys, layout.spans))) if key}


def simple_page(path: str, title: str, body: str, description: str | None = None, searched: bool = True
                ) -> GeneratedPage:
    """A page of the edition; ``searched=False``: one the search leaves out (a report for the editor), as Material's
    ``search: exclude`` front matter says (overrides/main.html then marks nothing of it for Pagefind)."""
    meta: dict[str, object] = {"title": escape.html(title)}
    if description:
        meta["description"] = description
    if not searched:
        meta["search"] = {"exclude": True}
    return GeneratedPage(path=path, content=dump(meta) + f"\n# {escape.md(title)}\n\n{body.rstrip()}\n")


def listing(text: str) -> str:
    """A list or table of documents in an element of its own, which the search leaves out (``search_index.EXCLUDED``):
    each title in it is a document's words, found on that document's page, not on every page that lists it."""
    return f'<div class="{LISTING_CLASS}" markdown>\n\n{text}\n\n</div>'


def inline_listing(text: str) -> str:
    """:func:`listing` for documents named in a line or a table's cell."""
    return f'<span class="{LISTING_CLASS}">{text}</span>' if text else ""


def numbered_path(base: str, number: int) -> str:
    """``base.md`` for the first page of a list, ``base-N.md`` for the others."""
    return f"{base}.md" if number == 1 else f"{base}-{number}.md"


def page_count(items: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-items // per_page))


def paginated(base: str, title: str, intro: str, lines: Sequence[str], per_page: int = PER_PAGE, *,
              listed: bool = False, searched: bool = True) -> list[GeneratedPage]:
    """A list split into pages of ``per_page`` lines, each with links to the others; ``listed``: a list of
    documents (:func:`listing`); ``searched``: see :func:`simple_page`.

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
        text = "\n".join(chunk)
        body = "\n\n".join(part for part in (intro, pager, listing(text) if listed and text else text, pager) if part)
        pages.append(simple_page(path, heading, body, searched=searched))
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


fast_pickling_in(globals())
