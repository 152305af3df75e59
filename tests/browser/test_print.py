"""A telegram page prints as a document: Chromium's PDF, read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import TELEGRAM, skip_or_fail
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def print_to_text(page: Page, pdf: Path) -> str:
    """Print the open page to ``pdf`` (A4) and return its text, one line per printed line."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        skip_or_fail("pdftotext (poppler-utils) is missing")
    page.pdf(path=pdf, format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
    assert pdf.read_bytes().startswith(b"%PDF-")
    run = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=60)
    return run.stdout


def chrome_labels(page: Page) -> set[str]:
    """The words of the site navigation and search chrome (not the page's own table of contents)."""
    labels = page.locator(".md-header a, .md-nav--primary a:not(.md-nav--secondary a), .md-footer a")
    found = {text.strip() for text in labels.all_inner_texts() if text.strip()}
    found |= {"Skip to content", "Table of contents", "Search", "Type to start searching"}
    # A nav label that is also a heading of the page ("Archival references") is the page's own.
    headings = {h.strip().rstrip("\u00b6").strip() for h in page.locator(".md-content :is(h1, h2, h3)").all_inner_texts()}
    return found - headings


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_print(page: Page, base_url: str, pdf: Path) -> list[str]:
    page.goto(base_url + TELEGRAM)
    chrome = chrome_labels(page)
    assert {"Chronology", "Editorial method", "Build diagnostics"} <= chrome
    printed = lines(print_to_text(page, pdf))
    leaked = sorted(chrome & set(printed))
    assert leaked == [], f"navigation or search chrome printed: {leaked}"
    return printed


def check_order(printed: list[str], base_url: str) -> None:
    """Text, then the apparatus, then the citation with the source URL, then the page's address."""
    assert printed[0].startswith("Ciphered Telegram, Shtykov to Deputy Foreign"), \
        f"the print does not start with the title: {printed[:3]}"

    def at(line: str) -> int:
        assert line in printed, f"{line!r} is not printed"
        return printed.index(line)

    text, notes, transmission, distribution, citation = (
        at(h) for h in ("Text", "Notes", "Transmission record", "Distribution", "Citation"))
    assert text < notes < transmission < distribution < citation, "the apparatus does not follow the text"
    assert any("I met KIM IL SUNG upon his request" in line for line in printed[text:notes])
    tail = " ".join(printed[citation:])
    assert "Wilson Center Digital Archive" in tail
    assert "Source URL: https://digitalarchive.umd.edu/document/113657" in tail
    assert printed[-1].startswith("Edition page: " + base_url + "documents/"), printed[-3:]
    assert "\u21a9" not in " ".join(printed), "the notes' return links are printed"


def test_a_telegram_page_prints_text_then_apparatus_then_citation_and_address(
        page: Page, base_url: str, artifacts: Path) -> None:
    check_order(check_print(page, base_url, artifacts / "telegram.pdf"), base_url)
