"""No word lost: the page's text is the source's text, word for word, in order.

Words the page adds are only marked editorial matter (screen-reader labels, flag
marks); the scraping artifact is the one thing removed, and it is reported.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from build_edition.model import Document
from build_edition.pipeline import read_file
from build_edition.writers.page import render_page
from helpers import ROOT, SEEDS

WORD = re.compile(r"[^\W_]+", re.UNICODE)
ARTIFACT = re.compile(r"\[email\s*protected\]", re.I)


def source_text_words(path: Path, document: Document) -> list[str]:
    """Words of the source lines that the document's text blocks came from, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    wanted = sorted({n for b in document.blocks for n in range(b.pos.line, max(b.end_line, b.pos.line) + 1)})
    text = " ".join(lines[n - 1] for n in wanted)
    return WORD.findall(ARTIFACT.sub(" ", text).replace("\\", "").lower())


def page_text_words(page: str) -> list[str]:
    """Words of the page's Text section, editorial labels and markers removed."""
    section = page.split("\n## Text\n", 1)[1].split("\n### Notes\n", 1)[0]
    section = re.sub(r'<span class="edition-sr">.*?</span>', " ", section)
    section = re.sub(r'<span class="edition-flag-mark"[^>]*>.*?\\\[(?:¶|sic|!)\\\]</span>', " ", section)
    section = re.sub(r"\[\^\d+\]", " ", section)
    section = re.sub(r"^### .*$", " ", section, flags=re.M)
    section = re.sub(r"<[^>]+>", " ", section)
    return WORD.findall(html.unescape(section.replace("\\", "")).lower())


def missing_words(path: Path) -> tuple[list[str], list[str]]:
    document = read_file(path, ROOT)
    return source_text_words(path, document), page_text_words(render_page(document))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_page_text_is_the_source_text_word_for_word(path: Path) -> None:
    source, page = missing_words(path)
    assert source, "no text found"
    assert page == source


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_source_word_is_somewhere_on_the_page(path: Path) -> None:
    document = read_file(path, ROOT)
    page = html.unescape(render_page(document).replace("\\", "")).lower()
    labels = {"skip", "to", "content", "document", "information", "citation", "summary", "original", "language",
              "contents", "source", "rights", "uploaded", "date", "type", "record", "id", "email", "protected"}
    words = set(WORD.findall(path.read_text(encoding="utf-8").lower())) - labels
    absent = sorted(w for w in words if w not in set(WORD.findall(page)))
    assert absent == []


def test_the_check_fails_when_a_word_is_dropped() -> None:
    path = next(SEEDS.glob("*600301.txt"))
    document = read_file(path, ROOT)
    page = render_page(document).replace("predicament of his troops", "predicament of troops", 1)
    assert page_text_words(page) != source_text_words(path, document)
