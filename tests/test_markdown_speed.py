"""The inline patterns a text cannot match are skipped, and the HTML stays Python-Markdown's.

The oracle is Python-Markdown itself: each text is converted with the site's extensions
(mkdocs.yml) once with its stock inline treeprocessor and once with the skipping one.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import markdown
import pytest
import yaml
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import InlineProcessor

from build_edition.markdown_speed import (
    FENCES, LINK_MEMO_PRIORITY, RELPATH, BlockLevelNames, SkippingInlineProcessor, bracketed_text, needed,
)
from helpers import ROOT

GOLDENS = ROOT / "tests" / "goldens"
SPEED = "build_edition.markdown_speed"


def _site_extensions() -> tuple[list[str], dict[str, dict[str, object]]]:
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    names: list[str] = []
    options: dict[str, dict[str, object]] = {}
    for entry in config["markdown_extensions"]:
        name, option = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        options[name] = option or {}
    return names, options


# What MkDocs loads before the site's own list (``markdown_extensions``' built-ins in MkDocs 1.6).
MKDOCS_BUILTINS = ["toc", "tables", "fenced_code"]


def _converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    names, options = _site_extensions()
    assert SPEED in names, "mkdocs.yml loads the extension"
    names = [*(n for n in MKDOCS_BUILTINS if n not in names), *names]
    stock = [n for n in names if n != SPEED]
    return (markdown.Markdown(extensions=stock, extension_configs={n: options.get(n, {}) for n in stock}),
            markdown.Markdown(extensions=names, extension_configs=options))


def _body(page: str) -> str:
    return page.split("\n---\n", 1)[1] if page.startswith("---\n") else page


SAMPLES = {
    "every inline pattern": (
        "A `code` span, an escaped \\*star\\*, a [link](a.md \"title\"), ![an image](i.png), a [reference][r],\n"
        "a [short reference][], ![image ref][r], <https://example.org/>, <someone@example.org>, a line  \n"
        "break, <span class=\"x\">inline HTML</span>, &amp; &#8212; entities, *em*, **strong**, _em_, __strong__,\n"
        "a note[^1] and a literal 1\\. and \\[bracket\\].\n\n"
        "[r]: r.md \"R\"\n[short reference]: s.md\n\n[^1]: The note, with *emphasis*.\n"),
    "plain cells": "| A | B |\n|---|---|\n| APRF | 2 |\n| Voroshilov | 1 |\n\nTerm\n:   Definition without markup\n",
    "nested": "**bold with [a link](x.md) and `code` inside** and *em with &amp;*\n",
    "in html": '<div class="edition-card" markdown>\n\nSender\n:   Grachev <span class="d">(derived)</span>\n\n</div>\n',
    "tei notes": (
        'Words[^1] and more[^2].\n\n'
        '[^1]: **Supplied words**. Added. <span class="edition-tei">TEI: <code>&lt;supplied reason=&quot;omitted&quot;&gt;'
        '</code>; source line 12.</span>\n'
        '[^2]: **Gloss**. <span class="edition-tei">(source line 3)</span> and <span class="edition-tei">TEI: <code>'
        '&lt;gloss target=&quot;#…&quot;&gt;</code>; source line 4.</span>\n'),
    "tei notes holding markup": (
        '<span class="edition-tei">TEI: <code>*em* and _em_</code>; `code`, [a link](x.md), \\[x\\] & a < b.</span>\n\n'
        '<span class="edition-tei">two  \nlines</span> <span class="edition-tei">a &copy; <b>bold</b></span>\n'),
    "links with brackets": (
        "[a [nested] title](a.md), [\\[Highest Authority\\]](b.md), [unclosed [one](c.md), [x]] and ![i [j]](k.png),\n"
        "[ref [r]][r], [][r], [a] [b] and [last\n\n[r]: r.md\n"),
    "fenced code": (
        "Text with ``` inside a line and ~~~ too.\n\n```python\nx = 1  # <b>&amp;\n```\n\n"
        "~~~~ {.text #c}\nplain\n~~~~\n\n```\nunclosed fence\n"),
    "no fence at all": "A paragraph with `code` and ``two ticks`` and ~~ two tildes.\n\n    indented code\n",
    "tei notes on a page with abbreviations": (
        '<span class="edition-tei">TEI: <code>&lt;pb/&gt;</code>; source line 7.</span>\n\n*[TEI]: Text Encoding Initiative\n'),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_same_html_as_python_markdown_for_every_pattern(name: str) -> None:
    stock, skipping = _converters()
    assert skipping.reset().convert(SAMPLES[name]) == stock.reset().convert(SAMPLES[name])


def test_the_same_html_for_every_golden_page() -> None:
    stock, skipping = _converters()
    pages = sorted(GOLDENS.glob("*/expected.md"))
    assert len(pages) >= 5
    for path in pages:
        text = _body(path.read_text(encoding="utf-8"))
        assert skipping.reset().convert(text) == stock.reset().convert(text), path.parent.name


def test_the_site_uses_the_skipping_processor_and_knows_every_pattern() -> None:
    _, skipping = _converters()
    assert isinstance(skipping.treeprocessors["inline"], SkippingInlineProcessor)
    # Every pattern of the site's configuration is one whose needed strings are known; a new one
    # (another extension) would be tried on every text, correct but slow: say so here.
    unknown = [name for name in skipping.inlinePatterns._priority if needed(skipping.inlinePatterns[name.name]) is None]
    assert unknown == []


@pytest.mark.parametrize("data", ["a title](x.md)", "a [nested] title](x)", "unclosed", "", "]", "[", "a [b",
                                  "\\] escaped](x)", "x]] y", "[]]", "one] two] three]"])
def test_a_link_text_ends_where_python_markdown_ends_it(data: str) -> None:
    processor = LinkInlineProcessor(r"\[", markdown.Markdown())
    for index in range(len(data) + 1):
        assert bracketed_text(data, index) == LinkInlineProcessor.getText(processor, data, index), (data, index)


def test_the_site_finds_link_texts_the_fast_way() -> None:
    fast = _converters()[1]
    links = [p for p in fast.inlinePatterns if isinstance(p, LinkInlineProcessor)]
    assert len(links) >= 4 and all(p.getText is bracketed_text for p in links)


def test_an_unknown_pattern_is_always_tried() -> None:
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    class Mark(markdown.extensions.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
            md.inlinePatterns.register(SimpleTagInlineProcessor(r"(==)(.+?)==", "mark"), "mark", 65)

    md = markdown.Markdown(extensions=[Mark(), SPEED])
    assert md.convert("a ==marked== word") == "<p>a <mark>marked</mark> word</p>"


def test_the_loop_it_replaces_is_python_markdowns_of_the_pinned_version() -> None:
    """The override copies InlineProcessor.__handleInline's loop: fail when a new Markdown changes it."""
    source = inspect.getsource(InlineProcessor._InlineProcessor__handleInline)  # type: ignore[attr-defined]
    body = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    code = body[body.index('"""', 2) + 1:]
    assert code == [
        "if not isinstance(data, util.AtomicString):",
        "startIndex = 0",
        "count = len(self.inlinePatterns)",
        "while patternIndex < count:",
        "data, matched, startIndex = self.__applyPattern(",
        "self.inlinePatterns[patternIndex], data, patternIndex, startIndex",
        ")",
        "if not matched:",
        "patternIndex += 1",
        "return data",
    ]


