"""Classifying bracketed insertions, the way an editor of FRUS or a TEI encoder reads them.

The vocabulary (``KINDS``) is the edition's documented contract: each kind has
a label for readers, a TEI equivalent, and a description for the method page.
``classify`` decides a kind from the bracket's wording and its neighbour (the
anchor); the order of the tests below is the order of precedence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .. import dates
from .. import diagnostics as diag
from ..model import Block, Diagnostic, Document, Inline, Insertion, InsertionKind, Section

K = InsertionKind


@dataclass(frozen=True, slots=True, kw_only=True)
class KindInfo:
    label: str
    tei: str
    description: str
    illustration: str = ""


KINDS: dict[InsertionKind, KindInfo] = {
    K.NOTE: KindInfo(label="Editor's note", tei='<note type="editorial" resp="#…">',
                     description="A remark by the editor or translator, signed with initials where the source gives them."),
    K.SUPPLIED: KindInfo(label="Supplied words", tei='<supplied reason="omitted">',
                         description="Words the translator or editor added for sense; they are not in the original."),
    K.COMPLETION: KindInfo(label="Completed word", tei='<supplied reason="abbreviation">',
                           description="Letters supplied to complete a word the original abbreviates.", illustration="c[omrade]"),
    K.IDENTIFICATION: KindInfo(label="Identification", tei='<persName ref="#…"> with <note type="identification">',
                               description="Who or what a pseudonym, cover name or vague reference stands for."),
    K.ALTERNATE_NAME: KindInfo(label="Alternate name", tei="<choice><orig/><reg/></choice>",
                               description="Another spelling, romanization or historical form of a name."),
    K.EXPANSION: KindInfo(label="Expansion", tei="<choice><abbr/><expan/></choice>",
                          description="The full form of an abbreviation whose letters it matches."),
    K.GLOSS: KindInfo(label="Gloss", tei='<gloss target="#…">',
                      description="A translation or explanation of a term."),
    K.FOREIGN: KindInfo(label="Original wording", tei='<foreign xml:lang="ru-Latn">',
                        description="The original-language words, transliterated.", illustration="to unite [pristupit k obiednineniiu]"),
    K.UNCLEAR: KindInfo(label="Uncertain reading", tei='<unclear cert="low">',
                        description="A reading the editor is not sure of, marked with a question mark.", illustration="G[roup?]"),
    K.GAP: KindInfo(label="Omission", tei='<gap reason="editorial"/>',
                    description="Text the editor left out.", illustration="[...]"),
    K.ILLEGIBLE: KindInfo(label="Illegible", tei='<gap reason="illegible"/>',
                          description="Writing that could not be read."),
    K.HANDWRITTEN: KindInfo(label="Handwritten addition", tei='<add hand="#…" place="…">',
                            description="Words written by hand on the form, outside the typed text."),
    K.STAMP: KindInfo(label="Stamp", tei='<stamp>',
                      description="A stamp on the document, with the date it bears where legible."),
    K.PAGE_BREAK: KindInfo(label="Page break", tei='<pb n="…"/>',
                           description="Where a new page of the original begins; not an insertion.", illustration="[Page 211]"),
    K.ARTIFACT: KindInfo(label="Scraping artifact", tei="(removed)",
                         description="Text left by a web page's software, not by the archive; removed from the text.", illustration="[email protected]"),
    K.UNCLASSIFIED: KindInfo(label="Editorial insertion", tei="<note>",
                             description="Bracketed matter the edition could not classify; treated as a note."),
}

# Persons of the period whose names, in brackets, identify a pseudonym or a vague reference.
KNOWN_PERSONS = frozenset(
    "stalin mao zedong kim il sung pak hon yong heon-yeong zhou enlai molotov vyshinsky gromyko "
    "shtykov razuvaev malenkov beria bulganin mikoyan kaganovich khrushchev vasilevsky roshchin".split()
)
_PRONOUNS = frozenset("they them their he him his she her it we us".split())
_STOPWORDS = frozenset("the a an of to and in on for with by at from is was that this our we us will be not".split())
_TRANSLIT = re.compile(r"(?:iu|ia|ii|zh|kh|shch|iy|yi|oi)|(?:[bcdfgklmnprstvz]')", re.I)
_RESP = re.compile(r"^(?P<text>.+?)\s+[-–—]\s*(?P<resp>[A-Z]{1,4}(?:\.[A-Z])*\.?)$")
_ARTIFACT = re.compile(r"^email\s*protected$", re.I)
_PAGE = re.compile(r"^(?:page|p\.|pg\.)\s*(?P<n>\d+[a-z]?)$", re.I)
_ELISION = re.compile(r"^(?:\.\s*){3,}$|^…$")


def classify_insertions(document: Document) -> Document:
    """Give every unclassified insertion its kind; report what cannot be classified."""
    found: list[Diagnostic] = []
    sections = tuple(_classify_section(section, found) for section in document.text)
    if not found and all(new is old for new, old in zip(sections, document.text)):
        return document  # nothing to classify or report
    return replace(document, text=sections, diagnostics=document.diagnostics + tuple(found))


def _classify_section(section: Section, found: list[Diagnostic]) -> Section:
    blocks = tuple(_classify_block(block, found) for block in section.blocks)
    if all(new is old for new, old in zip(blocks, section.blocks)):
        return section
    return replace(section, blocks=blocks)


def _classify_block(block: Block, found: list[Diagnostic]) -> Block:
    inlines = tuple(_classify_inline(inline, found) for inline in block.inlines)
    if all(new is old for new, old in zip(inlines, block.inlines)):
        return block  # nothing to classify: the block as it was
    return replace(block, inlines=inlines)


def _classify_inline(inline: Inline, found: list[Diagnostic]) -> Inline:
    if not isinstance(inline, Insertion):
        return inline
    if inline.kind is K.UNCLASSIFIED:
        inline = classify(inline)
        if inline.kind is K.ARTIFACT:
            found.append(diag.make("scrape-artifact", inline.pos, raw=inline.raw))
    if inline.children:
        inline = replace(inline, children=tuple(_classify_inline(c, found) for c in inline.children))
    return inline


def classify(ins: Insertion) -> Insertion:
    """The kind of one insertion, from its wording and the word it follows."""
    text = ins.text
    lowered = text.lower()
    if _ARTIFACT.match(text):
        return replace(ins, kind=K.ARTIFACT)
    if lowered.startswith(("handwritten", "written by hand", "in handwriting", "manuscript note")):
        return replace(ins, kind=K.HANDWRITTEN, note=_after_colon(text))
    if ins.raw.startswith("[[") or "illegible" in lowered:
        return replace(ins, kind=K.ILLEGIBLE)
    if lowered.startswith("stamp"):
        reading = dates.find_date(text)
        resolved = dates.resolve(reading, None) if reading else None
        return replace(ins, kind=K.STAMP, note=_after_colon(text), date=resolved.date if resolved else None)
    if _ELISION.match(text) or not text:
        return replace(ins, kind=K.GAP)
    if match := _PAGE.match(text):
        return replace(ins, kind=K.PAGE_BREAK, note=match["n"])
    if match := _RESP.match(text):
        return replace(ins, kind=K.NOTE, resp=match["resp"], note=match["text"])
    if text.endswith("?"):
        return replace(ins, kind=K.UNCLEAR)
    if ins.attached:
        return replace(ins, kind=K.COMPLETION)
    return replace(ins, kind=_by_anchor(ins))


def _by_anchor(ins: Insertion) -> InsertionKind:
    text, anchor = ins.text, ins.anchor
    words = re.findall(r"[\w'’\-]+", text)
    if anchor.lower() in _PRONOUNS and (text[:1].isupper() or text.lower().startswith("the ")):
        return K.IDENTIFICATION
    if _is_acronym(anchor) and (_initials_match(anchor, words) or _vowel_share(anchor) <= 1 / 3):
        return K.EXPANSION if _initials_match(anchor, words) else K.GLOSS
    if _is_foreign(words):
        return K.FOREIGN
    if anchor[:1].isupper() and _is_name(text) and anchor.lower() not in _STOPWORDS:
        return _name_kind(anchor, text)
    if anchor[:1].isupper() and anchor.lower() not in _STOPWORDS and text[:1].isupper():
        return K.GLOSS
    return K.SUPPLIED


def _name_kind(anchor: str, text: str) -> InsertionKind:
    """A name after a name: who it really is, another form of it, or a gloss."""
    if _similar(anchor, text):
        return K.ALTERNATE_NAME
    if _is_known_person(text):
        return K.IDENTIFICATION
    if anchor.isupper() and text.isupper():
        return K.ALTERNATE_NAME
    return K.GLOSS


def _vowel_share(word: str) -> float:
    letters = [c for c in word.upper() if c.isalpha()]
    return sum(1 for c in letters if c in "AEIOUY") / max(1, len(letters))


def _after_colon(text: str) -> str | None:
    return text.split(":", 1)[1].strip() if ":" in text else None


def _is_acronym(word: str) -> bool:
    core = word.replace(".", "")
    return 2 <= len(core) <= 6 and core.isupper() and core.isalpha() and " " not in word


def _initials_match(acronym: str, words: list[str]) -> bool:
    letters = acronym.replace(".", "").upper()
    initials = "".join(w[0] for w in words if w.lower() not in ("of", "the", "and", "for", "'s")).upper()
    return initials == letters or initials.startswith(letters) and len(initials) - len(letters) <= 1


def _is_name(text: str) -> bool:
    words = text.replace(",", " ").split()
    return bool(words) and len(words) <= 5 and all(w[:1].isupper() or w.lower() in ("and", "of", "de") for w in words)


def _is_known_person(text: str) -> bool:
    return any(w.lower().strip(".,") in KNOWN_PERSONS for w in text.split())


def _similar(a: str, b: str) -> bool:
    """Spellings of one name share their first letter and most consonants."""
    ca, cb = (re.sub(r"[^bcdfghjklmnpqrstvwxz]", "", s.lower()) for s in (a, b))
    return a[:1].lower() == b[:1].lower() and len(set(ca) & set(cb)) >= 0.6 * max(1, len(set(ca) | set(cb)))


def _is_foreign(words: list[str]) -> bool:
    if not words or any(w.lower() in _STOPWORDS for w in words) or any(w[:1].isupper() for w in words):
        return False
    features = sum(len(_TRANSLIT.findall(w)) for w in words)
    return features >= 2 or (features == 1 and len(words) >= 2)

