"""Each input shape is detected from its content and read into the same model fields.

The samples in ``tests/samples/shapes/`` are synthetic telegrams written for
these tests (see their README); the seeds are the archive's own five sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_edition.annotators import annotate
from build_edition.model import BlockRole, Document, InsertionKind
from build_edition.readers import REGISTRY, choose_reader, read_document
from build_edition.readers.compact import document_start
from build_edition.readers.html_page import page_lines
from build_edition.source import SourceText, decode_source, read_source

HERE = Path(__file__).parent
SAMPLES = HERE / "samples" / "shapes"
SEEDS = HERE.parent / "seeds"
HTML = SAMPLES / "html-page-artillery-instructors.html"
PDF = SAMPLES / "pdf-text-air-cover.txt"
COMPACT = SAMPLES / "compact-page-railway-repairs.txt"
LEGACY = SAMPLES / "legacy-page-paratroopers.txt"
RIGHTS_START = "The History and Public Policy Program welcomes reuse of Digital Archive materials"


def load(path: Path) -> SourceText:
    return read_source(path, path.name)


def from_text(text: str, name: str = "inline.txt") -> SourceText:
    return decode_source(text.encode("utf-8"), name)


def read(path: Path) -> Document:
    return read_document(load(path), path.stem)


def line_of(path: Path, needle: str) -> int:
    """The 1-based line holding ``needle``, counted as an editor counts (form feeds are not lines)."""
    for number, text in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path.name}")


def events(document: Document) -> list[tuple[str, str | None]]:
    return [(event.kind.value, event.iso) for event in document.transmission]


def everything_shown(document: Document) -> str:
    """All text a page of this document would show as the document's own."""
    parts = [document.title_text, document.summary or "", *document.rights, *(b.plain for b in document.blocks)]
    return "\n".join(parts)


def codes(document: Document) -> list[str]:
    return [d.code for d in document.diagnostics]


# --- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize("path,shape", [(HTML, "html"), (PDF, "pdf"), (COMPACT, "compact"), (LEGACY, "legacy")],
                         ids=["html", "pdf", "compact", "legacy"])
def test_each_sample_is_claimed_by_its_own_reader(path: Path, shape: str) -> None:
    source = load(path)
    assert choose_reader(source).name == shape
    scores = {reader.name: reader.score(source) for reader in REGISTRY}
    assert scores[shape] > max(score for name, score in scores.items() if name != shape)


def test_detection_does_not_depend_on_the_file_name() -> None:
    for path, shape in ((HTML, "html"), (PDF, "pdf"), (COMPACT, "compact"), (LEGACY, "legacy")):
        renamed = decode_source(path.read_bytes(), "telegram.md")
        assert choose_reader(renamed).name == shape


def seed_shape(path: Path) -> str:
    text = path.read_text("utf-8")
    if "**Citation:**" in text:
        return "export"
    return "webpage" if text.startswith("Skip to content") else "transcription"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seed_shapes_are_detected_as_before(path: Path) -> None:
    assert choose_reader(load(path)).name == seed_shape(path)


def test_seed_shapes_are_two_exports_two_webpages_one_transcription() -> None:
    shapes = sorted(choose_reader(load(path)).name for path in SEEDS.glob("*.txt"))
    assert shapes == ["export", "export", "transcription", "webpage", "webpage"]


# --- the saved HTML page -------------------------------------------------------------------------


def test_html_page_fields() -> None:
    document = read(HTML)
    assert document.shape == "html"
    assert document.title_text == "Ciphered Telegram, Shtykov to Stalin on Kim Il Sung’s Request for Artillery Instructors"
    assert document.date is not None and document.date.isoformat() == "1950-10-03"
    assert (document.telegram_number, document.outgoing_number) == ("600452/sh", "1402")
    assert events(document) == [
        ("sent", "1950-10-03T02:15"), ("received", "1950-10-03T06:40"), ("arrived", "1950-10-03T06:55"),
        ("deciphered", "1950-10-03T08:10"), ("typed", "1950-10-03T09:30"),
    ]
    assert document.distribution is not None
    assert (document.distribution.stated_copies, document.distribution.listed_copies) == (10, 10)
    assert [(r.repository, r.fond, r.opis, r.delo, r.folios) for r in document.archival_references] == [
        ("APRF", "45", "1", "347", "58-59"),
    ]
    assert document.summary == ("Shtykov relays Kim Il Sung’s request for Soviet artillery instructors to train "
                                "the gun crews of the newly formed Korean People’s Army divisions.")
    assert len(document.rights) == 2 and document.rights[0].startswith(RIGHTS_START)
    assert (document.record_id, document.original_language, document.uploaded) == ("900452", "Russian", None)
    assert [s.name for s in document.signatures] == ["Shtykov"]


