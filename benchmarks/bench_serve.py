"""Live preview at size: seconds from saving a source to ``mkdocs serve --dirty`` serving the change.

    .venv/bin/python benchmarks/bench_serve.py [N] [--project DIR] [--repeat 3] [--phases]

With a synthetic collection of N sources (``synthetic.py``) generated and built in a
temporary project (or an existing project, e.g. one kept by ``bench_build.py --keep``),
it starts ``mkdocs serve --dirty`` on a free loopback port, waits until the server
answers, then, ``--repeat`` times: changes the title of one source, saves it, and polls
that document's served page until the new title appears. It prints each interval and
their median, and the median CPU time the server spent meanwhile (from ``/proc``: on a
shared machine, the figure that does not depend on what else runs). Every wait is bounded; the server is stopped at the end, whatever happens.

With ``--phases`` the server runs with a configuration that adds two benchmark-only hooks
(``phases/clock_first.py`` and ``clock_last.py``) around the edition's, which time-stamp
each step of a rebuild; a second table then gives, for each edit, the seconds from the
save to the server noticing it, loading the configuration, the edition's generator,
MkDocs' listing of docs/, the navigation, the pages read and converted, the static files
and templates, the pages written, the link checks, the search hook and the page served.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


PHASES = BENCHMARKS / "phases"
PHASES_CONFIG = "mkdocs-phases.yml"


@dataclass(frozen=True, slots=True, kw_only=True)
class Stamp:
    seconds: float
    cpu: float
    """The server process's CPU time (all threads) when stamped."""
    step: str
    """``load_config``, ``pre_build``, ``page_read <page>``, ... (see phases/clock_first.py)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Edit:
    saved: float
    served: float
    """Unix times of the save and of the poll that found the change."""
    cpu: float | None = None
    """CPU seconds (user and system) the server and its children spent between the two."""


def cpu_seconds(pid: int) -> float | None:
    """User and system time of a process and of its children it waited for, from ``/proc``; None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


# (label, the stamp that ends the phase): each phase runs from the end of the one before.
PHASE_ENDS = (
    ("the server notices the save", "Detected_file_changes"),
    ("configuration loaded again (hooks included)", "on_config"),
    ("other on_config and on_pre_build hooks", "pre_build"),
    ("the edition's generator (on_pre_build)", "pre_build_end"),
    ("MkDocs lists docs/ (get_files), theme files, on_files", "files"),
    ("navigation", "nav"),
    ("pages read and converted to HTML", "env"),
    ("static files copied, theme templates (sitemap, 404)", "page_build"),
    ("pages put in the template and written", "last page_written"),
    ("anchor checks of every page", "post_build"),
    ("post_build hooks (the search index kept)", "post_build_end"),
    ("the server marks the site reloadable", "Reloading_browsers"),
    ("the changed page fetched by the poll", "served"),
)


def read_stamps(path: Path) -> list[Stamp]:
    stamps = []
    for line in path.read_text(encoding="utf-8").splitlines():
        seconds, cpu, step = line.split(" ", 2)
        stamps.append(Stamp(seconds=float(seconds), cpu=float(cpu), step=step))
    return stamps


Row = tuple[str, float, float | None]
"""A phase, its wall seconds and its CPU seconds in the server (None where a bound has no CPU stamp)."""


def phase_rows(stamps: Sequence[Stamp], edit: Edit) -> list[Row]:
    """Each phase of one edit's rebuild (the last one between the save and the page served)."""
    inside = [s for s in stamps if edit.saved <= s.seconds <= edit.served]
    detected = [k for k, s in enumerate(inside) if s.step == "Detected_file_changes"]
    build = inside[detected[-1]:] if detected else inside
    ends: dict[str, Stamp] = {}
    for s in build:
        step = s.step.split(" ", 1)[0]
        if step == "page_written":
            ends["last page_written"] = s
        ends.setdefault(step, s)
    rows: list[Row] = []
    previous: Stamp | None = None
    for label, end in PHASE_ENDS:
        if end == "served":
            rows.append((label, edit.served - (previous.seconds if previous else edit.saved), None))
        elif end in ends:
            stamp = ends[end]
            cpu = stamp.cpu - previous.cpu if previous is not None else None
            rows.append((label, stamp.seconds - (previous.seconds if previous else edit.saved), cpu))
            previous = stamp
    collecting = [float(s.step.split()[1]) for s in build if s.step.startswith("gc_seconds ")]
    if collecting:
        rows.append(("of which the garbage collector (cycles), from on_config to post_build", collecting[0], None))
    read = sum(1 for s in build if s.step.startswith("page_read "))
    written = sum(1 for s in build if s.step.startswith("page_written "))
    return [(label.replace("pages read", f"{read} pages read").replace("pages put", f"{written} pages put"), wall, cpu)
            for label, wall, cpu in rows]


def phases_config(project: Path) -> Path:
    """A configuration that inherits the project's and adds the clock hooks around its hooks."""
    from mkdocs.utils.yaml import yaml_load

    with (project / "mkdocs.yml").open(encoding="utf-8") as f:
        hooks = list(yaml_load(f).get("hooks", []))
    listed = [str(PHASES / "clock_first.py"), *hooks, str(PHASES / "clock_last.py")]
    config = project / PHASES_CONFIG
    config.write_text("INHERIT: mkdocs.yml\nhooks:\n" + "".join(f"  - {h}\n" for h in listed), encoding="utf-8")
    return config


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


