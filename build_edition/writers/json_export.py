"""The inspection interface: documents and diagnostics as JSON with snake_case keys.

The keys are a stable contract documented in the README; add keys, never rename.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Diagnostic, Document, Event, Flag, Insertion, Mention, MentionStatus


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    return {"path": d.pos.path, "line": d.pos.line, "severity": d.severity.value, "code": d.code, "message": d.message}


def _event(e: Event) -> dict[str, Any]:
    return {"kind": e.kind.value, "by": e.by, "place": e.place, "datetime": e.iso, "original": e.original,
            "means": e.means, "line": e.pos.line, "by_editor": e.by_editor}


def _insertion(i: Insertion) -> dict[str, Any]:
    return {"kind": i.kind.value, "text": i.text, "resp": i.resp, "line": i.pos.line, "raw": i.raw,
            "anchor": i.anchor or None, "by_editor": i.by_editor,
            "date": i.date.isoformat() if i.date else None}


def _flag(f: Flag) -> dict[str, Any]:
    return {"code": f.code.value, "place": f.place.value, "line": f.pos.line, "message": f.message,
            "correction": f.correction, "by_editor": f.by_editor}


def _mention(m: Mention) -> dict[str, Any]:
    return {"id": m.entry_id, "name": m.name, "role": m.role.value, "form": m.form, "line": m.pos.line,
            "form_kind": m.form_kind, "by_editor": m.by_editor}


def _names(doc: Document, register: str) -> list[dict[str, Any]]:
    """Resolved mentions of one register: ``{id, name, role, form, line}`` and two more keys."""
    return [_mention(m) for m in doc.mentions if m.register == register and m.entry_id]


def _unresolved(doc: Document) -> list[dict[str, Any]]:
    return [{"form": m.form, "role": m.role.value, "line": m.pos.line, "status": m.status.value,
             "register": m.register, "candidates": list(m.candidates)}
            for m in doc.mentions if m.status is not MentionStatus.RESOLVED]


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


TEXT_WORDS = 12  # words of the text's start and end that inspect shows


def _words(doc: Document) -> list[str]:
    return " ".join(block.plain for block in doc.blocks).split()


def document_json(doc: Document) -> dict[str, Any]:
    dist = doc.distribution
    words = _words(doc)
    return {
        "id": doc.id,
        "source": doc.source,
        "shape": doc.shape,
        "title": doc.title.value if doc.title else None,
        "date": _iso(doc.date),
        "date_original": doc.date_original,
        "doc_type": doc.doc_type,
        "telegram_number": doc.telegram_number,
        "outgoing_number": doc.outgoing_number,
        "origin": doc.origin,
        "destination": doc.destination,
        "sender": doc.sender.value if doc.sender else None,
        "recipients": list(doc.recipients),
        "urgency": doc.urgency,
        "transmission": [_event(e) for e in doc.transmission],
        "distribution": {
            "stated_copies": dist.stated_copies,
            "listed_copies": dist.listed_copies,
            "entries": [{"recipient": e.recipient, "copies": e.copies, "copy_numbers": list(e.copy_numbers)}
                        for e in dist.entries],
        } if dist else None,
        "citation": doc.citation,
        "archival_references": [
            {"repository": r.repository, "fond": r.fond, "opis": r.opis, "delo": r.delo, "papka": r.papka,
             "folios": r.folios, "file": r.file} for r in doc.archival_references
        ],
        "url": doc.url,
        "record_id": doc.record_id,
        "original_language": doc.original_language,
        "translator": doc.translator,
        "summary": doc.summary,
        "rights": "\n\n".join(doc.rights) or None,
        "signatures": [{"name": s.name, "original": s.original, "section": s.section.value, "line": s.pos.line}
                       for s in doc.signatures],
        "insertions": [_insertion(i) for i in doc.insertions],
        "flags": [_flag(f) for f in doc.flags],
        "edited_fields": list(doc.edited_fields),
        "editor_notes": [n.text for n in doc.editor_notes],
        "variants": [{"id": v.other_id, "score": round(v.score, 3), "reasons": list(v.reasons)} for v in doc.variants],
        "classification": doc.classification,
        "file_number": doc.file_number,
        "date_time": doc.date_time.isoformat(timespec="minutes") if doc.date_time else None,
        "archival_wording": doc.archival_wording,
        "source_notes": [{"label": n.label, "kind": n.kind, "by": n.by, "text": n.text, "line": n.pos.line}
                         for n in doc.source_notes],
        "text_start": " ".join(words[:TEXT_WORDS]),
        "text_end": " ".join(words[-TEXT_WORDS:]),
        "persons": _names(doc, "persons"),
        "organizations": _names(doc, "organizations"),
        "places": _names(doc, "places"),
        "unresolved_names": _unresolved(doc),
        "diagnostics": [diagnostic_json(d) for d in doc.diagnostics],
    }
