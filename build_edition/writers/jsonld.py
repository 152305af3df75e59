"""A document as schema.org JSON-LD, for search engines and embedded-metadata readers.

The page head (overrides/main.html) writes it in a ``<script type="application/ld+json">``
with Jinja's ``tojson`` (which escapes ``<``, ``>`` and ``&``) and adds ``url`` and ``@id``:
the page's canonical address, known only to MkDocs. The document is an ``ArchiveComponent``
(schema.org's type for an item held in an archive) whose ``holdingArchive`` names the
repositories and ``itemLocation`` the archival reference, as the citations do.
"""

from __future__ import annotations

from .citations import DEFAULT_SITE_URL, citation_record
from .frontmatter import PUBLISHER
from ..model import Document


def _person(name: str) -> dict[str, str]:
    return {"@type": "Person", "name": name}


def schema_org_description(document: Document) -> dict[str, object]:
    record = citation_record(document, DEFAULT_SITE_URL)  # the address itself comes from the template
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "ArchiveComponent", "name": record.title,
                               "publisher": {"@type": "Organization", "name": PUBLISHER}, "inLanguage": "en"}
    optional: dict[str, object | None] = {
        "dateCreated": record.date.isoformat() if record.date else None,
        "author": _person(record.sender) if record.sender else None,
        "recipient": [_person(r) for r in record.recipients] or None,
        "genre": record.doc_type,
        "identifier": record.number,
        "holdingArchive": [{"@type": "ArchiveOrganization", "name": r}
                           for r in dict.fromkeys(x.repository for x in document.archival_references)] or None,
        "itemLocation": record.reference,
        "isBasedOn": record.source_url,
        "abstract": record.summary,
    }
    data.update({k: v for k, v in optional.items() if v})
    return data
