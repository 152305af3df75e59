"""A joined download whose parts are all in memory is hashed before it is written: a build that finds the file
holding those bytes already writes nothing, and still knows where each part lies (for the gzip copy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_edition.writers import output
from build_edition.writers.generated import Layout, joined_page
from build_edition.writers.output import PageWriter

PATH = "data/citations.bib"
PARTS = [f"@misc{{doc-{n},\n  title = {{Telegram {n}}},\n}}\n".encode() for n in range(30)]


def _build(docs: Path, parts: list[bytes]) -> tuple[bool, Layout, PageWriter]:
    writer = PageWriter(docs)
    layout = Layout()
    unchanged = writer.write(joined_page(PATH, parts, separator=b"\n"), layout)
    writer.finish()
    return unchanged, layout, writer


def test_a_download_the_file_already_holds_is_not_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    _, first, _ = _build(docs, PARTS)
    before = (docs / PATH).stat().st_mtime_ns

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the unchanged download was written to a temporary file")

    monkeypatch.setattr(output, "_stream_over", never)
    unchanged, layout, writer = _build(docs, list(PARTS))
    assert unchanged and writer.report.unchanged == [PATH] and writer.report.written == []
    assert (docs / PATH).stat().st_mtime_ns == before
    assert layout == first and len(layout.checksums) == len(PARTS)  # all the gzip copy needs, as if written


def test_a_changed_download_is_written_with_its_layout(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _build(docs, PARTS)
    changed = [*PARTS[:7], b"@misc{doc-7,\n  title = {Telegram seven},\n}\n", *PARTS[8:]]
    unchanged, layout, writer = _build(docs, changed)
    assert not unchanged and writer.report.written == [PATH]
    assert (docs / PATH).read_bytes() == b"\n".join(changed)
    _, fresh, _ = _build(tmp_path / "fresh", changed)
    assert layout == fresh  # noted once, as the bytes were hashed, not twice


def test_an_editors_version_of_a_download_is_still_left_alone(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _build(docs, PARTS)
    (docs / PATH).write_bytes(b"% the editor's own bibliography\n")
    unchanged, _, writer = _build(docs, PARTS)
    assert not unchanged and writer.report.kept == [PATH]
    assert (docs / PATH).read_bytes() == b"% the editor's own bibliography\n"
