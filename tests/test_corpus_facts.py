"""The real corpus (../shared/corpus/): `build-edition inspect` against facts read from the sources by hand.

tests/data/corpus_facts.yml holds, for each of the corpus's files, the facts an
editor reads off the source (title, date, type, sender, recipients, telegram
number, archival references, first and last words of the text). They were
written from the texts, never from the parser's output. The test prints the
share of facts the parser gets right and requires at least 95%.

Run it alone with ``.venv/bin/python -m pytest tests/test_corpus_facts.py -q -s``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_edition.cli import main

from helpers import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
FACTS = yaml.safe_load((Path(__file__).parent / "data" / "corpus_facts.yml").read_text(encoding="utf-8"))
REQUIRED_SHARE = 0.95
FIELDS = ("title", "date", "doc_type", "sender", "recipients", "telegram_number", "archival_references",
          "first_words", "last_words")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the development corpus is not at {CORPUS}")


def norm(text: str | None) -> str:
    """Case, punctuation and spacing aside: what an editor compares."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("’", "'")
    return " ".join("".join(c if c.isalnum() or c.isspace() else " " for c in text).split())


def tokens(text: str | None) -> list[str]:
    return norm(text).split()


def same_name(expected: str, actual: str | None) -> bool:
    """Equal names, or the same surname where one form adds only initials (``I. V. Stalin`` / ``Stalin``)."""
    a, b = tokens(expected), tokens(actual)
    if not a or not b:
        return a == b
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return short[-1] == long_[-1] and (len(short) == 1 or all(len(t) == 1 for t in short[:-1]))


def name_matches(expected: Any, actual: str | None) -> bool:
    if expected is None:
        return actual is None
    options = expected if isinstance(expected, list) else [expected]
    return any(same_name(option, actual) for option in options)


def recipients_match(expected: list[Any], actual: list[str]) -> bool:
    if len(expected) != len(actual):
        return False
    left = list(actual)
    for want in expected:
        hit = next((a for a in left if name_matches(want, a)), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def reference(ref: dict[str, Any]) -> str:
    """An archival reference as the fact table writes it."""
    if ref.get("file"):
        return f"{ref['repository']} {ref['file']}"
    parts = [ref["repository"]] + [f"{label}.{ref[key]}" for key, label in
                                   (("fond", "f"), ("opis", "op"), ("delo", "d"), ("folios", "ll")) if ref.get(key)]
    return " ".join(parts)


def starts_with(expected: str, text: str) -> bool:
    want = tokens(expected)
    return tokens(text)[: len(want)] == want


def ends_with(expected: str, text: str) -> bool:
    want = tokens(expected)
    return bool(want) and tokens(text)[-len(want):] == want


def check(fact: dict[str, Any], doc: dict[str, Any]) -> dict[str, bool]:
    """Each fact of one source: right or not."""
    return {
        "title": norm(fact["title"]) == norm(doc["title"]),
        "date": str(fact["date"]) == str(doc["date"]),
        "doc_type": norm(fact["doc_type"]) == norm(doc["doc_type"]),
        "sender": name_matches(fact["sender"], doc["sender"]),
        "recipients": recipients_match(fact["recipients"], doc["recipients"]),
        "telegram_number": (fact["telegram_number"] or None) == doc["telegram_number"],
        "archival_references": [norm(r) for r in fact["archival_references"]]
        == [norm(reference(r)) for r in doc["archival_references"]],
        "first_words": starts_with(fact["first_words"], doc["text_start"]),
        "last_words": ends_with(fact["last_words"], doc["text_end"]),
    }


@pytest.fixture(scope="module")
def inspected() -> dict[str, Any]:
    """`build-edition inspect` on every corpus file at once, as JSON."""
    import contextlib
    import io

    paths = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["inspect", *map(str, paths)]) == 0
    return json.loads(out.getvalue())


def by_file(inspected: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(d["source"]).name: d for d in inspected["documents"]}


def test_every_corpus_file_is_in_the_fact_table() -> None:
    listed = {f["file"] for f in FACTS}
    present = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md"}
    assert present - listed == {"frus-tei/frus1951v07p2_terms.xml"}  # the list of abbreviations is no document
    assert listed <= present


