"""The scale benchmark: a synthetic collection of N sources through the generator and MkDocs.

    .venv/bin/python benchmarks/bench_build.py [N] [--repeat K] [--keep DIR] [--json FILE]

In a temporary project (the one the tests build, ``tests/helpers.py``'s ``copy_project``)
it writes N sources made from every shape the project reads (``synthetic.py``), then runs
each step as its own process under ``/usr/bin/time -v``: the generator's first build, a
rebuild with nothing changed, a rebuild after one source changed, one added, one removed;
then ``mkdocs build`` with the pages already generated; then the baseline (``baseline.py``:
the same texts as plain Markdown pages, built by Material for MkDocs). It prints one
Markdown table: time and peak memory of each step, the ratio of our ``mkdocs build`` to
the baseline's, the size of the site, the number of pages and the largest pages.

With ``--repeat K`` the whole sequence runs K times, each in a fresh project, and the
table gives the median of each figure. Nothing here is a pass or fail: read the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
sys.path[:0] = [str(BENCHMARKS), str(ROOT / "tests")]

from baseline import baseline_project  # noqa: E402
from helpers import copy_project  # noqa: E402  (the same project copy the tests build)
from measure import Measured, run_measured, tool, tool_env  # noqa: E402
from synthetic import remove_source, synthetic_corpus, synthetic_source, write_source  # noqa: E402

__all__ = ["main", "synthetic_corpus"]  # synthetic_corpus stays importable from here

PAGE_LIMIT = 300_000  # bytes: the largest a page may be (issue 8)
STEPS = (
    ("first", "`build-edition build`, first build"),
    ("noop", "`build-edition build`, nothing changed"),
    ("changed", "`build-edition build`, one source changed"),
    ("added", "`build-edition build`, one source added"),
    ("removed", "`build-edition build`, one source removed"),
    ("mkdocs", "`mkdocs build` (pages already generated)"),
    ("baseline", "baseline: plain Material `mkdocs build`"),
)
GENERATOR_OK = (0, 1)  # 1: the sources have errors, which a synthetic collection may well have


@dataclass(frozen=True, slots=True, kw_only=True)
class Largest:
    path: str
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteSize:
    """What a built site weighs."""

    total_bytes: int
    files: int
    html_pages: int
    largest_html: Largest
    html_over_limit: int
    search_index_bytes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """One pass through every step, in one fresh project."""

    sources: int
    shapes: dict[str, int]
    steps: dict[str, Measured]
    site: SiteSize
    baseline: SiteSize
    markdown_pages: int
    largest_markdown: Largest
    documents_built: str
    mkdocs_warnings: int
    failures: list[str] = field(default_factory=list)


def _edit(path: Path) -> None:
    """Change one word of a source's text, as an editor would."""
    text = path.read_text(encoding="utf-8")
    edited = text.replace(" the ", " that ", 1)
    path.write_text(edited if edited != text else text + "\n\nEdited.\n", encoding="utf-8")