def test_every_generated_page_of_a_built_edition_converts_the_same(tmp_path: Path) -> None:
    from build_edition.pipeline import BuildConfig, build

    docs = tmp_path / "docs"
    build(BuildConfig(seeds=ROOT / "seeds", docs=docs, shown_relative_to=ROOT))
    stock, skipping = _converters()
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) > 20
    for path in pages:
        text = _body(path.read_text(encoding="utf-8"))
        assert skipping.reset().convert(text) == stock.reset().convert(text), path.relative_to(docs)


class _Rewriter(markdown.treeprocessors.Treeprocessor):
    """Stands for MkDocs' ``relpath``: rewrites each link, counting what it is asked."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.asked: list[str] = []

    def run(self, root):  # noqa: ANN001, ANN201 - Python-Markdown's signature
        for element in root.iter("a"):
            element.set("href", self.path_to_url(element.get("href", "")))

    def path_to_url(self, url: str) -> str:
        self.asked.append(url)
        return url.replace(".md", "/")


def test_each_distinct_link_of_a_page_is_resolved_once() -> None:
    md = markdown.Markdown(extensions=[SPEED])
    rewriter = _Rewriter(md)
    md.treeprocessors.register(rewriter, RELPATH, 0)  # as MkDocs registers its own, after the extensions
    html = md.convert("[Stalin](stalin.md), [Kim](kim.md) and [Comrade Stalin](stalin.md) wrote to [Stalin](stalin.md).")
    assert html == ('<p><a href="stalin/">Stalin</a>, <a href="kim/">Kim</a> and <a href="stalin/">Comrade Stalin</a>'
                    ' wrote to <a href="stalin/">Stalin</a>.</p>')
    assert rewriter.asked == ["stalin.md", "kim.md"]


def test_mkdocs_rewrites_links_where_the_memo_expects_it() -> None:
    """MkDocs (pinned) registers its link rewriter as ``relpath`` at priority 0, after ours, per page."""
    from mkdocs.structure import pages

    assert "path_to_url" in vars(pages._RelativePathTreeprocessor)
    assert f'md.treeprocessors.register(self, "{RELPATH}", 0)' in inspect.getsource(pages._RelativePathTreeprocessor)
    assert "_RelativePathTreeprocessor(self.file, files, config)" in inspect.getsource(pages.Page.render)
    assert LINK_MEMO_PRIORITY > 0


def test_a_tei_note_of_the_writer_is_stashed_whole() -> None:
    """One stash for the note, where Python-Markdown's patterns stash each of its tags and entities."""
    stock, skipping = _converters()
    note = ('<span class="edition-tei">TEI: <code>&lt;add hand=&quot;#…&quot; place=&quot;…&quot;&gt;</code>;'
            ' source line 532.</span>')
    assert skipping.reset().convert(note) == stock.reset().convert(note) == f"<p>{note}</p>"
    assert skipping.htmlStash.html_counter == 1
    assert stock.htmlStash.html_counter == 10  # its four tags and six entities