def test_html_page_takes_only_the_documents_visible_text() -> None:
    shown = everything_shown(read(HTML))
    for foreign in ("Injected by the page", "Hidden text", "editorial comment", "dataLayer", "Skip to main content",
                    "Collections", "Search the archive", "Share", "Cite", "Roshchin", "Mao Zedong",
                    "Woodrow Wilson Plaza", "<p>", "&rdquo;", "[email"):
        assert foreign not in shown, foreign
    assert "“before the ground freezes”" in shown and "send fifty artillery instructors" in shown


def test_html_page_positions_point_into_the_html_source() -> None:
    document = read(HTML)
    assert document.title is not None and document.title.pos is not None
    assert document.title.pos.line == line_of(HTML, "<h1")
    assert document.transmission[0].pos.line == line_of(HTML, "Sent on 10/03/50")
    assert document.signatures[0].pos.line == line_of(HTML, "<p>SHTYKOV</p>")
    found = {d.code: d.pos.line for d in document.diagnostics}
    assert found["empty-field"] == line_of(HTML, "<dt>Original Uploaded Date</dt>")
    assert found["scrape-artifact"] == line_of(HTML, "email&#160;protected")


def test_html_lines_follow_block_elements_breaks_and_cells() -> None:
    markup = ("<div><p>CIPHERED TELEGRAM No. 1</p>\n<p>Sent on<br>\n10/03/50</p>"
              "<table><tr><td>Stalin</td><td>2</td></tr></table>"
              "<pre>line one\n   line two</pre><p>A <b>bold</b>&nbsp;word &amp; more</p></div>")
    lines = [(line.no, line.text) for line in page_lines(markup) if line.text]
    assert lines == [(1, "CIPHERED TELEGRAM No. 1"), (2, "Sent on"), (3, "10/03/50"), (3, "Stalin 2"),
                     (3, "line one"), (4, "line two"), (4, "A bold word & more")]


def test_html_fragment_and_xhtml_are_recognised_without_warnings() -> None:
    fragment = "\n".join(["<p>October 3, 1950</p>", "<h1>Telegram</h1>", "<p>CIPHERED TELEGRAM No. 7/sh</p>",
                          "<p>Sent on 10/03/50 at 02:15</p>"])
    assert choose_reader(from_text(fragment)).name == "html"
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>' + fragment + "</body></html>"
    document = read_document(from_text(xhtml), "x")
    assert document.shape == "html" and document.telegram_number == "7/sh"


# --- the PDF's text ----------------------------------------------------------------------------------


def test_pdf_text_fields() -> None:
    document = read(PDF)
    assert document.shape == "pdf"
    assert document.title_text == ("Ciphered Telegram, Shtykov to Gromyko and Stalin on Kim Il Sung's Request "
                                   "for Air Cover over Pyongyang")
    assert document.date is not None and document.date.isoformat() == "1950-10-05"
    assert (document.telegram_number, document.outgoing_number) == ("600478/sh", "1418")
    assert events(document) == [
        ("sent", "1950-10-05T01:40"), ("received", "1950-10-05T05:10"), ("arrived", "1950-10-05T05:25"),
        ("deciphered", "1950-10-05T07:00"), ("typed", "1950-10-05T08:20"),
    ]
    assert document.distribution is not None
    assert (document.distribution.stated_copies, document.distribution.listed_copies) == (8, 8)
    assert [(r.repository, r.fond, r.delo, r.papka, r.folios) for r in document.archival_references] == [
        ("APRF", "45", "347", None, "77-79"), ("AVPRF", "059a", "3", "11", "12-14"),
    ]
    assert document.url == "https://digitalarchive.wilsoncenter.org/document/900478"
    assert document.citation is not None and "https://" not in document.citation
    assert document.summary == ("Shtykov reports Kim Il Sung's request that Soviet fighter aviation cover "
                                "Pyongyang against round-the-clock American bombing.")
    assert (document.original_language, document.translation) == ("Russian", "English")
    assert (document.rights, document.record_id) == ((), None)  # the PDF carries neither


