"""Front matter of the generated pages: YAML, written as JSON (YAML's flow style), one key a line.

The ``citation_meta`` list feeds ``overrides/main.html``, which writes the
Highwire ``citation_*`` and Dublin Core ``DC.*`` tags Zotero reads. The
``edition_search`` entry feeds ``overrides/partials/edition-search-data.html``,
which writes the page's Pagefind filters, sort keys and result metadata.

Every YAML reader (MkDocs' own, GitHub's) reads the same data from the block: JSON in which the
characters YAML would read otherwise are escaped is YAML. MkDocs' hook
``front_matter_hook.py`` reads it as JSON instead (0.02 ms a document page against 0.85 ms
with libyaml), and writing it takes 0.03 ms against 0.56 ms.
"""

from __future__ import annotations

import json
import re

import yaml

from ..model import Document
from ..search_index import front_matter_entry, search_record
from . import escape

_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PUBLISHER = "Cold War Telegrams: a digital edition"
YAML_APART = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
"""What JSON leaves as it is in a string and YAML does not read so: DEL and the C1 controls, which YAML does not
allow in a stream; NEL and the line and paragraph separators, which it reads as line breaks; the byte order mark,
the two non-characters and lone surrogates. Each is written as a ``\\uXXXX`` escape, which both read alike."""


def dump(data: dict[str, object]) -> str:
    """A front matter block: JSON of ``data``, one top-level key a line, where it holds only text, whole numbers,
    booleans, nulls, lists and mappings with text keys, none of them twice (which JSON and YAML read alike); else
    YAML from the safe dumper, which quotes whatever would break it."""
    if not json_alike(data, set()):
        text = yaml.dump(data, Dumper=_SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000,
                         default_flow_style=False)
        return f"---\n{text}---\n"
    lines = ",\n ".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                         for k, v in data.items())
    text = YAML_APART.sub(lambda m: f"\\u{ord(m[0]):04x}", "{" + lines + "}")
    return f"---\n{text}\n---\n"


def json_alike(value: object, seen: set[int]) -> bool:
    """Does ``value`` read back the same from JSON as from YAML? Not a float (YAML 1.1 reads ``1e+20`` as text),
    a key that is not text, nor a list or mapping met twice (YAML would anchor it)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return True
    if kind is dict or kind is list:
        if id(value) in seen:
            return False
        seen.add(id(value))
        if kind is dict:
            return all(type(k) is str and json_alike(v, seen) for k, v in value.items())  # type: ignore[attr-defined]
        return all(json_alike(item, seen) for item in value)  # type: ignore[attr-defined]
    return False


def front_matter(document: Document) -> str:
    data: dict[str, object] = {
        "title": escape.html(document.title_text),
        "description": escape.html(_one_line(document.summary or document.title_text)),
        "edition_id": document.id,
        "date": document.date.isoformat() if document.date else None,
        "doc_type": escape.html(document.doc_type) if document.doc_type else None,
        "citation_meta": [{"name": n, "content": c} for n, c in citation_meta(document)],
        "schema_org": schema_org(document),
        "edition_search": front_matter_entry(search_record(document)),
    }
    return dump({k: v for k, v in data.items() if v not in (None, [], "")})


def _one_line(text: str) -> str:
    return " ".join(text.split())


def schema_org(document: Document) -> dict[str, object]:
    """The schema.org description (JSON-LD) of the page head; the template adds the page's address."""
    from .jsonld import schema_org_description  # imported here: that module needs PUBLISHER from this one

    return schema_org_description(document)


def citation_meta(document: Document) -> list[tuple[str, str]]:
    """(name, content) pairs for the page head, in Highwire then Dublin Core order."""
    meta: list[tuple[str, str]] = [("citation_title", document.title_text)]
    if document.sender:
        meta.append(("citation_author", document.sender.value))
    if document.date:
        meta.append(("citation_date", document.date.strftime("%Y/%m/%d")))
    meta.append(("citation_publisher", PUBLISHER))
    if document.archival_references:
        meta.append(("citation_archive_location", "; ".join(r.original for r in document.archival_references)))
        meta.append(("citation_archive", ", ".join(dict.fromkeys(r.repository for r in document.archival_references))))
    if document.url:
        meta.append(("citation_public_url", document.url))
    if document.original_language:
        meta.append(("citation_language", document.original_language))
    meta.append(("DC.title", document.title_text))
    meta.append(("DC.type", document.doc_type or "Text"))
    if document.sender:
        meta.append(("DC.creator", document.sender.value))
    if document.date:
        meta.append(("DC.date", document.date.isoformat()))
    meta.append(("DC.publisher", PUBLISHER))
    if document.citation or document.url:
        meta.append(("DC.source", document.citation or document.url or ""))
    if document.rights:
        meta.append(("DC.rights", document.rights[0]))
    if document.original_language:
        meta.append(("DC.language", document.original_language))
    if document.summary:
        meta.append(("DC.description", document.summary))
    identifier = document.record_id or document.id
    meta.append(("DC.identifier", identifier))
    return [(n, _one_line(c)) for n, c in meta if c]