def test_block_level_names_answer_as_the_list_does_after_every_change() -> None:
    names = BlockLevelNames(["div", "p"])
    plain = ["div", "p"]
    changes = [("append", ("nav",)), ("extend", (["main", "p"],)), ("insert", (0, "aside")), ("remove", ("p",)),
               ("pop", ()), ("__setitem__", (0, "section")), ("__delitem__", (1,)), ("__iadd__", (["ol"],)),
               ("__imul__", (2,)), ("clear", ()), ("append", ("td",))]
    for method, args in changes:
        getattr(names, method)(*args)
        getattr(plain, method)(*args)
        assert list(names) == plain
        for tag in ("div", "p", "nav", "main", "aside", "section", "ol", "td", "span"):
            assert (tag in names) == (tag in plain), (method, tag)
    assert ["unhashable"] not in names
    names += ["x"]
    assert isinstance(names, BlockLevelNames) and "x" in names


def test_the_site_asks_a_set_for_block_level_tags_and_skips_pages_without_fences() -> None:
    stock, skipping = _converters()
    assert isinstance(skipping.block_level_elements, BlockLevelNames)
    assert list(skipping.block_level_elements) == stock.block_level_elements
    assert skipping.preprocessors["fenced_code_block"].run.__name__ == "run_where_fenced"


def test_a_fence_opens_only_as_the_skip_expects() -> None:
    # Python-Markdown's fence: three or more backticks or tildes at a line's start; the skip looks for three.
    from markdown.extensions.fenced_code import FencedBlockPreprocessor
    assert FencedBlockPreprocessor.FENCED_BLOCK_RE.pattern.lstrip().startswith("(?P<fence>^(?:~{3,}|`{3,}))")
    assert FENCES == ("```", "~~~")
