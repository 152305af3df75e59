"""The incremental build: what it reuses, what makes it read again, and that its output never depends on it.

Each input a document depends on (its source, its corrections file, the code, the
editor's registers) is changed in turn, and the next build must read the source again;
a cache that cannot be read is rebuilt with a note; one process or several, in one
folder or another, give the same bytes.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from build_edition import pipeline
from build_edition.cache import CACHE_DIR
from build_edition.pipeline import BuildConfig, build
from helpers import ROOT, SEEDS

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import synthetic_corpus  # noqa: E402  (the benchmark's collection, small)

LETTER = "1950-09-29-kim-pak-letter-cable-600308"
TELEGRAM = "1950-09-30-shtykov-to-gromyko-600301"


def tree(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> BuildConfig:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    config = BuildConfig(seeds=tmp_path / "seeds", docs=tmp_path / "docs", shown_relative_to=tmp_path)
    first = build(config)
    assert first.read == len(list(SEEDS.glob("*.txt"))) and not first.reused
    return config


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a source was read")

    monkeypatch.setattr(pipeline, "read_file_documents", refuse)


def test_a_build_where_nothing_changed_reads_no_source(project: BuildConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(project.docs)
    no_reading(monkeypatch)
    again = build(project)
    assert again.reused and again.read == 0
    assert again.document_count == 5
    assert any(d.code == "copies-mismatch" for d in again.diagnostics)  # the warnings are still reported
    assert tree(project.docs) == before


def test_a_generated_page_lost_or_a_lost_index_head_is_never_taken_for_nothing_changed(project: BuildConfig) -> None:
    page = project.docs / f"documents/{TELEGRAM}.md"
    written = page.read_bytes()
    page.unlink()  # no source changed: only the files' sizes and times (the index's head) can tell
    again = build(project)
    assert not again.reused and again.read == 0 and again.report.written == [f"documents/{TELEGRAM}.md"]
    assert page.read_bytes() == written
    assert build(project).reused
    (pipeline.cache_folder(project) / "index/head.pickle").unlink()
    assert not build(project).reused


def test_a_touched_but_unchanged_source_is_not_read_again(project: BuildConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    source = project.seeds / f"{TELEGRAM}.txt"
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    no_reading(monkeypatch)
    again = build(project)
    assert not again.reused and again.read == 0 and again.report.written == []


def test_a_changed_source_is_read_again_and_only_its_pages_are_rewritten(project: BuildConfig) -> None:
    source = project.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("is also murky.", "is also very murky."))
    again = build(project)
    assert again.read == 1
    assert "is also very murky." in (project.docs / "documents" / f"{TELEGRAM}.md").read_text()
    documents = [p for p in again.report.written if p.startswith(("documents/", "tei/", "cite/"))]
    assert documents and all(TELEGRAM in p for p in documents), documents


def test_a_changed_corrections_file_is_read_again(project: BuildConfig) -> None:
    sidecar = project.seeds / f"{LETTER}.yml"
    text = sidecar.read_text()
    assert "title: Cable No. 600308/sh" in text
    sidecar.write_text(text.replace("title: Cable No. 600308/sh", "title: Corrected cable No. 600308/sh"))
    again = build(project)
    assert again.read == 1
    assert "# Corrected cable No. 600308/sh" in (project.docs / "documents" / f"{LETTER}.md").read_text()


def test_another_version_of_the_code_reads_everything_again(project: BuildConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "loaded_code", lambda: "another version of the code")
    again = build(project)
    assert not again.reused and again.read == 5


def test_a_changed_register_file_reads_everything_again(project: BuildConfig) -> None:
    registers = project.seeds / "registers"
    registers.mkdir()
    (registers / "persons.yml").write_text("- id: editor-test-person\n  name: Someone Else\n")
    again = build(project)
    assert again.read == 5


def test_an_added_and_a_removed_source_show_on_the_next_build(project: BuildConfig) -> None:
    added = project.seeds / "1950-10-01-copy-of-600301.txt"
    added.write_text((project.seeds / f"{TELEGRAM}.txt").read_text().replace("September 30, 1950", "October 1, 1950"))
    again = build(project)
    assert again.read == 1 and again.document_count == 6
    assert (project.docs / "documents" / "1950-10-01-copy-of-600301.md").is_file()
    # its neighbours in the chronology now point at it
    assert "1950-10-01-copy-of-600301.md" in (project.docs / "documents" / f"{TELEGRAM}.md").read_text()
    added.unlink()
    gone = build(project)
    assert gone.document_count == 5 and "documents/1950-10-01-copy-of-600301.md" in gone.report.removed
    assert not (project.docs / "documents" / "1950-10-01-copy-of-600301.md").exists()
    assert "1950-10-01-copy-of-600301" not in (project.docs / "documents" / f"{TELEGRAM}.md").read_text()


def test_a_damaged_cache_is_rebuilt_with_a_note_never_trusted(project: BuildConfig, tmp_path: Path) -> None:
    before = tree(project.docs)
    cache = tmp_path / CACHE_DIR / "docs"
    for path in cache.rglob("*.pickle"):
        path.write_bytes(b"not a pickle")
    (project.seeds / f"{TELEGRAM}.txt").touch()  # past the no-op check, into the damaged index
    again = build(project)
    assert again.read == 5
    assert any(d.code == "cache-rebuilt" for d in again.diagnostics)
    after = tree(project.docs)
    # the same edition; only the diagnostics report (and so the manifest) also lists the note
    assert {k for k in after if after[k] != before.get(k)} <= {".edition-manifest.json", "reports/diagnostics.md",
                                                               "reports/diagnostics/cache-rebuilt.md"}


def test_a_lost_cached_document_is_read_again_from_its_source(project: BuildConfig, tmp_path: Path) -> None:
    shutil.rmtree(tmp_path / CACHE_DIR / "docs" / "documents")
    added = project.seeds / "1950-09-30-copy.txt"  # a new neighbour: the others' pages need their documents
    added.write_text((project.seeds / f"{TELEGRAM}.txt").read_text().replace("Seoul", "Seoul (copy)"))
    again = build(project)
    assert again.rendered >= 2 and again.document_count == 6
    assert "1950-09-30-copy.md" in (project.docs / "documents" / f"{TELEGRAM}.md").read_text()


def test_a_cached_file_is_written_whole_over_what_a_stopped_build_left(tmp_path: Path) -> None:
    import os

    from build_edition.cache import FORMAT, atomic_pickle, load_pickle

    target = tmp_path / "documents" / "ab" / "abcdef.pickle"  # its folder not there yet: made
    atomic_pickle(target, (FORMAT, {"first": 1}))
    assert load_pickle(target) == {"first": 1}
    left = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    left.write_bytes(b"half a pickle")  # what a stopped process of the same id left beside it
    atomic_pickle(target, (FORMAT, {"second": 2}))
    assert load_pickle(target) == {"second": 2}
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.slow
def test_one_process_and_several_in_two_folders_give_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for name, jobs in (("one", 1), ("two", 2)):
        seeds = tmp_path / name / "seeds"
        seeds.mkdir(parents=True)
        synthetic_corpus(seeds, 72)
        result = build(BuildConfig(seeds=seeds, docs=tmp_path / name / "docs", shown_relative_to=tmp_path / name,
                                   jobs=jobs))
        assert result.document_count > 60
        outputs.append(tree(tmp_path / name / "docs"))
    assert outputs[0].keys() == outputs[1].keys()
    assert [k for k in outputs[0] if outputs[0][k] != outputs[1][k]] == []


def test_the_cache_survives_moving_the_project(project: BuildConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moved = tmp_path.parent / (tmp_path.name + "-moved")
    shutil.move(str(tmp_path), str(moved))
    try:
        config = BuildConfig(seeds=moved / "seeds", docs=moved / "docs", shown_relative_to=moved)
        no_reading(monkeypatch)
        assert build(config).reused
    finally:
        shutil.move(str(moved), str(tmp_path))


def rendered_entries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The register entries whose pages the next build renders (the others it keeps)."""
    from build_edition.writers import registers

    seen: list[str] = []
    real = registers._entry_page

    def recording(entry, *args):  # type: ignore[no-untyped-def]
        seen.append(entry.id)
        return real(entry, *args)

    monkeypatch.setattr(registers, "_entry_page", recording)
    return seen


