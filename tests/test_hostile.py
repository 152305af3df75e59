"""Hostile sources: markup, script and template syntax in every field, built into a site.

``tests/hostile/`` holds sources of each seed shape whose every field carries HTML,
Markdown, attr_list, Jinja and YAML syntax and the classic cross-site scripting
vectors. The edition built from them may contain only the elements, attributes,
classes, scripts and links that the writers and the theme make for the normal
seeds; the sources' text must reach the reader as text, exactly as written.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from markdown.extensions.toc import slugify
from mkdocs.utils.meta import get_data

from build_edition.model import BlockRole, Document, FlagCode, InsertionKind, Text
from build_edition.pipeline import SOURCE_SUFFIXES, _SAFE_ID, read_corpus, safe_id, source_files
from build_edition.writers import escape
from build_edition.writers.edition import GeneratedPage
from build_edition.writers.output import MANIFEST, _inside, read_manifest, write_pages
from build_edition.writers.urls import document_path
from helpers import ROOT, SEEDS, copy_project, pagefind_fragments

HOSTILE = Path(__file__).parent / "hostile"
MKDOCS = Path(sys.executable).parent / "mkdocs"
# Attributes whose value the browser loads or follows.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset", "background", "xlink:href",
                  "cite", "longdesc", "ping", "manifest", "dynsrc", "lowsrc")
# Classes the writers make whose suffix depends on the model, not on the seeds.
WRITER_CLASSES = ({f"edition-ins-{k.value}" for k in InsertionKind} | {f"edition-{r.value}" for r in BlockRole}
                  | {"edition-source-note", "edition-source-notes-intro", "edition-source-noteref"})
"""Classes the page writer gives by kind: a seed page need not show every one (the published source's notes)."""
# What the corpus names its injected ids and classes (attr_list `{ .evil #evil }`).
INJECTED_NAMES = {"evil"}


class _SiteConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: its ``!ENV [NAME, default]`` values become the default."""


_SiteConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


@functools.cache
def site_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_SiteConfigLoader)  # noqa: S506


def site_markdown_extensions() -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions of mkdocs.yml and their settings, for Python-Markdown."""
    names: list[str] = []
    configs: dict[str, dict] = {}
    for entry in site_config()["markdown_extensions"]:
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if settings:
            configs[name] = settings
    return names, configs


# --- building the two sites ---------------------------------------------------


def _mkdocs_build(project: Path, edition_seeds: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("EDITION_SEEDS", "SITE_URL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if edition_seeds is not None:
        env["EDITION_SEEDS"] = str(edition_seeds)
    return subprocess.run([str(MKDOCS), "build", "--strict", "-d", str(project / "site")], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


@dataclass(frozen=True)
class Built:
    normal: Path
    hostile: Path
    normal_run: subprocess.CompletedProcess[str]
    hostile_run: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The site of the normal seeds and the site of the hostile corpus (EDITION_SEEDS)."""
    base = tmp_path_factory.mktemp("hostile-sites")
    normal = copy_project(base / "normal", SEEDS)
    hostile = copy_project(base / "hostile", None)
    return Built(normal=normal, hostile=hostile, normal_run=_mkdocs_build(normal, None),
                 hostile_run=_mkdocs_build(hostile, HOSTILE))


@pytest.fixture(scope="module")
def hostile_documents() -> tuple[Document, ...]:
    return read_corpus(source_files(HOSTILE), ROOT).documents


# --- reading built pages ------------------------------------------------------


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# The registers' pictures (writers/svg.py): drawn from register data and counts, never from a
# source's text; allowed in the content only with these elements and no event handler.
WRITER_SVG_TAGS = {"svg", "title", "desc", "rect", "line", "text", "path", "circle", "a"}


def writer_svg_problems(svg: Tag) -> list[str]:
    """Why ``svg`` is not one of the writer's pictures (empty when it is)."""
    if "edition-svg" not in svg.get("class", []):
        return ["an svg the writers did not make"]
    inner = [svg, *svg.find_all(True)]
    return ([f"<{e.name}> in a picture" for e in inner if e.name not in WRITER_SVG_TAGS]
            + [f"<{e.name} {a}> in a picture" for e in inner for a in e.attrs if a.lower().startswith("on")])


def content(page: BeautifulSoup) -> Tag:
    """The page's own content (what the writers made), without the theme's chrome."""
    article = page.find("article")
    assert isinstance(article, Tag), "no <article> in a built page"
    return article


def _normalized_script(text: str) -> str:
    """An inline script with its page-relative base paths (``"../.."``, ``"."``) made equal."""
    return re.sub(r'(?<=")(?:\.\./)*\.\.?(?=[/"])', "ROOT", text.strip())


def _site_path(site: Path, page: Path, url: str) -> str | None:
    """A relative or root-relative address as a path from the site root; None if it leaves the site."""
    prefix = urlsplit(site_config()["site_url"]).path
    path = urlsplit(url).path
    if path.startswith("/"):
        return path[len(prefix):] if path.startswith(prefix) else None
    folder = page.parent.relative_to(site).as_posix()
    resolved = posixpath.normpath(posixpath.join(folder, path)) if path else folder
    return None if resolved == ".." or resolved.startswith("../") else resolved


@dataclass
class Profile:
    """What the pages of one site are made of."""

    tags: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)
    content_tags: set[str] = field(default_factory=set)
    content_attributes: set[tuple[str, str]] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    scripts: set[str] = field(default_factory=set)
    svgs: set[str] = field(default_factory=set)
    external: set[str] = field(default_factory=set)


def scripts_of(site: Path, path: Path, page: BeautifulSoup) -> Iterator[str]:
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            yield _json_ld_shape(script.get_text())
        elif script.get("src"):
            yield "src:" + str(_site_path(site, path, str(script["src"])))
        else:
            yield f"inline:{script.get('type', '')}:" + _normalized_script(script.get_text())


def _json_ld_shape(text: str) -> str:
    """JSON-LD is data, not code: the same for every page once it is JSON with no markup in it."""
    try:
        data = json.loads(text)
    except ValueError:
        return "json-ld: not JSON: " + text[:80]
    if "<" in text or not isinstance(data, dict) or data.get("@context") != "https://schema.org":
        return "json-ld: unexpected: " + text[:80]
    return "json-ld: a schema.org description"


def _is_copy_button(element: Tag) -> bool:
    """The citation box's copy buttons: made by the writer, the same on every page."""
    return (element.name == "button" and element.get("type") == "button"
            and element.get("class") == ["edition-cite-copy"])


def profile(site: Path) -> Profile:
    found = Profile()
    for path in html_pages(site):
        page = soup(path)
        for element in page.find_all(True):
            found.tags.add(element.name)
            found.attributes.update((element.name, a) for a in element.attrs)
            found.classes.update(element.get("class", []))
        if page.find("article"):
            for element in content(page).find_all(True):
                found.content_tags.add(element.name)
                found.content_attributes.update((element.name, a) for a in element.attrs)
        found.scripts.update(scripts_of(site, path, page))
        found.svgs.update(str(svg) for svg in page.find_all("svg"))
        for element in page.find_all(True):
            for name in URL_ATTRIBUTES:
                value = str(element.get(name) or "")
                if urlsplit(value).scheme or value.startswith("//"):
                    found.external.add(value)
    return found


@pytest.fixture(scope="module")
def normal_profile(built: Built) -> Profile:
    assert built.normal_run.returncode == 0, built.normal_run.stderr
    return profile(built.normal / "site")


@pytest.fixture(scope="module")
def hostile_pages(built: Built) -> list[tuple[Path, BeautifulSoup]]:
    assert built.hostile_run.returncode == 0, built.hostile_run.stderr
    return [(path, soup(path)) for path in html_pages(built.hostile / "site")]


def is_heading_slug(element: Tag) -> bool:
    """A heading whose id the toc extension made from the heading's own words (``_2`` added when taken)."""
    if element.name not in ("h1", "h2", "h3", "h4", "h5", "h6") or not element.get("id"):
        return False
    words = "".join(str(t) for t in element.find_all(string=True) if t.parent.get("class") != ["headerlink"])
    return re.sub(r"_\d+$", "", element["id"]) == slugify(words, "-")


def _is_archive_link(element: Tag) -> bool:
    """The one link the writer makes to an address given by a source: the archive's page."""
    parent = element.parent
    return (element.name == "a" and parent is not None and parent.name == "p"
            and parent.get_text().startswith("Source URL: ") and element.get("rel") == ["nofollow", "noopener"])


# --- the site -----------------------------------------------------------------


@pytest.mark.slow
def test_hostile_corpus_builds_strict_with_a_page_per_document(built: Built, hostile_documents) -> None:
    assert built.hostile_run.returncode == 0, built.hostile_run.stderr
    assert not [line for line in built.hostile_run.stderr.splitlines() if line.startswith("WARNING")]
    pages = {p.parent.name for p in (built.hostile / "site" / "documents").glob("*/index.html")}
    assert pages == {d.id for d in hostile_documents}
    assert len(hostile_documents) == len(source_files(HOSTILE)) == 11


@pytest.mark.slow
def test_no_element_attribute_or_class_comes_from_a_source(normal_profile: Profile, hostile_pages) -> None:
    problems = []
    for path, page in hostile_pages:
        where = path.as_posix().rsplit("/site/", 1)[-1]
        for element in page.find_all(True):
            if element.name not in normal_profile.tags:
                problems.append(f"{where}: <{element.name}> is not made for the normal seeds")
            for name, value in element.attrs.items():
                if name.lower().startswith("on"):
                    problems.append(f"{where}: <{element.name} {name}=…> is an event handler")
                elif (element.name, name) not in normal_profile.attributes:
                    problems.append(f"{where}: <{element.name} {name}> is not made for the normal seeds")
            for token in element.get("class", []):
                if token not in normal_profile.classes | WRITER_CLASSES or token in INJECTED_NAMES:
                    problems.append(f"{where}: class {token!r} on <{element.name}>")
            if element.get("id") in INJECTED_NAMES and not is_heading_slug(element):
                problems.append(f"{where}: id {element['id']!r} on <{element.name}>")
            if element.name == "meta" and element.get("http-equiv"):
                problems.append(f"{where}: <meta http-equiv>")
        if page.find("article"):
            for element in content(page).find_all(True):
                if element.name not in normal_profile.content_tags:
                    problems.append(f"{where}: <{element.name}> in the content")
                problems.extend(f"{where}: <{element.name} {a}> in the content" for a in element.attrs
                                if (element.name, a) not in normal_profile.content_attributes)
                if element.get("data-kind") and element["data-kind"] not in {k.value for k in InsertionKind}:
                    problems.append(f"{where}: data-kind={element['data-kind']!r}")
                if element.get("data-flag") and element["data-flag"] not in {c.value for c in FlagCode}:
                    problems.append(f"{where}: data-flag={element['data-flag']!r}")
    assert problems == []


@pytest.mark.slow
def test_no_script_svg_or_embedded_object_but_the_themes_own(built: Built, normal_profile: Profile,
                                                              hostile_pages) -> None:
    site = built.hostile / "site"
    problems = []
    for path, page in hostile_pages:
        where = path.relative_to(site).as_posix()
        problems.extend(f"{where}: script {s[:80]!r}" for s in scripts_of(site, path, page)
                        if s not in normal_profile.scripts)
        problems.extend(f"{where}: svg {str(s)[:80]!r}" for s in page.find_all("svg")
                        if str(s) not in normal_profile.svgs and writer_svg_problems(s))
        for picture in (content(page).find_all("svg") if page.find("article") else []):
            problems.extend(f"{where}: {p}" for p in writer_svg_problems(picture))
        problems.extend(f"{where}: <{e.name}>" for e in page.find_all(
            ["img", "iframe", "object", "embed", "frame", "frameset", "video", "audio", "source", "math", "base",
             "applet", "bgsound", "isindex", "marquee", "details", "xss"]))
        # The search page's form is the theme's (overrides/partials/edition-search-page.html).
        if page.find("article") and where != "search/index.html":
            problems.extend(f"{where}: <{e.name}> in the content" for e in content(page).find_all(
                ["script", "style", "form", "input", "button", "textarea", "select", "link", "meta"])
                if not _is_copy_button(e))
    assert problems == []


@pytest.mark.slow
def test_links_stay_on_the_site_but_the_archive_address_which_is_http(built: Built, normal_profile: Profile,
                                                                      hostile_pages) -> None:
    site = built.hostile / "site"
    site_url = site_config()["site_url"]
    problems, archive_links = [], 0
    for path, page in hostile_pages:
        where = path.relative_to(site).as_posix()
        for element in page.find_all(True):
            for name in URL_ATTRIBUTES:
                if not element.has_attr(name):
                    continue
                value = str(element[name])
                bare = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = urlsplit(bare).scheme
                if _is_archive_link(element):
                    archive_links += 1
                    if scheme not in ("http", "https") or not value.startswith(("http://", "https://")):
                        problems.append(f"{where}: archive link {value!r} is not an http(s) address")
                elif scheme or bare.startswith("//"):
                    if scheme not in ("http", "https"):
                        problems.append(f"{where}: {element.name} {name}={value!r} has scheme {scheme!r}")
                    elif value not in normal_profile.external and not value.startswith(site_url):
                        problems.append(f"{where}: {element.name} {name}={value!r} leaves the site")
                elif _site_path(site, path, value) is None:
                    problems.append(f"{where}: {element.name} {name}={value!r} climbs out of the site")
    assert problems == []
    assert archive_links >= 4  # the corpus gives archive addresses, one with quotes and markup in it


# --- what the reader sees -----------------------------------------------------


def visible_text(element: Tag) -> str:
    """The element's text as a reader sees it: permalink marks dropped, links read as their
    words (a link inside a word adds no space), whitespace folded."""
    element = BeautifulSoup(str(element), "html.parser")
    for mark in element.select("a.headerlink"):
        mark.decompose()
    for link in element.find_all("a"):
        link.unwrap()
    element.smooth()
    return " ".join(element.get_text(" ").split())


def _fold(text: str) -> str:
    return " ".join(text.split())


def shown_fields(document: Document) -> Iterator[tuple[str, str]]:
    """Every source string the page shows verbatim, named by its field."""
    yield "title", document.title_text
    singles = {"summary": document.summary, "citation": document.citation, "record id": document.record_id,
               "language": document.original_language, "doc type": document.doc_type,
               "telegram number": document.telegram_number, "origin": document.origin}
    yield from ((k, v) for k, v in singles.items() if v)
    yield from (("rights", r) for r in document.rights)
    yield from (("transmission", e.original) for e in document.transmission)
    yield from (("transmission by", e.by) for e in document.transmission if e.by)
    yield from (("transmission place", e.place) for e in document.transmission if e.place)
    if document.distribution:
        yield from (("distribution", e.recipient) for e in document.distribution.entries)
    yield from (("signature", s.original) for s in document.signatures)
    yield from (("editor's note", n.text) for n in document.editor_notes)
    yield from (("recipients", r) for r in document.recipients)
    for block in document.blocks:
        if block.inlines and all(isinstance(i, Text) for i in block.inlines):
            yield f"paragraph of line {block.pos.line}", block.plain
    yield from (("insertion", i.text) for i in document.insertions if not i.children)


@pytest.mark.slow
def test_every_field_of_every_hostile_source_is_shown_as_written(built: Built, hostile_documents) -> None:
    missing = []
    for document in hostile_documents:
        page = soup(built.hostile / "site" / "documents" / document.id / "index.html")
        text = visible_text(content(page))
        heading = visible_text(content(page).find("h1"))
        if heading != _fold(document.title_text):
            missing.append(f"{document.id}: heading {heading[:80]!r}")
        missing.extend(f"{document.id}: {name} {value[:80]!r}" for name, value in shown_fields(document)
                       if _fold(value) not in text)
    assert missing == []


@pytest.mark.slow
def test_payloads_read_as_text(built: Built) -> None:
    def text_of(doc_id: str) -> str:
        return visible_text(content(soup(built.hostile / "site" / "documents" / doc_id / "index.html")))

    first = text_of("1950-10-01-export-markup-in-every-field")
    for payload in ('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>',
                    '<a href="javascript:alert(1)">click me</a>',
                    '{: onclick="alert(1)" }', '{ .evil #evil data-x=y }', '{{ config }}', '{% include "base.html" %}',
                    '&lt;script&gt;alert(3)&lt;/script&gt;', '&#x3C;img src=x onerror=alert(4)&#x3E;',
                    '*like this* and __like that__ and `code spans`', 'a | table | row | in it'):
        assert payload in first, payload
    blocks = text_of("1950-10-02-webpage-block-markup")
    for payload in ("# A heading that must not become a heading", "1. A numbered list item", "- A bullet",
                    "* Another bullet", "+ Yet another bullet", ": A definition", "!!! note", "> A block quote",
                    "{: onclick=\"alert(1)\" }", "{{ config }}", "| a table | row | |---|---|", "%"):
        assert payload in blocks, payload
    rule = content(soup(built.hostile / "site" / "documents" / "1950-10-06-webpage-title-is-a-rule" / "index.html"))
    assert visible_text(rule.find("h1")) == "---"
    closing = text_of("1950-10-03-html-page-live-markup")
    assert "to Stalin [x](javascript:alert(1)) #" in closing  # a closing hash is not an ATX heading's end


@pytest.mark.slow
def test_search_index_holds_source_markup_only_as_text(built: Built) -> None:
    """Pagefind reads the pages' text, so markup written in a source reaches the index as the
    characters the reader saw on the page (the search page shows them with textContent, and
    Pagefind's excerpts escape them); an element a source managed to inject would show here as
    missing text instead."""
    records = pagefind_fragments(built.hostile / "site")
    assert records and all(r["url"].startswith("/") for r in records)
    texts = [r["content"] for r in records] + [v for r in records for v in r["meta"].values()]
    assert any("<script>alert(1)</script>" in t for t in texts)  # kept, as text
    assert not any(r["url"].startswith("/search/") for r in records)  # the search page is not indexed


# --- front matter -------------------------------------------------------------


@pytest.mark.slow
def test_front_matter_of_every_generated_page_is_yaml_with_the_source_title(built: Built,
                                                                           hostile_documents) -> None:
    docs = built.hostile / "docs"
    generated = read_manifest(docs)
    assert generated, "the hook wrote no manifest"
    by_id = {d.id: d for d in hostile_documents}
    for relative in (r for r in generated if r.endswith(".md")):  # the TEI exports are XML
        text = (docs / relative).read_text(encoding="utf-8")
        assert text.startswith("---\n"), relative
        body, meta = get_data(text)
        assert isinstance(meta, dict) and isinstance(meta.get("title"), str), relative
        assert body.startswith("# "), relative
        doc_id = meta.get("edition_id")
        if relative.startswith("documents/"):
            assert relative == document_path(doc_id)
            assert meta["title"] == escape.html(by_id[doc_id].title_text)
            assert meta["description"] == escape.html(" ".join((by_id[doc_id].summary or by_id[doc_id].title_text).split()))
            assert all(set(item) == {"name", "content"} and isinstance(item["content"], str)
                       for item in meta["citation_meta"])
    assert {document_path(d) for d in by_id} <= set(generated)


# --- file names and output paths ----------------------------------------------


@pytest.mark.parametrize("stem", [
    "../../etc/passwd", "..\\..\\windows\\system32", "/abs/olute", "documents/../../x", "~/.ssh/id_rsa",
    "<script>alert(1)</script>", "{{ config }}", "[x](javascript:alert(1))", "", ".", "..", "...", "-", "CON",
    "ünïcødé ✓", "x" * 500, "a\x00b\nc", "%2e%2e%2f", "1950-10-09 ..%2F..%2F{{config}} [x](javascript:alert(1)) ~$evil",
])
def test_ids_from_file_names_are_slugs_that_stay_in_docs(stem: str, tmp_path: Path) -> None:
    doc_id = safe_id(stem)
    assert _SAFE_ID.match(doc_id), doc_id
    assert _inside(tmp_path, document_path(doc_id)) == (tmp_path / document_path(doc_id)).resolve()


def test_hostile_corpus_file_names_give_safe_ids() -> None:
    names = [p for p in HOSTILE.iterdir() if p.suffix in SOURCE_SUFFIXES]
    assert any("javascript" in p.name and ".." in p.name for p in names)
    assert all(_SAFE_ID.match(safe_id(p.stem)) for p in names)


def test_output_refuses_paths_outside_docs(tmp_path: Path) -> None:
    docs = tmp_path / "site" / "docs"
    docs.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (docs / "link").symlink_to(outside, target_is_directory=True)
    for relative in ("../x.md", "../../x.md", "documents/../../x.md", str(tmp_path / "abs.md"), "/etc/passwd",
                     "link/x.md", "documents/../../site/x.md"):
        assert _inside(docs, relative) is None, relative
    assert _inside(docs, "documents/../index.md") == (docs / "index.md").resolve()
    pages = [GeneratedPage(path=p, content="# escaped\n") for p in ("../escaped.md", "link/escaped.md", "../docs2/x.md")]
    report = write_pages(docs, pages + [GeneratedPage(path="index.md", content="# fine\n")])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        f"site/docs/{MANIFEST}", "site/docs/index.md"]
    assert report.written == ["index.md"] and set(read_manifest(docs)) == {"index.md"}


def test_the_writers_folder_by_folder_check_answers_as_the_whole_path_check(tmp_path: Path) -> None:
    """``output._Folders`` resolves each folder once and looks at the file with one lstat: the same targets as
    resolving each whole path, for names that leave ``docs``, symbolic links to folders and to files."""
    from build_edition.writers.output import _Folders

    docs = tmp_path / "site" / "docs"
    (docs / "documents").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("outside\n")
    (docs / "link").symlink_to(outside, target_is_directory=True)
    (docs / "documents" / "to-outside.md").symlink_to(outside / "x.md")
    (docs / "documents" / "to-inside.md").symlink_to(docs / "index.md")
    (docs / "index.md").write_text("# inside\n")
    folders = _Folders(docs)
    for relative in ("../x.md", "../../x.md", "documents/../../x.md", str(tmp_path / "abs.md"), "/etc/passwd",
                     "link/x.md", "documents/../../site/x.md", "documents/../index.md", "documents/to-outside.md",
                     "documents/to-inside.md", "documents/new.md", "index.md", "documents/", "documents/..", "/x.md",
                     "new-folder/y.md", "documents/./z.md"):
        whole = _inside(docs, relative)
        found = folders.target(relative)
        assert (found and Path(found[0])) == whole, relative
        assert found is None or found[1] == Path(found[0]).exists(), relative
    assert folders.target("documents/to-outside.md") is None
    assert folders.target("documents/to-inside.md") == (str(docs.resolve() / "index.md"), True)


# --- the archive address from a corrections file --------------------------------


def _rendered(document: Document) -> BeautifulSoup:
    import markdown

    from build_edition.writers.page import render_page

    names, configs = site_markdown_extensions()
    page, _ = get_data(render_page(document))
    return BeautifulSoup(markdown.markdown(page, extensions=names, extension_configs=configs), "html.parser")


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)"])
def test_an_archive_address_that_is_not_http_is_never_a_link(url: str, tmp_path: Path) -> None:
    from build_edition.pipeline import read_file

    source = tmp_path / "1950-10-10-corrected.txt"
    shutil.copyfile(next(SEEDS.glob("*600301.txt")), source)
    source.with_suffix(".yml").write_text(yaml.safe_dump({"url": url}), encoding="utf-8")
    document = read_file(source, tmp_path)
    assert document.url == url
    page = _rendered(document)
    links = [a["href"] for a in page.find_all("a", href=True)]
    assert not [h for h in links if not h.startswith(("#", "../", "http://", "https://"))]
    assert f"Source URL: {url.strip()}" in " ".join(page.get_text().split())  # shown, as text


def test_escape_href_admits_only_http_addresses() -> None:
    assert escape.href("https://digitalarchive.example.org/document/1?a=\"b\"&c='d'") == (
        "https://digitalarchive.example.org/document/1?a=&quot;b&quot;&amp;c=&#39;d&#39;")
    assert escape.href("HTTP://example.org/") == "HTTP://example.org/"
    for url in ("javascript:alert(1)", " https://x.org", "jav\tascript:alert(1)", "data:text/html,x", "//evil.example/",
                "https://x.org/\njavascript:alert(1)", "https:", "ftp://x.org/", "/relative", ""):
        assert escape.href(url) is None, url


def test_the_manifest_is_the_json_modules_own_text() -> None:
    import json

    from build_edition.writers.output import manifest_text

    for generated in ({}, {"index.md": "ab12"},
                      {"documents/z.md": "1", "documents/a.md": "2", 'odd/"quoted"\\name.md': "3",
                       "registers/places/Pyongyang – 평양.md": "4", "tei/ctl\u0001.xml": "5"}):
        expected = json.dumps({"generated": generated}, indent=1, sort_keys=True).encode() + b"\n"
        assert manifest_text(generated) == expected
