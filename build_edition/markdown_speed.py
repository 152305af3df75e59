"""A Python-Markdown extension that skips inline patterns which cannot match a text.

Python-Markdown runs every inline pattern over every text node of a page: a document
page has about 160 text nodes (table cells, list items, definitions) and the site's
configuration 15 patterns, and most cells ("APRF", "2", "Voroshilov") hold none of the
characters those patterns start with. Profiles of ``mkdocs build`` put half of the
Markdown time in that loop. This extension replaces Python-Markdown's inline
treeprocessor by a subclass that tries a pattern only when the text still holds a
string the pattern's regular expression cannot match without (``[`` for links, ``<``
for inline HTML, ``&`` for entities...). The HTML is the same: a skipped pattern is one
whose ``finditer`` would have found nothing, which is what the original loop does with
it too (``tests/test_markdown_speed.py`` converts every page both ways).

Only Python-Markdown's own patterns, recognised by their exact regular expression, are
ever skipped; any other pattern (a third-party extension's) is tried as before. The
subclass overrides one private method, ``InlineProcessor.__handleInline``; the
Markdown version is pinned in pyproject.toml, and the test fails if the loop changes.

The edition's notes end with the TEI encoding of each insertion, as inline HTML the
writer makes (writers/page.py: ``<span class="edition-tei">TEI: <code>&lt;supplied
reason=&quot;omitted&quot;&gt;</code>; source line 12.</span>``): some 50 tags and 50
entities a document page, each a match of Python-Markdown's HTML or entity pattern, each
stashed as it is. ``TeiNote`` stashes such a span whole, in one match, where it holds
nothing else that any pattern would change (no ``*``, ``_``, backtick, backslash, bracket,
bare ``&``, ``<`` or ``>``, line end, nor what an earlier pattern made of any of them) and the page defines no abbreviation (which the
``abbr`` extension would mark in its text): the stash then holds the same HTML, so the
page is the same.

Under MkDocs, the extension also has each page resolve each distinct link once. MkDocs
rewrites every link of a page to the address of its target (its treeprocessor
``relpath``, made anew for each page), looking the target up among the site's files
each time; a document page links some 120 times to some 30 addresses (a register entry
at each mention of a person or place). ``LinkMemo`` runs just before it and lets it
resolve an address once a page: the same link gives the same address, and the page's
record of the anchors it links to is the same (MkDocs notes each once). A link MkDocs
warns about is then warned about once a page rather than at each of its occurrences.

Two smaller savings, the same HTML: ``Markdown.block_level_elements`` becomes a list that
answers ``in`` from a set (``BlockLevelNames``; Python-Markdown asks it for each tag and element
of a page), and the ``fenced_code`` preprocessor, which MkDocs always loads and which searches
the whole page with one pattern, runs only on a page where a fence could open (``skipping_fences``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from markdown import Markdown, inlinepatterns, util
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

# The writer's TEI note of an insertion (writers/page.py), with nothing inside that a pattern would change.
TEI_NOTE_START = '<span class="edition-tei">'
# Nor a placeholder of a pattern that matched before (util.STX, util.ETX around it): it would be stashed as text.
_PLAIN = r"[^<>&*_`\\\[\]\n\x02\x03]*"
TEI_NOTE_RE = (f"({re.escape(TEI_NOTE_START)}{_PLAIN}"
               rf"(?:(?:<code>|</code>|&(?:quot|lt|gt|amp|#[0-9]+);){_PLAIN})*</span>)")

# What a text must contain, from the scan's start, for each built-in pattern to match.
_NEEDED: dict[str, tuple[str, ...]] = {
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),
    inlinepatterns.IMAGE_LINK_RE: ("![",),
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnotes' FOOTNOTE_RE (a local of FootnoteExtension.extendMarkdown)
    TEI_NOTE_RE: (TEI_NOTE_START,),
}


def needed(pattern: Any) -> tuple[str, ...] | None:
    """The strings one of which a text must hold for ``pattern`` to match; None: always try it."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None  # an old-style Pattern: leave it alone
    regex = pattern.compiled_re.pattern
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        tokens = tuple(pattern.tokens)
        return tokens if tokens and regex == "|".join(re.escape(t) for t in tokens) else None
    return _NEEDED.get(regex)


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline treeprocessor, without the tries that cannot match."""

    _patterns: list[Any]
    _needed: list[re.Pattern[str] | None]
    _any_needed: re.Pattern[str] | None

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The registry in priority order, read once a page (indexing the registry sorts it each time).
        self._patterns = list(self.inlinePatterns)
        needs = [needed(p) for p in self._patterns]
        self._needed = [_alternatives(n) if n is not None else None for n in needs]
        # A text holding none of the strings any pattern needs is left as it is, at once.
        known = None not in needs
        self._any_needed = _alternatives(tuple(s for n in needs for s in n or ())) if known else None
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """``InlineProcessor.__handleInline``, trying a pattern only where it can match."""
        if isinstance(data, util.AtomicString):
            return data
        if self._any_needed is not None and self._any_needed.search(data) is None:
            return data
        patterns, needs = self._patterns, self._needed
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        while patternIndex < len(patterns):
            need = needs[patternIndex]
            if need is not None and need.search(data, start) is None:
                patternIndex, start = patternIndex + 1, 0  # what a pattern that found nothing returns
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def _alternatives(strings: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(s) for s in dict.fromkeys(strings)))


class TeiNote(inlinepatterns.HtmlInlineProcessor):
    """A TEI note of the writer's, stashed whole (``TEI_NOTE_RE``) as the HTML pattern stashes each tag."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str | None, int | None, int | None]:  # noqa: N802
        abbr = self.md.treeprocessors["abbr"] if "abbr" in self.md.treeprocessors else None
        if getattr(abbr, "abbrs", None):
            return None, None, None  # the page's abbreviations may mark words of the note
        return super().handleMatch(m, data)


