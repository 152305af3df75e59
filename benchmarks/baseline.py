"""The baseline: the same source texts published by hand with Material for MkDocs.

One Markdown page per source: its file name as the title, its text as paragraphs
(a TEI source's text without its tags). Pages sit in one folder per year and month of
the name's date (``docs/1950/09/NAME.md``), the way someone publishing a collection by
hand would file them, and the navigation is MkDocs' own, built from the folders, with
Material's ``navigation.prune`` (so each page carries only the open branch of the tree).
No ``plugins:`` key, so MkDocs' default applies: search on, as a user publishes a site.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

CONFIG = """\
site_name: Telegrams (plain Material baseline)
site_url: https://example.github.io/telegram-baseline/
theme:
  name: material
  features:
    - navigation.prune
"""
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-\d{2}-")
_TEI_BREAK = re.compile(r"</(?:p|head|dateline|closer|item|note|signed|label|opener)>|<lb\s*/>")
_TAG = re.compile(r"<[^>]+>")
SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".text", ".xml")


def plain_text(path: Path) -> str:
    """A source's text as a reader sees it: a TEI or HTML source without its tags."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".xml", ".html", ".htm"):
        text = html.unescape(_TAG.sub(" ", _TEI_BREAK.sub("\n\n", text)))
    return text


def page(title: str, text: str) -> str:
    """A title and the text's blocks as paragraphs; nothing of the source is taken as HTML."""
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    body = "\n\n".join(html.escape(p, quote=False) for p in paragraphs if p)
    return f"# {title}\n\n{body}\n"


def baseline_project(sources: Path, dest: Path) -> int:
    """Write the baseline project for every source in ``sources`` into ``dest``; returns the page count."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    count = 0
    for path in sorted(p for p in sources.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES):
        found = _DATE_PREFIX.match(path.name)
        folder = docs / found.group(1) / found.group(2) if found else docs / "undated"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{path.stem}.md").write_text(page(path.stem, plain_text(path)), encoding="utf-8")
        count += 1
    (docs / "index.md").write_text(f"# Telegrams\n\n{count} documents, filed by year and month.\n", encoding="utf-8")
    return count
