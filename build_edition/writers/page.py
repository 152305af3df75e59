"""The annotated Markdown page of one document.

Order on the page: title, date, header card, summary, transmission record,
distribution, text with its notes, signatures, citation, archival references,
rights. Footnote numbering, anchors, CSS classes and wording live here only.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from ..annotators.insertions import KINDS
from ..model import (
    Block, BlockRole, Document, Event, Flag, FlagCode, FlagPlace, Inline, Insertion, InsertionKind, Mention,
    MentionRole, NoteRef, Section, SectionKind, Text, Value,
)
from ..pickling import fast_pickling_in
from . import escape
from .citations import DEFAULT_SITE_URL, cite_path, citation_record, format_citations
from .frontmatter import front_matter
from .names import card_names, entry_link, link_definitions, linked, names_section, text_names
from .tei import tei_path
from .urls import document_path, relative, variant_path

FLAG_LABELS: dict[FlagCode, str] = {
    FlagCode.YEAR_INCONSISTENT: "Year inconsistent with the record",
    FlagCode.AMBIGUOUS_DATE: "Ambiguous date",
    FlagCode.EVENTS_OUT_OF_ORDER: "Transmission events out of order",
    FlagCode.COPIES_MISMATCH: "Copy count does not add up",
    FlagCode.REPEATED_WORD: "Repeated word",
    FlagCode.PARAGRAPH_JOINED: "Paragraph joined",
    FlagCode.SIC: "Sic",
}
FLAG_MARKS: dict[FlagCode, str] = {FlagCode.PARAGRAPH_JOINED: "[¶]", FlagCode.REPEATED_WORD: "[sic]", FlagCode.SIC: "[sic]"}
FOOTNOTES_HERE = "///Footnotes Go Here///"
_EDITED = ' <span class="edition-by-editor">(editor\'s correction)</span>'


@dataclass(slots=True)
class _Notes:
    """Footnotes in order of reference; numbering is the page's, not the model's."""

    items: list[str] = field(default_factory=list)
    flag_ids: dict[int, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    names: dict[int, dict[str, Mention]] = field(default_factory=dict)

    def add(self, text: str) -> int:
        self.items.append(text)
        return len(self.items)


def flag_anchor(document: Document, flag: Flag) -> str:
    """The anchor of a flag on its document's page, shared with the report page.

    Found by identity: two flags may be equal (the same word repeated twice on a line).
    """
    return f"flag-{next(n for n, f in enumerate(document.flags, start=1) if f is flag)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Neighbour:
    """The document before or after this one in the chronology."""

    id: str
    title: str
    date: dt.date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChronologyLinks:
    previous: Neighbour | None = None
    next: Neighbour | None = None


def render_page(document: Document, site_url: str = DEFAULT_SITE_URL, *, chronology: ChronologyLinks | None = None) -> str:
    """The whole Markdown page, front matter included; ``site_url`` makes the cited address."""
    notes = _Notes(names=text_names(document))
    parts = [
        front_matter(document),
        f"# {escape.md(document.title_text)}\n",
        _date_line(document),
        _card(document),
        _summary(document),
        _transmission(document),
        _distribution(document),
        _text(document, notes),
        _source_notes(document),
        _signatures(document),
        names_section(document),
        _editor_notes(document),
        _citation(document, site_url),
        _references(document),
        _rights(document),
        _about(document),
        _chronology(document, chronology),
        _footnotes(notes),
        link_definitions(notes.links),
    ]
    return "\n".join(p for p in parts if p).rstrip() + "\n"


def _chronology(document: Document, links: ChronologyLinks | None) -> str:
    if links is None or not (links.previous or links.next):
        return ""
    here = document_path(document.id)

    def shown(label: str, n: Neighbour | None) -> str | None:
        if n is None:
            return None
        when = f"{long_date(n.date)}: " if n.date else ""
        return f"{label}: {when}[{escape.md(n.title)}]({relative(here, document_path(n.id))})"

    parts = [p for p in (shown("Previous", links.previous), shown("Next", links.next)) if p]
    return '<nav class="edition-sequence" aria-label="In the chronology" markdown>\n\n' + "\n\n".join(parts) + "\n\n</nav>\n"


@functools.lru_cache(maxsize=1 << 14)
def long_date(date: dt.date) -> str:
    """``29 September 1950``; made once a date (the edition pages show tens of thousands of dates, a few thousand
    distinct)."""
    return f"{date.day} {date:%B %Y}"


def _date_line(document: Document) -> str:
    if document.date is None:
        return '<p class="edition-date">Undated</p>\n'
    label = long_date(document.date)
    note = " (supplied by the edition)" if document.date_derived else ""
    if "date" in document.edited_fields:
        note = " (editor's correction)"
    return f'<p class="edition-date"><time datetime="{document.date.isoformat()}">{label}</time>{escape.html(note)}</p>\n'


def _value(value: Value | None) -> str | None:
    if value is None:
        return None
    if value.by_editor:
        return escape.md(value.value) + _EDITED
    if value.derived:
        return f'{escape.md(value.value)} <span class="edition-derived">(derived by the edition)</span>'
    return escape.md(value.value)


def _field(document: Document, *keys: str, text: str | None = None) -> str | None:
    """A record field escaped for the card, marked when the editor set it."""
    if text is None:
        values = [getattr(document, key) for key in keys]
        text = " → ".join(v or "?" for v in values) if any(values) else None
    if not text:
        return None
    mark = _EDITED if any(key in document.edited_fields for key in keys) else ""
    return escape.md(text) + mark


def _card(document: Document) -> str:
    title = document.title
    rows = [
        ("Type", _field(document, "doc_type")),
        ("Telegram number", _field(document, "telegram_number")),
        ("Outgoing number", _field(document, "outgoing_number")),
        ("From → to", _field(document, "origin", "destination")),
        ("Sender", card_names(document, _value(document.sender), document.sender.value if document.sender else None,
                          MentionRole.SENDER)),
        ("Recipients", card_names(document, _field(document, "recipients", text=", ".join(document.recipients)),
                              ", ".join(document.recipients), MentionRole.RECIPIENT)),
        ("Urgency", _field(document, "urgency")),
        ("Classification", _field(document, "classification")),
        ("File number", _field(document, "file_number")),
        ("Title", "derived by the edition: the source has none" if title and title.derived else
         "editor's correction" if title and title.by_editor else None),
    ]
    body = "\n\n".join(f"{label}\n:   {escape.guard_line_start(value)}" for label, value in rows if value)
    return f'<div class="edition-card" markdown>\n\n{body}\n\n</div>\n' if body else ""


def _summary(document: Document) -> str:
    if not document.summary:
        return ""
    return f"## Summary\n\n{escape.md_block(document.summary)}{_by_editor_note(document, 'summary')}\n"


def _by_editor_note(document: Document, key: str) -> str:
    return ' <span class="edition-by-editor">(editor\'s text)</span>' if key in document.edited_fields else ""


def _transmission(document: Document) -> str:
    if not document.transmission:
        return ""
    lines = ["## Transmission record\n", "| Step | Date and time | By | Place | Source wording |", "|---|---|---|---|---|"]
    for event in document.transmission:
        lines.append(_event_row(document, event))
    transit = transit_time(document.transmission)
    if transit:
        lines.append(f"\nTime in transit (sent to received): **{transit}**.")
    lines.append(_flag_boxes(document, FlagPlace.TRANSMISSION))
    return "\n".join(lines) + "\n"


def _event_row(document: Document, event: Event) -> str:
    when = event.iso or "—"
    if event.datetime:
        when = f"{event.datetime:%Y-%m-%d %H:%M}"
    mark = " (editor)" if event.by_editor else ""
    cells = [event.kind.value.capitalize() + mark, when, event.by or "", event.place or "", event.original]
    cells[1] = f'<time datetime="{event.iso}">{escape.html(when)}</time>' if event.iso else "—"
    shown = [c if n == 1 else escape.md_cell(c) for n, c in enumerate(cells)]
    if event.by:
        shown[2] = entry_link(document, event.by, MentionRole(event.kind.value), event.pos.line)
    if event.place:
        shown[3] = entry_link(document, event.place, MentionRole.TRANSMISSION, event.pos.line)
    return "| " + " | ".join(shown) + " |"


def transit_time(events: tuple[Event, ...]) -> str | None:
    """Hours and minutes from the first sending to the first receipt."""
    sent = next((e.datetime for e in events if e.kind.value == "sent" and e.datetime), None)
    received = next((e.datetime for e in events if e.kind.value == "received" and e.datetime), None)
    if not sent or not received or received < sent:
        return None
    minutes = int((received - sent).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _flag_boxes(document: Document, place: FlagPlace) -> str:
    boxes = []
    for flag in (f for f in document.flags if f.place is place):
        anchor = flag_anchor(document, flag)
        boxes.append(
            f'\n<div class="admonition warning edition-flag" id="{anchor}" role="note">\n'
            f'<p class="admonition-title">Editorial flag: {escape.html(FLAG_LABELS[flag.code])}</p>\n'
            f"<p>{escape.html(flag.message)} (source line {flag.pos.line})</p>\n</div>"
        )
    return "\n".join(boxes)


def _distribution(document: Document) -> str:
    dist = document.distribution
    if dist is None:
        return ""
    lines = ["## Distribution\n"]
    if dist.entries:
        lines += ["| Recipient | Copies | Copy numbers |", "|---|---|---|"]
    for entry in dist.entries:
        numbers = ", ".join(str(n) for n in entry.copy_numbers)
        copies = str(entry.copies) if entry.copies is not None else "—"
        lines.append(f"| {entry_link(document, entry.recipient, MentionRole.COPY, entry.pos.line)} | {copies} | {numbers} |")
    stated = f"{dist.stated_copies}" if dist.stated_copies is not None else "not stated"
    listed = f"{dist.listed_copies}" if dist.listed_copies is not None else "none"
    lines.append(f"\nCopies stated: **{stated}**; copies listed: **{listed}**.")
    wording = " / ".join(dist.original)
    lines.append(f"\n<p class=\"edition-wording\">Source wording: {escape.html(wording)}</p>")
    lines.append(_flag_boxes(document, FlagPlace.DISTRIBUTION))
    return "\n".join(lines) + "\n"


_SECTION_HEADINGS = {SectionKind.COVERING: "Covering telegram", SectionKind.ENCLOSURE: "Enclosed text"}


def _text(document: Document, notes: _Notes) -> str:
    if not document.text:
        return ""
    out = ["## Text\n"]
    several = len(document.text) > 1
    for n, section in enumerate(document.text):
        if several:
            cont = " (continued)" if any(s.kind is section.kind for s in document.text[:n]) else ""
            out.append(f"### {_SECTION_HEADINGS[section.kind]}{cont}\n")
        out.append(_section(document, section, notes))
    out.append("### Notes\n")
    out.append(FOOTNOTES_HERE + "\n" if notes.items else "The text has no editorial notes.\n")
    return "\n".join(out)


def _section(document: Document, section: Section, notes: _Notes) -> str:
    return "\n".join(_block(document, block, notes) for block in section.blocks)


def _block(document: Document, block: Block, notes: _Notes) -> str:
    names = notes.names.get(block.pos.line)
    body = escape.guard_line_start("".join(_inline(document, inline, notes, names) for inline in block.inlines).strip())
    if not body:
        return ""
    role = block.role.value
    if block.role in (BlockRole.ADDRESS, BlockRole.SIGNATURE, BlockRole.DATELINE, BlockRole.REFERENCE,
                      BlockRole.SALUTATION, BlockRole.ANNOTATION, BlockRole.SEPARATOR):
        return f'<p class="edition-{role}" markdown>{body}</p>\n'
    return f"{body}\n"


def _inline(document: Document, inline: Inline, notes: _Notes, names: dict[str, Mention] | None = None) -> str:
    if isinstance(inline, Text):
        return linked(document, inline.text, names, notes.links) if names else escape.md(inline.text)
    if isinstance(inline, Insertion):
        return _insertion(document, inline, notes)
    if isinstance(inline, NoteRef):
        return _note_call(inline)
    return _flag(document, inline, notes)


def _note_call(ref: NoteRef) -> str:
    """The call of a note of the published source: its own number, linked to FRUS's notes below the text."""
    return (f'<sup class="edition-source-noteref"><a href="#source-note-{escape.html(ref.target)}" '
            f'title="Note {escape.html(ref.label)} of the published source">{escape.html(ref.label)}</a></sup>')


