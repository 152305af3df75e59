"""Names on a document's page: links to the registers, tooltips, "i.e." for pseudonyms.

The running text keeps its words in order: a resolved name becomes a reference link
``[KIM IL SUNG][]`` whose target and tooltip (the entry's short description) are defined
once at the end of the page, so footnotes and the text's words are untouched.
"""

from __future__ import annotations

import functools
import re

from ..model import Document, Mention, MentionRole, MentionStatus
from . import escape
from .urls import document_path, register_path, relative

EDITED = ' <span class="edition-by-editor">(editor\'s correction)</span>'

_TEXT_ROLES = (MentionRole.MENTIONED, MentionRole.ADDRESSEE)
_ALIAS_KINDS = ("pseudonym", "title")
ROLE_LABELS: dict[MentionRole, str] = {
    MentionRole.SENDER: "sender", MentionRole.RECIPIENT: "recipient", MentionRole.SIGNATORY: "signed",
    MentionRole.ADDRESSEE: "addressed", MentionRole.COPY: "copy received", MentionRole.ORIGIN: "place of origin",
    MentionRole.DESTINATION: "destination", MentionRole.SENT: "sent", MentionRole.RECEIVED: "received",
    MentionRole.ARRIVED: "arrived", MentionRole.DECIPHERED: "deciphered", MentionRole.TYPED: "typed",
    MentionRole.CABLED: "cabled", MentionRole.PRINTED: "printed", MentionRole.TRANSMISSION: "transmission record",
    MentionRole.IDENTIFIED: "identified in brackets", MentionRole.MENTIONED: "mentioned",
    MentionRole.TITLE: "in the title", MentionRole.SUMMARY: "in the summary",
}


def alias_wording(mention: Mention) -> str:
    """"Filippov, i.e. Stalin" where the source uses a pseudonym or a title for the entry."""
    return alias_of(mention.form, mention.form_kind, mention.short)


def alias_of(form: str, form_kind: str | None, short: str | None) -> str:
    """:func:`alias_wording` of a form, its kind and the entry's short name."""
    return f"{form}, i.e. {short}" if form_kind in _ALIAS_KINDS and short else form


def _tooltip(mention: Mention) -> str:
    """The short description shown on hover: one line, no double quotes (a Markdown link title)."""
    head = alias_wording(mention) if mention.form_kind in _ALIAS_KINDS else (mention.name or mention.form)
    text = f"{head}: {mention.description}" if mention.description else head
    return " ".join(text.replace('"', "'").split())[:240]


def _href(document: Document, mention: Mention) -> str:
    return relative(document_path(document.id), register_path(mention.register, mention.entry_id or ""))


def _find(document: Document, form: str, role: MentionRole, line: int | None = None) -> list[Mention]:
    return [m for m in document.mentions if m.role is role and m.entry_id and m.form in form
            and (line is None or m.pos.line == line)]


def card_names(document: Document, shown: str | None, text: str | None, role: MentionRole) -> str | None:
    """A card value with each resolved name linked, and "i.e." where a pseudonym stands."""
    if shown is None or not text:
        return shown
    found = _find(document, text, role)
    if not found:
        return shown
    links = [f"[{escape.md(alias_wording(m))}]({_href(document, m)})" for m in dict.fromkeys(found)]
    mark = EDITED if role is MentionRole.RECIPIENT and "recipients" in document.edited_fields else ""
    if role is MentionRole.SENDER and document.sender and (document.sender.by_editor or document.sender.derived):
        return shown
    return ", ".join(links) + mark


def entry_link(document: Document, text: str, role: MentionRole, line: int) -> str:
    found = [m for m in _find(document, text, role, line) if m.form == text]
    if not found:
        return escape.md_cell(text)
    return f"[{escape.md_cell(alias_wording(found[0]))}]({_href(document, found[0])})"


def text_names(document: Document) -> dict[int, dict[str, Mention]]:
    """Names resolved in the running text, by the line of their block and their source form."""
    found: dict[int, dict[str, Mention]] = {}
    for m in document.mentions:
        if m.role in _TEXT_ROLES and m.entry_id:
            found.setdefault(m.pos.line, {}).setdefault(m.form, m)
    return found


