"""Every diagnostic the edition can give: a stable code, a fixed severity, its wording.

Code elsewhere calls :func:`make` with a code and the values the message needs,
so all wording lives here and an editor sees the same phrase for the same problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Diagnostic, Severity, SourcePos

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, slots=True)
class Kind:
    severity: Severity
    template: str


CATALOGUE: dict[str, Kind] = {
    # reading a file
    "unreadable": Kind(E, "cannot read the file: {reason}"),
    "empty-source": Kind(E, "the file is empty: there is no document to publish"),
    "binary-source": Kind(E, "the file looks binary ({reason}), not text: skipped"),
    "encoding-guessed": Kind(W, "not UTF-8: read as {encoding}; check the accented letters"),
    "encoding-unsure": Kind(E, "cannot tell the text encoding; read as {encoding} with replacement characters"),
    "large-source": Kind(W, "very large source ({size} bytes): only the first {limit} bytes were read"),
    "internal-error": Kind(E, "not published: reading it failed with {error}; please report this with the file (--debug shows the traceback)"),
    "truncated-source": Kind(W, "the text stops mid-sentence ({tail!r}): the source may be cut off"),
    # metadata
    "missing-metadata": Kind(W, "no {fields} in the source: {derived}; set them in {sidecar}"),
    "missing-title": Kind(E, "no title found and none could be derived; set `title` in {sidecar}"),
    "missing-date": Kind(E, "no document date found; set `date` in {sidecar}"),
    "empty-field": Kind(I, "the field {field!r} is present but empty"),
    "duplicate-id": Kind(E, "another source ({other}) has the id {id!r}: this one is published as {new!r}"),
    "duplicate-source": Kind(W, "same text as {other} ({similarity:.0%} alike): published twice; remove one or mark a variant"),
    # dates
    "ambiguous-date": Kind(W, "ambiguous date {original!r}: read as {chosen} to agree with the record; {alternative} was also possible"),
    "year-inconsistent": Kind(W, "the year in {original!r} disagrees with the record ({year}): read as {chosen}"),
    "unparsed-date": Kind(W, "cannot read the date {original!r}"),
    "redundant-meridiem": Kind(I, "24-hour time with a.m./p.m. in {original!r}: the 24-hour reading is kept"),
    # record
    "events-out-of-order": Kind(W, "{later} ({later_time}) is recorded before {earlier} ({earlier_time})"),
    "copies-mismatch": Kind(W, "the distribution list states {stated} copies but lists {listed}"),
    # text
    "unclosed-bracket": Kind(W, "bracket opened here is never closed: it ends at the end of its paragraph (line {end})"),
    "stray-bracket": Kind(W, "closing bracket with no opening bracket"),
    "scrape-artifact": Kind(W, "removed {raw!r}, left by the web page's e-mail protection, not by the archive"),
    "repeated-word": Kind(W, "repeated {word!r} in {context!r}"),
    "paragraph-joined": Kind(I, "paragraph broken mid-sentence ({before!r} / {after!r}): joined"),
    # output
    "output-conflict": Kind(W, "left untouched: written or edited by hand since the last build; delete it to let the edition regenerate it"),
    "cache-rebuilt": Kind(I, "build cache: {reason}; nothing from it was used"),
    # sidecar
    "sidecar-invalid": Kind(E, "the corrections file cannot be read: {reason}"),
    "sidecar-unknown-key": Kind(W, "unknown key {key!r} in the corrections file: ignored"),
    "sidecar-stale": Kind(W, "correction {what} matches nothing in the source any more"),
    "sidecar-bad-value": Kind(W, "correction {key!r}: {reason}"),
    # registers of persons, organizations and places
    "register-invalid": Kind(E, "the register file cannot be read: {reason}"),
    "register-bad-entry": Kind(W, "register entry {id!r}: {reason}"),
    "register-unknown-key": Kind(W, "unknown key {key!r} in register entry {id!r}: ignored"),
    "register-unknown-file": Kind(W, "not a register file: name it one of {names}"),
    "register-duplicate-id": Kind(W, "the id {id!r} is already used (at {other}): this entry is skipped"),
    "register-override": Kind(I, "replaces the shipped register entry {id!r} ({other})"),
    "unregistered-name": Kind(W, "{role} {form!r} matches no entry of the {register} register: add one to {file} (a ready-to-paste entry is on the Unregistered names page)"),
    "ambiguous-name": Kind(W, "{role} {form!r} could be any of {candidates}: left unresolved; settle it under `mentions:` in {sidecar}"),
    "mention-unknown-entry": Kind(W, "correction of mention {form!r}: no register entry has the id {id!r}"),
    # page shapes
    "xml-invalid": Kind(E, "not well-formed XML: {reason}; nothing of this file is published"),
    "date-from-range": Kind(W, "no dated dateline: dated by the start of FRUS's date range {low} – {high}"),
    "glossary-source": Kind(I, "a list of abbreviations, not a document: its {count} entries go to the glossary"),
    "sidebar-skipped": Kind(I, "skipped {count} line(s) before the document's own date, from {first!r}: a page sidebar about another document"),
}


def make(code: str, pos: SourcePos, **values: object) -> Diagnostic:
    """Build the diagnostic ``code`` at ``pos`` with its catalogued wording."""
    kind = CATALOGUE[code]
    return Diagnostic(pos=pos, severity=kind.severity, code=code, message=kind.template.format(**values))


def count(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> dict[Severity, int]:
    """How many diagnostics of each severity, for the build summary."""
    totals = {s: 0 for s in Severity}
    for d in diagnostics:
        totals[d.severity] += 1
    return totals