def _source_notes(document: Document) -> str:
    """The published source's own notes (FRUS's source note and footnotes), apart from the edition's."""
    if not document.source_notes:
        return ""
    by = document.source_notes[0].by
    lines = [f"## Notes of the published source ({escape.md(by)})\n",
             f"<p class=\"edition-source-notes-intro\">These notes are {escape.html(by)}'s, as published; "
             "the edition's own notes are listed under the text.</p>\n"]
    for note in document.source_notes:
        label = "Source note" if note.kind == "source" else f"Note {note.label}"
        anchor = f' id="source-note-{escape.html(note.target)}"' if note.target else ""
        lines.append(f'<p class="edition-source-note"{anchor}><strong>{escape.html(label)}.</strong> '
                     f"{escape.html(note.text)} <span class=\"edition-tei\">(source line {note.pos.line})</span></p>\n")
    return "\n".join(lines)


def _insertion(document: Document, ins: Insertion, notes: _Notes) -> str:
    if ins.kind is InsertionKind.ARTIFACT:
        return ""
    info = KINDS[ins.kind]
    shown = "".join(_inline(document, c, notes) for c in ins.children) if ins.children else escape.md(ins.text)
    opener, closer = ("[[", "]]") if ins.raw.startswith("[[") else ("[", "]" if ins.closed else "")
    number = notes.add(_insertion_note(ins))
    kind = ins.kind.value
    return (
        f'<span class="edition-ins edition-ins-{kind}" data-kind="{kind}">'
        f'<span class="edition-sr">{escape.html(info.label)}: </span>'
        f"{escape.md(opener)}{shown}{escape.md(closer)}</span>[^{number}]"
    )


