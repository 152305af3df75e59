"""Command line: ``build-edition build`` writes the edition, ``inspect`` prints parsed JSON."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn
from pathlib import Path

from .model import Severity
from .pipeline import BuildConfig, BuildResult, build


class CliError(Exception):
    """A problem the user can fix, reported without a traceback."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build-edition", description="Build the digital edition of archival telegrams.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="write the edition's Markdown pages into the docs folder")
    b.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of source files (default: seeds)")
    b.add_argument("--docs", type=Path, default=Path("docs"), help="MkDocs docs folder (default: docs)")
    b.add_argument("--strict", action="store_true", help="exit with status 1 when there is any warning or error")
    b.add_argument("-v", "--verbose", action="store_true", help="also print informational diagnostics")
    b.add_argument("-j", "--jobs", type=int, default=None, help="processes for a large build (default: one per core; 1: all in this one, the edition-wide pages too)")
    i = commands.add_parser("inspect", help="print the parsed documents as JSON")
    i.add_argument("files", nargs="+", type=Path)
    return parser


def run() -> NoReturn:
    """The ``build-edition`` command: :func:`main`, then, its output flushed, the process ends at once
    (``os._exit``): freeing one by one the millions of objects a large build leaves would only take time.
    Under a profiler or a tracer (cProfile, coverage), which write their report at exit, it ends as usual."""
    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        raise SystemExit(code)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except CliError as exc:
        print(f"build-edition: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the boundary: one line unless --debug
        if args.debug:
            raise
        print(f"build-edition: internal error: {exc!r} (run with --debug for details)", file=sys.stderr)
        return 3


def _run(args: argparse.Namespace) -> int:
    if args.command == "inspect":
        return _inspect(args.files, args.debug)
    return _build(args)


def _build(args: argparse.Namespace) -> int:
    seeds, docs = args.seeds, args.docs
    if not seeds.is_dir():
        raise CliError(f"no such folder of sources: {seeds}")
    if args.jobs is not None and args.jobs < 1:
        raise CliError("--jobs needs a number of processes, 1 or more")
    config = BuildConfig(seeds=seeds, docs=docs, shown_relative_to=Path.cwd(), debug=args.debug, jobs=args.jobs,
                         edition_apart=True, free_later=True)
    # The build runs with the cycle collector off (see pipeline.build), and so does the report of it: turned on
    # again, the collector's first pass would walk the millions of objects the build left (0.6 s of a one-change
    # build at 10,000 documents) to free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _report(args, build(config, progress=terminal_progress()))
    finally:
        if collecting:
            gc.enable()


def _report(args: argparse.Namespace, result: BuildResult) -> int:
    """Print the build's diagnostics and what it did; the exit status."""
    docs = args.docs
    sys.stderr.write("".join(f"{d}\n" for d in result.diagnostics if args.verbose or d.severity is not Severity.INFO))
    r = result.report
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    if result.reused:
        done = "nothing changed since the last build"
    else:
        done = (f"{result.read} sources read, {result.rendered} documents rendered; {len(r.written)} pages written, "
                f"{len(r.unchanged)} unchanged, {len(r.removed)} removed, {len(r.kept)} left untouched")
    print(f"built {result.document_count} documents into {docs}: {done}; "
          f"{errors} errors, {warnings} warnings, {result.count(Severity.INFO)} notes")
    if errors or (args.strict and warnings):
        return 1
    return 0


def terminal_progress() -> Callable[[str, int], Callable[[int], None]] | None:
    """A progress bar (tqdm) for long steps, on a terminal only: quiet in CI and in pipes."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def start(label: str, total: int) -> Callable[[int], None]:
        if total < 50:
            return lambda n: None
        from tqdm import tqdm

        bar = tqdm(total=total, desc=label, unit="doc", leave=False, file=sys.stderr)

        def advance(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return advance

    return start


def _inspect(files: list[Path], debug: bool) -> int:
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise CliError(f"no such file: {', '.join(missing)}")
    from .pipeline import read_corpus
    from .writers.json_export import diagnostic_json, document_json

    corpus = read_corpus(files, Path.cwd(), debug)
    out = {
        "documents": [document_json(d) for d in corpus.documents],
        "diagnostics": [diagnostic_json(d) for d in corpus.all_diagnostics],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
