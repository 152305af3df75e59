"""The Pages workflow as a security reviewer reads it: zizmor, the static analyser for Actions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
ZIZMOR = Path(sys.executable).parent / "zizmor"


def test_zizmor_finds_nothing_of_medium_severity_or_more() -> None:
    run = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium", "--format", "plain",
                          str(WORKFLOWS)], capture_output=True, text=True, timeout=120)
    # zizmor's exit status is 0 without findings, and non-zero (10 and up) with them.
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings to report" in run.stdout + run.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version_named() -> None:
    text = (WORKFLOWS / "pages.yml").read_text()
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert len(uses) == 5
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), (ref, comment)


def test_permissions_are_granted_per_job_and_credentials_are_not_kept() -> None:
    workflow = yaml.safe_load((WORKFLOWS / "pages.yml").read_text())
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_zizmor_does_report_an_unhardened_workflow(tmp_path: Path) -> None:
    """The check above can fail: the shape of the workflow before it was hardened is reported."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "pages.yml").write_text(
        "on: push\npermissions:\n  contents: read\n  pages: write\n  id-token: write\n"
        "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - uses: actions/upload-pages-artifact@v3\n        with:\n          path: site\n")
    run = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium", "--format", "plain", str(folder)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "unpinned-uses" in run.stdout and "artipacked" in run.stdout