_NOTE_KINDS = (InsertionKind.NOTE, InsertionKind.STAMP, InsertionKind.HANDWRITTEN)


def _insertion_note(ins: Insertion) -> str:
    info = KINDS[ins.kind]
    who = f" by {ins.resp}" if ins.resp else ""
    parts = [f"**{escape.md(info.label)}**{escape.md(who)}."]
    detail = {
        InsertionKind.EXPANSION: f"{ins.anchor} stands for “{ins.text}”.",
        InsertionKind.GLOSS: f"“{ins.anchor}” means “{ins.text}”.",
        InsertionKind.ALTERNATE_NAME: f"{ins.anchor} is also written “{ins.text}”.",
        InsertionKind.IDENTIFICATION: f"“{ins.anchor}” refers to {ins.text}.",
        InsertionKind.NOTE: ins.note or ins.text,
        InsertionKind.STAMP: f"Stamp: {ins.note or ins.text}" + (f" (dated {long_date(ins.date)})" if ins.date else ""),
        InsertionKind.HANDWRITTEN: f"Written by hand: {ins.note or ins.text}",
        InsertionKind.PAGE_BREAK: f"Page {ins.note} of the original begins here.",
    }.get(ins.kind, info.description)
    parts.append(escape.md(detail))
    if not ins.closed:
        parts.append(escape.md("The source never closes this bracket; it is taken to end with its paragraph."))
    if ins.by_editor:
        parts.append("*Editor:* " + escape.md(ins.note) if ins.note and ins.kind not in _NOTE_KINDS else "*Corrected by the editor.*")
    parts.append(f"<span class=\"edition-tei\">TEI: <code>{escape.html(info.tei)}</code>; source line {ins.pos.line}.</span>")
    return " ".join(parts)


