"""Paths and small helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed(name_part: str) -> Path:
    """The one seed whose file name contains ``name_part``."""
    found = [p for p in SEEDS.glob("*.txt") if name_part in p.name]
    assert len(found) == 1, found
    return found[0]