def one_run(project: Path, count: int, timeout: float, say: Callable[[str], None]) -> Run:
    """Make the project, run every step once, and measure the output."""
    copy_project(project, seeds=None)
    seeds, logs = project / "seeds", project.parent / "logs"
    paths = synthetic_corpus(seeds, count)
    say(f"{count} sources written to {seeds}")
    env = tool_env()
    generator = [tool("build-edition"), "build"]
    prepare: dict[str, Callable[[], object]] = {
        "changed": lambda: _edit(paths[count // 2]),
        "added": lambda: write_source(seeds, synthetic_source(count)),
        "removed": lambda: remove_source(paths[count // 3]),
    }
    steps: dict[str, Measured] = {}
    failures: list[str] = []
    for key in ("first", "noop", "changed", "added", "removed"):
        prepare.get(key, lambda: None)()
        steps[key] = run_measured(generator, project, logs / f"{key}.log", env, timeout)
        _check(key, steps[key], GENERATOR_OK, failures)
        say(f"{key}: {steps[key].wall_s:.1f} s")
    steps["mkdocs"] = run_measured([tool("mkdocs"), "build", "-d", "site"], project, logs / "mkdocs.log", env, timeout)
    _check("mkdocs", steps["mkdocs"], (0,), failures)
    say(f"mkdocs: {steps['mkdocs'].wall_s:.1f} s")
    base = project.parent / "baseline"
    baseline_project(seeds, base)
    steps["baseline"] = run_measured([tool("mkdocs"), "build", "-d", "site"], base, logs / "baseline.log", env, timeout)
    _check("baseline", steps["baseline"], (0,), failures)
    say(f"baseline: {steps['baseline'].wall_s:.1f} s")
    markdown = [p for p in (project / "docs").rglob("*.md") if p.is_file()]
    shapes = dict(Counter(p.name[len("1950-01-01-"):].rsplit("-", 1)[0] for p in paths))
    return Run(sources=count, shapes=shapes, steps=steps, site=site_size(project / "site"), baseline=site_size(base / "site"),
               markdown_pages=len(markdown), largest_markdown=_largest(markdown, project / "docs"),
               documents_built=_summary(steps["first"].output()),
               mkdocs_warnings=sum("WARNING" in line for line in steps["mkdocs"].output().splitlines()),
               failures=failures)


def _check(key: str, measured: Measured, ok: Sequence[int], failures: list[str]) -> None:
    if measured.exit_status not in ok:
        tail = "\n".join(measured.output().splitlines()[-15:])
        failures.append(f"{key}: exit status {measured.exit_status} ({measured.log})\n{tail}")


def _summary(output: str) -> str:
    """The generator's own one-line summary (``built N documents into docs: …``)."""
    lines = [line for line in output.splitlines() if line.startswith("built ")]
    return lines[-1] if lines else "(no summary line)"


def _largest(paths: Sequence[Path], base: Path) -> Largest:
    if not paths:
        return Largest(path="(none)", size=0)
    biggest = max(paths, key=lambda p: p.stat().st_size)
    return Largest(path=biggest.relative_to(base).as_posix(), size=biggest.stat().st_size)


def site_size(site: Path) -> SiteSize:
    files = [p for p in site.rglob("*") if p.is_file()] if site.is_dir() else []
    pages = [p for p in files if p.suffix == ".html"]
    # Material's one search_index.json (the baseline), or Pagefind's chunked index (the edition's search)
    material = site / "search" / "search_index.json"
    chunks = [p for p in (site / "pagefind").rglob("*") if p.is_file()] if (site / "pagefind").is_dir() else []
    index_bytes = material.stat().st_size if material.is_file() else sum(p.stat().st_size for p in chunks)
    return SiteSize(total_bytes=sum(p.stat().st_size for p in files), files=len(files), html_pages=len(pages),
                    largest_html=_largest(pages, site),
                    html_over_limit=sum(p.stat().st_size > PAGE_LIMIT for p in pages),
                    search_index_bytes=index_bytes)


# --- the table ------------------------------------------------------------------------

def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e5 else f"{n / 1e3:,.1f} KB"


def table(runs: Sequence[Run]) -> str:
    """One Markdown table: each step's median time and memory, then the output's sizes."""
    rows = ["| step or figure | wall time | peak memory, largest process | peak memory, all processes (sampled) | value |",
            "|---|---:|---:|---:|---|"]
    for key, label in STEPS:
        measured = [r.steps[key] for r in runs]
        rows.append(f"| {label} | {_median([m.wall_s for m in measured]):.2f} s "
                    f"| {_median([m.max_rss_mb for m in measured]):,.0f} MB "
                    f"| {_median([m.tree_rss_mb for m in measured]):,.0f} MB "
                    f"| exit {'/'.join(sorted({str(m.exit_status) for m in measured}))} |")
    ratio = _median([r.steps["mkdocs"].wall_s / r.steps["baseline"].wall_s for r in runs])
    last = runs[-1]
    site, base = last.site, last.baseline
    figures = [
        ("ratio: our `mkdocs build` / baseline", f"{ratio:.2f}×"),
        ("sources", f"{last.sources:,} (then one added, one removed): "
                    + ", ".join(f"{shape} {n:,}" for shape, n in sorted(last.shapes.items()))),
        ("generator's summary, first build", last.documents_built.replace("|", "/")),
        ("`mkdocs build` warnings", f"{last.mkdocs_warnings}"),
        ("whole site (site/)", f"{_mb(site.total_bytes)} in {site.files:,} files"),
        ("HTML pages", f"{site.html_pages:,}"),
        ("largest HTML page", f"`{site.largest_html.path}`, {_mb(site.largest_html.size)}"),
        (f"HTML pages over {PAGE_LIMIT // 1000} KB", f"{site.html_over_limit:,}"),
        ("search index (Pagefind, all chunks; a query loads a few)", _mb(site.search_index_bytes)),
        ("Markdown pages generated (docs/)", f"{last.markdown_pages:,}"),
        ("largest Markdown page", f"`{last.largest_markdown.path}`, {_mb(last.largest_markdown.size)}"),
        ("baseline site", f"{_mb(base.total_bytes)} in {base.files:,} files, {base.html_pages:,} HTML pages"),
        ("baseline largest HTML page", f"`{base.largest_html.path}`, {_mb(base.largest_html.size)}"),
        ("baseline search index (Material's search_index.json, loaded whole)", _mb(base.search_index_bytes)),
    ]
    rows += [f"| {label} | | | | {value} |" for label, value in figures]
    return "\n".join(rows)


def figures_json(runs: Sequence[Run], count: int) -> dict[str, object]:
    steps = {key: {"label": label,
                   "wall_s": [r.steps[key].wall_s for r in runs],
                   "max_rss_mb": [r.steps[key].max_rss_mb for r in runs],
                   "tree_rss_mb": [r.steps[key].tree_rss_mb for r in runs],
                   "exit_status": [r.steps[key].exit_status for r in runs],
                   "median_wall_s": _median([r.steps[key].wall_s for r in runs]),
                   "median_max_rss_mb": _median([r.steps[key].max_rss_mb for r in runs])}
             for key, label in STEPS}
    last = runs[-1]
    return {
        "sources": count, "shapes": runs[-1].shapes, "repeat": len(runs), "machine": _machine(),
        "steps": steps,
        "mkdocs_to_baseline": _median([r.steps["mkdocs"].wall_s / r.steps["baseline"].wall_s for r in runs]),
        "site": asdict(last.site), "baseline": asdict(last.baseline),
        "markdown_pages": last.markdown_pages, "largest_markdown": asdict(last.largest_markdown),
        "generator_summary": last.documents_built, "mkdocs_warnings": last.mkdocs_warnings,
        "page_limit_bytes": PAGE_LIMIT, "failures": [f for r in runs for f in r.failures],
    }


def _machine() -> str:
    return f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"


# --- command line ---------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="number of sources (default 10000)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="run every step K times; print medians")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the (last) project and baseline in DIR")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one step may take (default 3600)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.count < 3 or args.repeat < 1:
        _parser().error("count must be at least 3 and --repeat at least 1")
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        _parser().error(f"--keep {args.keep}: the folder exists and is not empty")

    def say(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr, flush=True)

    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="edition-bench-"))
    runs: list[Run] = []
    try:
        for k in range(args.repeat):
            for old in ("project", "baseline", "logs"):
                shutil.rmtree(work / old, ignore_errors=True)
            say(f"run {k + 1} of {args.repeat} in {work}")
            runs.append(one_run(work / "project", args.count, args.timeout, say))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{args.count:,} sources; {_machine()}; median of {len(runs)} run(s)")
    print()
    print(table(runs))
    print("\n(exit 1 of `build-edition build`: some sources have error diagnostics, as the real corpus does;"
          " peak memory of all processes is sampled every 0.2 s)")
    failures = [f for r in runs for f in r.failures]
    for failure in failures:
        print(f"\nFAILED {failure}")
    if args.json:
        args.json.write_text(json.dumps(figures_json(runs, args.count), indent=2, default=str), encoding="utf-8")
    if args.keep:
        say(f"project kept in {work / 'project'}, baseline in {work / 'baseline'}, logs in {work / 'logs'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
