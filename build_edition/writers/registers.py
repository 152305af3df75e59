"""Register pages: one per entry, A–Z overviews, correspondence, who saw what, the map.

Written from compact per-document records (:class:`DocumentMentions`, made by
:func:`mentions_of` in the per-document stage), never from whole documents, so the
edition stage holds only names, roles and lines. Every page is bounded: an entry's
documents are split into pages of ``PAGE_SIZE``, overviews by letter when large, the
correspondence table shows the top pairs (all pairs go to CSV and JSON).
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Document, Mention, MentionRole, MentionStatus
from ..registers.entries import Entry, RegisterKind, Registers
from ..registers.uses import DocumentNames, FormUse, names_of
from . import escape, svg
from .edition import GeneratedPage, simple_page
from .generated import PageGroup, inline_listing, list_key, listing, rendered
from .names import ROLE_LABELS, alias_of
from .page import long_date
from .register_exports import correspondence_exports, register_exports
from .urls import REGISTERS_DIR, document_path, register_index_path, register_path, relative

PAGE_SIZE = 200
LETTER_SPLIT = 400
TOP_PAIRS = 100
PICTURE_PAIRS = 14
FORM_EXAMPLES = 3
TITLES = {RegisterKind.PERSON: "Persons", RegisterKind.ORGANIZATION: "Organizations and offices",
          RegisterKind.PLACE: "Places"}
CORRESPONDENCE = f"{REGISTERS_DIR}/correspondence.md"
COPIES = f"{REGISTERS_DIR}/who-saw-what.md"
MAP = f"{REGISTERS_DIR}/map.md"
UNREGISTERED = "reports/unregistered-names.md"
_WRITERS = (MentionRole.SENDER, MentionRole.SIGNATORY)
_ROLE_ORDER = {role: n for n, role in enumerate(MentionRole)}
_ROLES = {role.value: role for role in MentionRole}


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentMentions:
    """What the edition stage needs of one document for the registers."""

    id: str
    title: str
    date: dt.date | None
    source: str
    names: DocumentNames
    key: str = ""
    """What the record was made from (its source's cache key, its number and its id: ``stages._token``), when the
    build knows it: the register pages of an entry are rendered again only when a key of one of its documents
    changed."""


def mentions_of(document: Document) -> DocumentMentions:
    """The per-document record: id, title, date and what the document's mentions give the registers."""
    return DocumentMentions(id=document.id, title=document.title_text, date=document.date, source=document.source,
                            names=names_of(document.mentions))


@dataclass(slots=True)
class _Uses:
    """One entry's documents with their roles, the forms each names it by, and the copies of them it received."""

    documents: dict[str, frozenset[MentionRole]] = field(default_factory=dict)
    forms: list[tuple[str, tuple[FormUse, ...]]] = field(default_factory=list)
    """Each document's forms of the entry, by the document's id (counted only when the entry's page is rendered)."""
    copies: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Forms:
    """The source forms an entry was named by: how often, the first few documents of each, how each is shown."""

    times: Counter[str] = field(default_factory=Counter)
    documents: dict[str, list[str]] = field(default_factory=dict)
    alias: dict[str, str] = field(default_factory=dict)


def _collect(records: Sequence[DocumentMentions]) -> dict[str, _Uses]:
    """Each entry's documents, roles and copies over all documents (the loop of the edition stage that sees every
    use of every entry: 300,000 at 10,000 documents, so written for speed; the forms are counted only for the
    entries whose page is rendered, :func:`_forms_of`). Each entry's documents and copies are in the order of
    ``records`` (the chronology: the pages list them so)."""
    uses: dict[str, _Uses] = {}
    role_sets: dict[tuple[str, ...], frozenset[MentionRole]] = {}
    for record in records:
        rid = record.id
        for entry_id, entry_roles, forms, copies in record.names.uses:
            use = uses.get(entry_id)
            if use is None:
                use = uses[entry_id] = _Uses()
            roles = role_sets.get(entry_roles)
            if roles is None:
                roles = role_sets[entry_roles] = frozenset(_ROLES[r] for r in entry_roles)
            use.documents[rid] = roles
            use.forms.append((rid, forms))
            if copies:
                use.copies[rid] = copies
    return uses


def _forms_of(use: _Uses) -> _Forms:
    """The forms of an entry over its documents, in their order."""
    found = _Forms()
    times, examples_of, alias = found.times, found.documents, found.alias
    for rid, forms in use.forms:
        for form, n, kind, short in forms:
            times[form] += n
            examples = examples_of.get(form)
            if examples is None:  # the form's first use
                examples_of[form] = [rid]
                alias[form] = alias_of(form, kind, short)
            elif len(examples) < FORM_EXAMPLES:
                examples.append(rid)
    return found


def register_pages(records: Sequence[DocumentMentions], registers: Registers) -> list[GeneratedPage]:
    """Every register page and export, in a fixed order."""
    return rendered(register_page_groups(records, registers))


def register_page_groups(records: Sequence[DocumentMentions], registers: Registers) -> list[GeneratedPage | PageGroup]:
    """Every register page and export, in a fixed order; each entry's pages as a group keyed by the entry and
    its documents' keys, so a build renders only the entries whose documents changed."""
    ordered = sorted(records, key=lambda r: (r.date is None, r.date or dt.date.min, r.id))
    by_id = {r.id: r for r in ordered}
    tokens = {r.id: r.key for r in ordered}
    uses = _collect(ordered)
    pages: list[GeneratedPage | PageGroup] = [_home(registers, uses)]
    for kind in RegisterKind:
        entries = registers.of(kind)
        pages += _overview(kind, entries, uses)
        for entry in entries:
            if entry.id in uses:
                pages += _entry_groups(entry, uses[entry.id], by_id, tokens)
    pairs = correspondence(ordered)
    pages.append(_correspondence_page(pairs, registers))
    pages += _copies_pages(registers, uses, by_id)
    pages.append(_map_page(registers, uses))
    pages.append(PageGroup(name=UNREGISTERED, key=list_key("unregistered", [r.key for r in ordered if r.names.unresolved]),
                           render=lambda: [_unregistered_page(ordered)]))
    counts = {ident: len(use.documents) for ident, use in uses.items()}
    return pages + register_exports(registers, counts) + correspondence_exports(pairs, registers)


def _entry_groups(entry: Entry, use: _Uses, by_id: dict[str, DocumentMentions], token: dict[str, str]) -> list[PageGroup]:
    """An entry's pages, each as a group: the first (the entry, the forms, the counts) keyed by every document
    of the entry, each later one by the entry, the number of documents and its own documents (``token``: what
    each document's record was made from, "" where unknown)."""
    ids = list(use.documents)  # in chronological order, as _collect met them
    tokens = list(map(token.__getitem__, ids))
    chunks = _chunks(ids)
    paths = [register_path(entry.register.value, entry.id, n + 1) for n in range(len(chunks))]
    shown = repr(entry)
    groups = [PageGroup(name=paths[0], key=list_key(shown, tokens),
                        render=lambda: [_entry_page(entry, use, by_id, ids, paths, 0)])]
    for n in range(1, len(chunks)):
        key = list_key(f"{shown}\0page {n + 1} of {len(chunks)}, {len(ids)} documents",
                       tokens[n * PAGE_SIZE:(n + 1) * PAGE_SIZE])
        groups.append(PageGroup(name=paths[n], key=key,
                                render=lambda n=n: [_entry_page(entry, use, by_id, ids, paths, n)]))  # type: ignore[misc]
    return groups


# --- links ---------------------------------------------------------------------------

def html_href(from_page: str, to_page: str) -> str:
    """A link for raw HTML (the SVG pictures): MkDocs serves ``a/b.md`` at ``a/b/``."""
    def url(path: str) -> str:
        stem = path[: -len(".md")]
        return stem[: -len("index")] if stem.endswith("index") else stem + "/"
    here, there = url(from_page), url(to_page)
    rel = posixpath.relpath(there or ".", here.rstrip("/") or ".")
    return "./" if rel == "." else rel + "/"


def _doc_link(page: str, record: DocumentMentions) -> str:
    return f"[{escape.md(record.title)}]({relative(page, document_path(record.id))})"


def _entry_link(page: str, entry: Entry) -> str:
    return f"[{escape.md(entry.name)}]({relative(page, register_path(entry.register.value, entry.id))})"


def _date(record: DocumentMentions) -> str:
    if record.date is None:
        return "undated"
    return f'<time datetime="{record.date.isoformat()}">{long_date(record.date)}</time>'


def _pager(paths: list[str], current: int) -> str:
    if len(paths) < 2:
        return ""
    here = paths[current]
    cells = [str(n + 1) if n == current else f"[{n + 1}]({relative(here, p)})" for n, p in enumerate(paths)]
    return "Pages: " + " · ".join(cells) + "\n"


def _chunks(items: list[str], size: int = PAGE_SIZE) -> list[list[str]]:
    return [items[n:n + size] for n in range(0, len(items), size)] or [[]]


# --- overviews -----------------------------------------------------------------------

def _home(registers: Registers, uses: dict[str, _Uses]) -> GeneratedPage:
    path = f"{REGISTERS_DIR}/index.md"
    lines = []
    for kind in RegisterKind:
        entries = registers.of(kind)
        named = sum(1 for e in entries if e.id in uses)
        lines.append(f"- [{TITLES[kind]}]({relative(path, register_index_path(kind.value))}): {len(entries)} entries, "
                     f"{named} named in this edition")
    lines += [f"- [Correspondence]({relative(path, CORRESPONDENCE)}): who wrote to whom",
              f"- [Who saw what]({relative(path, COPIES)}): copies of the distribution lists",
              f"- [Map of places]({relative(path, MAP)})",
              f"- [Unregistered names]({relative(path, UNREGISTERED)}): names the registers lack, with entries to paste"]
    body = ("Every person, office and place the documents name is resolved to one entry of a register, whatever "
            "form the source uses (a variant spelling, a romanization, initials, a pseudonym or a title). The "
            "registers are published for machines as [TEI](../tei/registers.tei.xml) (`listPerson`, `listOrg`, "
            "`listPlace`) and [JSON](../data/registers.json).\n\n" + "\n".join(lines))
    return simple_page(path, "Registers", body)


def _letter(entry: Entry) -> str:
    first = next((c for c in entry.name.upper() if c.isalnum()), "#")
    return first if "A" <= first <= "Z" else "other"


def _overview(kind: RegisterKind, entries: list[Entry], uses: dict[str, _Uses]) -> list[GeneratedPage]:
    """A–Z with counts; split into a page per letter when the register is large."""
    path = register_index_path(kind.value)
    letters: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        letters[_letter(entry)].append(entry)
    if len(entries) <= LETTER_SPLIT:
        return [simple_page(path, TITLES[kind], _intro(kind, entries, uses) + _letters(path, letters, uses))]
    pages, index = [], []
    for letter, group in letters.items():
        page = register_index_path(kind.value, letter.lower())
        index.append(f"[{letter}]({relative(path, page)}) ({len(group)})")
        pages.append(simple_page(page, f"{TITLES[kind]}: {letter}", _letters(page, {letter: group}, uses)))
    return [simple_page(path, TITLES[kind], _intro(kind, entries, uses) + " · ".join(index) + "\n"), *pages]


def _intro(kind: RegisterKind, entries: list[Entry], uses: dict[str, _Uses]) -> str:
    named = sum(1 for e in entries if e.id in uses)
    return (f"{len(entries)} entries, {named} of them named in this edition; the number after each is how many "
            "documents name it. Entries no document names yet are listed without a page.\n\n")


def _letters(path: str, letters: dict[str, list[Entry]], uses: dict[str, _Uses]) -> str:
    out = []
    for letter, group in letters.items():
        out.append(f"## {letter if letter != 'other' else 'Other'}\n")
        for entry in group:
            desc = f": {escape.md(entry.description)}" if entry.description else ""
            if entry.id in uses:
                out.append(f"- {_entry_link(path, entry)} ({len(uses[entry.id].documents)}){desc}")
            else:
                out.append(f"- {escape.md(entry.name)} (0){desc}")
        out.append("")
    return "\n".join(out)


# --- one entry -----------------------------------------------------------------------

def _entry_page(entry: Entry, use: _Uses, by_id: dict[str, DocumentMentions], ids: list[str], paths: list[str],
                n: int) -> GeneratedPage:
    """Page ``n`` (from 0) of an entry's pages; ``ids`` are its documents in the order of the register (by date)."""
    chunk = ids[n * PAGE_SIZE:(n + 1) * PAGE_SIZE]
    head = _entry_head(entry, use, paths[0], by_id) if n == 0 else f"Documents {n * PAGE_SIZE + 1}–{n * PAGE_SIZE + len(chunk)} of {len(ids)}.\n"
    rows = ["| Date | Document | Roles |", "|---|---|---|"]
    for ident in chunk:
        roles = ", ".join(ROLE_LABELS[r] for r in sorted(use.documents[ident], key=_ROLE_ORDER.__getitem__))
        rows.append(f"| {_date(by_id[ident])} | {_doc_link(paths[n], by_id[ident])} | {roles} |")
    table = listing("\n".join(rows)) + "\n"
    body = (head + f"\n## Documents\n\n{_pager(paths, n)}\n" + table + "\n" + _pager(paths, n))
    title = entry.name if n == 0 else f"{entry.name} (page {n + 1})"
    return simple_page(paths[n], title, body, entry.description or None)


def _entry_head(entry: Entry, use: _Uses, path: str, by_id: dict[str, DocumentMentions]) -> str:
    kind = {RegisterKind.PERSON: "Person", RegisterKind.ORGANIZATION: "Organization or office",
            RegisterKind.PLACE: "Place"}[entry.register]
    facts = [kind] + ([escape.md(entry.dates)] if entry.dates else [])
    parts = [f'<p class="edition-register-kind">{" · ".join(facts)}</p>\n']
    if entry.description:
        parts.append(escape.md_block(entry.description) + "\n")
    ids = _identifiers(entry)
    if ids:
        parts.append(ids)
    parts.append(_forms_table(entry, use, path, by_id))
    counts = Counter(r for roles in use.documents.values() for r in roles)
    rows = [f"| {ROLE_LABELS[r]} | {counts[r]} |" for r in MentionRole if counts[r]]
    parts.append(f"## Documents by role\n\n{len(use.documents)} documents.\n\n| Role | Documents |\n|---|---|\n"
                 + "\n".join(rows) + "\n")
    parts.append(_chart(entry, use, by_id))
    if use.copies:
        parts.append(f"Copies of {len(use.copies)} documents received: see [who saw what]({relative(path, _copies_path(entry.id))}).\n")
    return "\n".join(parts)


def _identifiers(entry: Entry) -> str:
    items = []
    if entry.wikidata:
        items.append(f'Wikidata <a href="https://www.wikidata.org/wiki/{escape.attr(entry.wikidata)}">{escape.html(entry.wikidata)}</a>')
    if entry.geonames:
        items.append(f'GeoNames <a href="https://www.geonames.org/{escape.attr(entry.geonames)}">{escape.html(entry.geonames)}</a>')
    if entry.lat is not None and entry.lon is not None:
        items.append(f"coordinates {entry.lat:.2f}, {entry.lon:.2f}")
    return ("Identifiers: " + " · ".join(items) + "\n") if items else ""


def _forms_table(entry: Entry, use: _Uses, path: str, by_id: dict[str, DocumentMentions]) -> str:
    lines = ["## Names and forms\n", "Forms in the register:\n", "| Form | Kind | In use | Note |", "|---|---|---|---|"]
    for form in entry.all_forms:
        lines.append(f"| {escape.md_cell(form.text)} | {form.kind.value} | {escape.md_cell(form.period)} | "
                     f"{escape.md_cell(form.note or '')} |")
    lines += ["", "Forms the documents use, where they occur:\n", "| As written | Times | Documents |", "|---|---|---|"]
    forms = _forms_of(use)
    for written, times in sorted(forms.times.items(), key=lambda kv: (-kv[1], kv[0])):
        docs = ", ".join(_doc_link(path, by_id[i]) for i in forms.documents[written])
        more = len(forms.documents[written])
        lines.append(f"| {escape.md_cell(forms.alias[written])} | {times} | "
                     f"{inline_listing(docs + (' …' if times > more else ''))} |")
    return "\n".join(lines) + "\n"


def _chart(entry: Entry, use: _Uses, by_id: dict[str, DocumentMentions]) -> str:
    dates = [by_id[i].date for i in use.documents if by_id[i].date]
    if not dates:
        return ""
    first, last = min(dates), max(dates)  # type: ignore[type-var]
    months = (last.year - first.year) * 12 + last.month - first.month + 1  # type: ignore[union-attr]
    if months <= 60:
        keys = [(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1) for n in range(months)]  # type: ignore[union-attr]
        counts = Counter((d.year, d.month) for d in dates if d)
        bars = [svg.Bar(label=dt.date(y, m, 1).strftime("%b %Y"), value=counts[(y, m)]) for y, m in keys]
        unit = "month"
    else:
        years = Counter(d.year for d in dates if d)
        bars = [svg.Bar(label=str(y), value=years[y]) for y in range(first.year, last.year + 1)]  # type: ignore[union-attr]
        unit = "year"
    chart = svg.bar_chart(f"chart-{entry.id}", bars, f"Documents naming {entry.short} per {unit}")
    return f"## Documents per {unit}\n\n<div class=\"edition-figure\">{chart}</div>\n"


# --- correspondence ------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Pair:
    """Who wrote to whom: the number of documents, the first and last date."""

    source: str
    target: str
    documents: int
    first: dt.date | None
    last: dt.date | None


def correspondence(records: Iterable[DocumentMentions]) -> list[Pair]:
    """Pairs of writer and addressee, most documents first.

    A covering telegram's sender and signatories write to its recipients (to the names of
    its address lines when the header names none); an enclosed letter's signatories to the
    letter's addressees. Places do not correspond.
    """
    found: dict[tuple[str, str], list[dt.date | None]] = defaultdict(list)
    for record in records:
        for pair in record.names.pairs:
            found[pair].append(record.date)
    pairs = []
    for (source, target), dates in found.items():
        known = sorted(d for d in dates if d)
        pairs.append(Pair(source=source, target=target, documents=len(dates), first=known[0] if known else None,
                          last=known[-1] if known else None))
    return sorted(pairs, key=lambda p: (-p.documents, p.source, p.target))


def _correspondence_page(pairs: list[Pair], registers: Registers) -> GeneratedPage:
    path = CORRESPONDENCE
    entries = registers.entries

    def name(ident: str) -> str:
        return entries[ident].short if ident in entries else ident

    flows = [svg.Flow(source=name(p.source), target=name(p.target), value=p.documents,
                      source_href=html_href(path, register_path(entries[p.source].register.value, p.source)),
                      target_href=html_href(path, register_path(entries[p.target].register.value, p.target)))
             for p in pairs[:PICTURE_PAIRS] if p.source in entries and p.target in entries]
    picture = svg.flow_diagram("correspondence", flows, "Who wrote to whom: the most frequent pairs")
    rows = ["| From | To | Documents | First | Last |", "|---|---|---|---|---|"]
    for p in pairs[:TOP_PAIRS]:
        if p.source in entries and p.target in entries:
            rows.append(f"| {_entry_link(path, entries[p.source])} | {_entry_link(path, entries[p.target])} | {p.documents} | "
                        f"{p.first.isoformat() if p.first else '—'} | {p.last.isoformat() if p.last else '—'} |")
    body = (f"{len(pairs)} pairs of writer and addressee. A covering telegram's sender and signatories write to its "
            "recipients (or, when the header names none, to the names of its address lines); an enclosed letter's "
            "signatories to the letter's addressees. "
            f"The table shows the {min(TOP_PAIRS, len(pairs))} most frequent pairs; every pair is in "
            "[CSV](../data/correspondence.csv) and [JSON](../data/correspondence.json).\n\n"
            + (f'<div class="edition-figure">{picture}</div>\n\n' if picture else "") + "\n".join(rows))
    return simple_page(path, "Correspondence", body)


# --- who saw what ---------------------------------------------------------------------

def _copies_path(entry_id: str, page: int = 1) -> str:
    return f"{REGISTERS_DIR}/copies/{entry_id}{f'--{page}' if page > 1 else ''}.md"


def _copies_pages(registers: Registers, uses: dict[str, _Uses], by_id: dict[str, DocumentMentions]
                  ) -> list[GeneratedPage | PageGroup]:
    """Who saw what, and each reader's pages as a group keyed by the reader and its documents."""
    readers = [(registers.entries[i], u) for i, u in uses.items() if u.copies and i in registers.entries]
    readers.sort(key=lambda eu: (-len(eu[1].copies), eu[0].name))
    rows = ["| Person or office | Documents | Copies |", "|---|---|---|"]
    groups: list[GeneratedPage | PageGroup] = []
    for entry, use in readers:
        rows.append(f"| {_entry_link(COPIES, entry)} | [{len(use.copies)}]({relative(COPIES, _copies_path(entry.id))}) | "
                    f"{sum(use.copies.values())} |")
        ids = list(use.copies)  # in chronological order, as _collect met them
        groups.append(PageGroup(name=_copies_path(entry.id), key=list_key(f"copies\0{entry!r}", [by_id[i].key for i in ids]),
                                render=functools.partial(_reader_pages, entry, ids, by_id)))
    body = ("Who saw what: each person or office the distribution lists name, with the number of documents of which "
            "they received copies. Each document's page links its distribution entries to the registers.\n\n" + "\n".join(rows))
    return [simple_page(COPIES, "Who saw what", body), *groups]


def _reader_pages(entry: Entry, ids: list[str], by_id: dict[str, DocumentMentions]) -> list[GeneratedPage]:
    """The documents of which ``entry`` received copies, ``ids`` in chronological order."""
    chunks = _chunks(ids)
    paths = [_copies_path(entry.id, n + 1) for n in range(len(chunks))]
    pages = []
    for n, chunk in enumerate(chunks):
        lines = [f"Telegrams of which {escape.md(entry.short)} received a copy, by the distribution lists "
                 f"({len(ids)} documents). Back to [{escape.md(entry.name)}]({relative(paths[n], register_path(entry.register.value, entry.id))}).\n",
                 _pager(paths, n)]
        rows = ["| Date | Document |", "|---|---|"] + [f"| {_date(by_id[i])} | {_doc_link(paths[n], by_id[i])} |"
                                                       for i in chunk]
        lines.append(listing("\n".join(rows)))
        pages.append(simple_page(paths[n], f"Copies received: {entry.name}" + (f" (page {n + 1})" if n else ""), "\n".join(lines)))
    return pages


# --- map -----------------------------------------------------------------------------

KOREA = (124.0, 33.0, 131.5, 43.5)


def _map_page(registers: Registers, uses: dict[str, _Uses]) -> GeneratedPage:
    path = MAP
    places = [e for e in registers.of(RegisterKind.PLACE) if e.id in uses and e.lat is not None and e.lon is not None]
    points = [svg.Point(label=e.name, lat=e.lat or 0.0, lon=e.lon or 0.0, value=len(uses[e.id].documents),
                        href=html_href(path, register_path(e.register.value, e.id))) for e in places]
    korea = [p for p in points if KOREA[0] <= p.lon <= KOREA[2] and KOREA[1] <= p.lat <= KOREA[3]]
    figures = [svg.map_svg("map-all", points, "Places named in the edition"),
               svg.map_svg("map-korea", korea, "Places in Korea", KOREA) if len(korea) > 1 else ""]
    rows = ["| Place | Latitude | Longitude | Documents |", "|---|---|---|---|"]
    rows += [f"| {_entry_link(path, e)} | {e.lat:.2f} | {e.lon:.2f} | {len(uses[e.id].documents)} |" for e in places]
    body = ("Each place with coordinates in the register, as a dot on a plain grid of longitude and latitude (no map "
            "tiles: the picture is drawn from the coordinates alone); the larger the dot, the more documents name "
            "it. Each dot links to the place's page.\n\n"
            + "".join(f'<div class="edition-figure">{f}</div>\n\n' for f in figures if f) + "\n".join(rows))
    return simple_page(path, "Map of places", body)


# --- unregistered names ---------------------------------------------------------------

MAX_UNREGISTERED = 150
"""The most frequent unregistered names shown (a heading and a paste-ready entry each: about 1.4 KB of HTML);
at 500 the page passed 300 KB. The build diagnostics (`unregistered-name`) list every one."""


def _unregistered_page(records: Sequence[DocumentMentions]) -> GeneratedPage:
    from ..registers.resolver import name_key
    from .register_exports import paste_entry

    groups: dict[tuple[str, str], list[tuple[DocumentMentions, Mention]]] = defaultdict(list)
    for record in records:
        for m in record.names.unresolved:
            groups[(m.register, name_key(m.form))].append((record, m))
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0][1].form.casefold()))
    lines = [f"{len(groups)} names match no register entry or more than one. For each, where it occurs and an entry "
             "to paste into `seeds/registers/persons.yml`, `organizations.yml` or `places.yml` (check the id and "
             "write the description); an ambiguous name is settled in the document's corrections file "
             "(`mentions:`).\n"]
    for group in ordered[:MAX_UNREGISTERED]:
        record, m = group[0]
        where = ", ".join(f"<code>{escape.md(f'{r.source}:{x.pos.line}')}</code> ({ROLE_LABELS[x.role]})" for r, x in group[:5])
        more = f" and {len(group) - 5} more" if len(group) > 5 else ""
        lines.append(f"### {escape.md(m.form)}\n\n{where}{more}\n")
        if m.status is MentionStatus.AMBIGUOUS:
            lines.append(f"Ambiguous: could be {', '.join(escape.md(c) for c in m.candidates)}.\n")
        else:
            lines.append(f"Entry to paste: <code>{escape.md(paste_entry(m))}</code>\n")
    if len(ordered) > MAX_UNREGISTERED:
        lines.append(f"… and {len(ordered) - MAX_UNREGISTERED} more names, not shown (the build's diagnostics list them all).")
    if not groups:
        lines = ["Every name in the header fields, transmission records, distribution lists and signatures matches one register entry."]
    return simple_page(UNREGISTERED, "Unregistered names", "\n".join(lines), searched=False)