def test_only_the_register_entries_a_changed_document_names_are_rendered_again(
        project: BuildConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    source = project.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("**Ciphered Telegram, Shtykov to Deputy Foreign",
                                                 "**Ciphered Telegram, Shtykov to First Deputy Foreign"))
    seen = rendered_entries(monkeypatch)
    build(project)
    # the telegram is addressed to Gromyko; Khrushchev is named in another telegram only
    assert "gromyko" in seen and "khrushchev" not in seen
    assert "Shtykov to First Deputy Foreign Minister" in (project.docs / "registers/persons/gromyko.md").read_text()
    khrushchev = project.docs / "registers/persons/khrushchev.md"
    assert "Shtykov to Deputy Foreign Minister" not in khrushchev.read_text()


def test_only_the_chronology_years_and_index_entries_of_a_changed_document_are_rendered_again(
        project: BuildConfig, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from build_edition.writers import edition

    seen: list[str] = []
    real_year, real_entry = edition._year_pages, edition._entry_pages
    monkeypatch.setattr(edition, "_year_pages", lambda year, *a: seen.append(f"year {year}") or real_year(year, *a))
    monkeypatch.setattr(edition, "_entry_pages", lambda ix, base, *a: seen.append(base) or real_entry(ix, base, *a))
    source = project.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("**Ciphered Telegram, Shtykov to Deputy Foreign",
                                                 "**Ciphered Telegram, Shtykov to First Deputy Foreign"))
    build(project)
    # the telegram (30 September 1950, a ciphered telegram, APRF fond 45) is listed on these pages only
    assert sorted(seen) == ["indexes/archives/aprf-fond-45", "indexes/types/ciphered-telegram", "year 1950"]
    for page in ("chronology/1950.md", "indexes/types/ciphered-telegram.md", "indexes/archives/aprf-fond-45.md"):
        assert "Shtykov to First Deputy Foreign Minister" in (project.docs / page).read_text(), page
    # the pages kept are those a fresh build writes
    fresh = tmp_path / "fresh"
    shutil.copytree(project.seeds, fresh / "seeds")
    build(BuildConfig(seeds=fresh / "seeds", docs=fresh / "docs", shown_relative_to=fresh))
    assert tree(fresh / "docs") == tree(project.docs)


