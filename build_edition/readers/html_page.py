"""A saved HTML page of the archive, read as the plain-text page scrape is.

The page is never trusted: only its text nodes are taken (no markup, no
attributes), scripts, styles, page chrome and hidden elements are dropped,
and block elements become lines so the telegram keeps its line structure.
Each line keeps the HTML source line its words came from, so diagnostics
point into the saved page an editor opens.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..source import Line, SourceText, clean_line
from .envelope import Envelope
from .shapes import WebPageReader

if TYPE_CHECKING:  # Beautiful Soup is imported when a page is read, not with the readers (a tenth of a second)
    from bs4 import NavigableString, Tag

_MARKUP = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_DROPPED = frozenset(
    "script style noscript template nav aside form button select option textarea input label iframe object "
    "embed svg math canvas audio video picture head title meta link dialog menu".split()
)
_CHROME = frozenset({"header", "footer"})
_CONTENT = frozenset({"article", "main"})
_BLOCKS = frozenset(
    "address article blockquote body dd details div dl dt fieldset figcaption figure h1 h2 h3 h4 h5 h6 hr html "
    "li main ol p pre section summary table tbody tfoot thead tr ul header footer caption".split()
)
_CELLS = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class HtmlPageReader:
    """A saved HTML page (Wilson Center Digital Archive style); fields as in the page scrape."""

    name = "html"

    def score(self, source: SourceText) -> float:
        opening = [line.text for line in source.lines[:400] if line.text][:60]
        if any(_MARKUP.search(text) for text in opening):
            return 0.95
        tagged = sum(1 for text in opening if text.startswith("<") and text.endswith(">"))
        return 0.92 if opening and tagged / len(opening) >= 0.5 else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        page = SourceText(path=source.path, lines=page_lines(_markup(source)))
        return replace(WebPageReader().envelope(page), shape=self.name)


def _markup(source: SourceText) -> str:
    """The page's text with one row per source line, so parser line numbers match the file."""
    rows: dict[int, list[str]] = {}
    for line in source.lines:
        rows.setdefault(line.no, []).append(line.text)
    last = max(rows, default=0)
    return "\n".join(" ".join(rows.get(n, ())) for n in range(1, last + 1))


_BAD_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)")


def page_lines(markup: str) -> tuple[Line, ...]:
    """The visible text of a page as lines, blank lines between blocks."""
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        # html.parser rejects `<![` unless a marked section follows; such text is text.
        soup = BeautifulSoup(_BAD_MARKED_SECTION.sub("&lt;![", markup), "html.parser")
    out = _LineBuilder()
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Tag):
            if leaving:
                out.leave(node.name)
            elif not _dropped(node):
                out.enter(node.name, node.sourceline)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
        elif type(node) is NavigableString:
            out.add(str(node))
    return out.finish()


def _dropped(tag: Tag) -> bool:
    """Elements whose text is not the document's: code, chrome, hidden or control-only."""
    if tag.name in _DROPPED:
        return True
    if tag.name in _CHROME and not any(parent.name in _CONTENT for parent in tag.parents):
        return True
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    if _HIDDEN_STYLE.search(str(tag.get("style", ""))):
        return True
    return _only_controls(tag)


def _only_controls(tag: Tag) -> bool:
    """Skip links and toolbars: every word sits in an in-page link or a button."""
    from bs4 import NavigableString

    seen = False
    for text in tag.strings:
        if type(text) is not NavigableString or not text.strip():
            continue
        if not _inside_control(text, tag):
            return False
        seen = True
    return seen


def _inside_control(text: NavigableString, root: Tag) -> bool:
    for parent in text.parents:
        if _is_control(parent):
            return True
        if parent is root:
            break
    return False


def _is_control(tag: Tag) -> bool:
    return tag.name == "button" or (tag.name == "a" and str(tag.get("href", "")).startswith("#"))


@dataclass(slots=True)
class _LineBuilder:
    """Gathers text into lines, each numbered by the source line of its first word."""

    lines: list[Line] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    first: int | None = None
    current: int = 1
    pre: int = 0

    def enter(self, name: str, sourceline: int | None) -> None:
        if sourceline is not None:
            self.current = sourceline
        if name == "br":
            self.end_line()
        elif name in _CELLS:
            self.pieces.append(" ")
        elif name in _BLOCKS:
            self.end_block()
        if name == "pre":
            self.pre += 1

    def leave(self, name: str) -> None:
        if name == "pre":
            self.pre -= 1
        if name in _BLOCKS:
            self.end_block()

    def add(self, text: str) -> None:
        parts = text.split("\n") if self.pre else [text]
        for n, part in enumerate(parts):
            if n:
                self.end_line()
                self.current += 1
            stripped = part.lstrip()
            if stripped and self.first is None:
                self.first = self.current + part[: len(part) - len(stripped)].count("\n")
            self.pieces.append(part)
            self.current += part.count("\n")

    def end_line(self) -> None:
        text = clean_line("".join(self.pieces).replace("\n", " ").replace("\r", " "))
        if text:
            self.lines.append(Line(text=text, no=self.first or self.current))
        self.pieces.clear()
        self.first = None

    def end_block(self) -> None:
        self.end_line()
        if self.lines and not self.lines[-1].blank:
            self.lines.append(Line(text="", no=self.current))

    def finish(self) -> tuple[Line, ...]:
        self.end_block()
        return tuple(self.lines)
