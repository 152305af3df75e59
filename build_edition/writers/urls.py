"""Where each generated page lives under ``docs/``; one place for every link."""

from __future__ import annotations

DOCUMENTS_DIR = "documents"


def document_path(doc_id: str) -> str:
    """Path of a document's page, relative to ``docs/``."""
    return f"{DOCUMENTS_DIR}/{doc_id}.md"


def year_path(year: int | None) -> str:
    return f"chronology/{year if year is not None else 'undated'}.md"


def month_path(year: int, month: int) -> str:
    return f"chronology/{year}-{month:02d}.md"


def variant_path(first: str, second: str) -> str:
    return f"variants/{first}--{second}.md"


def relative(from_page: str, to_page: str) -> str:
    """A relative link between two pages under ``docs/`` (MkDocs resolves .md links)."""
    depth = from_page.count("/")
    return "../" * depth + to_page


REGISTERS_DIR = "registers"


def register_path(register: str, entry_id: str, page: int = 1) -> str:
    """Path of a register entry's page (``registers/persons/stalin.md``); later pages ``--2``."""
    suffix = f"--{page}" if page > 1 else ""
    return f"{REGISTERS_DIR}/{register}/{entry_id}{suffix}.md"


def register_index_path(register: str, letter: str | None = None) -> str:
    """The A–Z overview of a register, or one letter of it when the register is large."""
    return f"{REGISTERS_DIR}/{register}/index.md" if letter is None else f"{REGISTERS_DIR}/{register}/letter-{letter}.md"
