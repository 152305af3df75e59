"""The registers for machines: TEI (listPerson, listOrg, listPlace), JSON, and the
correspondence pairs as CSV and JSON; and the ready-to-paste entry of an unmatched name.

ElementTree, ``json`` and ``csv`` do all escaping; ``yaml.safe_dump`` writes the entry.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import yaml

from ..model import Mention
from ..registers.entries import Entry, FormKind, RegisterKind, Registers
from . import escape
from .edition import GeneratedPage
from .frontmatter import PUBLISHER
from .tei import REGISTERS_FILE, TEI_NS

if TYPE_CHECKING:
    from .registers import Pair

REGISTERS_TEI = f"tei/{REGISTERS_FILE}"
REGISTERS_JSON = "data/registers.json"
_LISTS = {RegisterKind.PERSON: ("listPerson", "person", "persName"),
          RegisterKind.ORGANIZATION: ("listOrg", "org", "orgName"),
          RegisterKind.PLACE: ("listPlace", "place", "placeName")}


def _t(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _t(name), attrs)
    element.text = text
    return element


def registers_tei(registers: Registers) -> str:
    """One TEI file holding the three registers, each entry with ``@xml:id`` = its id."""
    ET.register_namespace("", TEI_NS)
    root = ET.Element(_t("TEI"))
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", "Registers of persons, organizations and offices, and places")
    _sub(_sub(file_desc, "publicationStmt"), "publisher", PUBLISHER)
    _sub(_sub(file_desc, "sourceDesc"), "p", "Compiled by the edition from the documents it publishes and the editors' "
         "knowledge; every form attested in the documents is a name of its entry.")
    body = _sub(_sub(root, "text"), "body")
    for kind, (list_name, item_name, name_name) in _LISTS.items():
        div = _sub(body, "div", type=kind.value)
        _sub(div, "head", kind.value.capitalize())
        listing = _sub(div, list_name)
        for entry in registers.of(kind):
            _entry(listing, entry, item_name, name_name)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _entry(listing: ET.Element, entry: Entry, item_name: str, name_name: str) -> None:
    item = _sub(listing, item_name, **{"xml:id": entry.id})
    for form in entry.all_forms:
        attrs = {"type": "preferred" if form.kind is FormKind.NAME else form.kind.value}
        if form.start:
            attrs["notBefore"] = form.start.isoformat()
        if form.end:
            attrs["notAfter"] = form.end.isoformat()
        _sub(item, name_name, form.text, **attrs)
    if entry.lat is not None and entry.lon is not None:
        _sub(_sub(item, "location"), "geo", f"{entry.lat} {entry.lon}")
    for kind, value in (("wikidata", entry.wikidata), ("geonames", entry.geonames)):
        if value:
            _sub(item, "idno", value, type=kind)
    if entry.description or entry.dates:
        _sub(item, "note", " ".join(x for x in (entry.dates and f"({entry.dates})", entry.description) if x))


def registers_json(registers: Registers, counts: Mapping[str, int]) -> str:
    data: dict[str, list[dict[str, Any]]] = {}
    for kind in RegisterKind:
        data[kind.value] = [{
            "id": e.id, "name": e.name, "short": e.short, "given": e.given, "dates": e.dates,
            "description": e.description, "wikidata": e.wikidata, "geonames": e.geonames, "lat": e.lat, "lon": e.lon,
            "forms": [{"form": f.text, "kind": f.kind.value, "from": f.start.isoformat() if f.start else None,
                       "to": f.end.isoformat() if f.end else None, "note": f.note} for f in e.forms],
            "documents": counts.get(e.id, 0), "by_editor": e.by_editor,
        } for e in registers.of(kind)]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def register_exports(registers: Registers, counts: Mapping[str, int]) -> list[GeneratedPage]:
    return [GeneratedPage(path=REGISTERS_TEI, content=registers_tei(registers)),
            GeneratedPage(path=REGISTERS_JSON, content=registers_json(registers, counts))]


def correspondence_exports(pairs: Sequence[Pair], registers: Registers) -> list[GeneratedPage]:
    """Every pair of writer and addressee, not only the top ones the page shows."""
    def name(ident: str) -> str:
        return registers.entries[ident].name if ident in registers.entries else ident

    rows = [{"from_id": p.source, "from": name(p.source), "to_id": p.target, "to": name(p.target),
             "documents": p.documents, "first": p.first.isoformat() if p.first else None,
             "last": p.last.isoformat() if p.last else None} for p in pairs]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["from_id", "from", "to_id", "to", "documents", "first", "last"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return [GeneratedPage(path="data/correspondence.csv", content=out.getvalue()),
            GeneratedPage(path="data/correspondence.json", content=json.dumps(rows, ensure_ascii=False, indent=1) + "\n")]


def paste_entry(mention: Mention) -> str:
    """A register entry for an unmatched name, ready to paste into the editor's register file."""
    name = " ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in mention.form.split())
    entry: dict[str, object] = {"id": escape.slug(name) if escape.slug(name)[:1].isalpha() else f"x-{escape.slug(name)}", "name": name,
             "description": "", "forms": [mention.form] if mention.form != name else []}
    if mention.register == RegisterKind.PLACE.value:
        entry |= {"lat": None, "lon": None}
    return yaml.dump([entry], Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100_000,  # libyaml's
                     default_flow_style=True).strip()  # emitter: the same text as PyYAML's, a seventh of the time