def test_pdf_page_headers_and_footers_are_dropped() -> None:
    blocks = [block.plain for block in read(PDF).blocks]
    for furniture in ("Digital Archive", "International History Declassified", "digitalarchive.wilsoncenter.org",
                      "Translation - English"):
        assert not any(furniture in text for text in blocks), furniture
    assert not any(text.strip() in {"1", "2", "3"} for text in blocks)


def test_pdf_paragraph_cut_by_a_page_break_is_one_block() -> None:
    document = read(PDF)
    paragraph = next(block for block in document.blocks if block.plain.startswith("On 4 October"))
    # one paragraph, with a page marker where the form feed (line 61) starts the PDF's third page
    assert "bombs the approaches to PYONGYANG day [Page 3] and night, and that the new divisions" in paragraph.plain
    assert paragraph.plain.endswith("destroyed within a day of its repair.")
    marks = [i for i in annotate(document).insertions if i.kind is InsertionKind.PAGE_BREAK]
    assert [(m.note, m.pos.line) for m in marks] == [("2", 40), ("3", 61)]


def test_pdf_right_aligned_signature_and_dateline_stand_apart() -> None:
    document = read(PDF)
    roles = {block.plain: block.role for block in document.blocks}
    assert roles["SHTYKOV"] is BlockRole.SIGNATURE
    assert roles["5.X.50"] is BlockRole.DATELINE
    assert roles["I told him that I would report his request to Moscow without delay."] is BlockRole.PARAGRAPH
    assert document.signatures[0].pos.line == line_of(PDF, "SHTYKOV")
    assert document.transmission[-1].pos.line == line_of(PDF, "Typed by Lobyseva")


def test_single_page_pdf_without_form_feeds() -> None:
    page = "\n".join([
        "                    Digital Archive", "          International History Declassified", "",
        "      October 9, 1950", "      Telegram from Kim Il Sung to Stalin", "",
        "      Citation:", "            \"Telegram from Kim Il Sung to Stalin\", October 9, 1950, Wilson Center Digital",
        "            Archive, APRF, fond 45, opis 1, delo 347, listy 72-73.", "",
        "      Contents:", "            Translation - English", "",
        "      Ciphered Telegram # 600382/sh", "      Sent by wire on 10/09/50 at 7:05 a.m.", "",
        "      I support KIM IL SUNG'S request.", "                                                   SHTYKOV",
    ])
    document = read_document(from_text(page), "x")
    assert document.shape == "pdf"
    assert (document.title_text, document.date and document.date.isoformat()) == (
        "Telegram from Kim Il Sung to Stalin", "1950-10-09")
    assert events(document) == [("sent", "1950-10-09T07:05")]
    assert [s.name for s in document.signatures] == ["Shtykov"] and document.translation == "English"


# --- the compact page ---------------------------------------------------------------------------------


def test_compact_page_fields() -> None:
    document = read(COMPACT)
    assert document.shape == "compact"
    assert document.title_text == ("Ciphered Telegram, Shtykov to Filippov [Stalin] on Railway Repairs on the "
                                   "Pyongyang–Sinuiju Line")
    assert document.date is not None and document.date.isoformat() == "1950-10-10"
    assert (document.telegram_number, document.outgoing_number) == ("600531/sh", "1471")
    assert events(document) == [
        ("sent", "1950-10-10T23:05"), ("received", "1950-10-11T03:15"), ("arrived", "1950-10-11T03:30"),
        ("deciphered", "1950-10-11T05:00"), ("typed", "1950-10-11T06:10"),
    ]
    assert document.distribution is not None
    assert (document.distribution.stated_copies, document.distribution.listed_copies) == (6, 6)
    assert [(r.repository, r.fond, r.folios) for r in document.archival_references] == [("APRF", "45", "88-89")]
    assert document.summary == ("Kim Il Sung asks Stalin for a Soviet railway restoration battalion and rails "
                                "to reopen the line between Pyongyang and Sinuiju.")
    assert len(document.rights) == 2 and document.rights[0].startswith(RIGHTS_START)
    assert (document.record_id, document.uploaded, document.original_language) == ("900531", "2011-11-20", "Russian")
    assert [b.role for b in document.blocks if b.plain.startswith("KIM IL SUNG asked")] == [BlockRole.PARAGRAPH]


def test_compact_sidebar_about_another_document_is_skipped_and_reported() -> None:
    document = read(COMPACT)
    shown = everything_shown(document)
    assert "Mao Zedong tells Filippov" not in shown and "Transmitting Mao Zedong's Reply" not in shown
    assert "Related Document" not in shown
    sidebar = [d for d in document.diagnostics if d.code == "sidebar-skipped"]
    assert len(sidebar) == 1 and sidebar[0].pos.line == line_of(COMPACT, "Related Document")
    assert "4 line(s)" in sidebar[0].message