@functools.lru_cache(maxsize=256)
def names_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """One name of ``forms`` as a whole word, the longest first: what :func:`name_spans` finds."""
    return re.compile(r"(?<![\w'’])(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w])")


def name_spans(text: str, forms: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, form) of each of ``forms`` standing as a whole word in ``text``, left to right, the
    longest form where several begin at one place, none overlapping: the matches of
    :func:`names_pattern`, found with ``str.find`` (compiling a pattern for each block's set of
    names took most of the time of linking them)."""
    if "" in forms:  # an empty form matches nowhere and everywhere: leave that to the pattern
        return [(m.start(), m.end(), m.group(1)) for m in names_pattern(forms).finditer(text)]
    ordered = sorted(forms, key=len, reverse=True)
    starts: set[int] = set()
    for form in ordered:
        at = text.find(form)
        while at >= 0:
            starts.add(at)
            at = text.find(form, at + 1)
    found: list[tuple[int, int, str]] = []
    taken = 0
    for at in sorted(starts):
        if at < taken or (at and (text[at - 1] in "'’" or _word_char(text[at - 1]))):
            continue
        for form in ordered:
            end = at + len(form)
            if text.startswith(form, at) and (end == len(text) or not _word_char(text[end])):
                found.append((at, end, form))
                taken = end
                break
    return found


def _word_char(c: str) -> bool:
    """What a regular expression's ``\\w`` matches in a ``str``."""
    return c.isalnum() or c == "_"


_SAFE_LABEL = re.compile(r"^[^\\\[\]&<>*_`|{}#]+$")


def linked(document: Document, text: str, names: dict[str, Mention], links: dict[str, str]) -> str:
    """Text with each resolved name as a reference link ``[NAME][]`` (its target and
    tooltip defined once at the end of the page), so the text keeps its words in order."""
    out, last = [], 0
    for start, end, form in name_spans(text, tuple(names)):
        mention = names[form]
        label = " ".join(form.split())
        key, href = label.casefold(), _href(document, mention)
        if key not in links and _SAFE_LABEL.match(label):
            links[key] = f"{href} \"{_tooltip(mention)}\""
        elif not links.get(key, "").startswith(href + " "):
            continue  # an unsafe label, or one this page already gives another entry
        out.append(escape.md(text[last:start]) + f"[{label}][]")
        last = end
    out.append(escape.md(text[last:]))
    return "".join(out)


def link_definitions(links: dict[str, str]) -> str:
    """The targets and tooltips of the text's reference links, once each, at the page's end."""
    return "\n".join(f"[{label}]: {target}" for label, target in links.items()) + "\n" if links else ""


def names_section(document: Document) -> str:
    """Every register entry the document names, with its roles and the forms used."""
    if not document.mentions:
        return ""
    entries: dict[str, list[Mention]] = {}
    for m in document.mentions:
        if m.entry_id:
            entries.setdefault(m.entry_id, []).append(m)
    lines = ["## Persons, organizations and places\n"]
    order = {"persons": 0, "organizations": 1, "places": 2}
    for group in sorted(entries.values(), key=lambda ms: (order.get(ms[0].register, 3), (ms[0].name or "").casefold())):
        first = group[0]
        roles: dict[MentionRole, dict[str, str]] = {}
        for m in group:
            roles.setdefault(m.role, {}).setdefault(m.form, alias_wording(m))
        parts = "; ".join(f"{ROLE_LABELS[r]} as " + ", ".join(f"“{escape.md(shown)}”" for shown in forms.values())
                          for r, forms in roles.items())
        kind = first.register.rstrip("s")
        editor = " (editor's identification)" if any(m.by_editor for m in group) else ""
        lines.append(f"- [{escape.md(first.name or first.form)}]({_href(document, first)}) ({kind}){editor}: {parts}")
    unresolved = [m for m in document.mentions if m.status is not MentionStatus.RESOLVED]
    if unresolved:
        shown = "; ".join(f"“{escape.md(m.form)}” ({ROLE_LABELS[m.role]}, line {m.pos.line}, "
                          f"{'ambiguous: ' + ', '.join(m.candidates) if m.candidates else 'not in the registers'})"
                          for m in dict.fromkeys(unresolved))
        lines.append(f"\nNot resolved: {shown}.")
    return "\n".join(lines) + "\n"

