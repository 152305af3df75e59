"""TEI P5 export of one document, for TEI tools and long-term keeping.

Each insertion kind becomes the element the method page names (``KINDS[...].tei``);
ElementTree does all escaping, so no source text can become markup. The output
validates against TEI P5 ``tei_all`` (tests/test_tei.py checks every export): a
``div`` takes opening parts (dateline, salute), then paragraphs, then closing parts
(dateline, salute, signed), so a signature or dateline amid the text becomes an
``ab`` typed with its role, as does any block that is not a paragraph.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..model import (
    Block, BlockRole, Document, Flag, Inline, Insertion, InsertionKind, Mention, MentionRole, NoteRef, SectionKind,
    Text,
)
from .frontmatter import PUBLISHER
from .names import name_spans

TEI_NS = "http://www.tei-c.org/ns/1.0"
K = InsertionKind


def tei_path(doc_id: str) -> str:
    """Path of a document's TEI file, relative to ``docs/``: MkDocs copies it as it is."""
    return f"tei/{doc_id}.xml"


def render_tei(document: Document) -> str:
    """The whole TEI document as a string."""
    ET.register_namespace("", TEI_NS)
    root = ET.Element(_t("TEI"), {"xml:id": f"d-{document.id}"})
    header = _header(document)
    ET.indent(header, space=" ", level=1)  # the header only: spaces in the text would change it
    root.append(header)
    text = ET.SubElement(root, _t("text"))
    body = ET.SubElement(text, _t("body"))
    names = _names_by_line(document)
    for section in document.text:
        div = ET.SubElement(body, _t("div"), {"type": "enclosure" if section.kind is SectionKind.ENCLOSURE else "telegram"})
        for block, name in _placed(section.blocks):
            _block(div, block, name, names.get(block.pos.line))
    if not len(body):
        _sub(body, "div")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + serialized(root) + "\n"


class _Unusual(Exception):
    """An element or attribute outside the TEI namespace's plain ones: ElementTree writes the tree."""


_OPEN = f"{{{TEI_NS}}}"


def serialized(root: ET.Element) -> str:
    """``ET.tostring(root, encoding="unicode")`` for a tree of TEI elements with plain attribute names
    (``xml:id`` included), written in one pass with ElementTree's own escaping: its serializer first walks
    the whole tree for namespaces, then writes each piece to a stream. Any other tree goes to ElementTree."""
    out: list[str] = []
    try:
        _write(root, out, f' xmlns="{TEI_NS}"')
    except _Unusual:
        return ET.tostring(root, encoding="unicode")
    return "".join(out)


def _write(element: ET.Element, out: list[str], xmlns: str = "") -> None:
    tag = element.tag
    if not tag.startswith(_OPEN):
        raise _Unusual
    name = tag[len(_OPEN):]
    out.append(f"<{name}{xmlns}")
    for key, value in element.items():
        if "{" in key:
            raise _Unusual
        out.append(f' {key}="{ET._escape_attrib(value)}"')  # type: ignore[attr-defined]
    if element.text or len(element):
        out.append(">")
        if element.text:
            out.append(ET._escape_cdata(element.text))  # type: ignore[attr-defined]
        for child in element:
            _write(child, out)
        out.append(f"</{name}>")
    else:
        out.append(" />")
    if element.tail:
        out.append(ET._escape_cdata(element.tail))  # type: ignore[attr-defined]


def _t(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _t(name), attrs)
    if text is not None:
        element.text = text
    return element


def _header(document: Document) -> ET.Element:
    header = ET.Element(_t("teiHeader"))
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", document.title_text)
    if document.sender:
        _sub(title_stmt, "author", document.sender.value)
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "publisher", PUBLISHER)
    _sub(publication, "idno", document.id, type="edition")
    source = _sub(file_desc, "sourceDesc")
    bibl = _sub(source, "bibl", document.citation)
    if document.date:
        _sub(bibl, "date", document.date_original or document.date.isoformat(), when=document.date.isoformat())
    if document.url:
        _sub(bibl, "ref", document.url, target=document.url)
    if document.record_id:
        _sub(bibl, "idno", document.record_id, type="record")
    for ref in document.archival_references:
        ident = _sub(_sub(source, "msDesc"), "msIdentifier")
        _sub(ident, "repository", ref.repository)
        for kind, value in (("fond", ref.fond), ("opis", ref.opis), ("delo", ref.delo), ("papka", ref.papka),
                            ("folios", ref.folios)):
            if value:
                _sub(ident, "idno", value, type=kind)
    _transmission(header, document)
    return header