# Before Python-Markdown's "html" (90) and "entity" (80) patterns, after every pattern that the note excludes.
TEI_NOTE_PRIORITY = 95


# MkDocs' treeprocessor that rewrites links (mkdocs.structure.pages, priority 0), and ours, just before it.
RELPATH = "relpath"
LINK_MEMO_PRIORITY = 0.5


class LinkMemo(Treeprocessor):
    """Lets MkDocs' ``relpath`` treeprocessor of this page resolve each distinct link once."""

    def run(self, root: etree.Element) -> None:
        relpath = self.md.treeprocessors[RELPATH] if RELPATH in self.md.treeprocessors else None
        resolve = getattr(relpath, "path_to_url", None)
        if relpath is None or not callable(resolve) or "path_to_url" in vars(relpath):
            return  # not MkDocs' (or memoized already: a page converted twice)
        relpath.path_to_url = memoized(resolve)  # type: ignore[attr-defined]


def memoized(resolve: Callable[[str], str]) -> Callable[[str], str]:
    """``resolve``, called once per distinct address."""
    resolved: dict[str, str] = {}

    def path_to_url(url: str) -> str:
        found = resolved.get(url)
        if found is None:
            found = resolved[url] = resolve(url)
        return found

    return path_to_url


def bracketed_text(data: str, index: int) -> tuple[str, int, bool]:
    """``LinkInlineProcessor.getText``: the text of a link or image up to its closing bracket.

    Python-Markdown walks the text one character at a time, counting nested brackets; a link's
    text (a document's title in a register's table) rarely holds a bracket, and then it ends
    at the first ``]``, found at once. Otherwise the walk does it, as before.
    """
    end = data.find("]", index)
    if end >= 0 and data.find("[", index, end) < 0:
        return data[index:end], end + 1, True
    return _GET_TEXT(_LINK_TEXT, data, index)


_GET_TEXT = inlinepatterns.LinkInlineProcessor.getText
# As installed (pinned); tests/test_markdown_speed.py checks that a fence opens with ``FENCES``.
_FENCED_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE.pattern
_LINK_TEXT: Any = None  # getText reads nothing of its processor


class BlockLevelNames(list[str]):
    """``Markdown.block_level_elements``, a list whose ``in`` asks a set kept with it.

    ``Markdown.is_block_level`` asks the list for each tag it is given (the HTML block parser at
    each tag of the source, the pretty-printer and ``attr_list`` at each element): some 850 walks
    a document page through 60 names. Any change to the list keeps the set in step.
    """

    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self._names = frozenset(self)

    def __contains__(self, name: object) -> bool:
        try:
            return name in self._names
        except TypeError:  # unhashable: as a list answers
            return list.__contains__(self, name)

    def _changed(self) -> None:
        self._names = frozenset(self)


def _then_synced(method: Callable[..., Any]) -> Callable[..., Any]:
    def changing(self: BlockLevelNames, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        self._changed()
        return self if result is self else result

    return changing


for _method in ("append", "extend", "insert", "remove", "pop", "clear", "__setitem__", "__delitem__", "__iadd__",
                "__imul__"):
    setattr(BlockLevelNames, _method, _then_synced(getattr(list, _method)))


FENCES = ("```", "~~~")
"""What Python-Markdown's fenced code block must open with (``FencedBlockPreprocessor.FENCED_BLOCK_RE``)."""


def skipping_fences(run: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    """``FencedBlockPreprocessor.run``, which searches the whole page, only where a fence could open.

    Without a match, that run gives back the page's lines joined and split again: so does this.
    """

    def run_where_fenced(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if any(fence in text for fence in FENCES):
            return run(lines)
        return text.split("\n")

    return run_where_fenced


class SkippingInlineExtension(Extension):
    """``markdown_extensions: [build_edition.markdown_speed]`` in mkdocs.yml."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        if type(md.block_level_elements) is list:
            md.block_level_elements = BlockLevelNames(md.block_level_elements)
        fenced = md.preprocessors["fenced_code_block"] if "fenced_code_block" in md.preprocessors else None
        if isinstance(fenced, FencedBlockPreprocessor) and fenced.FENCED_BLOCK_RE.pattern == _FENCED_RE:
            fenced.run = skipping_fences(fenced.run)  # type: ignore[method-assign]
        md.treeprocessors.register(SkippingInlineProcessor(md), "inline", 20)
        md.inlinePatterns.register(TeiNote(TEI_NOTE_RE, md), "edition_tei_note", TEI_NOTE_PRIORITY)
        md.treeprocessors.register(LinkMemo(md), "edition_link_memo", LINK_MEMO_PRIORITY)
        for pattern in md.inlinePatterns:  # the link and image patterns registered before this extension
            if isinstance(pattern, inlinepatterns.LinkInlineProcessor) and type(pattern).getText is _GET_TEXT:
                pattern.getText = bracketed_text  # type: ignore[method-assign]


def makeExtension(**kwargs: Any) -> SkippingInlineExtension:  # noqa: N802 - Python-Markdown's entry point
    return SkippingInlineExtension(**kwargs)
