"""The live preview (``mkdocs serve --dirty``): what the edition's hook does at each save."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from helpers import ROOT, copy_project

EDITED = "1950-09-30-shtykov-to-gromyko-600301.txt"


def load_hook() -> ModuleType:
    """A fresh copy of the edition's MkDocs hook (its state is per process, as MkDocs loads it once)."""
    spec = importlib.util.spec_from_file_location("edition_hook_under_test", ROOT / "build_edition" / "mkdocs_hook.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    lines = [r.getMessage() for r in caplog.records if r.name == "mkdocs.hooks.edition"]
    caplog.clear()
    return lines


def test_a_save_logs_only_the_diagnostics_it_brought(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    project = copy_project(tmp_path / "project")
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), docs_dir=str(project / "docs"))
    monkeypatch.setenv("EDITION_LIVE_PREVIEW", "1")
    caplog.set_level(logging.INFO, logger="mkdocs.hooks.edition")
    hook = load_hook()

    hook.on_pre_build(config)
    first = logged(caplog)
    diagnostics = [line for line in first if line.startswith("seeds/")]
    assert diagnostics  # the seeds have diagnostics of their own (unregistered names, joined paragraphs...)

    source = project / "seeds" / EDITED
    lines = source.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("The situation in Seoul is also murky."))
    lines[line - 1] = lines[line - 1].replace("is also murky.", "is also murky.]")
    source.write_text("\n".join(lines), encoding="utf-8")
    hook.on_pre_build(config)
    again = logged(caplog)
    assert [text for text in again if text.startswith("seeds/")] == [
        f"seeds/{EDITED}:{line}: warning: closing bracket with no opening bracket [stray-bracket]"]
    assert f"edition: {len(diagnostics) + 1} diagnostics, 1 of them new since the last build" in " ".join(again)


def test_a_build_outside_the_live_preview_logs_every_diagnostic_each_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    project = copy_project(tmp_path / "project")
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), docs_dir=str(project / "docs"))
    monkeypatch.delenv("EDITION_LIVE_PREVIEW", raising=False)
    caplog.set_level(logging.INFO, logger="mkdocs.hooks.edition")
    hook = load_hook()
    hook.on_pre_build(config)
    first = [line for line in logged(caplog) if line.startswith("seeds/")]
    source = project / "seeds" / EDITED
    source.write_text(source.read_text(encoding="utf-8").replace("is also murky.", "is murky."), encoding="utf-8")
    hook.on_pre_build(config)
    assert [line for line in logged(caplog) if line.startswith("seeds/")] == first