def _flag(document: Document, flag: Flag, notes: _Notes) -> str:
    mark = FLAG_MARKS.get(flag.code, "[!]")
    label = FLAG_LABELS[flag.code]
    text = f"**Editorial flag: {escape.md(label)}.** {escape.md(flag.message)}"
    if flag.correction:
        text += f" Read: {escape.md(flag.correction)}."
    number = notes.add(text)
    anchor = flag_anchor(document, flag)
    return (
        f'<span class="edition-flag-mark" id="{anchor}" data-flag="{flag.code.value}">'
        f'<span class="edition-sr">Editorial flag, {escape.html(label.lower())}: </span>'
        f"{escape.md(mark)}</span>[^{number}]"
    )


def _footnotes(notes: _Notes) -> str:
    return "\n".join(f"[^{n}]: {text}" for n, text in enumerate(notes.items, start=1)) + "\n" if notes.items else ""


def _signatures(document: Document) -> str:
    if not document.signatures:
        return ""
    lines = ["## Signatures\n"]
    for sig in document.signatures:
        where = "covering telegram" if sig.section is SectionKind.COVERING else "enclosed text"
        name = sig.name or "illegible"
        lines.append(f"- {escape.md(name)} ({where}; source: “{escape.md(sig.original)}”)")
    return "\n".join(lines) + "\n"


def _editor_notes(document: Document) -> str:
    if not document.editor_notes:
        return ""
    items = "\n".join(f"- {escape.md(n.text)}" for n in document.editor_notes)
    return f"## Editor's notes\n\n{items}\n"