def test_an_edit_to_a_text_alone_renders_no_page_that_lists_the_document(
        project: BuildConfig, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from build_edition.writers import edition

    seen = rendered_entries(monkeypatch)
    real_year, real_entry = edition._year_pages, edition._entry_pages
    monkeypatch.setattr(edition, "_year_pages", lambda year, *a: seen.append(f"year {year}") or real_year(year, *a))
    monkeypatch.setattr(edition, "_entry_pages", lambda ix, base, *a: seen.append(base) or real_entry(ix, base, *a))
    source = project.seeds / f"{TELEGRAM}.txt"
    text = source.read_text()
    assert text.count("The situation in Seoul is also murky.") == 1
    source.write_text(text.replace("The situation in Seoul is also murky.", "The situation in Seoul is also unclear."))
    result = build(project)
    # a word of the body, in no name, title or summary: the chronology, the indexes and the registers list the
    # telegram as before, and only its own files are rendered again
    assert seen == [] and result.rendered == 1
    assert "is also unclear." in (project.docs / f"documents/{TELEGRAM}.md").read_text()
    fresh = tmp_path / "fresh"
    shutil.copytree(project.seeds, fresh / "seeds")
    build(BuildConfig(seeds=fresh / "seeds", docs=fresh / "docs", shown_relative_to=fresh))
    assert tree(fresh / "docs") == tree(project.docs)


def test_only_the_copies_pages_of_a_changed_documents_readers_are_rendered_again(
        project: BuildConfig, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from build_edition.writers import registers

    seen: list[str] = []
    real = registers._reader_pages
    monkeypatch.setattr(registers, "_reader_pages", lambda entry, *a: seen.append(entry.id) or real(entry, *a))
    source = project.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("**Ciphered Telegram, Shtykov to Deputy Foreign",
                                                 "**Ciphered Telegram, Shtykov to First Deputy Foreign"))
    build(project)
    # the telegram's distribution list sends copies to Stalin and Gromyko among others, none to Khrushchev
    assert {"stalin", "gromyko"} <= set(seen) and "khrushchev" not in seen
    assert "Shtykov to First Deputy Foreign Minister" in (project.docs / "registers/copies/gromyko.md").read_text()
    fresh = tmp_path / "fresh"
    shutil.copytree(project.seeds, fresh / "seeds")
    build(BuildConfig(seeds=fresh / "seeds", docs=fresh / "docs", shown_relative_to=fresh))
    assert tree(fresh / "docs") == tree(project.docs)


def test_a_register_page_changed_by_hand_is_put_back(project: BuildConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    page = project.docs / "registers/persons/khrushchev.md"
    page.write_text(page.read_text() + "\nedited\n")  # no longer what the build wrote: the editor's, kept
    (project.seeds / f"{TELEGRAM}.txt").write_text((project.seeds / f"{TELEGRAM}.txt").read_text() + "\n")
    page.unlink()  # now gone: the build must write it again, although its documents did not change
    seen = rendered_entries(monkeypatch)
    build(project)
    assert "khrushchev" in seen and page.is_file() and "edited" not in page.read_text()


def test_a_live_preview_keeps_its_index_in_memory_and_never_a_stale_one(project: BuildConfig, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from build_edition import cache as cache_module

    held = replace(project, hold_index=True)
    source = project.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("is also murky.", "is also very murky."))
    build(held)  # loads the index from disk, and holds it
    loads: list[str] = []
    real = cache_module.Cache._load
    monkeypatch.setattr(cache_module.Cache, "_load", lambda self, name, kind: loads.append(name) or real(self, name, kind))
    source.write_text(source.read_text().replace("is also very murky.", "is also rather murky."))
    build(held)
    assert not [n for n in loads if n.startswith("index/")]  # the held index served
    assert "is also rather murky." in (project.docs / "documents" / f"{TELEGRAM}.md").read_text()
    # another process builds in between (here: a build that does not hold the index); the held one is stale
    source.write_text(source.read_text().replace("is also rather murky.", "is murky."))
    build(project)
    loads.clear()
    source.write_text(source.read_text().replace("is murky.", "is quite murky."))
    build(held)
    assert "index/head.pickle" in loads
    fresh = tmp_path / "fresh"
    shutil.copytree(project.seeds, fresh / "seeds")
    build(BuildConfig(seeds=fresh / "seeds", docs=fresh / "docs", shown_relative_to=fresh))
    assert tree(fresh / "docs") == tree(project.docs)


def test_a_large_download_is_compressed_again_only_when_it_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition.writers import exports

    monkeypatch.setattr(exports, "COMPRESS_FROM", 1000)  # the seeds' downloads are small: make them "large"
    monkeypatch.setattr(exports, "BLOCK_BYTES", 1)  # and each document's part a block of its own
    shutil.copytree(SEEDS, tmp_path / "seeds")
    config = BuildConfig(seeds=tmp_path / "seeds", docs=tmp_path / "docs", shown_relative_to=tmp_path)
    build(config)
    copies = sorted(p.relative_to(config.docs).as_posix() for p in (config.docs / "data").glob("*.gz"))
    assert "data/citations.bib.gz" in copies and "data/documents.json.gz" in copies
    source = config.seeds / f"{TELEGRAM}.txt"  # an insertion in the text: the tables change, the citations do not
    source.write_text(source.read_text().replace("is also murky.", "is also murky [sic]."))
    import gzip
    compressed: list[bytes] = []
    real = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda data, **kw: compressed.append(bytes(data)) or real(data, **kw))
    again = build(config)
    # only the telegram's blocks were compressed again: one in each table it changed
    assert compressed and all(b"600301" in block for block in compressed)
    assert len(compressed) <= len([p for p in again.report.written if p.endswith(".gz")])
    for copy in (config.docs / "data").glob("*.gz"):  # each copy, blocks joined, is its file
        assert gzip.decompress(copy.read_bytes()) == copy.with_suffix("").read_bytes(), copy
    written = {p for p in again.report.written if p.endswith(".gz")}
    kept = {p for p in again.report.unchanged if p.endswith(".gz")}
    assert "data/insertions.csv.gz" in written and "data/citations.bib.gz" in kept
    assert all(p[: -len(".gz")] in again.report.written for p in written)
    assert all(p[: -len(".gz")] in again.report.unchanged for p in kept)
    assert b"[sic]" in gzip.decompress((config.docs / "data/insertions.csv.gz").read_bytes())
    before = {copy.name: copy.read_bytes() for copy in (config.docs / "data").glob("*.gz")}
    monkeypatch.setattr(pipeline, "loaded_code", lambda: "another version of the code")
    monkeypatch.setattr(exports, "COMPRESS_LEVEL", 1)  # another version compresses otherwise: every copy made again
    build(config)
    for copy in (config.docs / "data").glob("*.gz"):
        assert copy.read_bytes() != before[copy.name], copy
        assert gzip.decompress(copy.read_bytes()) == copy.with_suffix("").read_bytes(), copy


def test_the_documents_of_a_date_are_compared_again_only_when_one_of_them_changed(
        project: BuildConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition.annotators import variants

    compared: list[int] = []
    real = variants._compare_day
    monkeypatch.setattr(variants, "_compare_day", lambda day: compared.append(len(day)) or real(day))
    telegram = project.seeds / f"{TELEGRAM}.txt"  # 30 September: no other document of its date
    telegram.write_text(telegram.read_text().replace("is also murky.", "is also very murky."))
    build(project)
    assert compared == []  # the two translations of 29 September were compared by the first build
    letter = project.seeds / f"{LETTER}.txt"
    letter.write_text(letter.read_text() + "\n")
    build(project)
    assert compared == [2]
    page = (project.docs / "documents" / f"{LETTER}.md").read_text()
    assert "1950-09-29-kim-pak-letter-via-shtykov" in page  # still linked to the other translation


def test_documents_json_takes_unchanged_parts_from_its_file_and_equals_a_fresh_build(
        project: BuildConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition.writers.data import Packed

    unpacked: list[str] = []
    real = Packed.utf8
    monkeypatch.setattr(Packed, "utf8", lambda self: unpacked.append(real(self).decode()) or real(self))
    before = (project.docs / "data/documents.json").read_bytes()
    source = project.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("Shtykov to Deputy Foreign", "Shtykov to the Deputy Foreign", 1))
    again = build(project)
    assert (project.docs / "data/documents.json").read_bytes() != before  # the telegram's title changed
    # only the parts of the documents rendered again (the telegram, and its neighbours, whose pages link to it
    # by its title) were unpacked: the others were copied from the file on disk
    assert len(unpacked) == again.rendered < 5 and any(f'"id": "{TELEGRAM}"' in part for part in unpacked)

    fresh = tmp_path / "fresh"
    shutil.copytree(project.seeds, fresh / "seeds")
    build(BuildConfig(seeds=fresh / "seeds", docs=fresh / "docs", shown_relative_to=fresh))
    assert (project.docs / "data/documents.json").read_bytes() == (fresh / "docs/data/documents.json").read_bytes()

    # a file deleted by hand, or one whose parts the index notes for other bytes, is made from the parts again
    (project.docs / "data/documents.json").unlink()
    source.write_text(source.read_text().replace("Shtykov to the Deputy", "Shtykov to Deputy", 1))
    unpacked.clear()
    build(project)
    assert len(unpacked) == 5
    fresh_again = tmp_path / "fresh-again"
    shutil.copytree(project.seeds, fresh_again / "seeds")
    build(BuildConfig(seeds=fresh_again / "seeds", docs=fresh_again / "docs", shown_relative_to=fresh_again))
    assert (project.docs / "data/documents.json").read_bytes() == (fresh_again / "docs/data/documents.json").read_bytes()


@pytest.mark.parametrize("restored", [True, False], ids=["source-restored", "source-kept"])
def test_a_build_stopped_before_its_manifest_leaves_no_page_taken_for_an_editors(
        project: BuildConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restored: bool) -> None:
    from build_edition.writers import output

    source = project.seeds / f"{TELEGRAM}.txt"
    original = source.read_text()
    source.write_text(original.replace("Shtykov to Deputy Foreign", "Shtykov to the Deputy Foreign", 1))

    def stopped(self: output.PageWriter) -> None:
        raise KeyboardInterrupt  # Ctrl-C once the pages are written, before the manifest

    monkeypatch.setattr(output.PageWriter, "finish", stopped)
    with pytest.raises(KeyboardInterrupt):
        build(project)
    assert (project.docs / output.JOURNAL).is_file()
    monkeypatch.undo()
    if restored:
        source.write_text(original)
    again = build(project)
    assert not [d for d in again.diagnostics if d.code == "output-conflict"]
    assert not (project.docs / output.JOURNAL).exists()
    fresh = tmp_path / "fresh"
    shutil.copytree(project.seeds, fresh / "seeds")
    build(BuildConfig(seeds=fresh / "seeds", docs=fresh / "docs", shown_relative_to=fresh))
    assert tree(fresh / "docs") == tree(project.docs)


def test_an_editors_change_to_a_page_a_stopped_build_wrote_is_still_left_alone(
        project: BuildConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition.writers import output

    source = project.seeds / f"{TELEGRAM}.txt"
    source.write_text(source.read_text().replace("Shtykov to Deputy Foreign", "Shtykov to the Deputy Foreign", 1))
    monkeypatch.setattr(output.PageWriter, "finish", lambda self: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        build(project)
    monkeypatch.undo()
    page = project.docs / "documents" / f"{TELEGRAM}.md"
    page.write_text(page.read_text() + "\nAn editor's note.\n")
    again = build(project)
    assert any(d.code == "output-conflict" and d.pos.path.endswith(f"{TELEGRAM}.md") for d in again.diagnostics)
    assert page.read_text().endswith("An editor's note.\n")


def test_the_digest_of_what_pages_show_of_a_document_changes_with_every_field_they_show() -> None:
    import dataclasses

    from build_edition.pipeline import read_file
    from build_edition.summary import NOT_SHOWN, shown_key, summarize

    telegram = summarize(read_file(SEEDS / f"{TELEGRAM}.txt", ROOT))
    letter = summarize(read_file(SEEDS / f"{LETTER}.txt", ROOT))
    assert telegram.shown_key == shown_key(telegram) != letter.shown_key
    # only the text's words and the diagnostics are left out (a field added to the summary is in, unless named)
    assert NOT_SHOWN == {"words", "text_key", "diagnostics", "shown_key"}
    for field in dataclasses.fields(telegram):
        other = getattr(letter, field.name)
        if other == getattr(telegram, field.name):  # the two have the same sender, and no upload date
            other = "someone else" if isinstance(other, (str, type(None))) else None
        changed = dataclasses.replace(telegram, **{field.name: other})
        assert (shown_key(changed) == telegram.shown_key) == (field.name in NOT_SHOWN), field.name


def test_a_documents_render_key_changes_with_every_field_of_its_context() -> None:
    import dataclasses
    import datetime as dt
    from types import SimpleNamespace

    from build_edition.model import VariantLink
    from build_edition.stages import Context, DocumentKey, _render_key
    from build_edition.writers.page import ChronologyLinks, Neighbour

    # the key writes out these fields one by one: a field added to one of these classes must be added to it
    assert [f.name for f in dataclasses.fields(Context)] == ["id", "variants", "chronology"]
    assert [f.name for f in dataclasses.fields(ChronologyLinks)] == ["previous", "next"]
    assert [f.name for f in dataclasses.fields(Neighbour)] == ["id", "title", "date"]
    run = SimpleNamespace(glossary_key="g", config=SimpleNamespace(site_url="https://example.org/"))
    before = Neighbour(id="a", title="A telegram", date=dt.date(1950, 9, 29))
    base = Context(id="b", variants=(), chronology=ChronologyLinks(previous=before, next=None))
    key = DocumentKey(source="k", number=0)
    others = [
        (key, dataclasses.replace(base, id="c")),
        (key, dataclasses.replace(base, variants=(VariantLink(other_id="x", other_title="X", score=0.9, reasons=("r",)),))),
        (key, dataclasses.replace(base, chronology=ChronologyLinks(previous=None, next=before))),
        (key, dataclasses.replace(base, chronology=ChronologyLinks(previous=dataclasses.replace(before, id="z")))),
        (key, dataclasses.replace(base, chronology=ChronologyLinks(previous=dataclasses.replace(before, title="Z")))),
        (key, dataclasses.replace(base, chronology=ChronologyLinks(previous=dataclasses.replace(before, date=None)))),
        (DocumentKey(source="k", number=1), base),
        (DocumentKey(source="j", number=0), base),
    ]
    keys = {_render_key(run, key, base)} | {_render_key(run, k, c) for k, c in others}  # type: ignore[arg-type]
    assert len(keys) == len(others) + 1
    assert _render_key(run, key, base) != _render_key(SimpleNamespace(glossary_key="h", config=run.config), key, base)  # type: ignore[arg-type]


def test_the_next_build_renders_a_changed_document_s_citations_from_the_kept_templates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build keeps the citation templates it made in its cache; the next one, in a process that has made none,
    renders a changed document's citations from them, without citeproc, to the same bytes as a build that makes
    them anew. Templates kept by another version of the code are not taken."""
    from build_edition import cache as cache_module
    from build_edition.writers import citations

    shutil.copytree(SEEDS, tmp_path / "kept" / "seeds")
    shutil.copytree(SEEDS, tmp_path / "fresh" / "seeds")
    kept, fresh = (BuildConfig(seeds=tmp_path / n / "seeds", docs=tmp_path / n / "docs", shown_relative_to=tmp_path / n,
                               jobs=1) for n in ("kept", "fresh"))
    build(kept)
    for config in (kept, fresh):
        source = config.seeds / f"{TELEGRAM}.txt"
        source.write_text(source.read_text().replace("**Ciphered Telegram, Shtykov to Deputy Foreign",
                                                     "**Ciphered Telegram, Shtykov to First Deputy Foreign"))

    def no_citeproc(*args: object, **kwargs: object) -> None:
        raise AssertionError("citeproc was asked")

    with monkeypatch.context() as patch:  # a process that has made no template, and may not make one
        patch.setattr(citations, "_templates", {})
        patch.setattr(citations, "_month_names", {})
        patch.setattr(citations, "_offered", set())
        patch.setattr(citations, "rendered", no_citeproc)
        patch.setattr(citations, "CitationStylesBibliography", no_citeproc)
        again = build(kept)
    assert again.read == 1 and f"documents/{TELEGRAM}.md" in again.report.written
    build(fresh)
    assert tree(kept.docs) == tree(fresh.docs)
    assert "Shtykov to First Deputy Foreign" in (kept.docs / "documents" / f"{TELEGRAM}.md").read_text()
    folder = tmp_path / "kept" / CACHE_DIR / "docs"
    assert cache_module.Cache(folder).kept("templates", "another version of the code") is None
    assert cache_module.Cache(folder).kept("templates", cache_module.code_fingerprint()) is not None


def test_the_diagnostics_pages_are_rendered_again_only_when_a_diagnostic_changed(
        project: BuildConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition.writers import edition

    renders: list[int] = []
    real = edition.diagnostics_pages

    def counting(diagnostics):  # type: ignore[no-untyped-def]
        renders.append(len(diagnostics))
        return real(diagnostics)

    monkeypatch.setattr(edition, "diagnostics_pages", counting)
    source = project.seeds / f"{TELEGRAM}.txt"
    text = source.read_text()
    saved = pipeline.cache_folder(project) / "diagnostics.pickle"  # what a no-op build reports
    before = saved.stat()
    source.write_text(text.replace("Seoul fell.", "Seoul has fallen."))  # a change that no diagnostic names
    quiet = build(project)
    assert renders == [] and quiet.read == 1
    assert not any(p.startswith("reports/diagnostics") for p in quiet.report.written)
    assert (saved.stat().st_ino, saved.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not written again
    line = text.splitlines().index(next(t for t in text.splitlines() if "Seoul fell." in t)) + 1
    source.write_text(text.replace("Seoul fell.", "Seoul fell [to the enemy."))  # a bracket never closed
    noisy = build(project)
    assert len(renders) == 1
    page = (project.docs / "reports/diagnostics/unclosed-bracket.md").read_text()
    assert f"{TELEGRAM}.txt:{line}</code>" in page
    assert "reports/diagnostics/unclosed-bracket.md" in noisy.report.written
    reported = build(project)
    assert reported.reused and reported.diagnostics == noisy.diagnostics
    assert any(d.code == "unclosed-bracket" and d.pos.line == line for d in reported.diagnostics)
    saved.unlink()  # lost: never taken for "no diagnostics"
    again = build(project)
    assert not again.reused and again.diagnostics == noisy.diagnostics and build(project).diagnostics == noisy.diagnostics
