"""Golden pages: each case's source in, its whole generated page out.

A case is a folder ``tests/goldens/NNNN-what-it-shows/`` holding ``source.*``
(and an optional ``source.yml`` corrections file) and ``expected.md``. A missing
expected file fails. ``pytest --update-goldens`` rewrites them: read every diff
against the source before committing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_edition.pipeline import read_file
from build_edition.writers.page import render_page
from helpers import ROOT, seed

GOLDENS = Path(__file__).parent / "goldens"
SEED_CASES = {
    "0001-export-letter-via-shtykov": "via-shtykov",
    "0002-transcription-without-metadata": "cable-600308",
    "0003-export-shtykov-to-gromyko": "600301",
    "0004-webpage-scrape-with-empty-fields": "600382",
    "0005-webpage-scrape-armistice": "502597",
}


def cases() -> list[Path]:
    return sorted(p for p in GOLDENS.iterdir() if p.is_dir()) if GOLDENS.is_dir() else []


def test_every_seed_has_a_golden_case() -> None:
    names = {p.name for p in cases()}
    assert set(SEED_CASES) <= names, "run `make goldens` to create the missing cases, then review them"


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_golden_page(case: Path, update_goldens: bool) -> None:
    source = next(case.glob("source.*[!l]"))
    document = read_file(source, ROOT, doc_id=case.name)
    actual = render_page(document)
    expected = case / "expected.md"
    if update_goldens:
        expected.write_text(actual, encoding="utf-8")
    assert expected.exists(), f"{expected} is missing"
    assert actual == expected.read_text(encoding="utf-8")


def create_seed_cases() -> None:
    """Copy each seed into its case folder (used once, when a case is added)."""
    for name, part in SEED_CASES.items():
        folder = GOLDENS / name
        folder.mkdir(parents=True, exist_ok=True)
        src = seed(part)
        target = folder / f"source{src.suffix}"
        if not target.exists():
            shutil.copyfile(src, target)
