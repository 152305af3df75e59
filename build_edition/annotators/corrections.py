"""The editor's corrections: a YAML file beside a source, applied last, never written.

``seeds/NAME.yml`` may set any record field, reclassify or annotate insertions,
correct transmission events, mark a ``[sic]`` with its correction, and add notes::

    title: Cable No. 600308/sh, Shtykov to Gromyko
    date: 1950-09-29
    sender: Shtykov
    recipients: [Gromyko]
    transmission:
      - match: Sent by Shcherbakova      # words of the event's source wording
        kind: typed
    insertions:
      - match: "[will]"                  # the bracket as the source writes it
        kind: supplied
        note: Supplied by the translator.
    sic:
      - match: I have receive
        correction: I have received
    notes:
      - The same letter as the export of 1950-09-29, in another translation.
    mentions:                            # resolve one name to a register entry
      - match: Kovalev                   # the form as the source writes it (and optionally line:)
        entry: kovalev-ivan              # an entry id, or null: not a name at all

A correction that no longer matches anything is reported, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .. import diagnostics as diag
from ..yaml_lines import LINE, load_with_lines
from ..model import (
    Block, Diagnostic, Document, EditorNote, Event, EventKind, Flag, FlagCode, Inline, Insertion, InsertionKind,
    SourcePos, Text, Value,
)

TEXT_FIELDS = ("doc_type", "telegram_number", "outgoing_number", "origin", "destination", "summary", "citation",
               "url", "record_id", "original_language", "translator", "urgency")
KNOWN = {"title", "date", "sender", "recipients", "transmission", "insertions", "sic", "notes", "mentions", *TEXT_FIELDS}


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One correction entry with the sidecar line it came from."""

    values: dict[str, Any]
    pos: SourcePos


