"""Command line: ``build-edition build`` writes the edition, ``inspect`` prints parsed JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .model import Severity
from .pipeline import BuildConfig, Corpus, build, read_corpus
from .writers.json_export import diagnostic_json, document_json


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
    i = commands.add_parser("inspect", help="print the parsed documents as JSON")
    i.add_argument("files", nargs="+", type=Path)
    return parser


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
    return _build(args.seeds, args.docs, args.strict, args.verbose, args.debug)


def _build(seeds: Path, docs: Path, strict: bool, verbose: bool, debug: bool) -> int:
    if not seeds.is_dir():
        raise CliError(f"no such folder of sources: {seeds}")
    result = build(BuildConfig(seeds=seeds, docs=docs, shown_relative_to=Path.cwd(), debug=debug))
    for d in result.diagnostics:
        if verbose or d.severity is not Severity.INFO:
            print(d, file=sys.stderr)
    r = result.report
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    print(f"built {len(result.corpus.documents)} documents into {docs}: {len(r.written)} pages written, "
          f"{len(r.unchanged)} unchanged, {len(r.removed)} removed, {len(r.kept)} left untouched; "
          f"{errors} errors, {warnings} warnings, {result.count(Severity.INFO)} notes")
    if errors or (strict and warnings):
        return 1
    return 0


def _inspect(files: list[Path], debug: bool) -> int:
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise CliError(f"no such file: {', '.join(missing)}")
    corpus: Corpus = read_corpus(files, Path.cwd(), debug)
    out = {
        "documents": [document_json(d) for d in corpus.documents],
        "diagnostics": [diagnostic_json(d) for d in corpus.all_diagnostics],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
