"""The edition as CSV tables with a Frictionless Data package that describes them.

Each table is a frozen dataclass whose fields are its columns: the field's metadata gives
the column's Table Schema type and description, so the CSV header, the values and
``datapackage.json`` come from one definition and cannot drift apart. Rows are made per
document (``table_rows``), written as CSV lines per document (``table_text``) and joined for the whole
edition (``table_pages``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from ..annotators.insertions import KINDS
from ..model import Document, Event, EventKind, FlagCode, FlagPlace, InsertionKind
from .citations import CitationRecord
from . import escape
from .edition import GeneratedPage, simple_page
from .generated import joined_page
from .frontmatter import PUBLISHER

DATA_DIR = "data"
DATAPACKAGE = f"{DATA_DIR}/datapackage.json"
DATA_PAGE = f"{DATA_DIR}/index.md"


def _col(kind: str, description: str, *, required: bool = False, enum: Iterable[str] = ()) -> Any:
    return field(metadata={"type": kind, "description": description, "required": required, "enum": tuple(enum)})


_ID = "The document's id: its page is documents/ID/ (documents.csv, column id)."
_SEQ = "Position in the document, from 1."
_LINE = "Line of the source file where it stands."
_EDITOR = "true when the editor's corrections file set or changed it."


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRow:
    id: str = _col("string", "The document's id; its page is documents/ID/ on the site.", required=True)
    title: str = _col("string", "Title, as the source gives it or as the edition derived it.", required=True)
    date: dt.date | None = _col("date", "Date of the document (ISO 8601); empty when undated.")
    date_original: str | None = _col("string", "The date as the source writes it.")
    doc_type: str | None = _col("string", "Type of document: Ciphered telegram, Cable, Letter, ...")
    telegram_number: str | None = _col("string", "Number of the telegram, as written (600308/sh).")
    outgoing_number: str | None = _col("string", "Outgoing number, as written.")
    origin: str | None = _col("string", "Place the telegram was sent from.")
    destination: str | None = _col("string", "Place it was sent to.")
    sender: str | None = _col("string", "Sender named in the header.")
    recipients: str | None = _col("string", "Recipients named in the header, separated by '; '.")
    archive: str | None = _col("string", "Repositories holding the original, separated by ', '.")
    archival_reference: str | None = _col("string", "Archival references (fond, opis, delo, papka, listy), by '; '.")
    original_language: str | None = _col("string", "Language of the original.")
    transmission_events: int = _col("integer", "Number of rows in transmission-events.csv for the document.")
    transit_minutes: int | None = _col("integer", "Minutes from the first sending to the first receipt, when both "
                                       "are dated to the minute.")
    stated_copies: int | None = _col("integer", "Number of copies the distribution list states.")
    listed_copies: int | None = _col("integer", "Sum of the copies the distribution entries list.")
    distribution_entries: int = _col("integer", "Number of rows in distribution.csv for the document.")
    insertions: int = _col("integer", "Number of rows in insertions.csv for the document.")
    flags: int = _col("integer", "Number of rows in flags.csv for the document.")
    page_url: str = _col("string", "Permanent address of the document's page in the edition.", required=True)
    source_url: str | None = _col("string", "Address of the document at the archive, as the source gives it.")
    source_file: str = _col("string", "Source file the edition was read from.", required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRow:
    document_id: str = _col("string", _ID, required=True)
    sequence: int = _col("integer", _SEQ, required=True)
    kind: str = _col("string", "Step of the transmission.", required=True, enum=(k.value for k in EventKind))
    date: dt.date | None = _col("date", "Date of the step, resolved against the document's own dates.")
    time: dt.time | None = _col("time", "Time of the step, when the source states it.")
    minutes_since_sent: int | None = _col("integer", "Time in transit: minutes since the document's first dated "
                                          "sending, when both are dated to the minute.")
    by: str | None = _col("string", "Person who performed the step.")
    place: str | None = _col("string", "Place of the step.")
    means: str | None = _col("string", "Means of transmission, when stated.")
    original: str = _col("string", "The source's wording of the step.", required=True)
    source_line: int = _col("integer", _LINE, required=True)
    by_editor: bool = _col("boolean", _EDITOR, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class DistributionRow:
    document_id: str = _col("string", _ID, required=True)
    sequence: int = _col("integer", _SEQ, required=True)
    recipient: str = _col("string", "Recipient of copies, as the list names them.", required=True)
    copies: int | None = _col("integer", "Number of copies sent to the recipient.")
    copy_numbers: str | None = _col("string", "Numbers of the copies, separated by ', '.")
    source_line: int = _col("integer", _LINE, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class InsertionRow:
    document_id: str = _col("string", _ID, required=True)
    sequence: int = _col("integer", _SEQ, required=True)
    kind: str = _col("string", "Kind of editorial insertion (see the Editorial method page).", required=True,
                     enum=(k.value for k in InsertionKind))
    tei: str = _col("string", "How the kind is encoded in the TEI export, as the Editorial method page gives it.",
                    required=True)
    text: str = _col("string", "Text inside the brackets.", required=True)
    raw: str = _col("string", "The bracket exactly as the source writes it.", required=True)
    anchor: str | None = _col("string", "The words of the text the insertion explains, when it explains some.")
    resp: str | None = _col("string", "Initials of the editor or translator responsible, when given.")
    date: dt.date | None = _col("date", "Date the insertion carries (a stamp's date), when it has one.")
    source_line: int = _col("integer", _LINE, required=True)
    by_editor: bool = _col("boolean", _EDITOR, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagRow:
    document_id: str = _col("string", _ID, required=True)
    sequence: int = _col("integer", _SEQ, required=True)
    code: str = _col("string", "Kind of anomaly the edition flags.", required=True, enum=(c.value for c in FlagCode))
    place: str = _col("string", "Part of the document the flag concerns.", required=True,
                      enum=(p.value for p in FlagPlace))
    message: str = _col("string", "What the edition found.", required=True)
    correction: str | None = _col("string", "The reading the edition proposes, when it proposes one.")
    source_line: int = _col("integer", _LINE, required=True)
    by_editor: bool = _col("boolean", _EDITOR, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class TableRows:
    """One document's rows in every table."""

    document: DocumentRow
    events: tuple[EventRow, ...]
    distribution: tuple[DistributionRow, ...]
    insertions: tuple[InsertionRow, ...]
    flags: tuple[FlagRow, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    name: str
    row: type
    title: str
    description: str

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


TABLES = (
    Table(name="documents", row=DocumentRow, title="Documents",
          description="One row per document: its record, archival reference, counts of the rows it has in the other "
                      "tables, and the time it took from sending to receipt."),
    Table(name="transmission-events", row=EventRow, title="Transmission events",
          description="One row per step of each document's transmission record (sent, received, deciphered, typed, "
                      "...), with its date and time and the time in transit since sending."),
    Table(name="distribution", row=DistributionRow, title="Distribution entries",
          description="One row per recipient of each document's distribution list, with the copies sent."),
    Table(name="insertions", row=InsertionRow, title="Editorial insertions",
          description="One row per bracketed insertion of the translators and editors, with its kind and its TEI "
                      "element."),
    Table(name="flags", row=FlagRow, title="Editorial flags",
          description="One row per anomaly the edition flags: inconsistent years, out-of-order events, copy counts "
                      "that do not add up, repeated words, [sic]."),
)


def _minutes(later: dt.datetime | None, earlier: dt.datetime | None) -> int | None:
    if later is None or earlier is None or later < earlier:
        return None
    return int((later - earlier).total_seconds() // 60)


def _events(document: Document) -> tuple[EventRow, ...]:
    sent = next((e.datetime for e in document.transmission if e.kind is EventKind.SENT and e.datetime), None)
    return tuple(EventRow(
        document_id=document.id, sequence=n, kind=e.kind.value, date=_event_date(e),
        time=e.datetime.time() if e.datetime else None, minutes_since_sent=_minutes(e.datetime, sent),
        by=e.by, place=e.place, means=e.means, original=e.original, source_line=e.pos.line, by_editor=e.by_editor,
    ) for n, e in enumerate(document.transmission, start=1))


def _event_date(event: Event) -> dt.date | None:
    return event.datetime.date() if event.datetime else event.date_only


def table_rows(document: Document, record: CitationRecord) -> TableRows:
    """The rows of one document in every table (per-document stage)."""
    events = _events(document)
    dist = document.distribution
    distribution = tuple(DistributionRow(
        document_id=document.id, sequence=n, recipient=e.recipient, copies=e.copies,
        copy_numbers=", ".join(str(c) for c in e.copy_numbers) or None, source_line=e.pos.line,
    ) for n, e in enumerate(dist.entries if dist else (), start=1))
    insertions = tuple(InsertionRow(
        document_id=document.id, sequence=n, kind=i.kind.value, tei=KINDS[i.kind].tei, text=i.text, raw=i.raw,
        anchor=i.anchor or None, resp=i.resp, date=i.date, source_line=i.pos.line, by_editor=i.by_editor,
    ) for n, i in enumerate(document.insertions, start=1))
    flags = tuple(FlagRow(
        document_id=document.id, sequence=n, code=f.code.value, place=f.place.value, message=f.message,
        correction=f.correction, source_line=f.pos.line, by_editor=f.by_editor,
    ) for n, f in enumerate(document.flags, start=1))
    sent = next((e for e in document.transmission if e.kind is EventKind.SENT and e.datetime), None)
    received = next((e for e in document.transmission if e.kind is EventKind.RECEIVED and e.datetime), None)
    row = DocumentRow(
        id=document.id, title=record.title, date=document.date, date_original=document.date_original,
        doc_type=document.doc_type, telegram_number=document.telegram_number,
        outgoing_number=document.outgoing_number, origin=document.origin, destination=document.destination,
        sender=record.sender, recipients="; ".join(record.recipients) or None, archive=record.archive,
        archival_reference=record.reference, original_language=document.original_language,
        transmission_events=len(events),
        transit_minutes=_minutes(received.datetime if received else None, sent.datetime if sent else None),
        stated_copies=dist.stated_copies if dist else None, listed_copies=dist.listed_copies if dist else None,
        distribution_entries=len(distribution), insertions=len(insertions), flags=len(flags),
        page_url=record.page_url, source_url=record.source_url, source_file=document.source,
    )
    return TableRows(document=row, events=events, distribution=distribution, insertions=insertions, flags=flags)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv(table: Table, rows: Iterable[object], header: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as Table Schema's CSV dialect expects
    names = [f.name for f in fields(table.row)]
    if header:
        writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in names])
    return out.getvalue()


def _by_table(rows: TableRows) -> dict[str, Sequence[object]]:
    return {"documents": (rows.document,), "transmission-events": rows.events, "distribution": rows.distribution,
            "insertions": rows.insertions, "flags": rows.flags}


def table_text(rows: TableRows) -> tuple[str, ...]:
    """One document's CSV lines in each table, in the order of ``TABLES``, without the headers (per-document
    stage: the edition stage then only joins them)."""
    by_table = _by_table(rows)
    return tuple(_csv(t, by_table[t.name], header=False) for t in TABLES)


def _schema(table: Table) -> dict[str, Any]:
    columns = []
    for f in fields(table.row):
        column: dict[str, Any] = {"name": f.name, "type": f.metadata["type"], "description": f.metadata["description"]}
        constraints: dict[str, Any] = {}
        if f.metadata["required"]:
            constraints["required"] = True
        if f.metadata["enum"]:
            constraints["enum"] = list(f.metadata["enum"])
        if constraints:
            column["constraints"] = constraints
        columns.append(column)
    schema: dict[str, Any] = {"fields": columns, "missingValues": [""]}
    if table.row is DocumentRow:
        schema["primaryKey"] = ["id"]
    else:
        schema["primaryKey"] = ["document_id", "sequence"]
        schema["foreignKeys"] = [{"fields": ["document_id"], "reference": {"resource": "documents", "fields": ["id"]}}]
    return schema


def datapackage(tables: Sequence[Table] = TABLES) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "cold-war-telegrams",
        "title": PUBLISHER,
        "description": "The documents of the edition as tables: one row per document, per transmission event, per "
                       "distribution entry, per editorial insertion and per editorial flag. Tables refer to "
                       "documents.csv by document_id.",
        "resources": [{
            "name": table.name, "path": table.path, "title": table.title, "description": table.description,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": _schema(table),
        } for table in tables],
    }


