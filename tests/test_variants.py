"""Variant translations: 000 and 001 are linked and their letter aligned paragraph by paragraph."""

from __future__ import annotations

from build_edition.annotators.variants import align, comparable_blocks
from build_edition.pipeline import read_corpus, source_files
from build_edition.writers.variants import variant_pages
from helpers import ROOT, SEEDS


def test_the_two_translations_are_linked_and_nothing_else() -> None:
    corpus = read_corpus(source_files(SEEDS), ROOT)
    linked = {d.id: [v.other_id for v in d.variants] for d in corpus.documents if d.variants}
    assert linked == {
        "1950-09-29-kim-pak-letter-cable-600308": ["1950-09-29-kim-pak-letter-via-shtykov"],
        "1950-09-29-kim-pak-letter-via-shtykov": ["1950-09-29-kim-pak-letter-cable-600308"],
    }
    reasons = corpus.documents[0].variants[0].reasons
    assert any("outgoing number 1351" in r for r in reasons)


def test_every_paragraph_of_the_letter_is_aligned() -> None:
    corpus = read_corpus(source_files(SEEDS), ROOT)
    a, b = (d for d in corpus.documents if d.variants)
    rows = align(comparable_blocks(a), comparable_blocks(b))
    assert all(row.left and row.right for row in rows)
    assert sum(len(r.left) for r in rows) == len(comparable_blocks(a))
    assert sum(len(r.right) for r in rows) == len(comparable_blocks(b))
    closing = rows[-1]
    assert closing.left[0].plain == closing.right[0].plain == "29 September 1950"


def test_side_by_side_page_marks_differences() -> None:
    corpus = read_corpus(source_files(SEEDS), ROOT)
    (page,) = variant_pages(list(corpus.documents))
    assert page.path == "variants/1950-09-29-kim-pak-letter-cable-600308--1950-09-29-kim-pak-letter-via-shtykov.md"
    assert "<mark>Sincerely,</mark>" in page.content and "<mark>Respectfully,</mark>" in page.content
