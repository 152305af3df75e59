"""Variant translations: two sources that are translations of the same document.

Pairs are found from shared evidence (outgoing number, date, sender, recipients,
text) and each document is linked to the other. Only documents of the same date
are compared, so the work stays near-linear in the size of the collection.
Paragraph alignment, used by the side-by-side page, lives here too: it is a
property of the pair, not of its presentation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import combinations

from ..model import Block, BlockRole, Document, SectionKind, VariantLink

THRESHOLD = 0.6
MAX_GROUP = 60  # documents of one day compared pairwise; beyond this the day is skipped
_WORD = re.compile(r"[a-z]{4,}")
_ALIGNED_ROLES = (BlockRole.PARAGRAPH, BlockRole.SALUTATION, BlockRole.SIGNATURE, BlockRole.DATELINE)


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _evidence(a: Document, b: Document) -> tuple[float, tuple[str, ...]]:
    score, reasons = 0.0, []
    if a.outgoing_number and a.outgoing_number == b.outgoing_number:
        score, reasons = score + 0.3, [*reasons, f"outgoing number {a.outgoing_number}"]
    if a.date and a.date == b.date:
        score, reasons = score + 0.2, [*reasons, f"date {a.date.isoformat()}"]
    if a.sender and b.sender and a.sender.value.lower() == b.sender.value.lower():
        score, reasons = score + 0.15, [*reasons, f"sender {a.sender.value}"]
    if set(a.recipients) & set(b.recipients):
        score, reasons = score + 0.1, [*reasons, "recipients"]
    text = similarity(words(" ".join(x.plain for x in a.blocks)), words(" ".join(x.plain for x in b.blocks)))
    if text >= 0.25:
        score, reasons = score + 0.25, [*reasons, f"text {text:.0%} alike"]
    return score, tuple(reasons)


def link_variants(documents: list[Document]) -> list[Document]:
    """Each document with links to its other translations."""
    groups: dict[str, list[int]] = defaultdict(list)
    for n, d in enumerate(documents):
        if d.date:  # translations of one document carry its date
            groups[d.date.isoformat()].append(n)
    links: dict[int, list[VariantLink]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for members in groups.values():
        if len(members) > MAX_GROUP:
            continue
        for i, j in combinations(sorted(set(members)), 2):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            score, reasons = _evidence(documents[i], documents[j])
            if score >= THRESHOLD:
                a, b = documents[i], documents[j]
                links[i].append(VariantLink(other_id=b.id, other_title=b.title_text, score=score, reasons=reasons))
                links[j].append(VariantLink(other_id=a.id, other_title=a.title_text, score=score, reasons=reasons))
    return [replace(d, variants=tuple(links[n])) if n in links else d for n, d in enumerate(documents)]


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