def test_the_corpus_reads_with_the_facts_right(inspected: dict[str, Any]) -> None:
    documents = by_file(inspected)
    results: list[tuple[str, str, bool]] = []
    for fact in FACTS:
        name = Path(fact["file"]).name
        assert name in documents, f"{fact['file']} was not read as a document"
        for field, right in check(fact, documents[name]).items():
            results.append((fact["file"], field, right))
    right = sum(1 for *_, ok in results if ok)
    share = right / len(results)
    wrong = [f"{file}: {field}" for file, field, ok in results if not ok]
    print(f"\ncorpus facts right: {right} of {len(results)} ({share:.1%}); wrong: {wrong}")
    assert share >= REQUIRED_SHARE, wrong


def test_no_error_but_for_what_the_texts_lack(inspected: dict[str, Any]) -> None:
    errors = [d for d in inspected["diagnostics"] if d["severity"] == "error"]
    assert errors == []


def test_the_list_of_abbreviations_is_no_document(inspected: dict[str, Any]) -> None:
    assert "frus1951v07p2_terms.xml" not in by_file(inspected)
    notes = [d for d in inspected["diagnostics"] if d["code"] == "glossary-source"]
    assert len(notes) == 1 and "frus1951v07p2_terms.xml" in notes[0]["path"]
    # The file holds 220 <term> entries (counted in the source: one per <item> of <list type="terms">).
    assert "220 entries" in notes[0]["message"]


def test_frus_footnotes_are_frus_notes(inspected: dict[str, Any]) -> None:
    d271 = by_file(inspected)["frus1951v07p2_d271.xml"]
    kinds = [(n["kind"], n["label"], n["by"]) for n in d271["source_notes"]]
    assert kinds == [("source", "", "FRUS"), ("footnote", "1", "FRUS")]
    assert d271["source_notes"][1]["text"].startswith("Telegram 771 to New York, March 9 (not printed)")
    assert d271["classification"] == "secret"
    assert d271["date_time"] == "1951-03-23T16:55"
    assert d271["origin"] == "New York"
    # The edition's own notes are the insertions: the page break at FRUS page 1942 is one, the footnote is not.
    assert [(i["kind"], i["text"]) for i in d271["insertions"]] == [("page-break", "Page 1942")]


def test_a_frus_web_page_without_a_dateline_is_dated_by_its_file_number(inspected: dict[str, Any]) -> None:
    d457 = by_file(inspected)["frus1951v07p1_d457.txt"]
    assert d457["date"] == "1951-07-20"
    assert any(d["code"] == "missing-metadata" and "frus1951v07p1_d457" in d["path"] for d in inspected["diagnostics"])
    assert [(n["label"], n["text"][:40]) for n in d457["source_notes"] if n["kind"] == "footnote"] == [
        ("1", "The Department of State made the followi")]


@pytest.mark.slow
def test_the_seeds_and_the_corpus_build_into_one_strict_site(tmp_path: Path) -> None:
    """FRUS's telegrams and the Soviet ones in one edition: one chronology, FRUS's notes as FRUS's, the glossary."""
    import shutil
    import subprocess
    import sys

    from helpers import copy_project

    project = copy_project(tmp_path / "project")
    for path in CORPUS.rglob("*"):
        if path.is_file() and path.name != "README.md":
            shutil.copy(path, project / "seeds" / path.name)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    run = subprocess.run([str(mkdocs), "build", "--strict", "-d", str(project / "site")], cwd=project,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert not [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    chronology = (project / "docs" / "chronology" / "1951.md").read_text(encoding="utf-8")
    # the two sides of the spring of 1951 in one list: Acheson's telegram 887 and Roshchin's 20772
    assert "frus1951v07p2-d291" in chronology and "1951-06-13-roshchin-to-filippov-no-20772" in chronology
    d271 = (project / "site" / "documents" / "frus1951v07p2-d271" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Additional Measures Committee (United Nations); see CAM">AMC</abbr>' in d271
    assert "Notes of the published source (FRUS)" in d271 and 'id="source-note-d271fn1"' in d271
    glossary = (project / "site" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "Additional Measures Committee" in glossary
    assert not (project / "site" / "documents" / "frus1951v07p2-terms").exists()
