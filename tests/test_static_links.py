"""The generator's files reach the site as hard links; an editor's own files and the theme's as copies."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.structure.files import File, Files

from build_edition import static_links
from build_edition.pipeline import BuildConfig, build
from helpers import ROOT


def _edition(tmp_path: Path) -> tuple[Path, Path, Files]:
    docs, site = tmp_path / "docs", tmp_path / "site"
    build(BuildConfig(seeds=ROOT / "seeds", docs=docs, shown_relative_to=ROOT))
    (docs / "assets").mkdir(exist_ok=True)
    (docs / "assets" / "own.css").write_text("p { color: black }\n", encoding="utf-8")
    names = [p.relative_to(docs).as_posix() for p in sorted(docs.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    files = Files([File(name, str(docs), str(site), use_directory_urls=True) for name in names])
    config = SimpleNamespace(docs_dir=str(docs))
    return docs, site, static_links.on_files(files, config)


def test_generated_files_are_linked_and_an_editors_own_are_copied(tmp_path: Path) -> None:
    docs, site, files = _edition(tmp_path)
    files.copy_static_files()
    tei = sorted((docs / "tei").glob("*.xml"))
    assert len(tei) >= 5
    for source in [*tei, *sorted((docs / "cite").iterdir())]:
        target = site / source.relative_to(docs)
        assert os.path.samefile(source, target), target
    own = site / "assets" / "own.css"
    assert own.read_bytes() == (docs / "assets" / "own.css").read_bytes()
    assert not os.path.samefile(own, docs / "assets" / "own.css")
    assert not list(site.rglob("*.md"))  # pages are MkDocs' to render, not to copy


def test_a_regenerated_file_leaves_the_built_site_as_it_was_until_linked_again(tmp_path: Path) -> None:
    docs, site, files = _edition(tmp_path)
    files.copy_static_files()
    source = sorted((docs / "tei").glob("*.xml"))[0]
    target = site / source.relative_to(docs)
    before = target.read_bytes()
    replaced = source.with_name(".new")  # as writers/output.atomic_write replaces a file
    replaced.write_bytes(before + b"<!-- changed -->\n")
    os.replace(replaced, source)
    os.utime(source, ns=(target.stat().st_mtime_ns + 10**9,) * 2)
    assert target.read_bytes() == before
    files.copy_static_files(dirty=True)
    assert os.path.samefile(source, target) and target.read_bytes().endswith(b"<!-- changed -->\n")


def test_a_file_that_cannot_be_linked_is_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs, site, files = _edition(tmp_path)

    def no_link(source: str, target: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(static_links.os, "link", no_link)
    files.copy_static_files()
    source = sorted((docs / "tei").glob("*.xml"))[0]
    target = site / source.relative_to(docs)
    assert target.read_bytes() == source.read_bytes() and not os.path.samefile(source, target)


def test_the_site_configuration_uses_the_hook() -> None:
    assert "  - build_edition/static_links.py" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
