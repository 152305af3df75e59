"""FRUS TEI: a whole FRUS volume, or one ``<div type="document">`` copied out of it.

The Office of the Historian encodes each document with its source note, a head
naming sender and recipient (``persName``/``gloss`` with ``type="from"``/``"to"``),
an opener (dateline with place and ``date/@when``; classification and handling
marks in ``seg``), the text with FRUS's footnotes (``note``), page breaks
(``pb``), links to the lists of terms and persons (``gloss/@target``,
``persName/@corresp``) and cross-references (``ref``), and a closer with the
signature. Copied fragments use the TEI namespace and the ``frus:`` prefix
without declaring them: they are read inside a wrapper that declares both.

The text is parsed with lxml (no entities resolved, no network), which keeps
every element's line, so positions point into the file as the editor sees it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from lxml import etree

from .. import diagnostics as diag
from ..model import (
    ArchivalRef, Block, BlockRole, Diagnostic, Document, Inline, Insertion, InsertionKind, NoteRef, Section,
    SectionKind, Signature, SourceNote, SourcePos, TermRef, Text, Value,
)
from ..source import Line, SourceText
from . import frus
from .envelope import Envelope
from .inline import parse_inlines

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
CENTRAL_FILES = frus.CENTRAL_FILES
_WRAP_OPEN = f'<frus-fragment xmlns="{TEI_NS}" xmlns:frus="{FRUS_NS}" xmlns:xml="http://www.w3.org/XML/1998/namespace">'
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE = re.compile(r"\s+")
_DROP = {"note", "head", "opener", "closer", "fw", "figure"}  # matter read apart from the text


def source_xml(source: SourceText) -> str:
    """The source's text with its line breaks, so parser lines are file lines."""
    by_line: dict[int, list[str]] = {}
    for line in source.lines:
        by_line.setdefault(line.no, []).append(line.text)
    last = max(by_line, default=0)
    return "\n".join(" ".join(by_line.get(n, [])) for n in range(1, last + 1))


def _opens_with_markup(source: SourceText) -> bool:
    """Whether ``source_xml`` of the source starts, after white space, with ``<`` (lines are stripped)."""
    return next((line.text for line in source.lines if line.text), "").startswith("<")


def looks_like_frus(text: str) -> bool:
    head = text[:4000]
    return head.lstrip().startswith("<") and ('type="document"' in head or FRUS_NS in head or "frus:" in head)


def parse(source: SourceText) -> tuple[etree._Element | None, Diagnostic | None]:
    """The XML tree, declared namespaces or not; a diagnostic instead when it is not well-formed."""
    text = _XML_DECL.sub("", source_xml(source))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)
    wrapped = text if re.search(r"<TEI\b[^>]*xmlns=", text[:4000]) else _WRAP_OPEN + text + "</frus-fragment>"
    try:
        return etree.fromstring(wrapped.encode("utf-8"), parser), None
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        return None, diag.make("xml-invalid", SourcePos(path=source.path, line=line), reason=exc.msg)


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def xml_id(element: etree._Element) -> str:
    return element.get("{http://www.w3.org/XML/1998/namespace}id") or ""


def flat(element: etree._Element, skip: frozenset[str] = frozenset({"note"})) -> str:
    """An element's words, whitespace folded, without its notes."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if local(child) not in skip:
            parts.append(flat(child, skip))
        parts.append(child.tail or "")
    return _SPACE.sub(" ", "".join(parts)).strip()


class FrusTeiReader:
    """FRUS's TEI: a volume file or a document fragment, one Document per document div."""

    name = "frus-tei"

    def score(self, source: SourceText) -> float:
        if not _opens_with_markup(source):
            return 0.0  # looks_like_frus would say no: spare building the text
        text = source_xml(source)
        return 0.97 if looks_like_frus(text) and 'type="document"' in text else 0.0

    def envelope(self, source: SourceText) -> Envelope:
        """The lines as they are; ``documents`` is how this shape is read."""
        return Envelope(shape=self.name, contents=source.lines)

    def documents(self, source: SourceText, doc_id: str) -> tuple[Document, ...]:
        root, problem = parse(source)
        if root is None:
            return (Document(id=doc_id, source=source.path, shape=self.name, diagnostics=(problem,) if problem else ()),)
        divs = [d for d in root.iter(f"{{{TEI_NS}}}div") if d.get("type") == "document"]
        several = len(divs) > 1
        return tuple(
            read_div(div, f"{doc_id}-{xml_id(div) or n}" if several else doc_id, source.path)
            for n, div in enumerate(divs, start=1)
        )


