"""Benchmark: a synthetic corpus of N documents through build-edition and `mkdocs build`.

Copies of the seeds with new ids and shifted dates, in a temporary project.
Prints the time of each phase and the size of the output, so growth with N can
be read off two runs:  python benchmarks/bench_build.py 500 2000
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from build_edition.pipeline import BuildConfig, build  # noqa: E402
from helpers import copy_project  # noqa: E402  (the same project copy the tests build)

_HEADER_DATE = re.compile(r"^(\*\*)?(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}(\*\*)?$", re.M)


def synthetic_corpus(folder: Path, count: int) -> None:
    """``count`` sources: the seeds in turn, each with its own name and heading date."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    start = dt.date(1949, 1, 1)
    for n in range(count):
        seed = seeds[n % len(seeds)]
        day = start + dt.timedelta(days=n % 1800)
        text = _HEADER_DATE.sub(lambda m: f"{m[1] or ''}{day:%B} {day.day}, {day.year}{m[3] or ''}", seed.read_text(), count=1)
        (folder / f"{day.isoformat()}-doc-{n:05d}.txt").write_text(text, encoding="utf-8")


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def run(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy_project(folder, seeds=None)
        synthetic_corpus(folder / "seeds", count)
        t0 = time.perf_counter()
        build(BuildConfig(seeds=folder / "seeds", docs=folder / "docs", shown_relative_to=folder))
        t1 = time.perf_counter()
        mkdocs = Path(sys.executable).parent / "mkdocs"
        subprocess.run([str(mkdocs), "build", "-q", "-d", str(folder / "site")], cwd=folder, check=True,
                       env={"PATH": str(mkdocs.parent), "NO_MKDOCS_2_WARNING": "1"})
        t2 = time.perf_counter()
        print(f"{count:6d} documents: build-edition {t1 - t0:6.1f} s; mkdocs build (regenerates, then renders) "
              f"{t2 - t1:6.1f} s; docs {size_mb(folder / 'docs'):7.1f} MB; site {size_mb(folder / 'site'):7.1f} MB",
              flush=True)


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["2000"]:
        run(int(arg))
