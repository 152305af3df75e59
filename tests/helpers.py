"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed(name_part: str) -> Path:
    """The one seed whose file name contains ``name_part``."""
    found = [p for p in SEEDS.glob("*.txt") if name_part in p.name]
    assert len(found) == 1, found
    return found[0]


def copy_project(dest: Path, seeds: Path | None = SEEDS) -> Path:
    """A buildable copy of the site in ``dest``: mkdocs.yml, overrides, docs/assets, the hand-written
    search page and the package (linked); the seeds copied in, or an empty seeds/ (to build with
    EDITION_SEEDS)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, dest / name)
    (dest / "build_edition").symlink_to(ROOT / "build_edition")
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    shutil.copyfile(ROOT / "docs" / "search.md", dest / "docs" / "search.md")
    if seeds is None:
        (dest / "seeds").mkdir()
    else:
        shutil.copytree(seeds, dest / "seeds")
    return dest


def pagefind_fragments(site: Path) -> list[dict]:
    """Every page record of the site's Pagefind index, all its parts (gzip files: a signature, then JSON)."""
    records = []
    for path in sorted((site / "pagefind").rglob("fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        records.append(json.loads(data[len(b"pagefind_dcd"):]))
    return records
