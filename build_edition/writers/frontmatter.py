"""YAML front matter of document pages, written with ``yaml.safe_dump`` only.

The ``citation_meta`` list feeds ``overrides/main.html``, which writes the
Highwire ``citation_*`` and Dublin Core ``DC.*`` tags Zotero reads. The
``edition_search`` entry feeds ``overrides/partials/edition-search-data.html``,
which writes the page's Pagefind filters, sort keys and result metadata.
"""

from __future__ import annotations

import io

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..model import Document
from ..search_index import front_matter_entry, search_record
from . import escape

_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PUBLISHER = "Cold War Telegrams: a digital edition"


def dump(data: dict[str, object]) -> str:
    """A front matter block; the safe dumper quotes whatever would break YAML.

    The C emitter of libyaml when present; the nodes it writes are built here, as PyYAML's safe
    representer builds them for these types (its generic walk took most of a page's front matter
    time), and by that representer for data these cannot hold.
    """
    try:
        node = _node(data, set())
    except _Unusual:
        text = yaml.dump(data, Dumper=_SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=10_000,
                         default_flow_style=False)
    else:
        stream = io.StringIO()
        dumper = _SAFE_DUMPER(stream, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
        try:
            dumper.open()
            dumper.serialize(node)
            dumper.close()
        finally:
            dumper.dispose()
        text = stream.getvalue()
    return f"---\n{text}---\n"


class _Unusual(Exception):
    """A value the safe representer writes otherwise (a float, a list or mapping met twice, which it
    anchors): the whole block is left to it."""


_TAG = "tag:yaml.org,2002:"


def _node(value: object, seen: set[int]) -> Node:
    """The node PyYAML's SafeRepresenter makes of ``value`` with ``default_flow_style=False``, no sorting."""
    kind = type(value)
    if kind is str:
        return ScalarNode(_TAG + "str", value)
    if kind is dict or kind is list:
        if id(value) in seen:
            raise _Unusual
        seen.add(id(value))
        if kind is dict:
            pairs = [(_node(k, seen), _node(v, seen)) for k, v in value.items()]  # type: ignore[attr-defined]
            return MappingNode(_TAG + "map", pairs, flow_style=False)
        return SequenceNode(_TAG + "seq", [_node(item, seen) for item in value], flow_style=False)  # type: ignore[attr-defined]
    if kind is bool:
        return ScalarNode(_TAG + "bool", "true" if value else "false")
    if kind is int:
        return ScalarNode(_TAG + "int", str(value))
    if value is None:
        return ScalarNode(_TAG + "null", "null")
    raise _Unusual


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