def _interruptible() -> None:
    """In the server's process before it starts: Ctrl-C stops it, even where the benchmark itself was
    started with Ctrl-C ignored (a shell's background job), which its children would inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as Ctrl-C does, so that MkDocs removes its temporary site folder and the hooks
    theirs (``on_shutdown``); terminate it, then kill it, if it does not stop."""
    server.send_signal(signal.SIGINT)
    for ending in (server.terminate, server.kill):
        try:
            server.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            ending()
    server.wait()


def measure(project: Path, repeat: int, timeout: float, stamps: Path | None = None) -> tuple[float, list[Edit]]:
    """Start the server, edit and poll ``repeat`` times, stop the server.

    Returns the seconds until the server first served the page, and each edit's times. With
    ``stamps``, the server runs with the clock hooks, which write their stamps there.
    """
    source = edited_source(project / "seeds")
    original = source.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}"
    page = f"{url}{BASE_PATH}documents/{source.stem}/"
    log = project.parent / "serve.log"
    command = [tool("mkdocs"), "serve", "--dirty", "--dev-addr", url.removeprefix("http://")]
    env = tool_env()
    if stamps is not None:
        command += ["--config-file", str(phases_config(project))]
        env["EDITION_PHASES"] = str(stamps)
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  preexec_fn=_interruptible)
    try:
        started = wait_for(lambda: fetch(page) is not None, timeout, server, f"page at {page}")
        print(f"server answered after {started:.1f} s: {page}", file=sys.stderr, flush=True)
        settle(log)
        intervals = []
        for k in range(1, repeat + 1):
            marker = f"Revised {k} Ciphered Telegram"
            text = _TITLE.sub(f"**{marker}", original, count=1)
            saved, cpu = time.time(), cpu_seconds(server.pid)
            source.write_text(text, encoding="utf-8")
            wait_for(lambda: marker in (fetch(page) or ""), timeout, server, f"'{marker}' at {page}")
            now = cpu_seconds(server.pid)
            intervals.append(Edit(saved=saved, served=time.time(), cpu=None if cpu is None or now is None else now - cpu))
            print(f"edit {k}: changed page served {intervals[-1].served - saved:.2f} s after the save",
                  file=sys.stderr, flush=True)
            settle(log)
        return started, intervals
    finally:
        # The server stops first: restored while it runs, the source would start a rebuild that the
        # stop cuts short, leaving pages the manifest does not know (taken for hand edits next time).
        stop(server)
        source.write_text(original, encoding="utf-8")
        if stamps is not None:
            (project / PHASES_CONFIG).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="number of sources (default 10000)")
    parser.add_argument("--project", type=Path, help="an existing project (with seeds/ and mkdocs.yml) instead")
    parser.add_argument("--repeat", type=int, default=3, help="edits to time (default 3)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds any one wait may take (default 3600)")
    parser.add_argument("--phases", action="store_true", help="also time-stamp each step of each rebuild")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="edition-serve-") as tmp:
        project = args.project.resolve() if args.project else make_project(Path(tmp), args.count)
        stamps = project.parent / "serve-stamps.txt" if args.phases else None
        if stamps is not None:
            stamps.unlink(missing_ok=True)
        started, edits = measure(project, args.repeat, args.timeout, stamps)
        phases = [phase_rows(read_stamps(stamps), edit) for edit in edits] if stamps is not None else []
    intervals = [edit.served - edit.saved for edit in edits]
    sources = len([p for p in (project / "seeds").iterdir() if p.suffix != ".yml"]) if args.project else args.count
    print(f"| `mkdocs serve --dirty`, {sources:,} sources | seconds |")
    print("|---|---:|")
    print(f"| from the start until the page is first served | {started:.2f} |")
    for k, seconds in enumerate(intervals, 1):
        print(f"| edit {k}: from the save until the changed page is served | {seconds:.2f} |")
    print(f"| median of the {len(intervals)} edits | {statistics.median(intervals):.2f} |")
    cpu = [edit.cpu for edit in edits if edit.cpu is not None]
    if cpu:
        print(f"| median CPU seconds of the server from the save until the page is served | {statistics.median(cpu):.2f} |")
    if phases:
        print_phases(phases)
    return 0


def print_phases(phases: list[list[Row]]) -> None:
    """One row per phase, one column per edit (wall / CPU seconds), and the medians."""
    print()
    print("| phase of the rebuild: wall / CPU seconds | " + " | ".join(f"edit {k}" for k in range(1, len(phases) + 1))
          + " | median |")
    print("|---|" + "---:|" * (len(phases) + 1))
    for n, (label, _, _) in enumerate(phases[0]):
        rows = [rows[n] for rows in phases if n < len(rows)]
        cells = [_cell(wall, cpu) for _, wall, cpu in rows]
        cpus = [cpu for _, _, cpu in rows if cpu is not None]
        median = _cell(statistics.median(w for _, w, _ in rows), statistics.median(cpus) if cpus else None)
        print(f"| {label} | " + " | ".join(cells) + f" | {median} |")


def _cell(wall: float, cpu: float | None) -> str:
    return f"{wall:.2f}" if cpu is None else f"{wall:.2f} / {cpu:.2f}"


if __name__ == "__main__":
    sys.exit(main())
