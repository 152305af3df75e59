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
