"""The editor's corrections file: applied, shown as the editor's, stale entries reported, never written."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_edition.pipeline import BuildConfig, build, read_file
from helpers import ROOT, seed


def project(tmp_path: Path, sidecar: str) -> tuple[Path, Path]:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    source = seeds / "letter.txt"
    shutil.copyfile(seed("via-shtykov"), source)
    (seeds / "letter.yml").write_text(sidecar, encoding="utf-8")
    return seeds, source


def codes(document) -> list[str]:  # noqa: ANN001
    return [d.code for d in document.diagnostics]


def test_corrections_change_the_page_and_the_file_is_never_written(tmp_path: Path) -> None:
    sidecar = "sender: Terenty Shtykov\ninsertions:\n  - match: '[captured in South Korea - AM]'\n    kind: gloss\n"
    seeds, _ = project(tmp_path, sidecar)
    before = (seeds / "letter.yml").stat().st_mtime_ns
    docs = tmp_path / "docs"
    build(BuildConfig(seeds=seeds, docs=docs, shown_relative_to=tmp_path))
    page = (docs / "documents" / "letter.md").read_text()
    assert "Terenty Shtykov <span class=\"edition-by-editor\">(editor's correction)</span>" in page
    assert 'data-kind="gloss"' in page and "*Editor:*" in page
    (seeds / "letter.yml").write_text("sender: Shtykov, T. F.\n", encoding="utf-8")
    build(BuildConfig(seeds=seeds, docs=docs, shown_relative_to=tmp_path))
    assert "Shtykov, T. F." in (docs / "documents" / "letter.md").read_text()
    assert (seeds / "letter.yml").read_text() == "sender: Shtykov, T. F.\n"
    assert (seeds / "letter.yml").stat().st_mtime_ns != before  # only our own edit touched it


def test_stale_and_unknown_corrections_are_reported_with_their_line(tmp_path: Path) -> None:
    sidecar = "titel: typo\ninsertions:\n  - match: '[no such bracket]'\n    kind: gloss\nsic:\n  - match: words not in the text\n"
    _, source = project(tmp_path, sidecar)
    document = read_file(source, tmp_path)
    found = {(d.code, d.pos.line) for d in document.diagnostics if d.code.startswith("sidecar")}
    assert ("sidecar-unknown-key", 1) in found
    assert ("sidecar-stale", 3) in found and ("sidecar-stale", 6) in found
    assert all(d.pos.path.endswith("letter.yml") for d in document.diagnostics if d.code.startswith("sidecar"))


def test_broken_corrections_file_is_an_error_and_the_document_still_builds(tmp_path: Path) -> None:
    _, source = project(tmp_path, "title: [unclosed\n")
    document = read_file(source, tmp_path)
    assert "sidecar-invalid" in codes(document)
    assert document.title and document.title.value.startswith("Ciphered Telegram from DPRK")


def test_shipped_sidecar_for_001_applies_cleanly() -> None:
    document = read_file(seed("cable-600308"), ROOT)
    assert not [d for d in document.diagnostics if d.code.startswith("sidecar")]
    assert document.title.by_editor and "date" in document.edited_fields


def test_unknown_kind_is_reported_with_the_allowed_ones(tmp_path: Path) -> None:
    _, source = project(tmp_path, "transmission:\n  - match: Typed by\n    kind: teleported\n")
    document = read_file(source, tmp_path)
    bad = [d for d in document.diagnostics if d.code == "sidecar-bad-value"]
    assert len(bad) == 1 and "teleported" in bad[0].message and "typed" in bad[0].message and bad[0].pos.line == 2


def test_a_mapping_where_a_value_belongs_is_refused(tmp_path: Path) -> None:
    _, source = project(tmp_path, "sender: {x: y}\ntransmission:\n  - match: Typed by\n    place: {a: b}\n")
    document = read_file(source, tmp_path)
    bad = sorted((d.pos.line, d.message) for d in document.diagnostics if d.code == "sidecar-bad-value")
    assert [line for line, _ in bad] == [1, 3]
    assert document.sender is not None and document.sender.value == "Shtykov"
    assert all("__line__" not in (e.place or "") for e in document.transmission)


def test_an_empty_title_falls_back_to_the_id(tmp_path: Path) -> None:
    _, source = project(tmp_path, 'title: ""\n')
    document = read_file(source, tmp_path)
    assert document.title_text == document.id
