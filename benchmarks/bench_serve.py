"""Live preview at size: seconds from saving a source to ``mkdocs serve --dirty`` serving the change.

    .venv/bin/python benchmarks/bench_serve.py [N] [--project DIR] [--repeat 3]

With a synthetic collection of N sources (``synthetic.py``) generated and built in a
temporary project (or an existing project, e.g. one kept by ``bench_build.py --keep``),
it starts ``mkdocs serve --dirty`` on a free loopback port, waits until the server
answers, then, ``--repeat`` times: changes the title of one source, saves it, and polls
that document's served page until the new title appears. It prints each interval and
their median. Every wait is bounded; the server is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
sys.path[:0] = [str(BENCHMARKS), str(ROOT / "tests")]

from helpers import copy_project  # noqa: E402
from measure import tool, tool_env  # noqa: E402
from synthetic import synthetic_corpus, templates  # noqa: E402

BASE_PATH = "/telegram-edition/"  # the path of mkdocs.yml's default site_url
POLL_SECONDS = 0.1
# The seed whose copies carry their title as the archive's bold line: the one edited.
EDITED_TEMPLATE = "1950-09-30-shtykov-to-gromyko-600301.txt"
_TITLE = re.compile(r"^\*\*Ciphered Telegram", re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    """The page's text, or None while the server does not answer with it."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(test: Callable[[], bool], timeout: float, server: subprocess.Popen[bytes], what: str) -> float:
    """Poll ``test`` until it holds; the seconds it took. Fails if the server dies or time runs out."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if test():
            return time.monotonic() - start
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with status {server.returncode} while waiting for {what}")
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"no {what} within {timeout:.0f} s")


def settle(log: Path, quiet: float = 2.0, timeout: float = 600) -> None:
    """Wait until the server has written nothing for ``quiet`` seconds (its rebuild is over)."""
    start = time.monotonic()
    size, since = -1, time.monotonic()
    while time.monotonic() - start < timeout:
        now = log.stat().st_size
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(POLL_SECONDS)


def edited_source(seeds: Path) -> Path:
    """The first copy of ``EDITED_TEMPLATE`` in ``seeds``."""
    index = next(n for n, t in enumerate(templates()) if t.path.name == EDITED_TEMPLATE)
    found = sorted(seeds.glob(f"*-seed-{index:05d}.txt")) or sorted(seeds.glob("*-seed-*.txt"))
    found = [p for p in found if _TITLE.search(p.read_text(encoding="utf-8"))]
    if not found:
        raise SystemExit(f"no source in {seeds} has a '**Ciphered Telegram' title line to edit")
    return found[0]


def make_project(folder: Path, count: int) -> Path:
    project = copy_project(folder / "project", seeds=None)
    synthetic_corpus(project / "seeds", count)
    print(f"{count} sources written; generating the pages", file=sys.stderr, flush=True)
    subprocess.run([tool("build-edition"), "build"], cwd=project, env=tool_env(), check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return project


def measure(project: Path, repeat: int, timeout: float) -> tuple[float, list[float]]:
    """Start the server, edit and poll ``repeat`` times, stop the server.

    Returns the seconds until the server first served the page, and each edit's interval.
    """
    source = edited_source(project / "seeds")
    original = source.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}"
    page = f"{url}{BASE_PATH}documents/{source.stem}/"
    log = project.parent / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([tool("mkdocs"), "serve", "--dirty", "--dev-addr", url.removeprefix("http://")],
                                  cwd=project, env=tool_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        started = wait_for(lambda: fetch(page) is not None, timeout, server, f"page at {page}")
        print(f"server answered after {started:.1f} s: {page}", file=sys.stderr, flush=True)
        settle(log)
        intervals = []
        for k in range(1, repeat + 1):
            marker = f"Revised {k} Ciphered Telegram"
            text = _TITLE.sub(f"**{marker}", original, count=1)
            source.write_text(text, encoding="utf-8")
            saved = time.monotonic()
            wait_for(lambda: marker in (fetch(page) or ""), timeout, server, f"'{marker}' at {page}")
            intervals.append(time.monotonic() - saved)
            print(f"edit {k}: changed page served {intervals[-1]:.2f} s after the save", file=sys.stderr, flush=True)
            settle(log)
        return started, intervals
    finally:
        source.write_text(original, encoding="utf-8")
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="number of sources (default 10000)")
    parser.add_argument("--project", type=Path, help="an existing project (with seeds/ and mkdocs.yml) instead")
    parser.add_argument("--repeat", type=int, default=3, help="edits to time (default 3)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds any one wait may take (default 3600)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="edition-serve-") as tmp:
        project = args.project.resolve() if args.project else make_project(Path(tmp), args.count)
        started, intervals = measure(project, args.repeat, args.timeout)
    sources = len([p for p in (project / "seeds").iterdir() if p.suffix != ".yml"]) if args.project else args.count
    print(f"| `mkdocs serve --dirty`, {sources:,} sources | seconds |")
    print("|---|---:|")
    print(f"| from the start until the page is first served | {started:.2f} |")
    for k, seconds in enumerate(intervals, 1):
        print(f"| edit {k}: from the save until the changed page is served | {seconds:.2f} |")
    print(f"| median of the {len(intervals)} edits | {statistics.median(intervals):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
