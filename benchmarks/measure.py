"""Run one command as its own process under ``/usr/bin/time -v`` and read what it reports.

``time -v`` gives the wall time and the peak resident memory of the largest single
process of the command (the kernel's accounting of the waited-for processes). A build
that runs several worker processes at once needs more than its largest process, so a
sampler also sums the resident memory of the whole process tree every 0.2 s (from
``/proc``); a peak shorter than the interval can be missed, so that figure is a lower
bound.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TIME = "/usr/bin/time"
_WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)")
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_EXIT = re.compile(r"Exit status: (\d+)")
SAMPLE_SECONDS = 0.2


def tool(name: str) -> str:
    """A command of the Python environment the benchmark runs in (``.venv/bin/mkdocs``)."""
    return str(Path(sys.executable).parent / name)


def tool_env() -> dict[str, str]:
    """The environment for the measured commands: this one, without a seeds override."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("EDITION_SEEDS", None)
    return env


@dataclass(frozen=True, slots=True, kw_only=True)
class Measured:
    """One finished run of one command."""

    wall_s: float
    max_rss_mb: float  # the largest single process, as time -v reports it
    tree_rss_mb: float  # the sampled peak of all its processes together
    exit_status: int
    log: Path  # the command's stdout and stderr

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


class MeasureError(RuntimeError):
    """The command could not be measured (time missing, killed at the time limit)."""


def run_measured(command: Sequence[str], cwd: Path, log: Path, env: dict[str, str] | None = None,
                 timeout: float = 3600) -> Measured:
    """Run ``command`` in ``cwd`` under ``time -v``; its output goes to ``log``."""
    if not os.access(TIME, os.X_OK):
        raise MeasureError(f"{TIME} is needed (Debian: apt-get install time)")
    report = log.with_suffix(".time")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen([TIME, "-v", "-o", str(report), *command], cwd=cwd, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
        sampler = _TreeSampler(process.pid)
        sampler.start()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise MeasureError(f"{' '.join(command)} took longer than {timeout:.0f} s; killed") from None
        finally:
            sampler.stop()
    text = report.read_text(encoding="utf-8", errors="replace")
    wall, rss, status = _WALL.search(text), _RSS.search(text), _EXIT.search(text)
    if wall is None or rss is None:
        raise MeasureError(f"no figures from {TIME} for {' '.join(command)}:\n{text[-2000:]}")
    hours, minutes, seconds = int(wall.group(1) or 0), int(wall.group(2)), float(wall.group(3))
    return Measured(wall_s=hours * 3600 + minutes * 60 + seconds, max_rss_mb=int(rss.group(1)) / 1024,
                    tree_rss_mb=max(sampler.peak_kb, int(rss.group(1))) / 1024,
                    exit_status=int(status.group(1)) if status else process.returncode, log=log)


class _TreeSampler(threading.Thread):
    """The peak sum of resident memory over a process and all its descendants."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)

    def run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _tree(self.root)))


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