def _transmission(header: ET.Element, document: Document) -> None:
    if not document.transmission:
        return
    profile = _sub(header, "profileDesc")
    correspondence = _sub(profile, "correspDesc")
    for event in document.transmission:
        action = _sub(correspondence, "correspAction", type=event.kind.value)
        if event.by:
            _name(action, document, event.by, MentionRole(event.kind.value), event.pos.line, "persName")
        if event.place:
            _name(action, document, event.place, MentionRole.TRANSMISSION, event.pos.line, "placeName")
        if event.iso:
            _sub(action, "date", event.original, when=_xsd_when(event.iso))
        else:
            _sub(action, "note", event.original)


def _xsd_when(iso: str) -> str:
    """An XML Schema date or dateTime: a time needs its seconds (``T20:35`` -> ``T20:35:00``)."""
    return iso + ":00" if "T" in iso and iso.count(":") == 1 else iso


_WRAPPERS = {BlockRole.SIGNATURE: "signed", BlockRole.DATELINE: "dateline", BlockRole.SALUTATION: "salute"}
_OPENERS = ("dateline", "salute")  # TEI's model.divTop; all three may close a div (model.divBottom)


def _placed(blocks: tuple[Block, ...]) -> list[tuple[Block, str]]:
    """Each block with its TEI element, as TEI's content model of ``div`` allows it.

    Opening parts stand only before the first paragraph and closing parts after the
    last; elsewhere (or in a section without paragraphs) a part becomes ``ab``.
    """
    names = [_WRAPPERS.get(b.role, "milestone" if b.role is BlockRole.SEPARATOR else
                           "p" if b.role is BlockRole.PARAGRAPH else "ab") for b in blocks]
    common = [n for n, name in enumerate(names) if name in ("p", "ab")]
    placed = []
    for n, (block, name) in enumerate(zip(blocks, names)):
        if name in _WRAPPERS.values():
            opening = bool(common) and all(names[k] in (*_OPENERS, "milestone") for k in range(n + 1))
            closing = bool(common) and n > common[-1]
            if not (opening or closing):
                name = "ab"
        placed.append((block, name))
    return placed


def _name(parent: ET.Element, document: Document, form: str, role: MentionRole, line: int, default: str) -> None:
    """A name of the transmission record, pointing at its register entry when resolved."""
    found = next((m for m in document.mentions if m.role is role and m.pos.line == line and m.form == form and m.entry_id), None)
    if found is None:
        _sub(parent, default, form)
    else:
        _sub(parent, _ELEMENTS[found.register], form, ref=register_ref(found.entry_id or ""))


_ELEMENTS = {"persons": "persName", "organizations": "orgName", "places": "placeName"}
_TEXT_ROLES = (MentionRole.MENTIONED, MentionRole.ADDRESSEE)


# Beside every document's tei/ID.xml; no document id has a dot, so none can take this name.
REGISTERS_FILE = "registers.tei.xml"


def register_ref(entry_id: str) -> str:
    """``@ref`` of a name: the entry in the registers' TEI file beside this one."""
    return f"{REGISTERS_FILE}#{entry_id}"


def _names_by_line(document: Document) -> dict[int, dict[str, Mention]]:
    """The names resolved in the running text, by the line of their block and their form (the last
    mention of a form on a line), in one pass over the mentions."""
    found: dict[int, dict[str, Mention]] = {}
    for m in document.mentions:
        if m.role in _TEXT_ROLES and m.entry_id:
            found.setdefault(m.pos.line, {})[m.form] = m
    return found


def _block(parent: ET.Element, block: Block, name: str, names: dict[str, Mention] | None = None) -> None:
    if name == "milestone":
        _sub(parent, "milestone", unit="section")
        return
    element = _sub(parent, name)
    if name == "ab":
        element.set("type", block.role.value)
    _inlines(element, block.inlines, names or {})