@dataclass(frozen=True, slots=True, kw_only=True)
class Corrections:
    path: str
    fields: dict[str, Item] = field(default_factory=dict)
    transmission: tuple[Item, ...] = ()
    insertions: tuple[Item, ...] = ()
    sic: tuple[Item, ...] = ()
    notes: tuple[Item, ...] = ()
    mentions: tuple[Item, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def sidecar_path(source: Path) -> Path:
    return source.with_suffix(".yml")


def load(path: Path, shown: str) -> Corrections | None:
    """Read a corrections file; a broken one yields a diagnostic and no corrections."""
    if not path.is_file():
        return None
    first = SourcePos(path=shown, line=1)
    try:
        data = load_with_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        return Corrections(path=shown, diagnostics=(diag.make("sidecar-invalid", replace(first, line=line), reason=str(exc).splitlines()[0]),))
    if data is None:
        return Corrections(path=shown)
    if not isinstance(data, dict):
        return Corrections(path=shown, diagnostics=(diag.make("sidecar-invalid", first, reason="it is not a mapping of fields"),))
    return _parse(data, shown)


def _parse(data: dict[str, Any], shown: str) -> Corrections:
    found: list[Diagnostic] = []
    top = SourcePos(path=shown, line=int(data.pop(LINE, 1)))
    scalars: dict[str, Item] = {}
    lists: dict[str, list[Item]] = {"transmission": [], "insertions": [], "sic": [], "notes": [], "mentions": []}
    for key, value in data.items():
        if key not in KNOWN:
            found.append(diag.make("sidecar-unknown-key", top, key=key))
        elif key in lists:
            for entry in value if isinstance(value, list) else [value]:
                entry = entry if isinstance(entry, dict) else {"text": entry}
                line = int(entry.pop(LINE, top.line))
                lists[key].append(Item(values=entry, pos=SourcePos(path=shown, line=line)))
        else:
            scalars[key] = Item(values={"value": value}, pos=top)
    return Corrections(path=shown, fields=scalars, diagnostics=tuple(found),
                       **{k: tuple(v) for k, v in lists.items()})


def apply_corrections(document: Document, corrections: Corrections | None) -> Document:
    """The document with the editor's corrections applied and marked as the editor's."""
    if corrections is None:
        return document
    found = list(document.diagnostics) + list(corrections.diagnostics)
    document = _fields(document, corrections, found)
    document = _events(document, corrections, found)
    document = _insertions(document, corrections, found)
    document = _sic(document, corrections, found)
    notes = tuple(EditorNote(text=str(i.values.get("text", "")), pos=i.pos) for i in corrections.notes)
    settled = {"missing-title", "missing-date", "missing-metadata"} if {"title", "date"} <= set(document.edited_fields) else set()
    return replace(document, editor_notes=notes, diagnostics=tuple(d for d in found if d.code not in settled))


def _fields(document: Document, corrections: Corrections, found: list[Diagnostic]) -> Document:
    changes: dict[str, Any] = {}
    edited = list(document.edited_fields)
    for key, item in corrections.fields.items():
        value = item.values["value"]
        if isinstance(value, dict) or (isinstance(value, list) and key != "recipients"):
            found.append(diag.make("sidecar-bad-value", item.pos, key=key, reason="expected a single value"))
            continue
        if key == "title":
            changes["title"] = Value(value=str(value), pos=item.pos, by_editor=True)
        elif key == "sender":
            changes["sender"] = Value(value=str(value), pos=item.pos, by_editor=True)
        elif key == "date":
            date = _date(value)
            if date is None:
                found.append(diag.make("sidecar-bad-value", item.pos, key=key, reason=f"{value!r} is not a date (YYYY-MM-DD)"))
                continue
            changes.update(date=date, date_derived=False)
        elif key == "recipients":
            names = value if isinstance(value, list) else [value]
            changes["recipients"] = tuple(str(v) for v in names if not isinstance(v, (dict, list)))
        elif key in TEXT_FIELDS:
            changes[key] = None if value is None else str(value)
        else:
            continue
        edited.append(key)
    return replace(document, edited_fields=tuple(dict.fromkeys(edited)), **changes)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _events(document: Document, corrections: Corrections, found: list[Diagnostic]) -> Document:
    events = list(document.transmission)
    for item in corrections.transmission:
        index = _find_event(events, item)
        if index is None:
            found.append(diag.make("sidecar-stale", item.pos, what=f"transmission {item.values.get('match', '')!r}"))
            continue
        events[index] = _corrected_event(events[index], item, found)
    return replace(document, transmission=tuple(events))


def _find_event(events: list[Event], item: Item) -> int | None:
    match, line = item.values.get("match"), item.values.get("line")
    for n, event in enumerate(events):
        if (match and str(match) in event.original) or (line and event.pos.line == line):
            return n
    return None


def _changes(item: Item, kinds: type[EventKind] | type[InsertionKind], keys: tuple[str, ...],
             found: list[Diagnostic]) -> dict[str, Any]:
    """The fields an entry sets, its ``kind`` checked against the vocabulary."""
    changes: dict[str, Any] = {"by_editor": True}
    if "kind" in item.values:
        try:
            changes["kind"] = kinds(str(item.values["kind"]))
        except ValueError:
            allowed = ", ".join(k.value for k in kinds)
            found.append(diag.make("sidecar-bad-value", item.pos, key="kind",
                                   reason=f"unknown kind {item.values['kind']!r} (one of: {allowed})"))
    for key in keys:
        value = item.values.get(key)
        if isinstance(value, (dict, list)):
            found.append(diag.make("sidecar-bad-value", item.pos, key=key, reason="expected a single value"))
        elif value is not None:
            changes[key] = str(value)
    return changes


def _corrected_event(event: Event, item: Item, found: list[Diagnostic]) -> Event:
    changes = _changes(item, EventKind, ("by", "place", "means"), found)
    if "datetime" in item.values:
        try:
            changes["datetime"] = dt.datetime.fromisoformat(str(item.values["datetime"]))
            changes["date_problem"] = None
        except ValueError:
            found.append(diag.make("sidecar-bad-value", item.pos, key="datetime", reason="use YYYY-MM-DDTHH:MM"))
    return replace(event, **changes)


def _insertions(document: Document, corrections: Corrections, found: list[Diagnostic]) -> Document:
    pending = list(corrections.insertions)
    used: set[int] = set()

    def fix(inline: Inline) -> Inline:
        if not isinstance(inline, Insertion):
            return inline
        for n, item in enumerate(pending):
            if _matches(inline, item):
                used.add(n)
                inline = _corrected_insertion(inline, item, found)
        return replace(inline, children=tuple(fix(c) for c in inline.children)) if inline.children else inline

    document = _map_inlines(document, fix)
    for n, item in enumerate(pending):
        if n not in used:
            found.append(diag.make("sidecar-stale", item.pos, what=f"insertion {item.values.get('match', '')!r}"))
    return document


def _matches(inline: Insertion, item: Item) -> bool:
    match, line = item.values.get("match"), item.values.get("line")
    return (not match or str(match) in (inline.raw, inline.text)) and (not line or inline.pos.line == line) and bool(match or line)


def _corrected_insertion(inline: Insertion, item: Item, found: list[Diagnostic]) -> Insertion:
    return replace(inline, **_changes(item, InsertionKind, ("resp", "note"), found))


def _sic(document: Document, corrections: Corrections, found: list[Diagnostic]) -> Document:
    for item in corrections.sic:
        match = str(item.values.get("match", ""))
        hit = [False]

        def mark(block: Block, match: str = match, item: Item = item, hit: list[bool] = hit) -> Block:
            if hit[0] or not match:
                return block
            inlines: list[Inline] = []
            for inline in block.inlines:
                if not hit[0] and isinstance(inline, Text) and match in inline.text:
                    hit[0] = True
                    before, after = inline.text.split(match, 1)
                    flag = Flag(code=FlagCode.SIC, pos=block.pos, by_editor=True,
                                message=str(item.values.get("note") or "So in the source."),
                                correction=str(item.values["correction"]) if item.values.get("correction") else None)
                    inlines.extend([Text(text=before + match), flag, Text(text=after)])
                else:
                    inlines.append(inline)
            return replace(block, inlines=tuple(i for i in inlines if not (isinstance(i, Text) and not i.text)))

        document = _map_blocks(document, mark)
        if not hit[0]:
            found.append(diag.make("sidecar-stale", item.pos, what=f"sic {match!r}"))
    return document


def _map_blocks(document: Document, change) -> Document:  # noqa: ANN001 - Block -> Block
    sections = tuple(replace(s, blocks=tuple(change(b) for b in s.blocks)) for s in document.text)
    return replace(document, text=sections)


def _map_inlines(document: Document, change) -> Document:  # noqa: ANN001 - Inline -> Inline
    return _map_blocks(document, lambda b: replace(b, inlines=tuple(change(i) for i in b.inlines)))

