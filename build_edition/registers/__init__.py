"""Registers of persons, organizations and offices, and places: data, loader, resolver.

``resolver_for(seeds)`` is the one way in: the shipped registers plus the editor's
``seeds/registers/*.yml``, loaded once while the files are unchanged.
"""

from __future__ import annotations

from pathlib import Path

from .entries import Entry, Form, FormKind, RegisterKind, Registers
from .loader import EDITOR_FOLDER, load_registers, register_files
from .resolver import Resolver, shared

__all__ = ["Entry", "Form", "FormKind", "RegisterKind", "Registers", "Resolver", "load_registers",
           "register_files", "resolver_for", "EDITOR_FOLDER"]


def resolver_for(seeds: Path | None, base: Path | None = None) -> Resolver:
    """The resolver of the shipped registers and those in ``seeds/registers/``."""
    editor = seeds / EDITOR_FOLDER if seeds is not None else None
    return shared(load_registers(editor, base))