def _citation(document: Document, site_url: str) -> str:
    lines = ["## Citation\n"]
    if document.citation:
        lines.append(escape.md_block(document.citation) + _by_editor_note(document, "citation"))
    else:
        lines.append("The source gives no citation; the edition's recommended citations follow.")
    if document.url:
        href = escape.href(document.url)
        shown = escape.md(document.url)
        link = f'<a href="{href}" rel="nofollow noopener">{shown}</a>' if href else f"{shown} (not a web address: not linked)"
        lines.append(f"\nSource URL: {link}")
    return "\n".join(lines) + "\n\n" + _cite_box(document, site_url)


def _cite_box(document: Document, site_url: str) -> str:
    """The recommended citation in each CSL style, a copy button each, and the downloads.

    citeproc's HTML escapes the record's text; the block is raw HTML (one line per element,
    no blank line), so Markdown never reads the citations. docs/assets/cite.js copies them.
    """
    rows = []
    for cited in format_citations(citation_record(document, site_url)):
        style = cited.style
        forms = [("note", "Note", cited.note), ("entry", "Bibliography" if cited.note else "Reference list", cited.entry)]
        rows.append(f'<div class="edition-cite-style" data-style="{style.key}">')
        rows.append(f'<p class="edition-cite-label">{escape.html(style.label)}</p>')
        for form, label, text in forms:
            if text is None:
                continue
            ident = f"cite-{style.key}-{form}"
            what = f"{style.label.split(' (')[0]} {label.lower() + ' entry' if form == 'entry' else 'note'}"
            if not cited.note:
                what = f"{style.label} citation"
            shown = f'<span class="edition-cite-form">{label}: </span>' if cited.note else ""
            rows.append(f'<p class="edition-cite-text">{shown}<span id="{ident}">{text}</span></p>')
            rows.append(f'<button type="button" class="edition-cite-copy" data-edition-copy="{ident}">'
                        f'Copy<span class="edition-sr"> the {escape.html(what)}</span></button>')
        rows.append("</div>")
    rows.append('<p class="edition-cite-status" role="status"></p>')
    here = document_path(document.id)
    downloads = " · ".join(
        f"[{label}]({relative(here, cite_path(document.id, ext))}){{download=\"{document.id}.{ext}\"}}"
        for ext, label in (("bib", "BibTeX (.bib)"), ("ris", "RIS (.ris)"), ("json", "CSL-JSON (.json)")))
    return ("### Cite this document\n\n<div class=\"edition-cite\">\n" + "\n".join(rows) + "\n</div>\n\n"
            f"Download this citation for a reference manager: {downloads}\n{{: .edition-cite-downloads }}\n")


def _references(document: Document) -> str:
    if not document.archival_references:
        return ""
    files = any(ref.file for ref in document.archival_references)
    head = ["Repository", "Fond", "Opis", "Delo", "Papka", "Folios"] + (["File"] if files else [])
    lines = ["## Archival references\n", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for ref in document.archival_references:
        cells = [ref.repository, ref.fond, ref.opis, ref.delo, ref.papka, ref.folios] + ([ref.file] if files else [])
        lines.append("| " + " | ".join(escape.md_cell(c or "") for c in cells) + " |")
    if document.archival_wording:
        lines.append(f"\n<p class=\"edition-wording\">Source wording: {escape.html(document.archival_wording)}</p>")
    return "\n".join(lines) + "\n"


def _rights(document: Document) -> str:
    if not document.rights:
        return ""
    return "## Rights\n\n" + "\n\n".join(escape.md_block(r) for r in document.rights) + "\n"


def _about(document: Document) -> str:
    rows = [
        ("Source file", escape.md(document.source)),
        ("Read as", escape.md(document.shape)),
        ("Record ID", escape.md(document.record_id) if document.record_id else None),
        ("Original language", escape.md(document.original_language) if document.original_language else None),
        ("Translation", escape.md(document.translation) if document.translation else None),
        ("Uploaded", escape.md(document.uploaded) if document.uploaded else None),
    ]
    rows.append(("TEI P5", f"[XML export of this document]({relative(document_path(document.id), tei_path(document.id))})"))
    body = "\n\n".join(f"{k}\n:   {escape.guard_line_start(v)}" for k, v in rows if v)
    variants = ""
    if document.variants:
        here = document_path(document.id)
        links = "\n".join(
            f"- [{escape.md(v.other_title)}]({relative(here, document_path(v.other_id))}): another translation; "
            f"[compare side by side]({relative(here, variant_path(*sorted((document.id, v.other_id))))})"
            for v in document.variants
        )
        variants = f"\n\n### Other translations\n\n{links}\n"
    return f'## About this edition page\n\n<div class="edition-about" markdown>\n\n{body}\n\n</div>{variants}\n'


fast_pickling_in(globals())
