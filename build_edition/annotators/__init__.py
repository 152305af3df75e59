"""Annotators: pure functions Document -> Document, applied in one documented order.

| order | annotator                         | why it comes here                                        |
|-------|-----------------------------------|----------------------------------------------------------|
| 1     | insertions.classify_insertions    | every later step reads insertion kinds                   |
| 2     | anomalies.join_broken_paragraphs  | joins must precede word checks that span the break       |
| 3     | anomalies.flag_repeated_words     | needs the joined text                                    |
| 4     | anomalies.flag_record             | transmission order, dates and copy counts                |
| 5     | anomalies.check_truncation        | a text that stops mid-sentence was likely cut off        |
| 6     | corrections.apply_corrections     | the editor's word is last, so it overrides the machine   |
| 7     | resolve.resolve_names             | names as corrected, resolved to the registers; the       |
|       |                                   | corrections' ``mentions:`` then settle single names      |

Corpus-wide steps (unique ids, variant translations) run afterwards in
``pipeline``, because they need every document at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Document
from ..registers.resolver import Resolver
from .anomalies import check_truncation, flag_record, flag_repeated_words, join_broken_paragraphs
from .corrections import Corrections, apply_corrections
from .insertions import classify_insertions
from .resolve import resolve_names

Annotator = Callable[[Document], Document]

ANNOTATORS: tuple[Annotator, ...] = (
    classify_insertions,
    join_broken_paragraphs,
    flag_repeated_words,
    flag_record,
    check_truncation,
)


def annotate(document: Document, corrections: Corrections | None = None, resolver: Resolver | None = None,
             lines: Sequence[str] = ()) -> Document:
    """Run every annotator in order, then the editor's corrections, then resolve names.

    ``lines`` are the source's lines, where names of header fields are looked up.
    """
    for annotator in ANNOTATORS:
        document = annotator(document)
    document = apply_corrections(document, corrections)
    if resolver is None:
        return document
    return resolve_names(document, resolver, lines, corrections.mentions if corrections else ())