def table_pages(texts: Sequence[tuple[bytes, ...]], keys: Sequence[str] = ()) -> list[GeneratedPage]:
    """Every CSV table of the edition and its ``datapackage.json`` (edition stage), from each document's
    ``table_text`` in UTF-8, in the order given (with what each document's texts were made from, ``keys``, where
    known)."""
    keys = keys or [""] * len(texts)
    pages: list[GeneratedPage] = []
    for n, t in enumerate(TABLES):
        rows = [(text[n], key) for text, key in zip(texts, keys) if text[n]]
        pages.append(joined_page(f"{DATA_DIR}/{t.path}", [r for r, _ in rows], head=_csv(t, ()).encode("utf-8"),
                                 keys=[k for _, k in rows]))
    text = json.dumps(datapackage(), ensure_ascii=False, indent=1) + "\n"
    return [*pages, GeneratedPage(path=DATAPACKAGE, content=text), data_page()]


def data_page() -> GeneratedPage:
    """The page that says what each download holds, column by column (from the same definitions)."""
    parts = [
        "Everything the edition publishes can be taken away. Each document's page has a *Cite this document* "
        "box with Chicago, MLA and APA citations and its own BibTeX, RIS and CSL-JSON files. For the whole "
        "edition:\n",
        "| File | What it holds |\n|---|---|",
        "| [citations.bib](citations.bib), [citations.ris](citations.ris), [citations.json](citations.json) | "
        "every document's citation in BibTeX, RIS and CSL-JSON, in date order |",
        "| [documents.json](documents.json) | every document as the edition read it: the inspection JSON of the "
        "README |",
        *(f"| [{t.path}]({t.path}) | {escape.md_cell(t.description)} |" for t in TABLES),
        "| [datapackage.json](datapackage.json) | the Frictionless Data package: a Table Schema for each CSV "
        "table, with column types, required columns, allowed values and keys to documents.csv |",
        "\nThe CSV tables are UTF-8 with a header row; an empty cell is a missing value. "
        "`frictionless validate datapackage.json` checks them, and Frictionless, pandas or R load them "
        "with their types. A file of more than a megabyte is also published gzip-compressed, as the same "
        "name with `.gz` added. Values are as the sources give them: import the tables into a spreadsheet "
        "as text, since a cell may begin with `=`.\n",
    ]
    for table in TABLES:
        parts.append(f"## {escape.md(table.title)}\n\n[{table.path}]({table.path}): "
                     f"{escape.md(table.description)}\n")
        parts.append("| Column | Type | Meaning |\n|---|---|---|")
        for f in fields(table.row):
            required = " Always given." if f.metadata["required"] else ""
            parts.append(f"| `{f.name}` | {f.metadata['type']} | {escape.md_cell(f.metadata['description'])}"
                         f"{required} |")
        parts.append("")
    return simple_page(DATA_PAGE, "Data and citations", "\n".join(parts),
                       "The edition's citations and data tables, and what each column holds.")
