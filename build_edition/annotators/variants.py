"""Variant translations: two sources that are translations of the same document.

Pairs are found from shared evidence (outgoing number, date, sender, recipients,
text) and each document is linked to the other. Only documents of the same date
are compared, so the work stays near-linear in the size of the collection.
Paragraph alignment, used by the side-by-side page, lives here too: it is a
property of the pair, not of its presentation.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from .. import diagnostics as diag
from ..model import Block, BlockRole, Diagnostic, Document, SectionKind, SourcePos, VariantLink
from ..pickling import fast_pickling_in
from ..summary import DocumentSummary, summarize, words

THRESHOLD = 0.6
DUPLICATE = 0.9
MAX_GROUP = 60  # documents of one day compared pairwise; beyond this the day is skipped
_ALIGNED_ROLES = (BlockRole.PARAGRAPH, BlockRole.SALUTATION, BlockRole.SIGNATURE, BlockRole.DATELINE)


def similarity(a: set[str], b: set[str]) -> float:
    """Jaccard's index of two word sets (the union counted from the intersection: one set operation, not two)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


@dataclass(frozen=True, slots=True, kw_only=True)
class Related:
    """What the collection says of one document: its other translations, and whether it repeats another."""

    variants: tuple[VariantLink, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def _evidence(a: DocumentSummary, b: DocumentSummary, text: float) -> tuple[float, tuple[str, ...]]:
    checks = (
        (0.3, bool(a.outgoing_number) and a.outgoing_number == b.outgoing_number, f"outgoing number {a.outgoing_number}"),
        (0.2, a.date is not None and a.date == b.date, f"date {a.date.isoformat() if a.date else ''}"),
        (0.15, bool(a.sender and b.sender) and (a.sender or "").lower() == (b.sender or "").lower(), f"sender {a.sender or ''}"),
        (0.1, bool(set(a.recipients) & set(b.recipients)), "recipients"),
        (0.25, text >= 0.25, f"text {text:.0%} alike"),
    )
    return sum(w for w, ok, _ in checks if ok), tuple(r for _, ok, r in checks if ok)


@dataclass(frozen=True, slots=True, kw_only=True)
class DayResult:
    """What comparing the documents of one date found, by their places in the day's list: near-identical
    texts (``(later, earlier, alike)``, in the order found) and translations (``(one, other, score, reasons)``)."""

    near: tuple[tuple[int, int, float], ...]
    pairs: tuple[tuple[int, int, float, tuple[str, ...]], ...]


def relate(summaries: Sequence[DocumentSummary], keys: Sequence[str] = (),
           known: Mapping[str, DayResult] | None = None) -> tuple[list[Related], dict[str, DayResult]]:
    """Link variant translations; report a document that repeats another.

    Identical texts are found across the whole collection by hash; near-identical
    ones (``DUPLICATE`` alike or more) and translations among documents of one date,
    so the work stays near-linear in the size of the collection. With ``keys`` (one per
    summary, naming all it was made from), each date's comparison is also returned under
    a key of its documents' keys, and taken from ``known`` when that key is there.
    """
    found: dict[int, list[Diagnostic]] = defaultdict(list)
    first_with: dict[str, int] = {}
    for n, d in enumerate(summaries):
        if d.text_key and d.text_key in first_with:
            found[n].append(_duplicate(d, summaries[first_with[d.text_key]], 1.0))
        first_with.setdefault(d.text_key, n)
    links: dict[int, list[VariantLink]] = defaultdict(list)
    days: dict[str, DayResult] = {}
    for members in _same_date(summaries).values():
        day_key = hashlib.sha256("\n".join(keys[n] for n in members).encode()).hexdigest() if keys else ""
        day = (known or {}).get(day_key) if day_key else None
        if day is None:
            day = _compare_day([summaries[n] for n in members])
        if day_key:
            days[day_key] = day
        for j, i, text in day.near:
            if not found[members[j]]:
                found[members[j]].append(_duplicate(summaries[members[j]], summaries[members[i]], text))
        for i, j, score, reasons in day.pairs:
            a, b = summaries[members[i]], summaries[members[j]]
            links[members[i]].append(VariantLink(other_id=b.id, other_title=b.title, score=score, reasons=reasons))
            links[members[j]].append(VariantLink(other_id=a.id, other_title=a.title, score=score, reasons=reasons))
    related = [Related(variants=tuple(links.get(n, ())), diagnostics=tuple(found.get(n, ()))) for n in range(len(summaries))]
    return related, days


def _compare_day(day: list[DocumentSummary]) -> DayResult:
    texts = [d.word_set for d in day]
    near, pairs = [], []
    for i, j in combinations(range(len(day)), 2):
        text = similarity(texts[i], texts[j])
        if text >= DUPLICATE:
            near.append((j, i, text))
            continue
        score, reasons = _evidence(day[i], day[j], text)
        if score >= THRESHOLD:
            pairs.append((i, j, score, reasons))
    return DayResult(near=tuple(near), pairs=tuple(pairs))


def relate_documents(documents: list[Document]) -> list[Document]:
    """:func:`relate` for documents held in memory (``inspect``, tests): links and notes applied."""
    related, _ = relate([summarize(d) for d in documents])
    return [
        replace(d, variants=r.variants, diagnostics=d.diagnostics + r.diagnostics) if r.variants or r.diagnostics else d
        for d, r in zip(documents, related)
    ]


def _same_date(summaries: Sequence[DocumentSummary]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for n, d in enumerate(summaries):
        if d.date:  # translations of one document carry its date
            groups[d.date.isoformat()].append(n)
    return {k: v for k, v in groups.items() if 1 < len(v) <= MAX_GROUP}


def _duplicate(document: DocumentSummary, other: DocumentSummary, alike: float) -> Diagnostic:
    return diag.make("duplicate-source", SourcePos(path=document.source, line=1), other=other.source, similarity=alike)


@dataclass(frozen=True, slots=True, kw_only=True)
class AlignedRow:
    """Paragraphs of the two translations that render the same passage (one side may be empty)."""

    left: tuple[Block, ...]
    right: tuple[Block, ...]


def comparable_blocks(document: Document) -> list[Block]:
    """The blocks to compare: the enclosed letter when there is one, else the whole text."""
    sections = [s for s in document.text if s.kind is SectionKind.ENCLOSURE] or list(document.text)
    return [b for s in sections for b in s.blocks if b.role in _ALIGNED_ROLES]


_STEPS = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (1, 0), (0, 1))


def _overlap(a: set[str], b: set[str]) -> float:
    """Cosine of two word sets: fair to a paragraph matched with two or three."""
    return len(a & b) / (len(a) * len(b)) ** 0.5 if a and b else 0.0


def align(left: list[Block], right: list[Block]) -> list[AlignedRow]:
    """Align paragraphs, allowing one paragraph on a side to match two on the other."""
    lw, rw = [words(b.plain) for b in left], [words(b.plain) for b in right]
    n, m = len(left), len(right)
    best = [[float("-inf")] * (m + 1) for _ in range(n + 1)]
    step: dict[tuple[int, int], tuple[int, int]] = {}
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == float("-inf"):
                continue
            for di, dj in _STEPS:
                if i + di > n or j + dj > m:
                    continue
                gain = _overlap(set().union(*lw[i:i + di]), set().union(*rw[j:j + dj])) if di and dj else -0.15
                if best[i][j] + gain > best[i + di][j + dj]:
                    best[i + di][j + dj] = best[i][j] + gain
                    step[(i + di, j + dj)] = (di, dj)
    rows: list[AlignedRow] = []
    i, j = n, m
    while i or j:
        di, dj = step[(i, j)]
        rows.append(AlignedRow(left=tuple(left[i - di:i]), right=tuple(right[j - dj:j])))
        i, j = i - di, j - dj
    return rows[::-1]


fast_pickling_in(globals())