def compact_variant(drop: tuple[str, ...]) -> SourceText:
    lines = [line for line in COMPACT.read_text("utf-8").split("\n") if not line.startswith(drop)]
    return from_text("\n".join(lines), "variant.txt")


@pytest.mark.parametrize("drop", [("October 7, 1950",), ("Related Document", "October 7", "Ciphered Telegram, Roshchin",
                                                         "Mao Zedong tells")], ids=["sidebar-without-date", "no-sidebar"])
def test_compact_page_reads_the_same_with_or_without_a_sidebar(drop: tuple[str, ...]) -> None:
    document = read_document(compact_variant(drop), "variant")
    reference = read(COMPACT)
    assert (document.title_text, document.date, document.summary) == (reference.title_text, reference.date, reference.summary)
    assert events(document) == events(reference)
    assert ("sidebar-skipped" in codes(document)) == (drop[0] != "Related Document")


def test_compact_start_without_a_telegram_form_follows_the_sidebar_summary() -> None:
    texts = ["Related Document", "October 1, 1950", "Letter from Mao Zedong to Kim Il Sung",
             "Mao tells Kim Il Sung that the Chinese leadership is still discussing the question of troops.",
             "October 2, 1950", "Letter from Kim Il Sung to Stalin", "Dear Comrade STALIN,"]
    lines = from_text("\n".join(texts)).lines
    assert document_start([line for line in lines if not line.blank]) == 4


def test_blank_line_page_scrape_is_not_compact() -> None:
    seed = SEEDS / "1950-10-09-kim-to-stalin-training-600382.txt"
    assert next(r for r in REGISTRY if r.name == "compact").score(load(seed)) == 0.0


# --- the older page layout -------------------------------------------------------------------------------


def test_legacy_page_fields() -> None:
    document = read(LEGACY)
    assert document.shape == "legacy"
    assert document.title_text == "Ciphered Telegram, Shtykov to Filippov [Stalin] on Enemy Paratroopers in North Korea"
    assert document.title is not None and document.title.pos is not None
    assert document.title.pos.line == line_of(LEGACY, "get citation") - 1  # read from the citation
    assert document.date is not None and document.date.isoformat() == "1950-10-12"
    assert (document.telegram_number, document.outgoing_number) == ("600560/sh", "1498")
    assert events(document) == [
        ("sent", "1950-10-12T21:40"), ("received", "1950-10-13T02:05"), ("deciphered", "1950-10-13T03:30"),
    ]
    assert document.distribution is not None
    assert (document.distribution.stated_copies, document.distribution.listed_copies) == (None, 7)
    assert [(r.repository, r.fond, r.opis, r.delo, r.folios) for r in document.archival_references] == [
        ("APRF", "45", "1", "347", "92-93"),
    ]
    assert document.url == "https://digitalarchive.wilsoncenter.org/document/900560"
    assert document.summary is not None and document.summary.startswith("Shtykov reports that the enemy drops paratroopers")
    assert (document.original_language, document.translation, document.record_id) == ("Russian", "English", "900560")
    assert len(document.rights) == 1 and document.rights[0].startswith(RIGHTS_START)
    assert document.doc_type == "Ciphered telegram"


def test_legacy_page_search_bar_links_and_labels_stay_out_of_the_text() -> None:
    document = read(LEGACY)
    blocks = [block.plain for block in document.blocks]
    for chrome in ("Search", "Search the archive", "Advanced Search", "get citation", "Download PDF", "Summary"):
        assert not any(text.startswith(chrome) for text in blocks), chrome
    assert not any("Original Language" in text or "Contents:" in text for text in blocks)
    assert not any(document.summary and document.summary[:40] in text for text in blocks)
    assert blocks[0] == "From PYONGYANG"


def test_legacy_page_prefers_its_own_heading_to_the_citation() -> None:
    text = LEGACY.read_text("utf-8").replace(
        "Advanced Search | Browse by Collection\n",
        "Advanced Search | Browse by Collection\n\nOctober 13, 1950\n\nTelegram on Paratroopers\n",
    )
    document = read_document(from_text(text), "variant")
    assert document.title_text == "Telegram on Paratroopers"
    assert document.date is not None and document.date.isoformat() == "1950-10-13"
