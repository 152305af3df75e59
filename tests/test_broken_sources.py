"""Broken sources: each gets a precise diagnostic, the rest of the edition still builds, --strict fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_edition.cli import main
from build_edition.pipeline import BuildConfig, build
from helpers import SEEDS, seed


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def diagnostics_of(folder: Path, tmp_path: Path, name: str) -> tuple[list[tuple[str, int, str]], int]:
    result = build(BuildConfig(seeds=folder, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    mine = [(d.code, d.pos.line, d.severity.value) for d in result.diagnostics if d.pos.path.endswith(name)]
    return mine, len(result.documents)


def test_empty_and_binary_files_are_errors_and_the_others_publish(seeds: Path, tmp_path: Path) -> None:
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = build(BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    codes = {(d.pos.path, d.code) for d in result.diagnostics}
    assert ("seeds/empty.txt", "empty-source") in codes
    assert ("seeds/binary.txt", "binary-source") in codes
    assert len(result.documents) == 5
    assert len(list((tmp_path / "docs" / "documents").glob("*.md"))) == 5


def test_text_cut_off_mid_word(seeds: Path, tmp_path: Path) -> None:
    text = seed("600301").read_text()
    cut = text[: text.index("with the task of gathering") + len("with the task of gath")]
    (seeds / "cut.txt").write_text(cut)
    found, count = diagnostics_of(seeds, tmp_path, "cut.txt")
    assert ("truncated-source", cut.count("\n") + 1, "warning") in found
    assert count == 6


def test_same_document_twice_and_same_id(seeds: Path, tmp_path: Path) -> None:
    shutil.copyfile(seed("600301"), seeds / "copy-of-600301.txt")
    sub = seeds / "again"
    sub.mkdir()
    shutil.copyfile(seed("502597"), sub / seed("502597").name)
    result = build(BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    codes = [(d.pos.path, d.code) for d in result.diagnostics if d.code in ("duplicate-source", "duplicate-id")]
    assert ("seeds/copy-of-600301.txt", "duplicate-source") in codes or (
        f"seeds/{seed('600301').name}", "duplicate-source") in codes
    assert any(code == "duplicate-id" for _, code in codes)
    ids = sorted(d.id for d in result.documents)
    assert "1952-07-16-kim-to-stalin-armistice-502597-2" in ids


def test_near_identical_text_is_a_duplicate_not_a_variant(seeds: Path, tmp_path: Path) -> None:
    text = seed("600301").read_text().replace("The situation in Seoul is also murky.", "The situation in Seoul is murky.")
    (seeds / "near.txt").write_text(text)
    result = build(BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    near = next(d for d in result.documents if d.source.endswith("near.txt"))
    assert "duplicate-source" in [d.code for d in near.diagnostics]
    assert result.variants.get(near.id, ()) == ()


def test_missing_date_and_title(seeds: Path, tmp_path: Path) -> None:
    (seeds / "scrap.txt").write_text("some words without any date or form\n\nand more of them here\n")
    found, _ = diagnostics_of(seeds, tmp_path, "scrap.txt")
    assert {code for code, _, _ in found} >= {"missing-title", "missing-date"}


def test_unbalanced_and_nested_brackets(seeds: Path, tmp_path: Path) -> None:
    (seeds / "brackets.txt").write_text(
        "CIPHERED TELEGRAM # 1/sh\n\nSent on 09/29/50 at 20:23\n\n"
        "A first paragraph with [an unclosed bracket and more words here.\n\n"
        "A second paragraph ] with a stray one, and [nested [inner] words] too.\n"
    )
    found, _ = diagnostics_of(seeds, tmp_path, "brackets.txt")
    assert ("unclosed-bracket", 5, "warning") in found
    assert ("stray-bracket", 7, "warning") in found


def test_strict_makes_warnings_fail(seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    assert main(["build", "--seeds", str(seeds), "--docs", str(docs)]) == 0
    assert main(["build", "--seeds", str(seeds), "--docs", str(docs), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "seeds/" in err and ": warning: " in err


def test_missing_seeds_folder_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--seeds", str(tmp_path / "nope"), "--docs", str(tmp_path / "docs")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_a_reader_crash_is_one_files_error(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_edition import pipeline

    real = pipeline.read_file_documents

    def flaky(path: Path, base: Path | None, doc_id: str | None = None, **options):  # noqa: ANN202, ANN003
        if "600382" in path.name:
            raise RuntimeError("boom")
        return real(path, base, doc_id, **options)

    monkeypatch.setattr(pipeline, "read_file_documents", flaky)
    result = build(BuildConfig(seeds=seeds, docs=tmp_path / "docs", shown_relative_to=tmp_path))
    assert len(result.documents) == 4
    crash = [d for d in result.diagnostics if d.code == "internal-error"]
    assert len(crash) == 1 and "600382" in crash[0].pos.path and "boom" in crash[0].message
    with pytest.raises(RuntimeError):
        build(BuildConfig(seeds=seeds, docs=tmp_path / "docs2", shown_relative_to=tmp_path, debug=True))


def test_a_very_large_file_is_read_in_part_with_a_warning(seeds: Path, tmp_path: Path) -> None:
    from build_edition import source as source_module

    text = seed("600301").read_text()
    filler = "\n\n".join(["The enemy stepped up its activity along the whole front line."] * 60_000)
    (seeds / "huge.txt").write_text(text + "\n\n" + filler)
    assert (seeds / "huge.txt").stat().st_size > source_module.MAX_BYTES
    found, count = diagnostics_of(seeds, tmp_path, "huge.txt")
    assert ("large-source", 1, "warning") in found
    assert count == 6


def test_equal_flags_get_distinct_anchors() -> None:
    import re

    from build_edition.annotators import annotate
    from build_edition.readers import read_document
    from build_edition.source import decode_source
    from build_edition.writers.page import render_page

    text = b"CIPHERED TELEGRAM # 1/sh\n\nSent on 09/29/50 at 20:23\n\nOn 29 September 29 I met him, and on 29 September 29 again.\n"
    page = render_page(annotate(read_document(decode_source(text, "x.txt"), "x")))
    assert re.findall(r'id="(flag-\d+)"', page) == ["flag-1", "flag-2"]