def _inlines(element: ET.Element, inlines: tuple[Inline, ...], names: dict[str, Mention] | None = None) -> None:
    for n, inline in enumerate(inlines):
        if isinstance(inline, Text):
            following = inlines[n + 1] if n + 1 < len(inlines) else None
            anchor = following.anchor if isinstance(following, Insertion) and following.kind in (K.ALTERNATE_NAME, K.EXPANSION) else ""
            _append_names(element, inline.text, names or {}, anchor)
        elif isinstance(inline, Insertion):
            _insertion(element, inline)
        elif isinstance(inline, NoteRef):  # the call of a note of the published source (FRUS)
            _sub(element, "ref", inline.label, type="source-note")
        else:
            _flag(element, inline)


def _append_names(element: ET.Element, text: str, names: dict[str, Mention], anchor: str) -> None:
    """Text with each resolved name as persName, orgName or placeName @ref; a name that a
    following bracket explains (``PAK HEON-YEONG [Pak Hon Yong]``) stays text for its <choice>."""
    if not names:
        _append_text(element, text)
        return
    last = 0
    for start, end, form in name_spans(text, tuple(names)):
        if anchor and form == anchor and not text[end:].strip():
            continue
        mention = names[form]
        _append_text(element, text[last:start])
        _sub(element, _ELEMENTS[mention.register], form, ref=register_ref(mention.entry_id or ""))
        last = end
    _append_text(element, text[last:])


def _append_text(element: ET.Element, text: str) -> None:
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _insertion(parent: ET.Element, ins: Insertion) -> None:
    """One bracket as its TEI element; the anchor words stay in the running text before it."""
    if ins.kind is K.ARTIFACT:
        return
    resp = {"resp": f"#{ins.resp}"} if ins.resp else {}
    if ins.kind in (K.GAP, K.ILLEGIBLE, K.PAGE_BREAK):
        name, attrs = {K.GAP: ("gap", {"reason": "editorial"}), K.ILLEGIBLE: ("gap", {"reason": "illegible"}),
                       K.PAGE_BREAK: ("pb", {"n": ins.note or ""})}[ins.kind]
        element = _sub(parent, name, **attrs)
        if ins.kind is K.ILLEGIBLE:
            _sub(element, "desc", ins.text)
        return
    if ins.kind in (K.ALTERNATE_NAME, K.EXPANSION) and _take_anchor(parent, ins.anchor):
        choice = _sub(parent, "choice")
        original, regular = ("orig", "reg") if ins.kind is K.ALTERNATE_NAME else ("abbr", "expan")
        _sub(choice, original, ins.anchor)
        _sub(choice, regular, ins.text)
        return
    name, attrs = {
        K.NOTE: ("note", {"type": "editorial", **resp}), K.SUPPLIED: ("supplied", {"reason": "omitted"}),
        K.COMPLETION: ("supplied", {"reason": "abbreviation"}), K.IDENTIFICATION: ("note", {"type": "identification"}),
        K.GLOSS: ("gloss", {}), K.ALTERNATE_NAME: ("reg", {}), K.EXPANSION: ("expan", {}), K.FOREIGN: ("foreign", {"xml:lang": "ru-Latn"}), K.UNCLEAR: ("unclear", {"cert": "low"}),
        K.HANDWRITTEN: ("add", {"hand": "#hand"}), K.STAMP: ("stamp", {}),
    }.get(ins.kind, ("note", {}))
    element = _sub(parent, name, **attrs)
    if ins.children:
        _inlines(element, ins.children)
    else:
        element.text = ins.text
    if ins.by_editor:
        element.set("resp", "#editor")


def _take_anchor(parent: ET.Element, anchor: str) -> bool:
    """Remove ``anchor`` from the end of the text written so far, so <choice> can hold it."""
    if not anchor:
        return False
    holder = parent[-1] if len(parent) else None
    text = (holder.tail if holder is not None else parent.text) or ""
    stripped = text.rstrip()
    if not stripped.endswith(anchor):
        return False
    rest = stripped[: len(stripped) - len(anchor)] + text[len(stripped):]
    if holder is not None:
        holder.tail = rest
    else:
        parent.text = rest
    return True


def _flag(parent: ET.Element, flag: Flag) -> None:
    if flag.code.value == "sic" and flag.correction:
        _sub(parent, "note", f"sic; read: {flag.correction}", type="sic")
        return
    _sub(parent, "note", flag.message, type=f"flag-{flag.code.value}")