@dataclass(slots=True)
class _Text:
    """What reading a document's text gathers besides its blocks."""

    path: str
    notes: list[SourceNote] = field(default_factory=list)
    terms: list[TermRef] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_div(div: etree._Element, doc_id: str, path: str) -> Document:
    """One FRUS document as the edition's Document."""
    gathered = _Text(path=path)
    source_note = _child(div, "note", type="source")
    head = _child(div, "head")
    if head is not None:
        gathered.notes.extend(_note(note, path) for note in head.iter(f"{{{TEI_NS}}}note"))
    blocks = _blocks(div, gathered)
    signatures = _signatures(div, path)
    blocks += [Block(role=BlockRole.SIGNATURE, inlines=(Text(text=s.original),), pos=s.pos) for s in signatures]
    sender, recipients = _parties(head, signatures, path)
    dated = _dated(div, path)
    marks = _marks(_child(div, "opener"))
    noted = flat(source_note) if source_note is not None else None
    matched = frus.SOURCE_NOTE.match(noted) if noted else None
    file_number = matched["file"] if matched and frus.DECIMAL_FILE.match(matched["file"]) else None
    notes = [SourceNote(label="", text=noted, pos=_pos(path, source_note), kind="source")] if source_note is not None and noted else []
    return Document(
        id=doc_id,
        source=path,
        shape="frus-tei",
        title=Value(value=flat(head), pos=_pos(path, head)) if head is not None and flat(head) else None,
        date=dated.date,
        date_derived=dated.derived,
        date_original=dated.original,
        date_time=dated.when,
        date_range=dated.range,
        doc_type=frus.doc_type(matched["kind"]) if matched else None,
        telegram_number=_number(blocks),
        origin=dated.place,
        sender=sender,
        recipients=recipients,
        urgency=marks.urgency,
        classification=marks.classification,
        file_number=file_number,
        archival_references=(ArchivalRef(repository=CENTRAL_FILES, original=file_number, file=file_number),)
        if file_number else (),
        archival_wording=noted,
        text=(Section(kind=SectionKind.COVERING, blocks=tuple(blocks)),) if blocks else (),
        signatures=tuple(signatures),
        source_notes=tuple(notes + gathered.notes),
        terms=tuple(gathered.terms),
        cross_references=tuple(dict.fromkeys(gathered.refs)),
        record_id=xml_id(div) or None,
        diagnostics=tuple(gathered.diagnostics) + dated.diagnostics,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Dated:
    """When and where a FRUS document was written, as its dateline and FRUS's date range say."""

    date: dt.date | None = None
    derived: bool = False
    when: dt.datetime | None = None
    original: str | None = None
    place: str | None = None
    range: tuple[str, str] | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


def _dated(div: etree._Element, path: str) -> _Dated:
    """The dateline's date; else FRUS's date range (its day, or its start, marked as derived)."""
    pos = _pos(path, div)
    when, place, original = _dateline(_child(div, "opener"))
    found = _date_range(div)
    date = when.date() if when else _range_date(found)
    low = _when(found[0][:19]) if found and date is None else None
    if date is None and low is not None and found is not None:
        note = diag.make("date-from-range", pos, low=found[0], high=found[1])
        return _Dated(date=low.date(), derived=True, original=original, place=place, range=found, diagnostics=(note,))
    missing = diag.make("missing-date", pos, sidecar=re.sub(r"\.[^./]*$", "", path) + ".yml")
    return _Dated(date=date, when=when, original=original, place=place, range=found,
                  diagnostics=() if date else (missing,))


def _child(parent: etree._Element, name: str, **attrs: str) -> etree._Element | None:
    for child in parent:
        if local(child) == name and all(child.get(k) == v for k, v in attrs.items()):
            return child
    return None


def _pos(path: str, element: etree._Element) -> SourcePos:
    return SourcePos(path=path, line=element.sourceline or 1)


def _note(note: etree._Element, path: str) -> SourceNote:
    label = note.get("n") or ""
    return SourceNote(label=label, text=flat(note, frozenset()), pos=_pos(path, note), target=xml_id(note) or f"fn{label}")


def _parties(head: etree._Element | None, signatures: list[Signature],
             path: str) -> tuple[Value | None, tuple[str, ...]]:
    """Sender: the person the head names, else the signature, else the office; recipients as the head has them."""
    if head is None:
        return None, ()
    tagged = [(e.get("type"), flat(e)) for e in head.iter() if local(e) in ("persName", "gloss") and e.get("type")]
    person = next((text for kind, text in tagged if kind == "from" and text), None)
    office = next((text for kind, text in tagged if kind == "from"), None)
    signed = next((s.name for s in signatures if s.name), None)
    name = person if person and any(local(e) == "persName" and e.get("type") == "from" for e in head.iter()) else None
    sender = name or signed or office or frus.head_parties(flat(head))[0]
    recipients = tuple(text for kind, text in tagged if kind == "to" and text) or frus.head_parties(flat(head))[1]
    return (Value(value=sender, pos=_pos(path, head)) if sender else None), recipients


def _dateline(opener: etree._Element | None) -> tuple[dt.datetime | None, str | None, str | None]:
    if opener is None:
        return None, None, None
    dateline = next((e for e in opener.iter() if local(e) == "dateline"), None)
    if dateline is None:
        return None, None, None
    place = next((flat(e) for e in dateline.iter() if local(e) == "placeName"), None)
    date = next((e for e in dateline.iter() if local(e) == "date"), None)
    if date is None:
        return None, place, None
    return _when(date.get("when") or ""), place, flat(date) or None


def _when(value: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(value) if "T" in value else dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
    except ValueError:
        return None
    return stamp.replace(tzinfo=None)


def _marks(opener: etree._Element | None) -> frus.Marks:
    classification = urgency = None
    for seg in (e for e in (opener if opener is not None else []) if local(e) == "seg"):
        found = frus.marks(flat(seg))
        if found is not None:
            classification = classification or found.classification
            urgency = urgency or found.urgency
    return frus.Marks(classification=classification, urgency=urgency)


def _date_range(div: etree._Element) -> tuple[str, str] | None:
    low, high = div.get(f"{{{FRUS_NS}}}doc-dateTime-min"), div.get(f"{{{FRUS_NS}}}doc-dateTime-max")
    return (low, high) if low and high else None


def _range_date(found: tuple[str, str] | None) -> dt.date | None:
    """The day of FRUS's date range when the range lies within one day."""
    if found is None:
        return None
    low, high = (_when(v[:19]) for v in found)
    return low.date() if low and high and low.date() == high.date() else None


def _number(blocks: list[Block]) -> str | None:
    """``1324. Re AMC.``: the telegram's number opens its first paragraph."""
    first = next((b for b in blocks if b.role is BlockRole.PARAGRAPH), None)
    match = re.match(r"^(\d{1,5})\.\s", first.plain) if first else None
    return match[1] if match else None


def _signatures(div: etree._Element, path: str) -> list[Signature]:
    closer = _child(div, "closer")
    if closer is None:
        return []
    return [Signature(name=flat(s) or None, original=flat(s), pos=_pos(path, s))
            for s in closer.iter() if local(s) == "signed"]


# --- the text ------------------------------------------------------------------


def _blocks(div: etree._Element, gathered: _Text) -> list[Block]:
    blocks: list[Block] = []
    for child in div:
        name = local(child)
        if name in _DROP or not name:
            continue
        blocks.extend(_element_blocks(child, gathered))
    return blocks


def _element_blocks(element: etree._Element, gathered: _Text, label: str = "") -> list[Block]:
    """A paragraph, list or other block element as blocks; a list inside a paragraph splits it."""
    name = local(element)
    if name == "list":
        return _list_blocks(element, gathered)
    blocks: list[Block] = []
    pieces: list[str | Inline] = [f"{label} "] if label else []
    start = element.sourceline or 1

    def flush() -> None:
        nonlocal pieces
        block = _block(pieces, start, gathered)
        if block is not None:
            blocks.append(block)
        pieces = []

    pieces.append(element.text or "")
    for child in element:
        if local(child) in ("list", "table", "p"):
            flush()
            blocks.extend(_element_blocks(child, gathered))
            start = child.sourceline or start
        else:
            pieces.extend(_inline(child, gathered))
        pieces.append(child.tail or "")
    flush()
    return blocks


def _list_blocks(element: etree._Element, gathered: _Text) -> list[Block]:
    """``<label>1.</label><item>…</item>`` pairs: one block per item, its label first."""
    blocks: list[Block] = []
    label = ""
    for child in element:
        name = local(child)
        if name == "label":
            label = flat(child)
        elif name == "item":
            blocks.extend(_labelled(_element_blocks(child, gathered, label), label))
            label = ""
        elif name == "head":
            blocks.extend(_element_blocks(child, gathered))
    return blocks


def _labelled(blocks: list[Block], label: str) -> list[Block]:
    """An item that holds only a nested list: its label opens the list's first item (``3. (a) …``)."""
    if label and len(blocks) > 1 and blocks[0].plain.strip() == label:
        first = blocks[1]
        return [replace(first, inlines=(Text(text=f"{label} "),) + first.inlines)] + blocks[2:]
    return blocks


def _inline(element: etree._Element, gathered: _Text) -> list[str | Inline]:
    """One inline element as text and the model's inlines, its tail left to the caller."""
    name = local(element)
    pos = _pos(gathered.path, element)
    if name == "note":
        note = _note(element, gathered.path)
        gathered.notes.append(note)
        return [NoteRef(label=note.label, target=note.target)]
    if name == "pb":
        number = element.get("n") or ""
        return [Insertion(kind=InsertionKind.PAGE_BREAK, text=f"Page {number}", raw=f"[Page {number}]", pos=pos,
                          note=number, resp="FRUS")]
    words = flat(element)
    if name == "gloss" and element.get("target"):
        gathered.terms.append(TermRef(term=words, target=element.get("target", "").lstrip("#")))
    elif name == "persName" and element.get("corresp"):
        gathered.terms.append(TermRef(term=words, target=element.get("corresp", "").lstrip("#"), kind="person"))
    elif name == "ref" and element.get("target"):
        gathered.refs.append(element.get("target", ""))
    out: list[str | Inline] = [element.text or ""]
    for child in element:
        out.extend(_inline(child, gathered))
        out.append(child.tail or "")
    return out


def _block(pieces: list[str | Inline], line: int, gathered: _Text) -> Block | None:
    """Adjacent strings joined and whitespace folded; brackets in them found as in every shape."""
    inlines: list[Inline] = []
    text = ""
    for piece in pieces + [""]:
        if isinstance(piece, str):
            text += piece
            continue
        inlines.extend(_texts(text, line, gathered))
        text = ""
        inlines.append(piece)
    inlines.extend(_texts(text, line, gathered))
    inlines = _trimmed(inlines)
    if not any(isinstance(i, (Text, Insertion)) and (i.text.strip() if isinstance(i, Text) else True) for i in inlines):
        return None
    return Block(role=BlockRole.PARAGRAPH, inlines=tuple(inlines), pos=SourcePos(path=gathered.path, line=line))


def _texts(text: str, line: int, gathered: _Text) -> list[Inline]:
    folded = _SPACE.sub(" ", text)
    if not folded:
        return []
    parsed = parse_inlines([Line(text=folded, no=line)], gathered.path)
    gathered.diagnostics.extend(parsed.diagnostics)
    return list(parsed.inlines)


def _trimmed(inlines: list[Inline]) -> list[Inline]:
    """No space at the block's start or end, and none before a note call."""
    out = list(inlines)
    if out and isinstance(out[0], Text):
        out[0] = Text(text=out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(text=out[-1].text.rstrip())
    for n in range(1, len(out)):
        if isinstance(out[n], NoteRef) and isinstance(out[n - 1], Text):
            out[n - 1] = Text(text=out[n - 1].text.rstrip())  # type: ignore[union-attr]
    return [i for i in out if not (isinstance(i, Text) and not i.text)]
